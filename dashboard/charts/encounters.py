"""Encounters page chart: one dataset's monthly series (stacked or lines), policy events on the time axis."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.aggregates import encounters as agg
from dashboard.charts import common
from dashboard.i18n import N_, _
from dashboard.datasets import HISTORICAL_ENCOUNTERS

EVENT_COLOR = "#5f6368"
SPAN_COLOR = "rgba(237, 174, 73, 0.18)"


def span_text(start: str | None, end: str | None) -> str:
    """'Jan 2024–Mar 2024' / 'ene 2024–mar 2024' (aggregates.encounters.span_text, in the reader's language)."""
    if not start or not end:
        return ""
    first, last = i18n.month_abbr(start + "-01"), i18n.month_abbr(end + "-01")
    return f"{first}–{last}" if start != end else first


def title_for(label: str) -> str:
    return _("Monthly encounters: {dataset}").format(dataset=label)


def _dimension(breakdown: str) -> str:
    """The breakdown's name in words, in lower case ('citizenship')."""
    return _(agg.DIMENSIONS[breakdown][1]).lower()


def subtitle_for(counted: str, breakdown: str, span: str) -> str:
    counted = counted or _("Encounters")
    if breakdown in agg.DIMENSIONS:
        text = _("{counted}, per month, by {dimension}").format(counted=counted, dimension=_dimension(breakdown))
    else:
        text = _("{counted}, per month").format(counted=counted)
    return f"{text}, {span}" if span else text


def notes_for(dataset: str, rounded: bool, filters_text: str = "") -> list[str]:
    notes = []
    if filters_text:
        notes.append(_("Filtered: {filters}.").format(filters=filters_text))
    if rounded:
        notes.append(_("Values are rounded by the publisher (OHSS); sums of rounded values may differ from "
                       "published totals."))
    if dataset in HISTORICAL_ENCOUNTERS:
        notes.append(_("Apprehensions (Title 8) as recorded before FY2020; not the same count as later "
                       "'encounters'."))
    notes.append(_("Counts from one dataset only; datasets overlap and are never added together."))
    return notes


KEY_NOTE = N_("Numbered markers and dotted lines: policy events (shaded: in force), with date and source:")
MARKER_PX = 16  # a marker's diameter
MIN_PLOT_PX = 600  # the narrowest plot area an image or a wide page gives the chart; markers closer than a
# marker's width at this width would print on top of each other, so they are stacked instead
LEVEL_STEP = 0.06  # one level lower, as a fraction of the plot's height (yaxis2 runs 0–1.04)


def marker_levels(xs: Sequence[pd.Timestamp], lo: pd.Timestamp, hi: pd.Timestamp,
                  plot_px: int = MIN_PLOT_PX) -> list[int]:
    """The level (0 at the top, 1 just under it, ...) of each marker, in the order given (date order), so that
    two markers on one level are at least a marker's width (and 2 px) apart: markers of nearby events are offset
    downwards along their lines, never drawn on top of each other."""
    span = max((hi - lo).total_seconds(), 1.0)
    gap = (MARKER_PX + 2) / plot_px  # as a fraction of the x axis
    ends: list[float] = []  # the x (fraction) of the last marker on each level
    out = []
    for x in xs:
        f = (x - lo).total_seconds() / span
        level = next((i for i, last in enumerate(ends) if f - last >= gap), len(ends))
        if level == len(ends):
            ends.append(f)
        else:
            ends[level] = f
        out.append(level)
    return out


def event_key(events: pd.DataFrame) -> list[str]:
    """'(1) 20 Dec 2018, MPP announced (ABC News)': each numbered marker's number, date, label and source."""
    if events is None or events.empty:
        return []
    out = []
    for row in events.itertuples(index=False):
        start = pd.Timestamp(row.date)
        end = pd.Timestamp(row.end_date) if pd.notna(row.end_date) else None
        when = common.short_day(start) + (f"–{common.short_day(end)}" if end is not None else "")
        source = f" ({row.publisher})" if isinstance(row.publisher, str) and row.publisher else ""
        out.append(f"({row.n}) {when}, {row.event}{source}")
    return out


def _add_events(fig: go.Figure, events: pd.DataFrame, first: pd.Timestamp | None = None,
                axis: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> None:
    """Vertical lines (and a shaded span for events with an end date), each numbered; hover gives label and source.
    Markers that would overlap at the axis' range (`axis`) are stacked along their lines (marker_levels)."""
    if events is None or events.empty:
        return
    xs, texts, hovers, shapes, where = [], [], [], [], []
    for row in events.itertuples(index=False):
        start = pd.Timestamp(row.date)
        end = pd.Timestamp(row.end_date) if pd.notna(row.end_date) else None
        if end is not None:
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": f"{start:%Y-%m-%d}",
                           "x1": f"{end:%Y-%m-%d}", "y0": 0, "y1": 1, "fillcolor": SPAN_COLOR, "line": {"width": 0},
                           "layer": "below"})
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": f"{start:%Y-%m-%d}",
                       "x1": f"{start:%Y-%m-%d}", "y0": 0, "y1": 1,
                       "line": {"width": 1, "dash": "dot", "color": EVENT_COLOR}})
        when = common.short_day(start) + (f" – {common.short_day(end)}" if end is not None else "")
        shown = max(start, first) if first is not None else start  # a span begun earlier: mark its visible start
        where.append(shown)
        xs.append(f"{shown:%Y-%m-%d}")
        texts.append(str(row.n))
        hovers.append(f"<b>{row.n}. {common.plain(row.event)}</b><br>{when}<br>"
                      + _("Source: {sources}").format(sources=common.plain(row.publisher)))
    lo, hi = axis if axis is not None else (min(where), max(where))
    levels = marker_levels(where, lo, hi)
    fig.add_trace(dict(
        type="scatter", x=xs, y=[round(1.0 - LEVEL_STEP * lv, 3) for lv in levels], yaxis="y2",
        mode="markers+text", text=texts,
        textposition="middle center",
        marker={"size": MARKER_PX, "color": "white", "line": {"color": EVENT_COLOR, "width": 1}},
        textfont={"size": 9, "color": "#202124"}, hovertext=hovers, hoverinfo="text", name=_("Policy events"),
        showlegend=False, cliponaxis=False, meta={"export": "label"},  # positions, not values: exported as labels
    ))
    fig.update_layout(shapes=shapes,
                      yaxis2={"overlaying": "y", "range": [0, 1.04], "visible": False, "fixedrange": True})


