"""MPP page chart: CBP's official MPP enrolments by month, with the 2019–2021 policy events (drawn as the
Encounters chart draws them) and a note on every month whose printed total disagrees with its own cells."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.aggregates import mpp as agg
from dashboard.charts import common
from dashboard.charts.encounters import KEY_NOTE, _add_events, _fit_footer, event_key
from dashboard.i18n import N_, _

TITLE = N_("MPP enrolments by month (CBP, official)")
AXIS = ("2019-01", "2021-12")  # MPP's first returns to its suspension: the policy events the chart shows
NO_TABLE = N_("No official table before January 2020: CBP's MPP pages start then (MPP began in January 2019). "
              "Those months are left blank, not zero.")
MEANING = N_("People CBP enrolled in MPP at a Border Patrol sector or a port (CBP field office), by month: "
             "processed there, not people in a Mexican city.")


def span_words(span) -> str:
    """'January 2020–November 2021' / 'enero de 2020–noviembre de 2021' (aggregates.mpp.span_words, in the
    reader's language)."""
    if span is None:
        return ""
    a, b = span
    return i18n.month_year(a) if a == b else f"{i18n.month_year(a)}–{i18n.month_year(b)}"


def subtitle_for(split: str, span: str) -> str:
    text = {"component": _("People enrolled in MPP per month, by CBP component"),
            "area": _("People enrolled in MPP per month, by sector or field office")}.get(
        split, _("People enrolled in MPP per month"))
    return f"{text}, {span}" if span else text


def enrolments_chart(series: pd.DataFrame, *, split: str = agg.DEFAULT_SPLIT, flags: Sequence[agg.Flag] = (),
                     events: pd.DataFrame | None = None, source: str = "") -> go.Figure:
    span = span_words(agg.covered_span(series))
    subtitle = subtitle_for(split, span)
    if series is None or series.empty:
        return common.empty(_(TITLE), subtitle, _("no MPP enrolment table from CBP in this release"))
    traces, outlined = [], False
    for i, (group, part) in enumerate(series.groupby("group", sort=False)):
        name = common.plain(group)
        xs = part["month"].dt.strftime("%Y-%m-%d").tolist()
        when, extra = common.month_hover(xs)
        enrolled = _("{n} enrolled").format(n="%{y:,}")
        traces.append({
            "type": "bar", "x": xs,
            "y": part["count"].astype("int64").tolist(), "name": name,
            "marker": {"color": common.COLORS[i % len(common.COLORS)]},
            "hovertemplate": f"{name}<br>{when}: {enrolled}<extra></extra>", **extra,
        })
        hit = (part["revised_in"].fillna("").astype(str) != "").to_numpy() if "revised_in" in part else []
        if len(hit) and hit.any():  # revised bars: outlined, and the hover says what was first published
            traces[-1]["customdata"] = common.revised_hovers(part)
            traces[-1]["hovertemplate"] = f"{name}<br>{when}: {enrolled}%{{customdata}}<extra></extra>"
            traces[-1]["marker"]["line"] = {"color": [common.REVISED_COLOR if h else "rgba(0,0,0,0)" for h in hit],
                                            "width": [2 if h else 0 for h in hit]}
            outlined = True
    fig = go.Figure(data=traces, _validate=False)
    lo, hi = pd.Timestamp(AXIS[0] + "-01"), pd.Timestamp(AXIS[1] + "-01")
    pad = pd.Timedelta(days=20)
    _add_events(fig, events, lo, (lo - pad, hi + pad))
    first = agg.covered_span(series)[0]
    if first > lo:  # months before CBP's first page: a labelled blank, never a zero bar
        fig.add_shape(type="rect", xref="x", yref="paper", x0=f"{lo - pad:%Y-%m-%d}",
                      x1=f"{first - pd.Timedelta(days=16):%Y-%m-%d}", y0=0, y1=0.86,
                      fillcolor="rgba(154, 160, 166, 0.12)", line={"width": 0}, layer="below")
        fig.add_annotation(text=_("no official table before Jan 2020"), xref="x", yref="paper", textangle=-90,
                           x=f"{first - pd.Timedelta(days=110):%Y-%m-%d}", y=0.43, showarrow=False,  # between
                           # the summer 2019 and autumn 2019 policy markers, clear of their lines
                           font={"size": 12, "color": "#5f6368"}, name="no-table")
    totals = series.groupby("month")["count"].sum()
    for f in flags:
        if f.month in totals.index:
            fig.add_annotation(text=_("CBP printed {total}").format(total=f"{f.printed:,}") if f.printed is not None
                               else _("CBP printed no total"),
                               x=f"{f.month:%Y-%m-%d}", y=float(totals[f.month]), xref="x", yref="y",
                               showarrow=True, arrowhead=0, ax=0, ay=-34, font={"size": 11, "color": "#BE0032"},
                               xanchor="left", bgcolor="rgba(255, 255, 255, 0.85)", name="flag")  # later months
                               # have no bars: the text reads to the right of its month, over empty space
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_yaxes(title_text=_("People enrolled per month"), rangemode="tozero",
                     **({} if common.english() else {"tickformat": ","}))  # "1,000" (es-MX), not "1k"
    fig.update_xaxes(type="date", range=[f"{lo - pad:%Y-%m-%d}", f"{hi + pad:%Y-%m-%d}"], **common.date_axis(lo, hi))
    key = event_key(events)
    notes = [_(MEANING), _(NO_TABLE), *(_("Totals disagree — {what}.").format(what=f.text()) for f in flags),
             _("One CBP page per month (pages overlap; never added together)."),
             *([_(common.REVISED_NOTE_BARS)] if outlined else [])]
    common.finish(fig, title=_(TITLE), subtitle=subtitle, source=source,
                  notes=notes + ([_(KEY_NOTE)] if key else []), height=520, key=key)
    _fit_footer(fig)
    many = series["group"].nunique() > 1
    fig.update_layout(showlegend=many, hovermode="x unified" if many else "closest")
    if many:
        fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
                          margin={"r": 170})
    return fig


