"""Response headers and request limits every answer of the web app gets (see docs/security.md).

- A request body larger than ``MAX_BODY_BYTES`` answers 413: by its Content-Length (Flask's MAX_CONTENT_LENGTH),
  and a chunked body without one is read up to the limit and refused past it (werkzeug alone would cut it at the
  limit silently, see ``ChunkedBodyLimit``). The largest real body, a Dash callback, was 2,455 bytes
  over every page in tests/browser/test_csp.py (which measures them); nothing else accepts a body.
- Every answer: ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``.
- Pages (HTML outside /embed and /pinned): a Content-Security-Policy that allows scripts from this server and
  Dash's inline scripts by their hashes only (Dash's ``csp_hashes()``: the clientside callbacks and the renderer
  line), nothing from elsewhere, and ``frame-ancestors 'none'`` with ``X-Frame-Options: DENY``.
- Embeds (/embed/..., /pinned/...) keep their own policy (export/routes.py) and stay frameable by any site.
"""
from __future__ import annotations

import io
import os

from flask import Response, request

MAX_BODY_ENV = "BORDERSTATS_MAX_BODY_BYTES"
MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: some 400 times the largest callback body the pages send
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
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ChunkedBodyLimit:
    """WSGI middleware: a chunked request body (no Content-Length) is read up to `limit` bytes; one byte more
    answers 413. The body read is handed on with its Content-Length, so the app sees an ordinary request."""

    def __init__(self, wsgi_app, limit: int) -> None:
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ, start_response):
        if environ.get("CONTENT_LENGTH") or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.wsgi_app(environ, start_response)
        stream, parts, size = environ["wsgi.input"], [], 0
        while size <= self.limit:
            part = stream.read(min(65536, self.limit + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
        if size > self.limit:
            resp = Response(f"Request body too large: at most {self.limit:,} bytes\n", status=413,
                            mimetype="text/plain", headers={"Connection": "close"})
            return resp(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(b"".join(parts))
        environ["CONTENT_LENGTH"] = str(size)
        environ["wsgi.input_terminated"] = False
        return self.wsgi_app(environ, start_response)


def install(app) -> None:
    """Limits and headers on the Dash app's Flask server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body_bytes()
    server.wsgi_app = ChunkedBodyLimit(server.wsgi_app, server.config["MAX_CONTENT_LENGTH"])
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
