"""Benchmark: request times while a new release is published under a running production server.

    .venv/bin/python benchmarks/switch.py [--real ../shared/data/real] [--data-dir DIR] [--seconds 20]

Serves a copy of a release built from the real files with gunicorn (the production command of docs/dashboard.md), has 4 clients request the charts of every page
(CSV exports: they draw the chart over the release's tables) in a loop, publishes a new release after a few
seconds (a one-row CBP file; the big tables carried over, so the new release must be read again from disk), and
prints the request times before the publish and in the 10 seconds after it, and how long until every worker
answers with the new release. Target: no step (p95 after the publish within a few times p95 before, no request
waiting for tables to load).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._release import parser, release_dir  # noqa: E402
from tests.support import servers  # noqa: E402

CHARTS = ("compare-homicides", "compare-monthly", "encounters", "map", "reported", "violence-homicides",
          "violence-victims", "violence-subtypes")
HEADER = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,"
          "Encounter Type,Encounter Count\n")


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as resp:
        return resp.read()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    ap = parser(__doc__)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = release_dir(args, Path(tmp))
        data_dir = Path(tmp) / "served"
        subprocess.run(["cp", "-al", str(source), str(data_dir)], check=True)  # release files are never rewritten
        port = servers.free_port()
        proc = servers.start_gunicorn(data_dir, port, {"BORDERSTATS_EXPORT_RATE": "100000 per minute"})
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    first = json.loads(get(base + "/healthz"))["release"]
                    break
                except OSError:
                    time.sleep(0.3)
            urls = [f"{base}/export/{c}.csv" for c in CHARTS]
            for _ in range(6):  # every worker has read the release and drawn each chart once
                for u in urls:
                    get(u)
            samples: list[tuple[float, float]] = []  # (start, seconds)
            stop = time.monotonic() + args.seconds

            def client(offset: int) -> None:
                i = offset
                while time.monotonic() < stop:
                    t0 = time.monotonic()
                    get(urls[i % len(urls)])
                    samples.append((t0, time.monotonic() - t0))
                    i += 1

            threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
            for t in threads:
                t.start()
            time.sleep(min(5.0, args.seconds / 4))
            from etl import pipeline

            f = Path(tmp) / "sw.csv"
            f.write_text(HEADER + "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\n")
            published_at = time.monotonic()
            # a one-row file is a shrink the guard refuses unless accepted: here it stands for any new release
            assert pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f], accept_shrink=True).published
            second = (data_dir / "warehouse" / "CURRENT").read_text().strip()
            all_new = None
            while time.monotonic() < stop:
                seen = {json.loads(get(base + "/healthz"))["release"] for _ in range(8)}
                if seen == {second}:
                    all_new = time.monotonic() - published_at
                    break
                time.sleep(0.1)
            for t in threads:
                t.join()
        finally:
            servers.stop(proc)
    before = [s for t0, s in samples if t0 < published_at]
    after = [s for t0, s in samples if published_at <= t0 < published_at + 10]
    for label, xs in (("before the publish", before), ("10 s after the publish", after)):
        print(f"{label:<24} {len(xs):>5} requests  p50 {statistics.median(xs) * 1000:7.1f} ms  "
              f"p95 {pct(xs, 0.95) * 1000:7.1f} ms  max {max(xs) * 1000:7.1f} ms")
    print(f"release {first} -> {second}: every worker answered with the new one after "
          + (f"{all_new:.1f} s" if all_new is not None else f"more than the run ({args.seconds:.0f} s)"))


if __name__ == "__main__":
    main()
