"""The change report: rows added, removed and changed, new periods, revised figures (old, new, by how much)."""
from __future__ import annotations

import json

import pandas as pd

from etl import changes, pipeline
from borderstats.cli import main
from etl.warehouse import Warehouse
from tests.test_pipeline import HEADER, ROWS, write

T = pd.Timestamp


def homicides(rows):
    return pd.DataFrame([{"dataset": "inegi_municipal_month", "place_id": p, "month": T(m), "count": c,
                          "source_id": "inegi_homicides"} for p, m, c in rows])


def test_added_removed_revised_and_new_months_on_tiny_frames():
    old = homicides([("02004", "2019-01-01", 150), ("02004", "2019-02-01", 160), ("08037", "2019-01-01", 120)])
    new = homicides([("02004", "2019-01-01", 150), ("02004", "2019-02-01", 171), ("02004", "2019-03-01", 140),
                     ("08037", "2019-01-01", None)])
    t = changes.table_changes("homicides", old, new)
    assert (t["rows_before"], t["rows_after"], t["added"], t["removed"], t["changed"]) == (3, 4, 1, 0, 2)
    assert t["new_periods"] == ["2019-03"] and t["removed_periods"] == []
    assert t["revisions_total"] == 2
    first = t["revisions"][0]  # the largest change first
    assert first["key"] == {"dataset": "inegi_municipal_month", "place_id": "02004", "month": "2019-02-01"}
    assert (first["field"], first["old"], first["new"], first["change"], first["percent"]) == ("count", 160, 171, 11, 6.88)
    gone = t["revisions"][1]  # a figure withdrawn: old value, no new value
    assert gone["old"] == 120 and gone["new"] is None and gone["change"] is None
    assert changes.revision_text(first) == "inegi_municipal_month, 02004, 2019-02-01 · count: 160 -> 171 (+11, +6.88%)"


def test_identical_tables_report_nothing_and_reordering_is_not_a_change():
    old = homicides([("02004", "2019-01-01", 150), ("08037", "2019-01-01", 120)])
    t = changes.table_changes("homicides", old, old.iloc[::-1].reset_index(drop=True))
    assert (t["added"], t["removed"], t["changed"], t["revisions_total"]) == (0, 0, 0, 0)


def test_removed_rows_and_periods():
    old = homicides([("02004", "2019-01-01", 150), ("02004", "2019-02-01", 160)])
    t = changes.table_changes("homicides", old, old.iloc[:1])
    assert (t["removed"], t["removed_periods"]) == (1, ["2019-02"])


def test_a_refresh_writes_the_report_inside_the_release_and_changes_prints_it(tmp_path, capsys):
    data_dir = tmp_path / "data"
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "sw.csv", HEADER, ROWS)])
    first = Warehouse(data_dir).current()
    rep = json.loads((first.path / changes.CHANGES).read_text())
    assert rep["previous"] is None and rep["tables"]["encounters"]["added"] == 3
    revised = ROWS[:2] + ["2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,150",
                          "2023,FYTD,DEC,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,90"]
    code = main(["ingest", "cbp_encounters", str(write(tmp_path / "sw2.csv", HEADER, revised)),
                 "--data-dir", str(data_dir)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "changes:" in printed and "revised figures: 1" in printed and "110 -> 150 (+40, +36.36%)" in printed
    rep = changes.load(Warehouse(data_dir).current())
    enc = rep["tables"]["encounters"]
    assert rep["previous"] == first.id
    assert (enc["added"], enc["removed"], enc["changed"], enc["new_periods"]) == (1, 0, 1, ["2022-12"])
    assert main(["changes", "--data-dir", str(data_dir)]) == 0
    assert "110 -> 150" in capsys.readouterr().out
    assert main(["changes", "--release", first.id, "--json", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["release"] == first.id
    assert main(["changes", "--release", "../../etc", "--data-dir", str(data_dir)]) == 2


def test_a_failing_change_report_never_blocks_the_release(tmp_path, monkeypatch):
    def boom(*a, **k):
        raise TypeError("boom")

    monkeypatch.setattr(changes, "report", boom)
    result = pipeline.run(tmp_path / "data", source_ids=["cbp_encounters"], files=[write(tmp_path / "sw.csv", HEADER, ROWS)])
    assert result.published
    assert "could not be made" in changes.load(result.release)["error"]


def test_switching_conapo_editions_is_reported_as_a_revision(tmp_path, capsys):
    """The 2015-based wide projections, then the 2023 revision's long file: changes.json and the CLI say that the
    projection edition changed, beside the figures it revised."""
    from tests.conftest import FIXTURES

    data_dir = tmp_path / "data"
    wide = FIXTURES / "conapo_population" / "projections.csv"
    assert main(["ingest", "conapo_population", str(wide), "--data-dir", str(data_dir)]) == 0
    first = Warehouse(data_dir).current()
    assert "2015-based" in first.manifest["datasets"]["conapo_municipal_projections"]["edition"]
    assert "editions" not in changes.load(first)
    capsys.readouterr()
    long_text = (FIXTURES / "conapo_population" / "projections_long.csv").read_text(encoding="utf-8")
    revised = long_text.replace("Tijuana,02004,Hombres,900000", "Tijuana,02004,Hombres,910000").replace(
        "Tijuana,02004,Total,1789531", "Tijuana,02004,Total,1799531")
    live = tmp_path / "conapo_pob_mun_gender_2015_2030.csv"
    live.write_text(revised, encoding="utf-8")
    assert main(["ingest", "conapo_population", str(live), "--data-dir", str(data_dir)]) == 0
    printed = capsys.readouterr().out
    rep = changes.load(Warehouse(data_dir).current())
    (switch,) = rep["editions"]
    assert switch["dataset"] == "conapo_municipal_projections"
    assert "2015-based" in switch["old"] and "2023 revision" in switch["new"]
    assert rep["tables"]["population"]["revisions_total"] == 1
    assert "edition changed: conapo_municipal_projections" in printed and "2023 revision" in printed
    assert "1,789,531 -> 1,799,531" in printed
    # a third release from the same edition says nothing about editions
    live.write_text(revised.replace("Juárez,08037,Total,1464930", "Juárez,08037,Total,1464931").replace(
        "Juárez,08037,Mujeres,734930", "Juárez,08037,Mujeres,734931"), encoding="utf-8")
    assert main(["ingest", "conapo_population", str(live), "--data-dir", str(data_dir)]) == 0
    third = changes.load(Warehouse(data_dir).current())
    assert "editions" not in third and third["tables"]["population"]["revisions_total"] == 1
    assert "2023 revision" in Warehouse(data_dir).current().manifest["datasets"]["conapo_municipal_projections"]["edition"]
