"""Table downloads: the release's tables with place names beside their ids, written as CSV, JSON,
Parquet or XLSX, whole or as the rows a query selects (dashboard/api.py holds the query and the routes,
/download/<table>.<csv|parquet> and /api/v1/...).

What is served is the "served table": the release table as published, with a name column inserted
right after each place id column (``place_name`` after ``place_id``, ``nearest_place_name`` after
``nearest_place_id``), read from the release's own places table. The places table already has its
``name``; tables with ``area_id`` carry the publisher's ``area_name`` already. The Data page browses the
same served table, so a page filter on ``place_name`` and the download agree.

Memory is bounded: CSV, JSON and XLSX are streamed in chunks of rows (XLSX as a zip written on the fly);
Parquet is written one row group per chunk into memory (the compressed file: under 1 MB for the 927,000-row
crime_victims table).
"""
from __future__ import annotations

import io
import math
import re
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


# ------------------------------------------------------------------ XLSX (SpreadsheetML, written as a stream)

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's 1900 date system (as Excel counts, after 1900-02-28)
_EXCEL_TEXT_MAX = 32_767  # characters of one cell
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XLSX_SHEETS = ("rows", "sources", "about")
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, len(_XLSX_SHEETS) + 1))
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        "<sheets>" + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>'
                             for i, n in enumerate(_XLSX_SHEETS, start=1)) + "</sheets></workbook>"),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(_XLSX_SHEETS) + 1))
        + f'<Relationship Id="rId{len(_XLSX_SHEETS) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"),
    # cell styles: 0 plain, 1 date (yyyy-mm-dd), 2 bold (the header row)
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}


def _letter(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _text_cell(value, style: str = "") -> str:
    """The XML after '<c r="A1"' of a text cell: an inline string, so it is text and never a formula or number."""
    text = _XML_BAD.sub("", str(value))[:_EXCEL_TEXT_MAX]
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_tails(s: pd.Series) -> list[str]:
    """Each cell of a column as the XML after '<c r="A1"'; '' for a missing value (no cell)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        frags = np.array([_text_cell(c) for c in s.cat.categories] + [""], dtype=object)
        return frags[s.cat.codes.to_numpy()].tolist()  # code -1 (missing) -> the last, ''
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        days = ((s - _EXCEL_EPOCH) / pd.Timedelta(days=1)).tolist()
        return ["" if pd.isna(d) else f' s="1"><v>{d:.15g}</v></c>' for d in days]
    values = s.astype(object).tolist()
    if pd.api.types.is_bool_dtype(s.dtype):
        return ["" if pd.isna(v) else f' t="b"><v>{int(bool(v))}</v></c>' for v in values]
    if pd.api.types.is_integer_dtype(s.dtype):
        return ["" if pd.isna(v) else f"><v>{int(v)}</v></c>" for v in values]
    if pd.api.types.is_numeric_dtype(s.dtype):
        return ["" if pd.isna(v) or not math.isfinite(float(v)) else f"><v>{float(v)!r}</v></c>" for v in values]
    return ["" if v is None or pd.isna(v) else _text_cell(v) for v in values]


def _sheet_head(widths: list[int], frozen: bool) -> str:
    pane = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>') if frozen else ""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">{pane}'
            + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")


def _rows_xml(tail_columns: list[list[str]], first_row: int) -> str:
    letters = [_letter(i) for i in range(len(tail_columns))]
    out = []
    for r, row in enumerate(zip(*tail_columns), start=first_row):
        out.append(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"{t}' for c, t in zip(letters, row) if t) + "</row>")
    return "".join(out)


def _text_sheet(rows: list[list[str]], bold_first: bool) -> str:
    widths = [min(60, max([len(str(r[i])) for r in rows if i < len(r)] + [8]) + 2) for i in range(max(map(len, rows)))]
    body = []
    for n, row in enumerate(rows, start=1):
        style = ' s="2"' if bold_first and n == 1 else ""
        body.append(f'<row r="{n}">' + "".join(f'<c r="{_letter(i)}{n}"{_text_cell(v, style)}'
                                               for i, v in enumerate(row) if str(v) != "") + "</row>")
    return _sheet_head(widths, bold_first) + "".join(body) + "</sheetData></worksheet>"


class _Sink:
    """A write-only, unseekable file: zipfile writes into it, the generator hands the bytes on."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, b) -> int:
        self.parts.append(bytes(b))
        self.size += len(b)
        return len(b)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def xlsx_stream(df: pd.DataFrame, positions: np.ndarray | None, sources: list[dict],
                about: list[tuple[str, str]]):
    """An XLSX workbook as a stream of bytes, chunk by chunk: sheet 'rows' (the selected rows under a bold,
    frozen header; numbers as numbers, dates as Excel dates shown yyyy-mm-dd, text as inline strings so an id
    like a zero-padded INEGI code keeps its zero and '=…' is never a formula), sheet 'sources' (the sources of those rows) and
    sheet 'about' (what was asked for). At most XLSX_MAX_ROWS rows. Memory holds one chunk of rows at a time
    (about 1 s per 50,000 rows of 11 columns here; the XML libraries took 13 times as long)."""
    import zipfile

    n = _count(df, positions)
    if n > XLSX_MAX_ROWS:
        raise ValueError(f"{n:,} rows: more than an Excel sheet holds")
    sink = _Sink()
    zf = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    for name, text in _XLSX_PARTS.items():
        zf.writestr(name, text)
    yield sink.take()
    widths = [min(40, max(10, len(str(c)) + 2)) for c in df.columns]
    big = n * max(1, len(df.columns)) * 120 > 1_500_000_000  # zip64 only where the sheet could pass 2 GB
    with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=big) as sheet:
        bold = ' s="2"'
        header = "".join(f'<c r="{_letter(i)}1"{_text_cell(c, bold)}' for i, c in enumerate(df.columns))
        sheet.write((_sheet_head(widths, True) + f'<row r="1">{header}</row>').encode("utf-8"))
        row = 2
        for chunk in chunks(df, positions):
            if len(chunk):
                sheet.write(_rows_xml([_cell_tails(chunk[c]) for c in chunk.columns], row).encode("utf-8"))
                row += len(chunk)
            if sink.size:
                yield sink.take()
        sheet.write(b"</sheetData></worksheet>")
    heads = ["source_id", "publisher", "title", "url", "licence", "retrieved_at"]
    zf.writestr("xl/worksheets/sheet2.xml",
                _text_sheet([heads] + [[str(s.get(h) or "") for h in heads] for s in sources], True))
    zf.writestr("xl/worksheets/sheet3.xml", _text_sheet([["about", "value"]] + [[str(k), str(v)] for k, v in about],
                                                        True))
    zf.close()
    yield sink.take()


def xlsx_file(df: pd.DataFrame, positions: np.ndarray | None, sources: list[dict], about: list[tuple[str, str]]):
    """The same workbook in memory, as a file object (for tests and small selections)."""
    return io.BytesIO(b"".join(xlsx_stream(df, positions, sources, about)))


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
