"""Map page chart: the border cities sized and coloured by one metric, migrant death incidents as points.

Plotly geo (scattergeo) with outlines served from dashboard/assets/geo/ (the graph config's
``topojsonURL``), never from a CDN.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..aggregates.map import official_words
from ..i18n import N_, _
from . import common
from .common import fmt, plain, qualified

GEO = {
    "scope": "north america", "resolution": 50,
    "projection": {"type": "mercator", "minscale": 1, "maxscale": 12},
    "lonaxis": {"range": [-120.6, -94.4]}, "lataxis": {"range": [24.4, 34.4]},
    "showland": True, "landcolor": "#f4f2ee", "showocean": False, "showlakes": False,
    "showrivers": True, "rivercolor": "#a9c8e4", "riverwidth": 1,
    "showcountries": True, "countrycolor": "#5f6368", "countrywidth": 1.4,
    "showsubunits": True, "subunitcolor": "#c9c9c9", "subunitwidth": 0.6,
    "showcoastlines": True, "coastlinecolor": "#9aa0a6", "coastlinewidth": 0.8,
    "showframe": False, "bgcolor": "#eaf1f7",
}
POINT_COLOR = "#5b3f8c"
# the colour bar lies under the map, its title above it: on a phone the map keeps the whole width (a bar at its
# side left it a third of a 390 px screen), and a bar of fixed length fits a phone and a desktop alike
COLORBAR = {"orientation": "h", "x": 0, "xanchor": "left", "xref": "paper", "y": 0, "yanchor": "top",
            "yref": "paper", "xpad": 0, "ypad": 6, "thickness": 12, "len": 240, "lenmode": "pixels", "outlinewidth": 0,
            "tickfont": {"size": 11}}
BELOW_MAP_PX = 66  # the colour bar under the map: its title, bar and tick labels
# (24 px on the left: the colour bar's title starts some 12 px left of its bar)
SCALE = "YlOrRd"


def _template_text(text: object) -> str:
    """Data text placed inside a hovertemplate: escaped, and no template placeholders."""
    return plain(text).replace("%", " percent").replace("{", "(").replace("}", ")")


RINGED_CITIES = N_("Ringed cities: the figure shown was revised by its publisher; hover for the value first "
                   "published.")


def _revised(row: pd.Series, prefix: str, digits: int | None = None) -> str:
    """' (revised: first published as 1,789,531 (2026-11-27))' when the city's figure was revised, else ''."""
    from dashboard.aggregates.revised import hover

    last = row.get(f"{prefix}_revised_in")
    if not isinstance(last, str) or not last:
        return ""
    first = row.get(f"{prefix}_first_published")
    text = hover(None if pd.isna(first) else round(float(first), digits) if digits is not None else float(first),
                 str(row.get(f"{prefix}_first_date") or ""), last)
    return f" ({plain(text)})" if text else ""


def city_hover(row: pd.Series, meta: dict) -> str:
    """Every metric of one city, with its source, as plain hover text (data text escaped)."""
    hy, py = meta.get("homicide_year"), meta.get("population_year")
    layer = meta.get("deaths_layer", "iom")
    lines = [f"<b>{plain(row['name'])}</b>, {plain(row['admin1'])}"]
    none = _("no data")
    pop = row.get("population")
    lines.append((_("Population ({year})").format(year=py) if py else _("Population"))
                 + f": {fmt(pop) if pd.notna(pop) else none} · CONAPO" + _revised(row, "population"))
    hom = row.get("homicides")
    lines.append((_("Homicides ({year})").format(year=hy) if hy else _("Homicides"))
                 + f": {fmt(hom) if pd.notna(hom) else none} · INEGI" + _revised(row, "homicides"))
    rate = row.get("rate")
    lines.append(_("Homicide rate per 100,000") + f": {fmt(round(rate, 1)) if pd.notna(rate) else none}"
                 + _revised(row, "rate", 1))
    mv = row.get("mpp_value")
    if pd.notna(mv):
        when = row.get("mpp_when")
        basis = row.get("mpp_when_basis")
        when = f", {_(basis) if isinstance(basis, str) and basis else _('as of')} {pd.Timestamp(when):%Y-%m-%d}" \
            if pd.notna(when) else ""
        lines.append(_("Returned under MPP") + f": {qualified(mv, row.get('mpp_qualifier') or 'exact')} · "
                     f"{plain(row.get('mpp_publisher'))}{when}")
        others = row.get("mpp_others")
        if isinstance(others, str) and others:  # the lead-figure rule chose this one: say which others it passed over
            lines.append(_("Other reported figures, and why this one leads: in Compare cities"))
    else:
        lines.append(_("Returned under MPP: no reported figure"))
    if pd.notna(row.get("off_sector")):
        lines.append(_("MPP enrolments (CBP, {span})").format(span=plain(row.get("off_span")))
                     + f": {plain(official_words(row))}")
    dv = row.get("deaths")
    who = _("IOM: dead and missing") if layer == "iom" else _("Pima County OME: remains")
    lines.append(_("Migrant deaths within 50 km ({who})").format(who=who) + f": {fmt(dv) if pd.notna(dv) else none}"
                 + _revised(row, "deaths"))
    lines.append("<i>" + _("Click to open in Compare cities") + "</i>")
    return "<br>".join(lines)


