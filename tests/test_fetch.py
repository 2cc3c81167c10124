"""HTTP fetching against a local server on 127.0.0.1 that fails on purpose."""
from __future__ import annotations

import pytest
import requests

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
    page = b"<!DOCTYPE html><html><head><title>Site maintenance</title></head><body>no</body></html>"
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


# --------------------------------------------------------------------------- CDN refusals (issue 14)

AKAMAI_DENIED = (b"<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n"
                 b"You don't have permission to access \"http&#58;&#47;&#47;www&#46;cbp&#46;gov&#47;f&#46;csv\" on "
                 b"this server.<P>\nReference&#32;&#35;18&#46;1234&#46;1700000000&#46;abc\n</BODY>\n</HTML>\n")
CLOUDFLARE_CHALLENGE = (b"<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
                        b"<meta http-equiv=\"refresh\" content=\"390\"></head><body><div id=\"cf-chl-widget\">"
                        b"</div><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script>"
                        b"</body></html>")


def refuses_bots(handler):
    """A CDN that turns away a client calling itself python-requests (or with no browser-style UA)."""
    ua = handler.headers.get("User-Agent", "")
    if "python-requests" in ua or not ua.startswith("Mozilla/5.0"):
        return Reply(403, AKAMAI_DENIED, {"Content-Type": "text/html", "Server": "AkamaiGHost"})
    return Reply(200, CSV, {"Content-Type": "text/csv"})


def test_user_agent_is_browser_compatible_descriptive_and_names_a_contact(monkeypatch):
    monkeypatch.delenv(fetch.ENV_CONTACT_URL, raising=False)
    ua = fetch.HttpSettings().user_agent
    assert ua.startswith("Mozilla/5.0 (compatible; borderstats/")
    assert "+" + fetch.DEFAULT_CONTACT_URL in ua and "python-requests" not in ua
    monkeypatch.setenv(fetch.ENV_CONTACT_URL, "https://example.org/newsroom-data")
    assert "+https://example.org/newsroom-data)" in fetch.HttpSettings().user_agent


def test_a_cdn_that_refuses_python_requests_lets_the_descriptive_agent_through(server, settings, tmp_path):
    server.routes["/f.csv"] = refuses_bots
    dl = get(server, settings, "/f.csv", tmp_path)
    assert dl.status == 200 and (tmp_path / "out.csv").read_bytes() == CSV
    # the same server refuses requests' own User-Agent: reported as a refusal naming the source and URL
    bare = requests.Session()
    with pytest.raises(FetchError) as info:
        fetch.download(bare, server.url + "/f.csv", tmp_path / "x.csv", settings, source="cbp_encounters")
    err = info.value
    assert err.kind == "refused" and err.source == "cbp_encounters" and err.url == server.url + "/f.csv"
    assert "refused" in str(err) and "Access Denied" in str(err) and "cbp_encounters" in str(err)
    assert "parse" not in str(err) and "HTML page" not in str(err)
    assert len(server.requests) == 2  # a refusal is not retried


def test_cloudflare_challenge_is_a_refusal_not_an_outage(server, settings, tmp_path):
    server.routes["/f.csv"] = [Reply(503, CLOUDFLARE_CHALLENGE, {"Content-Type": "text/html", "cf-mitigated": "challenge"})]
    with pytest.raises(FetchError) as info:
        get(server, settings, "/f.csv", tmp_path)
    assert info.value.kind == "refused" and "Cloudflare" in str(info.value)
    assert len(server.requests) == 1 and settings.waits == []  # not retried like a 503


@pytest.mark.parametrize("status", [200, 403])
def test_challenge_page_served_as_the_file_is_a_refusal(server, settings, tmp_path, status):
    server.routes["/f.csv"] = [Reply(status, CLOUDFLARE_CHALLENGE, {"Content-Type": "text/html"})]
    with pytest.raises(FetchError) as info:
        get(server, settings, "/f.csv", tmp_path)
    assert info.value.kind == "refused" and "Just a moment" in str(info.value)
    assert not (tmp_path / "out.csv").exists()


