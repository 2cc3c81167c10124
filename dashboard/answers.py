"""Whole callback answers, kept once per release: a reader's callback that another reader already asked for is
answered with the stored bytes, without running the callback or serialising its figures again.

Why this is safe: every server callback lives in a ``dashboard.views.*`` module, and those compute their outputs
from the callback body (inputs, state, which input changed) and the release being served, nothing else (no time,
no request headers, no per-user state; nothing changes data through the web app). So does Dash Pages' router,
which draws a page's layout (dashboard/pages/*) from the path and query in the body. So the answer to a body is the
same for everyone until the release changes, and the key names both: ``<prefix>callback:<release token>:<sha256
of the body>``. A callback defined anywhere else (one that reports something that changes while a release
serves, such as a refresh's progress) is never kept: :func:`keepable` looks at the module of the callback the
body names. While any condition registered with :func:`hold_while` is true (a refresh is drawing its progress
into the pages), nothing is read from or written to the store.

The answers live in the configured cache (:mod:`dashboard.cache`: in the worker's memory, or in Redis shared by
every worker and machine). Only 200 answers are kept; the body has been checked by :mod:`dashboard.callback_guard`
first (its hook is installed before this one), so a stored answer always belongs to a valid body. An answer
computed while a new release switched in is not kept (its release is not the one in its key).

``X-Answer: stored`` on a response says it came from the store (tests and benchmarks; not a promise to clients).
"""
from __future__ import annotations

import hashlib
import json

from flask import Response, g, request

from dashboard import cache, data_access

ENDPOINT_SUFFIX = "/_dash-update-component"
PURE_MODULE_PREFIX = "dashboard.views."
PAGES_ROUTER = ("dash.dash", "_pages_content.children")  # Dash Pages' router: (its module, in its output)
MAX_BODY = 64 * 1024  # larger bodies (none of ours) are answered without the store
stats = {"stored": 0, "kept": 0}  # this process's counts
_holds: list = []


def hold_while(condition) -> None:
    """Register condition() -> bool: while it is true, answers are neither read from nor written to the store."""
    if condition not in _holds:
        _holds.append(condition)


def held() -> bool:
    return any(c() for c in _holds)


def keepable(callback_map: dict, body: dict) -> bool:
    """Whether the callback this body names is one whose answer depends only on the body and the release."""
    output = body.get("output") if isinstance(body, dict) else None
    entry = callback_map.get(output) if isinstance(output, str) else None
    fn = entry.get("callback") if entry else None
    module = getattr(fn, "__module__", None) or ""
    return bool(fn is not None and (module.startswith(PURE_MODULE_PREFIX)
                                    or (module == PAGES_ROUTER[0] and PAGES_ROUTER[1] in output)))


def key(token: str, raw: bytes) -> str:
    return f"{cache.config()[1]}callback:{token}:{hashlib.sha256(raw).hexdigest()}"


def install(app) -> None:
    """Answer repeated callback bodies from the store; keep new 200 answers. Install after callback_guard."""
    server = app.server

    @server.before_request
    def answer_from_store():
        if request.method != "POST" or not request.path.endswith(ENDPOINT_SUFFIX):
            return None
        raw = request.get_data(cache=True)
        if not raw or len(raw) > MAX_BODY:
            return None
        data = data_access.current()
        if data is None:
            return None
        try:
            body = json.loads(raw)
        except ValueError:
            return None
        if not keepable(app.callback_map, body) or held():
            return None
        k = key(data.token, raw)
        found = cache.get_raw(k)
        if found is not None:
            stats["stored"] += 1
            resp = Response(found, mimetype="application/json")
            resp.headers["X-Answer"] = "stored"
            return resp
        g.borderstats_answer = (k, data.token)
        return None

    @server.after_request
    def keep_answer(resp: Response) -> Response:
        pending = g.pop("borderstats_answer", None)
        if pending is None or resp.status_code != 200 or resp.direct_passthrough or resp.is_streamed:
            return resp
        k, token = pending
        now = data_access.current()
        if now is None or now.token != token:  # the release switched while the callback ran
            return resp
        cache.set_raw(k, resp.get_data())
        stats["kept"] += 1
        return resp
