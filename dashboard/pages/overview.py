"""Overview: the headline figures, each with its as-of date and source."""
import dash
from dash import html

from dashboard import components, data_access, ids
from dashboard.aggregates import overview as agg
from dashboard.datasets import CBP_ENCOUNTERS, INEGI_HOMICIDES, IOM, IOM_SOURCE, POLICY_EVENTS, REPORTED_FIGURES

dash.register_page(__name__, path="/", name="Overview", title="Overview · Border migration statistics", order=0)

NEEDED = (REPORTED_FIGURES, CBP_ENCOUNTERS, INEGI_HOMICIDES, IOM_SOURCE)


def card(h: agg.Headline) -> html.Section:
    return html.Section([
        html.Div(h.label, className="label"),
        html.Div(h.value, className="value" + (" nodata" if h.missing else "")),
        html.Div(h.missing or h.detail, className="meta"),
        html.Div([f"As of {h.as_of} · " if h.as_of else "", components.source_link(h.source or "source", h.url)],
                 className="meta"),
    ], className="card", **{"aria-label": h.label})


def layout(**query):
    data = data_access.current()
    if data is None:
        return components.page("U.S.–Mexico border migration statistics", "No data yet.", needed=NEEDED)
    def credit(source_id: str) -> agg.Credit:
        return data.attribution(source_id), data.source_url(source_id)

    heads = [
        agg.mpp_total(data.table("reported_figures"), agg.event_date(data.table(POLICY_EVENTS))),
        agg.southwest_latest(data.table("encounters"), credit(CBP_ENCOUNTERS)),
        agg.city_homicides_last_year(data.table("homicides"), {p: data.short_name(p) for p in data.mpp_cities()},
                                     credit(INEGI_HOMICIDES)),
        agg.border_deaths_last_year(data.table("migrant_deaths"), credit(IOM_SOURCE), data.dataset(IOM)["counted"]),
    ]
    return components.page(
        "U.S.–Mexico border migration statistics",
        "Encounters at the border, the people sent to wait in Mexican border cities under the "
        "Migrant Protection Protocols, and the violence and deaths around them — every number with its source.",
        html.Div([card(h) for h in heads], id=ids.Overview.cards, className="cards"),
        needed=NEEDED,
    )
