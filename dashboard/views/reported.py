"""Callbacks of the MPP & reported figures page: filters -> chart, list, URL."""
from __future__ import annotations

from dash import ClientsideFunction, Input, Output, callback, clientside_callback, html

from dashboard.exportable import Exportable
from dashboard import cache, components, data_access, i18n, ids, tidy, urlstate
from dashboard.i18n import N_, _
from dashboard.aggregates import encounters as events_agg
from dashboard.aggregates import mpp as mpp_agg
from dashboard.aggregates import reported as agg
from dashboard.aggregates import revised
from dashboard.charts import mpp as mpp_charts
from dashboard.charts import reported as charts
from dashboard.datasets import MPP_SOURCE, POLICY_EVENTS, REPORTED_FIGURES



def _current_choices() -> dict[str, list[tuple[str, str]]]:
    data = data_access.current()
    if data is None:
        return {"metric": [], "place": [], "publisher": []}
    return _choices(release_key(data), i18n.lang())


def release_key(data) -> str:
    """Caches are keyed by the release folder (ids are timestamps, unique only within one data directory)."""
    return str(data.release.path)


@data_access.per_release(maxsize=2)
def _choices(release_key: str, lang: str = "en") -> dict[str, list[tuple[str, str]]]:
    """`lang`: the choices' labels are words (one entry per language)."""
    data = data_access.held(release_key)
    return agg.choices(data.table("reported_figures"), data.places)


def params() -> list[urlstate.Param]:
    c = _current_choices()
    return [
        urlstate.Param("metric", "choice", "", choices=[""] + [v for v, _x in c["metric"]], label=N_("Metric")),
        urlstate.Param("place", "choice", "", choices=[""] + [v for v, _x in c["place"]], label=N_("Place")),
        urlstate.Param("publisher", "choice", "", choices=[""] + [v for v, _x in c["publisher"]], label=N_("Publisher")),
        urlstate.Param("q", "choice", "", label=N_("Search")),
        urlstate.Param("percap", "bool", False, label=N_("Per 100,000 residents")),
        urlstate.Param("split", "choice", mpp_agg.DEFAULT_SPLIT, choices=list(mpp_agg.SPLITS),
                       label=N_("Official enrolments by")),
    ]


def state_from_query(query: dict) -> urlstate.Parsed:
    """urlstate.parse, plus the search text bounded to 100 characters."""
    ps = params()
    parsed = urlstate.parse(query, ps)
    q = parsed.state.get("q") or ""
    if len(q) > agg.MAX_QUERY:
        parsed.state["q"] = ""
        parsed.notices.append(_("Search: a text of {n} characters was ignored (at most {most})").format(
            n=i18n.number(len(q)), most=agg.MAX_QUERY))
    else:
        parsed.state["q"] = agg.clean_query(q)
    return parsed


def figure_item(f: dict) -> html.Li:
    """One reported figure as text (never HTML): value in words, place, period, quote, publisher, link."""
    return html.Li([
        html.Div([html.Strong(f["value"]), " · ", f["place"], " · ", html.Span(f["when"], className="muted")],
                 className="fig-head"),
        html.Blockquote(f"“{f['quote']}”", className="fig-quote") if f["quote"] else None,
        html.Div([
            f["publisher"], ", " + _("published {date}").format(date=f["published"]) if f["published"][0].isdigit()
            else f" ({f['published']})",
            " · ", components.source_link(_("read the report"), f["url"]),
        ], className="fig-meta"),
        html.Div(f["counted"], className="fig-meta") if f.get("counted") else None,
        html.Div(f["lead"], className="fig-lead") if f.get("lead") else None,
        html.Div(f["notes"], className="fig-notes") if f["notes"] else None,
    ], className="fig-item", id=f"fig-{f['figure_id']}"[:80])


def figures_list(groups: list[dict]) -> list:
    if not groups:
        return [html.P(_("No reported figure matches the filters."), className="nodata")]
    out = []
    for g in groups:
        out.append(html.Section([
            html.H3(g["label"]),
            html.P(g["meaning"], className="muted") if g["meaning"] else None,
            *[html.Div([
                html.H4([_("Definition: "), html.Span(d["definition"], className="def")]),
                html.Ul([figure_item(f) for f in d["figures"]], className="fig-list"),
            ], className="fig-group") for d in g["groups"]],
        ], className="metric-group"))
    return out


