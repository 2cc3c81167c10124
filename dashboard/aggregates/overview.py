"""Headline figures for the Overview page.

Pure functions of frames and plain values: who published a figure and where (`credit`) and the dates
that are data (MPP's reinstatement) come from the release, passed in by the page.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .. import i18n
from ..datasets import CBP_SOUTHWEST, INEGI_MUNICIPAL, IOM, MPP_REINSTATED_EVENT
from ..i18n import _, ngettext
from ..vocabulary import fmt, qualified
from . import lead
from . import mpp as mpp_agg
from .reported import definition_words

Credit = tuple[str, "str | None"]  # (attribution, address) of a source, from the release's manifest
NO_CREDIT: Credit = ("", None)


@dataclass(frozen=True)
class Trend:
    """The series behind a card's number, for its small chart (dashboard/charts/sparkline.py)."""
    what: str  # what the series counts, in words
    kind: str  # "line" (a monthly or yearly series) or "dots" (reported figures, one per date)
    x: tuple  # ISO dates or years
    y: tuple
    tick_labels: tuple = ()  # how each x is said ("Jan 2021", "2019")
    qualifiers: tuple = ()  # dots: each figure's qualifier
    lead: tuple = ()  # dots: True for the figure that leads the card
    undrawn: str = ""  # what the chart leaves out, in words (undated figures, a partial year)


@dataclass
class Headline:
    label: str
    value: str
    detail: str
    as_of: str
    source: str
    url: str | None
    missing: str | None = None  # the reason when there is no data
    trend: Trend | None = None
    dated: str = ""  # how a reported figure is dated, in words ('as of 2019-11-30', 'undated'); else 'As of' as_of
    # Every text here is in the language of the request that built the card (the Overview is built per request)


TREND_YEARS = 5  # the small charts show the last five years of a series


def event_date(events: pd.DataFrame, event_id: str = MPP_REINSTATED_EVENT) -> pd.Timestamp | None:
    """The date of a policy event (by its stable id) in the policy events table, or None."""
    if events is None or events.empty or "event_id" not in events.columns:
        return None
    rows = events[events["event_id"].astype(str) == event_id]
    return pd.Timestamp(rows["date"].iloc[0]) if len(rows) and pd.notna(rows["date"].iloc[0]) else None


def _mpp_returned(reported: pd.DataFrame) -> pd.DataFrame:
    if reported is None or reported.empty or "metric" not in reported.columns:
        return pd.DataFrame()
    return reported[reported["metric"] == "mpp_returned"]


def _border_wide(rows: pd.DataFrame) -> pd.Series:
    wide = rows["place_id"].isna()
    if "place_ids" in rows.columns:  # a figure for several cities together is not a border-wide total
        wide &= rows["place_ids"].isna()
    return wide


def _when(figure: dict) -> tuple[str, str]:
    """(the date, 'as of 2019-11-30' / 'published 2019-12-03' / 'undated') of a reported figure."""
    d = figure.get("lead_date")
    if d is None or pd.isna(d):
        return "", _("undated")
    return f"{d:%Y-%m-%d}", lead.basis_words(figure["lead_date_basis"], d)


def _sentence(text) -> str:
    text = str(text or "").strip()
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _others(chosen: lead.Lead) -> str:
    n = len(chosen.others)
    if not n:
        return ""
    return " " + ngettext("It leads {n} other reported figure as {tier}; the rule is in About & method.",
                          "It leads {n} other reported figures as {tier}; the rule is in About & method.",
                          n).format(n=n, tier=lead.tier_words(chosen.lead["lead_tier"]))


