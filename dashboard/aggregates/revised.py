"""Revised figures on charts and in CSVs: which rows of a table hold a revised value, and what a chart point
built from such rows was first published as (issue 14, section 4).

The release's ``revisions`` table (etl/revisions.py) has, for every value a publisher revised, the value as
first published (revision 0) and each later one, with the release that published it and when. A row of a
table is *revised* when the revisions table has rows for its key and value column. A chart point often adds
up many rows (a month's encounters over every citizenship and component): the point is revised when any of
its rows is, and it was first published as the sum of the first-published values of its revised rows and the
current values of the others (the rows that were never revised were, as far as the releases know, published
as they are now). That is what its hover text and the CSV's `first_published` column give.

Pure functions, frames in and frames out; one place for every chart:

- `table_marks(revisions, table, name, column, key)`: the revised rows of `table` (by index label), each with
  its first-published value, the date of the release that held it and the date of its last revision;
- `attach(rows, marks, value)`: `rows` (a part of that table, same index labels) with the columns
  FIRST (the first-published value, the current one where not revised), FIRST_DATE and REVISED_IN;
- `totals(rows, by, value)`: per chart point (`by`), the value, whether it is revised and what it was first
  published as;
- `hover(first, first_date, revised_in)`: "revised: first published as 3,400 (2026-11-27)" (empty if not).
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..i18n import _
from ..vocabulary import fmt

FIRST, FIRST_DATE, REVISED_IN = "_first", "_first_date", "_revised_in"


class Point(NamedTuple):
    """A revised chart point: what it was first published as, and when (YYYY-MM-DD) it was first published and
    last revised."""
    first: float
    first_date: str
    revised_in: str
MARK_COLUMNS = ("first_value", "first_date", "revised_in")


def empty_marks() -> pd.DataFrame:
    return pd.DataFrame({"first_value": pd.Series(dtype="float64"), "first_date": pd.Series(dtype="object"),
                         "revised_in": pd.Series(dtype="object")})


def _day(value) -> str:
    """YYYY-MM-DD of a release time ('' for none)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)[:10]


