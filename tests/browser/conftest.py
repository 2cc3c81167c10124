"""Browser tests: the app served by a real server process, driven by headless Chromium (Playwright).

Uses Debian's Chromium (/usr/bin/chromium); skipped where it or Playwright is absent. The app
serves a release built from the real files of ../shared when present, else from fixtures.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.real import shared_release

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    data_dir = root / "data"
    shared_release(tmp_path_factory, data_dir)
    return data_dir


@pytest.fixture(scope="session")
def server(release_dir):
    port = free_port()
    # the public URL is the server's own address, as in production: absolute links (permalinks, embed code) point here
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(release_dir), BORDERSTATS_PUBLIC_URL=f"http://127.0.0.1:{port}")
    # the server's log goes to a file: an unread pipe fills up and blocks the server after a few hundred requests
    log = open(release_dir.parent / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=Path(__file__).parents[2],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((release_dir.parent / "server.log").read_text()[-3000:])
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("the app did not start in 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    pw_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with pw_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield _CspBypassingBrowser(b)
        b.close()


class _CspBypassingBrowser:
    """The browser, whose new contexts bypass the pages' Content-Security-Policy unless a test asks otherwise:
    Playwright's wait_for_function polls its predicate with eval inside the page, which the pages' policy
    (rightly) forbids. tests/browser/test_csp.py opens its contexts with bypass_csp=False and proves the pages
    work under the policy."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **kw):
        kw.setdefault("bypass_csp", True)
        return self._browser.new_context(**kw)

    def __getattr__(self, name):
        return getattr(self._browser, name)


class Page:
    """A browser page that records console errors and failed requests."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.external.append(r.url) if not r.url.startswith(base) and
                not r.url.startswith("data:") else None)

    def goto(self, path: str):
        """Open a page and wait until Dash has rendered it (not for "network idle", which a busy
        2-core machine can take long to reach)."""
        self.page.goto(self.base + path, wait_until="load", timeout=60000)
        self.page.wait_for_selector("main.page h1", timeout=60000)
        return self.page

    def wait_for_charts(self, count: int = 1, timeout: float = 15000):
        self.page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=timeout)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = Page(context.new_page(), server)
    yield p
    context.close()
