"""MPP & reported figures: every figure from news and NGO reports, with its qualifier, definition and quote."""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.aggregates import mpp as mpp_agg
from dashboard.aggregates import reported as agg
from dashboard.views import reported as cb
from dashboard.charts import common
from dashboard.charts import reported as charts
from dashboard.datasets import REPORTED_FIGURES
from dashboard.i18n import N_, _

PAGE = N_("MPP & reported figures")
dash.register_page(__name__, path=cb.PATH, name=PAGE, title=components.page_title(PAGE), order=4)

NEEDED = (REPORTED_FIGURES,)
INTRO = N_("“Remain in Mexico” (the Migrant Protection Protocols, MPP) in numbers. First the official count: the "
         "people CBP enrolled in MPP each month, at each Border Patrol sector and port, as CBP's statistics pages "
         "print them (January 2020 on). Then the figures by city, and on the violence against the people sent "
         "there, which exist only in news and NGO reports: each listed as the report stated it — with its "
         "qualifier, what was counted and by whom, its date and its quote. Kinds of figure are never added "
         "together.")
MPP_INTRO = N_("Enrolments are counted where CBP processed people — a Border Patrol sector or a port's field office "
             "— not in the Mexican city they were sent to. CBP's pages start in January 2020; enrolments ended in "
             "January 2021.")


def _options(pairs, all_label):
    return [{"label": all_label, "value": ""}] + [{"label": label, "value": value} for value, label in pairs]


def layout(**query):
    data = data_access.current()
    parsed = cb.state_from_query(query)
    params = cb.params()
    s = parsed.state
    choices = cb._current_choices()
    if data is None:
        fig = common.empty(_(charts.TITLE), _(charts.SUBTITLE), _("no data has been published yet"))
        alt, count, children = _("No data."), "", []
        mfig, malt = cb.mpp_empty()
    else:
        mfig, malt, _fig_data, _alt_data = cb.mpp_view(cb.release_key(data), s["split"])
        fig, alt, count, children = cb.view(cb.release_key(data), s["metric"], s["place"], s["publisher"], s["q"],
                                            bool(s["percap"]))
    controls = html.Div([
        components.labelled(_("Metric"), dcc.Dropdown(
            id=ids.Reported.metric, options=_options(choices["metric"], _("All metrics")), value=s["metric"],
            clearable=False, searchable=False), html_for=ids.Reported.metric),
        components.labelled(_("Place"), dcc.Dropdown(
            id=ids.Reported.place, options=_options(choices["place"], _("All places")), value=s["place"],
            clearable=False), html_for=ids.Reported.place),
        components.labelled(_("Publisher"), dcc.Dropdown(
            id=ids.Reported.publisher, options=_options(choices["publisher"], _("All publishers")),
            value=s["publisher"], clearable=False), html_for=ids.Reported.publisher),
        components.labelled(_("Search quotes and definitions"), dcc.Input(
            id=ids.Reported.q, type="search", value=s["q"], maxLength=agg.MAX_QUERY, debounce=True,
            placeholder=_("e.g. Juárez, kidnapped"), className="text-input"), html_for=ids.Reported.q),
        components.labelled(_("Scale"), dcc.Checklist(
            id=ids.Reported.percap, options=[{"label": " " + _("Per 100,000 residents (cities only)"), "value": "1"}],
            value=["1"] if s["percap"] else []), html_for=ids.Reported.percap),
    ], className="controls")
    split = html.Div([components.labelled(_("Official enrolments by"), dcc.RadioItems(
        id=ids.Reported.split, options=[{"label": f" {_(v)}", "value": k} for k, v in mpp_agg.SPLITS.items()],
        value=s["split"], inline=True, className="radio"), html_for=ids.Reported.split)], className="controls")
    return components.page(
        _(PAGE), _(INTRO),
        html.H2(_("Official MPP enrolments by month (CBP)")),
        html.P(_(MPP_INTRO), className="muted"),
        split,
        components.chart(ids.Reported.mpp_graph, ids.Reported.mpp_alt, mfig, malt, export="mpp"),
        html.H2(_("Reported figures by city")),
        components.settings(controls),
        components.chart(ids.Reported.graph, ids.Reported.alt, fig, alt, export="reported"),
        html.H2(_("Every figure, grouped by what it counts")),
        html.P(count, id=ids.Reported.count, className="muted", **{"aria-live": "polite"}),
        html.Div(children, id=ids.Reported.list, className="figures"),
        *components.url_sync(ids.Reported.query, ids.Reported.sink, urlstate.to_query(s, params)),
        notices_=parsed.notices, needed=NEEDED,
    )
