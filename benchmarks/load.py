"""Benchmark: the production server under load, beside a static-file floor, in one run (issue 13).

    .venv/bin/python benchmarks/load.py [--data-dir DIR | --real ../shared/data/real] [--clients 20]
        [--seconds 60] [--static-seconds 20] [--png-sizes 100] [--json out.json]

1. Starts gunicorn exactly as docs/dashboard.md's production command does (threaded workers; see there why).
2. Records real callback bodies: loads every page in headless Chromium (Debian's /usr/bin/chromium, driven by
   Playwright) and keeps each POST to /_dash-update-component.
3. The floor: `--clients` clients fetch a 53 KB static JSON file from the same server (/assets) for
   `--static-seconds`.
4. The mix: the same clients replay page loads, the recorded callbacks, CSV and PNG exports and embeds for
   `--seconds` (weights in MIX).
5. /healthz latency while `--png-sizes` distinct PNG sizes are asked for at once.
Between 2 and 3 it waits until /healthz says every worker has finished its warm-up (the release's default views
and exports, dashboard/warmup.py), so that nothing is measured while the warm-up still uses the cores.
Prints the throughput ratio (mix req/s ÷ static req/s), p50/p95/p99 per kind, answers by status, and the
resident memory of each worker (and of its Chromium) after the run (psutil, the `bench` extra).

All clients come from one address, so the export rate limit (per client) is raised for the run: it stands for
many readers. Clients are threads with one requests.Session each (keep-alive), as a browser keeps a connection.
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._release import parser, release_dir  # noqa: E402
from tests.support import servers  # noqa: E402

PAGES = ("/", "/compare", "/encounters", "/violence", "/map", "/reported", "/data", "/about")
CHARTS = ("compare-mpp", "compare-homicides", "encounters", "map", "reported", "violence-homicides")
PNG_PRESETS = ("default", "social")  # what readers' share cards and articles ask for
MIX = {"page": 15, "callback": 55, "csv": 10, "png": 10, "embed": 10}
FLOOR = ROOT / "dashboard" / "assets" / "_bench" / "floor.json"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def write_floor() -> str:
    """A 53 KB JSON file among the assets, deterministic; removed after the run."""
    FLOOR.parent.mkdir(exist_ok=True)
    rows = [{"month": f"{2000 + i // 12}-{i % 12 + 1:02d}", "value": (i * 7919) % 10007, "place": f"p{i % 37}"}
            for i in range(1000)]
    text = json.dumps(rows, separators=(",", ":"))
    while len(text.encode()) < 53_000:
        rows.append({"month": "2099-01", "value": len(rows), "place": "pad"})
        text = json.dumps(rows, separators=(",", ":"))
    FLOOR.write_text(text, encoding="utf-8")
    return "/assets/_bench/floor.json"


def record_callbacks(base: str, pages=PAGES) -> list[dict]:
    """Every callback body the pages send while loading, as Chromium sent it. In a thread of its own: Playwright's
    sync API refuses to run where an asyncio loop is already running (a test session's own browser)."""
    with cf.ThreadPoolExecutor(1) as ex:
        return ex.submit(_record, base, pages).result()


def _record(base: str, pages) -> list[dict]:
    from playwright.sync_api import sync_playwright

    bodies: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=servers_chromium(), args=CHROMIUM_ARGS)
        ctx = browser.new_context()
        page = ctx.new_page()
        page.on("request", lambda r: bodies.append({"page": page.url, "body": r.post_data})
                if r.method == "POST" and "/_dash-update-component" in r.url and r.post_data else None)
        for path in pages:
            page.goto(base + path, wait_until="networkidle", timeout=60_000)
            page.wait_for_timeout(300)
        browser.close()
    return bodies


def servers_chromium() -> str:
    from dashboard.export.render import find_chromium

    path = find_chromium()
    if path is None:
        raise SystemExit("needs Chromium (Debian: apt-get install chromium) to record callback bodies")
    return path


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status] += 1

    def total(self) -> int:
        return sum(len(v) for v in self.times.values())


def request(session, method: str, url: str, **kw) -> int:
    try:
        r = session.request(method, url, timeout=60, **kw)
        r.content  # noqa: B018 - read the whole body
        return r.status_code
    except Exception:  # noqa: BLE001 - a refused or reset connection counts as an error
        return 0


