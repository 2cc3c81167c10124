"""HTTP fetching against a local server on 127.0.0.1 that fails on purpose."""
from __future__ import annotations

import pytest

from etl import fetch
from etl.errors import FetchError
from tests.support.http import Reply, Server

CSV = b"a,b\r\n1,2\r\n"


@pytest.fixture
def settings():
    waits: list[float] = []
    s = fetch.HttpSettings(timeout=1.0, attempts=3, backoff=0.01, max_retry_after=5, sleep=waits.append)
    s.waits = waits  # type: ignore[attr-defined]
    return s


@pytest.fixture
def server():
    with Server() as srv:
        yield srv


def get(server, settings, path, tmp_path, **kw):
    sess = fetch.session(settings)
    return fetch.download(sess, server.url + path, tmp_path / "out.csv", settings, source="test_src", **kw)


def test_plain_download_records_checksum_and_headers(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(200, CSV, {"Content-Type": "text/csv", "ETag": '"v1"'})]
    dl = get(server, settings, "/f.csv", tmp_path)
    assert dl.status == 200 and dl.bytes == len(CSV)
    assert (tmp_path / "out.csv").read_bytes() == CSV
    import hashlib

    assert dl.sha256 == hashlib.sha256(CSV).hexdigest()
    assert dl.etag == '"v1"'
    assert "borderstats" in server.requests[0][1]["User-Agent"]


def test_retries_5xx_then_succeeds(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(500, b"oops"), Reply(502, b"bad gateway"), Reply(200, CSV)]
    dl = get(server, settings, "/f.csv", tmp_path)
    assert dl.status == 200
    assert len(server.requests) == 3
    assert settings.waits == [0.01, 0.02]  # exponential back-off


def test_503_retry_after_is_honoured_and_capped(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(503, b"", {"Retry-After": "3"}), Reply(503, b"", {"Retry-After": "999"}), Reply(200, CSV)]
    get(server, settings, "/f.csv", tmp_path)
    assert settings.waits == [3.0, 5.0]


def test_gives_up_after_attempts_with_clear_error(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(500, b"no")]
    with pytest.raises(FetchError) as exc:
        get(server, settings, "/f.csv", tmp_path)
    msg = str(exc.value)
    assert "test_src" in msg and "/f.csv" in msg and "HTTP 500" in msg and "3 attempts" in msg
    assert not (tmp_path / "out.csv").exists()


def test_429_is_retried(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, CSV)]
    assert get(server, settings, "/f.csv", tmp_path).status == 200
    assert settings.waits == [1.0]


def test_timeout_is_retried_then_reported(server, settings, tmp_path):
    settings.timeout = 0.2
    server.routes["/slow.csv"] = [Reply(200, CSV, delay=0.6)]
    with pytest.raises(FetchError, match="timed out"):
        get(server, settings, "/slow.csv", tmp_path)


def test_body_shorter_than_content_length_is_an_error(server, settings, tmp_path):
    server.routes["/cut.csv"] = [Reply(200, CSV[:5], content_length=len(CSV) + 100)]
    with pytest.raises(FetchError) as exc:
        get(server, settings, "/cut.csv", tmp_path)
    assert "test_src" in str(exc.value)
    assert "interrupted" in str(exc.value) or "Content-Length" in str(exc.value)
    assert not (tmp_path / "out.csv").exists()


def test_connection_reset_is_reported(server, settings, tmp_path):
    server.routes["/reset.csv"] = [Reply(reset=True)]
    with pytest.raises(FetchError, match="connection|Connection"):
        get(server, settings, "/reset.csv", tmp_path)


def test_html_page_with_status_200_is_not_data(server, settings, tmp_path):
    page = b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>no</body></html>"
    server.routes["/f.csv"] = [Reply(200, page, {"Content-Type": "text/html"})]
    with pytest.raises(FetchError, match="HTML page"):
        get(server, settings, "/f.csv", tmp_path)
    assert not (tmp_path / "out.csv").exists()


def test_404_says_the_file_moved(server, settings, tmp_path):
    with pytest.raises(FetchError, match="404.*moved"):
        get(server, settings, "/gone.csv", tmp_path)


def test_403_is_reported_as_a_refusal(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(403, b"forbidden")]
    with pytest.raises(FetchError, match="refused"):
        get(server, settings, "/f.csv", tmp_path)


def test_conditional_request_304(server, settings, tmp_path):
    def route(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, b"")
        return Reply(200, CSV, {"ETag": '"v1"'})

    server.routes["/f.csv"] = route
    first = get(server, settings, "/f.csv", tmp_path)
    second = get(server, settings, "/f.csv", tmp_path, etag=first.etag)
    assert first.status == 200 and second.not_modified and second.path is None
    assert server.requests[1][1].get("If-None-Match") == '"v1"'


def test_discovery_takes_the_newest_file(server, settings):
    page = b"""<html><body>
      <a href="/sites/default/files/2025-08/sbo-encounters-fy22-fy25-jul.csv">July</a>
      <a href="/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv">August</a>
      <a href="/sites/default/files/assets/documents/2023-Jul/sbo-encounters-fy20-fy23-jun.csv">old</a>
      <a href="/other.pdf">pdf</a></body></html>"""
    server.routes["/doc"] = [Reply(200, page, {"Content-Type": "text/html"})]
    url = fetch.discover(fetch.session(settings), server.url + "/doc", r"sbo-encounters-fy\d\d-fy\d\d[^\"/]*\.csv",
                         settings, source="cbp_encounters")
    assert url == server.url + "/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"


def test_discovery_without_match_names_the_pattern(server, settings):
    server.routes["/doc"] = [Reply(200, b"<html><a href='/x.pdf'>x</a></html>")]
    with pytest.raises(FetchError, match="no link matching"):
        fetch.discover(fetch.session(settings), server.url + "/doc", r"\.csv$", settings, source="s")


def test_discovery_decodes_spaces_in_workbook_names(server, settings):
    page = b'<a href="/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11.xlsx">x</a>' \
           b'<a href="/system/files/2025-08/KHSM%20Encounters%20%28USBP%29%20fy25m10.xlsx">y</a>'
    server.routes["/khsm"] = [Reply(200, page)]
    url = fetch.discover(fetch.session(settings), server.url + "/khsm",
                         r"KHSM(?:%20|\s|_)Encounters(?:%20|\s|_)\(USBP\)(?:%20|\s|_)fy\d\dm\d\d\.xlsx", settings)
    assert url.endswith("fy25m11.xlsx")


def test_filename_for_query_urls_uses_the_key():
    assert fetch.filename_for("https://h/app/getTable.asp?format=csv", "records") == "records.csv"
    assert fetch.filename_for("https://h/a/KHSM%20Encounters%20(USBP)%20fy25m11.xlsx", "k") == "KHSM Encounters (USBP) fy25m11.xlsx"
