"""Encounters page callbacks: one callback renders the chart from the controls and keeps the controls
(options, enabled filters) in step with the chosen dataset; the URL follows the state."""
from __future__ import annotations

import threading

import pandas as pd
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, ctx, html

from dashboard.exportable import Exportable
from dashboard import cache, components, data_access, i18n, ids, tidy, urlstate
from dashboard.i18n import N_, _
from dashboard.aggregates import encounters as agg
from dashboard.charts import encounters as charts
from dashboard.datasets import CBP_SOUTHWEST, POLICY_EVENTS

FILTERS = tuple(agg.DIMENSIONS)  # component, area, citizenship, demographic, title, type
FILTER_IDS = {p: getattr(ids.Encounters, p) for p in FILTERS}
# option labels, marked for the catalogue: translate where shown (_(label), or options())
MODES = [("stacked", N_("Stacked")), ("lines", N_("Lines"))]
SCALES = [("linear", N_("Linear")), ("log", N_("Log"))]


def options(pairs) -> list[dict]:
    """A radio's options from MODES or SCALES, in the reader's language."""
    return [{"label": _(label), "value": value} for value, label in pairs]

_lock = threading.Lock()
_prepared: dict[tuple[str, str], agg.Prepared] = {}
_key_locks: dict[tuple[str, str], threading.Lock] = {}


# ---- per-release data, prepared once -------------------------------------------------------------

def _release_id() -> str:
    data = data_access.current()
    return data.key if data else ""


def place_names(data) -> dict[str, str]:
    if data is None:
        return {}
    places = data.places
    if places.empty:
        return {}
    return {str(k): str(v) for k, v in places["name"].items()}


def prepared(dataset: str, release_key: str | None = None) -> agg.Prepared:
    """The dataset's rows prepared for filtering, cached per release (the served one and the one warming)."""
    data = data_access.held(release_key) if release_key else data_access.current()
    key = (data.key if data else "", dataset)
    prep = _prepared.get(key)
    if prep is None:
        with _lock:  # one lock per release and dataset: a warm-up preparing the next release blocks nobody
            key_lock = _key_locks.setdefault(key, threading.Lock())
        with key_lock:
            prep = _prepared.get(key)
            if prep is None:
                table = data.table("encounters") if data else pd.DataFrame()
                prep = agg.prepare(table, dataset, place_names(data),
                                   label=data.dataset(dataset)["label"] if data else None,
                                   marks=data_access.revised_rows(data, "encounters", "count"))
                with _lock:
                    serving = data_access.current()
                    for k in [k for k in _prepared if k[0] not in (key[0], serving.key if serving else "")]:
                        del _prepared[k]
                        _key_locks.pop(k, None)
                    _prepared[key] = prep
    return prep


@data_access.on_warm
def _warm(data) -> None:
    """A new release's encounter datasets, prepared for filtering before it is served."""
    for dataset in agg.datasets_present(data.table("encounters")):
        prepared(dataset, data.key)


def datasets() -> list[str]:
    data = data_access.current()
    present = agg.datasets_present(data.table("encounters")) if data else []
    return present or [CBP_SOUTHWEST]


def default_dataset() -> str:
    present = datasets()
    return CBP_SOUTHWEST if CBP_SOUTHWEST in present else present[0]


def dataset_label(dataset: str) -> str:
    """The dataset in words, as the current release describes it."""
    data = data_access.current()
    return data.dataset(dataset)["label"] if data else dataset


def _all_codes(param: str) -> list[str]:
    codes: dict[str, None] = {}
    for d in datasets():
        for code, _x in prepared(d).options.get(param, []):
            codes[code] = None
    return list(codes)


