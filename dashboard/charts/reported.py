"""Reported figures per city: one panel per metric, one marker per figure, never a sum or a line.

Lower bounds ("more than", "at least") are drawn as a marker with an arrow running on to the
right (an open-ended bar) and "more than" in the label; approximate values say "about"; upper
bounds point left. Every label says its qualifier in words (vocabulary.qualified). Every string
from data goes through `common.plain`.
"""
from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from . import common
from ..i18n import N_, _, ngettext
from ..vocabulary import LOWER_BOUNDS, UPPER_BOUNDS

TITLE = N_("Reported figures by city")
SUBTITLE = N_("Each marker is one figure as a report stated it; panels separate what was counted, "
              "and figures with different definitions are never added together")
SUBTITLE_PC = N_("Each marker is one figure per 100,000 residents of the city (CONAPO mid-year population); "
                 "figures with different definitions are never added together")

STYLES = {  # qualifier group -> (legend name, marker symbol, filled); the name is translated where shown
    "exact": (N_("Exact figure"), "circle", True),
    "approx": (N_("About (approximate)"), "circle-open", False),
    "estimate": (N_("An estimate"), "diamond-open", False),
    "lower": (N_("Lower bound (more than / at least) →"), "triangle-right", True),
    "upper": (N_("Upper bound (up to / less than) ←"), "triangle-left", False),
}


def style_of(qualifier: str) -> str:
    if qualifier in LOWER_BOUNDS:
        return "lower"
    if qualifier in UPPER_BOUNDS:
        return "upper"
    if qualifier == "approximately":
        return "approx"
    if qualifier == "estimate":
        return "estimate"
    return "exact"


def wrap_source(line: str, width: int = 120) -> list[str]:
    return textwrap.wrap(line, width) or [""]


CURATED = N_("figures as published, curated in the borderstats reported-figures table")


def source_for(publishers) -> str:
    """The publishers, and the curated table the figures were read into. No retrieval date: each figure is as its
    report published it (the date beside each figure), and the day a release read the curated file is not a day
    anyone retrieved them."""
    pubs = [(str(p), None) for p in dict.fromkeys(publishers) if p]
    return common.source_line(pubs + [(_(CURATED), None)])


def label_for(value: float, qualifier: str, per_capita: bool) -> str:
    """'more than 16,400', 'about 13,000', 'about 1.2 per 100,000': the figure as reported, qualifier in words."""
    if per_capita:
        return _("{value} per 100,000").format(value=common.qualified(value, qualifier, digits=1))
    return common.qualified(value, qualifier)


def _row_labels(rows: list[dict]) -> list[str]:
    labels, seen = [], {}
    for r in rows:
        base = f"{r['place']} · {r['date']}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        labels.append(base if n == 0 else f"{base} ({n + 1})")
    return labels


def _panels(counts: list[int], gap: float = 0.06) -> list[tuple[float, float]]:
    """Vertical domains (bottom, top) of the panels, top to bottom, heights in proportion to their rows."""
    weights = [c + 1.5 for c in counts]
    gap = min(gap, 0.5 / max(len(counts) - 1, 1)) if len(counts) > 1 else 0
    usable = 1 - gap * (len(counts) - 1)
    top, out = 1.0, []
    for w in weights:
        h = usable * w / sum(weights)
        out.append((max(top - h, 0.0), top))
        top -= h + gap
    return out


