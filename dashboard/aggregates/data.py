"""Data & sources: one page of a published table (filtered, sorted), its data dictionary, the sources.

Sorting and filtering are done here, on the server, with per-release caches, so the browser
receives only the rows it shows. A filter is a plain case-insensitive substring of one column's
text (never a regular expression). Each column is factorised once (codes + distinct values):
a filter tests the distinct values only and a sort orders integer codes, so a page of the
927,000-row crime_victims table takes milliseconds once its columns are cached.
"""
from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import data_access
from ..i18n import _


PAGE_SIZES = (25, 50, 100)
MAX_FILTER = 100
MAX_PAGE = 1_000_000


@dataclass
class PageOf:
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    total: int  # rows in the table
    matched: int  # rows that pass the filter
    page: int  # 1-based, clamped to the pages there are
    pages: int
    size: int
    first: int  # 1-based number of the first row shown (0 when none)
    last: int


def text_of(value) -> str:
    """A cell as plain text: '' for missing, ISO dates, integers without '.0'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{int(value)}" if value.is_integer() else f"{value:g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


@dataclass
class Column:
    codes: np.ndarray  # int per row, -1 for missing
    texts: list[str]  # the distinct values as text, in sorted order of the values
    folded: list[str]


_lock = threading.Lock()


@lru_cache(maxsize=160)
def _column(release_id: str, table: str, column: str, frame_id: int, _frame_ref) -> Column:
    df = _frame_ref.frame
    # sort=True: the codes order like the values, so sorting rows is sorting integer codes
    codes, uniques = pd.factorize(df[column], sort=True, use_na_sentinel=True)
    texts = [text_of(u) for u in uniques]
    codes = np.asarray(codes)
    if len(uniques) < 2**31 - 1:
        codes = codes.astype(np.int32)
    return Column(codes, texts, [t.casefold() for t in texts])


class _Ref:
    """Wraps a frame for lru_cache (frames are not hashable; the release id and name identify it)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return True


def column(release_id: str, table: str, df: pd.DataFrame, name: str) -> Column:
    return _column(release_id, table, name, id(df), _Ref(df))


@lru_cache(maxsize=32)
def _match(release_id: str, table: str, name: str, text: str, frame_id: int, ref) -> np.ndarray:
    col = _column(release_id, table, name, frame_id, ref)
    needle = text.casefold()
    hits = np.fromiter((needle in t for t in col.folded), dtype=bool, count=len(col.folded))
    matched_codes = np.flatnonzero(hits)
    return np.flatnonzero(np.isin(col.codes, matched_codes)).astype(np.int32)


@lru_cache(maxsize=16)
def _order(release_id: str, table: str, name: str, descending: bool, frame_id: int, ref) -> np.ndarray:
    """Row positions sorted by a column (missing values last either way; stable)."""
    col = _column(release_id, table, name, frame_id, ref)
    codes = col.codes.astype(np.int64)
    if descending:
        key = np.where(codes < 0, np.iinfo(np.int64).max, len(col.texts) - 1 - codes)
    else:
        key = np.where(codes < 0, np.iinfo(np.int64).max, codes)
    return np.argsort(key, kind="stable").astype(np.int32)


_warmed: set[tuple[str, str]] = set()


def warm(release_id: str, table: str, df: pd.DataFrame) -> None:
    """Factorise every column of a table in a background thread (once per release and table), so
    the first sort or filter on any column is as fast as the next ones."""
    key = (release_id, table)
    with _lock:
        if key in _warmed:
            return
        _warmed.add(key)

    def run():
        for name in df.columns:
            column(release_id, table, df, str(name))

    threading.Thread(target=run, name=f"warm-{table}", daemon=True).start()


def clean_filter(text: str | None) -> str:
    return str(text or "").strip()[:MAX_FILTER]


def page_of(release_id: str, table: str, df: pd.DataFrame, *, sort: str = "", descending: bool = False,
            filter_col: str = "", filter_text: str = "", page: int = 1, size: int = 25) -> PageOf:
    """One page of `df` (sorted, filtered). Unknown columns are ignored; the page is clamped."""
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    columns = [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in columns]
    total = len(df)
    ref = _Ref(df)
    fid = id(df)
    positions: np.ndarray | None = None  # None: every row, in stored order
    filter_text = clean_filter(filter_text)
    if filter_col in columns and filter_text:
        positions = _match(release_id, table, filter_col, filter_text, fid, ref)
    if sort in columns:
        order = _order(release_id, table, sort, bool(descending), fid, ref)
        if positions is not None:
            keep = np.zeros(total, dtype=bool)
            keep[positions] = True
            order = order[keep[order]]
        positions = order
    matched = total if positions is None else len(positions)
    pages = max(1, math.ceil(matched / size))
    page = min(max(1, int(page or 1)), pages)
    start, stop = (page - 1) * size, min(page * size, matched)
    idx = np.arange(start, stop) if positions is None else positions[start:stop]
    shown = df.iloc[idx] if len(idx) else df.iloc[0:0]
    rows = [[text_of(v) for v in rec] for rec in shown.itertuples(index=False, name=None)]
    return PageOf(columns, rows, numeric, total, matched, page, pages, size,
                  start + 1 if stop > start else 0, stop)


# ------------------------------------------------------------------ data dictionary


