"""The views' answers (figures, text alternatives, tables) cached once per release, shared between workers.

Setting (environment) ``BORDERSTATS_CACHE_URL``:

- unset or empty: each worker keeps its answers in its own memory (Flask-Caching's ``SimpleCache``);
- ``redis://host:port/db`` (or ``rediss://``, ``unix://``): the answers are kept in Redis (Flask-Caching's
  ``RedisCache``), so every worker and every machine pointed at the same Redis computes an answer once.

``BORDERSTATS_CACHE_PREFIX`` (default ``borderstats:``) starts every key; ``BORDERSTATS_CACHE_TIMEOUT`` is how long
an answer is kept, in seconds (default 86400; keys also carry the release, so a new release never meets an old
answer, and Redis's own eviction may drop them earlier).

A key is ``<prefix>answer:<release token>:<function>:<digest of the language and the arguments>`` (answers hold
chart titles, notes and text alternatives: one per language, dashboard/i18n.py), the release token being the
release id and a digest of its manifest (`ReleaseData.token`): the same on every machine that serves that release.
Values are plain data: figures are stored as their JSON dicts and handed back as Figures (validation off).

With Redis, each worker also keeps up to `FRONT_ITEMS` answers in its own memory in front of it: a key's answer
never changes (the key names the release), so these copies are never stale and a repeated answer costs no round
trip. When Redis cannot be reached the answer is computed and served as without a cache; Redis is tried again after
`RETRY_AFTER` seconds (the error is logged once per outage).
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import time

import plotly.graph_objects as go
import redis  # imported here, with the app, not first in a warm-up thread (Flask-Limiter reads its version)
from flask_caching.backends.rediscache import RedisCache
from flask_caching.backends.simplecache import SimpleCache

from dashboard import data_access, i18n

URL_ENV = "BORDERSTATS_CACHE_URL"
PREFIX_ENV = "BORDERSTATS_CACHE_PREFIX"
TIMEOUT_ENV = "BORDERSTATS_CACHE_TIMEOUT"
DEFAULT_PREFIX = "borderstats:"
DEFAULT_TIMEOUT = 86400
LOCAL_ITEMS = 400  # answers one worker keeps in memory without Redis (a figure is 5-200 KB)
FRONT_ITEMS = 200  # with Redis, the answers a worker also keeps in memory (a key's answer never changes)
RETRY_AFTER = 30.0
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

log = logging.getLogger("borderstats.cache")

_lock = threading.Lock()
_state: dict = {"backend": None, "front": None, "config": None, "down_until": 0.0}
stats = {"hits": 0, "misses": 0, "errors": 0}  # this process's counts (tests, benchmarks)


def config() -> tuple[str, str, int]:
    """(url, prefix, timeout) from the environment."""
    url = (os.environ.get(URL_ENV) or "").strip()
    prefix = (os.environ.get(PREFIX_ENV) or "").strip() or DEFAULT_PREFIX
    raw = (os.environ.get(TIMEOUT_ENV) or "").strip()
    timeout = int(raw) if raw.isdigit() else DEFAULT_TIMEOUT
    return url, prefix, timeout


def open_backend(url: str, prefix: str, timeout: int):
    """A Flask-Caching backend for the setting: RedisCache for a Redis address, else SimpleCache."""
    if url.startswith(REDIS_SCHEMES):
        client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=1.0)
        return RedisCache(host=client, default_timeout=timeout)
    if url and url not in ("simple", "memory://"):
        raise ValueError(f"{URL_ENV}: “{url}” is not a redis:// address (leave it empty for a cache in memory)")
    return SimpleCache(threshold=LOCAL_ITEMS, default_timeout=timeout)


def backend():
    """The backend for the current setting (opened again when the environment changes: tests)."""
    wanted = config()
    if _state["config"] != wanted:
        with _lock:
            if _state["config"] != wanted:
                _state["backend"] = open_backend(*wanted)
                _state["front"] = SimpleCache(threshold=FRONT_ITEMS, default_timeout=wanted[2]) \
                    if wanted[0].startswith(REDIS_SCHEMES) else None
                _state["config"] = wanted
                _state["down_until"] = 0.0
    return _state["backend"]


def shared() -> bool:
    """True when answers are kept in Redis (shared by workers and machines)."""
    return config()[0].startswith(REDIS_SCHEMES)


def clear_local() -> None:
    """Forget the in-memory answers (tests that rebuild a release in place)."""
    b = backend()
    if not shared():
        b.clear()


def _key(token: str, name: str, args: tuple) -> str:
    digest = hashlib.sha256(repr(args).encode("utf-8")).hexdigest()[:24]
    return f"{config()[1]}answer:{token}:{name}:{digest}"


def _encode(value, depth: int = 2):
    """Figures as their JSON dicts, looked for in the answer's tuples, lists and dicts (two levels down)."""
    if isinstance(value, go.Figure):
        return ("figure", value.to_plotly_json())
    if depth and isinstance(value, (tuple, list)):
        return ("tuple" if isinstance(value, tuple) else "list", [_encode(v, depth - 1) for v in value])
    if depth and isinstance(value, dict) and any(isinstance(v, (go.Figure, list, tuple)) for v in value.values()):
        return ("dict", {k: _encode(v, depth - 1) for k, v in value.items()})
    return ("plain", value)