def _fit_footer(fig: go.Figure) -> None:
    """Keep every line of the notes and source inside the figure: charts.common.finish places the footer
    lower the more lines it has, so its last lines fall outside the bottom margin."""
    if not fig.layout.annotations:
        return
    foot = fig.layout.annotations[-1]
    lines = (foot.text or "").count("<br>") + 1
    foot.yshift = -40
    fig.update_layout(margin={"b": 50 + 16 * lines}, height=480 + 16 * lines)


def encounters_chart(s: agg.Series, *, dataset: str, label: str = "", counted: str = "", mode: str = "stacked",
                     scale: str = "linear", events: pd.DataFrame | None = None,
                     sources: Sequence[tuple[str, str | None]] = (), rounded: bool = False,
                     filters_text: str = "") -> go.Figure:
    """`label` (the dataset in words) and `counted` (what it counts) as the release describes the dataset."""
    span = span_text(s.start, s.end)
    title = title_for(label or dataset)
    subtitle = subtitle_for(counted, s.breakdown, span)
    if s.empty_reason or s.frame.empty:
        return common.empty(title, subtitle, s.empty_reason or _("no data"))
    groups = list(dict.fromkeys(s.frame["group"]))
    stacked = mode == "stacked" and len(groups) > 1
    traces, rings = [], ([], [])
    below = None  # stacked: the top of the groups drawn so far, month by month (where a ring sits)
    for i, (group, part) in enumerate(s.frame.groupby("group", sort=False)):
        name = common.plain(group) if group else _("All encounters")
        xs = part["month"].dt.strftime("%Y-%m-%d").tolist()
        ys = part["count"].round().astype("int64")
        when, extra = common.month_hover(xs)
        trace = {
            "type": "scatter", "x": xs, "y": ys.tolist(), "name": name, "mode": "lines",
            "line": {"width": 1.5 if stacked else 2, "color": common.COLORS[i % len(common.COLORS)]},
            "hovertemplate": f"{name}<br>{when}: %{{y:,.0f}}<extra></extra>", **extra,
        }
        if stacked:
            trace["stackgroup"] = "one"
        tops = ys.to_numpy() + (below if stacked and below is not None else 0)
        below = tops if stacked else None
        hit = (part["revised_in"].astype(str) != "").to_numpy() if "revised_in" in part else []
        if len(hit) and hit.any():  # revised months: a ring, and the hover says what was first published
            trace["customdata"] = common.revised_hovers(part)
            trace["hovertemplate"] = f"{name}<br>{when}: %{{y:,.0f}}%{{customdata}}<extra></extra>"
            rings[0].extend(x for x, h in zip(xs, hit) if h)
            rings[1].extend(int(y) for y, h in zip(tops, hit) if h)
        traces.append(trace)
    if rings[0]:
        traces.append(common.revised_ring(*rings))
    # traces are built as plain dicts of known-good properties: skipping plotly's per-point validation
    # keeps a callback well under 100 ms
    fig = go.Figure(data=traces, _validate=False)
    lo = pd.Timestamp(s.start + "-01")
    hi = pd.Timestamp(s.end + "-01")
    pad = pd.Timedelta(days=15)  # an event span (Title 42) that starts earlier never widens the axis
    _add_events(fig, events, lo, (lo - pad, hi + pad))
    fig.update_yaxes(type="log" if scale == "log" else "linear", title_text=_("Encounters per month"),
                     rangemode="tozero" if scale != "log" else None)
    fig.update_xaxes(type="date", range=[f"{lo - pad:%Y-%m-%d}", f"{hi + pad:%Y-%m-%d}"], **common.date_axis(lo, hi))
    if scale != "log" and not common.english():  # "300,000", as a Mexican newspaper prints it, not "300k"
        fig.update_yaxes(tickformat=",")
    if scale == "log":  # labelled 1k, 2k, 5k, 10k… rather than Plotly's "5, 2, 10k, 5, 2, 1000"
        counts = s.frame["count"].round()
        top = s.frame.groupby("month")["count"].sum().round().max() if stacked else counts.max()
        low = counts[counts > 0].min() if (counts > 0).any() else None
        if low is not None and pd.notna(top) and top > 0:
            fig.update_yaxes(**common.log_ticks(float(low), float(top)))
    key = event_key(events)
    common.finish(fig, title=title, subtitle=subtitle, source=common.source_line(sources),
                  notes=notes_for(dataset, rounded, filters_text) + ([_(common.REVISED_NOTE)] if rings[0] else [])
                  + ([_(KEY_NOTE)] if key else []), height=520, key=key)
    _fit_footer(fig)
    fig.update_layout(hovermode="x unified" if len(groups) > 1 else "closest", showlegend=len(groups) > 1)
    if len(groups) > 1:  # legend to the right, so that it never covers the notes and source line below
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
                          margin={"r": 170})
    return fig


def alt_text(s: agg.Series, dataset_label: str) -> str:
    """What the chart shows, its highest and lowest months, and the period."""
    label = _("Monthly encounters, {dataset}").format(dataset=dataset_label)
    if s.empty_reason or s.frame.empty:
        return _("{label}: no data ({reason}).").format(label=label, reason=s.empty_reason or _("no rows"))
    totals = s.totals().dropna()
    items = [(i18n.month_year(m), float(v)) for m, v in totals.items()]
    text = common.describe_extremes(label, items, span_text(s.start, s.end))
    if s.breakdown != "none":
        by_group = s.frame.groupby("group")["count"].sum().sort_values(ascending=False)
        top = ", ".join(f"{g} ({common.fmt(v)})" for g, v in by_group.head(3).items())
        text += " " + _("Largest groups by {dimension} over the period: {groups}.").format(
            dimension=_dimension(s.breakdown), groups=top)
    return text
