"""Benchmark: the dashboard over a release built from the real files.

    .venv/bin/python benchmarks/dashboard.py [--real ../shared/data/real] [--calls 200] [--data-dir DIR]

Prints, for every callback of the Compare cities and Encounters pages, the server time per
call (median and 95th percentile over --calls calls, through Dash's own HTTP endpoint) and the
bytes each response sends; the time to the first chart drawn in headless Chromium for every
page; and the resident memory of a gunicorn worker after every page has been served.
Targets on the 2-core build machine: callbacks < 100 ms at p95, no figure response over 300 KB,
first chart < 2 s, < 400 MB per worker.
"""
from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._release import parser, release_dir  # noqa: E402

PAGES_TIMED = ("/compare", "/encounters", "/violence", "/map", "/reported", "/data")


def find_props(component, wanted: dict) -> None:
    """Collect {id: {prop: value}} for every component with an id in a layout tree."""
    if isinstance(component, (list, tuple)):
        for c in component:
            find_props(c, wanted)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    cid = getattr(component, "id", None)
    if cid is not None and isinstance(cid, str):
        wanted[cid] = {k: v for k, v in component.to_plotly_json()["props"].items() if k != "children"}
    children = getattr(component, "children", None)
    if children is not None:
        find_props(children, wanted)


def time_callbacks(data_dir: Path, calls: int) -> list[dict]:
    import logging

    import dash

    logging.getLogger("dashboard.app").setLevel(logging.CRITICAL)

    from dashboard.app import create_app

    app = create_app(data_dir)
    client = app.server.test_client()
    client.get("/")
    deps = client.get("/_dash-dependencies").get_json()
    rows = []
    for path in PAGES_TIMED:
        entry = next((p for p in dash.page_registry.values() if p["path"] == path), None)
        if entry is None:
            rows.append({"page": path, "callback": "(page not registered)"})
            continue
        props: dict = {}
        find_props(entry["layout"](), props)
        for dep in deps:
            inputs = dep["inputs"]
            if dep.get("clientside_function") or not inputs or any(i["id"] not in props for i in inputs):
                continue
            payload = {
                "output": dep["output"], "outputs": _outputs(dep["output"]),
                "inputs": [{"id": i["id"], "property": i["property"], "value": props[i["id"]].get(i["property"])}
                           for i in inputs],
                "state": [{"id": s["id"], "property": s["property"], "value": props.get(s["id"], {}).get(s["property"])}
                          for s in dep.get("state", [])],
                "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
            }
            times, size = [], 0
            rng = random.Random(7)
            for _ in range(calls):
                _vary(payload, props, rng)  # a user changing one control: cache misses are measured too
                t0 = time.perf_counter()
                resp = client.post("/_dash-update-component", json=payload)
                times.append((time.perf_counter() - t0) * 1000)
                size = len(resp.data)
            times.sort()
            if resp.status_code != 200:
                raise RuntimeError(f"{dep['output']}: HTTP {resp.status_code}")
            rows.append({"page": path, "callback": dep["output"][:70], "status": resp.status_code,
                         "median_ms": statistics.median(times), "p95_ms": times[int(0.95 * len(times)) - 1],
                         "bytes": size})
    return rows


def _option_values(options) -> list:
    values = []
    for o in options or []:
        values.append(o.get("value") if isinstance(o, dict) else o)
    return [v for v in values if v is not None]


def _vary(payload: dict, props: dict, rng: random.Random) -> None:
    """Set one input that has options (dropdown, checklist, radio) to a random valid value."""
    candidates = [i for i in payload["inputs"] if _option_values(props[i["id"]].get("options"))]
    if not candidates:
        return
    item = rng.choice(candidates)
    values = _option_values(props[item["id"]].get("options"))
    if isinstance(item["value"], list):
        k = rng.randint(min(2, len(values)), min(6, len(values)))
        item["value"] = rng.sample(values, k)
    else:
        item["value"] = rng.choice(values)
    payload["changedPropIds"] = [f"{item['id']}.{item['property']}"]


def _outputs(output: str):
    """Dash's output spec: 'id.prop' for one output, '..id1.prop1...id2.prop2..' for several."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in parts]
    return outs if output.startswith("..") else outs[0]


def first_chart_times(base: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, FLAGS

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for path in ["/", "/encounters", "/compare", "/map", "/reported", "/violence", "/data"]:
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(base + path)
            try:
                page.wait_for_selector(".js-plotly-plot .main-svg, main.page table, main.page .card", timeout=20000)
                out[path] = time.perf_counter() - t0
            except Exception:  # a page without a chart or table
                out[path] = float("nan")
            page.close()
        browser.close()
    return out


def worker_rss_mb(data_dir: Path) -> tuple[float, dict[str, float]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(data_dir))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        firsts = first_chart_times(base)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        rss = 0.0
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = max(rss, int(line.split()[1]) / 1024)
        return rss, firsts
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = parser(__doc__)
    ap.add_argument("--calls", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = release_dir(args, Path(tmp))
        rows = time_callbacks(data_dir, args.calls)
        rss, firsts = worker_rss_mb(data_dir)
    print(f"{'page':<12} {'callback output':<72} {'median ms':>9} {'p95 ms':>8} {'bytes':>9}")
    for r in rows:
        if "median_ms" in r:
            print(f"{r['page']:<12} {r['callback']:<72} {r['median_ms']:>9.1f} {r['p95_ms']:>8.1f} {r['bytes']:>9,}")
        else:
            print(f"{r['page']:<12} {r['callback']}")
    print()
    for path, secs in firsts.items():
        print(f"first chart, table or card drawn, {path:<12} {secs:.2f} s")
    print(f"resident memory of one gunicorn worker after serving every page: {rss:.0f} MB")


if __name__ == "__main__":
    main()
