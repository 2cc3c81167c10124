"""The ``revisions`` table: every revised figure with its history, carried from release to release.

:mod:`etl.changes` compares each release with the one before and finds the values that moved. This module
keeps them: when a value is revised for the first time, two rows are added, the value as the previous release
held it (revision 0, "first published") and the new one (revision 1); each later revision adds one row. The
rows of earlier releases are carried over unchanged, so IOM's 2021 dead and missing going 650 -> 727 -> 728
over three releases reads as three rows with their releases and dates.
"""
from __future__ import annotations

import json

import pandas as pd

from .schema import conform, empty_frame

TABLE = "revisions"
KEY = ["revised_table", "row_key", "value_column"]


def row_key(key: dict) -> str:
    """A revised row's key as stored: JSON, in key order (so the same row has the same text in every release)."""
    return json.dumps(key, ensure_ascii=False, separators=(", ", ": "))


def carry(previous: pd.DataFrame | None, found: list[tuple[str, dict]], *, before: tuple[str, str] | None,
          now: tuple[str, str]) -> pd.DataFrame:
    """The new release's revisions table: `previous` (the last release's, or None) plus the revisions `found`
    between the last release (`before`: its id and publication time) and this one (`now`).

    `found`: (table, revision) pairs as :func:`etl.changes.table_changes` gives them (key, field, old, new)."""
    prev = conform(previous, TABLE) if previous is not None and len(previous) else empty_frame(TABLE)
    if not found or before is None:
        return prev.reset_index(drop=True)
    last = prev.groupby(KEY, observed=True)["revision"].max().to_dict() if len(prev) else {}
    rows = []
    for table, r in found:
        ident = (table, row_key(r["key"]), r["field"])
        n = last.get(ident)
        if n is None:  # first revision of this value: keep what was first published
            rows.append({**dict(zip(KEY, ident)), "revision": 0, "release_id": before[0], "released": before[1],
                         "revised_value": r["old"]})
            n = 0
        rows.append({**dict(zip(KEY, ident)), "revision": n + 1, "release_id": now[0], "released": now[1],
                     "revised_value": r["new"]})
    new = pd.DataFrame(rows, columns=list(empty_frame(TABLE).columns))
    new["revised_value"] = pd.to_numeric(new["revised_value"], errors="coerce")
    out = pd.concat([prev, conform(new, TABLE)], ignore_index=True) if len(prev) else conform(new, TABLE)
    return conform(out.reset_index(drop=True), TABLE)


def history(revisions: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """One row per revised value, the most recently revised first: what (table, key, column), the value first
    published (and its release), the value now (and the release and date of its last revision), and how many
    times it was revised."""
    cols = ["revised_table", "row_key", "value_column", "first_value", "first_release", "now_value",
            "release_id", "released", "revisions"]
    if revisions is None or revisions.empty:
        return pd.DataFrame(columns=cols)
    df = revisions.sort_values(KEY + ["revision"])
    g = df.groupby(KEY, observed=True, sort=False)
    first, last = g.first(), g.last()
    out = pd.DataFrame({
        "first_value": first["revised_value"], "first_release": first["release_id"],
        "now_value": last["revised_value"], "release_id": last["release_id"], "released": last["released"],
        "revisions": last["revision"],
    }).reset_index()
    out = out.sort_values(["released", "revised_table", "row_key"], ascending=[False, True, True], kind="stable")
    return (out.head(limit) if limit else out).reset_index(drop=True)[cols]
