"""Robust readers for publishers' files: the quirks every adapter shares.

Everything here is pure (bytes or a path in, a frame out) and raises
:class:`~etl.errors.SourceError` naming the file, line and column of the problem.

Handled: gzip / bzip2 / zip compression (by magic bytes, not by name), UTF-8 with
or without a byte-order mark, UTF-16 with a BOM, Windows-1252, CRLF line ends,
comma / pipe / semicolon / tab delimiters, headers with embedded newlines or odd
spacing, columns in any order, thousands separators in counts, and an HTML page
served where a data file was expected.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import SourceError, first_bad, more_such

LINE = "_line"  # the 1-based line (record) number of each row in its file, header = 1

_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)


# --------------------------------------------------------------------------- bytes


def read_bytes(path: str | Path) -> bytes:
    """Return the file's content, decompressed when it is gzip, bzip2 or a one-member zip."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", file=path) from None
    return decompress(data, path)


def decompress(data: bytes, path: str | Path = "") -> bytes:
    try:
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
        if data[:3] == b"BZh":
            return bz2.decompress(data)
        if data[:4] == b"PK\x03\x04" and not _is_xlsx(data):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = [n for n in zf.namelist() if not n.endswith("/")]
                if len(names) != 1:
                    raise SourceError(f"zip archive holds {len(names)} files, expected one", file=path)
                return zf.read(names[0])
    except (EOFError, OSError, zlib.error, zipfile.BadZipFile, ValueError) as exc:
        raise SourceError(f"compressed file is truncated or corrupt ({exc})", file=path) from None
    return data


def _is_xlsx(data: bytes) -> bool:
    return b"[Content_Types].xml" in data[:2000] or b"xl/" in data[:2000]


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:512]))


def check_data_not_html(data: bytes, path: str | Path = "") -> None:
    if looks_like_html(data):
        title = re.search(rb"<title[^>]*>(.*?)</title>", data[:4096], re.I | re.S)
        hint = f" (page title: {title.group(1).decode('utf-8', 'replace').strip()[:80]!r})" if title else ""
        raise SourceError(
            "got an HTML page where a data file was expected: the publisher served an error or "
            f"landing page{hint}",
            file=path,
            line=1,
        )


def decode(data: bytes, path: str | Path = "") -> tuple[str, str]:
    """Decode text, returning (text, encoding). UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceError(f"invalid UTF-16 text ({exc.reason})", file=path) from None
    else:
        enc = "utf-8"
    if b"\x00" in data[:65536]:
        raise SourceError(
            "file contains NUL bytes: it is binary or UTF-16 without a byte-order mark, not a text CSV",
            file=path,
        )
    try:
        return data.decode("utf-8"), enc
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"text is neither UTF-8 nor Windows-1252 (byte 0x{data[exc.start]:02x})", file=path, line=line
        ) from None


def norm_header(name: object) -> str:
    """Header key: newlines and runs of spaces folded, BOM stripped, case folded."""
    text = str(name).replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def ascii_fold(text: str) -> str:
    """'Ciudad Juárez' -> 'ciudad juarez': accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip().casefold()


# --------------------------------------------------------------------------- CSV


