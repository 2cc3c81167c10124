"""Response headers and request limits every answer of the web app gets (see docs/security.md).

- A request body larger than ``MAX_BODY_BYTES`` answers 413 (werkzeug stops reading at the limit, also for a
  chunked body without Content-Length). The largest real body, a Dash callback of the Encounters page with
  every filter set, is a few kilobytes (tests/browser/test_csp.py measures them); nothing else accepts a body.
- Every answer: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``.
- Pages (HTML outside /embed and /pinned): a Content-Security-Policy that allows scripts from this server and
  Dash's inline scripts by their hashes only (Dash's ``csp_hashes()``: the clientside callbacks and the renderer
  line), nothing from elsewhere, and ``frame-ancestors 'none'`` with ``X-Frame-Options: DENY``.
- Embeds (/embed/..., /pinned/...) keep their own policy (export/routes.py) and stay frameable by any site.
"""
from __future__ import annotations

import os

from flask import Response, request

MAX_BODY_ENV = "BORDERSTATS_MAX_BODY_BYTES"
MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: a few hundred times the largest callback body the pages send
REFERRER_POLICY = "strict-origin-when-cross-origin"
FRAMEABLE = ("/embed/", "/pinned/", "/embed-static/")  # what other sites may put in an iframe


def max_body_bytes() -> int:
    raw = (os.environ.get(MAX_BODY_ENV) or "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else MAX_BODY_BYTES


def page_policy(script_hashes: list[str]) -> str:
    """The pages' Content-Security-Policy: this server's scripts and Dash's inline scripts (by hash); styles
    inline too (Plotly and React write style elements and attributes); images as data: and blob: URLs
    (Plotly's); no plugins, no framing, forms and <base> only to this server."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def install(app) -> None:
    """Limits and headers on the Dash app's Flask server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body_bytes()
    cached: dict[int, str] = {}

    def policy() -> str:
        # the inline scripts are known once Dash has set up its callbacks (the first request): hashed once
        hashes = app.csp_hashes()
        n = len(hashes)
        if n not in cached:
            cached.clear()
            cached[n] = page_policy(hashes)
        return cached[n]

    @server.errorhandler(413)
    def too_large(_e):
        resp = Response(f"Request body too large: at most {server.config['MAX_CONTENT_LENGTH']:,} bytes\n",
                        status=413, mimetype="text/plain")
        resp.headers["Connection"] = "close"  # the rest of the body is not read
        return resp

    @server.after_request
    def headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        if request.path.startswith(FRAMEABLE):
            return resp
        resp.headers.setdefault("X-Frame-Options", "DENY")
        if resp.mimetype == "text/html" and "Content-Security-Policy" not in resp.headers:
            resp.headers["Content-Security-Policy"] = policy()
        return resp
