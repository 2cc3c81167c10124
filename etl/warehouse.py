"""The release store: immutable release folders and one pointer to the current one.

Layout under ``<data dir>/warehouse/``::

    releases/<release id>/<table>.parquet, <table>.csv, datapackage.json, manifest.json
    releases/.tmp-<release id>/      a release being written (never read; removed on recovery)
    CURRENT                          the current release id (replaced atomically)
    state.json                       the last refresh attempt per source (errors, HTTP validators)
    refresh.lock                     held while a refresh or ingest runs

A release becomes current in one step (``os.replace`` of CURRENT) only after every
file of it is written and synced, so a reader sees either the old release or the new
one, and a refresh killed at any point leaves the previous release serving.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import faults
from .config import env_number, warehouse_dir
from .errors import EtlError, LockedError

KEEP_RELEASES = 5
PRUNE_GRACE_SECONDS = 900.0  # a replaced release stays this long for readers that opened it while current
MAX_RELEASES = 30  # ...unless that many pile up (a refresh every few seconds): then the oldest go anyway
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
DATAPACKAGE = "datapackage.json"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file so that readers see the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def write_json_atomic(path: Path, obj) -> None:
    write_atomic(path, (json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8"))


RELEASE_ID = re.compile(r"\d{8}T\d{6}Z-\d{3,}")  # what new_release_id() makes; nothing else is a release


@dataclass
class Release:
    id: str
    path: Path

    @property
    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    def table_path(self, table: str, fmt: str = "parquet") -> Path:
        return self.path / f"{table}.{fmt}"

    def tables(self) -> list[str]:
        return sorted(p.stem for p in self.path.glob("*.parquet"))

    def read(self, table: str, columns: list[str] | None = None, *, categories: bool = False) -> pd.DataFrame:
        """A table (or some of its columns); with `categories`, text columns as pandas categories: a
        tenth of the memory of strings for the million-row tables."""
        path = self.table_path(table)
        if not path.exists():
            raise EtlError(f"release {self.id} has no table {table!r}")
        return pq.read_table(path, columns=columns).to_pandas(strings_to_categorical=categories)


class Warehouse:
    def __init__(self, data_dir: Path) -> None:
        self.root = warehouse_dir(Path(data_dir))
        self.releases_dir = self.root / "releases"
        self.current_file = self.root / CURRENT
        self.state_file = self.root / "state.json"
        self.lock_file = self.root / "refresh.lock"

    # ------------------------------------------------------------------ reading

    def current(self) -> Release | None:
        try:
            rid = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self.releases_dir / rid
        if not rid or not (path / MANIFEST).exists():
            return None
        return Release(rid, path)

    def releases(self) -> list[Release]:
        if not self.releases_dir.exists():
            return []
        return [
            Release(p.name, p)
            for p in sorted(self.releases_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).exists()
        ]

    def release(self, rid: str) -> Release:
        path = self.releases_dir / rid
        if not RELEASE_ID.fullmatch(rid) or not (path / MANIFEST).exists():
            raise EtlError(f"no release {rid!r} in {self.releases_dir}")
        return Release(rid, path)

    def state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"sources": {}}
        except json.JSONDecodeError:
            return {"sources": {}, "corrupt": True}

    def save_state(self, state: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.state_file, state)

    # ------------------------------------------------------------------ locking

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for writers; released by the OS if the process dies."""
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.lock_file), timeout=0)
        info = self.lock_file.with_suffix(".info")
        try:
            lock.acquire()
        except Timeout:
            holder = ""
            try:
                holder = " (" + info.read_text(encoding="utf-8").strip() + ")"
            except OSError:
                pass
            raise LockedError(f"another refresh is already running{holder}; try again when it has finished") from None
        try:
            info.write_text(f"pid {os.getpid()} on {socket.gethostname()}, started {iso(utcnow())}", encoding="utf-8")
            yield
        finally:
            try:
                info.unlink()
            except OSError:
                pass
            lock.release()

    # ------------------------------------------------------------------ writing

    def recover(self) -> list[str]:
        """Remove release folders left half-written by an interrupted run."""
        removed = []
        if self.releases_dir.exists():
            for p in self.releases_dir.iterdir():
                if p.name.startswith(".tmp-"):
                    shutil.rmtree(p, ignore_errors=True)
                    removed.append(p.name)
        for p in self.root.glob(".*.tmp") if self.root.exists() else []:
            p.unlink(missing_ok=True)
        return removed

    def new_release_id(self) -> str:
        """`YYYYMMDDTHHMMSSZ-NNN`, sorting after every release id ever used here (even pruned ones)."""
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        last = self._last_release_id()
        if last and last[:16] >= stamp:
            prefix, _, n = last.partition("-")
            return f"{prefix}-{int(n or 1) + 1:03d}"
        return f"{stamp}-001"

    def _last_release_id(self) -> str | None:
        ids = [r.id for r in self.releases()]
        current = self.current()
        if current:
            ids.append(current.id)
        return max(ids) if ids else None

    def publish(
        self, tables: dict[str, pd.DataFrame], manifest: dict, datapackage: dict,
        carry: tuple[Release, list[str]] | None = None,
        before_commit=None,
    ) -> Release:
        """Write a complete release beside the current one, then make it current in one step.

        `carry` names tables of an earlier release that did not change: their files are hard-linked
        (copied where links are not possible), never rewritten. Release files are never modified in place.
        `before_commit(folder)` may add files (the change report) to the release before it is made current.
        """
        self.releases_dir.mkdir(parents=True, exist_ok=True)
        rid = manifest.get("release_id") or self.new_release_id()
        manifest["release_id"] = rid
        tmp = self.releases_dir / f".tmp-{rid}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
        try:
            for name, df in tables.items():
                write_table(df, tmp, name)
            if carry:
                previous, names = carry
                for name in names:
                    for fmt in ("parquet", "csv"):
                        _link_or_copy(previous.table_path(name, fmt), tmp / f"{name}.{fmt}")
            faults.point("written")
            if before_commit is not None:
                before_commit(Release(rid, tmp))
            (tmp / DATAPACKAGE).write_text(json.dumps(datapackage, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
            for p in tmp.iterdir():
                with open(p, "rb") as fh:
                    os.fsync(fh.fileno())
            _fsync_dir(tmp)
            final = self.releases_dir / rid
            os.rename(tmp, final)
            _fsync_dir(self.releases_dir)
            faults.point("renamed")
            write_atomic(self.current_file, (rid + "\n").encode())
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.prune()
        return Release(rid, final)

    def prune(self, keep: int = KEEP_RELEASES, grace: float | None = None) -> list[str]:
        """Delete all but the `keep` newest releases, except those replaced less than `grace` seconds
        ago (BORDERSTATS_PRUNE_GRACE, default 15 minutes): a reader that opened one while it was current
        may still be reading its tables. Beyond MAX_RELEASES the oldest go regardless (disk first)."""
        if grace is None:
            grace = env_number("BORDERSTATS_PRUNE_GRACE", PRUNE_GRACE_SECONDS)
        current = self.current()
        releases = self.releases()
        old = [r for r in releases if not current or r.id != current.id]
        doomed = old[: max(0, len(old) - (keep - 1))]
        now = time.time()
        removed = []
        for r in doomed:
            successor = next((x for x in releases if x.id > r.id), None)
            try:
                replaced_at = (successor.path / MANIFEST).stat().st_mtime if successor else now
            except OSError:
                replaced_at = 0.0
            over_cap = len(releases) - len(removed) > MAX_RELEASES
            if now - replaced_at < grace and not over_cap:
                continue
            shutil.rmtree(r.path, ignore_errors=True)
            removed.append(r.id)
        return removed


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def write_table(df: pd.DataFrame, folder: Path, name: str) -> None:
    """<name>.parquet and <name>.csv (UTF-8, ISO dates, empty for missing)."""
    public = df[[c for c in df.columns if not c.startswith("_")]].reset_index(drop=True)
    table = pa.Table.from_pandas(public, preserve_index=False)
    pq.write_table(table, folder / f"{name}.parquet", compression="zstd")
    # CSV: dates as YYYY-MM-DD, categories as plain text
    cols = []
    for field in table.schema:
        col = table.column(field.name)
        if pa.types.is_timestamp(field.type):
            col = col.cast(pa.date32())
        elif pa.types.is_dictionary(field.type):
            col = col.cast(field.type.value_type)
        cols.append(col)
    pacsv.write_csv(pa.table(cols, names=table.column_names), folder / f"{name}.csv")