def sniff_delimiter(header_line: str) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in (",", "|", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, delim: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            n += 1
    return n


def _first_record_text(text: str, limit: int = 65536) -> str:
    """The text of the first record: up to the first line break outside quotes."""
    quoted = False
    for i, ch in enumerate(text[:limit]):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[:i]
    return text[:limit]


def _first_record(text: str, delimiter: str) -> list[str]:
    """The header fields (quoted newlines allowed)."""
    reader = csv.reader(io.StringIO(_first_record_text(text)), delimiter=delimiter)
    try:
        return next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        raise SourceError(f"unreadable header ({exc})", line=1) from None


def read_delimited(path: str | Path, *, data: bytes | None = None) -> pd.DataFrame:
    """Read a delimited text file into a frame of strings with normalised header names.

    Adds :data:`LINE`, the line (record) number of each row. Rows with too few or too
    many fields, a file cut mid-line, an empty file and an HTML page are errors.
    """
    path = Path(path)
    raw = read_bytes(path) if data is None else decompress(data, path)
    if not raw.strip():
        raise SourceError("file is empty", file=path)
    check_data_not_html(raw, path)
    text, encoding = decode(raw, path)
    delimiter = sniff_delimiter(_first_record_text(text))
    header = _first_record(text, delimiter)
    if not any(h.strip() for h in header):
        raise SourceError("no header row", file=path, line=1)
    if not text.endswith(("\n", "\r")):
        raise SourceError(
            "file ends in the middle of a line (no final line break): the download was cut short",
            file=path,
            line=text.count("\n") + 1,
        )
    body = raw if encoding == "utf-8" else text.encode("utf-8")
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    del text
    names = [f"__col{i}" for i in range(len(header))]
    table = _arrow_read(body, names, delimiter, path, use_threads=True)
    df = table.to_pandas()
    del table
    keys = [norm_header(h) for h in header]
    dupes = sorted({k for k in keys if keys.count(k) > 1 and k})
    if dupes:
        raise SourceError(f"duplicate column names: {', '.join(dupes)}", file=path, line=1)
    df.columns = keys
    df = df.iloc[1:].reset_index(drop=True)  # the header record was read as data
    if df.empty:
        raise SourceError("file has a header but no data rows", file=path, line=2)
    df[LINE] = pd.RangeIndex(2, len(df) + 2)
    df.attrs["encoding"] = encoding
    df.attrs["delimiter"] = delimiter
    return df


def _arrow_read(body: bytes, names: list[str], delimiter: str, path: Path, *, use_threads: bool) -> pa.Table:
    bad: list[tuple[int | None, int, int]] = []

    def on_invalid(row) -> str:
        bad.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=use_threads, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        raise SourceError(f"malformed CSV ({str(exc).splitlines()[0][:200]})", file=path) from None
    if bad:
        if bad[0][0] is None and use_threads:
            return _arrow_read(body, names, delimiter, path, use_threads=False)
        number, expected, actual = bad[0]
        more = more_such(len(bad), "rows")
        raise SourceError(
            f"row has {actual} fields, expected {expected}{more}: the file is truncated or malformed",
            file=path,
            line=number,
        )
    return table


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """A publisher's file layout: canonical column -> accepted header spellings."""

    name: str
    columns: Mapping[str, Sequence[str]]
    optional: Mapping[str, Sequence[str]] = field(default_factory=dict)
    ignore: Sequence[str] = ()  # headers known and dropped (e.g. personal data, derived columns)

    def keys(self, canonical: str) -> list[str]:
        spellings = self.columns.get(canonical) or self.optional.get(canonical) or ()
        return [norm_header(s) for s in (canonical, *spellings)]

    def required_keys(self) -> dict[str, list[str]]:
        return {c: self.keys(c) for c in self.columns}

    def match(self, headers: Iterable[str]) -> tuple[list[str], list[str]]:
        """(missing canonical columns, unexpected headers) for these headers."""
        present = set(headers) - {LINE}
        known: set[str] = {norm_header(h) for h in self.ignore}
        missing = []
        for canonical in self.columns:
            keys = self.keys(canonical)
            known.update(keys)
            if not present.intersection(keys):
                missing.append(canonical)
        for canonical in self.optional:
            known.update(self.keys(canonical))
        unexpected = sorted(present - known)
        return missing, unexpected


def pick_layout(df: pd.DataFrame, layouts: Sequence[Layout], path: str | Path, *, strict: bool = False) -> Layout:
    """The first layout whose required columns are all present; else an error naming the gaps.

    With ``strict``, a layout matches only when the file also has no unexpected column:
    an extra column is an error naming it, because it may be a new dimension whose rows
    would collide.
    """
    headers = [c for c in df.columns if c != LINE]
    scored = []
    complete = None  # (layout, unexpected) of the first layout with every required column
    for layout in layouts:
        missing, unexpected = layout.match(headers)
        if not missing and not (strict and unexpected):
            return layout
        if not missing and complete is None:
            complete = (layout, unexpected)
        scored.append((len(missing) + len(unexpected), layout, missing, unexpected))
    if complete is not None:  # strict: every required column is there, but so is an unknown one
        layout, unexpected = complete
        raise SourceError(
            f"unknown file layout (closest: {layout.name}); unexpected column(s): {', '.join(unexpected)}",
            file=path,
            line=1,
            column=unexpected[0],
        )
    _, layout, missing, unexpected = min(scored, key=lambda t: t[0])
    detail = f"missing column(s): {', '.join(missing)}"
    if unexpected:
        detail += f"; unexpected column(s): {', '.join(unexpected)}"
    raise SourceError(
        f"unknown file layout (closest: {layout.name}); {detail}",
        file=path,
        line=1,
        column=missing[0] if missing else None,
    )


def select(df: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """Keep the layout's columns, renamed to canonical names; optional ones absent become ''."""
    out = {}
    for canonical in list(layout.columns) + list(layout.optional):
        key = next((k for k in layout.keys(canonical) if k in df.columns), None)
        if key is None:
            if canonical in layout.columns:
                raise SourceError(f"missing column {canonical!r}", column=canonical)
            out[canonical] = pd.Series("", index=df.index, dtype=object)
        else:
            out[canonical] = df[key]
    out[LINE] = df[LINE] if LINE in df.columns else pd.RangeIndex(2, len(df) + 2)
    return pd.DataFrame(out, index=df.index)


def header_names(df: pd.DataFrame, layout: Layout) -> dict[str, str]:
    """The file's own (normalised) header of each layout column, so errors name the column as published."""
    out = {}
    for canonical in (*layout.columns, *layout.optional):
        out[canonical] = next((k for k in layout.keys(canonical) if k in df.columns), canonical)
    return out


def read_layout(
    path: str | Path, layouts: Sequence[Layout], *, strict: bool = False
) -> tuple[Layout, pd.DataFrame, dict[str, str]]:
    """Read a delimited file and recognise its layout: (layout, its rows, header names).

    The rows are :func:`select`'s (canonical columns and :data:`LINE`); the header names are
    :func:`header_names`'. ``strict`` is :func:`pick_layout`'s.
    """
    df = read_delimited(path)
    layout = pick_layout(df, layouts, path, strict=strict)
    header = header_names(df, layout)
    return layout, select(df, layout), header


# --------------------------------------------------------------------------- values

_THOUSANDS = re.compile(r"[,\s\u00a0\u202f']")


def to_number(
    values: pd.Series,
    *,
    column: str,
    lines: pd.Series | None = None,
    integer: bool = True,
    allow_missing: bool = False,
    allow_negative: bool = False,
) -> pd.Series:
    """Parse counts such as '1,234' or ' 12 '; an unparseable, missing or negative value is an error."""
    text = values.astype("string").str.strip()
    cleaned = text.str.replace(_THOUSANDS, "", regex=True)
    numbers = pd.to_numeric(cleaned.replace("", pd.NA), errors="coerce")
    empty = cleaned.isna() | (cleaned == "")
    bad = numbers.isna() & ~empty
    if bad.any():
        _raise_at(values, bad, lines, column, "is not a number")
    if not allow_missing and empty.any():
        _raise_at(values, empty, lines, column, "is empty")
    if integer:
        frac = numbers.notna() & (numbers % 1 != 0)
        if frac.any():
            _raise_at(values, frac, lines, column, "is not a whole number")
    if not allow_negative:
        neg = numbers < 0
        if neg.fillna(False).any():
            _raise_at(values, neg.fillna(False), lines, column, "is negative")
    if integer:
        return numbers.astype("Int64")
    return numbers.astype("Float64")


def _raise_at(values: pd.Series, mask: pd.Series, lines: pd.Series | None, column: str, what: str) -> None:
    idx, more = first_bad(mask)
    line = int(lines.loc[idx]) if lines is not None else None
    raise SourceError(f"value {str(values.loc[idx])[:40]!r} {what}{more}", line=line, column=column)


def required_text(values: pd.Series, *, column: str, lines: pd.Series | None = None) -> pd.Series:
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        _raise_at(values, empty, lines, column, "is empty")
    return text
