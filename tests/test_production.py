"""The production server: gunicorn with several workers picks up a new release without a restart."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from etl import pipeline
from tests.support import servers

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.mark.skipif(not GUNICORN.exists() and not shutil.which("gunicorn"), reason="gunicorn is not installed")
def test_workers_pick_up_a_new_release_without_restart(tmp_path):
    data_dir = tmp_path / "data"
    pipeline.run(data_dir, source_ids=["reported_figures", "policy_events"])
    first = get_current(data_dir)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(data_dir))
    proc = subprocess.Popen([str(GUNICORN if GUNICORN.exists() else "gunicorn"), "-w", "3", "--no-control-socket",
                             "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get(url)["release"] == first
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        header = "Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,Encounter Type,Encounter Count\n"
        f = tmp_path / "sw.csv"
        f.write_text(header + "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\n")
        assert pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f]).published
        second = get_current(data_dir)
        assert second != first
        # each worker answers from the release it serves until the new one is warmed, then switches: every
        # answer is one of the two, and within the warm-up time all workers answer with the new one
        deadline = time.monotonic() + 60
        while True:
            seen = {get(url)["release"] for _ in range(30)}  # requests spread over the workers
            assert seen <= {first, second}
            if seen == {second} or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert seen == {second}
        assert proc.poll() is None  # no restart
    finally:
        servers.stop(proc)  # terminate, and kill if the workers take more than 15 s to stop


def get_current(data_dir: Path) -> str:
    return (data_dir / "warehouse" / "CURRENT").read_text().strip()
