"""HTTP: timeouts, retries with back-off, conditional requests, discovery of the newest file.

Nothing here parses data; it returns bytes on disk and what the server said about them.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlparse

import requests

from . import commands
from .errors import FetchError
from .readers import looks_like_html

log = logging.getLogger(__name__)

ENV_CONTACT_URL = "BORDERSTATS_CONTACT_URL"
DEFAULT_CONTACT_URL = "https://github.com/borderstats/borderstats"  # the project's repository (placeholder)
RETRY_STATUSES = {429, 500, 502, 503, 504}


def user_agent(contact_url: str | None = None) -> str:
    """A descriptive User-Agent in the form browsers and CDNs expect ("Mozilla/5.0 (compatible; ...)"), naming
    the project and a contact address: $BORDERSTATS_CONTACT_URL, else the project's repository. Some CDNs
    (CBP's) refuse a bare client name such as python-requests."""
    contact = (contact_url or os.environ.get(ENV_CONTACT_URL, "").strip() or DEFAULT_CONTACT_URL)
    return (f"Mozilla/5.0 (compatible; borderstats/0.1; +{contact}) "
            "open-source border migration statistics; downloads public statistics files")


USER_AGENT = user_agent(DEFAULT_CONTACT_URL)


@dataclass
class HttpSettings:
    timeout: float = 30.0  # seconds, connect and read
    attempts: int = 4
    backoff: float = 1.0  # seconds; doubled after each failed attempt
    max_retry_after: float = 120.0  # cap on a server's Retry-After
    user_agent: str = field(default_factory=user_agent)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    # host -> (when, error) of a name look-up that failed: the run's other files on that host fail at once
    # instead of waiting for the resolver again (an unreachable resolver takes seconds per look-up)
    dns_failures: dict = field(default_factory=dict, repr=False, compare=False)


DNS_MEMORY = 60.0  # seconds a failed look-up is remembered by one HttpSettings (a scheduler's next run asks again)


@dataclass
class Download:
    url: str
    status: int
    path: Path | None  # None when the server answered 304 Not Modified
    sha256: str | None = None
    bytes: int = 0
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def session(settings: HttpSettings) -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = settings.user_agent
    s.headers["Accept"] = ("text/html,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
                           "*/*;q=0.8")
    s.headers["Accept-Language"] = "en-US,en;q=0.8,es;q=0.6"
    return s


# --------------------------------------------------------------------------- refusals

_TITLE = re.compile(rb"<title[^>]*>\s*(.*?)\s*</title>", re.I | re.S)
_CHALLENGE_TITLES = {  # a CDN's page title (lower case) -> what it is, in words
    b"just a moment...": "a Cloudflare challenge page ('Just a moment...')",
    b"attention required! | cloudflare": "a Cloudflare block page ('Attention Required!')",
    b"access denied": "an 'Access Denied' page (Akamai)",
    b"request rejected": "a 'Request Rejected' page",
}


def refusal(status: int, headers, body_head: bytes) -> str | None:
    """What refused the request, in words, when the answer is a refusal rather than data or an outage: a 401/403,
    or a CDN's challenge or block page (served with 200, 403 or 503). None otherwise."""
    if str(headers.get("cf-mitigated", "")).lower() == "challenge":
        return "a Cloudflare challenge (cf-mitigated: challenge)"
    m = _TITLE.search(body_head[:8192])
    if m and looks_like_html(body_head):
        what = _CHALLENGE_TITLES.get(m.group(1).strip().lower())
        if what:
            return f"HTTP {status} with {what}"
    if status in (401, 403):
        return f"HTTP {status}"
    return None


def refused(what: str, *, source: str | None, url: str) -> FetchError:
    return FetchError(
        f"refused by the publisher's server ({what}): it blocks clients it takes for bots. The request sent "
        f"the User-Agent {user_agent()!r} (set ${ENV_CONTACT_URL} to your contact address); if the refusal "
        f"persists, download the file in a browser and load it with `{commands.cli('ingest', source or 'SOURCE_ID', 'FILE')}`",
        source=source, url=url, kind="refused",
    )


def _peek(resp: requests.Response, n: int = 8192) -> bytes:
    """The first bytes of an error answer's body (small: an error or challenge page), for telling a challenge
    page from an outage. Only for answers that are then discarded."""
    try:
        return resp.content[:n]
    except requests.RequestException:  # a body we cannot read is no evidence either way
        return b""


def _is_dns_failure(exc: Exception) -> bool:
    text = str(exc)
    return any(w in text for w in ("NameResolutionError", "Name or service not known", "nodename nor servname",
                                   "Temporary failure in name resolution", "getaddrinfo failed",
                                   "No address associated with hostname"))


def _retry_after(resp: requests.Response, settings: HttpSettings) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, min(seconds, settings.max_retry_after))


