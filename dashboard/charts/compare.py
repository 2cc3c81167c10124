"""Compare cities: chart builders (tidy frame in, Plotly figure out). Pure functions.

Speed: building a figure through Plotly's validating property API (and `common.finish` on it)
costs 10–30 ms per chart, too slow for this page's callbacks (five charts per change). So the
builders assemble plain dicts, and `_finish` applies `common.finish` once per distinct frame (title,
subtitle, source, notes, height) to a skeleton figure, caches the finished layout, and copies its
axis styling onto every panel's axes, which is what `finish`'s update_xaxes/update_yaxes do. The
builders return a Figure (wrapped with validation off), or with `as_dict=True` the dict itself,
which the page's callback sends as is. The tests re-validate every figure the builders return.

Every chart has a title, a subtitle saying what is counted and a source line; a city with
no value is labelled "no data: <reason>" on its row, never drawn as zero; a reported
figure keeps its qualifier, in words ("about 13,000"; a lower bound is drawn as an open-ended
dotted arrow labelled "more than 16,400" or "at least …", never as an exact value).
"""
from __future__ import annotations

import copy
import math
import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from .. import i18n
from ..i18n import N_, _
from ..vocabulary import LOWER_BOUNDS as LOWER, UPPER_BOUNDS as UPPER, marked
from . import common
from ..place_groups import FALLBACK_COLOUR
from .common import plain

SYMBOL = {"exact": "circle", "approximately": "circle-open", "more_than": "line-ns", "at_least": "line-ns",
          "less_than": "line-ns", "up_to": "line-ns", "estimate": "diamond-open"}
METRIC_TITLES = {
    "mpp_returned": N_("People returned to the city under MPP"),
    "mpp_enrolled": N_("People enrolled in MPP"),
    "mpp_court_cases": N_("MPP court cases by hearing location (a U.S. port paired with the city)"),
}


NOTE_WIDTH = 110  # characters per line of a chart's notes, so that they fit the page's width


@lru_cache(maxsize=2048)
def _frame(title: str, subtitle: str, source: str, notes: tuple, height: int | None) -> dict:
    """`common.finish` applied to a skeleton figure (one x and one y axis): the finished layout.
    Cached and shared: never mutate it."""
    skeleton = go.Figure({"layout": {"xaxis": {}, "yaxis": {}}})
    return common.finish(skeleton, title=title, subtitle=subtitle, source=source, notes=list(notes),
                         height=height).to_plotly_json()["layout"]


def _finish(traces: list, layout: dict, *, title: str, subtitle: str, source: str, notes: Sequence[str] = (),
            height: int | None = None) -> dict:
    """The figure (as a dict) that `common.finish(go.Figure(traces, layout), ...)` gives, without its cost:
    the cached finished frame's layout, with its axis styling copied onto every panel's axes.
    New containers are built at the top level; the frame's nested parts are shared, not copied."""
    wrapped = tuple(line for note in notes for line in textwrap.wrap(note, NOTE_WIDTH)) if notes else ()
    if height:
        height += 16 * (len(wrapped) - len(notes))
    notes = wrapped
    frame = _frame(title, subtitle, source, notes, height)
    xstyle, ystyle = frame.get("xaxis", {}), frame.get("yaxis", {})
    out = {**layout, **{k: v for k, v in frame.items() if k not in ("annotations", "xaxis", "yaxis")}}
    out["annotations"] = list(layout.get("annotations", [])) + list(frame.get("annotations", []))
    axes = [k for k in layout if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]
    for k in axes:
        out[k] = {**layout.get(k, {}), **(xstyle if k.startswith("x") else ystyle)}
    return {"data": traces, "layout": out}


def _empty(title: str, subtitle: str, reason: str) -> dict:
    """`common.empty`, cached per language (as a dict; shared: never mutate it)."""
    return _empty_in(i18n.lang(), title, subtitle, reason)


@lru_cache(maxsize=512)
def _empty_in(lang: str, title: str, subtitle: str, reason: str) -> dict:
    with i18n.using(lang):
        return common.empty(title, subtitle, reason).to_plotly_json()