@lru_cache(maxsize=8)
def datapackage(release_path: str) -> dict:
    path = Path(release_path) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def constraints_text(c: dict | None) -> str:
    """{'required': True, 'enum': [...], 'minimum': 0} -> 'required; one of: a, b; minimum 0'."""
    if not c:
        return ""
    parts = []
    if c.get("required"):
        parts.append(_("required"))
    if c.get("unique"):
        parts.append(_("unique"))
    if "enum" in c:
        parts.append(_("one of: {values}").format(values=", ".join(str(x) for x in c["enum"])))
    if "minimum" in c:
        parts.append(_("minimum {value}").format(value=c["minimum"]))
    if "maximum" in c:
        parts.append(_("maximum {value}").format(value=c["maximum"]))
    if "pattern" in c:
        parts.append(_("pattern {value}").format(value=c["pattern"]))
    for k, v in c.items():
        if k not in ("required", "unique", "enum", "minimum", "maximum", "pattern"):
            parts.append(f"{k} {v}")
    return "; ".join(parts)


def schema_text(text) -> str:
    """A table's or field's description in the page's language: the table contract's English (etl/schema.py) is
    in the catalogues (tools/i18n.py extracts it); a description a release wrote otherwise is shown as written."""
    text = str(text or "")
    return _(text) if text else ""


def dictionary(package: dict, table: str, name_columns: dict[str, str] | None = None) -> dict:
    """{'description', 'rows', 'primary_key', 'fields': [{name, type, unit, description, constraints}]}
    for one table of a release's datapackage.json; the table contract (data_access.TABLES) fills what it lacks.
    `name_columns` ({'place_id': 'place_name'}): name columns the dashboard adds, described after their id."""
    res = next((r for r in package.get("resources", []) if r.get("name") == table), None)
    spec = data_access.TABLES.get(table)
    if res is None and spec is None:
        return {"description": "", "rows": None, "primary_key": [], "fields": []}
    schema = (res or {}).get("schema", {})
    fields = schema.get("fields")
    if not fields and spec is not None:
        fields = [{"name": f.name, "type": f.type, "unit": f.unit, "description": f.description} for f in spec.field_defs()]
    pk = schema.get("primaryKey") or (list(spec.primary_key) if spec else [])
    if isinstance(pk, str):
        pk = [pk]
    out = []
    for f in fields or []:
        name = str(f.get("name", ""))
        out.append({
            "name": name, "type": str(f.get("type", "")), "unit": str(f.get("unit") or ""),
            "description": schema_text(f.get("description")), "constraints": constraints_text(f.get("constraints")),
        })
        if name in (name_columns or {}):
            out.append({"name": name_columns[name], "type": "string", "unit": "",
                        "description": _("Name of the place in {column}, from the release's places table (added "
                                         "here and in downloads; not a column of the published file).").format(
                                             column=name),
                        "constraints": ""})
    return {
        "description": schema_text((res or {}).get("description") or (spec.description if spec else "")),
        "rows": (res or {}).get("rows"),
        "primary_key": list(pk),
        "fields": out,
    }


# ------------------------------------------------------------------ sources


def short_sha(value: str | None) -> tuple[str, str]:
    """('644a70518bea…', full) for one or several '; '-joined checksums."""
    full = str(value or "")
    if not full:
        return "", ""
    parts = [p.strip() for p in full.split(";") if p.strip()]
    short = ", ".join(p[:12] + "…" if len(p) > 12 else p for p in parts[:3])
    if len(parts) > 3:
        short += f" (+{len(parts) - 3})"
    return short, "\n".join(parts)


def sources_rows(manifest_sources: dict, status: dict) -> list[dict]:
    """One dict per source: publisher, title, url, licence, retrieved, sha256 (short, full), rows,
    status, error, consecutive failures, failing — from the release manifest and the refresh state."""
    out = []
    st_all = (status or {}).get("sources", {})
    for sid in dict.fromkeys([*manifest_sources, *st_all]):
        e = manifest_sources.get(sid, {}) or {}
        st = st_all.get(sid, {}) or {}
        files = e.get("files") or []
        shas = "; ".join(f.get("sha256", "") for f in files if f.get("sha256"))
        short, full = short_sha(shas)
        out.append({
            "source_id": sid,
            "publisher": str(e.get("publisher") or ""),
            "title": str(e.get("title") or ""),
            "url": str(e.get("landing_page") or e.get("url") or ""),
            "licence": str(e.get("licence") or ""),
            "retrieved_at": str(st.get("retrieved_at") or e.get("retrieved_at") or ""),
            "sha_short": short, "sha_full": full,
            "rows": int(st.get("rows", e.get("rows", 0)) or 0),
            "status": str(st.get("status") or e.get("status") or "missing"),
            "error": str(st.get("error") or e.get("error") or ""),
            "last_attempt": str(st.get("last_attempt") or ""),
            "consecutive_failures": int(st.get("consecutive_failures") or 0),
            "failing": bool(st.get("failing")),
            "age_days": st.get("age_days"),
        })
    return out


def editions_by_source(switches: list[dict], datasets: dict[str, dict]) -> dict[str, list[dict]]:
    """The edition switches (data_access.edition_switches) grouped by the source of their dataset (`datasets`:
    the release's datasets as ReleaseData.datasets() describes them), newest first; a dataset the release no
    longer describes is listed under its own id."""
    out: dict[str, list[dict]] = {}
    for e in switches:
        sid = (datasets.get(e["dataset"]) or {}).get("source_id") or e["dataset"]
        out.setdefault(str(sid), []).append(e)
    return out
