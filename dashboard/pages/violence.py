"""Violence: INEGI homicides by municipality or state, SESNSP victims by crime subtype."""
import dash
import pandas as pd
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.views import violence as cb
from dashboard.datasets import CONAPO_POPULATION, INEGI_HOMICIDES, SESNSP_VICTIMS
from dashboard import i18n
from dashboard.i18n import N_, _

PAGE = N_("Violence")
dash.register_page(__name__, path=cb.PATH, name=PAGE, title=components.page_title(PAGE), order=5)

NEEDED = (INEGI_HOMICIDES, CONAPO_POPULATION, SESNSP_VICTIMS)
INTRO = N_("Homicides in the border municipalities and states, and victims of reported crimes by subtype. "
         "Rates use CONAPO's mid-year population; a state's population is the sum of its municipalities'.")


def month_options(data) -> list[dict]:
    months = pd.date_range("2000-01-01", pd.Timestamp.today().normalize().replace(day=1), freq="MS")
    if data is not None:
        last = [data.table(t)["month"].max() for t in ("homicides", "crime_victims") if not data.table(t).empty]
        if last:
            months = months[months <= max(last)]
    return [{"label": i18n.month_abbr(m), "value": f"{m:%Y-%m}"} for m in reversed(months)]


def layout(**query):
    ps = cb.params()
    parsed = cb.state_from_query(query)
    state, notices = parsed.state, parsed.notices
    data = data_access.current()
    if data is None:
        return components.page(_(PAGE), _(INTRO), notices_=notices, needed=NEEDED)
    months = month_options(data)
    radio = {"labelStyle": {"display": "inline-block", "marginRight": "1rem"}}
    controls = html.Div([
        components.labelled(_("Level"), dcc.RadioItems(
            id=ids.Violence.level, options=[{"label": _(v), "value": k} for k, v in cb.LEVELS.items()],
            value=state["level"], **radio), html_for=ids.Violence.level),
        components.labelled(_("Places"), dcc.Dropdown(
            id=ids.Violence.places, options=cb.place_options(state["level"]), value=state["places"], multi=True,
            clearable=False), html_for=ids.Violence.places),
        components.labelled(_("Measure"), dcc.RadioItems(
            id=ids.Violence.measure, options=[{"label": _(v), "value": k} for k, v in cb.MEASURES.items()],
            value=state["measure"], **radio), html_for=ids.Violence.measure),
        components.labelled(_("Monthly or annual"), dcc.RadioItems(
            id=ids.Violence.freq, options=[{"label": _(v), "value": k} for k, v in cb.FREQS.items()],
            value=state["freq"], **radio), html_for=ids.Violence.freq),
        components.labelled(_("From"), dcc.Dropdown(
            id=ids.Violence.from_, options=months, value=state["from"], clearable=False),
            html_for=ids.Violence.from_),
        components.labelled(_("To"), dcc.Dropdown(
            id=ids.Violence.to, value=state["to"], placeholder=_("latest month"), clearable=True,
            options=months + [{"label": _("Latest month (follows the data)"), "value": urlstate.LATEST}]),
            html_for=ids.Violence.to),
        components.labelled(_("Crime subtype (SESNSP)"), dcc.Dropdown(
            id=ids.Violence.subtype, options=[{"label": s, "value": s} for s in cb.subtype_choices()],
            value=state["subtype"], clearable=False), html_for=ids.Violence.subtype),
        components.labelled(_("Sex of victims (SESNSP)"), dcc.Dropdown(
            id=ids.Violence.sex, options=[{"label": _(v), "value": k} for k, v in cb.SEXES.items()],
            value=state["sex"], clearable=False), html_for=ids.Violence.sex),
    ], className="controls")
    return components.page(
        _(PAGE), _(INTRO),
        components.settings(controls),
        html.P([_("Two sources, two definitions:"), " ", html.Strong("INEGI"), " ",
                _("counts deaths registered as homicides (death certificates), by municipality and by state;"), " ",
                html.Strong("SESNSP"), " ",
                _("counts victims in investigations opened by state prosecutors, by state only. They are shown in "
                  "separate charts and never as one series.")], className="intro"),
        components.chart(ids.Violence.homicides, ids.Violence.homicides_alt, export="violence-homicides"),
        html.Div([
            components.chart(ids.Violence.victims, ids.Violence.victims_alt, export="violence-victims"),
            components.chart(ids.Violence.subtypes, ids.Violence.subtypes_alt, export="violence-subtypes"),
        ]),
        *components.url_sync(ids.Violence.query, ids.Violence.sink, urlstate.to_query(state, ps)),
        notices_=notices, needed=NEEDED,
    )