def _dots(rows: pd.DataFrame, chosen_id: str, what: str) -> Trend:
    """One dot per dated figure, the lead filled; undated figures named in words."""
    r = lead.ranked(rows)
    dated = r[r["lead_date"].notna()].sort_values("lead_date")
    undated = r[r["lead_date"].isna()]
    undrawn = ""
    if not undated.empty:
        words = "; ".join(qualified(float(v), str(q)) for v, q in zip(undated["value"], undated["qualifier"]))
        undrawn = _("Undated, so not drawn: {figures}.").format(figures=words)
    return Trend(what, "dots", tuple(f"{d:%Y-%m-%d}" for d in dated["lead_date"]),
                 tuple(float(v) for v in dated["value"]), tuple(i18n.month_abbr(d) for d in dated["lead_date"]),
                 tuple(str(q) for q in dated["qualifier"]), tuple(str(i) == chosen_id for i in dated["figure_id"]),
                 undrawn)


def mpp_total(reported: pd.DataFrame, reinstated: pd.Timestamp | None = None, official: str = "") -> Headline:
    """The border-wide figure of people sent to Mexico under MPP that leads by the rule (aggregates/lead.py);
    figures for MPP as reinstated (periods starting on or after `reinstated`, the policy event's date) are
    chosen apart and reported in the detail. `official`: the official count beside it, in words
    (aggregates/mpp.total_words), shown as a different kind of figure, never added."""
    label = _("People sent to Mexico under MPP (reported)")
    rows = _mpp_returned(reported)
    if reported is None or reported.empty:
        return Headline(label, _("no data"), "", "", "", None, _("no reported figures loaded"))
    rows = rows[_border_wide(rows)] if not rows.empty else rows
    if rows.empty:
        return Headline(label, _("no data"), "", "", "", None, _("no border-wide MPP figure in the reported figures"))
    if reinstated is None:
        later_mask = pd.Series(False, index=rows.index)
    else:  # MPP as reinstated is counted apart; a period starting in its month belongs to it
        later_mask = (rows["period_start"] >= reinstated.to_period("M").to_timestamp()).fillna(False).astype(bool)
    first, second = rows[~later_mask], rows[later_mask]
    if first.empty:
        first = rows
    chosen = lead.choose(first)
    best = chosen.lead
    detail = f"{_sentence(definition_words(best))}{_others(chosen)}"
    if not second.empty:
        later = lead.choose(second).lead
        start, end = later["period_start"], later["period_end"]
        span = (f"{i18n.month_abbr(start)}–{i18n.month_abbr(end)}" if pd.notna(end)
                else _("from {month}").format(month=i18n.month_abbr(start)))
        detail += " " + _("Under MPP as reinstated ({span}): {figure}.").format(
            span=span, figure=qualified(later["value"], later["qualifier"]))
    if official:
        detail += " " + _("Beside it, the official count: {official}.").format(official=official)
    return Headline(label, qualified(best["value"], best["qualifier"]), detail, _when(best)[0],
                    str(best["publisher"]), str(best["url"]), dated=_when(best)[1],
                    trend=_dots(first, str(best["figure_id"]), _("Border-wide figures of people sent to Mexico "
                                                                 "under MPP, by the date each describes")))


def mpp_official(enrollments: pd.DataFrame, totals: pd.DataFrame, credit: Credit = NO_CREDIT) -> Headline:
    """The official card: CBP's MPP enrolments by month (latest month with data, the total over the months CBP
    published, a note on any month whose printed total disagrees with its cells), the monthly series as its trend.
    Official counts lead: this card comes first."""
    label = _("MPP enrolments by month (CBP, official)")
    series = mpp_agg.monthly(enrollments, "total")
    if series.empty:
        return Headline(label, _("no data"), "", "", credit[0], credit[1], _not_loaded(credit))
    monthly = series.groupby("month")["count"].sum().sort_index()
    last, value = monthly.index[-1], int(monthly.iloc[-1])
    span = mpp_agg.span_words((monthly.index[0], last))
    detail = _("in {month}, the last month CBP published. {total} enrolled {span}, at Border Patrol sectors and "
               "ports (CBP's pages start in January 2020; MPP began in January 2019).").format(
        month=i18n.month_year(last), total=i18n.number(int(monthly.sum())), span=span)
    for f in mpp_agg.flagged(totals):
        detail += f" {f.text()}."
    trend = _monthly_line(monthly, _("People CBP enrolled in MPP by month"),
                          _("No official table before January 2020: those months are not drawn."))
    return Headline(label, fmt(value), detail, i18n.month_year(last), credit[0], credit[1], trend=trend)