def _out(spec: dict | go.Figure, as_dict: bool):
    """A Figure for callers (exports, tests); the dict itself for the page's callback (as_dict)."""
    if isinstance(spec, go.Figure):
        return spec.to_plotly_json() if as_dict else spec
    return spec if as_dict else go.Figure(copy.deepcopy(spec), _validate=False)


def city_colors(city_ids: Sequence[str], colours: Mapping[str, str]) -> dict[str, str]:
    """Each chosen city's own colour (`colours`: the places table's, by place id), so that a city has the same
    colour on every chart and page whatever else is selected."""
    return {pid: colours.get(pid, FALLBACK_COLOUR) for pid in city_ids}


def _label(value: float, qualifier: str) -> str:
    """'more than 16,400', 'about 13,000': a reported figure's qualifier in words, on the chart itself."""
    return common.qualified(value, qualifier)


def _point_label(value: float, qualifier: str) -> str:
    """The label beside a marker: in words, but an estimate as 'est. 18,000' (the long 'an estimate of' runs off
    a phone's plot; the notes and the hover say it in full)."""
    return marked(value, qualifier) if qualifier == "estimate" else _label(value, qualifier)


def _axis_names(i: int) -> tuple[str, str, str, str]:
    """('xaxis2', 'x2', 'yaxis2', 'y2') for the i-th (0-based) panel."""
    n = "" if i == 0 else str(i + 1)
    return f"xaxis{n}", f"x{n}", f"yaxis{n}", f"y{n}"


def _panel_title(text: str, x: float, y: float) -> dict:
    return {"text": f"<b>{plain(text)}</b>", "x": x, "y": y, "xref": "paper", "yref": "paper", "showarrow": False,
            "xanchor": "center" if x != 0 else "left", "yanchor": "bottom", "font": {"size": 13}}