def _text(value) -> str:
    """A key value as text, the same for the table's cells and the revisions' JSON: '' for missing, whole
    numbers without '.0', dates as YYYY-MM-DD (as etl.changes writes them)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        t = pd.Timestamp(value)
        return t.date().isoformat() if t == t.normalize() else t.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def _column_text(s: pd.Series) -> pd.Series:
    """_text of every cell of a column (its categories only, for a categorical column: a million rows repeat a
    few labels)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Index([_text(c) for c in s.cat.categories])
        codes = s.cat.codes.to_numpy()
        out = np.where(codes >= 0, cats.to_numpy(dtype=object)[np.maximum(codes, 0)], "")
        return pd.Series(out, index=s.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series([_text(v) for v in s], index=s.index, dtype=object)
    return pd.Series([_text(v) for v in s.tolist()], index=s.index, dtype=object)


def table_marks(revisions: pd.DataFrame | None, table: pd.DataFrame, name: str, column: str,
                key: Sequence[str]) -> pd.DataFrame:
    """The rows of `table` (the release's table `name`) whose `column` was revised, by their index labels:
    first_value (as first published; NaN if it had none), first_date (YYYY-MM-DD of the release that held it)
    and revised_in (YYYY-MM-DD of the release that revised it last)."""
    if revisions is None or revisions.empty or table is None or table.empty:
        return empty_marks()
    mine = revisions[(revisions["revised_table"].astype(str) == name)
                     & (revisions["value_column"].astype(str) == column)]
    if mine.empty:
        return empty_marks()
    mine = mine.assign(row_key=mine["row_key"].astype(str)).sort_values(["row_key", "revision"])
    # the rows themselves, not groupby().first(), which would skip a first value that was missing
    first = mine.drop_duplicates("row_key", keep="first").set_index("row_key")
    last = mine.drop_duplicates("row_key", keep="last").set_index("row_key")
    keys = []
    for text in first.index:
        try:
            k = json.loads(text)
        except ValueError:
            k = None
        keys.append(k if isinstance(k, dict) else {})
    wanted = pd.DataFrame([{c: _text(k.get(c)) for c in key} for k in keys], index=first.index)
    wanted["first_value"] = pd.to_numeric(first["revised_value"], errors="coerce").to_numpy(dtype="float64")
    wanted["first_date"] = [_day(v) for v in first["released"]]
    wanted["revised_in"] = [_day(v) for v in last["released"]]
    # narrow the table one key column at a time (a million rows, a few revised ones), then match whole keys
    sub = table
    for c in key:
        if c not in sub.columns:
            return empty_marks()
        sub = sub[_column_text(sub[c]).isin(set(wanted[c])).to_numpy()]
        if sub.empty:
            return empty_marks()
    here = pd.DataFrame({c: _column_text(sub[c]) for c in key}, index=sub.index)
    here["_label"] = sub.index
    found = here.merge(wanted, on=list(key), how="inner")
    return found.set_index("_label")[list(MARK_COLUMNS)].rename_axis(None)


def attach(rows: pd.DataFrame, marks: pd.DataFrame, value: str) -> pd.DataFrame:
    """`rows` (rows of the marked table, with its index labels) with FIRST (the value as first published, the
    current value where it was never revised), FIRST_DATE and REVISED_IN ('' where not revised)."""
    current = pd.to_numeric(rows[value], errors="coerce").astype("float64")
    if marks is None or marks.empty or rows.empty:
        return rows.assign(**{FIRST: current, FIRST_DATE: "", REVISED_IN: ""})
    m = marks.reindex(rows.index)
    hit = m["revised_in"].notna().to_numpy()
    first = np.where(hit, m["first_value"].to_numpy(dtype="float64"), current.to_numpy())
    return rows.assign(**{FIRST: first, FIRST_DATE: m["first_date"].where(hit, "").to_numpy(),
                          REVISED_IN: m["revised_in"].where(hit, "").to_numpy()})


def unmarked(rows: pd.DataFrame, value: str) -> pd.DataFrame:
    """`rows` as `attach` gives them when nothing is revised."""
    return attach(rows, empty_marks(), value)


def has_revised(rows: pd.DataFrame) -> bool:
    """Whether any of `rows` (attach's) holds a revised value."""
    return FIRST in rows.columns and bool(_revised(rows).any())


def _revised(rows: pd.DataFrame) -> np.ndarray:
    """Which rows (attach's) hold a revised value."""
    last = rows[REVISED_IN].to_numpy()
    if last.dtype == object:
        return (last != "") & pd.notna(last)
    return rows[REVISED_IN].fillna("").astype(str).to_numpy() != ""


def totals(rows: pd.DataFrame, by: Sequence[str] | str, value: str) -> pd.DataFrame:
    """Per point (`by`): `value` (the sum), `revised` (any of its rows revised), `first_published` (the sum of the
    first-published values of its revised rows and the current values of the others; NaN if not revised),
    `first_date` (the earliest of its rows' first-publication releases) and `revised_in` (the latest revision).

    A revised row that had no value when first published (a figure that appeared) counts as 0 in the sum."""
    by = [by] if isinstance(by, str) else list(by)
    current = pd.to_numeric(rows[value], errors="coerce")
    revised = _revised(rows) if FIRST in rows.columns else np.zeros(len(rows), dtype=bool)
    if not revised.any():  # the usual case: the plain sums
        out = current.groupby([rows[c] for c in by], sort=True, observed=True).sum().to_frame(value)
        return out.assign(revised=False, first_date="", revised_in="", first_published=np.nan).reset_index()
    # the sums over every row (numbers only: fast on a large frame); the dates over the revised rows alone
    work = pd.DataFrame({**{c: rows[c] for c in by}, value: current,
                         "_f": np.where(revised, rows[FIRST].fillna(0.0), current)})
    out = work.groupby(by, sort=True, observed=True).sum()  # as the plain sums: an empty group adds up to 0
    out["revised"] = False
    out["first_date"] = ""
    out["revised_in"] = ""
    if revised.any():
        hit = pd.DataFrame({**{c: rows[c][revised] for c in by}, "first_date": rows[FIRST_DATE][revised],
                            "revised_in": rows[REVISED_IN][revised]})
        g = hit.groupby(by, observed=True)
        dates = pd.DataFrame({"first_date": g["first_date"].min(), "revised_in": g["revised_in"].max()})
        out.loc[dates.index, "revised"] = True
        out.loc[dates.index, "first_date"] = dates["first_date"]
        out.loc[dates.index, "revised_in"] = dates["revised_in"]
    out["first_published"] = out["_f"].where(out["revised"])
    return out.drop(columns="_f").reset_index()


def hover(first, first_date: str = "", revised_in: str = "", *, digits: int | None = None) -> str:
    """'revised: first published as 3,400 (2026-11-27)' for a revised point, '' for one that is not."""
    if first is None or (isinstance(first, float) and math.isnan(first)) or not revised_in:
        return ""
    if first_date:
        return _("revised: first published as {value} ({date})").format(value=fmt(first, digits=digits),
                                                                       date=first_date)
    return _("revised: first published as {value}").format(value=fmt(first, digits=digits))


def points(rows: pd.DataFrame, by: Sequence[str] | str, value: str) -> dict:
    """{point key: Point} of the points (`by`; a tuple key for several columns) that hold a revised row, as
    `totals` computes them; points with no revised row are left out (look them up with .get)."""
    by = [by] if isinstance(by, str) else list(by)
    if rows.empty or FIRST not in rows.columns or not (rows[REVISED_IN].astype(str) != "").any():
        return {}
    t = totals(rows, by, value)
    t = t[t["revised"]]
    keys = t[by[0]].tolist() if len(by) == 1 else list(zip(*(t[c].tolist() for c in by)))
    return {k: Point(float(f), str(d), str(r)) for k, f, d, r in
            zip(keys, t["first_published"], t["first_date"], t["revised_in"])}


def columns(prefix: str, point: Point | None) -> dict:
    """{<prefix>_first, <prefix>_first_date, <prefix>_revised_in} of a point (None, '', '' where not revised):
    the columns a chart builder reads (charts.compare.city_bars' `revised`)."""
    if point is None:
        return {f"{prefix}_first": None, f"{prefix}_first_date": "", f"{prefix}_revised_in": ""}
    return {f"{prefix}_first": point.first, f"{prefix}_first_date": point.first_date,
            f"{prefix}_revised_in": point.revised_in}


def ratio(numerator: float, denominator: float, num: Point | None, den: Point | None,
          scale: float = 1.0) -> Point | None:
    """A rate (numerator / denominator * scale) whose parts may be revised: as first published, each part as
    first published where revised (current where not); None when neither part was revised or the first
    denominator is 0 or missing."""
    if num is None and den is None:
        return None
    n = num.first if num is not None else numerator
    d = den.first if den is not None else denominator
    if not d or math.isnan(d):
        return None
    parts = [p for p in (num, den) if p is not None]
    return Point(n / d * scale, min((p.first_date for p in parts if p.first_date), default=""),
                 max(p.revised_in for p in parts))


def has_marks(rows: pd.DataFrame) -> bool:
    """Whether `rows` carry what their values were first published as (attach)."""
    return FIRST in rows.columns


def as_rows(points: pd.DataFrame, value: str) -> pd.DataFrame:
    """Points as `totals` gives them, made into rows `totals` can add up again (the months of a year)."""
    hit = points["revised_in"].fillna("").astype(str) != ""
    return points.assign(**{FIRST: points["first_published"].where(hit, points[value]).astype("float64"),
                            FIRST_DATE: points["first_date"].where(hit, "").fillna(""),
                            REVISED_IN: points["revised_in"].where(hit, "").fillna("")})


def ratio_columns(num: pd.DataFrame, num_value: str, den: pd.DataFrame, den_value: str,
                  scale: float = 1.0) -> pd.DataFrame:
    """first_published, first_date and revised_in of rates num/den*scale, row by row (the two frames aligned,
    each with totals' columns): a rate is revised when its numerator or its denominator is, and was first
    published as the ratio of the two as first published (current where not revised)."""
    n_in = num["revised_in"].fillna("").astype(str).to_numpy()
    d_in = den["revised_in"].fillna("").astype(str).to_numpy()
    n_hit, d_hit = n_in != "", d_in != ""
    n = np.where(n_hit, num["first_published"].to_numpy(dtype="float64"), num[num_value].to_numpy(dtype="float64"))
    d = np.where(d_hit, den["first_published"].to_numpy(dtype="float64"), den[den_value].to_numpy(dtype="float64"))
    hit = n_hit | d_hit
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.where(hit & (d != 0), n / d * scale, np.nan)
    n_on = num["first_date"].fillna("").astype(str).to_numpy()
    d_on = den["first_date"].fillna("").astype(str).to_numpy()
    on = np.where(~n_hit, d_on, np.where(~d_hit | (n_on <= d_on), n_on, d_on))
    return pd.DataFrame({"first_published": first, "first_date": np.where(hit, on, ""),
                         "revised_in": np.where(hit, np.where(n_in >= d_in, n_in, d_in), "")}, index=num.index)


def attach_sum(rows: pd.DataFrame, marks: dict[str, pd.DataFrame | None], value: str) -> pd.DataFrame:
    """`rows` with `value` = the sum of the columns `marks` names (missing ones as 0: IOM's dead plus missing) and
    what it was first published as (FIRST, FIRST_DATE, REVISED_IN, as `attach` gives them): each column as first
    published where revised, current elsewhere."""
    total = pd.Series(0.0, index=rows.index)
    first = pd.Series(0.0, index=rows.index)
    on = pd.Series("", index=rows.index, dtype=object)
    last = pd.Series("", index=rows.index, dtype=object)
    for column, m in marks.items():
        one = attach(rows, m if m is not None else empty_marks(), column)
        total = total + pd.to_numeric(rows[column], errors="coerce").fillna(0.0)
        first = first + one[FIRST].fillna(0.0)
        d, r = one[FIRST_DATE].astype(str), one[REVISED_IN].astype(str)
        on = on.where((d == "") | ((on != "") & (on <= d)), d)
        last = last.where(last >= r, r)
    return rows.assign(**{value: total, FIRST: first, FIRST_DATE: on, REVISED_IN: last})
