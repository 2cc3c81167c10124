"""`borderstats doctor`: for each source, what a refresh would fetch, without fetching it.

Per file of a source: the landing page is read and the file found on it (as a refresh would), then the file
is asked for with HEAD (a ranged GET of its first bytes when HEAD is refused, or when HEAD says it is a web page
so that its body can tell an error or challenge page from data). The answer is what would be fetched, its date
(Last-Modified) and size, or exactly what is wrong: the host name does not resolve (said at once: a failed
look-up is not retried), the server refuses the client (403, a CDN's challenge page), the page or file moved
(404, or a redirect to another address), no link on the page matches the registry's pattern, or an HTML page
stands where a data file should be.

With a mirror (`--mirror DIR`) nothing goes to the network: each source's folder DIR/<source id>/ must hold its
files, and none of them may be a web page saved in place of data.
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from . import fetch
from .errors import FetchError
from .readers import looks_like_html
from .registry import Registry, Source, SourceFile

PEEK = 8191  # last byte of the ranged GET: enough to see an HTML page or a CDN's challenge


@dataclass
class FileCheck:
    source: str
    key: str
    optional: bool = False
    ok: bool = False
    url: str | None = None  # the file a refresh would fetch
    page: str | None = None  # the landing page it was found on (after redirects)
    last_modified: str | None = None
    size: int | None = None  # bytes
    content_type: str | None = None
    method: str | None = None  # how the file was asked for: HEAD, or GET (ranged)
    problem: str | None = None  # exactly what is wrong, in words
    kind: str | None = None  # one word: dns, refused, moved, no_link, html, network, http, mirror
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SourceCheck:
    source: str
    files: list[FileCheck]
    curated: str | None = None  # a source read from a file of this repository

    @property
    def broken(self) -> bool:
        """A required file cannot be fetched (an optional one missing is only reported)."""
        return any(not f.ok and not f.optional for f in self.files)

    def to_dict(self) -> dict:
        return {"source": self.source, "ok": not self.broken, "curated": self.curated,
                "files": [f.to_dict() for f in self.files]}


# --------------------------------------------------------------------------- network


def _fail(check: FileCheck, exc: FetchError) -> FileCheck:
    check.ok, check.problem, check.kind = False, exc.message, exc.kind
    check.url = check.url or exc.url
    return check


def _ask(sess: requests.Session, url: str, settings: fetch.HttpSettings, check: FileCheck,
         method: str) -> requests.Response:
    """One HEAD or ranged GET, with the refresh's retries (none for a DNS failure or a refusal)."""
    headers = {"Range": f"bytes=0-{PEEK}"} if method == "GET" else {}
    return fetch._request(sess, url, settings, source=check.source, headers=headers, stream=method == "GET",
                          method=method)


def _size(resp: requests.Response) -> int | None:
    total = re.search(r"/(\d+)\s*$", resp.headers.get("Content-Range", ""))
    if total:
        return int(total.group(1))
    length = resp.headers.get("Content-Length", "")
    return int(length) if length.isdigit() and resp.status_code == 200 else None


def probe(sess: requests.Session, url: str, settings: fetch.HttpSettings, check: FileCheck, *,
          html: bool = False) -> FileCheck:
    """Fill `check` with what the server says about `url` (HEAD, else a ranged GET)."""
    check.url = url
    method = "HEAD"
    try:
        resp = _ask(sess, url, settings, check, "HEAD")
    except FetchError as exc:
        if exc.kind != "refused":
            raise
        resp = None  # some CDNs refuse HEAD alone: the ranged GET below decides
    head_status = resp.status_code if resp is not None else 403
    head_type = resp.headers.get("Content-Type", "") if resp is not None else ""
    if resp is not None:
        with resp:
            if head_status < 400:
                check.last_modified = resp.headers.get("Last-Modified")
                check.size = _size(resp)
                check.content_type = head_type or None
                if resp.history:
                    check.notes.append(f"{url} redirects to {resp.url} (HTTP {resp.history[0].status_code}): "
                                       "the publisher moved the file; update data/reference/sources.toml")
    # HEAD refused (405, 501, or a 403 from a CDN that may treat GET alike), or a web page where data should be:
    # the body decides
    if head_status >= 400 and head_status not in (404, 410) or (head_status < 400 and "html" in head_type.lower()):
        method = "GET"
        resp = _ask(sess, url, settings, check, "GET")
        with resp:
            body = resp.raw.read(PEEK + 1, decode_content=True) if resp.status_code < 400 else fetch._peek(resp)
            what = fetch.refusal(resp.status_code, resp.headers, body)
            if what:
                raise fetch.refused(what, source=check.source, url=url)
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} {resp.reason}", source=check.source, url=url,
                                 kind="moved" if resp.status_code in (404, 410) else "http")
            check.last_modified = resp.headers.get("Last-Modified") or check.last_modified
            check.size = _size(resp) or check.size
            check.content_type = resp.headers.get("Content-Type") or check.content_type
            if looks_like_html(body[:512]) and not html and not url.lower().endswith((".html", ".htm")):
                title = re.search(rb"<title[^>]*>\s*(.*?)\s*</title>", body, re.I | re.S)
                shown = f" titled {title.group(1).decode('utf-8', 'replace')[:80]!r}" if title else ""
                raise FetchError(f"the address serves an HTML page{shown} (Content-Type "
                                 f"{check.content_type or 'none'}) where a data file should be",
                                 source=check.source, url=url, kind="html")
    elif head_status in (404, 410):
        raise FetchError(f"HTTP {head_status}: the file is gone (moved or removed by the publisher); fix its "
                         "address in data/reference/sources.toml", source=check.source, url=url, kind="moved")
    check.method = method if method == "HEAD" else f"GET (bytes 0-{PEEK})"
    check.ok = True
    return check


