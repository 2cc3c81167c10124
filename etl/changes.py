"""The change report of a release: per table, rows added, removed and changed; new periods; revised
figures (old value, new value, by how much). Publishers revise past months, and a journalist needs
to know when a number they printed changed.

Written as `changes.json` inside each release (so it is published atomically with it), printed by
`borderstats changes` and shown on the dashboard's Data & sources page.
"""
from __future__ import annotations

import json
from typing import Iterable

import numpy as np
import pandas as pd

from .schema import TABLES

CHANGES = "changes.json"
MAX_REVISIONS = 200  # per table, largest first; the total is always given
VALUES = {  # the numbers a revision is about
    "encounters": ("count",), "apprehensions_annual": ("count",), "sector_deaths": ("deaths",),
    "homicides": ("count",), "population": ("population",), "migrant_deaths": ("dead", "missing"),
    "crime_victims": ("victims",), "reported_figures": ("value",),
    "mpp_enrollments": ("count",), "mpp_enrollment_totals": ("printed_total", "sum_of_parts"),
    "mpp_reapprehensions": ("count",), "mpp_fear_referrals": ("count",),
}
PERIOD = {"encounters": "month", "homicides": "month", "crime_victims": "month", "apprehensions_annual": "fiscal_year",
          "sector_deaths": "fiscal_year", "population": "year", "migrant_deaths": "date",
          **dict.fromkeys(("mpp_enrollments", "mpp_enrollment_totals", "mpp_reapprehensions", "mpp_fear_referrals"),
                          "month")}
SKIP = {"sources", "places", "revisions"}  # bookkeeping and the gazetteer: not figures


def periods_of(df: pd.DataFrame, table: str) -> set[str]:
    """The periods a table's rows cover, as the report writes them (2021-02, FY2021, 2020)."""
    col = PERIOD.get(table)
    if col is None or col not in df.columns:
        return set()
    s = df[col].drop_duplicates().dropna()  # a few hundred distinct periods: format those, not every row
    if col in ("month", "date"):
        return set(pd.to_datetime(s, errors="coerce").dropna().dt.strftime("%Y-%m"))
    prefix = "FY" if col == "fiscal_year" else ""
    return {f"{prefix}{int(v)}" for v in s}


