"""Screenshots of every page and every embed at phone and desktop widths, to look at before a change ships.

    python tools/screenshots.py [--data-dir DIR] [--out /tmp/screens] [--widths 390,1366] [--only compare]

Without --data-dir it builds a release into a temporary folder: from the real files of ../shared/data/real
when they are there, else from the test fixtures. It starts the app on a free port on 127.0.0.1, opens each
page (and /embed/<chart> for every chart of dashboard.export.registry.CHARTS) in headless Chromium
(/usr/bin/chromium, through Playwright) at each width, saves full-page PNGs as <out>/<width>/<name>.png,
prints the page heights, and stops the server and the browser when done. Nothing is loaded from outside.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]
PAGES = ["/", "/encounters", "/compare", "/reported", "/violence", "/map", "/data", "/about"]


def build_release(data_dir: Path, work: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from etl import pipeline
    from tests.conftest import SHARED_REAL
    from tests.support.real import build_mirror
    from tests.support.release import fixture_mirror

    if SHARED_REAL.is_dir():
        mirror, kind = build_mirror(SHARED_REAL, work / "mirror"), "real files"
    else:
        mirror, kind = fixture_mirror(work / "mirror"), "fixtures"
    result = pipeline.run(data_dir, mirror=mirror)
    if not result.published:
        raise SystemExit(f"the release was not published: {result}")
    return kind


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, log_path: Path) -> tuple[subprocess.Popen, str, object]:
    port = free_port()
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    log = open(log_path, "wb")  # noqa: SIM115 - open for as long as the server runs; closed by main()
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return proc, url, log
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    log.close()
    raise SystemExit("the app did not start:\n" + log_path.read_text()[-3000:])


def chart_names() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from dashboard.export.registry import CHARTS

    return list(CHARTS)


def slug(path: str) -> str:
    return path.strip("/").replace("/", "_") or "overview"


def shoot(base: str, out: Path, widths: list[int], targets: list[tuple[str, str]], height: int = 800,
          tile: int = 0) -> list[str]:
    from playwright.sync_api import sync_playwright

    lines = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            for width in widths:
                (out / str(width)).mkdir(parents=True, exist_ok=True)
                context = browser.new_context(viewport={"width": width, "height": height})
                external: list[str] = []
                context.on("request", lambda r, external=external: external.append(r.url)
                           if not r.url.startswith(base) and not r.url.startswith("data:") else None)
                page = context.new_page()
                for name, path in targets:
                    page.goto(base + path, wait_until="load", timeout=60000)
                    try:
                        if path.startswith("/embed/"):
                            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
                        else:
                            page.wait_for_selector("main.page h1", timeout=60000)
                            page.wait_for_function(
                                "!document.querySelector('._dash-loading') && "
                                "(!document.querySelector('.dash-graph') || "
                                "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0)",
                                timeout=30000)
                    except Exception as exc:  # noqa: BLE001 - a page that does not draw is still shot
                        lines.append(f"{width:>5} {path}: did not finish drawing ({type(exc).__name__})")
                    page.wait_for_timeout(600)
                    dims = page.evaluate("() => [document.documentElement.scrollWidth, "
                                         "document.documentElement.scrollHeight]")
                    file = out / str(width) / f"{name}.png"
                    try:
                        page.screenshot(path=str(file), full_page=True, timeout=60000)
                        for i, top in enumerate(range(0, dims[1], tile) if tile else ()):
                            # tiles of a long page, each small enough to look at without being scaled down
                            page.screenshot(path=str(out / str(width) / f"{name}.{i:02d}.png"), full_page=True,
                                            clip={"x": 0, "y": top, "width": dims[0],
                                                  "height": min(tile, dims[1] - top)}, timeout=60000)
                    except Exception as exc:  # noqa: BLE001 - one page that cannot be shot does not stop the rest
                        lines.append(f"{width:>5} {path}: no screenshot ({type(exc).__name__}: {str(exc)[:80]})")
                    flag = "  HORIZONTAL SCROLL" if dims[0] > width else ""
                    lines.append(f"{width:>5} {path:<40} {dims[0]}x{dims[1]}{flag}  {file}")
                    print(lines[-1], flush=True)
                if external:
                    lines.append(f"{width:>5} EXTERNAL REQUESTS: {sorted(set(external))}")
                context.close()
        finally:
            browser.close()
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="a data folder with a published release (default: build one)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/screens"))
    ap.add_argument("--widths", default="390,1366")
    ap.add_argument("--only", action="append", default=[],
                    help="only pages or embeds whose path contains this text (repeatable)")
    ap.add_argument("--no-embeds", action="store_true")
    ap.add_argument("--tile", type=int, default=0, metavar="PX",
                    help="also save each page cut into tiles PX high (<name>.NN.png), easier to look at")
    args = ap.parse_args(argv)

    widths = [int(w) for w in args.widths.split(",") if w.strip()]
    work = Path(tempfile.mkdtemp(prefix="screens-"))
    try:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = work / "data"
            t = time.monotonic()
            kind = build_release(data_dir, work)
            print(f"release built from {kind} in {time.monotonic() - t:.0f} s: {data_dir}")
        targets = [(slug(p), p) for p in PAGES]
        if not args.no_embeds:
            targets += [(f"embed-{c}", f"/embed/{c}") for c in chart_names()]
        if args.only:
            targets = [t for t in targets if any(o in t[1] for o in args.only)]
        proc, base, log = start_server(data_dir, work / "server.log")
        try:
            lines = shoot(base, args.out, widths, targets, tile=args.tile)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
        problems = [line for line in lines if "SCROLL" in line or "did not" in line or "no screenshot" in line
                    or "EXTERNAL" in line]
        print("\n".join(["", "problems:", *problems] if problems else ["", "no problems measured"]))
        print(f"screenshots in {args.out}")
    finally:
        if args.data_dir is None and os.environ.get("SCREENS_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        elif args.data_dir is None:
            print(f"kept {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
