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

import numpy as np
import pandas as pd

from ..vocabulary import fmt

FIRST, FIRST_DATE, REVISED_IN = "_first", "_first_date", "_revised_in"
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


def totals(rows: pd.DataFrame, by: Sequence[str] | str, value: str) -> pd.DataFrame:
    """Per point (`by`): `value` (the sum), `revised` (any of its rows revised), `first_published` (the sum of the
    first-published values of its revised rows and the current values of the others; NaN if not revised),
    `first_date` (the earliest of its rows' first-publication releases) and `revised_in` (the latest revision).

    A revised row that had no value when first published (a figure that appeared) counts as 0 in the sum."""
    by = [by] if isinstance(by, str) else list(by)
    if FIRST not in rows.columns:
        rows = unmarked(rows, value)
    current = pd.to_numeric(rows[value], errors="coerce")
    revised = (rows[REVISED_IN].astype(str) != "").to_numpy()
    # the sums over every row (numbers only: fast on a large frame); the dates over the revised rows alone
    work = pd.DataFrame({**{c: rows[c] for c in by}, value: current,
                         "_f": np.where(revised, rows[FIRST].fillna(0.0), current)})
    out = work.groupby(by, sort=True, observed=True, dropna=False).sum(min_count=1)
    out["revised"] = False
    out["first_date"] = ""
    out["revised_in"] = ""
    if revised.any():
        hit = pd.DataFrame({**{c: rows[c][revised] for c in by}, "first_date": rows[FIRST_DATE][revised],
                            "revised_in": rows[REVISED_IN][revised]})
        g = hit.groupby(by, observed=True, dropna=False)
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
    when = f" ({first_date})" if first_date else ""
    return f"revised: first published as {fmt(first, digits=digits)}{when}"