def _codes(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for the values of two columns, equal values equal codes (missing: -1)."""
    if isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype):
        cats = a.cat.categories.union(b.cat.categories)
        return (a.cat.set_categories(cats).cat.codes.to_numpy(), b.cat.set_categories(cats).cat.codes.to_numpy())
    codes, _ = pd.factorize(pd.concat([a, b], ignore_index=True))
    return codes[: len(a)], codes[len(a):]


def _row_hashes(old: pd.DataFrame, new: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit hash per row of `cols`, comparable between the two frames (missing values alike)."""
    ha = np.zeros(len(old), dtype=np.uint64)
    hb = np.zeros(len(new), dtype=np.uint64)
    for c in cols:
        ca, cb = _codes(old[c], new[c])
        ha = ha * np.uint64(1_000_003) ^ pd.util.hash_array(ca.astype(np.int64))
        hb = hb * np.uint64(1_000_003) ^ pd.util.hash_array(cb.astype(np.int64))
    return ha, hb


def _plain(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    return v if isinstance(v, (int, float, str, bool)) else str(v)


def table_changes(table: str, old: pd.DataFrame | None, new: pd.DataFrame, *, every: list | None = None) -> dict:
    """Rows added, removed and changed, new and lost periods, and the largest revisions (MAX_REVISIONS).
    `every`: a list that receives every revision (for the revisions table), not only the largest."""
    key = TABLES[table].primary_key
    values = [v for v in VALUES.get(table, ()) if v in new.columns]
    new = new[[c for c in new.columns if not c.startswith("_")]]
    if old is None or old.empty:
        periods = sorted(periods_of(new, table))
        return {"rows_before": 0, "rows_after": int(len(new)), "added": int(len(new)), "removed": 0, "changed": 0,
                "new_periods": periods, "removed_periods": [], "revisions_total": 0, "revisions": []}
    ok, nk = _row_hashes(old, new, list(key))
    if len(ok) == len(nk) and np.array_equal(ok, nk):  # the same rows in the same order: the usual case
        in_old = in_new = np.ones(len(nk), dtype=bool)
    else:
        in_old, in_new = pd.Series(nk).isin(ok).to_numpy(), pd.Series(ok).isin(nk).to_numpy()
    added, removed = int((~in_old).sum()), int((~in_new).sum())
    new_p, old_p = periods_of(new, table), periods_of(old, table)
    out = {"rows_before": int(len(old)), "rows_after": int(len(new)), "added": added, "removed": removed,
           "changed": 0, "new_periods": sorted(new_p - old_p), "removed_periods": sorted(old_p - new_p),
           "revisions_total": 0, "revisions": []}
    both_cols = [c for c in new.columns if c in old.columns and c not in key]
    if not both_cols:
        return out
    # pair each new row with the old row of the same key, by position: no copies of the tables
    first_old = ~pd.Series(ok).duplicated().to_numpy()
    where = pd.Index(ok[first_old]).get_indexer(nk)
    pairs = np.flatnonzero((where >= 0) & ~pd.Series(nk).duplicated().to_numpy())
    old_pos, new_pos = np.flatnonzero(first_old)[where[pairs]], pairs
    # a row changed when any of its other fields did (missing values compare equal)
    ha, hb = _row_hashes(old, new, both_cols)
    out["changed"] = int((ha[old_pos] != hb[new_pos]).sum())
    revisions = []
    for v in values:
        x = pd.to_numeric(old[v], errors="coerce").to_numpy(dtype="float64")[old_pos]
        y = pd.to_numeric(new[v], errors="coerce").to_numpy(dtype="float64")[new_pos]
        moved = ~((x == y) | (np.isnan(x) & np.isnan(y)))
        idx = np.flatnonzero(moved)
        out["revisions_total"] += int(len(idx))
        size = np.abs(y[idx] - x[idx])
        order = idx[np.argsort(-np.where(np.isnan(size), -1.0, size), kind="stable")]
        if every is None:
            order = order[:MAX_REVISIONS]
        keyrows = new.iloc[new_pos[order]][list(key)]
        for pos, i in enumerate(order):
            old_v, new_v = _plain(x[i]), _plain(y[i])
            change = None if old_v is None or new_v is None else new_v - old_v
            revisions.append({
                "key": {k: _plain(keyrows.iloc[pos][k]) for k in key}, "field": v, "old": old_v, "new": new_v,
                "change": change,
                "percent": None if change is None or not old_v else round(100 * change / old_v, 2),
            })
    # largest first; figures that appeared or were withdrawn (no old or no new value) after them
    revisions.sort(key=lambda r: (r["change"] is None, -abs(r["change"] or 0)))
    if every is not None:
        every.extend(revisions)
    out["revisions"] = revisions[:MAX_REVISIONS]
    return out


def edition_changes(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    """Datasets whose publisher's edition changed between two releases (e.g. CONAPO's 2015-based projections
    replaced by its 2023 revision): every figure of such a dataset may move, as a revision of the whole series."""
    return [{"dataset": d, "old": before[d], "new": after[d],
             "note": "the publisher's edition changed: its figures are revised as a whole, not corrected one by one"}
            for d in sorted(set(before) & set(after)) if before[d] != after[d]]


def report(release, previous, names: Iterable[str], outcomes: Iterable, published_at: str,
           editions: tuple[dict[str, str], dict[str, str]] | None = None, every: list | None = None) -> dict:
    """Compare the tables `names` of `release` (as written) with `previous` (or None), one table at a
    time so that two versions of one table at most are in memory; the other tables were carried over.
    `editions`: ({dataset: edition} of the previous release, of this one), for the edition switches."""
    out = {"release": release.id, "previous": previous.id if previous is not None else None,
           "published_at": published_at,
           "sources": {o.source_id: o.status for o in outcomes}, "tables": {}}
    switched = edition_changes(*editions) if editions and previous is not None else []
    if switched:
        out["editions"] = switched
    accepted = {o.source_id: o.accepted_shrink for o in outcomes if getattr(o, "accepted_shrink", None)}
    if accepted:  # files that removed published rows or periods, let through by --accept-shrink
        out["accepted_shrink"] = accepted
    for name in sorted(names):
        if name in SKIP or name not in TABLES:
            continue
        old = previous.read(name, categories=True) if previous is not None and name in previous.tables() else None
        # a table that is new in this release: its rows and periods are all there is to say
        needed = None if old is not None else [c for c in (PERIOD.get(name),) if c] or [TABLES[name].primary_key[0]]
        found = [] if every is not None else None
        t = table_changes(name, old, release.read(name, needed, categories=True), every=found)
        if found:
            every.extend((name, r) for r in found)
        del old
        if t["added"] or t["removed"] or t["changed"]:
            out["tables"][name] = t
    return out


def summary(rep: dict, *, revisions: int = 5) -> list[str]:
    """A few lines per table, as `refresh` and `changes` print them."""
    switched = [f"  edition changed: {e['dataset']}: {e['old']} -> {e['new']} (all its figures revised)"
                for e in rep.get("editions", ())]
    return _summary(rep, revisions, switched) + [
        f"  {sid}: accepted with --accept-shrink: {s['table']}, {s['dataset']}: {s['rows_before']:,} -> "
        f"{s['rows_after']:,} rows" + (f"; periods gone: {', '.join(s['periods_lost'][:6])}" if s["periods_lost"] else "")
        for sid, items in (rep.get("accepted_shrink") or {}).items() for s in items]


def _summary(rep: dict, revisions: int, switched: list[str]) -> list[str]:
    if not rep.get("tables"):
        return [f"release {rep.get('release')}: no figure changed"
                + (f" (previous {rep['previous']})" if rep.get("previous") else "")] + switched
    lines = [f"release {rep['release']}" + (f", compared with {rep['previous']}" if rep.get("previous")
                                             else " (first release)")] + switched
    for name, t in rep["tables"].items():
        lines.append(f"  {name}: {t['rows_before']:,} -> {t['rows_after']:,} rows; +{t['added']:,} added, "
                     f"-{t['removed']:,} removed, {t['changed']:,} changed")
        if t["new_periods"]:
            p = t["new_periods"]
            lines.append(f"    new periods: {', '.join(p) if len(p) <= 6 else f'{p[0]} … {p[-1]} ({len(p)})'}")
        if t["removed_periods"]:
            lines.append(f"    periods no longer published: {', '.join(t['removed_periods'][:6])}")
        if t["revisions_total"]:
            lines.append(f"    revised figures: {t['revisions_total']:,} (largest first)")
            for r in t["revisions"][:revisions]:
                lines.append("      " + revision_text(r))
    return lines


def where(key: dict) -> str:
    """A revised row's key values in words ('cbp_southwest, 2021-02-01, Mexico'), empty ones left out."""
    return ", ".join(f"{v}" for v in key.values() if v not in (None, ""))


def revision_text(r: dict) -> str:
    where_ = where(r["key"])
    def fmt(v):
        return "none" if v is None else (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")
    change = "" if r["change"] is None else f" ({'+' if r['change'] > 0 else ''}{fmt(r['change'])}" + (
        f", {'+' if r['percent'] > 0 else ''}{r['percent']}%)" if r["percent"] is not None else ")")
    return f"{where_} · {r['field']}: {fmt(r['old'])} -> {fmt(r['new'])}{change}"


def load(release) -> dict | None:
    path = release.path / CHANGES
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
