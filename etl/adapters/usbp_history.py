"""U.S. Border Patrol historical tables, as transcribed to CSV by J. Kaplan (jacobkap/borderpatrol).

Three layouts, recognised by their header:

* ``southwest_border_apprehensions_1960_2019.csv`` -- ``sector, fiscal_year,
  total_apprehensions`` -> table ``apprehensions_annual``, dataset
  ``usbp_sw_apprehensions_annual``.
* ``southwest_border_deaths_1998_2019.csv`` -- ``sector, fiscal_year, deaths`` -> table
  ``sector_deaths``, dataset ``usbp_sw_deaths_annual``.
* ``family_child_total_monthly_2000_2019.csv`` -- ``sector, fiscal_year, month,
  total_apprehensions, unaccompanied_child_apprehension, family_apprehensions`` -> table
  ``encounters``: the totals in dataset ``usbp_history_monthly``, the unaccompanied-child
  and family-unit counts in a separate dataset ``usbp_history_monthly_family_child``
  (demographic "Unaccompanied Children" / "Family Units") so that they are never added
  to the totals they are part of.

Quirks: sector names are lower case (``rio grande valley``; ``big bend`` was ``marfa``),
resolved through the gazetteer. Besides sectors, the files hold published totals:
``southwest border`` (all three files), ``northern border``, ``coastal border`` and
``nationwide total`` (monthly file), and ``month == "yearly total"`` rows (monthly file).
Missing values are written ``NA``: Livermore sector (closed in 2004) has NA totals from
FY2006, and the child / family counts only start in FY2010 / FY2013. Missing is not
zero: those rows are dropped, with a note.

Totals: each published total is compared with the sum of its parts (the regional
totals with their sectors, the nationwide total with all sectors, each yearly total with
its twelve months), then dropped. The transcription is frozen at FY2019 and its
differences come from the publisher's PDFs, so a difference is reported as a note
listing the years, months and amounts, not as an error (the real file has four:
northern border family apprehensions, Oct-Dec FY2018 and the year). Duplicate rows, bad
or negative numbers and unknown sectors are errors naming the line.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..periods import parse_fiscal_months
from ..readers import LINE, Layout, ascii_fold, read_layout, required_text, to_number
from ..schema import conform
from ..values import check_duplicates
from . import Context, Parsed
from .cbp_encounters import encounters_frame, resolve_areas

MONTHLY = "usbp_history_monthly"
FAMILY_CHILD = "usbp_history_monthly_family_child"
APPREHENSIONS = "usbp_sw_apprehensions_annual"
DEATHS = "usbp_sw_deaths_annual"

LAYOUTS = (
    Layout(
        MONTHLY,
        columns={
            "sector": [], "fiscal_year": [], "month": [],
            "total_apprehensions": [],
            "unaccompanied_child_apprehension": ["unaccompanied_child_apprehensions"],
            "family_apprehensions": ["family_apprehension"],
        },
    ),
    Layout(APPREHENSIONS, columns={"sector": [], "fiscal_year": [], "total_apprehensions": []}),
    Layout(DEATHS, columns={"sector": [], "fiscal_year": [], "deaths": []}),
)

SOUTHWEST, NORTHERN, COASTAL = "southwest border", "northern border", "coastal border"
NATIONWIDE = "nationwide total"
TOTAL_ROWS = (SOUTHWEST, NORTHERN, COASTAL, NATIONWIDE)
YEARLY_TOTAL = "yearly total"
# Sector codes (place id "US-SEC-<code>") by the region whose published total they add up to.
# Houlton and New Orleans are HLT / NLL in places.csv (CBP's AOR codes); HTM / NOL also accepted.
REGION_OF_SECTOR = {
    **dict.fromkeys(["SDC", "ELC", "YUM", "TCA", "EPT", "BBT", "DRT", "LRT", "RGV"], SOUTHWEST),
    **dict.fromkeys(["BLW", "SPW", "HVM", "GFN", "DTM", "BUN", "SWB", "HLT", "HTM"], NORTHERN),
    **dict.fromkeys(["MIP", "NLL", "NOL", "RMY", "LIV"], COASTAL),
}
FAMILY_CHILD_DEMOGRAPHICS = {
    "unaccompanied_child_apprehension": "Unaccompanied Children",
    "family_apprehensions": "Family Units",
}
_MAX_LISTED = 10


def parse(path: Path, ctx: Context) -> list[Parsed]:
    layout, df, _ = read_layout(path, LAYOUTS, strict=True)
    lines = df[LINE]
    df["sector"] = required_text(df["sector"], column="sector", lines=lines)
    df["key"] = df["sector"].map(ascii_fold)
    df["fiscal_year"] = to_number(df["fiscal_year"], column="fiscal_year", lines=lines)
    periods = ["fiscal_year"] + (["month"] if layout.name == MONTHLY else [])
    if layout.name == MONTHLY:
        df["month"] = required_text(df["month"], column="month", lines=lines).str.casefold()
    check_duplicates(df, ["key", *periods], what="sector and period")
    values = [c for c in layout.columns if c not in ("sector", "fiscal_year", "month")]
    missing_ok = layout.name == MONTHLY  # NA: not yet recorded (child / family counts) or sector closed
    for col in values:
        df[col] = to_number(df[col].replace("NA", ""), column=col, lines=lines, allow_missing=missing_ok)

    notes: list[str] = []
    if layout.name == MONTHLY:
        yearly = df["month"] == YEARLY_TOTAL
        notes += _check_yearly(df, values)
        notes.append(f"{int(yearly.sum())} 'yearly total' rows checked against their months and dropped")
        df = df[~yearly].copy()
        df["month_start"], _ = parse_fiscal_months(  # every label, totals' too
            df["fiscal_year"].astype(str), df["month"], lines=df[LINE], fy_column="fiscal_year", month_column="month"
        )
    is_total = df["key"].isin(TOTAL_ROWS)
    parts, totals = df[~is_total].copy(), df[is_total]
    parts["area_id"] = resolve_areas(ctx.gazetteer, parts["sector"], kinds=("sector",), column="sector",
                                     lines=parts[LINE])
    check_duplicates(parts, ["area_id", *periods], what="sector and period (two names of one sector)")
    notes += _check_totals(parts, totals, values, periods)
    if not totals.empty:
        names = ", ".join(repr(n) for n in sorted(totals["key"].unique()))
        notes.append(f"{len(totals)} published total rows ({names}) checked against their sectors and dropped")

    if layout.name == MONTHLY:
        return _monthly(parts, notes)
    table, value = ("apprehensions_annual", "count") if layout.name == APPREHENSIONS else ("sector_deaths", "deaths")
    out = pd.DataFrame({
        "dataset": layout.name, "fiscal_year": parts["fiscal_year"], "area_id": parts["area_id"],
        "area_name": parts["sector"], value: parts[values[0]], LINE: parts[LINE],
    })
    return [Parsed(table, layout.name, conform(out, table), tuple(notes))]


def _monthly(parts: pd.DataFrame, notes: list[str]) -> list[Parsed]:
    base = {"month": parts["month_start"], "fiscal_year": parts["fiscal_year"], "component": "U.S. Border Patrol",
            "area_id": parts["area_id"], "area_name": parts["sector"], LINE: parts[LINE]}
    totals = pd.DataFrame({"dataset": MONTHLY, **base, "count": parts["total_apprehensions"]})
    empty = totals["count"].isna()
    notes_total = list(notes)
    if empty.any():
        notes_total.append(f"{int(empty.sum())} sector-months with no total (NA, not zero) dropped: "
                           + _describe(parts[empty]))
    result = [Parsed("encounters", MONTHLY, encounters_frame(totals[~empty]), tuple(notes_total))]
    frames, notes_fc = [], list(notes)
    for col, demographic in FAMILY_CHILD_DEMOGRAPHICS.items():
        rows = pd.DataFrame({"dataset": FAMILY_CHILD, **base, "demographic": demographic, "count": parts[col]})
        empty = rows["count"].isna()
        if empty.any():
            first = parts.loc[~empty, "fiscal_year"].min()
            notes_fc.append(f"{int(empty.sum())} sector-months without {demographic.lower()} counts (NA, not zero) "
                            f"dropped; counts start in FY{first}")
        frames.append(rows[~empty])
    family_child = pd.concat(frames, ignore_index=True)
    result.append(Parsed("encounters", FAMILY_CHILD, encounters_frame(family_child), tuple(notes_fc)))
    return result


def _check_yearly(df: pd.DataFrame, values: list[str]) -> list[str]:
    """Each sector's (and each total's) 'yearly total' row against the sum of its months."""
    yearly = df["month"] == YEARLY_TOTAL
    sums = df[~yearly].groupby(["key", "fiscal_year"])[values].sum(min_count=1)
    published = df[yearly].set_index(["key", "fiscal_year"])[values]
    return _differences(published, sums, "yearly total vs. sum of months")


def _check_totals(parts: pd.DataFrame, totals: pd.DataFrame, values: list[str], periods: list[str]) -> list[str]:
    """Regional totals against their sectors, the nationwide total against all sectors."""
    if totals.empty:
        return []
    region = parts["area_id"].str.removeprefix("US-SEC-").map(REGION_OF_SECTOR)
    if region.isna().any() and set(totals["key"]) - {NATIONWIDE}:
        idx = region[region.isna()].index[0]
        raise SourceError(
            f"sector {parts.at[idx, 'sector']!r} ({parts.at[idx, 'area_id']}) belongs to no region known to this "
            "adapter, so the regional totals cannot be checked (add it to REGION_OF_SECTOR)",
            line=int(parts.at[idx, LINE]), column="sector",
        )
    sums = [parts.assign(key=region).groupby(["key", *periods])[values].sum(min_count=1),
            parts.assign(key=NATIONWIDE).groupby(["key", *periods])[values].sum(min_count=1)]
    published = totals.set_index(["key", *periods])[values]
    return _differences(published, pd.concat(sums), "published total vs. sum of sectors")


def _differences(published: pd.DataFrame, sums: pd.DataFrame, what: str) -> list[str]:
    notes = []
    sums = sums.reindex(published.index)
    for col in published.columns:
        diff = (sums[col] - published[col]).dropna()
        diff = diff[diff != 0]
        if diff.empty:
            continue
        listed = [f"{_key_text(key)}: {int(published.at[key, col])} published, "
                  f"{int(sums.at[key, col])} summed" for key in diff.index[:_MAX_LISTED]]
        more = f" and {len(diff) - _MAX_LISTED} more" if len(diff) > _MAX_LISTED else ""
        notes.append(f"{what} differs for {col} ({len(diff)}): {'; '.join(listed)}{more}")
    return notes


def _key_text(key: tuple) -> str:
    """('northern border', 2018, 'october') -> 'northern border FY2018 october'."""
    return " ".join(f"FY{k}" if i == 1 else str(k) for i, k in enumerate(key))


def _describe(rows: pd.DataFrame) -> str:
    spans = rows.groupby("sector")["fiscal_year"].agg(["min", "max"])
    return ", ".join(f"{s} FY{lo}" + (f"-FY{hi}" if hi != lo else "") for s, (lo, hi) in spans.iterrows())