def figures_chart(rows: pd.DataFrame, *, per_capita: bool = False, dropped: int = 0) -> go.Figure:
    subtitle = _(SUBTITLE_PC) if per_capita else _(SUBTITLE)
    if rows.empty:
        reason = (_("no figure for a city with a known population matches the filters") if per_capita
                  else _("no reported figure matches the filters"))
        return common.empty(_(TITLE), subtitle, reason)
    records = rows.to_dict("records")
    metrics = list(dict.fromkeys(r["metric"] for r in records))
    by_metric = {m: [r for r in records if r["metric"] == m] for m in metrics}
    counts = [len(by_metric[m]) for m in metrics]
    domains = _panels(counts)
    traces, layout, annotations = [], {}, []
    shown = set()
    for i, metric in enumerate(metrics, start=1):
        xa, ya = f"x{i if i > 1 else ''}", f"y{i if i > 1 else ''}"
        color = common.COLORS[(i - 1) % len(common.COLORS)]
        sub = by_metric[metric]
        for r, y in zip(sub, _row_labels(sub)):
            r["y"] = y
        # open-ended bars for lower bounds: a dotted run from the value on to the right, ending in an arrow
        for r in sub:
            if r["qualifier"] in LOWER_BOUNDS:
                traces.append({
                    "type": "scatter", "x": [r["value"], r["value"] * 1.8], "y": [r["y"], r["y"]], "xaxis": xa,
                    "yaxis": ya, "mode": "lines+markers", "line": {"dash": "dot", "width": 2, "color": color},
                    "marker": {"symbol": ["line-ns", "arrow-right"], "size": [1, 11], "color": color},
                    "hoverinfo": "skip", "showlegend": False, "legendgroup": "lower"})
        for key in ("exact", "approx", "estimate", "lower", "upper"):
            part = [r for r in sub if style_of(r["qualifier"]) == key]
            if not part:
                continue
            name, symbol, _filled = STYLES[key]
            hover = [
                "<br>".join(x for x in [
                    f"<b>{common.plain(label_for(r['value'], r['qualifier'], per_capita))}</b> — "
                    f"{common.plain(r['place'])}",
                    common.plain(textwrap.shorten(r["definition"], 110)),
                    f"“{common.plain(textwrap.shorten(r['quote'], 110))}”" if r["quote"] else "",
                    f"{common.plain(r['publisher'])}, {common.plain(r['date'])}",
                ] if x)
                for r in part
            ]
            traces.append({
                "type": "scatter", "x": [r["value"] for r in part], "y": [r["y"] for r in part], "xaxis": xa,
                "yaxis": ya, "mode": "markers+text",
                "text": [common.plain(label_for(r["value"], r["qualifier"], per_capita)) for r in part],
                "textposition": "top center", "cliponaxis": False, "textfont": {"size": 11, "color": "#202124"},
                "marker": {"symbol": symbol, "size": 12, "color": color, "line": {"width": 2, "color": color}},
                "name": _(name), "legendgroup": key, "showlegend": key not in shown,
                "hovertext": hover, "hoverinfo": "text"})
            shown.add(key)
        bottom, top = domains[i - 1]
        lo = math.log10(min(r["value"] for r in sub))
        hi = math.log10(max(r["value"] * (1.8 if r["qualifier"] in LOWER_BOUNDS else 1) for r in sub))
        span = hi - lo
        pad = max(0.25, 0.08 * span)
        layout[f"xaxis{i if i > 1 else ''}"] = {
            "type": "log", "anchor": ya, "domain": [0, 1], "automargin": True, "range": [lo - pad, hi + pad],
            **common.log_ticks(10 ** (lo - pad), 10 ** (hi + pad)),
            "title": {"text": _("per 100,000 residents (log scale)") if per_capita and i == len(metrics) else ""}}
        layout[f"yaxis{i if i > 1 else ''}"] = {"anchor": xa, "domain": [bottom, top], "autorange": "reversed",
                                                "automargin": True, "type": "category"}
        label = sub[0]["metric_label"]
        annotations.append({"text": f"<b>{common.plain(label)}</b>", "xref": "paper", "yref": "paper", "x": 0,
                            "y": top, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": 13}})
    layout["annotations"] = annotations
    fig = go.Figure(data=traces, layout=layout)
    notes = [_("Log scale. Labels give each figure as reported: “more than” and “at least” are lower bounds "
               "(arrow to the right), “about” an approximate figure.")]
    if per_capita and dropped:
        notes.append(ngettext("{n} figure without a city population (border-wide, U.S. ports) is not shown per "
                              "capita.",
                              "{n} figures without a city population (border-wide, U.S. ports) are not shown per "
                              "capita.", dropped).format(n=dropped))
    source = source_for(rows["publisher"])
    lines = wrap_source(source)
    height = 230 + 36 * len(rows) + 80 * len(metrics) + 16 * len(lines)
    fig = common.finish(fig, title=_(TITLE), subtitle=subtitle, source=lines[-1], notes=[*notes, *lines[:-1]],
                        height=height)
    top_margin = 140
    plot_height = height - top_margin - fig.layout.margin.b
    fig.update_layout(meta={**fig.layout.meta, "source": source, "notes": notes},
                      legend={"y": 1 + 28 / max(plot_height, 1), "yanchor": "bottom", "x": 0, "orientation": "h"},
                      margin={"t": top_margin, "l": 20})
    return fig


def _extremes(label: str, items: list[tuple[str, str, float]]) -> str:
    """'People returned…: highest Border-wide, more than 70,000; lowest Ciudad Juárez, about 13,000; 9 figures.'"""
    if not items:
        return _("{label}: no data.").format(label=label)
    hi = max(items, key=lambda t: t[2])
    lo = min(items, key=lambda t: t[2])
    if len(items) == 1:
        return f"{label}: {hi[0]}, {hi[1]}."
    return _("{label}: highest {high}, {high_value}; lowest {low}, {low_value}; {n} figures.").format(
        label=label, high=hi[0], high_value=hi[1], low=lo[0], low_value=lo[1], n=len(items))


def alt_text(rows: pd.DataFrame, *, per_capita: bool = False) -> str:
    """What the chart shows, with the highest and lowest figure of each panel and the period."""
    if rows.empty:
        return _("Reported figures by city: no figure matches the filters.")
    dates = sorted(d for d in rows["date"] if d and d[0].isdigit())
    head = ngettext("{n} reported figure", "{n} reported figures", len(rows)).format(n=len(rows)) + " " + \
        ngettext("in {n} panel, one per metric", "in {n} panels, one per metric",
                 rows["metric"].nunique()).format(n=rows["metric"].nunique())
    if per_capita:
        head += _(", per 100,000 residents")
    if dates:
        head += _(", dated {first} to {last}").format(first=dates[0], last=dates[-1])
    parts = [head + "."]
    for metric, sub in rows.groupby("metric", sort=False):
        items = [(str(r["place"]), label_for(r["value"], r["qualifier"], per_capita), float(r["value"]))
                 for _i, r in sub.iterrows()]
        parts.append(_extremes(str(sub["metric_label"].iloc[0]), items))
    return " ".join(parts)
