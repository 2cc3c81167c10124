"""Official MPP enrolments (CBP's MPP statistics pages, tables mpp_enrollments and mpp_enrollment_totals).

Pure functions of frames. CBP published one page per fiscal year and the pages overlap, so the tables hold one
dataset per page and a month can be in several. Nothing here ever adds two datasets: for each month ONE dataset is
used (`one_dataset_per_month`): the page that covers most months of that month's fiscal year (the fiscal year's own
page); on a tie, the dataset whose id sorts last (the later page). Counts are people CBP enrolled in MPP at a Border
Patrol sector or a CBP field office (ports) in a month: processed there, not people in a Mexican city.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import i18n
from ..i18n import N_, _
from . import revised

SPLITS = {  # translate where shown: _(SPLITS[k])
    "total": N_("CBP total"),
    "component": N_("Border Patrol / field offices"),
    "area": N_("Sector or field office"),
}
DEFAULT_SPLIT = "component"
# CBP's components as published -> the short name charts show (translated where used: _(…))
COMPONENT_SHORT = {"U.S. Border Patrol": N_("Border Patrol (USBP)"),
                   "Office of Field Operations": N_("Field offices (OFO)")}
CBP_TOTAL = "CBP Total"
FIRST_PAGE_MONTH = pd.Timestamp("2020-01-01")  # the first month in any of CBP's MPP pages (FY 2020 page)


def listed(items) -> str:
    """'a, b and c' / 'a, b y c': a list in words, in the reader's language (Babel's list patterns)."""
    from babel.lists import format_list

    items = [str(i) for i in items]
    if len(items) > 2 and i18n.lang() == "en":  # the house style: no serial comma
        return f"{', '.join(items[:-1])} and {items[-1]}"
    return format_list(items, locale=i18n.LOCALES[i18n.lang()]) if items else ""


def _fy(month: pd.Series) -> pd.Series:
    return month.dt.year + (month.dt.month >= 10).astype(int)


def one_dataset_per_month(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one dataset per month (see the module's docstring): never two pages' counts for one month."""
    if rows is None or rows.empty:
        return rows
    rows = rows.copy()
    rows["month"] = pd.to_datetime(rows["month"])
    for col in ("dataset", "component", "place_id", "area_name", "total_label"):  # the release reads categories
        if col in rows:
            rows[col] = rows[col].astype(str)
    months = rows[["dataset", "month"]].drop_duplicates()
    months["fy"] = _fy(months["month"])
    cover = months.groupby(["dataset", "fy"]).size().rename("cover").reset_index()
    cand = months.merge(cover, on=["dataset", "fy"]).sort_values(["month", "cover", "dataset"])
    chosen = cand.groupby("month").tail(1)[["dataset", "month"]]
    return rows.merge(chosen, on=["dataset", "month"]).sort_values(["month", "place_id" if "place_id" in rows
                                                                      else "dataset"]).reset_index(drop=True)


def monthly(enrollments: pd.DataFrame, split: str = DEFAULT_SPLIT, names: dict | None = None) -> pd.DataFrame:
    """Columns month, group, place_id, count, dataset: the sum of CBP's own cells per month (and per component or
    per sector/field office). A printed total that disagrees with its cells is reported by `flagged`, not used.
    `names` (place id -> name, from the places table) names sectors and field offices as every other chart does;
    without it, CBP's own label on the page is used."""
    cols = ["month", "group", "place_id", "count", "dataset"]
    rows = one_dataset_per_month(enrollments)
    if rows is None or rows.empty:
        return pd.DataFrame({c: [] for c in cols})
    marked = revised.has_marks(rows)  # enrollments with what their counts were first published as
    if split == "total":
        rows = rows.assign(group=_("CBP total (all sectors and field offices)"), place_id="")
    elif split == "component":
        short = {k: _(v) for k, v in COMPONENT_SHORT.items()}
        rows = rows.assign(group=rows["component"].map(short).fillna(rows["component"]), place_id="")
    else:
        sector, office = _("{name} sector"), _("{name} field office")
        named = [(names or {}).get(p, a) for p, a in zip(rows["place_id"], rows["area_name"])]
        rows = rows.assign(group=pd.Series([(sector if str(p).startswith("US-SEC") else office).format(name=n)
                                            for p, n in zip(rows["place_id"], named)], index=rows.index, dtype=object))
    by = ["month", "group", "place_id", "dataset"]
    if marked:  # each bar as its cells were first published (aggregates.revised)
        out = revised.totals(rows, by, "count").drop(columns="revised")
        cols = cols + ["first_published", "first_date", "revised_in"]
    else:
        out = rows.groupby(by, sort=False)["count"].sum().reset_index()
    return out.sort_values(["month", "group"]).reset_index(drop=True)[cols]


