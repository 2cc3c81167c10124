"""Revised figures on charts and in CSVs (issue 14, section 4): the pure functions of
dashboard/aggregates/revised.py on tiny literal frames (the integration over three releases is in
tests/test_revised_releases.py)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

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


# ---- the Compare page's points: a sector's fiscal year, a city's year and its rate, a month


def _marks(table: pd.DataFrame, name: str, column: str, key: dict, first: float) -> pd.DataFrame:
    from etl.schema import TABLES

    revs = pd.DataFrame([{"revised_table": name, "row_key": row_key(key), "value_column": column, "revision": n,
                          "release_id": rel, "released": when, "revised_value": v}
                         for n, rel, when, v in ((0, "a", "2026-10-01T00:00:00Z", first),
                                                 (1, "b", "2026-11-01T00:00:00Z", None))])
    return revised.table_marks(revs, table, name, column, TABLES[name].primary_key)


def test_compare_points_are_first_published_as_their_rows_were():
    import datetime as dt

    from dashboard.aggregates import compare
    from tests import test_page_compare as literal

    blank = dict.fromkeys(("component", "region", "area_name", "citizenship", "demographic", "title_of_authority",
                           "encounter_type"))
    # the encounters table has every dimension column (empty where a layout lacks it): so its revisions' keys
    encounters = literal.encounters().assign(**blank)
    homicides, population = literal.homicides(), literal.population()
    marks = {
        # San Diego sector, October 2020 (FY2021): 1,000 now, first published 900
        ("encounters", "count"): _marks(encounters, "encounters", "count", {
            "dataset": "ohss_usbp_monthly_sector", "month": "2020-10-01", **dict(blank, area_id="US-SEC-SDC")},
            900),
        # Tijuana, January 2021: 101 homicides now, first published 91
        ("homicides", "count"): _marks(homicides, "homicides", "count", {
            "dataset": "inegi_municipal_month", "place_id": "02004", "month": "2021-01-01"}, 91),
        # Tijuana's 2021 population: 1,802,000 now, first published 1,700,000
        ("population", "population"): _marks(population, "population", "population", {
            "dataset": "conapo_municipal_projections", "place_id": "02004", "year": 2021}, 1_700_000),
    }
    assert all(len(m) == 1 for m in marks.values())
    base = compare.prepare(literal.places(), population, homicides, literal.deaths(), encounters,
                           literal.reported(), today=dt.date(2026, 11, 27), marks=marks)
    rows = compare.city_rows(base, ["02004", "08037"], 2021, 50, "iom").set_index("place_id")
    tj, cj = rows.loc["02004"], rows.loc["08037"]
    assert (tj["encounters"], tj["encounters_first"]) == (12 * 1000, 11 * 1000 + 900)
    assert (tj["homicides"], tj["homicides_first"]) == (12 * 101, 11 * 101 + 91)
    assert tj["homicide_rate"] == pytest.approx(12 * 101 / 1_802_000 * 100_000)
    assert tj["homicide_rate_first"] == pytest.approx((11 * 101 + 91) / 1_700_000 * 100_000)
    assert (tj["homicides_first_date"], tj["homicides_revised_in"]) == ("2026-10-01", "2026-11-01")
    assert tj["population_first"] == 1_700_000
    for col in ("encounters_first", "homicides_first", "homicide_rate_first", "population_first"):
        assert cj[col] is None or pd.isna(cj[col]), col  # Juárez: nothing of it was revised
    # a year whose rows were not revised is not marked, though the same city's 2021 is
    assert pd.isna(compare.city_rows(base, ["02004"], 2020, 50, "iom").iloc[0]["homicides_first"])
    monthly = compare.monthly_homicides(base, ["02004"], percap=False).set_index("month")
    assert monthly.loc[pd.Timestamp("2021-01-01"), "first_published"] == 91
    assert monthly.drop(pd.Timestamp("2021-01-01"))["first_published"].isna().all()
    rates = compare.monthly_homicides(base, ["02004"], percap=True).set_index("month")
    # every 2021 month's rate is revised (its population was); January's count too
    assert rates.loc[pd.Timestamp("2021-01-01"), "first_published"] == pytest.approx(91 / 1_700_000 * 100_000)
    assert rates.loc[pd.Timestamp("2021-02-01"), "first_published"] == pytest.approx(101 / 1_700_000 * 100_000)
    assert rates.loc[pd.Timestamp("2020-02-01"), "revised_in"] == ""


def test_dead_plus_missing_is_first_published_as_its_parts_were():
    incidents = pd.DataFrame({"dataset": ["iom"] * 3, "incident_id": ["a", "b", "c"], "dead": [4.0, 1.0, 2.0],
                              "missing": [None, 3.0, 1.0]})
    key = ["dataset", "incident_id"]

    def one(column, incident, first, when):
        revs = pd.DataFrame([{"revised_table": "migrant_deaths", "row_key": row_key({"dataset": "iom", "incident_id":
                                                                                     incident}),
                              "value_column": column, "revision": n, "release_id": r, "released": d,
                              "revised_value": v}
                             for n, r, d, v in ((0, "x", when, first), (1, "y", "2026-11-20", None))])
        return revised.table_marks(revs, incidents, "migrant_deaths", column, key)

    rows = revised.attach_sum(incidents, {"dead": one("dead", "a", 1.0, "2026-11-01"),
                                          "missing": one("missing", "b", 5.0, "2026-10-01")}, "people")
    assert rows["people"].tolist() == [4.0, 4.0, 3.0]
    assert rows[revised.FIRST].tolist() == [1.0, 6.0, 3.0]  # a: dead 1 (first) + no missing; b: 1 + 5 (first)
    assert rows[revised.FIRST_DATE].tolist() == ["2026-11-01", "2026-10-01", ""]
    assert rows[revised.REVISED_IN].tolist() == ["2026-11-20", "2026-11-20", ""]
    total = revised.totals(rows, "dataset", "people").iloc[0]
    assert (total["people"], total["first_published"], total["first_date"]) == (11.0, 10.0, "2026-10-01")
