"""The hostile inputs of issue 13, each answered by a 4xx or a header: body size, security headers, the Host
header, strict query values, unknown paths, rate limits (memory and Redis), ETags and Cache-Control."""
from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard import httpcache, security
from dashboard.export import options, pin, registry, render
from tests.support.release import fixture_release
from tests.support.servers import stop

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PUBLIC = "https://stats.example.org"
EVIL = "evil.example"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("BORDERSTATS_PUBLIC_URL", PUBLIC)
    mp.setenv("BORDERSTATS_EXPORT_RATE", "1000 per minute")
    mp.delenv("BORDERSTATS_CACHE_URL", raising=False)
    mp.delenv("BORDERSTATS_RATELIMIT_URL", raising=False)
    root = tmp_path_factory.mktemp("harden")
    a = create_app(fixture_release(root / "data", root / "mirror"))
    a.data_dir = root / "data"
    yield a
    mp.undo()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def live(app):
    """The app on a real HTTP server on 127.0.0.1 (werkzeug's, threaded)."""
    srv = make_server("127.0.0.1", 0, app.server, threaded=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv.server_port
    srv.shutdown()


def evil(client, url, **kw):
    return client.get(url, headers={"Host": EVIL, **kw.pop("headers", {})}, base_url=f"http://{EVIL}", **kw)


# ---------------------------------------------------------------- 1. request body limit


def test_a_body_over_the_limit_is_413(client):
    big = b'{"output": "' + b"x" * (security.MAX_BODY_BYTES + 10) + b'"}'
    r = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert r.status_code == 413 and b"at most 1,048,576 bytes" in r.data
    small = client.post("/_dash-update-component", data=b"{}", content_type="application/json")
    assert small.status_code == 400  # under the limit: read, and refused as a malformed callback


def _chunked_post(port: int, size: int) -> int:
    """POST `size` bytes in chunks, without Content-Length; the answer's status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/_dash-update-component")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    sent = 0
    try:
        while sent < size:
            chunk = b"x" * min(65536, size - sent)
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading at the limit
    try:
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_chunked_body_without_content_length_over_the_limit_is_413(live):
    assert _chunked_post(live, 2 * security.MAX_BODY_BYTES) == 413
    assert _chunked_post(live, security.MAX_BODY_BYTES) == 400  # at the limit: read, refused as malformed


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_gunicorn_refuses_large_bodies_chunked_or_not(app):
    """The production server: the same limits through gunicorn's own request parser."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BORDERSTATS_DATA_DIR=str(app.data_dir))
    proc = subprocess.Popen([str(GUNICORN), "-w", "1", "--no-control-socket", "-b", f"127.0.0.1:{port}",
                             "dashboard.wsgi:server"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert _chunked_post(port, 2 * security.MAX_BODY_BYTES) == 413
        assert _chunked_post(port, 1000) == 400  # under the limit: read, and refused as a malformed callback
        req = urllib.request.Request(f"http://127.0.0.1:{port}/_dash-update-component", method="POST",
                                     data=b"x" * (security.MAX_BODY_BYTES + 1),
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=30)
        assert e.value.code == 413
    finally:
        stop(proc)  # SIGTERM, then SIGKILL after 15 s: under a full suite's load 10 s was once too short


# ---------------------------------------------------------------- 3. security headers


def test_pages_send_csp_nosniff_and_deny_framing(client):
    r = client.get("/encounters")
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'" and r.headers["X-Frame-Options"] == "DENY"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "http" not in csp  # no other origin, no CDN
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # every inline script of the page is allowed by its hash, and only those
    html = r.get_data(as_text=True)
    import base64
    import hashlib
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    assert inline
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
    allowed = set(directives["script-src"].split()) - {"'self'"}
    assert hashes <= allowed, hashes - allowed


def test_the_404_page_is_a_real_404_with_the_headers(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_embeds_stay_frameable_by_any_site(client):
    r = client.get("/embed/encounters")
    assert r.status_code == 200
    assert "X-Frame-Options" not in r.headers
    assert "frame-ancestors" not in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- 4. absolute links from the public URL only


def test_host_header_never_reaches_csv_sidecar_and_embed(client):
    for url in ("/export/encounters.csv", "/export/encounters.json", "/embed/encounters",
                "/export/compare-mpp.csv?cities=02004,08037", "/export/compare-mpp.json?cities=02004,08037"):
        r = evil(client, url)
        assert r.status_code == 200 and EVIL not in r.get_data(as_text=True), url
    # the CSV's link to its view is in its sidecar (export/frames.py), from the configured URL
    side = evil(client, "/export/compare-mpp.json?cities=02004,08037").get_json()
    assert side["view"].startswith(PUBLIC + "/compare?cities=02004,08037"), side["view"]
    embed = evil(client, "/embed/encounters").get_data(as_text=True)
    assert f'href="{PUBLIC}/encounters' in embed and f'content="{PUBLIC}/embed/encounters' in embed


def test_host_header_never_reaches_the_png_footer(client, monkeypatch):
    seen = []

    class Recorder:
        def render(self, figure, fmt, size):
            seen.append(json.dumps(figure))
            return b"\x89PNG fake"

    monkeypatch.setattr(render, "shared", lambda: Recorder())
    r = evil(client, "/export/encounters.png?size=800x500")
    assert r.status_code == 200 and seen
    assert EVIL not in seen[0] and PUBLIC in seen[0]  # the footer's link, drawn into the image


def test_host_header_never_reaches_share_meta_embed_code_or_openapi(client):
    html = evil(client, "/encounters").get_data(as_text=True)
    assert EVIL not in html
    assert f'<meta name="borderstats-public-url" content="{PUBLIC}">' in html
    assert "window.location.origin" not in html  # the embed code and permalink start from the meta above
    spec = evil(client, "/api/v1/openapi.json").get_json()
    assert spec["servers"] == [{"url": PUBLIC}] and EVIL not in json.dumps(spec)


def test_without_a_public_url_links_use_the_documented_default(app, client, monkeypatch):
    from dashboard import publicurl

    monkeypatch.delenv("BORDERSTATS_PUBLIC_URL")
    r = evil(client, "/embed/encounters")
    text = r.get_data(as_text=True)
    assert EVIL not in text and publicurl.DEFAULT in text


# ---------------------------------------------------------------- 5. strict full-match values


def test_a_trailing_newline_is_not_a_month(client):
    r = client.get("/export/encounters.csv?from=2016-01%0a")
    assert r.status_code == 400 and b"month" in r.data.lower()
    embed = client.get("/embed/violence-homicides?from=2016-01%0a").get_data(as_text=True)
    assert "Setting ignored" in embed and "not a month" in embed  # an embed ignores it, with a notice
    api = client.get("/api/v1/tables/encounters.csv?from=2016-01%0a")
    assert api.status_code == 400


def test_dashboard_code_uses_fullmatch_only():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "dashboard"
    offenders = [f"{p.relative_to(root)}:{i}" for p in root.rglob("*.py")
                 for i, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"\.match\(", line)]
    assert offenders == []  # re.match with $ lets "2016-01\n" through: use fullmatch


# ---------------------------------------------------------------- 8. ETag and Cache-Control


@pytest.mark.parametrize("url", ["/export/encounters.csv", "/export/encounters.json", "/embed/encounters",
                                 "/download/encounters.csv", "/api/v1/tables/places.json?limit=3"])
def test_exports_embeds_and_downloads_have_strong_etags_and_answer_304(client, url):
    r = client.get(url)
    r.get_data()  # a streamed body: read it whole
    assert r.status_code == 200
    tag, weak = r.get_etag()
    assert tag and not weak and r.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(url, headers={"If-None-Match": f'"{tag}"'})
    assert again.status_code == 304 and again.data == b"" and again.get_etag()[0] == tag
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data()
    weak_match = client.get(url, headers={"If-None-Match": f'W/"{tag}"'})
    assert weak_match.status_code == 200 and weak_match.get_data()  # a strong comparison: a weak tag does not match


@pytest.mark.parametrize("url", ["/export/encounters.csv", "/embed/encounters", "/download/encounters.csv"])
def test_an_answer_from_another_release_than_nginx_keys_is_never_stored(client, url):
    """nginx keys its cache by the release /healthz named; a worker still on the release before must say no-store."""
    served = client.get("/healthz").headers["X-Release"]
    assert served
    same = client.get(url, headers={"X-Borderstats-Release": served})
    same.get_data()
    assert same.status_code == 200 and same.headers["Cache-Control"] == "public, max-age=300"
    other = client.get(url, headers={"X-Borderstats-Release": "a-newer-release"})
    other.get_data()
    assert other.status_code == 200 and other.headers["Cache-Control"] == "no-store"


def test_etags_differ_by_parameters_not_by_their_order(client):
    a = client.get("/export/encounters.csv?mode=lines").get_etag()[0]
    b = client.get("/export/encounters.csv?mode=stacked").get_etag()[0]
    c = client.get("/export/encounters.csv?scale=log&mode=lines").get_etag()[0]
    d = client.get("/export/encounters.csv?mode=lines&scale=log").get_etag()[0]
    assert len({a, b, c}) == 3 and c == d


def test_pinned_snapshots_are_immutable_with_an_etag(app, client):
    built = pin.fixed(registry.build("encounters", {}, strict=True))
    digest, _folder, _new = pin.pin(built, app.data_dir, formats=["csv"], size=options.parse_size(None, None),
                                    renderer=None)
    for url in (f"/pinned/{digest}/", f"/pinned/{digest}/encounters.csv"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == httpcache.IMMUTABLE
        assert client.get(url, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def test_fingerprinted_assets_are_immutable_others_short(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'/assets/style\.css\?m=[0-9.]+', html).group(0)
    assert client.get(css).headers["Cache-Control"] == httpcache.IMMUTABLE
    assert client.get("/assets/style.css").headers["Cache-Control"] == httpcache.SHORT
    assert client.get("/assets/style.css?m=12345").headers["Cache-Control"] == httpcache.SHORT  # not its mtime
    suite = re.search(r'src="(/_dash-component-suites/[^"]+\.v[0-9_]+m[0-9]+[^"]*\.js)"', html).group(1)
    assert client.get(suite).headers["Cache-Control"] == httpcache.IMMUTABLE
    chunk = client.get("/_dash-component-suites/dash/dcc/async-graph.js")
    assert chunk.status_code == 200 and chunk.headers["Cache-Control"] == httpcache.SHORT


# ---------------------------------------------------------------- 7. rate limits


def _limited_app(monkeypatch, data_dir, storage: str | None):
    from dashboard.app import create_app

    monkeypatch.setenv("BORDERSTATS_EXPORT_RATE", "3 per minute")
    monkeypatch.setenv("BORDERSTATS_PROXY_COUNT", "1")  # the test plays a proxy: each test is its own client
    if storage:
        monkeypatch.setenv("BORDERSTATS_CACHE_URL", storage)
    else:
        monkeypatch.delenv("BORDERSTATS_CACHE_URL", raising=False)
    monkeypatch.delenv("BORDERSTATS_RATELIMIT_URL", raising=False)
    return create_app(data_dir, bootstrap=False)


def _export(client, ip):
    return client.get("/export/encounters.csv", headers={"X-Forwarded-For": ip})


def test_exports_are_rate_limited_per_client_in_memory(app, monkeypatch):
    limited = _limited_app(monkeypatch, app.data_dir, None)
    c = limited.server.test_client()
    ip = "198.51.100.%d" % (uuid.uuid4().int % 250)
    assert [_export(c, ip).status_code for _ in range(3)] == [200, 200, 200]
    r = _export(c, ip)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _export(c, "203.0.113.9").status_code == 200  # another client is not limited
    assert c.get("/embed/encounters", headers={"X-Forwarded-For": ip}).status_code == 200  # only exports are
    # memory storage: each worker counts alone
    other_worker = _limited_app(monkeypatch, app.data_dir, None).server.test_client()
    assert _export(other_worker, ip).status_code == 200


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server answers on 127.0.0.1:6379")
def test_exports_rate_limit_is_shared_through_redis(app, monkeypatch):
    url = "redis://127.0.0.1:6379/0"
    a = _limited_app(monkeypatch, app.data_dir, url)
    b = _limited_app(monkeypatch, app.data_dir, url)
    assert "Redis" in type(a.limiter.storage).__name__
    ca, cb = a.server.test_client(), b.server.test_client()
    ip = f"2001:db8::{uuid.uuid4().hex[:4]}"  # a client no other run has counted
    assert [_export(ca, ip).status_code for _ in range(2)] == [200, 200]
    assert _export(cb, ip).status_code == 200  # the third request, on the other "worker"
    r = _export(ca, ip)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _export(cb, ip).status_code == 429


def test_an_unreachable_redis_falls_back_to_memory_and_exports_keep_serving(app, monkeypatch):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    limited = _limited_app(monkeypatch, app.data_dir, f"redis://127.0.0.1:{port}/0")
    c = limited.server.test_client()
    ip = "192.0.2.%d" % (uuid.uuid4().int % 250)
    assert [_export(c, ip).status_code for _ in range(4)] == [200, 200, 200, 429]


# ---------------------------------------------------------------- last: a new release changes every ETag


def test_a_new_release_changes_every_etag(app, client, tmp_path):
    from etl import pipeline

    urls = ["/export/encounters.csv", "/embed/encounters", "/download/encounters.csv"]
    before = {}
    for url in urls:
        r = client.get(url)
        r.get_data()
        before[url] = r.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": before[url]}).status_code == 304
    header = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
              "Title of Authority,Encounter Type,Encounter Count\n")
    f = tmp_path / "sw.csv"
    f.write_text(header + "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\n")
    assert pipeline.run(app.data_dir, source_ids=["cbp_encounters"], files=[f], accept_shrink=True).published  # a one-row file: a shrink
    from dashboard import data_access

    data_access.wait_for_switch()  # a worker answers from the previous release until the new one is warmed
    for url in urls:
        r = client.get(url, headers={"If-None-Match": before[url]})
        assert r.status_code == 200 and r.get_data(), url  # the old ETag no longer matches: the new release
        assert r.headers["ETag"] != before[url], url
