"""nginx in front of gunicorn with the configuration of docs/dashboard.md (issue 13, item 4): exports, embeds,
downloads and fingerprinted assets come from nginx's cache on the second request, and the first request after
a new release is a MISS answered by the new release."""
from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

import pytest

from etl import pipeline
from tests.support import servers
from tests.support.release import fixture_release

pytestmark = pytest.mark.skipif(servers.nginx() is None or servers.gunicorn() is None,
                                reason="nginx or gunicorn is not installed (Debian: apt-get install nginx)")


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    data_dir = fixture_release(root / "data", root / "mirror")
    app_port, web_port = servers.free_port(), servers.free_port()
    app = web = None
    try:
        app = servers.start_gunicorn(data_dir, app_port, {"BORDERSTATS_PROXY_COUNT": "1",
                                                          "BORDERSTATS_EXPORT_RATE": "1000 per minute"})
        web = servers.start_nginx(root / "nginx", web_port, app_port)
        yield f"http://127.0.0.1:{web_port}", data_dir, root, f"http://127.0.0.1:{app_port}"
    finally:
        servers.stop(web)
        servers.stop(app)


def current(data_dir) -> str:
    return (data_dir / "warehouse" / "CURRENT").read_text().strip()


URLS = ("/export/encounters.csv", "/export/compare-mpp.json?cities=02004,08037", "/embed/encounters",
        "/download/encounters.csv")


def test_second_request_is_a_hit_and_a_new_release_is_a_miss(stack):
    base, data_dir, root, app_base = stack
    first = current(data_dir)
    for url in URLS:
        status, h1, body1 = get(base + url)
        assert status == 200 and h1["x-cache-status"] == "MISS", (url, h1.get("x-cache-status"))
        status, h2, body2 = get(base + url)
        assert h2["x-cache-status"] == "HIT" and body2 == body1 and h2["etag"] == h1["etag"], url
    assert get(base + "/export/encounters.csv")[1]["x-release"] == first

    # publish a new release: one more month of encounters (as tests/test_production.py does)
    header = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
              "Title of Authority,Encounter Type,Encounter Count\n")
    f = root / "sw.csv"
    f.write_text(header + "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\n")
    assert pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f], accept_shrink=True).published  # one row: a shrink
    second = current(data_dir)
    assert second != first
    # each worker answers from the first release until it has warmed the second: wait until they all say so
    # (meanwhile an old answer is marked no-store, so nothing old is kept under the new release's key). Asked of
    # gunicorn directly, each time on a new connection, so that every worker is asked (nginx keeps its upstream
    # connections open, and might ask one worker only); a worker not yet switched would still key nginx's cache
    # by the first release, and its HIT would be right, but not what this test is after.
    deadline, in_a_row = time.monotonic() + 120, 0
    while in_a_row < 24 and time.monotonic() < deadline:
        _, h, _ = get(app_base + "/healthz")
        in_a_row = in_a_row + 1 if h.get("x-release") == second else 0
        time.sleep(0.05)
    assert in_a_row >= 24, "the workers did not switch to the new release within 120 s"
    for url in URLS:
        status, h3, _ = get(base + url)
        assert status == 200 and h3["x-cache-status"] == "MISS", (url, h3.get("x-cache-status"))
        assert get(base + url)[1]["x-cache-status"] == "HIT", url
    _, h, _ = get(base + "/export/encounters.csv")
    assert h["x-release"] == second


def test_fingerprinted_assets_are_hits_and_pages_are_not_cached(stack):
    base = stack[0]
    _, headers, page = get(base + "/encounters")
    assert "x-cache-status" not in headers  # pages and callbacks go straight to the app
    asset = re.search(r'src="(/assets/[^"]+\?m=[0-9.]+)"', page.decode())
    assert asset, "no fingerprinted asset in the page"
    get(base + asset.group(1))
    _, h, _ = get(base + asset.group(1))
    assert h["x-cache-status"] == "HIT" and "immutable" in h["cache-control"]


def test_busy_and_refused_answers_are_not_kept(stack):
    base = stack[0]
    for _ in range(2):  # a 400 (no Cache-Control) is passed on, never kept
        try:
            get(base + "/export/encounters.png?size=huge")
        except urllib.error.HTTPError as e:
            assert e.code == 400 and e.headers.get("X-Cache-Status") == "MISS"
        else:
            raise AssertionError("a bad size was accepted")