@cache.answer
def view(release_key: str, metric: str, place: str, publisher: str, q: str, percap: bool):
    """(figure, alt text, count text, list children) for one release and one set of filters, in the reader's
    language (cache.answer keeps one answer per language)."""
    data = data_access.held(release_key)
    figures = data.table("reported_figures")
    rows = agg.filter_figures(figures, metric=metric, place=place, publisher=publisher, q=q)
    chart_rows, dropped = agg.chart_rows(rows, data.places, data.table("population"), per_capita=percap)
    fig = charts.figures_chart(chart_rows, per_capita=percap, dropped=dropped)
    alt = charts.alt_text(chart_rows, per_capita=percap)
    count = _("{n} of {total} reported figures").format(n=i18n.number(len(rows)), total=i18n.number(len(figures)))
    return fig, alt, count, figures_list(agg.figures_list(rows, data.places))



@cache.answer
def mpp_view(release_key: str, split: str):
    """(figure, alt text, plotted series, flags) of the official enrolments chart for one release and split, in the
    reader's language (cache.answer keeps one answer per language)."""
    data = data_access.held(release_key)
    places = data.places
    enrollments, marks = data.table("mpp_enrollments"), data_access.revised_rows(data, "mpp_enrollments", "count")
    if not marks.empty and not enrollments.empty:  # what revised counts were first published as
        enrollments = revised.attach(enrollments, marks, "count")
    series = mpp_agg.monthly(enrollments, split, dict(zip(places["place_id"], places["name"])))
    flags = mpp_agg.flagged(data.table("mpp_enrollment_totals"))
    events = events_agg.events_in_range(data.table(POLICY_EVENTS), *mpp_charts.AXIS)
    source = data.source_line([MPP_SOURCE]) if MPP_SOURCE in data.sources() else ""
    fig = mpp_charts.enrolments_chart(series, split=split, flags=flags, events=events, source=source)
    return fig, mpp_charts.alt_text(series, flags), series, flags


def mpp_empty():
    from dashboard.charts import common
    return common.empty(_(mpp_charts.TITLE), "", _("no data has been published yet")), _("No data.")


def mpp_rows(state: dict) -> list[dict]:
    """Tidy rows of the enrolments chart: one per plotted bar, traceable to mpp_enrollments rows (dataset, month,
    place or component)."""
    data = data_access.current()
    _x, _x, series, flags = mpp_view(release_key(data), state["split"])
    flagged_months = {f.month: f for f in flags}
    retrieved = (data.attribution(MPP_SOURCE), data.retrieved(MPP_SOURCE))
    out = []
    for r in series.itertuples():
        f = flagged_months.get(r.month)
        out.append({
            **tidy.month(r.month), "place_id": r.place_id, "place": r.group if r.place_id else "",
            "measure": "mpp_enrolled_official", "value": int(r.count), "unit": _("people enrolled in MPP"),
            "qualifier": "exact", "category": r.group,
            "definition": mpp_charts.MEANING, "dataset": r.dataset, "source": tidy.sources([retrieved]),
            "note": f.text() if f is not None else "",
            **tidy.revised(getattr(r, "first_published", None), getattr(r, "revised_in", "")),
        })
    return out


def chart_views(state: dict) -> dict[str, tuple]:
    """{chart key: (figure, text alternative)} for a parsed state: what the page draws, for its exports."""
    data = data_access.current()
    if data is None:
        return {}
    fig, alt, _x, _x = view(release_key(data), state["metric"], state["place"], state["publisher"], state["q"],
                            bool(state["percap"]))
    mfig, malt, _x, _x = mpp_view(release_key(data), state["split"])
    return {"reported": (fig, alt), "mpp": (mfig, malt)}