def check_file(sess: requests.Session, src: Source, sf: SourceFile, settings: fetch.HttpSettings) -> FileCheck:
    check = FileCheck(src.id, sf.key, optional=sf.optional)
    url = sf.url
    try:
        if sf.discover_page:
            try:
                found = fetch.find_file(sess, sf.discover_pages, sf.discover_pattern, settings, source=src.id)
            except FetchError as exc:
                if not sf.url or exc.kind in ("dns", "refused"):
                    raise
                check.notes.append(f"discovery failed ({exc.message}); a refresh falls back to the fixed address")
            else:
                url, check.page = found.url, found.page
                check.notes.append(f"found on {found.page} ({found.candidates} matching link(s); the newest wins)")
                if found.redirected:
                    check.notes.append(f"the landing page {found.asked} moved: it now answers from {found.page}; "
                                       "update data/reference/sources.toml")
                if found.fallback:
                    check.notes.append(f"the registry's landing page {found.asked} failed ({'; '.join(found.notes)});"
                                       f" found on the fallback page {found.page}")
        return probe(sess, url, settings, check, html=sf.html)
    except FetchError as exc:
        return _fail(check, exc)


def check_source(src: Source, settings: fetch.HttpSettings, sess: requests.Session | None = None) -> SourceCheck:
    if src.local:
        path = src.local_path()
        files = [] if path and path.is_file() else [FileCheck(
            src.id, src.local, problem=f"the curated file {path} is missing", kind="mirror")]
        return SourceCheck(src.id, files, curated=str(path))
    sess = sess or fetch.session(settings)
    return SourceCheck(src.id, [check_file(sess, src, sf, settings) for sf in src.files])


# --------------------------------------------------------------------------- mirror


def check_mirror(src: Source, mirror: Path) -> SourceCheck:
    """The files DIR/<source id>/ holds for a refresh --mirror (a curated source may have none)."""
    folder = Path(mirror) / src.id
    if src.local and not folder.is_dir():
        return check_source(src, fetch.HttpSettings())
    from .pipeline import mirror_files

    try:
        paths = mirror_files(Path(mirror), src)
    except FetchError as exc:
        return SourceCheck(src.id, [FileCheck(src.id, "*", ok=False, problem=exc.message, kind="mirror",
                                              url=str(folder))])
    html_ok = all(sf.html for sf in src.files) if src.files else False
    out = []
    for p in paths:
        st = p.stat()
        check = FileCheck(src.id, p.name, ok=True, url=str(p), size=st.st_size,
                          last_modified=time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(st.st_mtime)),
                          method="file")
        with open(p, "rb") as fh:
            head = fh.read(PEEK + 1)
        if st.st_size == 0:
            check.ok, check.problem, check.kind = False, "the file is empty", "mirror"
        elif looks_like_html(head[:512]) and not html_ok:
            what = fetch.refusal(200, {}, head)
            check.ok, check.kind = False, "refused" if what else "html"
            check.problem = (f"the file is {what.split(' with ', 1)[-1]} saved in place of data" if what
                             else "the file is an HTML page, not data")
        out.append(check)
    return SourceCheck(src.id, out)


# --------------------------------------------------------------------------- all sources


def run(registry: Registry, source_ids: list[str] | None = None, *, mirror: Path | None = None,
        settings: fetch.HttpSettings | None = None) -> list[SourceCheck]:
    settings = settings or fetch.HttpSettings(timeout=15.0, attempts=2, backoff=1.0)
    sess = fetch.session(settings)
    return [check_mirror(src, mirror) if mirror is not None else check_source(src, settings, sess)
            for src in registry.select(source_ids)]


def _human_size(n: int | None) -> str:
    if n is None:
        return "size unknown"
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return ""  # pragma: no cover


def text(checks: list[SourceCheck]) -> list[str]:
    lines = []
    for sc in checks:
        state = "BROKEN" if sc.broken else ("ok" if all(f.ok for f in sc.files) else "ok (optional file missing)")
        lines.append(f"{sc.source}: {state}")
        if sc.curated and not sc.files:
            lines.append(f"  curated file in this repository: {sc.curated}")
        for f in sc.files:
            label = f"{f.key}{' (optional)' if f.optional else ''}"
            if f.ok:
                lines.append(f"  {label}: {f.url}")
                lines.append(f"    {f.last_modified or 'no Last-Modified'}, {_human_size(f.size)}"
                             + (f", {f.content_type}" if f.content_type else "") + (f" [{f.method}]" if f.method else ""))
            else:
                lines.append(f"  {label}: {f.kind.upper() if f.kind else 'FAILED'}: {f.problem}")
                if f.url:
                    lines.append(f"    at {f.url}")
            lines.extend(f"    note: {n}" for n in f.notes)
    broken = [sc.source for sc in checks if sc.broken]
    lines.append(f"{len(checks) - len(broken)} of {len(checks)} sources ok"
                 + (f"; broken: {', '.join(broken)}" if broken else ""))
    return lines