def _monthly_line(monthly: pd.Series, what: str, undrawn: str = "") -> Trend:
    return Trend(what, "line", tuple(f"{m:%Y-%m-%d}" for m in monthly.index), tuple(float(v) for v in monthly),
                 tuple(i18n.month_abbr(m) for m in monthly.index), undrawn=undrawn)


def paired_sector_trend(enrollments: pd.DataFrame, places: pd.DataFrame, city: str, city_name: str,
                        sector_name: str) -> Trend | None:
    """A city card's small chart: CBP's monthly MPP enrolments at the city's paired Border Patrol sector (the
    official series that brackets its reported figure), or None when the release has none. A series of counts
    drawn as a line, rather than one dot per reported figure, because reported figures for one city are few and
    often undated (an undated lead figure cannot be drawn, leaving only the figures that did not lead)."""
    sector, _office = mpp_agg.paired(places, city)
    monthly = mpp_agg.area_monthly(enrollments, sector) if enrollments is not None else pd.Series(dtype="float64")
    if monthly.empty:
        return None
    return _monthly_line(monthly, _("Official: people CBP enrolled in MPP at {sector} sector (paired with {city}; "
                                    "processed there, not people in the city), by month").format(
                             sector=sector_name, city=city_name),
                         _("No official table before January 2020: those months are not drawn."))


def city_mpp(reported: pd.DataFrame, cities: Mapping[str, str],
             official: Mapping[str, str] | None = None,
             official_trends: Mapping[str, Trend | None] | None = None) -> list[Headline]:
    """For each MPP receiving city with a reported 'returned under MPP' figure of its own (`cities`: place id ->
    name shown, from the places table, west to east), the figure that leads by the rule; the border-wide figure
    the same report gives, if any, goes in the detail (the mission's pair: a border-wide total and a city's share,
    both as reported)."""
    rows = _mpp_returned(reported)
    if rows.empty:
        return []
    wide = rows[_border_wide(rows)]
    out = []
    for pid, name in cities.items():
        mine = rows[rows["place_id"] == pid]
        if mine.empty:
            continue
        chosen = lead.choose(mine)
        best = chosen.lead
        detail = _sentence(definition_words(best))
        same = wide[wide["url"] == best["url"]]
        if not same.empty:
            total = lead.choose(same).lead
            detail += " " + _("The same report: {figure} sent to Mexico under MPP, border-wide.").format(
                figure=qualified(total["value"], total["qualifier"]))
        if (official or {}).get(pid):
            detail += " " + _("Beside it, the official count: {official}.").format(official=official[pid])
        detail += _others(chosen)
        out.append(Headline(_("People sent to {city} under MPP (reported)").format(city=name),
                            qualified(best["value"], best["qualifier"]), detail, _when(best)[0],
                            str(best["publisher"]), str(best["url"]), dated=_when(best)[1],
                            trend=(official_trends or {}).get(pid)
                            or _dots(mine, str(best["figure_id"]),
                                     _("Reported figures for {city}, by the date each describes").format(city=name))))
    return out


def southwest_latest(encounters: pd.DataFrame, credit: Credit = NO_CREDIT) -> Headline:
    label = _("Southwest border encounters, latest month")
    sw = encounters[encounters["dataset"] == CBP_SOUTHWEST] if not encounters.empty else encounters
    if sw.empty:
        return Headline(label, _("no data"), "", "", credit[0], None, _not_loaded(credit))
    monthly = sw.groupby("month")["count"].sum().sort_index()
    last, value = monthly.index[-1], int(monthly.iloc[-1])
    detail = ""
    if len(monthly) > 1:
        prev = int(monthly.iloc[-2])
        change = (value - prev) / prev * 100 if prev else float("nan")
        change_text = (("+" if change >= 0 else "-") + i18n.number(abs(change), 1) + "%") if change == change \
            else f"{change:+.1f}%"
        detail = _("{change} from {month} ({previous})").format(change=change_text,
                                                                 month=i18n.month_year(monthly.index[-2]),
                                                                 previous=fmt(prev))
    recent = monthly[monthly.index > last - pd.DateOffset(years=TREND_YEARS)]
    trend = Trend(_("Southwest border encounters by month"), "line", tuple(f"{m:%Y-%m-%d}" for m in recent.index),
                  tuple(float(v) for v in recent), tuple(i18n.month_abbr(m) for m in recent.index))
    return Headline(label, fmt(value), detail, i18n.month_year(last), credit[0], credit[1], trend=trend)


