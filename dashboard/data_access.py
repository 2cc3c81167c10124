"""The one module through which the dashboard reads data: releases, their table contract and the refresh status.

It serves the current release: on every call it reads the CURRENT pointer (a tiny
file), so a worker picks up a release published by the ETL without a restart, and
because releases are immutable folders that become current in one atomic step, it
never sees a half-written one. Tables are loaded lazily and cached per release.
"""
from __future__ import annotations

import ctypes
import logging
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.config import data_dir as resolve_data_dir
from etl.changes import revision_text  # noqa: F401  (a revised figure in words, as `borderstats changes` prints it)
from etl.errors import EtlError, LockedError
from etl.schema import FIELDS, TABLES  # noqa: F401  (the contract every release is written in)
from etl.warehouse import Release, Warehouse

log = logging.getLogger("borderstats.dashboard")

# Arrow's own allocator keeps freed buffers for reuse: with the system allocator a worker that has
# read every table holds about 120 MB less (measured: 499 -> 381 MB).
pa.set_memory_pool(pa.system_memory_pool())

BUNDLED_SOURCES = ("reported_figures", "policy_events")
MPP_CITIES = ("02004", "02002", "08037", "28027", "28022", "05025", "26043")

_settings = {"data_dir": None}
_lock = threading.Lock()
_cache: dict[str, "ReleaseData"] = {}


def configure(data_dir: str | Path | None) -> Path:
    """Point the dashboard at a data directory (default: $BORDERSTATS_DATA_DIR or ./data)."""
    _settings["data_dir"] = resolve_data_dir(data_dir)
    return _settings["data_dir"]


def data_dir() -> Path:
    return _settings["data_dir"] or configure(None)


def warehouse() -> Warehouse:
    return Warehouse(data_dir())


@dataclass
class ReleaseData:
    release: Release
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    _table_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.release.id

    @property
    def key(self) -> str:
        """Unique across data directories (release ids are only unique within one): use it for caches."""
        return str(self.release.path)

    @cached_property
    def manifest(self) -> dict:
        return self.release.manifest

    @cached_property
    def tables(self) -> list[str]:
        return self.release.tables()

    def table(self, name: str) -> pd.DataFrame:
        """A table of the release (empty frame with no columns if the release lacks it). Do not mutate."""
        with self._table_lock:
            if name not in self._tables:
                self._tables[name] = _read(self.release, name) if name in self.tables else pd.DataFrame()
            return self._tables[name]

    @cached_property
    def changes(self) -> dict | None:
        """The release's change report (changes.json), or None."""
        from etl.changes import load

        try:
            return load(self.release)
        except (OSError, ValueError):
            return None

    def sources(self) -> dict[str, dict]:
        return self.manifest.get("sources", {})

    def source_status(self, source_id: str) -> str:
        return self.sources().get(source_id, {}).get("status", "missing")

    def missing_sources(self) -> list[str]:
        return [sid for sid, e in self.sources().items() if not e.get("rows")]

    def retrieved(self, source_id: str) -> str | None:
        value = self.sources().get(source_id, {}).get("retrieved_at")
        return value[:10] if value else None

    @cached_property
    def places(self) -> pd.DataFrame:
        return self.table("places").set_index("place_id", drop=False)

    def place_name(self, place_id: str | None) -> str:
        if not place_id or place_id not in self.places.index:
            return place_id or ""
        return str(self.places.at[place_id, "name"])


def _read(release: Release, name: str) -> pd.DataFrame:
    """A table with its text columns as categories: the big tables repeat a few labels a million times
    (crime_victims: 200 MB as strings, 30 MB as categories)."""
    df = release.read(name, categories=True)
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):  # categories in text order, so sorting is alphabetical
            df[col] = df[col].cat.reorder_categories(sorted(df[col].cat.categories))
    _trim()
    return df


def _trim() -> None:
    """Hand the read buffers glibc keeps back to the system (a worker's resident memory, not just its heap)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def current() -> ReleaseData | None:
    """The current release (cached per release id), or None when nothing is published yet."""
    release = warehouse().current()
    if release is None:
        return None
    key = str(release.path)
    data = _cache.get(key)
    if data is None:
        with _lock:
            data = _cache.get(key)
            if data is None:
                data = ReleaseData(release)
                _cache.clear()  # keep one release in memory per worker
                _cache[key] = data
    return data


def table(name: str) -> pd.DataFrame:
    data = current()
    return data.table(name) if data else pd.DataFrame()


WARM_TABLES = ("crime_victims", "homicides", "encounters", "population", "migrant_deaths", "reported_figures",
               "places")


def warm_in_background(names: tuple[str, ...] = WARM_TABLES) -> threading.Thread:
    """Read the big tables of the current release in a background thread, so that the first visitor of a
    page does not wait for them (the SESNSP victims table alone takes 1-2 s to read)."""

    def run() -> None:
        data = current()
        if data is not None:
            for name in names:
                data.table(name)

    thread = threading.Thread(target=run, name="warm-release", daemon=True)
    thread.start()
    return thread


def ensure_release(wait: float = 30.0) -> ReleaseData | None:
    """With no release yet, publish one from the bundled reference data (places, reported figures,
    policy events). Several workers starting together: one publishes, the others wait for it."""
    data = current()
    if data is not None:
        return data
    from etl.pipeline import run

    try:
        run(data_dir(), source_ids=list(BUNDLED_SOURCES))
    except LockedError:
        end = time.monotonic() + wait
        while time.monotonic() < end and current() is None:
            time.sleep(0.2)
    except EtlError as exc:  # the app still starts; every page says what is missing
        log.error("could not publish the bundled data: %s", exc)
    return current()


def refresh_status() -> dict:
    """The refresh status of the data directory (release, and per source its status, age and last error), as
    `borderstats status --json` gives it; {} when it cannot be read (the pages then show the manifest's view)."""
    from etl.status import status

    try:
        return status(data_dir())
    except (OSError, ValueError, EtlError):
        return {}
