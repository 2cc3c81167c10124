"""Where finished exports are kept, keyed by (release, chart, normalised query, snapped size, format, base URL).

A small interface, ``get(key) -> bytes | None`` and ``put(key, bytes)``, with string keys, so the in-process
store below can be swapped for a shared one (several workers or machines) with ``use(store)``. The key
starts with the release id: a new release never answers with an old image.
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


_store: Store = MemoryStore()


def current() -> Store:
    return _store


def use(store: Store) -> Store:
    """Keep exports in `store` from now on (a shared cache); returns the previous store."""
    global _store
    previous, _store = _store, store
    return previous
