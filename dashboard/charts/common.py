"""What every chart carries: a title, a subtitle saying what is counted, a source line; and plain text."""
from __future__ import annotations

import html as _html
from typing import Iterable, Sequence

import plotly.graph_objects as go

from .. import i18n
from ..i18n import N_, _
from ..vocabulary import fmt, qualified, with_retrieved  # noqa: F401  (chart builders write numbers through these)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# The palette for series that are not border cities (sectors, states, kinds of figure): 21 colours, so that up to
# 21 series (every Border Patrol sector) never share one. They are Kenneth L. Kelly's "twenty-two colors of maximum
# contrast" (Color Engineering 3(6), 1965, in the sRGB values commonly published for them) without white, reordered
# so that the first few are the strongest on white. A border city is always drawn in its own colour from the places
# table (data/reference/places.csv, column colour).
COLORS = ["#0067A5", "#F38400", "#008856", "#BE0032", "#875692", "#882D17", "#E68FAC", "#848482", "#8DB600",
          "#A1CAF1", "#F6A600", "#604E97", "#E25822", "#B3446C", "#C2B280", "#2B3D26", "#F99379", "#654522",
          "#DCD300", "#F3C300", "#222222"]
NO_DATA = "#9aa0a6"


def plain(text: object) -> str:
    """Text from data made safe for Plotly, which would otherwise read a few HTML tags in it."""
    return _html.escape(str(text), quote=False)


def source_line(sources: Iterable[tuple[str, str | None]]) -> str:
    """'Source: U.S. CBP (retrieved 2026-11-27); INEGI via Gargiulo et al. (retrieved 2026-11-27)'; in Spanish
    'Fuente: U.S. CBP (consultado el 27 de noviembre de 2026); …'."""
    parts = [with_retrieved(publisher, retrieved) for publisher, retrieved in sources]
    return _("Source: {sources}").format(sources="; ".join(dict.fromkeys(parts))) if parts else ""


def wrap(line: str, width: int = 150) -> str:
    """A long source line broken after '; ' (Plotly does not wrap text) so that it stays inside the figure; a
    piece still longer than the width (one long sentence: Spanish runs some 20% longer) between words."""
    import textwrap

    if len(line) <= width:
        return line
    out, cur = [], ""
    for part in line.split("; "):
        if cur and len(cur) + len(part) + 2 > width:
            out.append(cur + ";")
            cur = part
        else:
            cur = f"{cur}; {part}" if cur else part
    out.append(cur)
    lines = [piece for text in out
             for piece in (textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text])]
    return "<br>".join(lines)


TITLE_PAD = 12  # pixels between the figure's left edge and its title: a title never touches the edge
TITLE_TOP = 26  # and from the top edge to the title's first line (plotly lifts a two-line title by about a line)


def key_lines(key: Sequence[str], width: int = 150) -> list[str]:
    """The items of a chart's key ('(1) 20 Dec 2018, MPP announced'), several to a line, each item whole."""
    lines, cur = [], ""
    for item in key:
        if cur and len(cur) + len(item) + 5 > width:
            lines.append(cur)
            cur = item
        else:
            cur = f"{cur}   ·   {item}" if cur else item
    return lines + ([cur] if cur else [])


def finish(fig: go.Figure, *, title: str, subtitle: str, source: str, notes: Sequence[str] = (),
           height: int | None = 460, key: Sequence[str] = ()) -> go.Figure:
    """Title, subtitle and source line (and notes on qualifiers) set on the figure itself, so they
    travel with any export of it. `key` explains the chart's numbered marks (policy markers): one item
    per mark, printed in the footer between the notes and the source line, so that an image, an SVG,
    a PDF or an embed that has only the figure still says what every mark is."""
    foot = "<br>".join([*(wrap(plain(x)) for x in notes if x), *(plain(x) for x in key_lines(key)),
                        *([wrap(plain(source))] if source else [])])
    lines = foot.count("<br>") + 1 if foot else 0
    fig.update_layout(
        title={"text": f"<b>{plain(title)}</b><br><span style='font-size:13px'>{plain(subtitle)}</span>",
               "x": 0, "xanchor": "left", "y": 1, "yanchor": "top",
               "pad": {"l": TITLE_PAD, "t": TITLE_TOP}},  # in pixels: the same margin at any export height
        font={"family": FONT, "size": 13, "color": "#202124"},
        margin={"l": 60, "r": 20, "t": 80, "b": 60 + 16 * lines},
        paper_bgcolor="white", plot_bgcolor="white", colorway=COLORS,
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        meta={"title": title, "subtitle": subtitle, "source": source, "notes": list(notes),
              **({"key": list(key)} if key else {})},
    )
    if height:
        fig.update_layout(height=height)
    fig.update_xaxes(showgrid=False, linecolor="#5f6368", ticks="outside")
    fig.update_yaxes(gridcolor="#e8eaed", zeroline=False)
    if foot:
        # anchored in the bottom margin, below the x axis labels: it grows downwards into the margin
        fig.add_annotation(text=foot, name="footer", xref="paper", yref="paper", x=0, y=0, yshift=-40,
                           xanchor="left", yanchor="top", showarrow=False, align="left",
                           font={"size": 11, "color": "#5f6368"})
    return fig