def chart_tables(state: dict, only: str | None = None) -> dict:
    """{chart key: tidy rows of the plotted values (dashboard.tidy)} for a parsed state, as chart_views draws them:
    one row per reported figure, with its qualifier (per 100,000 residents of its place and year with percap)."""
    data = data_access.current()
    if data is None:
        return {}
    percap = bool(state["percap"])
    figures = data.table("reported_figures")
    rows = agg.filter_figures(figures, metric=state["metric"], place=state["place"], publisher=state["publisher"],
                              q=state["q"])
    plotted, _x = agg.chart_rows(rows, data.places, data.table("population"), per_capita=percap)
    by_id = rows.assign(figure_id=rows["figure_id"].astype(str)).set_index("figure_id") if not rows.empty else rows
    retrieved = (data.attribution(REPORTED_FIGURES), data.retrieved(REPORTED_FIGURES))
    out = []
    for r in plotted.to_dict("records"):
        f = by_id.loc[r["figure_id"]]
        pid = f["place_id"] if isinstance(f["place_id"], str) else ""
        start, end, as_of = (tidy.date(f[c]) for c in ("period_start", "period_end", "as_of"))
        out.append({
            "place_id": pid,
            "place": r["place"], "period": f"{start} to {end}" if start and end else (as_of or end or r["date"]),
            "period_start": start, "period_end": end or as_of,
            "measure": r["metric"] + ("_per_100k" if percap else ""),
            "value": round(r["value"], 2) if percap else r["value"],
            "unit": (_("per 100,000 residents of the place (CONAPO, the figure's year)") if percap else
                     _("court cases") if r["metric"] in ("mpp_court_cases", "mpp_pending_cases") else _("people")),
            "qualifier": r["qualifier"], "definition": r["definition"], "dataset": REPORTED_FIGURES,
            "source": tidy.sources([(r["publisher"], None), retrieved]),
            "source_url": f["url"] if isinstance(f["url"], str) else "",
            "note": f"figure_id {r['figure_id']}",
        })
    return {"reported": tidy.frame(out), "mpp": tidy.frame(mpp_rows(state))}


def update(metric, place, publisher, q, percap, split=mpp_agg.DEFAULT_SPLIT):
    """The main callback's body: controls -> (figure, alt, count, list, query store, enrolments figure, its alt)."""
    ps = params()
    raw = {"metric": metric or "", "place": place or "", "publisher": publisher or "", "q": q or "",
           "percap": "1" if percap else "0", "split": split or mpp_agg.DEFAULT_SPLIT}
    parsed = state_from_query(raw)
    s = parsed.state
    data = data_access.current()
    if data is None:
        from dashboard.charts import common
        fig = common.empty(_(charts.TITLE), _(charts.SUBTITLE), _("no data has been published yet"))
        return (fig, _("No data."), "", [], {"q": urlstate.to_query(s, ps), "initial": False}, *mpp_empty())
    fig, alt, count, children = view(release_key(data), s["metric"], s["place"], s["publisher"], s["q"],
                                     bool(s["percap"]))
    mfig, malt, _x, _x = mpp_view(release_key(data), s["split"])
    return fig, alt, count, children, {"q": urlstate.to_query(s, ps), "initial": False}, mfig, malt


@callback(
    Output(ids.Reported.graph, "figure"),
    Output(ids.Reported.alt, "children"),
    Output(ids.Reported.count, "children"),
    Output(ids.Reported.list, "children"),
    Output(ids.Reported.query, "data"),
    Output(ids.Reported.mpp_graph, "figure"),
    Output(ids.Reported.mpp_alt, "children"),
    Input(ids.Reported.metric, "value"),
    Input(ids.Reported.place, "value"),
    Input(ids.Reported.publisher, "value"),
    Input(ids.Reported.q, "value"),
    Input(ids.Reported.percap, "value"),
    Input(ids.Reported.split, "value"),
    prevent_initial_call=True,
)
def _update(metric, place, publisher, q, percap, split):
    return update(metric, place, publisher, q, bool(percap), split)


clientside_callback(
    ClientsideFunction(namespace="borderstats", function_name="pushQuery"),
    Output(ids.Reported.sink, "data"),
    Input(ids.Reported.query, "data"),
)


# ---- the page and the charts that can leave it (collected by dashboard/export/registry.py) ----------------
PATH = "/reported"
QUERY_STORE = ids.Reported.query
CHARTS = (
    Exportable("mpp", "mpp", N_("MPP: official enrolments by month (CBP)"),
               ("mpp_enrollments", "mpp_enrollment_totals", "policy_events"), embed_height=640, settings=("split",)),
    Exportable("reported", "reported", N_("MPP & reported figures: figures per city"),
               ("reported_figures", "population"), embed_height=760,
               settings=("metric", "place", "publisher", "q", "percap")),
)