def mpp_chart(figs: pd.DataFrame, colors: dict[str, str], *, source: str, missing: Sequence[str] = (),
              unattributed: Sequence[str] = (), as_dict: bool = False) -> go.Figure | dict:
    """One marker per reported figure, one panel per kind of figure (definition), never summed."""
    title = _("MPP figures reported for each city")
    subtitle = _("Each point is one figure from one report, with its qualifier; kinds of figure are never added")
    notes = []
    if missing:
        notes.append(_("No reported MPP figure for {cities}.").format(cities=", ".join(missing)))
    if figs.empty:
        return _out(_empty(title, subtitle, _("no reported MPP figure for {cities}").format(
            cities=", ".join(missing) if missing else _("these cities"))), as_dict)
    metrics = [m for m in METRIC_TITLES if m in set(figs["metric"])]
    counts = [int((figs["metric"] == m).sum()) for m in metrics]
    # panel heights in pixels: 34 per figure, a title above each panel, room for tick labels below
    panel_px = [40 * c + 16 for c in counts]
    title_px, gap_px = 26, 48
    plot_px = sum(panel_px) + title_px * len(metrics) + gap_px * (len(metrics) - 1)
    traces, layout, qualifiers_seen = [], {"annotations": []}, set()
    top_px = plot_px
    for i, (metric, count) in enumerate(zip(metrics, counts)):
        xa, xr, ya, yr = _axis_names(i)
        y1 = (top_px - title_px) / plot_px
        y0 = (top_px - title_px - panel_px[i]) / plot_px
        top_px = top_px - title_px - panel_px[i] - gap_px
        part = figs[figs["metric"] == metric]
        top = float(part["value"].max())
        labels = [f"{plain(w)}<br>{plain(who)}" for w, who in zip(part["where"], part["who"])]
        for (_i, f), label in zip(part.iterrows(), labels):
            q = f["qualifier"] if f["qualifier"] in SYMBOL else "exact"
            qualifiers_seen.add(q)
            color = colors.get(f["city_id"], common.COLORS[0])
            hover = (f"<b>{plain(_label(f['value'], q))}</b><br>{plain(f['definition'])}<br>"
                     f"{plain(f['publisher'])}<extra></extra>")
            common_kw = {"xaxis": xr, "yaxis": yr, "showlegend": False, "name": plain(f["city"])}
            if q in LOWER or q in UPPER:
                end = f["value"] + 0.18 * top if q in LOWER else max(f["value"] - 0.18 * top, 0)
                traces.append({
                    "type": "scatter", "x": [f["value"], end], "y": [label, label], "mode": "lines+markers",
                    "line": {"color": color, "dash": "dot", "width": 2},
                    "marker": {"symbol": ["line-ns", "triangle-right" if q in LOWER else "triangle-left"],
                               "size": [14, 11], "color": color, "line": {"color": color, "width": 2}},
                    "hovertemplate": hover, "meta": {"points": 1}, **common_kw})  # the arrow's end is no value
                traces.append({
                    "type": "scatter", "x": [end], "y": [label], "mode": "text",
                    # an en space keeps the words clear of the arrowhead (text_of strips it from the CSV)
                    "text": [f"\u2002{plain(_label(f['value'], q))}" if q in LOWER
                             else f"{plain(_label(f['value'], q))}\u2002"],
                    "textposition": "middle right" if q in LOWER else "middle left",
                    "hoverinfo": "skip", "textfont": {"color": color}, **common_kw})
            else:
                traces.append({
                    "type": "scatter", "x": [f["value"]], "y": [label], "mode": "markers+text",
                    "text": [plain(_point_label(f["value"], q))], "textposition": "middle right",
                    "marker": {"symbol": SYMBOL[q], "size": 12, "color": color, "line": {"color": color, "width": 2}},
                    "hovertemplate": hover, "textfont": {"color": color}, **common_kw})
        layout[xa] = {"domain": [0, 1], "anchor": yr, "range": [0, top * 1.6], "tickformat": ","}  # room for words
        layout[ya] = {"domain": [max(y0, 0), y1], "anchor": xr, "categoryorder": "array",
                      "categoryarray": list(reversed(labels)), "automargin": True}
        layout["annotations"].append(_panel_title(_(METRIC_TITLES[metric]), 0, y1))
    if qualifiers_seen & set(LOWER):
        notes.append(_("▶ with a dotted line: a lower bound (the report says “more than” or “at least”), "
                       "not an exact value."))
    if "approximately" in qualifiers_seen:
        notes.append(_("An open circle: an approximate figure (“about”)."))
    if "estimate" in qualifiers_seen:
        notes.append(_("An open diamond: a figure the report calls an estimate."))
    if qualifiers_seen & set(UPPER):
        notes.append(_("◀ with a dotted line: an upper bound (“less than”, “up to”)."))
    if "mpp_court_cases" in metrics:
        notes.append(_("Court cases are counted at the U.S. hearing location, not in the city."))
    qualified = [f"{f['city']}: {common.qualified(f['value'], f['qualifier'])}" for _i, f in figs.iterrows()
                 if f["qualifier"] in SYMBOL and f["qualifier"] != "exact"]
    if qualified:  # in words, so the qualifiers travel with any copy of the chart (export, screenshot)
        notes.append(_("As reported: {figures}.").format(figures="; ".join(dict.fromkeys(qualified))))
    notes.extend(unattributed)
    return _out(_finish(traces, layout, title=title, subtitle=subtitle, source=source, notes=notes,
                        height=plot_px + 150 + 16 * len(notes)), as_dict)


