"""HTTP: timeouts, retries with back-off, conditional requests, discovery of the newest file.

Nothing here parses data; it returns bytes on disk and what the server said about them.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlparse

import requests

from .errors import FetchError
from .readers import looks_like_html

log = logging.getLogger(__name__)

USER_AGENT = (
    "borderstats/0.1 (open-source border migration statistics ETL; "
    "+https://github.com/borderstats/borderstats) python-requests"
)
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class HttpSettings:
    timeout: float = 30.0  # seconds, connect and read
    attempts: int = 4
    backoff: float = 1.0  # seconds; doubled after each failed attempt
    max_retry_after: float = 120.0  # cap on a server's Retry-After
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


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
    s.headers["Accept"] = "text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,*/*;q=0.8"
    return s


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
    stream: bool = False,
) -> requests.Response:
    """GET with retries on connection errors, timeouts, 429 and 5xx; raise FetchError when all fail."""
    delay = settings.backoff
    last: str = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            resp = sess.get(url, headers=headers or {}, timeout=settings.timeout, stream=stream)
        except requests.Timeout:
            last = f"timed out after {settings.timeout:g} s"
        except requests.ConnectionError as exc:
            last = f"connection failed ({_short(exc)})"
        else:
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
    raise FetchError(f"{last} (gave up after {settings.attempts} attempts)", source=source, url=url)


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
            if resp.status_code in (401, 403):
                raise FetchError(
                    f"HTTP {resp.status_code} {resp.reason}: the publisher refused the request "
                    "(it may block automated clients); download the file by hand and use `borderstats ingest`",
                    source=source, url=url,
                )
            if resp.status_code == 404:
                raise FetchError("HTTP 404 Not Found: the publisher moved or removed the file; "
                                 "fix its address in data/reference/sources.toml", source=source, url=url)
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason}", source=source, url=url)
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
                raise FetchError(problem + f" (gave up after {settings.attempts} attempts)", source=source, url=url) from None
            if expected_n is not None and n != expected_n:
                tmp.unlink(missing_ok=True)
                raise FetchError(f"body is {n} bytes but Content-Length said {expected_n}: truncated download",
                                 source=source, url=url)
            if n == 0:
                tmp.unlink(missing_ok=True)
                raise FetchError("the server sent an empty body", source=source, url=url)
            ctype = resp.headers.get("Content-Type", "")
            with open(tmp, "rb") as fh:
                head = fh.read(512)
            if looks_like_html(head) and not html and not url.lower().endswith((".html", ".htm")):
                tmp.unlink(missing_ok=True)
                raise FetchError(
                    f"the server sent an HTML page (status {resp.status_code}, Content-Type {ctype or 'none'}) "
                    "instead of a data file: an error or login page, not data",
                    source=source, url=url,
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
    """The newest of several file addresses: by the /YYYY-MM/ folder, then the fiscal-year window in the name."""

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
        return (fy_month, max(fys) if fys else 0, int(fiscal_m.group(1)) if fiscal_m else 0, path)

    return max(urls, key=key)


def discover(sess: requests.Session, page: str, pattern: str, settings: HttpSettings, *, source: str | None = None) -> str:
    resp = _request(sess, page, settings, source=source)
    with resp:
        if resp.status_code >= 400:
            raise FetchError(f"landing page answered HTTP {resp.status_code} {resp.reason}", source=source, url=page)
        html = resp.text
    links = find_links(html, resp.url or page, pattern)
    if not links:
        raise FetchError(
            f"no link matching {pattern!r} on the landing page: the publisher changed the page or the file name; "
            "fix the pattern in data/reference/sources.toml",
            source=source, url=page,
        )
    return newest(links)


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
