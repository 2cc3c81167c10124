"""Violence page charts: homicide and victim trends (one line per place), victims by crime subtype."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from .. import i18n
from ..i18n import _
from . import common
from .common import plain
from .map import fit_footer


def trend(frame: pd.DataFrame, names: dict[str, str], *, title: str, subtitle: str, source: str,
          y_title: str, notes: list[str] = (), reason: str | None = None,
          colours: Mapping[str, str] | None = None) -> go.Figure:
    """One line per place. Gaps (no population, no data) stay gaps. `colours` (place id -> colour, the
    places table's for border cities) fixes each place's colour; without it the palette cycles (states)."""
    if frame is None or frame.empty or frame["value"].notna().sum() == 0:
        return common.empty(title, subtitle, reason or _("nothing in the chosen range"))
    fig = go.Figure()
    annual = bool(len(frame)) and (frame["period"].dt.month == 1).all() and frame["period"].dt.year.nunique() == \
        frame["period"].nunique()
    rings: tuple[list, list] = ([], [])
    for pid, rows in frame.groupby("place_id", sort=False):
        name = plain(names.get(str(pid), pid))
        hit = (rows["revised_in"].fillna("").astype(str) != "").to_numpy() if "revised_in" in rows else []
        revised = len(hit) and hit.any()  # revised points: a ring, and the hover says what was first published
        when, extra = common.month_hover(rows["period"], "%Y" if annual else "%b %Y")
        fig.add_trace(go.Scatter(
            x=rows["period"], y=rows["value"].round(2), mode="lines+markers" if len(rows) <= 30 else "lines",
            name=name, connectgaps=False,
            **({"line": {"color": colours[str(pid)]}, "marker": {"color": colours[str(pid)]}}
               if colours and str(pid) in colours else {}),
            **({"customdata": common.revised_hovers(rows)} if revised else {}),
            **extra, hovertemplate=f"<b>{name}</b><br>{when}: %{{y:,.2f}}"
                          + ("%{customdata}" if revised else "") + "<extra></extra>",
        ))
        if revised:
            rings[0].extend(x for x, h in zip(rows["period"].dt.strftime("%Y-%m-%d"), hit) if h)
            rings[1].extend(float(y) for y, h in zip(rows["value"].round(2), hit) if h)
    if rings[0]:
        fig.add_trace(common.revised_ring(*rings))
        notes = [*notes, _(common.REVISED_NOTE)]
    common.finish(fig, title=title, subtitle=subtitle, source=source, notes=list(notes))
    fig.update_yaxes(title={"text": plain(y_title)}, rangemode="tozero")
    if not annual:  # a year is written alike in every language; a month by Babel in Spanish
        known = frame.loc[frame["value"].notna(), "period"]
        fig.update_xaxes(**common.date_axis(known.min(), known.max()))
    fit_footer(fig, below_px=34, legend_below=False)
    return fig


def subtype_bars(frame: pd.DataFrame, names: dict[str, str], *, title: str, subtitle: str, source: str,
                 x_title: str, notes: list[str] = ()) -> go.Figure:
    """Horizontal bars: crime subtypes, one bar per state."""
    if frame is None or frame.empty or frame["value"].notna().sum() == 0:
        return common.empty(title, subtitle, _("no SESNSP victims in the chosen range"))
    order = frame.groupby("subtype")["value"].sum().sort_values().index.tolist()
    fig = go.Figure()
    outlined = False
    for pid, rows in frame.groupby("place_id", sort=False):
        rows = rows.set_index("subtype").reindex(order)
        name = plain(names.get(str(pid), pid))
        hit = (rows["revised_in"].fillna("").astype(str) != "").to_numpy() if "revised_in" in rows else []
        revised = len(hit) and hit.any()  # revised bars: outlined, the hover says what was first published
        fig.add_trace(go.Bar(
            y=[plain(s) for s in order], x=rows["value"].round(2), orientation="h", name=name,
            hovertemplate=f"<b>{name}</b><br>%{{y}}: %{{x:,.2f}}" + ("%{customdata}" if revised else "")
                          + "<extra></extra>",
            **({"customdata": common.revised_hovers(rows.assign(first_date=rows["first_date"].fillna(""))),
                "marker": {"line": {"color": [common.REVISED_COLOR if h else "rgba(0,0,0,0)" for h in hit],
                                    "width": [2 if h else 0 for h in hit]}}} if revised else {}),
        ))
        outlined = outlined or revised
    notes = [*notes, *([_(common.REVISED_NOTE_BARS)] if outlined else [])]
    common.finish(fig, title=title, subtitle=subtitle, source=source, notes=list(notes),
                  height=max(460, 120 + 22 * len(order) * max(1, len(frame["place_id"].unique())) // 2))
    fig.update_layout(barmode="group", margin={"l": 300})
    fig.update_xaxes(title={"text": plain(x_title)})
    fig.update_yaxes(automargin=True)
    fit_footer(fig, below_px=56, legend_below=False)
    return fig


def alt_trend(frame: pd.DataFrame, names: dict[str, str], label: str, period: str, freq: str = "month") -> str:
    if frame is None or frame.empty:
        return _("{label}: no data.").format(label=label)
    items = [(f"{names.get(str(p), p)}, {d.year if freq == 'year' else i18n.month_abbr(d)}", float(v))
             for p, d, v in zip(frame["place_id"], frame["period"], frame["value"]) if pd.notna(v)]
    return common.describe_extremes(label, items, period)


def alt_bars(frame: pd.DataFrame, names: dict[str, str], label: str, period: str) -> str:
    if frame is None or frame.empty:
        return _("{label}: no data.").format(label=label)
    items = [(_("{subtype} in {place}").format(subtype=s, place=names.get(str(p), p)), float(v))
             for p, s, v in zip(frame["place_id"], frame["subtype"], frame["value"]) if pd.notna(v)]
    return common.describe_extremes(label, items, period)