def test_challenge_on_the_landing_page_is_a_refusal_not_a_missing_link(server, settings):
    server.routes["/doc"] = [Reply(200, AKAMAI_DENIED, {"Content-Type": "text/html"})]
    with pytest.raises(FetchError) as info:
        fetch.discover(fetch.session(settings), server.url + "/doc", r"\.csv", settings, source="cbp_encounters")
    assert info.value.kind == "refused" and "no link" not in str(info.value)


def test_dns_failure_is_said_at_once_without_retries(settings, tmp_path, monkeypatch):
    import socket
    import time as _time

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    t0 = _time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch.download(fetch.session(settings), "https://www.cbp.gov/f.csv", tmp_path / "o.csv", settings,
                       source="cbp_encounters")
    assert _time.monotonic() - t0 < 3
    err = info.value
    assert err.kind == "dns" and "www.cbp.gov" in str(err) and "--mirror" in str(err) and "--offline" in str(err)
    assert settings.waits == []  # not retried like a 503


# --------------------------------------------------------------------------- OHSS's Drupal folders (issue 14)

def ohss_pattern() -> str:
    from etl.registry import load_registry

    (sf,) = load_registry()["ohss_usbp_encounters"].files
    return sf.discover_pattern


def test_ohss_pattern_accepts_both_drupal_folders_and_reupload_suffixes(server, settings):
    page = (b'<a href="/sites/default/files/2025-08/KHSM%20Encounters%20%28USBP%29%20fy25m10.xlsx">Aug</a>'
            b'<a href="/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11.xlsx">Sep</a>'
            b'<a href="/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11_0.xlsx">Sep again</a>'
            b'<a href="/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11_1.xlsx">Sep, third</a>'
            b'<a href="/system/files/2025-09/KHSM%20Encounters%20%28OFO%29%20fy25m11.xlsx">OFO</a>')
    server.routes["/khsm/encounters"] = [Reply(200, page, {"Content-Type": "text/html"})]
    found = fetch.find_file(fetch.session(settings), server.url + "/khsm/encounters", ohss_pattern(), settings)
    assert found.url.endswith("/system/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11_1.xlsx")
    assert found.candidates == 4  # the OFO workbook is not a candidate
    assert fetch.filename_for(found.url, "khsm_usbp") == "KHSM Encounters (USBP) fy25m11_1.xlsx"


@pytest.mark.parametrize("names, newest_name", [
    (["a/2025-09/x fy25m11.xlsx", "a/2025-09/x fy25m11_0.xlsx"], "a/2025-09/x fy25m11_0.xlsx"),
    (["a/2025-09/x fy25m11_9.xlsx", "a/2025-09/x fy25m11_10.xlsx"], "a/2025-09/x fy25m11_10.xlsx"),
    (["a/2025-10/x fy25m12.xlsx", "a/2025-09/x fy25m11_3.xlsx"], "a/2025-10/x fy25m12.xlsx"),
])
def test_newest_orders_reuploads_by_number(names, newest_name):
    assert fetch.newest(["https://h/" + n for n in names]) == "https://h/" + newest_name


def test_ohss_registry_reads_the_current_landing_page_then_the_old_one():
    from etl.registry import load_registry

    (sf,) = load_registry()["ohss_usbp_encounters"].files
    assert sf.discover_pages == ("https://ohss.dhs.gov/khsm/encounters", "https://ohss.dhs.gov/khsm/cbp-encounters")


def test_a_moved_landing_page_falls_back_to_its_other_address(server, settings):
    page = b'<a href="/sites/default/files/2025-09/KHSM%20Encounters%20%28USBP%29%20fy25m11.xlsx">x</a>'
    server.routes["/khsm/cbp-encounters"] = [Reply(200, page)]  # /khsm/encounters answers 404 here
    found = fetch.find_file(fetch.session(settings), [server.url + "/khsm/encounters",
                                                      server.url + "/khsm/cbp-encounters"], ohss_pattern(), settings)
    assert found.fallback and found.url.endswith("fy25m11.xlsx")
    assert any("404" in n for n in found.notes)
    with pytest.raises(FetchError) as info:  # both gone: the last page's reason, as "moved"
        fetch.find_file(fetch.session(settings), [server.url + "/a", server.url + "/b"], ohss_pattern(), settings)
    assert info.value.kind == "moved" and info.value.url == server.url + "/b"
