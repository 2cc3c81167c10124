"""HTTP faults in a full refresh, against a local publisher on 127.0.0.1 serving the real CBP file (from
../shared when present, else the fixture in its format): each fault fails that source only, with its
name, the file and the reason; its previous rows keep serving; the next good answer clears it."""
from __future__ import annotations

import pytest

from etl import fetch, pipeline
from etl.status import status
from etl.warehouse import Warehouse
from tests.conftest import FIXTURES, SHARED_REAL
from tests.support.http import Reply, publisher_with_registry
from tests.test_refresh_http import DEATHS, REGISTRY, landing

REAL_CBP = SHARED_REAL / "cbp" / "sbo-encounters-fy22-fy25-aug.csv"
CBP = (REAL_CBP if REAL_CBP.is_file() else FIXTURES / "cbp_encounters" / "southwest.csv").read_bytes()
LANDING = "/document/stats/southwest-land-border-encounters"
FILE = "/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"
MOVED = "/sites/default/files/2025-10/sbo-encounters-fy22-fy25-sep.csv"
DEATHS_PATH = "/clean/southwest_border_deaths_1998_2019.csv"
HTML = b"<!DOCTYPE html><html><head><title>Site maintenance</title></head><body>Back soon</body></html>"
SETTINGS = fetch.HttpSettings(timeout=1.0, attempts=2, backoff=0.01, sleep=lambda s: None)

FAULTS = {  # name: (replies for the file, words the error must contain)
    "500": ([Reply(500, b"error")], ["500"]),
    "503 with Retry-After": ([Reply(503, b"busy", {"Retry-After": "120"})], ["503"]),
    "429": ([Reply(429, b"slow down", {"Retry-After": "1"})], ["429"]),
    "timeout": ([Reply(200, CBP, {"Content-Type": "text/csv"}, delay=2.5)], ["timed out"]),
    "connection reset": ([Reply(reset=True)], ["connection"]),
    "body cut short of Content-Length": ([Reply(200, CBP[: len(CBP) // 2], {"Content-Type": "text/csv"},
                                                content_length=len(CBP))], ["bytes"]),
    "HTML page with status 200": ([Reply(200, HTML, {"Content-Type": "text/html"})], ["HTML"]),
    "CDN refusal: Akamai Access Denied (403)": ([Reply(403, b"<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD>"
                                                    b"<BODY>Reference #18.1</BODY></HTML>",
                                                    {"Content-Type": "text/html"})], ["refused"]),
    "CDN challenge: Cloudflare 'Just a moment...' (503)": (
        [Reply(503, b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>",
               {"Content-Type": "text/html", "cf-mitigated": "challenge"})], ["refused"]),
    "file cut mid-line (valid HTTP)": ([Reply(200, CBP[: len(CBP) // 2 + 7], {"Content-Type": "text/csv"})],
                                       ["line"]),
}


@pytest.fixture
def publisher(tmp_path, monkeypatch):
    with publisher_with_registry(tmp_path, monkeypatch, REGISTRY) as srv:
        srv.routes[LANDING] = [Reply(200, landing(FILE))]
        srv.routes[FILE] = [Reply(200, CBP, {"Content-Type": "text/csv"})]
        srv.routes[DEATHS_PATH] = [Reply(200, DEATHS.encode(), {"Content-Type": "text/csv"})]
        yield srv


def refresh(data_dir):
    return pipeline.run(data_dir, http=SETTINGS)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_fails_its_source_only_and_keeps_its_rows(publisher, tmp_path, fault):
    data_dir = tmp_path / "data"
    assert refresh(data_dir).exit_code == 0
    wh = Warehouse(data_dir)
    before = wh.current()
    rows = len(before.read("encounters"))
    assert rows > 0

    replies, words = FAULTS[fault]
    publisher.routes[FILE] = list(replies)
    result = refresh(data_dir)
    cbp = result.outcomes["cbp_encounters"]
    assert cbp.status == "failed" and result.exit_code == 1
    assert "cbp_encounters" in cbp.error and any(w.lower() in cbp.error.lower() for w in words), cbp.error
    assert "sbo-encounters" in cbp.error  # which file
    assert result.outcomes["usbp_history"].status == "unchanged"
    assert wh.current().id == before.id and len(wh.current().read("encounters")) == rows
    st = status(data_dir)["sources"]["cbp_encounters"]
    assert st["status"] == "stale" and st["rows"] > 0 and st["consecutive_failures"] == 1 and st["error"]

    publisher.routes[FILE] = [Reply(200, CBP, {"Content-Type": "text/csv"})]  # the publisher recovers
    result = refresh(data_dir)
    assert result.exit_code == 0 and result.outcomes["cbp_encounters"].status == "unchanged"
    assert status(data_dir)["sources"]["cbp_encounters"]["consecutive_failures"] == 0


def test_a_moved_file_is_found_on_the_landing_page(publisher, tmp_path):
    data_dir = tmp_path / "data"
    assert refresh(data_dir).exit_code == 0
    publisher.routes[FILE] = [Reply(404, b"gone")]
    publisher.routes[LANDING] = [Reply(200, landing(MOVED))]
    publisher.routes[MOVED] = [Reply(200, CBP + b"", {"Content-Type": "text/csv"})]
    result = refresh(data_dir)
    assert result.exit_code == 0
    assert any(path == MOVED for path, _ in publisher.requests)


def test_an_unchanged_file_answers_304_and_nothing_is_published(publisher, tmp_path):
    data_dir = tmp_path / "data"

    def etagged(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, b"")
        return Reply(200, CBP, {"Content-Type": "text/csv", "ETag": '"v1"'})

    publisher.routes[FILE] = etagged
    assert refresh(data_dir).published
    result = refresh(data_dir)
    assert not result.published and result.outcomes["cbp_encounters"].status == "unchanged"
    assert any(h.get("If-None-Match") == '"v1"' for path, h in publisher.requests if path == FILE)
