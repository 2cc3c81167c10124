"""Benchmark: the first run, from an empty data folder to real charts on every page.

    .venv/bin/python benchmarks/first_run.py [--real ../shared/data/real] [--fixtures]

Starts `python app.py --mirror DIR` over an empty data folder (the mirror: the real publisher files of --real,
arranged as benchmarks/_release.py does; the test fixtures with --fixtures or when --real is absent), opens the
Overview in headless Chromium as soon as the server answers, waits for the first-run progress and then for the
charts (the page reloads by itself), then opens every other page and waits for its charts to draw data points.
Prints the seconds from the app's start to each step. Target on the 2-core build machine: every page's charts
within 30 s of the start.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._release import parser  # (after the path above)

TARGET = 30.0
# every page, and how many of its charts must draw data points (not the grey "No data" markers)
# (the violence page in monthly counts: the test fixtures' rows, of 2019-2020, are not in its default annual rates)
PAGES = {"/": 3, "/encounters": 1, "/compare": 2, "/map": 1, "/reported": 1, "/violence?measure=count&freq=month": 1,
         "/data": 0, "/about": 0}
CHARTS_WITH_DATA = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd =>
    (gd._fullData || []).some(t => t.visible === true && t.name !== 'No data' && (t._length || 0) > 0)).length"""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--fixtures", action="store_true", help="the test fixtures as the mirror, not the real files")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as tmp:
        tmp = Path(tmp)
        if args.fixtures or not args.real.is_dir():
            from tests.support.release import fixture_mirror

            mirror, kind = fixture_mirror(tmp / "mirror"), "test fixtures"
        else:
            from tests.support.real import build_mirror

            mirror, kind = build_mirror(args.real, tmp / "mirror"), f"real files ({args.real})"
        data_dir = tmp / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in ("BORDERSTATS_NO_FETCH", "BORDERSTATS_FAULT")}
        env.update(PYTHONPATH=str(ROOT), BORDERSTATS_PUBLIC_URL=url)
        marks: list[tuple[str, float]] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            page = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True).new_page()
            log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed below
            t0 = time.monotonic()
            proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir),
                                     "--mirror", str(mirror)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                while True:
                    try:
                        urllib.request.urlopen(url + "/healthz", timeout=2)
                        break
                    except OSError:
                        if proc.poll() is not None or time.monotonic() - t0 > 120:
                            raise RuntimeError((tmp / "server.log").read_text()[-2000:]) from None
                        time.sleep(0.1)
                marks.append(("server answers", time.monotonic() - t0))
                page.goto(url + "/", wait_until="load", timeout=60000)
                page.wait_for_selector("main.page h1", timeout=60000)
                shown = page.query_selector(".first-run") is not None
                marks.append(("Overview drawn" + (" with the progress" if shown else " (no progress seen)"),
                              time.monotonic() - t0))
                page.wait_for_function("() => !document.querySelector('.first-run') && "
                                       f"({CHARTS_WITH_DATA})() >= {PAGES['/']}", timeout=300000, polling=200)
                marks.append(("Overview's charts, after the page reloaded itself", time.monotonic() - t0))
                for path, charts in PAGES.items():
                    if path == "/":
                        continue
                    page.goto(url + path, wait_until="load", timeout=60000)
                    page.wait_for_selector("main.page h1", timeout=60000)
                    if charts:
                        page.wait_for_function(f"() => ({CHARTS_WITH_DATA})() >= {charts}", timeout=60000,
                                               polling=100)
                    if page.query_selector(".first-run") is not None:
                        raise RuntimeError(f"{path}: the first-run panel is still shown")
                    marks.append((f"{path} with its charts" if charts else f"{path} drawn", time.monotonic() - t0))
            finally:
                proc.terminate()
                proc.wait(timeout=15)
                log.close()
                browser.close()
        found = json.loads((data_dir / "warehouse" / "refresh-progress.json").read_text(encoding="utf-8"))
    rows = sum(s.get("rows") or 0 for s in found["sources"])
    failed = [s["id"] for s in found["sources"] if s["state"] == "failed"]
    print(f"first run from an empty data folder, mirror: {kind}")
    print(f"refresh: {found['stage']} release {found['release']}, {rows:,} rows"
          + (f", failed: {', '.join(failed)}" if failed else "") + f" ({found['started_at']} -> {found['finished_at']})")
    for label, seconds in marks:
        print(f"  {seconds:6.1f} s  {label}")
    total = marks[-1][1]
    print(f"every page with real charts {total:.1f} s after the app started (target < {TARGET:.0f} s): "
          + ("met" if total < TARGET else "NOT met"))
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
