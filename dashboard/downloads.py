"""Table downloads: the release's tables with place names beside their ids, written as CSV, JSON,
Parquet or XLSX, whole or as the rows a query selects (see dashboard/api.py for the query).

What is served is the "served table": the release table as published, with a name column inserted
right after each place id column (``place_name`` after ``place_id``, ``nearest_place_name`` after
``nearest_place_id``), read from the release's own places table. The places table already has its
``name``; tables with ``area_id`` carry the publisher's ``area_name`` already. The Data page browses the
same served table, so a page filter on ``place_name`` and the download agree.

Memory is bounded: CSV and JSON are streamed in chunks of rows; Parquet and XLSX are written chunk by
chunk (XLSX to a temporary file, write-only) and hold at most one chunk of converted rows at a time.
"""
from __future__ import annotations

import io
import math
import tempfile
import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import data_access

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WHOLE_FORMATS = ("csv", "parquet")  # /download/<table>.<fmt>: the whole served table
ENDPOINT = "borderstats_download"
NAME_COLUMNS = {"place_id": "place_name", "nearest_place_id": "nearest_place_name"}
CHUNK_ROWS = 50_000
XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's sheet limit, less the header row


# ------------------------------------------------------------------ the served table


def name_columns(table: str) -> dict[str, str]:
    """{id column: name column inserted after it} for a table of the contract (none for places)."""
    spec = data_access.TABLES.get(table)
    if spec is None or table == "places":
        return {}
    return {c: n for c, n in NAME_COLUMNS.items() if c in spec.fields}


def columns(table: str) -> list[str]:
    """The served table's columns: the contract's, with a name column after each place id column."""
    spec = data_access.TABLES.get(table)
    if spec is None:
        return []
    names = name_columns(table)
    out = []
    for c in spec.fields:
        out.append(c)
        if c in names:
            out.append(names[c])
    return out


def all_name_columns() -> list[str]:
    return list(dict.fromkeys(NAME_COLUMNS.values()))


def name_column(ids: pd.Series, names: dict[str, str]) -> pd.Series:
    """The place name of each id (missing for an empty or unknown id), as a category column when the ids are."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        mapped = [names.get(str(c)) for c in ids.cat.categories]
        uniq = sorted({m for m in mapped if m})
        pos = {n: i for i, n in enumerate(uniq)}
        remap = np.array([pos[m] if m else -1 for m in mapped] + [-1], dtype=np.int32)  # code -1 -> last: -1
        codes = remap[ids.cat.codes.to_numpy()]
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniq, dtype="string")),
                         index=ids.index)
    return ids.astype("string").map(names).astype("string")


def place_names(data) -> dict[str, str]:
    places = data.table("places")
    if places.empty or "name" not in places.columns:
        return {}
    return {str(i): str(n) for i, n in zip(places["place_id"], places["name"]) if pd.notna(i) and pd.notna(n)}


_served: dict[tuple[str, str], pd.DataFrame] = {}
_served_lock = threading.Lock()


def served(data, table: str) -> pd.DataFrame:
    """The served table of a release (cached per release; one release kept). Do not mutate."""
    key = (data.key, table)
    with _served_lock:
        df = _served.get(key)
        if df is not None:
            return df
    df = data.table(table)
    names = name_columns(table)
    if names and not df.empty:
        lookup = place_names(data)
        df = df.copy(deep=False)
        for id_col, name_col in names.items():
            if id_col in df.columns:
                df.insert(df.columns.get_loc(id_col) + 1, name_col, name_column(df[id_col], lookup))
    with _served_lock:
        if any(k[0] != data.key for k in _served):
            _served.clear()
        _served[key] = df
    return df


# ------------------------------------------------------------------ writers


def _take(df: pd.DataFrame, positions: np.ndarray | None, start: int, stop: int) -> pd.DataFrame:
    idx = np.arange(start, stop) if positions is None else positions[start:stop]
    return df.iloc[idx]


def _count(df: pd.DataFrame, positions: np.ndarray | None) -> int:
    return len(df) if positions is None else len(positions)


def chunks(df: pd.DataFrame, positions: np.ndarray | None, size: int = CHUNK_ROWS):
    """The selected rows in order, `size` rows at a time (at least one, possibly empty, frame)."""
    n = _count(df, positions)
    if n == 0:
        yield df.iloc[0:0]
        return
    for start in range(0, n, size):
        yield _take(df, positions, start, min(start + size, n))


def arrow_of(chunk: pd.DataFrame, *, text: bool = False) -> pa.Table:
    """A chunk as an Arrow table; with `text`, dates as dates (not timestamps) and categories as plain strings,
    as the release's own CSV writes them."""
    table = pa.Table.from_pandas(chunk.reset_index(drop=True), preserve_index=False)
    cols = []
    fields = []
    for f in table.schema:
        col = table.column(f.name)
        if pa.types.is_dictionary(f.type):
            col = col.cast(f.type.value_type)
        if text and pa.types.is_timestamp(col.type):
            col = col.cast(pa.date32())
        if pa.types.is_large_string(col.type) or pa.types.is_string_view(col.type):
            col = col.cast(pa.string())
        cols.append(col)
        fields.append(pa.field(f.name, col.type))
    return pa.Table.from_arrays(cols, schema=pa.schema(fields))


