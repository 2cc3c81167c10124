"""`borderstats schedule`: plans from the registry, structured logs, no overlapping runs, clean stops."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from etl.errors import EtlError
from etl.registry import load_registry
from etl.schedule import DEFAULT_CRON, plan
from etl.warehouse import Warehouse
from tests.support.release import fixture_mirror

LOCAL = ["--source", "reported_figures", "--source", "policy_events"]


def test_plan_groups_sources_by_their_registry_schedule():
    reg = load_registry()
    groups = plan(reg, None)
    by_label = {g.label: set(g.sources) for g in groups}
    assert sum(len(g.sources) for g in groups) == len(list(reg))
    for src in reg:
        assert src.id in by_label[src.schedule or DEFAULT_CRON]
    assert len(by_label) == len({s.schedule or DEFAULT_CRON for s in reg})  # due together: one run


def test_plan_with_one_cron_line_or_an_interval():
    reg = load_registry()
    [g] = plan(reg, ["iom_missing_migrants", "cbp_encounters"], cron="30 5 * * 1")
    assert g.sources == ("iom_missing_migrants", "cbp_encounters") and g.label == "30 5 * * 1"
    [g] = plan(reg, ["reported_figures"], every=90)
    assert g.label == "every 90 s"
    with pytest.raises(EtlError, match="not a cron line"):
        plan(reg, None, cron="every day at six")
    with pytest.raises(EtlError, match="positive"):
        plan(reg, None, every=0)


class Proc:
    """`borderstats schedule` in a subprocess, its JSON log lines collected as they come."""

    def __init__(self, data_dir: Path, *args: str, env: dict | None = None) -> None:
        cmd = [sys.executable, "-m", "borderstats.cli", "schedule", "--log-format", "json", "--data-dir", str(data_dir), *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.raw.append(line)
            self.lines.append(json.loads(line))  # every line is JSON, or this test fails

    def events(self, name: str) -> list[dict]:
        return [x for x in self.lines if x.get("event") == name]

    def wait_for(self, name: str, count: int = 1, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while len(self.events(name)) < count:
            assert self.proc.poll() is None or len(self.events(name)) >= count, "".join(self.raw[-20:])
            assert time.monotonic() < end, f"no {count}× {name} in {timeout} s:\n" + "".join(self.raw[-20:])
            time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=5)
        return code


def test_runs_on_its_interval_logs_json_and_stops_on_ctrl_c(tmp_path):
    p = Proc(tmp_path / "data", "--every", "1", "--run-now", *LOCAL)
    p.wait_for("refresh.end", 2)
    assert p.stop(signal.SIGINT) == 0  # Ctrl-C in a terminal; SIGTERM below
    first = p.events("refresh.end")[0]
    assert first["published"] is True and first["sources"] == {"reported_figures": "updated", "policy_events": "updated"}
    assert p.events("refresh.end")[1]["published"] is False  # nothing changed since
    assert p.events("scheduler.stopping") and p.events("scheduler.stopped")
    assert all({"time", "level", "message"} <= set(x) for x in p.lines)


def test_sigterm_during_a_run_lets_it_finish_and_publish(tmp_path):
    data_dir = tmp_path / "data"
    mirror = fixture_mirror(tmp_path / "mirror")
    p = Proc(data_dir, "--every", "3600", "--run-now", "--mirror", str(mirror),
             env={"BORDERSTATS_FAULT": "parsed:sleep=0.3"})  # a slower run: the signal lands during it
    p.wait_for("refresh.start")
    assert p.stop(signal.SIGTERM) == 0
    [end] = p.events("refresh.end")
    assert end["published"] is True
    order = [x.get("event") for x in p.lines]
    assert order.index("scheduler.stopping") < order.index("refresh.end")  # the signal came mid-run
    current = Warehouse(data_dir).current()
    assert current is not None and current.id == end["release"]
    assert {"encounters", "homicides", "crime_victims"} <= set(current.tables())
    assert not [x for x in (data_dir / "warehouse" / "releases").iterdir() if x.name.startswith(".tmp-")]


def test_a_second_signal_abandons_the_run_and_nothing_partial_becomes_current(tmp_path):
    data_dir = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "borderstats.cli", "refresh", *LOCAL, "--data-dir", str(data_dir)], check=True,
                   capture_output=True)
    before = Warehouse(data_dir).current().id
    mirror = fixture_mirror(tmp_path / "mirror")
    # the run pauses once its tables are written, so that both signals surely arrive during it
    p = Proc(data_dir, "--every", "3600", "--run-now", "--mirror", str(mirror),
             env={"BORDERSTATS_FAULT": "written:sleep=30"})
    p.wait_for("refresh.start")
    p.proc.send_signal(signal.SIGTERM)
    p.wait_for("scheduler.stopping")
    code = p.stop(signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    assert p.events("scheduler.abandon")
    assert Warehouse(data_dir).current().id == before  # the previous release keeps serving
    out = subprocess.run([sys.executable, "-m", "borderstats.cli", "refresh", "--mirror", str(mirror), "--data-dir",
                          str(data_dir)], capture_output=True, text=True)
    assert out.returncode in (0, 1) and "published release" in out.stdout, out.stderr  # 1: no OHSS fixture
    wh = Warehouse(data_dir)
    assert wh.current().id != before and not [x for x in wh.releases_dir.iterdir() if x.name.startswith(".tmp-")]


def test_a_refresh_running_elsewhere_makes_the_scheduled_one_skip(tmp_path):
    data_dir = tmp_path / "data"
    with Warehouse(data_dir).lock():
        p = Proc(data_dir, "--every", "3600", "--run-now", "--max-runs", "1", *LOCAL)
        assert p.proc.wait(timeout=60) == 0
        p.reader.join(timeout=5)
    [skip] = p.events("refresh.skipped")
    assert "another refresh is already running" in skip["message"]
    assert not p.events("refresh.end")


def test_a_source_failing_again_and_again_is_logged_as_failing(tmp_path):
    data_dir = tmp_path / "data"
    mirror = tmp_path / "mirror"
    (mirror / "cbp_encounters").mkdir(parents=True)
    (mirror / "cbp_encounters" / "southwest.csv").write_text("<!DOCTYPE html><html>Service unavailable</html>")
    p = Proc(data_dir, "--every", "0.5", "--run-now", "--max-runs", "3", "--failing-after", "2",
             "--mirror", str(mirror), "--source", "cbp_encounters")
    assert p.proc.wait(timeout=60) == 0
    p.reader.join(timeout=5)
    failing = p.events("source.failing")
    assert failing and failing[-1]["source"] == "cbp_encounters" and failing[-1]["consecutive_failures"] >= 2
    assert "HTML" in failing[-1]["error"] or "html" in failing[-1]["error"].lower()


def test_status_reports_a_source_failing_after_the_configured_count(tmp_path, capsys):
    from borderstats.cli import main

    data_dir = tmp_path / "data"
    mirror = fixture_mirror(tmp_path / "mirror")
    assert main(["refresh", "--mirror", str(mirror), "--source", "cbp_encounters", "--data-dir", str(data_dir)]) == 0
    (mirror / "cbp_encounters" / "southwest.csv").write_text("<!DOCTYPE html><html>Maintenance</html>")
    for expected_failures in (1, 2):
        assert main(["refresh", "--mirror", str(mirror), "--source", "cbp_encounters",
                     "--data-dir", str(data_dir)]) == 2
        capsys.readouterr()
        assert main(["status", "--json", "--failing-after", "2", "--data-dir", str(data_dir)]) == 0
        cbp = json.loads(capsys.readouterr().out)["sources"]["cbp_encounters"]
        assert cbp["status"] == "stale" and cbp["rows"] > 0 and cbp["age_days"] is not None
        assert cbp["consecutive_failures"] == expected_failures and cbp["failing"] is (expected_failures >= 2)
        assert "HTML" in cbp["error"]
    assert main(["status", "--failing-after", "2", "--data-dir", str(data_dir)]) == 0
    assert "FAILING: 2 refreshes in a row failed" in capsys.readouterr().out