def _sizes(values: pd.Series) -> np.ndarray:
    vmax = float(values.max()) if len(values) else 0.0
    if not vmax or math.isnan(vmax):
        return np.full(len(values), 14.0)
    return (12 + 30 * np.sqrt(values.clip(lower=0) / vmax)).round(1).to_numpy()


def _positions(rows: pd.DataFrame) -> list[str]:
    """Where each city's name goes (the places table's label_position), so that neighbours (Tijuana and
    Tecate, Ciudad Acuña and Piedras Negras) do not overprint each other."""
    if "label_position" not in rows:
        return ["top center"] * len(rows)
    return [str(p) if isinstance(p, str) and p else "top center" for p in rows["label_position"]]


def _outlines(rows: pd.DataFrame) -> list[str]:
    """Each city's own colour (the places table's), drawn as its marker's outline: the same colour as on
    every other chart, while the fill shows the metric."""
    if "colour" not in rows:
        return [common.NO_DATA] * len(rows)
    return [str(c) if isinstance(c, str) and c else common.NO_DATA for c in rows["colour"]]


def fit_footer(fig: go.Figure, below_px: int = 34, legend_below: bool = True) -> None:
    """Room under the plot (for the legend or the x axis, `below_px`) and then for the notes and source line
    that finish() adds, long lines wrapped so that they stay inside the figure."""
    foot = [a for a in fig.layout.annotations if a.yref == "paper" and a.y == 0 and a.yanchor == "top"]
    lines = (foot[-1].text.count("<br>") + 1) if foot else 0
    if foot:
        foot[-1].text = "<br>".join(common.wrap(line) for line in foot[-1].text.split("<br>"))
        lines = foot[-1].text.count("<br>") + 1
        foot[-1].yshift = -below_px - 6
    fig.update_layout(margin={"b": below_px + 16 + 16 * lines})
    if legend_below:
        fig.update_layout(legend={"orientation": "h", "y": 0, "x": 0, "yanchor": "top"})
    else:
        fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.01, "yanchor": "top", "xanchor": "left"})


def point_traces(points: pd.DataFrame, layer: str, layer_label: str, credit: str = "") -> list[go.Scattergeo]:
    """One trace per cause (so the cause shows in the hover without repeating it per point), one
    legend entry for the whole layer; `credit` (the source's attribution, from the release) ends each hover."""
    traces = []
    if points is None or points.empty:
        return traces
    first = True
    for cause, rows in points.groupby("cause", sort=True):
        cause_text = _template_text(cause)
        if layer == "iom":
            people = rows["dead"].to_numpy() + rows["missing"].to_numpy()
            size = (4 + 2.2 * np.sqrt(np.maximum(people, 1))).round(1)
            custom = np.stack([rows["date"].to_numpy(), rows["dead"].to_numpy(), rows["missing"].to_numpy()], axis=1)
            hover = ("<b>" + _("IOM incident") + "</b> %{customdata[0]}<br>"
                     + _("Dead: {dead} · missing: {missing}").format(dead="%{customdata[1]}",
                                                                      missing="%{customdata[2]}")
                     + "<br>" + _("Cause: {cause}").format(cause=cause_text)
                     + f"<br>{_template_text(credit)}<extra></extra>")
        else:
            size = 5
            custom = rows["date"].to_numpy().reshape(-1, 1)
            hover = ("<b>" + _("Remains recovered") + "</b> %{customdata[0]}<br>"
                     + _("Cause of death: {cause}").format(cause=cause_text)
                     + f"<br>{_template_text(credit)}<extra></extra>")
        traces.append(go.Scattergeo(
            lon=rows["lon"].to_numpy(dtype="float32"), lat=rows["lat"].to_numpy(dtype="float32"),
            mode="markers", name=layer_label, legendgroup=layer, showlegend=first,
            marker={"size": size, "color": POINT_COLOR, "opacity": 0.45, "line": {"width": 0}},
            customdata=custom, hovertemplate=hover,
            meta={"columns": ["date", "dead", "missing"] if layer == "iom" else ["date"]},  # for the CSV export
        ))
        first = False
    return traces


