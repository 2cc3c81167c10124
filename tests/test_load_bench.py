"""benchmarks/load.py, a few seconds with 2 clients on the fixture release: it starts the documented production
server, records callback bodies in Chromium, replays every kind of request, and counts what it measures
(the 60 s run on the real release is not part of the test suite: docs/benchmarks.md)."""
from __future__ import annotations

import importlib.util

import pytest

from dashboard.export.render import find_chromium
from tests.support import servers
from tests.support.release import fixture_release


@pytest.mark.skipif(find_chromium() is None or servers.gunicorn() is None
                    or importlib.util.find_spec("psutil") is None,
                    reason="needs Chromium, gunicorn and psutil (the bench extra)")
def test_the_load_benchmark_runs_and_counts_every_kind(tmp_path):
    from benchmarks import load

    data_dir = fixture_release(tmp_path / "data", tmp_path / "mirror")
    r = load.main(["--data-dir", str(data_dir), "--clients", "2", "--seconds", "3", "--static-seconds", "1",
                   "--png-sizes", "6", "--pages", "/encounters,/compare"])
    assert r["callback_bodies"] >= 2
    assert set(r["kinds"]) == {*load.MIX, "static"}  # every kind of the mix was sent at least once
    for kind, v in r["kinds"].items():
        assert v["n"] > 0 and v["p50_ms"] <= v["p95_ms"] <= v["p99_ms"], kind
        assert sum(v["statuses"].values()) == v["n"], kind
    assert r["mix_errors"] == {}, r["mix_errors"]  # every replayed request answered, none with 4xx or 5xx
    assert r["ratio"] == pytest.approx(r["mix_rps"] / r["static_rps"], abs=0.001)
    health = r["healthz_while_rendering"]
    assert sum(health["answers"].values()) == 6 and health["healthz_probes"] >= 1
    assert 1 <= health["sizes_drawn"] <= 6
    assert all(w["worker_mb"] > 50 for w in r["memory_after_all"]["workers"]) and len(r["memory_after_all"]["workers"]) == 2
    assert not load.FLOOR.exists()  # the floor file is removed after the run
