"""Rate limits per client on exports (images, PDFs, CSVs: the expensive answers), with Flask-Limiter.

Settings (environment):

- ``BORDERSTATS_EXPORT_RATE``: the limit, in Flask-Limiter's notation (default ``60 per minute; 600 per hour``);
  past it an export answers 429 with ``Retry-After``.
- ``BORDERSTATS_RATELIMIT_URL``: where the counts are kept; default the ``BORDERSTATS_CACHE_URL`` when that is a
  ``redis://`` (or ``rediss://``) address, so every worker and machine shares them, else ``memory://`` (each
  worker counts alone). When Redis cannot be reached the counts fall back to memory and exports keep serving.
- ``BORDERSTATS_PROXY_COUNT``: how many reverse proxies (nginx, a load balancer) set ``X-Forwarded-For`` in front
  of the app (default 0). Behind one, set it to 1, or every reader is counted as the proxy.
"""
from __future__ import annotations

import os

from flask import Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

RATE_ENV = "BORDERSTATS_EXPORT_RATE"
STORAGE_ENV = "BORDERSTATS_RATELIMIT_URL"
CACHE_ENV = "BORDERSTATS_CACHE_URL"
PROXY_ENV = "BORDERSTATS_PROXY_COUNT"
DEFAULT_RATE = "60 per minute; 600 per hour"
LIMITED = ("borderstats_export",)  # endpoints (export/routes.py)


def storage_uri() -> str:
    explicit = (os.environ.get(STORAGE_ENV) or "").strip()
    if explicit:
        return explicit
    cache = (os.environ.get(CACHE_ENV) or "").strip()
    return cache if cache.startswith(("redis://", "rediss://", "redis+unix://")) else "memory://"


def export_rate() -> str:
    return (os.environ.get(RATE_ENV) or "").strip() or DEFAULT_RATE


def _too_many(limit) -> Response:
    resp = Response(f"Too many requests: at most {limit.limit} per client for exports; try again later\n",
                    status=429, mimetype="text/plain")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def install(app) -> Limiter:
    server = app.server
    proxies = (os.environ.get(PROXY_ENV) or "0").strip()
    if proxies.isdigit() and int(proxies) > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=int(proxies))

    @server.after_request  # runs after Flask-Limiter's header hook (registered later, run earlier)
    def retry_after_only_when_limited(resp: Response) -> Response:
        own = g.get("retry_after")  # a 503 from the busy image renderer (export/pool.py) says when to come back
        if resp.status_code == 503 and own:
            resp.headers["Retry-After"] = str(own)
        elif resp.status_code != 429:
            resp.headers.pop("Retry-After", None)
        return resp

    limiter = Limiter(get_remote_address, app=server, storage_uri=storage_uri(), headers_enabled=True,
                      swallow_errors=True, in_memory_fallback_enabled=True, on_breach=_too_many,
                      key_prefix="borderstats")
    from dashboard.warmup import WARM_ENVIRON

    @limiter.request_filter
    def warm_up_requests() -> bool:
        """The app's own warm-up (dashboard/warmup.py) is not a client: its requests are not counted."""
        return request.environ.get(WARM_ENVIRON) is True

    rate = export_rate()
    for endpoint in LIMITED:
        view = server.view_functions.get(endpoint)
        if view is not None:
            server.view_functions[endpoint] = limiter.limit(rate)(view)
    return limiter
