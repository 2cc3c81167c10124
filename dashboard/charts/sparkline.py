"""Small trend charts for the Overview cards: the series behind a card's number over the last years.

Pure: a `Trend` (from dashboard.aggregates.overview) in, a Plotly figure dict and a text alternative out. Static
(the page draws them with staticPlot, no mode bar), no title of their own (the card carries it), readable at
390 px: only the first and last period are labelled on the axis, and the latest value is marked.
"""
from __future__ import annotations

import pandas as pd

from ..i18n import N_, _
from ..vocabulary import fmt, qualified
from .common import COLORS, FONT, NO_DATA, plain

HEIGHT = 86
LINE = COLORS[0]


def figure(trend) -> dict:
    """A small line (a monthly or yearly series) or dots (reported figures, one per figure and date)."""
    layout = {
        "height": HEIGHT, "margin": {"l": 38, "r": 30, "t": 6, "b": 20}, "showlegend": False,
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "font": {"family": FONT, "size": 10},
        # the phone layout (assets/app.js) leaves a figure marked so as it is: it has no title or notes to re-wrap
        "meta": {"phone": "as is"},
        "xaxis": {"showgrid": False, "zeroline": False, "fixedrange": True, "ticks": "", "tickfont": {"size": 10}},
        "yaxis": {"showgrid": True, "gridcolor": "#e8e8e8", "zeroline": False, "fixedrange": True, "nticks": 3,
                  "tickfont": {"size": 10}, "rangemode": "tozero"},
    }
    if trend is None or not trend.x:
        layout["xaxis"]["visible"] = layout["yaxis"]["visible"] = False
        layout["annotations"] = [{"text": _("no trend to draw"), "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
                                  "showarrow": False, "font": {"color": NO_DATA, "size": 11}}]
        return {"data": [], "layout": layout}
    x, y = list(trend.x), [float(v) for v in trend.y]
    hi = max(y) if y else 0
    # only the top of the axis is labelled (it starts at 0); a 0 label would crowd the first period's label
    layout["yaxis"]["tickvals"] = [hi] if hi else []
    layout["yaxis"]["ticktext"] = [rounded(hi)] if hi else []
    layout["yaxis"]["range"] = [0, hi * 1.15 if hi else 1]
    labels = trend.tick_labels or [str(v) for v in x]
    layout["xaxis"]["tickvals"] = [x[0], x[-1]] if len(x) > 1 else [x[0]]
    layout["xaxis"]["ticktext"] = [labels[0], labels[-1]] if len(x) > 1 else [labels[0]]
    if trend.kind == "dots":
        lead = list(trend.lead) if trend.lead else [False] * len(x)
        data = [{"type": "scatter", "mode": "markers", "x": x, "y": y, "hoverinfo": "skip",
                 "marker": {"size": [11 if is_lead else 8 for is_lead in lead],
                            "symbol": ["circle" if is_lead else "circle-open" for is_lead in lead],
                            "color": LINE, "line": {"color": LINE, "width": 2}}}]
        first, last = pd.Timestamp(x[0]), pd.Timestamp(x[-1])
        pad = max((last - first) * 0.1, pd.Timedelta(days=45))  # a dot never sits on the axis
        layout["xaxis"]["range"] = [f"{first - pad:%Y-%m-%d}", f"{last + pad:%Y-%m-%d}"]
        return {"data": data, "layout": layout}
    data = [
        {"type": "scatter", "mode": "lines", "x": x, "y": y, "hoverinfo": "skip", "line": {"color": LINE, "width": 2},
         "fill": "tozeroy", "fillcolor": "rgba(0,103,165,0.10)"},
        {"type": "scatter", "mode": "markers", "x": [x[-1]], "y": [y[-1]], "hoverinfo": "skip",
         "marker": {"size": 7, "color": LINE}},
    ]
    return {"data": data, "layout": layout}


def rounded(v: float) -> str:
    """The top of the small chart's axis in three figures at most: 301,981 -> '302k', 4,604 -> '4.6k'."""
    for size, template in ((1e6, N_("{n}M")), (1e3, N_("{n}k"))):
        if v >= size:
            return _(template).format(n=f"{v / size:.3g}")
    return f"{v:.3g}"


def text(trend) -> str:
    """The text alternative: what the small chart shows, its first, last, highest and lowest values."""
    if trend is None or not trend.x:
        return _("Trend: no series to draw.")
    labels = trend.tick_labels or [str(v) for v in trend.x]
    what = plain(trend.what)
    if trend.kind == "dots":
        words = [f"{qualified(v, q)} ({lab})" for v, q, lab in zip(trend.y, trend.qualifiers, labels)]
        out = f"{what}: " + "; ".join(words) + "."
        return out + (f" {trend.undrawn}" if trend.undrawn else "")
    pairs = list(zip(labels, trend.y))
    hi = max(pairs, key=lambda p: p[1])
    lo = min(pairs, key=lambda p: p[1])
    out = _("{what}, {first} to {last}: {start} at the start, {end} in {last}; highest {high} ({high_when}), "
            "lowest {low} ({low_when}).").format(
        what=what, first=labels[0], last=labels[-1], start=fmt(pairs[0][1]), end=fmt(pairs[-1][1]),
        high=fmt(hi[1]), high_when=hi[0], low=fmt(lo[1]), low_when=lo[0])
    return out + (f" {trend.undrawn}" if trend.undrawn else "")