def csv_stream(df: pd.DataFrame, positions: np.ndarray | None):
    """CSV bytes, chunk by chunk: UTF-8, a header row, ISO dates, empty for missing (as the release's CSV)."""
    first = True
    for chunk in chunks(df, positions):
        buf = io.BytesIO()
        pacsv.write_csv(arrow_of(chunk, text=True), buf, write_options=pacsv.WriteOptions(include_header=first))
        first = False
        yield buf.getvalue()


def _json_ready(chunk: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for c in chunk.columns:
        s = chunk[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[c] = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
        elif isinstance(s.dtype, pd.CategoricalDtype):
            out[c] = s.astype(object).where(s.notna(), None)
        else:
            out[c] = s
    return pd.DataFrame(out, index=chunk.index)


def json_stream(df: pd.DataFrame, positions: np.ndarray | None):
    """A JSON array of row objects (column -> value; null for missing; dates YYYY-MM-DD), chunk by chunk."""
    yield b"["
    first = True
    for chunk in chunks(df, positions):
        if chunk.empty:
            continue
        text = _json_ready(chunk).to_json(orient="records", force_ascii=False)
        body = text[1:-1]  # without the chunk's own [ ]
        yield (body if first else "," + body).encode("utf-8")
        first = False
    yield b"]"


def parquet_bytes(df: pd.DataFrame, positions: np.ndarray | None) -> bytes:
    """Parquet (zstd), one row group per chunk; the column types of the release's Parquet."""
    buf = io.BytesIO()
    writer = None
    for chunk in chunks(df, positions):
        table = arrow_of(chunk)
        if writer is None:
            writer = pq.ParquetWriter(buf, table.schema, compression="zstd")
        writer.write_table(table.cast(writer.schema))
    writer.close()
    return buf.getvalue()


def _cell_value(v):
    """A value as openpyxl writes it: numbers and dates as such, text as text, missing as an empty cell."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date() if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else v.to_pydatetime()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    return v


def xlsx_file(df: pd.DataFrame, positions: np.ndarray | None, sources: list[dict], about: list[tuple[str, str]]):
    """An XLSX workbook in a temporary file (the caller closes it): sheet 'rows' with the selected rows,
    sheet 'sources' with the sources of those rows, sheet 'about' with what was asked for.
    Text is always written as text (never a formula), control characters removed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    n = _count(df, positions)
    if n > XLSX_MAX_ROWS:
        raise ValueError(f"{n:,} rows")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("rows")

    def text_cell(sheet, value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):  # openpyxl would store it as a formula
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    ws.append([str(c) for c in df.columns])
    date_cols = [i for i, c in enumerate(df.columns) if pd.api.types.is_datetime64_any_dtype(df[c].dtype)]
    for chunk in chunks(df, positions):
        for rec in chunk.itertuples(index=False, name=None):
            row = []
            for i, v in enumerate(rec):
                v = _cell_value(v)
                if isinstance(v, str):
                    v = text_cell(ws, v)
                elif i in date_cols and v is not None:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = "yyyy-mm-dd"
                    v = cell
                row.append(v)
            ws.append(row)
    src = wb.create_sheet("sources")
    heads = ["source_id", "publisher", "title", "url", "licence", "retrieved_at"]
    src.append(heads)
    for s in sources:
        src.append([text_cell(src, str(s.get(h) or "")) for h in heads])
    ab = wb.create_sheet("about")
    for k, v in about:
        ab.append([text_cell(ab, str(k)), text_cell(ab, str(v))])
    out = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(out)
    out.seek(0)
    return out


def sources_of(data, df: pd.DataFrame, positions: np.ndarray | None) -> list[dict]:
    """The sources (publisher, title, URL, licence, retrieved at) of the selected rows, from the release manifest."""
    if "source_id" not in df.columns:
        return []
    ids = df["source_id"] if positions is None else df["source_id"].iloc[positions]
    used = sorted({str(s) for s in pd.unique(ids.dropna())})
    manifest = data.sources()
    out = []
    for sid in used:
        e = manifest.get(sid, {}) or {}
        out.append({"source_id": sid, "publisher": e.get("publisher") or "", "title": e.get("title") or "",
                    "url": e.get("landing_page") or e.get("url") or "", "licence": e.get("licence") or "",
                    "retrieved_at": e.get("retrieved_at") or ""})
    return out


# ------------------------------------------------------------------ addresses


def href(table: str, fmt: str) -> str:
    """The whole served table (every row, with place names)."""
    return f"/download/{table}.{fmt}"


def filename(release_id: str, table: str, fmt: str, *, selected: bool = False) -> str:
    return f"borderstats-{release_id}-{table}{'-selected' if selected else ''}.{fmt}"


def parse_name(name: str) -> tuple[str, str] | None:
    """'encounters.csv' -> ('encounters', 'csv'); None for anything that is not a known table and format."""
    table, dot, fmt = str(name).rpartition(".")
    if not dot or table not in data_access.TABLES or fmt not in WHOLE_FORMATS:
        return None
    return table, fmt


def register(server) -> None:
    """Add /download/<table>.<csv|parquet> (the whole served table) and the data API (idempotent)."""
    from . import api

    api.register(server)
    if ENDPOINT in server.view_functions:
        return

    def download(name: str):
        parsed = parse_name(name)
        if parsed is None:
            return api.error(404, "no such download: /download/<table>.csv or .parquet, tables: "
                             + ", ".join(data_access.TABLES))
        table, fmt = parsed
        return api.respond(table, fmt, {}, whole=True)

    server.add_url_rule("/download/<path:name>", ENDPOINT, download, methods=["GET", "HEAD"])