def params() -> list[urlstate.Param]:
    """The page's URL parameters (choices come from the current release)."""
    out = [urlstate.Param("dataset", "choice", default_dataset(), datasets, label=N_("Dataset"), pin=True)]
    for p in FILTERS:
        out.append(urlstate.Param(p, "multi", [], (lambda p=p: _all_codes(p)), max_items=60,
                                  label=agg.DIMENSIONS[p][1]))
    out += [
        urlstate.Param("from", "month", None, label=N_("From"), pin=True, resolve=lambda s: _month_end(s, 0)),
        urlstate.Param("to", "month", None, label=N_("To"), pin=True, latest=True, resolve=lambda s: _month_end(s, -1)),
        urlstate.Param("breakdown", "choice", "none", ["none", *FILTERS], label=N_("Break down by")),
        urlstate.Param("mode", "choice", "stacked", [m for m, _x in MODES], label=N_("Chart")),
        urlstate.Param("scale", "choice", "linear", [s for s, _x in SCALES], label=N_("Scale")),
    ]
    return out


def _month_end(state: dict, which: int) -> str | None:
    """The first (0) or last (-1) month of the state's dataset: what an open end of the range shows."""
    months = prepared(state.get("dataset") or default_dataset()).months
    return months[which] if months else None


def reconcile(state: dict, prep: agg.Prepared) -> tuple[dict, list[str]]:
    """Drop what the chosen dataset does not have (filter values, a breakdown), with a notice for each."""
    state = dict(state)
    notices = []
    label = prep.label or prep.dataset
    for p in FILTERS:
        chosen = state.get(p) or []
        allowed = {c for c, _x in prep.options.get(p, [])}
        kept = [c for c in chosen if c in allowed]
        if len(kept) != len(chosen):
            notices.append(_("{filter}: value(s) not in {dataset} were ignored").format(
                filter=_(agg.DIMENSIONS[p][1]), dataset=label))
        state[p] = kept
    if state.get("breakdown", "none") != "none" and state["breakdown"] not in prep.breakdowns():
        notices.append(_("Break down by: {what} is not available in {dataset}").format(
            what=_(agg.DIMENSIONS[state["breakdown"]][1]).lower(), dataset=label))
        state["breakdown"] = "none"
    return state, notices


# ---- view --------------------------------------------------------------------------------------------

def state_from_query(query: dict) -> urlstate.Parsed:
    """The page's state for a link's query (what the page and its exports show), with notices."""
    parsed = urlstate.parse(query, params(), ranges=[("from", "to")])
    prep = prepared(parsed.state["dataset"])
    state, more = reconcile(parsed.state, prep)
    notices = parsed.notices + more
    for end in ("from", "to"):
        if state[end] and state[end] != urlstate.LATEST and prep.months and state[end] not in prep.months:
            notices.append(_("{end}: {month} is outside {dataset} ({first} to {last}); showing its full range").format(
                end=_("From") if end == "from" else _("To"), month=state[end], dataset=prep.label or prep.dataset,
                first=prep.months[0], last=prep.months[-1]))
            state[end] = None
    return urlstate.Parsed(state, notices)


def breakdown_options(prep: agg.Prepared) -> list[dict]:
    return [{"label": _("Nothing (total)"), "value": "none"}] + [
        {"label": _(agg.DIMENSIONS[p][1]), "value": p} for p in FILTERS if p in prep.breakdowns()]


LATEST_MONTH = {"label": N_("Latest month (follows the data)"), "value": urlstate.LATEST}  # English: latest_month()


def latest_month() -> dict:
    """The "to" control's option that follows the data, in the reader's language."""
    return {**LATEST_MONTH, "label": _(LATEST_MONTH["label"])}


def month_options(prep: agg.Prepared) -> list[dict]:
    return [{"label": i18n.month_abbr(m + "-01"), "value": m} for m in prep.months]


def filter_options(prep: agg.Prepared, param: str) -> list[dict]:
    return [{"label": label or _("(not stated)"), "value": code} for code, label in prep.options.get(param, [])]


def filters_text(prep: agg.Prepared, state: dict) -> str:
    parts = []
    for p in FILTERS:
        chosen = state.get(p) or []
        if chosen:
            names = dict(prep.options.get(p, []))
            parts.append(f"{_(agg.DIMENSIONS[p][1])}: " + ", ".join(names.get(c, c) for c in chosen))
    return "; ".join(parts)


