"""Reading the refresh status, read-only: the current release and, per source, its status, rows, age and last
error, as `borderstats status` and the dashboard's Data & sources page show them. Nothing here writes."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .config import env_number
from .registry import load_registry
from .warehouse import Warehouse, utcnow

FAILURES_BEFORE_FAILING = 3


def failing_after() -> int:
    """Consecutive failed refreshes after which a source is reported as failing
    (BORDERSTATS_FAILING_AFTER, default 3)."""
    return int(env_number("BORDERSTATS_FAILING_AFTER", FAILURES_BEFORE_FAILING)) or FAILURES_BEFORE_FAILING


def _age_days(stamp: str | None, now) -> float | None:
    if not stamp:
        return None
    try:
        then = pd.Timestamp(stamp)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.tz_localize("UTC")
    return round((now - then).total_seconds() / 86400, 1)


def status(data_dir: Path, *, failing_threshold: int | None = None) -> dict:
    """Release and per-source status, as `borderstats status --json` prints it. A source whose refresh
    failed keeps its last good rows: `stale`, with the age of those rows and the error."""
    threshold = failing_threshold or failing_after()
    now = pd.Timestamp(utcnow())
    registry = load_registry()
    wh = Warehouse(data_dir)
    current = wh.current()
    manifest = current.manifest if current else {}
    state = wh.state().get("sources", {})
    out = {
        "release": (
            {"id": current.id, "path": str(current.path), "published_at": manifest.get("published_at")}
            if current else None
        ),
        "data_dir": str(Path(data_dir)),
        "sources": {},
    }
    for src in registry:
        entry = manifest.get("sources", {}).get(src.id, {})
        st = state.get(src.id, {})
        rows = int(entry.get("rows", 0))
        status_ = entry.get("status", "missing") if rows else "missing"
        error = entry.get("error")
        if st.get("last_result") == "failed":
            status_ = "stale" if rows else "failed"
            error = st.get("error")
        elif st.get("last_result") == "unchanged" and rows:
            status_ = "unchanged"
        failures = int(st.get("consecutive_failures", 0))
        out["sources"][src.id] = {
            "status": status_,
            "rows": rows,
            "retrieved_at": entry.get("retrieved_at"),
            "age_days": _age_days(entry.get("retrieved_at"), now) if rows else None,
            "error": error,
            "last_attempt": st.get("last_attempt"),
            "last_success": st.get("last_success"),
            "consecutive_failures": failures,
            "failing": failures >= threshold,
        }
    out["failing_after"] = threshold
    return out