def map_figure(values: pd.DataFrame, *, metric_label: str, hover: list[str], points: pd.DataFrame | None,
               layer: str, layer_label: str, title: str, subtitle: str, source: str,
               notes: list[str] = (), credit: str = "") -> go.Figure:
    """`values`: metric_values() output (value NaN = no data, with a reason); `hover`: one text per city."""
    if values is None or values.empty:
        return common.empty(title, subtitle, _("the border cities are not in the places table"))
    fig = go.Figure()
    for tr in point_traces(points, layer, layer_label, credit):
        fig.add_trace(tr)
    values = values.reset_index(drop=True)
    has = values["value"].notna()
    known, unknown = values[has], values[~has]
    hover = pd.Series(hover, index=values.index)
    if not known.empty:
        fig.add_trace(go.Scattergeo(
            lon=known["lon"], lat=known["lat"], mode="markers+text", name=plain(metric_label),
            text=[plain(n) for n in known["name"]], textposition=_positions(known),
            textfont={"size": 11, "color": "#202124"},
            customdata=known["place_id"].to_list(), meta={"columns": ["place_id"]},
            hovertext=hover[has].to_list(), hoverinfo="text",
            marker={"size": _sizes(known["value"]), "color": known["value"].to_list(), "colorscale": SCALE,
                    "cmin": 0, "cmax": max(float(known["value"].max()), 1.0), "showscale": len(known) > 1,
                    "line": {"color": _outlines(known), "width": 2.5}, "opacity": 0.9,
                    "colorbar": COLORBAR | {"title": {"text": plain(metric_label), "side": "top"}}},
        ))
        hit = (known["revised_in"].fillna("").astype(str) != "").to_numpy() if "revised_in" in known else []
        if len(hit) and hit.any():  # a ring around the cities whose value was revised (the hover says how)
            ringed = known[hit]
            fig.add_trace(go.Scattergeo(
                lon=ringed["lon"], lat=ringed["lat"], mode="markers", name=_("Revised figures"), hoverinfo="skip",
                showlegend=False, marker={"size": [s + 9 for s, h in zip(_sizes(known["value"]), hit) if h],
                                          "symbol": "circle-open", "color": common.REVISED_COLOR,
                                          "line": {"width": 2}}))
            notes = [*notes, _(RINGED_CITIES)]
    if not unknown.empty:
        fig.add_trace(go.Scattergeo(
            lon=unknown["lon"], lat=unknown["lat"], mode="markers+text", name=_("No data"),
            text=[plain(n) for n in unknown["name"]], textposition=_positions(unknown),
            textfont={"size": 11, "color": common.NO_DATA},
            customdata=unknown["place_id"].to_list(), meta={"columns": ["place_id"], "export": "missing"},
            hovertext=[h + "<br><b>" + _("No data") + f"</b>: {plain(r)}" for h, r in zip(hover[~has], unknown["reason"])],
            hoverinfo="text",
            marker={"size": 12, "color": "white", "symbol": "circle", "line": {"color": common.NO_DATA, "width": 2}},
        ))
    common.finish(fig, title=title, subtitle=subtitle, source=source, notes=list(notes), height=600)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(geo=GEO, margin={"l": 24, "r": 10}, hoverlabel={"align": "left"})
    fit_footer(fig, below_px=BELOW_MAP_PX)
    # the legend beside the colour bar, under the map (a phone moves it above the map: dashboard/assets/app.js)
    fig.update_layout(legend={"x": 0.45, "xanchor": "left", "y": -0.01})
    return fig


def alt_text(values: pd.DataFrame, metric_label: str, period: str, n_points: int, layer_label: str) -> str:
    items = [(str(n), float(v)) for n, v in zip(values["name"], values["value"]) if pd.notna(v)]
    text = common.describe_extremes(_("Map of the {n} Mexican border cities. {metric}").format(
        n=len(values), metric=metric_label), items, period)
    missing = [str(n) for n, v in zip(values["name"], values["value"]) if pd.isna(v)]
    if missing:
        text += " " + _("No data for {places}.").format(places=", ".join(missing))
    if n_points:
        text += " " + _("{n} incident points from {layer}.").format(n=f"{n_points:,}", layer=layer_label)
    return text
