"""Revised figures on charts and in CSVs (issue 14, section 4): the pure functions of
dashboard/aggregates/revised.py on tiny literal frames (the integration over three releases is in
tests/test_revised_releases.py)."""
from __future__ import annotations

import math

import pandas as pd

from dashboard.aggregates import revised
from etl.revisions import row_key

KEY = ["dataset", "month", "citizenship"]


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "dataset": pd.Categorical(["sw", "sw", "sw", "sw", "other"]),
        "month": pd.to_datetime(["2021-02-01", "2021-02-01", "2021-03-01", "2021-03-01", "2021-02-01"]),
        "citizenship": ["Mexico", "Honduras", "Mexico", None, "Mexico"],
        "count": [120.0, 50.0, 80.0, 7.0, 999.0],
    }, index=[10, 11, 12, 13, 14])  # labels, not positions: the marks follow the table's index


def _revisions(rows: list[tuple[dict, int, str, str, float]], column: str = "count") -> pd.DataFrame:
    return pd.DataFrame([{"revised_table": "encounters", "row_key": row_key(k), "value_column": column,
                          "revision": n, "release_id": rel, "released": when, "revised_value": v}
                         for k, n, rel, when, v in rows])


FEB_MEXICO = {"dataset": "sw", "month": "2021-02-01", "citizenship": "Mexico"}
MAR_BLANK = {"dataset": "sw", "month": "2021-03-01", "citizenship": None}


def test_a_revised_row_gets_its_first_published_value_and_dates():
    revs = _revisions([(FEB_MEXICO, 0, "r1", "2026-11-01T10:00:00Z", 100.0),
                       (FEB_MEXICO, 1, "r2", "2026-11-08T10:00:00Z", 110.0),
                       (FEB_MEXICO, 2, "r3", "2026-11-15T10:00:00Z", 120.0)])
    marks = revised.table_marks(revs, _table(), "encounters", "count", KEY)
    assert list(marks.index) == [10]
    assert marks.loc[10].tolist() == [100.0, "2026-11-01", "2026-11-15"]
    # the same row in another dataset, and another value column, are not marked
    assert revised.table_marks(revs, _table(), "encounters", "other_column", KEY).empty
    assert revised.table_marks(revs, _table(), "homicides", "count", KEY).empty


def test_a_missing_key_value_matches_a_null_in_the_json():
    revs = _revisions([(MAR_BLANK, 0, "r1", "2026-11-01T00:00:00Z", 5.0),
                       (MAR_BLANK, 1, "r2", "2026-11-08T00:00:00Z", 7.0)])
    marks = revised.table_marks(revs, _table(), "encounters", "count", KEY)
    assert list(marks.index) == [13] and marks.at[13, "first_value"] == 5.0


def test_a_total_over_rows_is_first_published_as_first_values_plus_current_ones():
    table = _table()
    revs = _revisions([(FEB_MEXICO, 0, "r1", "2026-11-01T00:00:00Z", 100.0),
                       (FEB_MEXICO, 1, "r2", "2026-11-08T00:00:00Z", 120.0)])
    rows = revised.attach(table[table["dataset"] == "sw"],
                          revised.table_marks(revs, table, "encounters", "count", KEY), "count")
    out = revised.totals(rows, "month", "count").set_index("month")
    feb, mar = out.loc[pd.Timestamp("2021-02-01")], out.loc[pd.Timestamp("2021-03-01")]
    # February: 120 (revised, first 100) + 50 (never revised) -> now 170, first published as 150
    assert (feb["count"], bool(feb["revised"]), feb["first_published"]) == (170.0, True, 150.0)
    assert (feb["first_date"], feb["revised_in"]) == ("2026-11-01", "2026-11-08")
    # March: nothing revised -> no first-published value, no dates
    assert (mar["count"], bool(mar["revised"])) == (87.0, False)
    assert math.isnan(mar["first_published"]) and mar["first_date"] == "" and mar["revised_in"] == ""
    assert revised.hover(feb["first_published"], feb["first_date"], feb["revised_in"]) == \
        "revised: first published as 150 (2026-11-01)"
    assert revised.hover(mar["first_published"], mar["first_date"], mar["revised_in"]) == ""


def test_a_figure_that_had_no_value_when_first_published_counts_as_zero_in_a_total():
    table = _table()
    revs = _revisions([(FEB_MEXICO, 0, "r1", "2026-11-01T00:00:00Z", float("nan")),
                       (FEB_MEXICO, 1, "r2", "2026-11-08T00:00:00Z", 120.0)])
    rows = revised.attach(table[table["dataset"] == "sw"],
                          revised.table_marks(revs, table, "encounters", "count", KEY), "count")
    feb = revised.totals(rows, "month", "count").iloc[0]
    assert feb["first_published"] == 50.0 and bool(feb["revised"])


def test_years_and_integer_keys_match_as_the_change_report_writes_them():
    population = pd.DataFrame({"dataset": ["conapo", "conapo"], "place_id": ["02004", "02004"],
                               "year": pd.array([2020, 2021], dtype="Int64"), "population": [1.0e6, 1.1e6]})
    revs = pd.DataFrame([{"revised_table": "population", "value_column": "population", "revision": n,
                          "row_key": row_key({"dataset": "conapo", "place_id": "02004", "year": 2021}),
                          "release_id": r, "released": d, "revised_value": v}
                         for n, r, d, v in ((0, "a", "2026-01-01", 1.05e6), (1, "b", "2026-02-01", 1.1e6))])
    marks = revised.table_marks(revs, population, "population", "population", ["dataset", "place_id", "year"])
    assert list(marks.index) == [1] and marks.at[1, "first_value"] == 1.05e6


def test_no_revisions_table_marks_nothing():
    table = _table()
    assert revised.table_marks(None, table, "encounters", "count", KEY).empty
    assert revised.table_marks(pd.DataFrame(), table, "encounters", "count", KEY).empty
    out = revised.totals(revised.unmarked(table, "count"), "dataset", "count")
    assert not out["revised"].any() and out["first_published"].isna().all()
