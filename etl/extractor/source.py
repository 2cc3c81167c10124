"""Reading an article to extract from: a file or a URL, plain text or HTML, with clear errors."""
from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlparse

from .. import fetch
from ..errors import EtlError, FetchError, SourceError
from ..readers import decode
from .text import html_to_text, looks_like_html

MAX_BYTES = 5_000_000  # an article is far smaller; a bigger input is refused, not parsed


def read_article(path_or_url: str, *, max_bytes: int = MAX_BYTES, http: fetch.HttpSettings | None = None) -> tuple[str, str | None]:
    """(plain text, URL if fetched). Raises EtlError with a message fit for the terminal."""
    url = path_or_url if urlparse(path_or_url).scheme in ("http", "https") else None
    if url:
        settings = http or fetch.HttpSettings(attempts=2, timeout=20)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                dl = _download_page(url, Path(tmp) / "article", settings)
            except FetchError as exc:
                raise EtlError(f"could not fetch the article: {exc}") from None
            data = dl.read_bytes()
    else:
        path = Path(path_or_url)
        if not path.is_file():
            raise EtlError(f"no such file: {path}")
        size = path.stat().st_size
        if size > max_bytes:
            raise EtlError(f"{path.name} is {size / 1e6:.1f} MB; an article is expected to be under "
                           f"{max_bytes / 1e6:.0f} MB (use --max-bytes to raise the limit)")
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise EtlError(f"the page is {len(data) / 1e6:.1f} MB; an article is expected to be under "
                       f"{max_bytes / 1e6:.0f} MB (use --max-bytes to raise the limit)")
    if not data.strip():
        raise EtlError("the article is empty")
    if data[:5] == b"%PDF-" or data[:2] in (b"\x1f\x8b", b"PK"):
        raise EtlError("the input is a binary file (PDF, archive or document), not text or HTML: "
                       "save the article as text or HTML first")
    try:
        text, _ = decode(data)
    except SourceError as exc:
        raise EtlError(f"the input is not text: {exc.message}") from None
    if looks_like_html(text):
        text = html_to_text(text)
    if not text.strip():
        raise EtlError("the article has no text (an empty page, or a page made only of scripts)")
    return text, url


def _download_page(url: str, dest: Path, settings: fetch.HttpSettings) -> Path:
    """A web page, which unlike a data file may be HTML."""
    sess = fetch.session(settings)
    resp = fetch._request(sess, url, settings, source="extract")
    with resp:
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code} {resp.reason}", url=url)
        dest.write_bytes(resp.content)
    return dest