def _not_loaded(credit: Credit) -> str:
    return (_("no data from {source} in this release").format(source=credit[0]) if credit[0]
            else _("its source is not in this release"))


def city_homicides_last_year(homicides: pd.DataFrame, cities: Mapping[str, str], credit: Credit = NO_CREDIT) -> Headline:
    """`cities`: the MPP receiving cities (place id -> name shown), from the places table."""
    label = _("Homicides in the MPP receiving cities, last full year")
    muni = homicides[homicides["dataset"] == INEGI_MUNICIPAL] if not homicides.empty else homicides
    if muni.empty:
        return Headline(label, _("no data"), "", "", credit[0], None, _not_loaded(credit))
    full = muni.groupby(muni["month"].dt.year)["month"].nunique()
    years = full[full == 12].index
    if len(years) == 0:
        return Headline(label, _("no data"), "", "", credit[0], None, _("no full calendar year in the homicides file"))
    year = int(years.max())
    mine = muni[muni["place_id"].isin(list(cities))]
    value = int(mine[mine["month"].dt.year == year]["count"].sum())
    shown = [int(y) for y in sorted(years) if int(y) > year - TREND_YEARS]
    by_year = mine.groupby(mine["month"].dt.year)["count"].sum()
    trend = Trend(_("Homicides in the MPP receiving cities by year"), "line", tuple(shown),
                  tuple(float(by_year.get(y, 0)) for y in shown), tuple(str(y) for y in shown),
                  undrawn=_("Full calendar years only."))
    return Headline(label, fmt(value), ", ".join(cities.values()), str(year), credit[0], credit[1], trend=trend)


def border_deaths_last_year(deaths: pd.DataFrame, credit: Credit = NO_CREDIT, counted: str = "") -> Headline:
    """Dead and missing of the IOM dataset in its last full year; `counted` says what it counts (from the
    release's description of the dataset)."""
    label = _("Migrants dead or missing on the US–Mexico border, last full year")
    iom = deaths[deaths["dataset"] == IOM] if not deaths.empty else deaths
    iom = iom.dropna(subset=["date"]) if not iom.empty else iom
    if iom.empty:
        return Headline(label, _("no data"), "", "", credit[0], None, _not_loaded(credit))
    last = iom["date"].max()
    year = last.year if last.month == 12 and last.day >= 28 else last.year - 1
    rows = iom[iom["date"].dt.year == year]
    value = int(rows["dead"].sum() + rows["missing"].sum())
    first = int(iom["date"].min().year)
    shown = [y for y in range(max(first, year - TREND_YEARS + 1), year + 1)]
    by_year = iom.groupby(iom["date"].dt.year)[["dead", "missing"]].sum().sum(axis=1)
    trend = Trend(_("Migrants dead or missing on the US–Mexico border by year (IOM)"), "line", tuple(shown),
                  tuple(float(by_year.get(y, 0)) for y in shown), tuple(str(y) for y in shown),
                  undrawn=_("Full calendar years only."))
    # `counted`: what the dataset counts, in the reader's language (data_access.dataset_words)
    detail = _("{counted} on the US–Mexico border crossing route; not added to the other records of migrant "
               "deaths, which count many of the same deaths").format(counted=counted or _("Dead and missing"))
    return Headline(label, fmt(value), detail, str(year), credit[0], credit[1], trend=trend)