def drive(clients: int, seconds: float, pick, rec: Recorder) -> float:
    """`clients` threads, each with its session, sending pick(rng, n) (n: the client's request count so far) until
    the time is up; returns the elapsed time."""
    import requests

    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        rng, s, n = random.Random(i), requests.Session(), 0
        while n < len(MIX) or time.monotonic() < stop:  # at least one of each kind, however short the run
            kind, method, url, kw = pick(rng, n)
            n += 1
            t = time.monotonic()
            rec.add(kind, request(s, method, url, **kw), time.monotonic() - t)

    start = time.monotonic()
    with cf.ThreadPoolExecutor(clients) as ex:
        list(ex.map(client, range(clients)))
    return time.monotonic() - start


def mix_picker(base: str, bodies: list[dict]):
    kinds, weights = zip(*MIX.items())
    headers = {"Content-Type": "application/json"}

    def pick(rng, n: int):
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, weights)[0]  # each client starts with every kind
        chart = rng.choice(CHARTS)
        if kind == "page":
            return kind, "GET", base + rng.choice(PAGES), {}
        if kind == "callback":
            return kind, "POST", base + "/_dash-update-component", {"data": rng.choice(bodies)["body"],
                                                                     "headers": headers}
        if kind == "csv":
            return kind, "GET", f"{base}/export/{chart}.csv", {}
        if kind == "png":
            return kind, "GET", f"{base}/export/{chart}.png?size={rng.choice(PNG_PRESETS)}", {}
        return kind, "GET", f"{base}/embed/{chart}", {}
    return pick


def wait_warm(base: str, timeout: float = 600.0, streak: int = 12) -> float:
    """Seconds until /healthz says "warm" `streak` times in a row (each worker has made the release's default
    views and exports, dashboard/warmup.py): nothing is measured while the warm-up still uses the cores."""
    import requests

    start, n = time.monotonic(), 0
    while n < streak:
        if time.monotonic() - start > timeout:
            raise SystemExit(f"the server did not finish its warm-up in {timeout:.0f} s")
        try:
            n = n + 1 if requests.get(base + "/healthz", timeout=10).json().get("warm") else 0
        except (requests.RequestException, ValueError):
            n = 0
        time.sleep(0.25)
    return time.monotonic() - start


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))] * 1000 if s else float("nan")


def health_under_renders(base: str, sizes: int, clients: int) -> dict:
    """/healthz every 50 ms while `sizes` distinct PNG sizes are asked for by `clients` threads."""
    import requests

    urls = [f"{base}/export/encounters.png?size={700 + 9 * i}x{420 + 5 * i}" for i in range(sizes)]
    done, probes, answers = threading.Event(), [], Counter()
    drawn = set()

    def probe() -> None:
        s = requests.Session()
        while not done.is_set():
            t = time.monotonic()
            request(s, "GET", base + "/healthz")
            probes.append(time.monotonic() - t)
            time.sleep(0.05)

    def fetch(url: str) -> None:
        r = requests.get(url, timeout=120)
        answers[r.status_code] += 1
        if r.status_code == 200:
            drawn.add(r.headers.get("X-Export-Size"))

    prober = threading.Thread(target=probe)
    prober.start()
    t = time.monotonic()
    with cf.ThreadPoolExecutor(clients) as ex:
        list(ex.map(fetch, urls))
    elapsed = time.monotonic() - t
    done.set()
    prober.join()
    return {"sizes_asked": sizes, "answers": dict(answers), "sizes_drawn": len(drawn), "seconds": round(elapsed, 1),
            "healthz_p50_ms": round(pct(probes, 50), 1), "healthz_max_ms": round(max(probes) * 1000, 1),
            "healthz_probes": len(probes)}


def pss(process) -> int:
    """Proportional set size: Chromium's processes share most of their pages, so their RSS would count them
    many times over."""
    try:
        return process.memory_full_info().pss
    except Exception:  # noqa: BLE001 - gone, or no /proc/<pid>/smaps access
        return 0