@dataclass(frozen=True)
class Flag:
    month: pd.Timestamp
    label: str
    printed: int | None
    parts: int
    dataset: str

    def text(self) -> str:
        printed = i18n.number(self.printed) if self.printed is not None else _("nothing")
        return _("{month}: CBP printed {printed} as its {label}; its rows add to {parts} (the chart draws the "
                 "rows)").format(month=i18n.month_abbr(self.month), printed=printed, label=self.label,
                                 parts=i18n.number(self.parts))


def flagged(totals: pd.DataFrame) -> list[Flag]:
    """Months whose printed total disagrees with CBP's own cells, in the page used for that month (the same
    one-dataset-per-month rule as the counts)."""
    if totals is None or totals.empty:
        return []
    t = one_dataset_per_month(totals)
    bad = t[~t["totals_reconcile"].astype(bool)].sort_values(["month", "total_label"])
    return [Flag(r.month, str(r.total_label), None if pd.isna(r.printed_total) else int(r.printed_total),
                 int(r.sum_of_parts), str(r.dataset)) for r in bad.itertuples()]


def covered_span(series: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if series is None or series.empty:
        return None
    return pd.Timestamp(series["month"].min()), pd.Timestamp(series["month"].max())


def span_words(span: tuple[pd.Timestamp, pd.Timestamp] | None) -> str:
    if span is None:
        return ""
    a, b = span
    return i18n.month_year(a) if a == b else f"{i18n.month_year(a)}–{i18n.month_year(b)}"


def paired(places: pd.DataFrame, city: str) -> tuple[str | None, str | None]:
    """(sector id, field office id) paired with a border city: its us_sector_id, and its paired port's
    field_office_id (the same rule as the gazetteer's paired_us_areas, read from the release's places table)."""
    p = places.set_index("place_id") if "place_id" in places.columns else places
    if city not in p.index:
        return None, None
    row = p.loc[city]
    text = lambda v: v.strip() if isinstance(v, str) and v.strip() else None  # noqa: E731
    sector, port = text(row.get("us_sector_id")), text(row.get("us_port"))
    office = text(p.loc[port].get("field_office_id")) if port and port in p.index and "field_office_id" in p else None
    return sector, office


def area_monthly(enrollments: pd.DataFrame, area_id: str | None) -> pd.Series:
    """Monthly enrolments at one sector or field office (one dataset per month), indexed by month."""
    rows = one_dataset_per_month(enrollments)
    if not area_id or rows is None or rows.empty:
        return pd.Series(dtype="float64")
    mine = rows[rows["place_id"] == area_id]
    return mine.groupby("month")["count"].sum().sort_index()


def area_revisions(enrollments: pd.DataFrame, area_id: str | None) -> dict:
    """{month: revised.Point} of the months of `area_monthly` that hold a revised count (`enrollments` marked by
    aggregates.revised.attach; {} when they are not)."""
    if not area_id or enrollments is None or enrollments.empty or not revised.has_marks(enrollments):
        return {}
    rows = one_dataset_per_month(enrollments)
    return revised.points(rows[rows["place_id"] == area_id], "month", "count")


def shared_areas(places: pd.DataFrame, cities) -> dict[str, list[str]]:
    """{sector or field office id: the cities of `cities` paired with it}, for areas paired with two or more."""
    out: dict[str, list[str]] = {}
    for c in cities:
        for area in paired(places, c):
            if area:
                out.setdefault(area, []).append(c)
    return {a: cs for a, cs in out.items() if len(cs) > 1}


def total_words(enrollments: pd.DataFrame) -> str:
    """"CBP's pages count 8,922 enrolments January–September 2020" (all sectors and field offices, one page per
    month), or '' without the table."""
    series = monthly(enrollments, "total")
    if series.empty:
        return ""
    return _("CBP's pages count {n} MPP enrolments {span} (official, all sectors and ports)").format(
        n=i18n.number(int(series["count"].sum())), span=span_words(covered_span(series)))


def paired_words(enrollments: pd.DataFrame, places: pd.DataFrame, city: str) -> str:
    """'CBP's pages count 3,039 enrolments processed at El Paso sector and 120 at El Paso field office,
    January 2020–January 2021' for a city's paired sector and field office, or ''."""
    names = places.set_index("place_id")["name"] if "place_id" in places else pd.Series(dtype=str)
    parts = []
    months = []
    for area, where in zip(paired(places, city), (_("{n} processed at {name} sector"),
                                                  _("{n} processed at {name} field office"))):
        s = area_monthly(enrollments, area)
        if area and not s.empty:
            parts.append(where.format(n=i18n.number(int(s.sum())), name=names.get(area, area)))
            months.extend(s.index)
    if not parts:
        return ""
    span = span_words((min(months), max(months)))
    return _("CBP's pages count {parts} ({span}; enrolments processed there, not people in the city)").format(
        parts=listed(parts), span=span)