def _request(
    sess: requests.Session, url: str, settings: HttpSettings, *, source: str | None, headers: dict | None = None,
    stream: bool = False, method: str = "GET",
) -> requests.Response:
    """GET (or `method`) with retries on connection errors, timeouts, 429 and 5xx; raise FetchError when all fail,
    at once for a DNS failure or a refusal (401/403, a CDN's challenge page)."""
    delay = settings.backoff
    last: str = ""
    host = urlparse(url).hostname
    known = settings.dns_failures.get(host)
    if known is not None and time.monotonic() - known[0] < DNS_MEMORY:
        raise FetchError(known[1], source=source, url=url, kind="dns")
    for attempt in range(1, settings.attempts + 1):
        try:
            resp = sess.request(method, url, headers=headers or {}, timeout=settings.timeout, stream=stream,
                                allow_redirects=True)
        except requests.Timeout:
            last = f"timed out after {settings.timeout:g} s"
        except requests.ConnectionError as exc:
            if _is_dns_failure(exc):  # no network, or a wrong host: retrying will not help
                message = (f"could not resolve the host name {host!r} (DNS): no network, or the address is wrong; "
                           + commands.no_network_hint())
                settings.dns_failures[host] = (time.monotonic(), message)
                raise FetchError(message, source=source, url=url, kind="dns") from None
            last = f"connection failed ({_short(exc)})"
        else:
            if resp.status_code in (401, 403) or resp.status_code in RETRY_STATUSES:
                what = refusal(resp.status_code, resp.headers, _peek(resp))
                if what:
                    resp.close()
                    raise refused(what, source=source, url=url)
            if resp.status_code not in RETRY_STATUSES:
                return resp
            last = f"HTTP {resp.status_code} {resp.reason}"
            wait = _retry_after(resp, settings)
            resp.close()
            if wait is not None and attempt < settings.attempts:
                log.info("%s: %s, retrying in %.1f s (Retry-After)", source or url, last, wait)
                settings.sleep(wait)
                continue
        if attempt < settings.attempts:
            log.info("%s: %s, retry %d/%d in %.1f s", source or url, last, attempt, settings.attempts - 1, delay)
            settings.sleep(delay)
            delay *= 2
    raise FetchError(f"{last} (gave up after {settings.attempts} attempts)", source=source, url=url,
                     kind="http" if last.startswith("HTTP") else "network")


def _short(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"(Connection refused|Connection reset by peer|Name or service not known|"
                  r"Remote end closed connection[^'\")]*|timed out|IncompleteRead[^'\")]*)", text)
    return m.group(1) if m else text[:160]