def memory(proc) -> dict:
    import psutil

    master = psutil.Process(proc.pid)
    out = []
    for w in master.children():
        browsers = w.children(recursive=True)
        out.append({"worker_mb": round(w.memory_info().rss / 2**20),
                    "chromium_pss_mb": round(sum(pss(b) for b in browsers) / 2**20)})
    return {"workers": out}


def main(argv=None) -> dict:
    ap = parser(__doc__)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--static-seconds", type=float, default=20)
    ap.add_argument("--png-sizes", type=int, default=100)
    ap.add_argument("--pages", default=",".join(PAGES), help="pages to record callbacks on (comma-separated)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    result: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "clients": args.clients,
                    "cores": os.cpu_count(), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = release_dir(args, Path(tmp))
        port = servers.free_port()
        base = f"http://127.0.0.1:{port}"
        floor = write_floor()
        proc = None
        try:
            log = open(Path(tmp) / "gunicorn.log", "wb")  # noqa: SIM115
            proc = servers.start_gunicorn(data_dir, port, {"BORDERSTATS_EXPORT_RATE": "1000000 per minute"}, log=log)
            result["server"] = " ".join(["gunicorn", *servers.production_args()])
            bodies = record_callbacks(base, tuple(p for p in args.pages.split(",") if p))
            if not bodies:
                raise SystemExit("no callback bodies recorded")
            result["callback_bodies"] = len(bodies)
            result["warm_up_s"] = round(wait_warm(base), 1)
            static = Recorder()
            static_s = drive(args.clients, args.static_seconds, lambda rng, n: ("static", "GET", base + floor, {}),
                             static)
            mix = Recorder()
            mix_s = drive(args.clients, args.seconds, mix_picker(base, bodies), mix)
            result["static_rps"] = round(static.total() / static_s, 1)
            result["mix_rps"] = round(mix.total() / mix_s, 1)
            result["ratio"] = round(result["mix_rps"] / result["static_rps"], 3)
            result["kinds"] = {k: {"n": len(v), "p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1),
                                   "p99_ms": round(pct(v, 99), 1), "statuses": dict(mix.statuses[k])}
                               for k, v in sorted({**mix.times, **static.times}.items())}
            result["kinds"]["static"]["statuses"] = dict(static.statuses["static"])
            errors = Counter()
            for k, c in mix.statuses.items():
                for status, n in c.items():
                    if status >= 400 or status == 0:
                        errors[status] += n
            result["mix_errors"] = dict(errors)
            result["memory_after_mix"] = memory(proc)
            result["healthz_while_rendering"] = health_under_renders(base, args.png_sizes, args.clients)
            result["memory_after_all"] = memory(proc)
            result["load_after"] = os.getloadavg()
        finally:
            servers.stop(proc)
            FLOOR.unlink(missing_ok=True)
            try:
                FLOOR.parent.rmdir()
            except OSError:
                pass
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return result


def report(r: dict) -> None:
    print(f"{r['date']}  {r['cores']} cores, load before {r['load_before'][0]:.2f}, {r['clients']} clients")
    print(f"server: {r['server']}; {r['callback_bodies']} callback bodies recorded; warm-up finished "
          f"{r['warm_up_s']} s after recording")
    print(f"static floor {r['static_rps']} req/s; mix {r['mix_rps']} req/s; ratio {r['ratio']}")
    print(f"{'kind':10} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for k, v in r["kinds"].items():
        print(f"{k:10} {v['n']:>7} {v['p50_ms']:>8} {v['p95_ms']:>8} {v['p99_ms']:>8}  {v['statuses']}")
    print(f"mix errors by status: {r['mix_errors'] or 'none'}")
    print(f"memory after the mix: {r['memory_after_mix']['workers']}")
    h = r["healthz_while_rendering"]
    print(f"/healthz while {h['sizes_asked']} distinct PNG sizes were asked for ({h['seconds']} s; answers "
          f"{h['answers']}, {h['sizes_drawn']} sizes drawn after snapping): p50 {h['healthz_p50_ms']} ms, "
          f"max {h['healthz_max_ms']} ms over {h['healthz_probes']} probes")
    print(f"memory after all: {r['memory_after_all']['workers']}; load after {r['load_after'][0]:.2f}")


if __name__ == "__main__":
    main()
