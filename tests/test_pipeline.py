"""The refresh/ingest path end to end on small files: publish, replace, keep, recover."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from borderstats.cli import main
from etl import pipeline
from etl.status import status
from etl.warehouse import Warehouse

HEADER = "Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,Encounter Type,Encounter Count\n"
ROWS = [
    "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100",
    "2023,FYTD,OCT,Office of Field Operations,Single Adults,Mexico,Title 8,Inadmissibles,20",
    "2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,110",
]
STATE_HEADER = "Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,Citizenship,Title of Authority,Encounter Count\n"
STATE_ROWS = ["2023,FYTD,OCT,Southwest Land Border,Texas,Single Adults,MEXICO,Title 8,70"]


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def encounters(data_dir: Path) -> pd.DataFrame:
    return Warehouse(data_dir).current().read("encounters")


def test_ingest_publishes_a_complete_release(data_dir, tmp_path):
    f = write(tmp_path / "sw.csv", HEADER, ROWS)
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f])
    assert result.exit_code == 0 and result.published
    rel = Warehouse(data_dir).current()
    for table in ("encounters", "places", "sources", "homicides", "migrant_deaths"):
        assert rel.table_path(table).exists() and rel.table_path(table, "csv").exists()
    enc = rel.read("encounters")
    assert enc["count"].sum() == 230
    assert set(enc["dataset"]) == {"cbp_southwest"} and set(enc["source_id"]) == {"cbp_encounters"}
    assert enc.loc[enc["month"] == pd.Timestamp("2022-10-01"), "count"].sum() == 120
    pkg = json.loads((rel.path / "datapackage.json").read_text())
    res = {r["name"]: r for r in pkg["resources"]}
    fields = {f["name"]: f for f in res["encounters"]["schema"]["fields"]}
    assert fields["count"]["type"] == "integer" and fields["count"]["description"]
    assert res["encounters"]["schema"]["primaryKey"][0] == "dataset"
    src = {s["id"]: s for s in pkg["sources"]}["cbp_encounters"]
    assert src["files"][0]["sha256"] and src["retrieved_at"] and src["licence"]
    # raw snapshot and its metadata
    metas = list((data_dir / "raw" / "cbp_encounters").glob("*/*.meta.json"))
    assert len(metas) == 1
    meta = json.loads(metas[0].read_text())
    assert meta["bytes"] == f.stat().st_size and len(meta["sha256"]) == 64 and meta["url"].startswith("file://")


def test_same_file_twice_gives_identical_tables(data_dir, tmp_path):
    f = write(tmp_path / "sw.csv", HEADER, ROWS)
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f])
    first = encounters(data_dir)
    again = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f])
    assert again.outcomes["cbp_encounters"].status == "unchanged" and not again.published
    forced = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f], force=True)
    assert forced.published
    pd.testing.assert_frame_equal(first, encounters(data_dir))


def test_revised_file_replaces_rows_of_its_layout_only(data_dir, tmp_path):
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "sw.csv", HEADER, ROWS)])
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "st.csv", STATE_HEADER, STATE_ROWS)])
    revised = ROWS[:2] + ["2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,150"]
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "sw2.csv", HEADER, revised)])
    enc = encounters(data_dir)
    sw = enc[enc["dataset"] == "cbp_southwest"]
    assert len(sw) == 3 and sw["count"].sum() == 270  # replaced, not duplicated
    assert enc.loc[enc["dataset"] == "cbp_nationwide_state", "count"].tolist() == [70]  # the other layout stays


def test_bad_file_keeps_the_current_release(data_dir, tmp_path, capsys):
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "sw.csv", HEADER, ROWS)])
    before = Warehouse(data_dir).current().id
    bad = write(tmp_path / "bad.csv", HEADER, ROWS[:1] + ["2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,-5"])
    code = main(["ingest", "cbp_encounters", str(bad), "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 2  # the only source failed: nothing published
    assert "cbp_encounters" in err and "bad.csv" in err and "line 3" in err and "negative" in err
    assert Warehouse(data_dir).current().id == before
    assert encounters(data_dir)["count"].sum() == 230
    st = status(data_dir)["sources"]["cbp_encounters"]
    assert st["status"] == "stale" and "negative" in st["error"] and st["rows"] == 3


def test_one_failing_source_does_not_block_the_others(data_dir, tmp_path):
    mirror = tmp_path / "mirror"
    write(mirror / "cbp_encounters" / "sw.csv", HEADER, ROWS)
    (mirror / "usbp_history").mkdir(parents=True)
    (mirror / "usbp_history" / "deaths.csv").write_bytes(b"<html><body>Service unavailable</body></html>")
    result = pipeline.run(data_dir, source_ids=["cbp_encounters", "usbp_history"], mirror=mirror)
    assert result.exit_code == 1 and result.published
    assert result.outcomes["usbp_history"].status == "failed"
    assert "HTML" in result.outcomes["usbp_history"].error and "deaths.csv" in result.outcomes["usbp_history"].error
    assert encounters(data_dir)["count"].sum() == 230


def test_failed_publish_leaves_previous_release_and_no_partial_folder(data_dir, tmp_path, monkeypatch):
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "sw.csv", HEADER, ROWS)])
    wh = Warehouse(data_dir)
    before = wh.current().id
    import etl.warehouse as warehouse

    calls = {"n": 0}
    real = warehouse.write_table

    def failing(df, folder, name):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real(df, folder, name)

    monkeypatch.setattr(warehouse, "write_table", failing)
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[write(tmp_path / "st.csv", STATE_HEADER, STATE_ROWS)])
    assert result.exit_code == 2 and not result.published
    assert "No space left" in result.outcomes["cbp_encounters"].error
    assert wh.current().id == before
    assert not [p for p in wh.releases_dir.iterdir() if p.name.startswith(".tmp-")]
    monkeypatch.setattr(warehouse, "write_table", real)
    assert pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[tmp_path / "st.csv"]).published


def test_second_refresh_refuses_while_one_runs(data_dir, capsys):
    with Warehouse(data_dir).lock():
        code = main(["refresh", "--source", "reported_figures", "--data-dir", str(data_dir)])
    assert code == 2
    assert "another refresh is already running" in capsys.readouterr().err


def test_kill_9_at_any_point_leaves_a_complete_current_release(data_dir, tmp_path):
    """SIGKILL an ingest at increasing delays: CURRENT always names a complete release, next run recovers."""
    f = write(tmp_path / "sw.csv", HEADER, ROWS)
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f])
    wh = Warehouse(data_dir)
    st = write(tmp_path / "st.csv", STATE_HEADER, STATE_ROWS)
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "borderstats.cli", "ingest", "cbp_encounters", str(st), "--force", "--data-dir", str(data_dir)]
    outcomes = set()
    for delay in (0.3, 0.8, 1.2, 1.5, 1.8, 2.1, 2.5):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        current = wh.current()
        assert current is not None
        names = set(current.tables())
        assert {"encounters", "places", "sources"} <= names
        for t in names:
            assert current.table_path(t, "csv").exists()
        enc = current.read("encounters")
        outcomes.add(tuple(sorted(enc["dataset"].unique())))
    assert outcomes <= {("cbp_southwest",), ("cbp_nationwide_state", "cbp_southwest")}
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[st], force=True)
    assert result.published
    assert not [p for p in wh.releases_dir.iterdir() if p.name.startswith(".tmp-")]
    assert set(encounters(data_dir)["dataset"]) == {"cbp_southwest", "cbp_nationwide_state"}


def test_old_releases_are_pruned_once_no_reader_can_still_be_on_them(data_dir, tmp_path, monkeypatch):
    f = write(tmp_path / "sw.csv", HEADER, ROWS)
    for _ in range(7):
        pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f], force=True)
    wh = Warehouse(data_dir)
    assert len(wh.releases()) == 7  # all replaced within the grace period: kept for readers
    assert len(wh.prune(grace=0)) == 2
    assert len(wh.releases()) == 5
    assert wh.current().id == wh.releases()[-1].id
    monkeypatch.setenv("BORDERSTATS_PRUNE_GRACE", "0")
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f], force=True)
    assert len(wh.releases()) == 5


PCOME = Path(__file__).parent / "fixtures" / "pcome_remains" / "records.csv"


def _all_text(folder: Path) -> str:
    parts = []
    for p in folder.rglob("*"):
        if p.is_file():
            parts.append(pd.read_parquet(p).to_csv() if p.suffix == ".parquet" else p.read_text("utf-8", "replace"))
    return "\n".join(parts)


def test_ingest_of_medical_examiner_records_stores_no_names(data_dir):
    result = pipeline.run(data_dir, source_ids=["pcome_remains"], files=[PCOME])
    assert result.exit_code == 0 and result.published
    text = _all_text(data_dir)
    assert "Doe, John" not in text and "Roe, Jane" not in text
    assert "19-00001" in text  # the case number is kept: the check looks at real content
    meta = json.loads(next((data_dir / "raw" / "pcome_remains").rglob("*.meta.json")).read_text())
    assert meta["redacted_columns"] == ["Name"] and meta["sha256"] != meta["stored_sha256"]


def test_medical_examiner_file_with_an_unknown_column_is_refused_and_not_stored(data_dir, tmp_path):
    lines = PCOME.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0] + ',"Next of kin"'
    lines[1:] = [ln + ',"Doe, Mary"' for ln in lines[1:]]
    bad = tmp_path / "records.csv"
    bad.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    result = pipeline.run(data_dir, source_ids=["pcome_remains"], files=[bad])
    assert result.exit_code == 2
    assert "not known to be free of personal data" in result.outcomes["pcome_remains"].error
    assert not list((data_dir / "raw").rglob("records.csv"))
    assert "Doe, Mary" not in _all_text(data_dir)


def test_reingesting_an_earlier_file_after_a_revision_restores_it(data_dir, tmp_path):
    a = write(tmp_path / "a.csv", HEADER, ROWS)
    b = write(tmp_path / "b.csv", HEADER, ROWS[:2])
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[a])
    pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[b], accept_shrink=True)  # b withdraws a month: a shrink
    assert encounters(data_dir)["count"].sum() == 120
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[a])
    assert result.outcomes["cbp_encounters"].status == "updated"
    assert encounters(data_dir)["count"].sum() == 230
    files = Warehouse(data_dir).current().manifest["sources"]["cbp_encounters"]["files"]
    assert [f["path"] for f in files] == ["a.csv"] and files[0]["datasets"] == ["cbp_southwest"]