def download(
    sess: requests.Session,
    url: str,
    dest: Path,
    settings: HttpSettings,
    *,
    source: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    html: bool = False,
) -> Download:
    """Download `url` to `dest` (written only when complete). Conditional when validators are given.
    `html`: the file is a web page (a source whose statistics are published as HTML tables), so an HTML
    body is the expected content, not an error page; its adapter tells the statistics page from an error page."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    delay = settings.backoff
    for attempt in range(1, settings.attempts + 1):
        resp = _request(sess, url, settings, source=source, headers=headers, stream=True)
        with resp:
            if resp.status_code == 304:
                return Download(url, 304, None, etag=etag, last_modified=last_modified)
            if resp.status_code in (404, 410):
                raise FetchError(f"HTTP {resp.status_code} {resp.reason}: the publisher moved or removed the file; "
                                 "fix its address in data/reference/sources.toml", source=source, url=url,
                                 kind="moved")
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason}", source=source, url=url, kind="http")
            expected = resp.headers.get("Content-Length")
            expected_n = int(expected) if expected and expected.isdigit() else None
            tmp = dest.with_name(f".{dest.name}.part")
            tmp.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            n = 0
            try:
                with open(tmp, "wb") as fh:
                    for chunk in resp.iter_content(chunk_size=1 << 16):
                        fh.write(chunk)
                        digest.update(chunk)
                        n += len(chunk)
                        if progress:
                            progress(n, expected_n)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout) as exc:
                tmp.unlink(missing_ok=True)
                problem = f"download interrupted after {n} bytes" + (f" of {expected_n}" if expected_n else "")
                problem += f" ({_short(exc)})"
                if attempt < settings.attempts:
                    log.info("%s: %s, retry %d/%d in %.1f s", source or url, problem, attempt, settings.attempts - 1, delay)
                    settings.sleep(delay)
                    delay *= 2
                    continue
                raise FetchError(problem + f" (gave up after {settings.attempts} attempts)", source=source, url=url,
                                 kind="network") from None
            if expected_n is not None and n != expected_n:
                tmp.unlink(missing_ok=True)
                raise FetchError(f"body is {n} bytes but Content-Length said {expected_n}: truncated download",
                                 source=source, url=url, kind="network")
            if n == 0:
                tmp.unlink(missing_ok=True)
                raise FetchError("the server sent an empty body", source=source, url=url)
            ctype = resp.headers.get("Content-Type", "")
            with open(tmp, "rb") as fh:
                head = fh.read(8192)
            what = refusal(resp.status_code, resp.headers, head)
            if what:  # a CDN's challenge served with status 200
                tmp.unlink(missing_ok=True)
                raise refused(what, source=source, url=url)
            if looks_like_html(head[:512]) and not html and not url.lower().endswith((".html", ".htm")):
                tmp.unlink(missing_ok=True)
                raise FetchError(
                    f"the server sent an HTML page (status {resp.status_code}, Content-Type {ctype or 'none'}) "
                    "instead of a data file: an error or login page, not data",
                    source=source, url=url, kind="html",
                )
            tmp.replace(dest)
            return Download(
                url=resp.url or url, status=resp.status_code, path=dest, sha256=digest.hexdigest(), bytes=n,
                content_type=ctype, etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"),
            )
    raise FetchError("download failed", source=source, url=url)  # pragma: no cover


# --------------------------------------------------------------------------- discovery


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for k, v in attrs:
                if k == "href" and v:
                    self.links.append(v)


def find_links(html: str, base_url: str, pattern: str) -> list[str]:
    """Absolute URLs of the links on the page whose (unquoted) address matches `pattern`."""
    parser = _Links()
    parser.feed(html)
    rx = re.compile(pattern, re.I)
    out = []
    for href in parser.links:
        absolute = urljoin(base_url, href)
        if rx.search(absolute) or rx.search(unquote(absolute)):
            if absolute not in out:
                out.append(absolute)
    return out


def newest(urls: list[str]) -> str:
    """The newest of several file addresses: by the /YYYY-MM/ folder (Drupal's /sites/default/files/ or
    /system/files/), then the fiscal-year window in the name, then Drupal's re-upload suffix (`name_0.xlsx`,
    `name_1.xlsx`, ... are later uploads of `name.xlsx`)."""

    def key(url: str):
        path = unquote(urlparse(url).path)
        folder = re.search(r"/(\d{4})-(\d{2}|[A-Za-z]{3})/", path)
        months = {m: i for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
        fy_month = 0
        if folder:
            mm = folder.group(2)
            fy_month = int(folder.group(1)) * 100 + (int(mm) if mm.isdigit() else months.get(mm.lower(), 0))
        fys = [int(x) for x in re.findall(r"fy(\d\d)", path, re.I)]
        fiscal_m = re.search(r"fy\d\dm(\d\d)", path, re.I)
        upload = re.search(r"_(\d{1,3})\.[A-Za-z0-9]+$", path)
        return (fy_month, max(fys) if fys else 0, int(fiscal_m.group(1)) if fiscal_m else 0,
                int(upload.group(1)) if upload else -1, path)

    return max(urls, key=key)


@dataclass
class Found:
    """Where discovery found a file: the address, the landing page that listed it (after redirects) and how."""
    url: str
    page: str  # the page that was read (its final address after redirects)
    asked: str  # the page the registry names (first of its list)
    redirected: bool = False  # the page answered with a redirect to another address
    fallback: bool = False  # the registry's first page failed; a fallback page listed the file
    candidates: int = 1  # links on the page matching the pattern
    notes: tuple[str, ...] = ()


def find_file(sess: requests.Session, pages: str | list[str] | tuple[str, ...], pattern: str,
              settings: HttpSettings, *, source: str | None = None) -> Found:
    """The newest file matching `pattern` on the first landing page that answers (later pages are fallbacks for a
    page the publisher moved). A refusal or a DNS failure stops at once: another page of the same host would
    answer the same."""
    pages = [pages] if isinstance(pages, str) else list(pages)
    notes: list[str] = []
    last: FetchError | None = None
    for i, page in enumerate(pages):
        try:
            resp = _request(sess, page, settings, source=source)
        except FetchError as exc:
            if exc.kind in ("refused", "dns") or i == len(pages) - 1:
                raise
            notes.append(f"{page}: {exc.message}")
            last = exc
            continue
        with resp:
            final = resp.url or page
            if resp.status_code >= 400:
                kind = "moved" if resp.status_code in (404, 410) else "http"
                last = FetchError(f"landing page answered HTTP {resp.status_code} {resp.reason}"
                                  + ("; the publisher moved or removed the page" if kind == "moved" else ""),
                                  source=source, url=page, kind=kind)
                notes.append(f"{page}: HTTP {resp.status_code}")
                continue
            body = resp.content
            what = refusal(resp.status_code, resp.headers, body[:8192])
            if what:
                raise refused(what, source=source, url=page)
            html = resp.text
        links = find_links(html, final, pattern)
        if not links:
            last = FetchError(
                f"no link matching {pattern!r} on the landing page: the publisher changed the page or the file "
                "name; fix the pattern in data/reference/sources.toml",
                source=source, url=final, kind="no_link",
            )
            notes.append(f"{final}: no link matching the pattern")
            continue
        return Found(newest(links), final, pages[0], redirected=bool(resp.history) or final != page,
                     fallback=i > 0, candidates=len(links), notes=tuple(notes))
    assert last is not None
    raise last


def discover(sess: requests.Session, page: str | list[str] | tuple[str, ...], pattern: str, settings: HttpSettings,
             *, source: str | None = None) -> str:
    return find_file(sess, page, pattern, settings, source=source).url


DATA_SUFFIXES = (".csv", ".xlsx", ".xls", ".gz", ".bz2", ".zip", ".txt", ".tsv", ".json")


def filename_for(url: str, key: str, *, html: bool = False) -> str:
    """The local name of a downloaded file: its name in the URL, else `<key>.csv` (`<key>.html` for a web page,
    whose address rarely ends in a file name: .../migrant-protection-protocols-fy-2020)."""
    if html:
        return f"{key}.html"
    name = unquote(Path(urlparse(url).path).name)
    name = re.sub(r"[^\w.\-() ]+", "_", name).strip(". ")
    if not name.lower().endswith(DATA_SUFFIXES):
        name = f"{key}.csv"
    return name