def sources_for(prep: agg.Prepared) -> list[tuple[str, str | None]]:
    data = data_access.current()
    return [data.source_pair(sid) for sid in prep.source_ids] if data else [(sid, None) for sid in prep.source_ids]


@cache.answer
def _figure_cached(release: str, dataset: str, filters: tuple, start, end, breakdown: str, mode: str, scale: str):
    prep = prepared(dataset, release)
    state = dict(filters)
    s = agg.series(prep, {p: list(v) for p, v in filters}, start, end, breakdown)
    data = data_access.held(release) if release else None
    events = agg.events_in_range(data.table(POLICY_EVENTS) if data else pd.DataFrame(), s.start, s.end)
    described = data.dataset(dataset) if data else {"label": dataset, "counted": ""}
    fig = charts.encounters_chart(s, dataset=dataset, label=described["label"], counted=described["counted"],
                                  mode=mode, scale=scale, events=events,
                                  sources=sources_for(prep), rounded=prep.rounded,
                                  filters_text=filters_text(prep, state))
    return fig, charts.alt_text(s, described["label"]), events


def render(state: dict):
    """(figure, alt text, events frame) for a state."""
    filters = tuple((p, tuple(state.get(p) or ())) for p in FILTERS)
    end = None if state.get("to") == urlstate.LATEST else state.get("to")  # follows the data: an open end
    fig, alt, events = _figure_cached(_release_id(), state["dataset"], filters, state.get("from"), end,
                                      state.get("breakdown", "none"), state.get("mode", "stacked"),
                                      state.get("scale", "linear"))
    return fig, alt, events


def events_list(events: pd.DataFrame) -> html.Div:
    """The policy events drawn on the chart, numbered as on the chart, each with its source link."""
    if events is None or events.empty:
        return html.Div(html.P(_("No policy events fall in the months shown."), className="nodata"))
    data = data_access.current()
    items = []
    for row in events.itertuples(index=False):
        when = i18n.day(row.date)
        if pd.notna(row.end_date):
            when += f" – {i18n.day(row.end_date)}"
        place = data.place_name(row.place_id) if (data and isinstance(row.place_id, str) and row.place_id) else ""
        published = f", {i18n.day(row.published)}" if pd.notna(row.published) else ""
        items.append(html.Li([
            html.Strong(f"{row.n}. {row.event}"),
            f" — {when}" + (" · " + _("port: {place}").format(place=place) if place else ""), html.Br(),
            html.Span(str(row.description or "")), html.Br(),
            html.Span(_("Source: "), className="meta"), str(row.publisher or ""), ", ",
            components.source_link(f"“{row.title or row.url}”", row.url), published, ".",
        ], className="event"))
    return html.Div([html.Ol(items, className="events")])


def chart_views(state: dict) -> dict[str, tuple]:
    """{chart key: (figure, text alternative)} for a parsed state: what the page draws, for its exports."""
    fig, alt, _x = render(state)
    return {"encounters": (fig, alt)}


def chart_tables(state: dict, only: str | None = None) -> dict[str, pd.DataFrame]:
    """{chart key: tidy rows of the plotted values (dashboard.tidy)} for a parsed state, as chart_views draws them:
    one row per month and series. The policy events are marks, not values: they are in the export's sidecar."""
    prep = prepared(state["dataset"])
    filters = {p: list(state.get(p) or ()) for p in FILTERS}
    s = agg.series(prep, filters, state.get("from"), state.get("to"), state.get("breakdown", "none"))
    data = data_access.current()
    described = data.dataset(state["dataset"]) if data else {"label": state["dataset"], "counted": ""}
    chosen = filters_text(prep, state)
    definition = "; ".join(x for x in [described.get("counted") or described["label"],
                                       _("filters: {chosen}").format(chosen=chosen) if chosen else ""] if x)
    source = tidy.sources(sources_for(prep))
    return {"encounters": tidy.frame({
        **tidy.month(r["month"]), "measure": "encounters",
        "value": None if tidy.missing(r["count"]) else float(round(r["count"])), "unit": _("encounters"),
        "qualifier": "approximately" if prep.rounded else "exact",
        "category": r["group"] or _("All encounters"), "definition": definition, "dataset": state["dataset"],
        "source": source, "note": _("the publisher rounds the monthly values") if prep.rounded else "",
        **tidy.revised(r["first_published"], r["revised_in"]),
    } for r in s.frame.to_dict("records"))}


