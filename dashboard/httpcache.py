"""HTTP caching headers: strong ETags keyed to the release and the request, and Cache-Control by kind of URL.

- Exports, embeds and data downloads: ``ETag`` = a hash of the current release, the route and the request's
  parameters in a canonical order (and the public base URL, which images and sidecars print), so a new
  release changes every ETag; ``If-None-Match`` with it answers 304 before anything is rendered or read.
  ``Cache-Control: public, max-age=300``: a cache may keep them five minutes, then asks again.
- Pinned snapshots (content-addressed) and fingerprinted assets (``/assets/x.css?m=<the file's mtime>``, which
  Dash writes into every page, and Dash's ``/_dash-component-suites/…v4_4_1m<mtime>.js``, whose fingerprint Dash
  checks): ``public, max-age=31536000, immutable``. An asset asked for with a fingerprint
  that is not the file's own, or without one, gets the short cache.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from flask import Response, request
from werkzeug.security import safe_join

from dashboard import data_access

RELEASE_HEADER = "X-Borderstats-Release"  # set by the documented nginx configuration
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


def etag(*parts) -> str:
    """A strong ETag (without quotes) of what identifies a response."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def request_args() -> list[tuple[str, str]]:
    """The request's query parameters in a canonical order (every value of a repeated one)."""
    return sorted(request.args.items(multi=True))


def not_modified(tag: str, cache_control: str = SHORT) -> Response | None:
    """A 304 when the request's If-None-Match names `tag` (a strong comparison), else None."""
    if request.if_none_match and request.if_none_match.contains(tag):
        resp = Response(status=304)
        resp.set_etag(tag)
        resp.headers["Cache-Control"] = cache_control
        return resp
    return None


def tag(resp: Response, value: str, cache_control: str = SHORT) -> Response:
    resp.set_etag(value)
    resp.headers["Cache-Control"] = cache_control
    return resp


def fingerprinted(assets_folder: str, path: str, fingerprint: str | None) -> bool:
    """True when `fingerprint` is the modification time Dash writes for this asset (`?m=`)."""
    if not fingerprint:
        return False
    full = safe_join(assets_folder, path)
    if full is None:
        return False
    try:
        return fingerprint == str(os.stat(full).st_mtime)
    except OSError:
        return False


def install(app) -> None:
    """Cache-Control for /assets: a year, immutable, for the fingerprinted URLs Dash writes; short otherwise."""
    server = app.server
    folder = str(Path(app.config.assets_folder))
    prefix = "/assets/"

    @server.after_request
    def not_for_another_release(resp: Response) -> Response:
        """nginx keys its cache by the release /healthz named (docs/dashboard.md, production) and passes it in
        `RELEASE_HEADER`; a worker still answering from the release before (it warms the new one first) must not
        have its answer kept under the new release's key: no-store when the two differ."""
        expected = request.headers.get(RELEASE_HEADER)
        if expected is not None:
            served = resp.headers.get("X-Release")
            if served is None:
                data = data_access.current()
                served = data.id if data is not None else ""
            if served != expected:
                resp.headers["Cache-Control"] = "no-store"
        return resp

    @server.after_request
    def asset_cache(resp: Response) -> Response:
        if request.path.startswith(prefix) and resp.status_code in (200, 304):
            if fingerprinted(folder, request.path[len(prefix):], request.args.get("m")):
                resp.headers["Cache-Control"] = IMMUTABLE
            else:
                resp.headers["Cache-Control"] = SHORT
        elif request.path.startswith("/_dash-component-suites/") and resp.status_code in (200, 304):
            # Dash gives a year to the URLs whose fingerprint it checked (…v4_4_1m1795951596.min.js), nothing to
            # the others (the lazily loaded chunks)
            fingerprint_checked = resp.cache_control.max_age == 31536000
            resp.headers["Cache-Control"] = IMMUTABLE if fingerprint_checked else SHORT
        return resp
