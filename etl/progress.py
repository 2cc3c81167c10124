"""A refresh's progress, in a small JSON file every process can read: which source, how far, which failed and why.

``<data dir>/warehouse/refresh-progress.json`` is written by a refresh that is given a :class:`Progress` (the
dashboard's first-run refresh, ``borderstats refresh``), replaced atomically on every change (tmp file +
``os.replace``), so a reader sees the old or the new state, never a mix. It holds the pid and host of the
refresh, its start (and end) time, the refresh's stage, and per source its state:

    waiting | fetching | parsing | done (rows) | unchanged | failed (error; source, file, line, column)

and, at the end, the release published (or none) and the exit code. Nothing but source ids, counts, byte counts
and the error messages the refresh logs anyway: no data values, no paths, no personal data.

The pipeline calls :meth:`Progress.begin`, :meth:`Progress.source`, :meth:`Progress.stage` and
:meth:`Progress.finish`; :func:`read` gives the file back with ``running`` worked out (a refresh whose process is
gone is not running, whatever its file says).
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

from .config import warehouse_dir
from .warehouse import iso, utcnow, write_json_atomic

FILE = "refresh-progress.json"
SOURCE_STATES = ("waiting", "fetching", "parsing", "done", "unchanged", "failed")
STAGES = ("fetching", "publishing", "published", "finished", "failed")  # the last three: the refresh is over
OVER = ("published", "finished", "failed")
MIN_INTERVAL = 0.5  # seconds between two writes of download progress (state changes are written at once)


def path(data_dir: Path) -> Path:
    return warehouse_dir(Path(data_dir)) / FILE


class Progress:
    """The observer a refresh reports to; it keeps the state in memory and writes it to the progress file."""

    def __init__(self, data_dir: Path, origin: str = "cli", *, mirror: bool = False, offline: bool = False) -> None:
        self.file = path(data_dir)
        self._lock = threading.Lock()
        self._last_write = 0.0
        self.state: dict = {"pid": os.getpid(), "host": socket.gethostname(), "origin": origin,
                            "mirror": bool(mirror), "offline": bool(offline), "started_at": None, "updated_at": None, "finished_at": None,
                            "stage": "fetching", "sources": [], "release": None, "exit_code": None, "error": None}

    # ---- what the pipeline calls

    def begin(self, source_ids: list[str]) -> None:
        """The refresh holds the lock and is about to fetch these sources, in this order."""
        with self._lock:
            self.state.update(started_at=iso(utcnow()), stage="fetching",
                              sources=[{"id": sid, "state": "waiting"} for sid in source_ids])
            self._write()

    def source(self, source_id: str, state: str, *, rows: int | None = None, error: str | None = None,
               where: dict | None = None) -> None:
        if state not in SOURCE_STATES:
            raise ValueError(f"unknown source state {state!r}")
        with self._lock:
            entry = self._entry(source_id)
            entry.clear()
            entry.update(id=source_id, state=state)
            if rows is not None:
                entry["rows"] = int(rows)
            if error:
                entry["error"] = str(error)[:2000]
            if where:
                entry["where"] = {k: where[k] for k in ("source", "file", "line", "column") if where.get(k) is not None}
            self._write()

    def download(self, source_id: str, name: str):
        """update(done, total) for one file's download: bytes so far and the size when the server said it."""
        def update(done: int, total: int | None) -> None:
            with self._lock:
                entry = self._entry(source_id)
                entry.update(state="fetching", file=name, bytes=int(done), total=int(total) if total else None)
                if time.monotonic() - self._last_write >= MIN_INTERVAL:
                    self._write()
        return update

    def stage(self, stage: str) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        with self._lock:
            self.state["stage"] = stage
            self._write()

    def finish(self, *, release: str | None, published: bool, exit_code: int, error: str | None = None) -> None:
        """The refresh is over: `published` a new release (its id), or not (the previous one, if any, serves)."""
        with self._lock:
            self.state.update(stage="failed" if error else "published" if published else "finished",
                              release=release, exit_code=int(exit_code), finished_at=iso(utcnow()),
                              error=str(error)[:500] if error else None)
            self._write()

    # ----

    def _entry(self, source_id: str) -> dict:
        for entry in self.state["sources"]:
            if entry["id"] == source_id:
                return entry
        entry = {"id": source_id, "state": "waiting"}
        self.state["sources"].append(entry)
        return entry

    def _write(self) -> None:
        self.state["updated_at"] = iso(utcnow())
        self.file.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.file, self.state)
        self._last_write = time.monotonic()


def read(data_dir: Path) -> dict | None:
    """The progress file, with ``running`` (its refresh is not over and its process is alive), or None when there
    is none or it cannot be read."""
    try:
        state = json.loads(path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("sources"), list):
        return None
    over = state.get("stage") in OVER
    state["running"] = not over and _alive(state.get("pid"), state.get("host"))
    if not over and not state["running"]:
        state["stage"] = "interrupted"
    return state


def _alive(pid, host) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if host != socket.gethostname():
        return True  # another machine's refresh (a shared data folder): its lock says more than a pid can
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def seconds_since(stamp: str | None) -> float | None:
    """Seconds since an ISO time of this file (None if absent or unreadable)."""
    if not stamp:
        return None
    from datetime import datetime

    try:
        then = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return (utcnow().replace(tzinfo=None) - then).total_seconds()