def empty(title: str, subtitle: str, reason: str) -> go.Figure:
    """A chart with no data says why, instead of drawing zeros. The title, subtitle and reason are looked up in
    the catalogue too (a caller may hand a module's English constant, as views do with a chart's TITLE): text
    already in the reader's language, or from data, is not in it and stays as it is."""
    fig = go.Figure()
    title, subtitle, reason = _(title), _(subtitle), _(reason)
    fig.add_annotation(text=_("No data: {reason}").format(reason=plain(reason)), xref="paper", yref="paper", x=0.5, y=0.5,
                       showarrow=False, font={"size": 15, "color": NO_DATA})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title=title, subtitle=subtitle, source="")


def describe_extremes(label: str, items: Sequence[tuple[str, float]], period: str = "") -> str:
    """A plain-language text alternative: what is compared, the highest and the lowest values."""
    items = [(k, v) for k, v in items if v is not None]
    if not items:
        return _("{label}: no data.").format(label=label)
    hi = max(items, key=lambda kv: kv[1])
    lo = min(items, key=lambda kv: kv[1])
    label = f"{label} {period}" if period else label
    if hi == lo:
        return f"{label}: {hi[0]} {fmt(hi[1])}."
    return _("{label}: highest {high} ({high_value}), lowest {low} ({low_value}); {n} values.").format(
        label=label, high=hi[0], high_value=fmt(hi[1]), low=lo[0], low_value=fmt(lo[1]), n=len(items))


def log_ticks(lo: float, hi: float) -> dict:
    """Explicit ticks for a log axis spanning the values lo..hi (both > 0): 1, 2, 5 times each power of ten
    (only the powers of ten when the axis spans more than three of them), written 1k, 2k, 5k, 10k, 1M…
    Plotly's own log ticks read "5, 2, 10k, 5, 2, 1000"."""
    import math

    lo, hi = min(lo, hi), max(lo, hi)
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    steps = (1,) if last - first > 3 else (1, 2, 5)
    vals = [m * 10 ** e for e in range(first, last + 1) for m in steps]
    vals = [v for v in vals if lo <= v <= hi] or [10 ** first]
    return {"tickvals": vals, "ticktext": [short_number(v) for v in vals]}


def short_number(v: float) -> str:
    """1500 -> '1.5k', 2000000 -> '2M', 0.5 -> '0.5' (Spanish: '1.5 mil', '2 M')."""
    for size, template in ((1e9, N_("{n}B")), (1e6, N_("{n}M")), (1e3, N_("{n}k"))):
        if abs(v) >= size:
            return _(template).format(n=f"{v / size:g}")
    return f"{v:g}"


# ---- dates on axes and in hovers, in the reader's language. Plotly writes month names with its own (English)
# locale, and its Spanish locale is not bundled (nothing from a CDN): a Spanish date axis gets ticks at a fixed
# step (tick0, dtick) written '%b %Y' by Plotly and renamed by `labelalias` to what Babel writes (i18n.month_abbr:
# "ene 2021"); a hover the month as text. (Not tickvals/ticktext: the phone layout, assets/app.js, thins explicit
# tick lists by their position, which it reckons for numbers only, and would drop every date tick.)