def _decode(value):
    kind, inner = value
    if kind == "figure":
        return go.Figure(inner, _validate=False)
    if kind in ("tuple", "list"):
        items = [_decode(v) for v in inner]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {k: _decode(v) for k, v in inner.items()}
    return inner


def _get(key: str):
    store = backend()  # a setting in error raises here, not as an outage
    front = _state["front"]
    if front is not None:  # a key names one release and arguments: its answer never changes, a copy is never stale
        found = front.get(key)
        if found is not None:
            return found
    if time.monotonic() < _state["down_until"]:
        return None
    try:
        found = store.get(key)
        if found is not None and front is not None:
            front.set(key, found)
        return found
    except Exception as exc:  # noqa: BLE001 (an unreachable cache must not fail an answer)
        _down(exc)
        return None


def _set(key: str, value) -> None:
    store = backend()
    if _state["front"] is not None:
        _state["front"].set(key, value)
    if time.monotonic() < _state["down_until"]:
        return
    try:
        store.set(key, value)
    except Exception as exc:  # noqa: BLE001
        _down(exc)


def get_raw(key: str):
    """A value stored under a full key (dashboard.answers: whole callback answers), or None."""
    return _get(key)


def set_raw(key: str, value) -> None:
    """Store a value under a full key; the key must name the release (see dashboard.answers)."""
    _set(key, value)


def _down(exc: Exception) -> None:
    stats["errors"] += 1
    if time.monotonic() >= _state["down_until"]:
        log.error("cache %s unreachable (%s): answering without it for %.0f s", config()[0], exc, RETRY_AFTER)
    _state["down_until"] = time.monotonic() + RETRY_AFTER


def answer(fn):
    """Decorator for fn(release_key, *args) -> answer: the answer is computed once per release and arguments, and
    kept in the configured cache. `release_key` is ReleaseData.key (what the views pass around); the cache key uses
    the release's token instead, so that workers and machines share it. Arguments must have a stable repr (strings,
    numbers, None, tuples of them). Do not mutate what it returns (it may be shared within the process)."""
    name = f"{fn.__module__.rpartition('.')[2]}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(release_key, *args):
        data = data_access.held(release_key) if release_key else None
        if data is None or data.key != release_key:  # no release, or a key of no release in memory: no caching
            return fn(release_key, *args)
        key = _key(data.token, name, (i18n.lang(), *args))  # answers hold words: one per language
        found = _get(key)
        if found is not None:
            stats["hits"] += 1
            return _decode(found)
        stats["misses"] += 1
        encoded = _encode(fn(release_key, *args))
        _set(key, encoded)
        return _decode(encoded)  # the same form as a hit's, so every worker's answer is the same to the byte

    wrapper.uncached = fn
    wrapper.cache_name = name
    return wrapper
