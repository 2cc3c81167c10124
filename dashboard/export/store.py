"""Where finished exports are kept, keyed by (release, chart, normalised query, snapped size, format, base URL).

A small interface, ``get(key) -> bytes | None`` and ``put(key, bytes)``, with string keys. By default each worker
keeps them in its own memory (:class:`MemoryStore`, bounded in bytes); when the shared cache is configured
(``BORDERSTATS_CACHE_URL=redis://…``, see dashboard/cache.py) they are kept there (:class:`CacheStore`), so an
image drawn by one worker or machine is never drawn again by another. ``use(store)`` swaps in another (tests).
Every key names the release: a new release never answers with an old image.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Protocol

CACHE_BYTES = 64 * 1024 * 1024  # per worker: images of the current release, the most recently used kept


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...


def key(release: str | None, *parts) -> str:
    """'export:<release>:<hash of the rest>': readable by release, bounded in length."""
    digest = hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()[:40]
    return f"export:{release or '-'}:{digest}"


class MemoryStore:
    """A bounded LRU of bytes (thread-safe); one value larger than a quarter of the limit is not kept."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit, self.size, self.items, self.lock = limit, 0, OrderedDict(), threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: str, value: bytes) -> None:
        with self.lock:
            if key in self.items or len(value) > self.limit // 4:
                return
            self.items[key] = value
            self.size += len(value)
            while self.size > self.limit:
                _, old = self.items.popitem(last=False)
                self.size -= len(old)


class CacheStore:
    """Exports kept in the configured shared cache (dashboard.cache: Redis, with each worker's small copy in front).
    Values larger than `MAX_SHARED` are kept in this worker's memory only."""

    MAX_SHARED = 8 * 1024 * 1024

    def __init__(self, local: MemoryStore) -> None:
        self.local = local

    def get(self, key: str) -> bytes | None:
        from dashboard import cache

        found = self.local.get(key)
        return found if found is not None else cache.get_raw(cache.config()[1] + key)

    def put(self, key: str, value: bytes) -> None:
        from dashboard import cache

        if len(value) > self.MAX_SHARED:
            self.local.put(key, value)
        else:
            cache.set_raw(cache.config()[1] + key, value)


_memory = MemoryStore()
_store: Store | None = None  # None: follow the cache setting


def current() -> Store:
    if _store is not None:
        return _store
    from dashboard import cache

    return CacheStore(_memory) if cache.shared() else _memory


def use(store: Store | None) -> Store | None:
    """Keep exports in `store` from now on (None: follow the cache setting again); returns the previous setting."""
    global _store
    previous, _store = _store, store
    return previous
