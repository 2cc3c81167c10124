"""Overview: the headline figures, each with its as-of date, source and a small chart of the series behind it.

The cards, in order: the border-wide MPP figure that leads by the rule (reported), the MPP cities' own reported
figures (each with the border-wide figure its report gives), Southwest border encounters, homicides in the MPP
cities, migrant deaths. Reported figures are shown as what they are: qualifier in words, source, date or
'undated'.

Official counts lead: the first card is CBP's MPP enrolments by month (table ``mpp_enrollments``: latest month,
the total over the months CBP published, the monthly series as its trend). The reported MPP cards say, beside
their figure, the official count that brackets it (all enrolments; those processed at a city's paired sector and
field office), as a different kind of figure, never added.
"""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids
from dashboard.i18n import N_, _
from dashboard.aggregates import mpp as mpp_agg
from dashboard.aggregates import overview as agg
from dashboard.charts import sparkline
from dashboard.datasets import MPP_SOURCE, CBP_ENCOUNTERS, INEGI_HOMICIDES, IOM, IOM_SOURCE, POLICY_EVENTS, REPORTED_FIGURES

PAGE = N_("Overview")
dash.register_page(__name__, path="/", name=PAGE, title=components.page_title(PAGE), order=0)

TITLE = N_("U.S.–Mexico border migration statistics")
INTRO = N_("Encounters at the border, the people sent to wait in Mexican border cities under the Migrant Protection "
           "Protocols, and the violence and deaths around them — every number with its source.")
NEEDED = (MPP_SOURCE, REPORTED_FIGURES, CBP_ENCOUNTERS, INEGI_HOMICIDES, IOM_SOURCE)


def trend(h: agg.Headline) -> html.Figure | None:
    """The card's small chart (static: no mode bar, no hover) with its text alternative under it."""
    if h.missing or h.trend is None:
        return None
    return html.Figure([
        dcc.Graph(figure=sparkline.figure(h.trend), config={"staticPlot": True, "displayModeBar": False,
                                                             "responsive": True}, className="spark-graph"),
        html.Figcaption(sparkline.text(h.trend), className="alt"),
    ], className="spark")


def card(h: agg.Headline) -> html.Section:
    when = h.dated or (_("As of {date}").format(date=h.as_of) if h.as_of else "")
    small = trend(h)
    return html.Section([
        html.Div(h.label, className="label"),
        html.Div(h.value, className="value" + (" nodata" if h.missing else "")),
        html.Div(h.missing or h.detail, className="meta"),
        html.Div([f"{when[:1].upper()}{when[1:]} · " if when else "", components.source_link(h.source or _("source"), h.url)],
                 className="meta"),
        *([small] if small is not None else []),
    ], className="card", **{"aria-label": h.label})


def layout(**query):
    data = data_access.current()
    if data is None:
        return components.page(_(TITLE), _("No data yet."), needed=NEEDED)
    def credit(source_id: str) -> agg.Credit:
        return data.attribution(source_id), data.source_url(source_id)

    reported = data.table("reported_figures")
    enrolled = data.table("mpp_enrollments")
    heads = [
        agg.mpp_official(enrolled, data.table("mpp_enrollment_totals"), credit(MPP_SOURCE)),
        agg.mpp_total(reported, agg.event_date(data.table(POLICY_EVENTS)), mpp_agg.total_words(enrolled)),
        *agg.city_mpp(reported, {p: data.place_name(p) for p in data.mpp_cities()},
                      {p: mpp_agg.paired_words(enrolled, data.places, p) for p in data.mpp_cities()},
                      {p: agg.paired_sector_trend(enrolled, data.places, p, data.place_name(p),
                                                  data.place_name(mpp_agg.paired(data.places, p)[0] or ""))
                       for p in data.mpp_cities()}),
        agg.southwest_latest(data.table("encounters"), credit(CBP_ENCOUNTERS)),
        agg.city_homicides_last_year(data.table("homicides"), {p: data.short_name(p) for p in data.mpp_cities()},
                                     credit(INEGI_HOMICIDES)),
        agg.border_deaths_last_year(data.table("migrant_deaths"), credit(IOM_SOURCE), data.dataset(IOM)["counted"]),
    ]
    return components.page(
        _(TITLE), _(INTRO),
        html.Div([card(h) for h in heads], id=ids.Overview.cards, className="cards"),
        needed=NEEDED,
    )