def view(state: dict, prep: agg.Prepared):
    fig, alt, events = render(state)
    return fig, alt, events_list(events)


# ---- callbacks -------------------------------------------------------------------------------------

CONTROL_INPUTS = [Input(ids.Encounters.dataset, "value")] + [Input(FILTER_IDS[p], "value") for p in FILTERS] + [
    Input(ids.Encounters.from_, "value"), Input(ids.Encounters.to, "value"),
    Input(ids.Encounters.breakdown, "value"), Input(ids.Encounters.mode, "value"),
    Input(ids.Encounters.scale, "value"),
]
OUTPUTS = [
    Output(ids.Encounters.graph, "figure"), Output(ids.Encounters.alt, "children"),
    Output(ids.Encounters.events, "children"), Output(ids.Encounters.query, "data"),
]
for _p in FILTERS:
    OUTPUTS += [Output(FILTER_IDS[_p], "options"), Output(FILTER_IDS[_p], "value"), Output(FILTER_IDS[_p], "disabled")]
OUTPUTS += [
    Output(ids.Encounters.from_, "options"), Output(ids.Encounters.from_, "value"),
    Output(ids.Encounters.to, "options"), Output(ids.Encounters.to, "value"),
    Output(ids.Encounters.breakdown, "options"), Output(ids.Encounters.breakdown, "value"),
]


def update(dataset, component, area, citizenship, demographic, title, type_, from_, to, breakdown, mode, scale,
           triggered: str | None = None):
    """The whole page from the controls. When the dataset changed, its filters and months start afresh."""
    ps = params()
    values = [dataset, component, area, citizenship, demographic, title, type_, from_, to, breakdown, mode, scale]
    state = urlstate.state_from_controls(ps, values)
    if state["dataset"] not in datasets():
        state["dataset"] = default_dataset()
    prep = prepared(state["dataset"])
    if triggered == ids.Encounters.dataset:
        for p in FILTERS:
            state[p] = []
        state["from"] = state["to"] = None
    state, _x = reconcile(state, prep)
    if state["from"] not in prep.months:
        state["from"] = None
    if state["to"] not in prep.months and state["to"] != urlstate.LATEST:
        state["to"] = None
    if state["from"] and state["to"] and state["to"] != urlstate.LATEST and state["from"] > state["to"]:
        state["from"], state["to"] = state["to"], state["from"]
    fig, alt, events = view(state, prep)
    query = {"q": urlstate.to_query(state, ps), "initial": triggered is None}
    out = [fig, alt, events, query]
    for p in FILTERS:
        out += [filter_options(prep, p), state[p], not prep.enabled(p)]
    months = month_options(prep)
    out += [months, state["from"], months + [latest_month()], state["to"], breakdown_options(prep), state["breakdown"]]
    return out


@callback(*OUTPUTS, *CONTROL_INPUTS)
def on_controls(*values):
    return update(*values, triggered=ctx.triggered_id)


clientside_callback(
    ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
    Output(ids.Encounters.sink, "data"),
    Input(ids.Encounters.query, "data"),
)


# ---- the page and the charts that can leave it (collected by dashboard/export/registry.py) ----------------
PATH = "/encounters"
QUERY_STORE = ids.Encounters.query
CHARTS = (
    Exportable("encounters", "encounters", N_("Encounters: monthly series with policy events"),
               ("encounters", "policy_events")),
)
