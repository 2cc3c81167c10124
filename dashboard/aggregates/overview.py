"""Headline figures for the Overview page.

Pure functions of frames and plain values: who published a figure and where (`credit`) and the dates
that are data (MPP's reinstatement) come from the release, passed in by the page.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..datasets import CBP_SOUTHWEST, INEGI_MUNICIPAL, IOM, MPP_REINSTATED_EVENT
from ..vocabulary import fmt, qualified

Credit = tuple[str, "str | None"]  # (attribution, address) of a source, from the release's manifest
NO_CREDIT: Credit = ("", None)


@dataclass
class Headline:
    label: str
    value: str
    detail: str
    as_of: str
    source: str
    url: str | None
    missing: str | None = None  # the reason when there is no data


def event_date(events: pd.DataFrame, event_id: str = MPP_REINSTATED_EVENT) -> pd.Timestamp | None:
    """The date of a policy event (by its stable id) in the policy events table, or None."""
    if events is None or events.empty or "event_id" not in events.columns:
        return None
    rows = events[events["event_id"].astype(str) == event_id]
    return pd.Timestamp(rows["date"].iloc[0]) if len(rows) and pd.notna(rows["date"].iloc[0]) else None


def mpp_total(reported: pd.DataFrame, reinstated: pd.Timestamp | None = None) -> Headline:
    """The latest border-wide figure of people sent to Mexico under MPP; figures for MPP as reinstated
    (periods starting on or after `reinstated`, the policy event's date) are reported apart."""
    label = "People sent to Mexico under MPP"
    if reported.empty:
        return Headline(label, "no data", "", "", "", None, "no reported figures loaded")
    border_wide = reported["place_id"].isna()
    if "place_ids" in reported.columns:  # a figure for several cities together is not a border-wide total
        border_wide &= reported["place_ids"].isna()
    rows = reported[(reported["metric"] == "mpp_returned") & border_wide].copy()
    if rows.empty:
        return Headline(label, "no data", "", "", "", None, "no border-wide MPP figure in the reported figures")
    rows["when"] = rows["as_of"].fillna(rows["period_end"]).fillna(rows["published"])
    rows = rows.dropna(subset=["when"]).sort_values("when")
    if reinstated is None:
        later_mask = pd.Series(False, index=rows.index)
    else:  # MPP as reinstated is counted apart; a period starting in its month belongs to it
        later_mask = (rows["period_start"] >= reinstated.to_period("M").to_timestamp()).fillna(False)
    first, second = rows[~later_mask], rows[later_mask]
    if first.empty:
        first = rows
    best = first.iloc[-1]
    detail = f"{best['definition']}."
    if not second.empty:
        later = second.iloc[-1]
        start, end = later["period_start"], later["period_end"]
        span = f"{start:%b %Y}–{end:%b %Y}" if pd.notna(end) else f"from {start:%b %Y}"
        detail += f" Under MPP as reinstated ({span}): {qualified(later['value'], later['qualifier'])}."
    return Headline(label, qualified(best["value"], best["qualifier"]), detail, best["when"].date().isoformat(),
                    str(best["publisher"]), str(best["url"]))


def southwest_latest(encounters: pd.DataFrame, credit: Credit = NO_CREDIT) -> Headline:
    label = "Southwest border encounters, latest month"
    sw = encounters[encounters["dataset"] == CBP_SOUTHWEST] if not encounters.empty else encounters
    if sw.empty:
        return Headline(label, "no data", "", "", credit[0], None, _not_loaded(credit))
    monthly = sw.groupby("month")["count"].sum().sort_index()
    last, value = monthly.index[-1], int(monthly.iloc[-1])
    detail = ""
    if len(monthly) > 1:
        prev = int(monthly.iloc[-2])
        change = (value - prev) / prev * 100 if prev else float("nan")
        detail = f"{change:+.1f}% from {monthly.index[-2]:%B %Y} ({fmt(prev)})"
    return Headline(label, fmt(value), detail, f"{last:%B %Y}", credit[0], credit[1])


def _not_loaded(credit: Credit) -> str:
    return f"no data from {credit[0]} in this release" if credit[0] else "its source is not in this release"


def city_homicides_last_year(homicides: pd.DataFrame, cities: Mapping[str, str], credit: Credit = NO_CREDIT) -> Headline:
    """`cities`: the MPP receiving cities (place id -> name shown), from the places table."""
    label = "Homicides in the MPP receiving cities, last full year"
    muni = homicides[homicides["dataset"] == INEGI_MUNICIPAL] if not homicides.empty else homicides
    if muni.empty:
        return Headline(label, "no data", "", "", credit[0], None, _not_loaded(credit))
    full = muni.groupby(muni["month"].dt.year)["month"].nunique()
    years = full[full == 12].index
    if len(years) == 0:
        return Headline(label, "no data", "", "", credit[0], None, "no full calendar year in the homicides file")
    year = int(years.max())
    value = int(muni[(muni["month"].dt.year == year) & muni["place_id"].isin(list(cities))]["count"].sum())
    return Headline(label, fmt(value), ", ".join(cities.values()), str(year), credit[0], credit[1])


def border_deaths_last_year(deaths: pd.DataFrame, credit: Credit = NO_CREDIT, counted: str = "") -> Headline:
    """Dead and missing of the IOM dataset in its last full year; `counted` says what it counts (from the
    release's description of the dataset)."""
    label = "Migrants dead or missing on the US–Mexico border, last full year"
    iom = deaths[deaths["dataset"] == IOM] if not deaths.empty else deaths
    iom = iom.dropna(subset=["date"]) if not iom.empty else iom
    if iom.empty:
        return Headline(label, "no data", "", "", credit[0], None, _not_loaded(credit))
    last = iom["date"].max()
    year = last.year if last.month == 12 and last.day >= 28 else last.year - 1
    rows = iom[iom["date"].dt.year == year]
    value = int(rows["dead"].sum() + rows["missing"].sum())
    detail = (f"{counted or 'Dead and missing'} on the US–Mexico border crossing route; not added to the other "
              "records of migrant deaths, which count many of the same deaths")
    return Headline(label, fmt(value), detail, str(year), credit[0], credit[1])
