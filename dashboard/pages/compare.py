"""Compare cities: the MPP receiving cities side by side (reported MPP figures, population, homicides,
migrant deaths nearby, the paired Border Patrol sector), with every setting in the URL."""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.aggregates import compare as agg
from dashboard.views import compare as cb
from dashboard.i18n import N_, _

PAGE = N_("Compare cities")
dash.register_page(__name__, path=cb.PATH, name=PAGE, title=components.page_title(PAGE), order=2)

C = ids.Compare
TITLE = N_("Compare border cities")
INTRO = N_("Pick two to six Mexican border cities to see them side by side: the figures reported for the people "
         "sent there to wait under the Migrant Protection Protocols (each with its qualifier and definition, never "
         "added together), population, homicides, migrant deaths nearby and Border Patrol encounters across the "
         "border. Where a number is missing the page says why; it is never shown as zero.")


def _radio(id_, options: dict, value):
    return dcc.RadioItems(id=id_, options=[{"label": _(v), "value": k} for k, v in options.items()], value=value,
                          inline=True, className="radio")


def layout(**query):
    data = data_access.current()
    if data is None:
        return components.page(_(TITLE), _("No data yet."), needed=cb.NEEDED)
    base = cb.base()
    params = cb.params()
    parsed = cb.state_from_query(query)
    state, notices = parsed.state, parsed.notices
    options = [{"label": label, "value": p} for p, label in base.cities["label"].items()]  # west to east
    controls = html.Div([
        html.Fieldset([
            html.Legend(_("Cities (2 to 6)")),
            dcc.Checklist(id=C.cities, options=options, value=state["cities"], inline=True, className="cmp-cities"),
        ], className="control cmp-wide"),
        components.labelled(_("Year (calendar; fiscal year for encounters)"), dcc.Dropdown(
            id=C.year, options=[{"label": _("Latest year in the data"), "value": urlstate.LATEST}]
            + [{"label": str(y), "value": str(y)} for y in reversed(base.years)],
            value=state["year"], clearable=False), html_for=C.year),
        components.labelled(_("Migrant deaths within (km)"), dcc.Slider(
            id=C.km, min=10, max=300, step=5, value=state["km"],
            marks={10: "10", 50: "50", 100: "100", 200: "200", 300: "300"}), html_for=C.km),
        components.labelled(_("Deaths dataset (never added together)"), _radio(C.deaths, cb.DEATHS, state["deaths"]),
                            html_for=C.deaths),
        components.labelled(_("Monthly chart y axis"), _radio(C.axis, cb.AXES, state["axis"]), html_for=C.axis),
        components.labelled(_("Homicides"), dcc.Checklist(
            id=C.percap, options=[{"label": _("Per 100,000 residents"), "value": "1"}],
            value=["1"] if state["percap"] else [], className="radio"), html_for=C.percap),
    ], className="controls cmp-controls", role="group", **{"aria-label": _("Comparison settings")})
    sorter = html.Div([
        components.labelled(_("Sort the table by"), dcc.Dropdown(
            id=C.sort, options=[{"label": _(v[0]), "value": k} for k, v in agg.SORT_KEYS.items()],
            value=state["sort"], clearable=False), html_for=C.sort),
        components.labelled(_("Order"), _radio(C.order, cb.ORDERS, state["order"]), html_for=C.order),
    ], className="controls cmp-controls")
    return components.page(
        _(TITLE), _(INTRO),
        components.settings(controls),
        html.Div(id=C.status, role="status"),
        html.Section([
            html.H2(_("The numbers side by side")),
            sorter,
            html.Div(id=C.table, className="table-wrap"),
        ], **{"aria-label": _("Table of the comparison")}),
        html.H2(_("Reported MPP figures")),
        components.chart(C.mpp, C.mpp_alt, export="compare-mpp"),
        html.Div(id=C.unattributed),
        html.H2(_("Official MPP enrolments at each city's paired sector and port")),
        html.P(_("CBP counts enrolments where it processed people — the Border Patrol sector and the port's field "
                 "office paired with each city — not in the city: shown beside the reported figures, never added."),
               className="muted"),
        components.chart(C.enrolled, C.enrolled_alt, export="compare-enrolled"),
        html.H2(_("Violence, deaths and crossings")),
        components.chart(C.homicides, C.homicides_alt, export="compare-homicides"),
        components.chart(C.monthly, C.monthly_alt, export="compare-monthly"),
        components.chart(C.deaths_graph, C.deaths_alt, export="compare-deaths"),
        components.chart(C.encounters, C.encounters_alt, export="compare-encounters"),
        *components.url_sync(C.query, C.sink, urlstate.to_query(state, params)),
        notices_=notices, needed=cb.NEEDED,
    )