def month_ticks(first, last, most: int = 5) -> dict:
    """Ticks for a date axis running from `first` to `last`: every year (or 2, 5, 10 years) written '2019' when
    the axis spans more than two years, else every 1, 2, 3 or 6 months written 'ene 2021' / 'Jan 2021' (Babel);
    at most `most` ticks (a phone's width). `labelalias` holds each tick's label: Plotly's English -> the reader's."""
    import pandas as pd

    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if b < a:
        a, b = b, a
    months = (b.year - a.year) * 12 + b.month - a.month
    if months > 24:
        years = range(a.year + (1 if (a.month, a.day) != (1, 1) else 0), b.year + 1)
        step = next((s for s in (1, 2, 5, 10, 20, 50) if len(years) / s <= most), 100)
        start = next((y for y in years if y % step == 0), a.year + 1)
        return {"tick0": f"{start}-01-01", "dtick": f"M{12 * step}", "tickformat": "%Y"}
    step = next((s for s in (1, 2, 3, 6, 12) if (months + 1) / s <= most), 12)
    t = pd.Timestamp(year=a.year, month=a.month, day=1)
    if t < a:
        t += pd.DateOffset(months=1)
    while (t.month - 1) % step:
        t += pd.DateOffset(months=1)
    ticks = []
    while t <= b + pd.DateOffset(months=step):  # and one past the end: the axis' padding may show it
        ticks.append(t)
        t += pd.DateOffset(months=step)
    return {"tick0": f"{ticks[0]:%Y-%m-%d}" if ticks else f"{a:%Y-%m-01}", "dtick": f"M{step}",
            "tickformat": "%b %Y", "labelalias": {_plotly_month(t): i18n.month_abbr(t) for t in ticks}}


def _plotly_month(when) -> str:
    """'Jan 2021': a month as Plotly's own (en-US) locale writes a '%b %Y' tick, whatever the server's locale."""
    from babel.dates import format_date

    return format_date(when.date(), format="LLL y", locale="en_US")


def english() -> bool:
    return i18n.lang() == i18n.DEFAULT


def date_axis(first, last, most: int = 7) -> dict:
    """What a date axis needs to read in the reader's language: nothing in English (Plotly's own ticks); in
    Spanish ticks at a fixed step renamed by Babel (month_ticks) and a unified hover's header written as figures
    ('2021-03')."""
    if english():
        return {}
    return {**month_ticks(first, last, most), "hoverformat": "%Y-%m"}


def short_day(when) -> str:
    """'20 Dec 2018' / '20 dic 2018': a day in a chart's key or hover."""
    import pandas as pd

    t = pd.Timestamp(when)
    if english():
        return f"{t.day} {t:%b %Y}"
    from babel.dates import format_date

    return format_date(t.date(), format="d MMM y", locale=i18n.locale()).replace(".", "")


def month_hover(xs, fmt: str = "%b %Y") -> tuple[str, dict]:
    """The piece of a hover template that shows a trace's month, and what the trace needs for it: in English
    Plotly's '%{x|%b %Y}'; in Spanish '%{hovertext}' with each month written by Babel ('ene 2021'), as Plotly
    would write the month in English. `fmt` '%Y': the year alone (annual series), the same in every language."""
    if fmt == "%Y":
        return "%{x|%Y}", {}
    if english():
        return "%{x|" + fmt + "}", {}
    import pandas as pd

    return "%{hovertext}", {"hovertext": [i18n.month_abbr(pd.Timestamp(x)) for x in xs]}


# ---- revised figures (aggregates.revised): a ring around the point, the first-published value in its hover

REVISED_COLOR = "#202124"
REVISED_NOTE = N_("Ringed points: figures the publisher revised; hover for the value first published.")
REVISED_NOTE_BARS = N_("Outlined bars: figures the publisher revised; hover for the value first published.")


def revised_hovers(points) -> list[str]:
    """'<br>revised: first published as 3,400 (2026-11-27)' per point of a frame with first_published,
    first_date and revised_in (aggregates.revised.totals), '' for a point that was not revised: the end of a
    hover template ('%{customdata}')."""
    from dashboard.aggregates.revised import hover

    out = []
    for first, when, last in zip(points["first_published"], points["first_date"], points["revised_in"]):
        text = hover(first, when if isinstance(when, str) else "", last if isinstance(last, str) else "")
        out.append(f"<br>{plain(text)}" if text else "")
    return out


def revised_ring(xs: Sequence, ys: Sequence, *, xaxis: str | None = None, yaxis: str | None = None) -> dict:
    """A trace of open rings at the revised points (x, y as the data trace plots them): decoration, not values
    (hoverinfo 'skip': the data trace's own hover says what was first published, and exports leave it out)."""
    trace = {"type": "scatter", "mode": "markers", "x": list(xs), "y": list(ys), "name": _("Revised figures"),
             "marker": {"symbol": "circle-open", "size": 13, "color": REVISED_COLOR, "line": {"width": 2}},
             "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}
    if xaxis:
        trace["xaxis"] = xaxis
    if yaxis:
        trace["yaxis"] = yaxis
    return trace
