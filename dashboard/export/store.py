"""Where finished exports are kept, keyed by (release, chart, normalised query, snapped size, format, base URL).

A small interface, ``get(key) -> bytes | None`` and ``put(key, bytes)``, with string keys, in layers (the first
that has a key answers, and the layers above it keep a copy):

1. the worker's own memory (:class:`MemoryStore`, bounded in bytes);
2. the data folder's ``cache/exports/<release id>/`` (:class:`DiskStore`): every worker of this machine reads what
   one of them drew (and what the warm-up drew before any reader asked, dashboard/warmup.py). It is a cache,
   not data: deleting it loses nothing, and it is skipped (once logged) where the folder cannot be written;
3. with ``BORDERSTATS_CACHE_URL=redis://…`` (dashboard/cache.py), the shared cache (:class:`CacheStore`): what
   one machine drew, every machine reads.

``use(store)`` puts another store in their place (tests). Every key names the release: a new release never
answers with an old image.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from typing import Protocol

CACHE_BYTES = 64 * 1024 * 1024  # per worker: images of the current release, the most recently used kept
DISK_FOLDER = ("cache", "exports")  # under the data folder
KEEP_RELEASES = 2  # release folders kept on disk: the one served and the one before (a worker may still be on it)

log = logging.getLogger(__name__)


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


class DiskStore:
    """Files under `root`/<release id>/<digest of the key>, written whole (a temporary file renamed into place), so
    that a reader in another worker sees a finished file or none. `release()` names the folder to use."""

    def __init__(self, root, release) -> None:
        self.root, self.release, self.broken = root, release, False

    def _path(self, key: str):
        rid = self.release()
        if not rid:
            return None
        from dashboard import build

        # the build in the name: files an older version of the code made are never read (pruned with the release)
        return self.root / rid / hashlib.sha256(f"{build.token()}:{key}".encode("utf-8")).hexdigest()[:40]

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None

    def put(self, key: str, value: bytes) -> None:
        path = self._path(key)
        if path is None or self.broken:
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(value)
            os.replace(tmp, path)
        except OSError as e:  # a read-only or full disk: the memory layer still serves
            self.broken = True
            log.warning("export cache %s cannot be written (%s): images are kept in memory only", self.root, e)
            tmp.unlink(missing_ok=True)

    def prune(self, keep: int = KEEP_RELEASES) -> list[str]:
        """Remove the folders of all but the `keep` most recent releases (release ids sort by time); their names."""
        try:
            folders = sorted((p for p in self.root.iterdir() if p.is_dir()), key=lambda p: p.name)
        except OSError:
            return []
        gone = folders[:-keep] if keep else folders
        for p in gone:
            shutil.rmtree(p, ignore_errors=True)
        return [p.name for p in gone]


class Layered:
    """Stores tried in order; a hit is copied into the layers before it; a put goes to every layer."""

    def __init__(self, *layers: Store) -> None:
        self.layers = layers

    def get(self, key: str) -> bytes | None:
        for i, layer in enumerate(self.layers):
            found = layer.get(key)
            if found is not None:
                for upper in self.layers[:i]:
                    upper.put(key, found)
                return found
        return None

    def put(self, key: str, value: bytes) -> None:
        for layer in self.layers:
            layer.put(key, value)


_memory = MemoryStore()
_store: Store | None = None  # None: the layers above, as the settings say
_disks: dict = {}


def disk() -> DiskStore | None:
    """The data folder's export cache (None before a data folder is configured)."""
    from dashboard import data_access

    try:
        root = data_access.data_dir().joinpath(*DISK_FOLDER)
    except Exception:  # noqa: BLE001 (no data folder configured)
        return None
    found = _disks.get(root)
    if found is None:
        def release() -> str | None:
            data = data_access.current()
            return data.id if data is not None else None
        found = _disks[root] = DiskStore(root, release)
    return found


def current() -> Store:
    if _store is not None:
        return _store
    from dashboard import cache

    layers: list = [_memory]
    d = disk()
    if d is not None:
        layers.append(d)
    if cache.shared():
        layers.append(CacheStore(MemoryStore(0)))
    return Layered(*layers)


def use(store: Store | None) -> Store | None:
    """Keep exports in `store` from now on (None: follow the cache setting again); returns the previous setting."""
    global _store
    previous, _store = _store, store
    return previous
