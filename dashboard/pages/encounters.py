"""Encounters: one dataset's monthly series, filtered and broken down, with the policy events on its time axis."""
import dash
from dash import dcc, html

from dashboard import components, data_access, ids, urlstate
from dashboard.aggregates import encounters as agg
from dashboard.datasets import CBP_ENCOUNTERS, OHSS_ENCOUNTERS, POLICY_EVENTS, USBP_HISTORY
from dashboard.views import encounters as cb
from dashboard.i18n import N_, _

PAGE = N_("Encounters")
dash.register_page(__name__, path=cb.PATH, name=PAGE, title=components.page_title(PAGE), order=1)

NEEDED = (CBP_ENCOUNTERS, OHSS_ENCOUNTERS, USBP_HISTORY, POLICY_EVENTS)
INTRO = N_("Monthly encounters and apprehensions at U.S. borders, from CBP, DHS's Office of Homeland Security "
         "Statistics and the historical Border Patrol tables — one dataset at a time, because the files overlap "
         "and their totals are never added together. Policy changes (MPP, Title 42) are marked on the time axis, "
         "each with its source.")
ABOUT = [  # paragraphs
    N_("Each dataset is a publisher's file layout. CBP's Southwest land border file and its nationwide files "
           "count the same encounters in different ways; OHSS publishes Border Patrol encounters by sector rounded "
           "to the nearest ten or hundred; the historical USBP tables count apprehensions before FY2020. A month "
           "with no row for a group counts as zero within the months a file covers; months a file does not cover "
           "are left empty."),
    N_("Only the filters a dataset has are enabled, and their options come from that dataset. A breakdown "
           "shows the ten largest groups; the rest are summed as “All other”."),
    N_("No per-capita view: these are counts of people encountered at the U.S. border, by U.S. sector or "
           "state of encounter, and there is no population they are drawn from to divide by."),
]


def _dropdown(id_, options, value, *, multi=False, placeholder=None, disabled=False, clearable=True):
    return dcc.Dropdown(id=id_, options=options, value=value, multi=multi, placeholder=placeholder,
                        disabled=disabled, clearable=clearable)


def layout(**query):
    data = data_access.current()
    params = cb.params()
    parsed = cb.state_from_query(query)
    state, notices = parsed.state, parsed.notices
    prep = cb.prepared(state["dataset"])
    if data is None:
        fig, alt, events = {}, _("No data."), html.Div()
    else:
        fig, alt, events = cb.view(state, prep)

    filters = []
    for p in cb.FILTERS:
        label = _(agg.DIMENSIONS[p][1])
        enabled = prep.enabled(p)
        filters.append(components.labelled(label, _dropdown(
            cb.FILTER_IDS[p], cb.filter_options(prep, p), state[p], multi=True, disabled=not enabled,
            placeholder=_("All") if enabled else _("Not in this dataset")), html_for=cb.FILTER_IDS[p]))
    months = cb.month_options(prep)
    controls = html.Div([
        components.labelled(_("Dataset"), _dropdown(
            ids.Encounters.dataset, [{"label": cb.dataset_label(d), "value": d} for d in cb.datasets()],
            state["dataset"], clearable=False), html_for=ids.Encounters.dataset),
        *filters,
        components.labelled(_("From"), _dropdown(ids.Encounters.from_, months, state["from"],
                                              placeholder=_("First month")), html_for=ids.Encounters.from_),
        components.labelled(_("To"), _dropdown(ids.Encounters.to, months + [cb.LATEST_MONTH], state["to"],
                                            placeholder=_("Last month")), html_for=ids.Encounters.to),
        components.labelled(_("Break down by"), _dropdown(
            ids.Encounters.breakdown, cb.breakdown_options(prep), state["breakdown"], clearable=False),
            html_for=ids.Encounters.breakdown),
        components.labelled(_("Chart"), dcc.RadioItems(
            id=ids.Encounters.mode, options=[{"label": f" {_(l)}", "value": v} for v, l in cb.MODES],
            value=state["mode"], inline=True, className="radio"), html_for=ids.Encounters.mode),
        components.labelled(_("Scale"), dcc.RadioItems(
            id=ids.Encounters.scale, options=[{"label": f" {_(l)}", "value": v} for v, l in cb.SCALES],
            value=state["scale"], inline=True, className="radio"), html_for=ids.Encounters.scale),
    ], className="controls")
    return components.page(
        _("Encounters at the border"), _(INTRO),
        components.settings(controls),
        components.chart(ids.Encounters.graph, ids.Encounters.alt, fig, alt, export="encounters"),
        html.H2(_("Policy events on this chart")),
        html.Div(events, id=ids.Encounters.events, className="events-list"),
        html.Details([html.Summary(_("About these numbers")), *[html.P(_(p)) for p in ABOUT]], className="about"),
        *components.url_sync(ids.Encounters.query, ids.Encounters.sink, urlstate.to_query(state, params)),
        notices_=notices, needed=NEEDED,
    )
