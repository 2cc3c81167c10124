"""The dashboard's public address, for every absolute link that leaves it (CSV sidecars, images' footers,
what `borderstats export` writes).

Set BORDERSTATS_PUBLIC_URL to the address readers use (e.g. https://borderstats.example.org); the
default, http://127.0.0.1:8050, is `python app.py`'s own. A link never takes its host from a
request's Host header (which a client chooses) and is never left relative.
"""
from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

ENV = "BORDERSTATS_PUBLIC_URL"
DEFAULT = "http://127.0.0.1:8050"

log = logging.getLogger(__name__)


def base_url() -> str:
    """BORDERSTATS_PUBLIC_URL without a trailing slash (an http(s) address), else the default."""
    raw = (os.environ.get(ENV) or "").strip()
    if not raw:
        return DEFAULT
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        log.warning("%s=%r is not an http(s) address without query or fragment; using %s", ENV, raw[:80], DEFAULT)
        return DEFAULT
    return raw.rstrip("/")


def absolute(path: str, base: str | None = None) -> str:
    """The public address of a path on the dashboard ('/compare?cities=…' -> 'https://…/compare?cities=…')."""
    return (base or base_url()).rstrip("/") + "/" + path.lstrip("/")
