"""Headline figures for the Overview page."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..vocabulary import fmt, qualified

REINSTATED = pd.Timestamp("2021-12-01")


@dataclass
class Headline:
    label: str
    value: str
    detail: str
    as_of: str
    source: str
    url: str | None
    missing: str | None = None  # the reason when there is no data


def mpp_total(reported: pd.DataFrame) -> Headline:
    label = "People sent to Mexico under MPP"
    if reported.empty:
        return Headline(label, "no data", "", "", "", None, "no reported figures loaded")
    rows = reported[(reported["metric"] == "mpp_returned") & reported["place_id"].isna()].copy()
    if rows.empty:
        return Headline(label, "no data", "", "", "", None, "no border-wide MPP figure in the reported figures")
    rows["when"] = rows["as_of"].fillna(rows["period_end"]).fillna(rows["published"])
    rows = rows.dropna(subset=["when"]).sort_values("when")
    reinstated = rows["period_start"] >= REINSTATED  # MPP as reinstated in December 2021 is counted apart
    first, second = rows[~reinstated.fillna(False)], rows[reinstated.fillna(False)]
    if first.empty:
        first = rows
    best = first.iloc[-1]
    detail = f"{best['definition']}."
    if not second.empty:
        later = second.iloc[-1]
        detail += f" Under MPP as reinstated (Dec 2021–Aug 2022): {qualified(later['value'], later['qualifier'])}."
    return Headline(label, qualified(best["value"], best["qualifier"]), detail, best["when"].date().isoformat(),
                    str(best["publisher"]), str(best["url"]))


def southwest_latest(encounters: pd.DataFrame, retrieved: str | None) -> Headline:
    label = "Southwest border encounters, latest month"
    sw = encounters[encounters["dataset"] == "cbp_southwest"] if not encounters.empty else encounters
    if sw.empty:
        return Headline(label, "no data", "", "", "U.S. Customs and Border Protection", None,
                        "the CBP encounters source is not loaded")
    monthly = sw.groupby("month")["count"].sum().sort_index()
    last, value = monthly.index[-1], int(monthly.iloc[-1])
    detail = ""
    if len(monthly) > 1:
        prev = int(monthly.iloc[-2])
        change = (value - prev) / prev * 100 if prev else float("nan")
        detail = f"{change:+.1f}% from {monthly.index[-2]:%B %Y} ({fmt(prev)})"
    return Headline(label, fmt(value), detail, f"{last:%B %Y}", "U.S. Customs and Border Protection",
                    "https://www.cbp.gov/newsroom/stats/southwest-land-border-encounters",
                    None if retrieved else None)


def city_homicides_last_year(homicides: pd.DataFrame, cities: Mapping[str, str]) -> Headline:
    """`cities`: the MPP receiving cities (place id -> name shown), from the places table."""
    label = "Homicides in the MPP receiving cities, last full year"
    muni = homicides[homicides["dataset"] == "inegi_municipal_month"] if not homicides.empty else homicides
    if muni.empty:
        return Headline(label, "no data", "", "", "INEGI via Gargiulo et al.", None,
                        "the INEGI homicides source is not loaded")
    full = muni.groupby(muni["month"].dt.year)["month"].nunique()
    years = full[full == 12].index
    if len(years) == 0:
        return Headline(label, "no data", "", "", "INEGI death certificates, compiled by Gargiulo et al.", None,
                        "no full calendar year in the homicides file")
    year = int(years.max())
    value = int(muni[(muni["month"].dt.year == year) & muni["place_id"].isin(list(cities))]["count"].sum())
    return Headline(label, fmt(value), ", ".join(cities.values()), str(year), "INEGI death certificates, compiled by Gargiulo et al.",
                    "https://github.com/thegargiulian/mexico-homicide-rates")


def border_deaths_last_year(deaths: pd.DataFrame) -> Headline:
    label = "Migrants dead or missing on the US–Mexico border, last full year"
    iom = deaths[deaths["dataset"] == "iom_us_mexico_border"] if not deaths.empty else deaths
    iom = iom.dropna(subset=["date"]) if not iom.empty else iom
    if iom.empty:
        return Headline(label, "no data", "", "", "IOM Missing Migrants Project", None,
                        "the IOM Missing Migrants source is not loaded")
    last = iom["date"].max()
    year = last.year if last.month == 12 and last.day >= 28 else last.year - 1
    rows = iom[iom["date"].dt.year == year]
    value = int(rows["dead"].sum() + rows["missing"].sum())
    return Headline(label, fmt(value), "IOM incidents on the US–Mexico border crossing route (dead and missing); "
                    "not added to Pima County's records, which IOM already counts", str(year),
                    "IOM Missing Migrants Project", "https://missingmigrants.iom.int/downloads")
