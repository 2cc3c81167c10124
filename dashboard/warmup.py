"""After a release is switched in, what readers ask for first is made once, in the background, before they ask:

1. each page's default view is drawn (so the first reader of a page finds its charts in the cache, and, with
   Redis, so does every other worker and machine);
2. every chart's default exports are made through the app's own routes, exactly as a reader's request would make
   them: the CSV and its JSON sidecar, the embed page, and the PNG at the two sizes articles and share cards ask
   for (``options.PRESETS`` "default" and "social"). They land in the export store (memory, the data folder's
   ``cache/exports``, and Redis when configured: dashboard/export/store.py), so a story's readers never wait for
   Chromium. One worker per data folder makes them (a lock file); the others wait for it, then find them on
   disk. ``BORDERSTATS_WARM_IMAGES=0`` leaves the PNGs to the first reader (a machine without Chromium skips them);
   ``BORDERSTATS_WARM_EXPORTS=0`` leaves every export to its first reader (the test suite sets it: its many
   short-lived apps would each make them).

:func:`ready` says whether this worker has finished all of it for the release it serves (``/healthz`` reports it
as ``"warm"``; the load benchmark waits for it).
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections import Counter

from dashboard import data_access

log = logging.getLogger("borderstats.dashboard")

IMAGES_ENV = "BORDERSTATS_WARM_IMAGES"
EXPORTS_ENV = "BORDERSTATS_WARM_EXPORTS"
WARM_ENVIRON = "borderstats.warm"  # set on the warm-up's own requests (WSGI environ: no client can set it)
PNG_SIZES = ("default", "social")

_state: dict = {"release": None, "done": False, "answers": {}, "bundled_only": None, "folder": None}
_lock = threading.Lock()


def ready() -> bool:
    """True once the warm-up has finished for the release this worker serves."""
    data = data_access.current()
    return data is not None and _state["release"] == data.id and _state["done"]


def default_views(data) -> int:
    """Draw the default view of every page with exportable charts (its `chart_views` for an empty query), for
    the release being served; the number of pages drawn."""
    from dashboard.export import registry

    done = []
    for chart in registry.CHARTS.values():
        module = chart.views
        if module in done:
            continue
        done.append(module)
        if data_access.current() is not data:  # another release came in meanwhile: its own warm-up will draw
            break
        try:
            module.chart_views(module.state_from_query({}).state)
        except Exception:  # noqa: BLE001 (a page that cannot draw its default view still serves; its error is logged)
            log.exception("default view of %s failed for release %s", module.__name__, data.id)
    return len(done)


def export_urls(images: bool) -> list[str]:
    """The default exports of every chart, as a reader asks for them."""
    from dashboard.export import registry

    urls = []
    for name in registry.CHARTS:
        urls += [f"/export/{name}.csv", f"/export/{name}.json", f"/embed/{name}"]
        if images:
            urls += [f"/export/{name}.png?size={s}" for s in PNG_SIZES]
    return urls


def images_wanted() -> bool:
    from dashboard.export import render

    return (os.environ.get(IMAGES_ENV) or "1").strip() != "0" and render.find_chromium() is not None


def default_exports(app, data, images: bool = True) -> Counter:
    """Ask the app for every chart's default exports (one worker per data folder at a time); answers by status."""
    from dashboard.export import store

    answers: Counter = Counter()
    disk = store.disk()
    lock_file = None
    if disk is not None:
        try:
            disk.root.mkdir(parents=True, exist_ok=True)
            lock_file = open(disk.root / ".warm.lock", "a+")  # noqa: SIM115 (held for the whole warm-up)
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # another worker warming: wait, then find its files
        except OSError as e:
            log.warning("export warm-up without a lock (%s)", e)
    try:
        client = app.server.test_client()
        for url in export_urls(images and images_wanted()):
            if data_access.current() is not data:
                break
            resp = client.get(url, environ_base={WARM_ENVIRON: True})
            answers[resp.status_code] += 1
            resp.close()
        if disk is not None:
            disk.prune()
    finally:
        if lock_file is not None:
            lock_file.close()  # releases the lock
    return answers


def run(app, data) -> None:
    folder = str(data.release.path.parent) if hasattr(data, "release") else None
    with _lock:  # the release before, in the same data folder, held the bundled reference data only
        after_first_run = _state.get("bundled_only") is True and _state.get("folder") == folder
        _state.update(release=data.id, done=False, bundled_only=data_access.first_run_wanted(data), folder=folder)
    default_views(data)
    # not for a release of the bundled reference data only (the first run's: a real one follows within seconds);
    # and right after the first run no images: its reader is opening the pages now, and Chromium drawing 26
    # images beside them took the first run from 21 to 31 s (benchmarks/first_run.py)
    wanted = (os.environ.get(EXPORTS_ENV) or "1").strip() != "0" and not _state["bundled_only"]
    answers = default_exports(app, data, images=not after_first_run) if wanted else Counter()
    log.info("release %s warmed: default views and %d exports (%s)", data.id, sum(answers.values()),
             ", ".join(f"{n} x {s}" for s, n in sorted(answers.items())))
    with _lock:
        if _state["release"] == data.id:
            _state.update(done=True, answers=dict(answers))


_app: dict = {"app": None}


def _after_switch(data) -> None:
    app = _app["app"]
    if app is not None:
        run(app, data)


def install(app) -> None:
    """Warm every release this process switches to, through `app` (the latest app of the process: one in
    production, many in a test session)."""
    _app["app"] = app
    if _after_switch not in data_access._after_switch:
        data_access.after_switch(_after_switch)