def mpp_alt(figs: pd.DataFrame, missing: Sequence[str]) -> str:
    if figs.empty:
        return _("MPP figures: no reported figure for the chosen cities.")
    parts = []
    for metric, metric_title in METRIC_TITLES.items():
        part = figs[figs["metric"] == metric]
        if part.empty:
            continue
        hi = part.loc[part["value"].idxmax()]
        lo = part.loc[part["value"].idxmin()]
        high = common.qualified(hi['value'], hi['qualifier'])
        if len(part) > 1:
            text = _("{metric}: {n} figures; highest {high} ({high_value}), lowest {low} ({low_value}).").format(
                metric=_(metric_title), n=len(part), high=hi["row_label"], high_value=high, low=lo["row_label"],
                low_value=common.qualified(lo['value'], lo['qualifier']))
        else:
            text = _("{metric}: 1 figure; {high} ({high_value}).").format(
                metric=_(metric_title), high=hi["row_label"], high_value=high)
        parts.append(text)
    if missing:
        parts.append(_("No reported figure for {cities}.").format(cities=", ".join(missing)))
    return " ".join(parts)


def wrapped(text: str, width: int = 30) -> str:
    """Plain text broken into lines of at most `width` characters for Plotly (<br>); the text itself is plain."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def city_bars(rows: pd.DataFrame, value: str, reason: str, *, title: str, subtitle: str, source: str,
              colors: dict[str, str], notes: Sequence[str] = (), partial: str | None = None,
              prefix: str = "", digits: int = 0, value_label: str = "", as_dict: bool = False,
              revised: str | None = None) -> go.Figure | dict:
    """One horizontal bar per city; a city without a value gets a grey "no data: reason" label, not a bar.
    `revised`: the rows' columns <revised>_first, _first_date and _revised_in (aggregates.revised): a bar whose
    number was revised is outlined and its hover says what it was first published as."""
    if rows.empty:
        return _out(_empty(title, subtitle, _("no city chosen")), as_dict)
    have = rows[rows[value].notna()]
    if have.empty:
        reasons = list(dict.fromkeys(str(r) for r in rows[reason].dropna()))
        return _out(_empty(title, subtitle, "; ".join(reasons) or _("no data")), as_dict)
    labels = [plain(x) for x in rows["city"]]
    texts = []
    for r in have.to_dict("records"):
        t = prefix + (f"{r[value]:,.{digits}f}" if digits else common.fmt(round(r[value])))
        if partial and isinstance(r.get(partial), str) and r.get(partial):
            t += " " + _("(partial: {what})").format(what=r[partial])
        texts.append(plain(t))
    traces = [{
        "type": "bar", "x": [float(v) for v in have[value]], "y": [plain(x) for x in have["city"]],
        "orientation": "h", "marker": {"color": [colors.get(p, common.COLORS[0]) for p in have["place_id"]]},
        "text": texts, "textposition": "outside", "cliponaxis": False, "name": plain(value_label or title),
        "hovertemplate": "%{y}: %{text}<extra></extra>", "showlegend": False,
    }]
    hit = (have[f"{revised}_revised_in"].fillna("").astype(str) != "").to_numpy() \
        if revised and f"{revised}_revised_in" in have.columns else []
    if len(hit) and hit.any():
        points = pd.DataFrame({"first_published": have[f"{revised}_first"].to_numpy(dtype="float64"),
                               "first_date": have[f"{revised}_first_date"].fillna("").to_numpy(),
                               "revised_in": have[f"{revised}_revised_in"].fillna("").to_numpy()})
        traces[0]["customdata"] = common.revised_hovers(points)
        traces[0]["hovertemplate"] = "%{y}: %{text}%{customdata}<extra></extra>"
        traces[0]["marker"]["line"] = {"color": [common.REVISED_COLOR if h else "rgba(0,0,0,0)" for h in hit],
                                       "width": [2.5 if h else 0 for h in hit]}
        notes = [*notes, _(common.REVISED_NOTE_BARS)]
    gone = rows[rows[value].isna()]
    if not gone.empty:
        traces.append({
            "type": "scatter", "x": [0] * len(gone), "y": [plain(x) for x in gone["city"]], "mode": "text",
            # wrapped so that it stays inside a phone's plot; the export reads the whole reason from hovertext
            "text": [wrapped(plain(_("no data: {reason}").format(reason=r))) for r in gone[reason].fillna(_("no data"))],
            "hovertext": [plain(_("no data: {reason}").format(reason=r)) for r in gone[reason].fillna(_("no data"))],
            "textposition": "middle right",
            "textfont": {"color": common.NO_DATA}, "hoverinfo": "skip", "showlegend": False, "name": _("no data"),
            "meta": {"export": "missing"},  # exported as rows with no value and the reason
        })
    top = float(have[value].max())
    layout = {
        "yaxis": {"categoryorder": "array", "categoryarray": list(reversed(labels)), "automargin": True},
        "xaxis": {"range": [0, top * 1.35 if top > 0 else 1], "tickformat": ","},
    }
    return _out(_finish(traces, layout, title=title, subtitle=subtitle, source=source, notes=notes,
                        height=max(300, 150 + 44 * len(rows) + 16 * len(notes))), as_dict)


def bars_alt(rows: pd.DataFrame, value: str, label: str, period: str = "") -> str:
    items = [(n, float(v)) for n, v in zip(rows["name"], rows[value]) if pd.notna(v)]
    text = common.describe_extremes(label, items, period)
    gone = rows[rows[value].isna()]
    if not gone.empty:
        text += " " + _("No data for {places}.").format(places=", ".join(gone["name"]))
    return text


def small_multiples(monthly: pd.DataFrame, cities: Sequence[tuple[str, str]], colors: dict[str, str], *,
                    axis: str, percap: bool, year: int | None, source: str, notes: Sequence[str] = (),
                    reasons: dict[str, str] | None = None, as_dict: bool = False) -> go.Figure | dict:
    """One small panel of monthly homicides per city, with a shared or an independent y axis."""
    title = _("Homicides per month, by city")
    subtitle = {
        (True, True): _("Homicides recorded in INEGI death certificates, by municipality, per month (per 100,000 "
                        "residents); y axis shared by all panels"),
        (True, False): _("Homicides recorded in INEGI death certificates, by municipality, per month (per 100,000 "
                         "residents); y axis independent in each panel"),
        (False, True): _("Homicides recorded in INEGI death certificates, by municipality, per month (count); "
                         "y axis shared by all panels"),
        (False, False): _("Homicides recorded in INEGI death certificates, by municipality, per month (count); "
                          "y axis independent in each panel"),
    }[(bool(percap), axis == "shared")]
    if monthly.empty or monthly["value"].notna().sum() == 0:
        return _out(_empty(title, subtitle, _("no monthly homicides for the chosen cities (CONAPO population is "
                                              "needed for rates)") if percap
                           else _("no monthly homicides for the chosen cities")), as_dict)
    n = len(cities)
    ncols = 2 if n > 1 else 1
    nrows = math.ceil(n / ncols)
    hgap, vgap = 0.08, 0.3 / nrows + 0.04
    groups = {pid: g for pid, g in monthly.groupby("place_id", sort=False)}
    w, h = (1 - hgap * (ncols - 1)) / ncols, (1 - vgap * (nrows - 1)) / nrows
    traces, shapes = [], []
    layout = {"annotations": []}
    reasons = reasons or {}
    ringed = False
    known = monthly.loc[monthly["value"].notna(), "month"]
    dates = common.date_axis(known.min(), known.max(), most=4)  # Spanish month names: explicit ticks
    for i, (pid, name) in enumerate(cities):
        r, c = divmod(i, ncols)
        x0, y1 = c * (w + hgap), 1 - r * (h + vgap)
        xa, xr, ya, yr = _axis_names(i)
        layout[xa] = {"domain": [x0, x0 + w], "anchor": yr, **({"matches": "x"} if i else {}), **dates}
        layout[ya] = {"domain": [max(y1 - h, 0), y1], "anchor": xr, "rangemode": "tozero", "tickformat": ",",
                      **({"matches": "y"} if i and axis == "shared" else {})}
        layout["annotations"].append(_panel_title(name, x0 + w / 2, y1))
        part = groups.get(pid)
        if part is None or part["value"].notna().sum() == 0:
            layout["annotations"].append({
                "text": plain(_("no data: {reason}").format(reason=reasons.get(pid) or _("no monthly homicides"))),
                "showarrow": False,
                "xref": f"{xr} domain", "yref": f"{yr} domain", "x": 0.5, "y": 0.5, "font": {"color": common.NO_DATA}})
            continue
        values = part["value"].to_numpy(dtype="float64", na_value=float("nan")).round(3)
        when, extra = common.month_hover(part["month"])
        traces.append({
            "type": "scatter", "x": part["mstr"].tolist() if "mstr" in part else
            part["month"].dt.strftime("%Y-%m-%d").tolist(),
            "y": [None if math.isnan(v) else float(v) for v in values], "mode": "lines", "name": plain(name),
            "xaxis": xr, "yaxis": yr, "line": {"color": colors.get(pid, common.COLORS[0]), "width": 1.5},
            "showlegend": False,
            "hovertemplate": plain(name) + f" {when}: %{{y:,." + ("1" if percap else "0") + "f}<extra></extra>",
            **extra,
        })
        hit = (part["revised_in"].fillna("").astype(str) != "").to_numpy() if "revised_in" in part else []
        if len(hit) and hit.any():  # revised months: a ring, and the hover says what was first published
            traces[-1]["customdata"] = common.revised_hovers(part)
            traces[-1]["hovertemplate"] = traces[-1]["hovertemplate"].replace("<extra>", "%{customdata}<extra>")
            traces.append(common.revised_ring([x for x, h in zip(traces[-1]["x"], hit) if h],
                                              [y for y, h in zip(traces[-1]["y"], hit) if h], xaxis=xr, yaxis=yr))
            ringed = True
        if year is not None:
            shapes.append({"type": "rect", "xref": xr, "yref": f"{yr} domain", "x0": f"{year}-01-01",
                           "x1": f"{year}-12-31", "y0": 0, "y1": 1, "fillcolor": "#f9ab00", "opacity": 0.15,
                           "line": {"width": 0}, "layer": "below",
                           "label": {"text": str(year), "textposition": "top center",
                                     "font": {"size": 10, "color": "#8a4b00"}}})
    layout["shapes"] = shapes
    notes = list(notes)
    if year is not None:
        notes.insert(0, _("Shaded: the year of the other charts."))  # the shading's label names it
    if percap:
        notes.append(_("Monthly rate (not annualised), with the CONAPO mid-year population of each year; "
                       "months without a CONAPO population are left out, not drawn as zero."))
    if ringed:
        notes.append(_(common.REVISED_NOTE))
    return _out(_finish(traces, layout, title=title, subtitle=subtitle, source=source, notes=notes,
                        height=max(360, 150 + 190 * nrows + 16 * len(notes))), as_dict)


def monthly_alt(monthly: pd.DataFrame, cities: Sequence[tuple[str, str]], percap: bool) -> str:
    m = monthly.dropna(subset=["value"])
    if m.empty:
        return _("Monthly homicides: no data for the chosen cities.")
    groups = {pid: g for pid, g in m.groupby("place_id", sort=False)}
    parts = []
    for pid, name in cities:
        p = groups.get(pid)
        if p is None:
            parts.append(_("{place}: no data.").format(place=name))
            continue
        values = p["value"].to_numpy(dtype="float64")
        months = p["month"].to_numpy()
        hi, lo = int(values.argmax()), int(values.argmin())
        template = (_("{place}: highest {high} per 100,000 residents in {high_month}, lowest {low} in {low_month}.")
                    if percap else _("{place}: highest {high} in {high_month}, lowest {low} in {low_month}."))
        parts.append(template.format(place=name, high=common.fmt(round(values[hi], 1)),
                                     high_month=i18n.month_year(months[hi]), low=common.fmt(round(values[lo], 1)),
                                     low_month=i18n.month_year(months[lo])))
    first, last = i18n.month_year(m["month"].min()), i18n.month_year(m["month"].max())
    head = (_("Monthly homicides per 100,000 residents, {first} to {last}.") if percap
            else _("Monthly homicides, {first} to {last}.")).format(first=first, last=last)
    return head + " " + " ".join(parts)
