"""MPP page chart: CBP's official MPP enrolments by month, with the 2019–2021 policy events (drawn as the
Encounters chart draws them) and a note on every month whose printed total disagrees with its own cells."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.aggregates import mpp as agg
from dashboard.charts import common
from dashboard.charts.encounters import KEY_NOTE, _add_events, _fit_footer, event_key

TITLE = "MPP enrolments by month (CBP, official)"
AXIS = ("2019-01", "2021-12")  # MPP's first returns to its suspension: the policy events the chart shows
NO_TABLE = ("No official table before January 2020: CBP's MPP pages start then (MPP began in January 2019). "
            "Those months are left blank, not zero.")
MEANING = ("People CBP enrolled in MPP at a Border Patrol sector or a port (CBP field office), by month: "
           "processed there, not people in a Mexican city.")


def subtitle_for(split: str, span: str) -> str:
    by = {"total": "", "component": ", by CBP component", "area": ", by sector or field office"}.get(split, "")
    return f"People enrolled in MPP per month{by}" + (f", {span}" if span else "")


def enrolments_chart(series: pd.DataFrame, *, split: str = agg.DEFAULT_SPLIT, flags: Sequence[agg.Flag] = (),
                     events: pd.DataFrame | None = None, source: str = "") -> go.Figure:
    span = agg.span_words(agg.covered_span(series))
    subtitle = subtitle_for(split, span)
    if series is None or series.empty:
        return common.empty(TITLE, subtitle, "no MPP enrolment table from CBP in this release")
    traces = []
    for i, (group, part) in enumerate(series.groupby("group", sort=False)):
        name = common.plain(group)
        traces.append({
            "type": "bar", "x": part["month"].dt.strftime("%Y-%m-%d").tolist(),
            "y": part["count"].astype("int64").tolist(), "name": name,
            "marker": {"color": common.COLORS[i % len(common.COLORS)]},
            "hovertemplate": f"{name}<br>%{{x|%b %Y}}: %{{y:,}} enrolled<extra></extra>",
        })
    fig = go.Figure(data=traces, _validate=False)
    lo, hi = pd.Timestamp(AXIS[0] + "-01"), pd.Timestamp(AXIS[1] + "-01")
    pad = pd.Timedelta(days=20)
    _add_events(fig, events, lo, (lo - pad, hi + pad))
    first = agg.covered_span(series)[0]
    if first > lo:  # months before CBP's first page: a labelled blank, never a zero bar
        fig.add_shape(type="rect", xref="x", yref="paper", x0=f"{lo - pad:%Y-%m-%d}",
                      x1=f"{first - pd.Timedelta(days=16):%Y-%m-%d}", y0=0, y1=0.86,
                      fillcolor="rgba(154, 160, 166, 0.12)", line={"width": 0}, layer="below")
        fig.add_annotation(text="no official table<br>before Jan 2020", xref="x", yref="paper",
                           x=f"{lo + (first - lo) / 2:%Y-%m-%d}", y=0.45, showarrow=False,
                           font={"size": 12, "color": common.NO_DATA}, name="no-table")
    totals = series.groupby("month")["count"].sum()
    for f in flags:
        if f.month in totals.index:
            fig.add_annotation(text=f"CBP printed {f.printed:,}" if f.printed is not None else "CBP printed no total",
                               x=f"{f.month:%Y-%m-%d}", y=float(totals[f.month]), xref="x", yref="y",
                               showarrow=True, arrowhead=0, ax=0, ay=-34, font={"size": 11, "color": "#BE0032"},
                               name="flag")
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_yaxes(title_text="People enrolled per month", rangemode="tozero")
    fig.update_xaxes(type="date", range=[f"{lo - pad:%Y-%m-%d}", f"{hi + pad:%Y-%m-%d}"])
    key = event_key(events)
    notes = [MEANING, NO_TABLE, *("Totals disagree — " + f.text() + "." for f in flags),
             "One CBP page per month (pages overlap; never added together)."]
    common.finish(fig, title=TITLE, subtitle=subtitle, source=source, notes=notes + ([KEY_NOTE] if key else []),
                  height=520, key=key)
    _fit_footer(fig)
    many = series["group"].nunique() > 1
    fig.update_layout(showlegend=many, hovermode="x unified" if many else "closest")
    if many:
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
                          margin={"r": 170})
    return fig


def alt_text(series: pd.DataFrame, flags: Sequence[agg.Flag] = ()) -> str:
    label = "Official MPP enrolments by month (CBP)"
    if series is None or series.empty:
        return f"{label}: no data in this release."
    totals = series.groupby("month")["count"].sum()
    items = [(f"{m:%B %Y}", float(v)) for m, v in totals.items()]
    text = common.describe_extremes(label, items, agg.span_words(agg.covered_span(series)))
    text += f" Total over these months: {int(totals.sum()):,}. No official table before January 2020."
    for f in flags:
        text += f" {f.text()}."
    return text