def alt_text(series: pd.DataFrame, flags: Sequence[agg.Flag] = ()) -> str:
    label = _("Official MPP enrolments by month (CBP)")
    if series is None or series.empty:
        return _("{label}: no data in this release.").format(label=label)
    totals = series.groupby("month")["count"].sum()
    items = [(i18n.month_year(m), float(v)) for m, v in totals.items()]
    text = common.describe_extremes(label, items, span_words(agg.covered_span(series)))
    text += " " + _("Total over these months: {total}. No official table before January 2020.").format(
        total=f"{int(totals.sum()):,}")
    for f in flags:
        text += f" {f.text()}."
    return text


PAIRED_TITLE = N_("Official MPP enrolments at each city's paired sector and port (CBP)")


def paired_panels(panels: Sequence[dict], *, source: str = "", notes: Sequence[str] = ()) -> go.Figure:
    """Small multiples, one per city: monthly enrolments processed at its paired Border Patrol sector and at its
    paired CBP field office (two lines, never added). Each panel: {"city", "series": [(label, pd.Series)], "reason"}."""
    from plotly.subplots import make_subplots

    subtitle = _("People CBP enrolled in MPP per month, processed at the sector and the field office paired with "
                 "each city — not people in the city")
    if not panels:
        return common.empty(_(PAIRED_TITLE), subtitle, _("no cities chosen"))
    rows = len(panels)  # one column: each panel's two-line title fits a phone's width
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, subplot_titles=[common.plain(p["city"]) for p in panels],
                        vertical_spacing=min(0.6 / rows, 0.12) if rows > 1 else 0.1)
    dashes = ("solid", "dot")
    ringed = False
    for i, p in enumerate(panels):
        r, c = i + 1, 1
        for j, (label, s) in enumerate(p["series"]):
            if s.empty:
                continue
            kind = _("paired sector") if j == 0 else _("paired field office")
            changed = (p.get("revised") or {}).get(label) or {}  # month -> revised.Point (aggregates.revised)
            xs = [f"{m:%Y-%m-%d}" for m in s.index]
            when, extra = common.month_hover(xs)
            extra = dict(extra)
            if changed:  # revised months: a ring, and the hover says what was first published
                extra["customdata"] = common.revised_hovers(pd.DataFrame(
                    [(changed[m].first, changed[m].first_date, changed[m].revised_in) if m in changed
                     else (float("nan"), "", "") for m in s.index],
                    columns=["first_published", "first_date", "revised_in"]))
            fig.add_trace(go.Scatter(
                x=xs, y=[int(v) for v in s.values], mode="lines+markers",
                name=f"{kind}", showlegend=False,  # the panel's title names each line (a legend overprints it)
                line={"color": common.COLORS[j], "dash": dashes[j], "width": 2}, marker={"size": 4},
                hovertemplate=f"{common.plain(label)}<br>{when}: " + _("{n} enrolled").format(n="%{y:,}")
                              + ("%{customdata}" if changed else "") + "<extra></extra>", **extra,
            ), row=r, col=c)
            if changed:
                hit = [m in changed for m in s.index]
                fig.add_trace(common.revised_ring([x for x, h in zip(xs, hit) if h],
                                                  [int(v) for v, h in zip(s.values, hit) if h]), row=r, col=c)
                ringed = True
        if p.get("reason"):
            fig.add_annotation(text=common.plain(p["reason"]), xref=f"x{i + 1 if i else ''} domain",
                               yref=f"y{i + 1 if i else ''} domain", x=0.5, y=0.5, showarrow=False,
                               font={"size": 11, "color": common.NO_DATA})
    for a in fig.layout.annotations[: len(panels)]:  # each panel's title says which sector and office
        p = panels[[common.plain(q["city"]) for q in panels].index(a.text)]
        a.text = f"<b>{common.plain(p['city'])}</b><br>" + ", ".join(
            (_("{series} (line)") if j == 0 else _("{series} (dots)")).format(series=common.plain(lab))
            for j, (lab, _s) in enumerate(p["series"]))
        a.font = {"size": 11}  # the longest ('Rio Grande Valley sector (line), Laredo field office (dots)') fits 390 px
    fig.update_yaxes(rangemode="tozero")
    months = [m for p in panels for _l, s in p["series"] for m in s.index]
    if months:
        fig.update_xaxes(**common.date_axis(min(months), max(months), most=5))
    common.finish(fig, title=_(PAIRED_TITLE), subtitle=subtitle, source=source,
                  notes=[_(MEANING), _("Line: the paired Border Patrol sector; dots: the paired field office (ports). "
                                       "Different counts, never added. CBP's pages start in January 2020."), *notes,
                         *([_(common.REVISED_NOTE)] if ringed else [])],
                  height=260 + 170 * rows)
    return fig


def paired_alt(panels: Sequence[dict]) -> str:
    parts = []
    for p in panels:
        bits = [_("{n} processed at {where}").format(n=f"{int(s.sum()):,}", where=label)
                for label, s in p["series"] if not s.empty]
        parts.append(f"{p['city']}: " + ("; ".join(bits) if bits else (p.get("reason") or _("no data"))))
    return _("Official MPP enrolments (CBP) at each city's paired sector and field office, in total over the "
             "months CBP published: {cities}.").format(cities=". ".join(parts))
