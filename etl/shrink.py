"""The shrink guard: a source's new file must not quietly lose what the current release publishes.

A file cut at a line boundary parses cleanly (967 of 1,936 rows are still 967 good rows), and so does a
publisher's export that dropped a year. Before such a file replaces its source's rows, its rows of each
(table, dataset) are compared with the current release's: it is refused when it removes periods already
published, or more than a share of the rows (``BORDERSTATS_MAX_SHRINK``, in percent; default
:data:`DEFAULT_MAX_SHRINK`). ``borderstats refresh --accept-shrink`` (or ``ingest --accept-shrink``) lets it
through, and the change report of the release records what was accepted.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .changes import PERIOD, periods_of
from .config import env_number
from .errors import SourceError

ENV_MAX_SHRINK = "BORDERSTATS_MAX_SHRINK"
DEFAULT_MAX_SHRINK = 5.0  # percent of a dataset's published rows a new file may remove


def max_shrink() -> float:
    """The share of rows (percent) a new file may remove: $BORDERSTATS_MAX_SHRINK, else 5."""
    return env_number(ENV_MAX_SHRINK, DEFAULT_MAX_SHRINK)


@dataclass
class Shrink:
    table: str
    dataset: str
    file: str | None
    rows_before: int
    rows_after: int
    periods_lost: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * (self.rows_before - self.rows_after) / self.rows_before if self.rows_before else 0.0

    def text(self) -> str:
        lost = self.periods_lost
        periods = (f"; periods no longer in the file: {', '.join(lost[:8])}"
                   + (f" … ({len(lost)} in all)" if len(lost) > 8 else "")) if lost else ""
        return (f"table {self.table}, dataset {self.dataset}: {self.rows_before:,} rows published, "
                f"{self.rows_after:,} in the new file ({self.percent:.1f}% fewer){periods}")

    def to_dict(self) -> dict:
        return {"table": self.table, "dataset": self.dataset, "file": self.file, "rows_before": self.rows_before,
                "rows_after": self.rows_after, "percent_fewer": round(self.percent, 2),
                "periods_lost": self.periods_lost}


def shrinks(source_id: str, parsed, current, limit: float) -> list[Shrink]:
    """What each parsed (table, dataset) of a source removes from the current release, where it removes
    a published period or more than `limit` percent of the rows."""
    if current is None:
        return []
    out = []
    have = set(current.tables())
    for p in parsed:
        if p.table not in have:
            continue
        period = PERIOD.get(p.table)
        columns = ["source_id"] + (["dataset"] if "dataset" in p.frame.columns else []) + ([period] if period else [])
        old = current.read(p.table, columns=columns, categories=True)
        mine = old["source_id"].astype(str) == source_id
        if "dataset" in old.columns:
            mine &= old["dataset"].astype(str) == p.dataset
        old = old[mine]
        if old.empty:
            continue
        lost = sorted(periods_of(old, p.table) - periods_of(p.frame, p.table))
        s = Shrink(p.table, p.dataset, _file(p.frame), len(old), len(p.frame), lost)
        if lost or s.percent > limit:
            out.append(s)
    return out


def _file(frame: pd.DataFrame) -> str | None:
    return str(frame["_file"].iloc[0]) if "_file" in frame.columns and len(frame) else None


def guard(source_id: str, parsed, current, *, accept: bool) -> list[dict]:
    """Raise a SourceError for a shrink beyond the limit unless `accept`; return the accepted shrinks."""
    limit = max_shrink()
    found = shrinks(source_id, parsed, current, limit)
    if found and not accept:
        first = found[0]
        raise SourceError(
            "the new file would shrink what is published: " + "; ".join(s.text() for s in found)
            + f" (more than {limit:g}% fewer rows, or a published period gone: a cut or partial file?). "
            f"Nothing was published. If the publisher really withdrew these rows, run again with --accept-shrink "
            f"(the limit is ${ENV_MAX_SHRINK}, in percent)",
            source=source_id, file=first.file,
        )
    return [s.to_dict() for s in found]
