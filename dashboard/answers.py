"""Whole answers kept once per release: a callback body or a page address that a reader already asked for is
answered with the stored bytes, without running the callback, serialising its figures or writing the page again.

Why this is safe:

- every server callback lives in a ``dashboard.views.*`` module, and those compute their outputs from the callback
  body (inputs, state, which input changed) and the release being served, nothing else (no time, no request
  headers, no per-user state; nothing changes data through the web app). So does Dash Pages' router, which draws
  a page's layout (dashboard/pages/*) from the path and query in the body. A callback defined anywhere else (one
  that reports something that changes while a release serves, such as a refresh's progress) is never kept:
  :func:`keepable` looks at the module of the callback the body names;
- a page's HTML (Dash's index, with its share-preview tags) depends on its path and query and the configured
  public URL only.

So the key names the release and the request: ``<prefix>callback:<release token>:<sha256 of the body>`` and
``<prefix>page:<release token>:<sha256 of path and query>``. Only 200 answers are kept, and only answers the
checks let through: a stored body's exact bytes passed :mod:`dashboard.callback_guard` when it was first
answered, so a repeat is answered before the guard (its hook is installed after this one) without parsing it
again. An answer computed while a new release switched in is not kept (its release is not the one in its key).
While any condition registered with :func:`hold_while` is true, nothing is read from or written to the store.

The answers live in the configured cache (:mod:`dashboard.cache`: in the worker's memory, or in Redis shared by
every worker and machine). ``X-Answer: stored`` on a response says it came from the store (tests and benchmarks;
not a promise to clients).
"""
from __future__ import annotations

import hashlib
import json

from flask import Response, g, request

from dashboard import cache, data_access, i18n

ENDPOINT_SUFFIX = "/_dash-update-component"
PURE_MODULE_PREFIX = "dashboard.views."
PAGES_ROUTER = ("dash.dash", "_pages_content.children")  # Dash Pages' router: (its module, in its output)
PAGE_RULES = ("/", "/<path:path>")  # Dash's index routes
MAX_BODY = 64 * 1024  # larger bodies (none of ours) are answered without the store
MAX_QUERY = 2048
stats = {"stored": 0, "kept": 0}  # this process's counts
_holds: list = []


def hold_while(condition) -> None:
    """Register condition() -> bool: while it is true, answers are neither read from nor written to the store."""
    if condition not in _holds:
        _holds.append(condition)


def held() -> bool:
    return any(c() for c in _holds)


def keepable(callback_map: dict, body) -> bool:
    """Whether the callback this body names is one whose answer depends only on the body and the release."""
    output = body.get("output") if isinstance(body, dict) else None
    entry = callback_map.get(output) if isinstance(output, str) else None
    fn = entry.get("callback") if entry else None
    module = getattr(fn, "__module__", None) or ""
    return bool(fn is not None and (module.startswith(PURE_MODULE_PREFIX)
                                    or (module == PAGES_ROUTER[0] and PAGES_ROUTER[1] in output)))


def key(kind: str, token: str, raw: bytes) -> str:
    return f"{cache.config()[1]}{kind}:{token}:{hashlib.sha256(raw).hexdigest()}"


def _request_key(app, data) -> tuple[str, str, bytes | None] | None:
    """(kind, key, callback body) for a request whose answer may be stored, else None."""
    if request.method == "POST" and request.path.endswith(ENDPOINT_SUFFIX):
        raw = request.get_data(cache=True)
        if not raw or len(raw) > MAX_BODY:
            return None
        return "callback", key("callback", data.token, raw), raw
    if request.method == "GET" and request.url_rule is not None and request.url_rule.rule in PAGE_RULES:
        query = request.query_string
        if len(query) > MAX_QUERY:
            return None
        # the language too: a page without ?lang= is in the browser's language (i18n.py)
        where = f"{i18n.lang()}:{request.path}?".encode("utf-8") + query
        return "page", key("page", data.token, where), None
    return None


def install(app) -> None:
    """Answer repeated requests from the store; keep new 200 answers. Install before callback_guard."""
    server = app.server

    @server.before_request
    def answer_from_store():
        if request.method not in ("GET", "POST") or held():
            return None
        data = data_access.current()
        if data is None:
            return None
        found_key = _request_key(app, data)
        if found_key is None:
            return None
        kind, k, raw = found_key
        found = cache.get_raw(k)
        if found is not None:
            stats["stored"] += 1
            resp = Response(found, mimetype="application/json" if kind == "callback" else "text/html")
            resp.headers["X-Answer"] = "stored"
            return resp
        if kind == "callback":
            try:
                body = json.loads(raw)
            except ValueError:
                return None  # the guard answers it
            if not keepable(app.callback_map, body):
                return None
        g.borderstats_answer = (k, data.token)
        return None

    @server.after_request
    def keep_answer(resp: Response) -> Response:
        pending = g.pop("borderstats_answer", None)
        if pending is None or resp.status_code != 200 or resp.direct_passthrough or resp.is_streamed:
            return resp
        k, token = pending
        now = data_access.current()
        if now is None or now.token != token or held():  # the release switched while it was answered
            return resp
        cache.set_raw(k, resp.get_data())
        stats["kept"] += 1
        return resp
