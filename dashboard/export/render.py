"""Figures to images with kaleido, driving the system's Chromium: one browser, started once and
reused for every image (a batch export or a web worker's requests), never one per image.

Kaleido is given the dashboard's own plotly.js bundle and no MathJax, so nothing is fetched from
the internet. The browser is found in BORDERSTATS_CHROMIUM, then BROWSER_PATH, then on PATH
(Debian's `chromium`).
"""
from __future__ import annotations

import asyncio
import copy
import logging
import os
import shutil
import threading
from pathlib import Path

from dashboard import NAME
from dashboard.charts.common import plain
from dashboard.i18n import _

from .options import Size

log = logging.getLogger(__name__)
ASSETS = Path(__file__).resolve().parent.parent / "assets"
PLOTLY_JS = ASSETS / "vendor" / "plotly-borderstats.min.js"
TOPOJSON = ASSETS / "geo"
TIMEOUT = 60.0
OPEN_TIMEOUT = 25.0  # a start that takes longer has hung (starts take 1-7 s with four at once on two cores)
OPEN_ATTEMPTS = 3


def not_ready(error: Exception) -> bool:
    """Whether kaleido failed because its page's scripts were not loaded yet ("ReferenceError: kaleido_scopes is not
    defined"): seen once in a CI run on two busy cores (2026-12-01); drawing again in a new browser succeeds."""
    return "ReferenceError" in str(error) and "is not defined" in str(error)


class RendererUnavailable(RuntimeError):
    """No Chromium, or kaleido is missing: images cannot be made (CSV still can)."""


def find_chromium() -> str | None:
    for var in ("BORDERSTATS_CHROMIUM", "BROWSER_PATH"):
        path = os.environ.get(var)
        if path and Path(path).is_file():
            return path
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def for_export(figure: dict, size: Size, *, link: str) -> dict:
    """The figure at the export's size, with the dashboard's name and the view's link under its source
    line: the title, subtitle, source and notes are already in the figure (charts.common.finish), in the language
    it was built in; the name is in the current one (build and export inside the same i18n.using / request)."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout.update(width=size.width, height=size.height, autosize=False)
    brand = plain(f"{_(NAME)} · {link}")
    annotations = layout.setdefault("annotations", [])
    foot = next((a for a in annotations if a.get("name") == "footer"), None)
    margin = layout.setdefault("margin", {})
    if foot is not None:
        foot["text"] = f"{foot.get('text', '')}<br>{brand}"
        margin["b"] = int(margin.get("b", 60)) + 16
    else:
        annotations.append({"text": brand, "name": "footer", "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                            "yshift": -40, "xanchor": "left", "yanchor": "top", "showarrow": False,
                            "align": "left", "font": {"size": 11, "color": "#5f6368"}})
        margin["b"] = max(int(margin.get("b", 60)), 76)
    return fig


class Renderer:
    """One kaleido (one Chromium) on an event loop in a background thread; thread-safe."""

    def __init__(self, *, chromium: str | None = None, tabs: int = 1) -> None:
        try:
            import kaleido  # noqa: F401
        except ImportError as e:  # pragma: no cover - kaleido is a dependency
            raise RendererUnavailable("image export needs the kaleido package (pip install kaleido)") from e
        path = chromium or find_chromium()
        if path is None:
            raise RendererUnavailable("image export needs Chromium: install it (Debian: apt-get install chromium) "
                                      "or set BORDERSTATS_CHROMIUM to its path; CSV export works without it")
        self.chromium = path
        self._tabs = tabs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()
        self._kaleido = None
        self._lock = threading.Lock()

    def _call(self, coro, timeout: float = TIMEOUT):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def _open(self):
        """A started kaleido. Now and then (1 start in 32 with four started at once on two cores, measured
        2026-11-29) Chromium's start never finishes: that attempt is given up after OPEN_TIMEOUT seconds, its
        browser closed, and a new one started, up to OPEN_ATTEMPTS times."""
        import kaleido

        os.environ.setdefault("BROWSER_PATH", self.chromium)  # choreographer's way to be told the browser
        failure: Exception | None = None
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            k = kaleido.Kaleido(n=self._tabs, timeout=TIMEOUT, plotlyjs=str(PLOTLY_JS), mathjax=False)
            started = asyncio.run_coroutine_threadsafe(k.open(), self._loop)
            try:
                started.result(OPEN_TIMEOUT)
            except Exception as e:  # noqa: BLE001 - a hung or failed start: close it and try again
                failure = e if str(e) else RuntimeError(f"Chromium did not start in {OPEN_TIMEOUT:.0f} s")
                started.cancel()
                log.warning("image renderer: Chromium did not start (attempt %d of %d): %s", attempt,
                            OPEN_ATTEMPTS, failure)
                try:
                    self._call(k.close(), timeout=10)
                except Exception:  # noqa: S110 - already broken
                    pass
                continue
            log.info("image renderer started (%s)", self.chromium)
            return k
        raise failure

    def render(self, figure: dict, fmt: str, size: Size) -> bytes:
        """The image; a browser whose page was not ready (`not_ready`) is replaced and the image drawn once more."""
        opts = {"format": fmt, "width": size.width, "height": size.height, "scale": size.scale}
        for attempt in (1, 2):
            k = self._started()
            try:
                return self._call(k.calc_fig(figure, opts=opts, topojson=TOPOJSON.as_uri() + "/"))
            except Exception as e:
                self._discard(k)  # a crashed or unready browser: start a new one
                if attempt == 1 and not_ready(e):
                    log.warning("image renderer: the browser's page was not ready (%s); drawing again", e)
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _started(self):
        with self._lock:
            if self._kaleido is None:
                try:
                    self._kaleido = self._open()
                except Exception as e:
                    raise RendererUnavailable(f"could not start Chromium ({self.chromium}): {e}") from e
            return self._kaleido

    def _discard(self, k) -> None:
        with self._lock:
            if self._kaleido is k:
                self._kaleido = None
                try:
                    self._call(k.close(), timeout=10)
                except Exception:  # noqa: S110 - already broken
                    pass

    def close(self) -> None:
        with self._lock:
            k, self._kaleido = self._kaleido, None
        if k is not None:
            try:
                self._call(k.close(), timeout=15)
            except Exception as e:  # noqa: BLE001
                log.warning("closing the image renderer: %s", e)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared() -> Renderer:
    """The process's renderer (a web worker's), started on first use: one tab per image the worker may draw at
    once (export.pool bounds how many)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            from .pool import shared as pool

            _shared = Renderer(tabs=pool().concurrency)
        return _shared
