"""DHS OHSS Key Homeland Security Metrics workbook, CBP Encounters (USBP), to ``encounters``.

The workbook (``KHSM Encounters (USBP) fyYYmMM.xlsx``) has 16 sheets, each one
table with a header row: Annual / Monthly Count, Citizenship, Region, Family Status,
Sector, and Region crossed with Citizenship, Family Status and Sector. This adapter
ingests ``Monthly Sector`` (dataset ``ohss_usbp_monthly_sector``): columns
``Fiscal\\nYear`` (a newline inside the header cell), ``Month`` (``01 October``: the
month's number within the fiscal year, then its name), ``Sector`` (``Big Bend, TX``)
and ``Quantity``. component = "U.S. Border Patrol", area_id = the sector's place id,
area_name as published, other dimensions "".

Quirks: OHSS rounds every value to the nearest 10 (is_rounded = True) and leaves out
sector-months that round to zero, so small sectors (Livermore, Houlton, Havre...) have
gaps; the file name's fiscal month (``fy25m11``) is the publication month, not the last
data month. The header row is found by its content, not its position.

Check: the sum of the sectors of each month must equal the national total of sheet
``Monthly Count`` within the rounding tolerance (each of n sector values and the total
is off by at most 5, so 5 x (n + 1)); a month beyond it is an error naming the
``Monthly Count`` row. The largest difference found is reported as a note.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..errors import SourceError, more_such
from ..periods import parse_fiscal_months
from ..readers import LINE, check_data_not_html, norm_header, required_text, to_number
from . import Context, Parsed
from .cbp_encounters import encounters_frame, resolve_areas

DATASET = "ohss_usbp_monthly_sector"
SECTOR_SHEET = "Monthly Sector"
TOTAL_SHEET = "Monthly Count"
ROUNDING = 10
_HEADER_SCAN = 30  # rows searched for the header row

_COLUMNS = {"fiscal_year": "fiscal year", "month": "month", "sector": "sector", "count": "quantity"}


def parse(path: Path, ctx: Context) -> list[Parsed]:
    path = Path(path)
    with _open_workbook(path) as book:
        with _in_sheet(SECTOR_SHEET):
            frame, notes = _sector_sheet(path, book, ctx)
        with _in_sheet(TOTAL_SHEET):
            notes.append(_check_totals(path, book, frame))
    return [Parsed("encounters", DATASET, frame, tuple(notes))]


def _sector_sheet(path: Path, book: pd.ExcelFile, ctx: Context) -> tuple[pd.DataFrame, list[str]]:
    sector = _read_sheet(path, book, SECTOR_SHEET, ["fiscal_year", "month", "sector", "count"])
    lines = sector[LINE]
    out = pd.DataFrame({"dataset": DATASET, "component": "U.S. Border Patrol"}, index=sector.index)
    out["month"], out["fiscal_year"] = _months(sector)
    out["area_name"] = required_text(sector["sector"], column="Sector", lines=lines)
    out["area_id"] = resolve_areas(ctx.gazetteer, out["area_name"], kinds=("sector",), column="Sector", lines=lines)
    out["count"] = to_number(sector["count"], column="Quantity", lines=lines)
    out["is_rounded"] = True
    out[LINE] = lines
    notes = [
        f"{len(out)} sector-months, {out['month'].min():%b %Y} to {out['month'].max():%b %Y}",
        f"OHSS rounds values to the nearest {ROUNDING}; sector-months that round to zero are not published",
    ]
    unrounded = int((out["count"] % ROUNDING != 0).sum())
    if unrounded:
        notes.append(f"{unrounded} value(s) are not multiples of {ROUNDING}: check whether OHSS changed its rounding")
    return encounters_frame(out), notes


@contextmanager
def _in_sheet(sheet: str):
    """Errors raised while reading a sheet name it (their line is the sheet's row)."""
    try:
        yield
    except SourceError as exc:
        if not exc.message.startswith("sheet "):
            exc.message = f"sheet {sheet!r}: {exc.message}"
            exc.args = (str(exc),)
        raise


def _open_workbook(path: Path) -> pd.ExcelFile:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise SourceError("file not found", file=path) from None
    if not head.strip():
        raise SourceError("file is empty", file=path)
    check_data_not_html(head, path)
    if not head.startswith(b"PK\x03\x04"):
        raise SourceError("not an .xlsx workbook (no zip signature)", file=path, line=1)
    try:
        return pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # noqa: BLE001 (zipfile, calamine and pandas raise unrelated types)
        raise SourceError(f"unreadable workbook, truncated or corrupt ({str(exc)[:120]})", file=path) from None


def _read_sheet(path: Path, book: pd.ExcelFile, sheet: str, wanted: list[str]) -> pd.DataFrame:
    """The sheet's table below its header row; ``_line`` is the 1-based sheet row."""
    if sheet not in book.sheet_names:
        raise SourceError(f"sheet {sheet!r} is missing; sheets present: {', '.join(book.sheet_names)}", file=path)
    try:
        grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001 (calamine's errors have no common base)
        raise SourceError(f"sheet {sheet!r} is unreadable ({str(exc)[:120]})", file=path) from None
    keys = {canonical: _COLUMNS[canonical] for canonical in wanted}
    header_row = None
    for i in range(min(_HEADER_SCAN, len(grid))):
        cells = [norm_header(v) for v in grid.iloc[i] if pd.notna(v)]
        if keys["fiscal_year"] in cells:
            header_row = i
            break
    if header_row is None:
        raise SourceError(f"sheet {sheet!r}: no header row with a 'Fiscal Year' cell in its first {_HEADER_SCAN} rows",
                          file=path, column="Fiscal Year")
    headers = [norm_header(v) if pd.notna(v) else "" for v in grid.iloc[header_row]]
    missing = [k.title() for k in keys.values() if k not in headers]
    unexpected = [h for h in headers if h and h not in keys.values()]
    if missing or unexpected:
        detail = f"missing column(s): {', '.join(missing)}" if missing else ""
        if unexpected:
            detail += ("; " if detail else "") + f"unexpected column(s): {', '.join(unexpected)}"
        raise SourceError(f"sheet {sheet!r}: unknown layout; {detail}", file=path, line=header_row + 1,
                          column=(missing or unexpected)[0])
    body = grid.iloc[header_row + 1:, [headers.index(k) for k in keys.values()]]
    body.columns = list(keys)
    body = body[body.notna().any(axis=1)]  # trailing blank rows
    if body.empty:
        raise SourceError(f"sheet {sheet!r} has a header but no data rows", file=path, line=header_row + 2)
    body = body.map(_cell_text)
    body[LINE] = body.index + 1
    return body.reset_index(drop=True)


def _cell_text(value: object) -> str:
    """Cells as text: 2000.0 -> '2000', NaN -> ''."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _months(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Calendar month and fiscal year; the month's number within the fiscal year must match its name."""
    lines = df[LINE]
    months, fy = parse_fiscal_months(df["fiscal_year"], df["month"], lines=lines,
                                     fy_column="Fiscal Year", month_column="Month")
    number = pd.to_numeric(df["month"].str.extract(r"^\s*(\d{1,2})\s", expand=False), errors="coerce")
    expected = (months.dt.month - 10) % 12 + 1
    wrong = number.notna() & (number != expected)
    if wrong.any():
        idx = wrong[wrong].index[0]
        raise SourceError(f"month label {df.at[idx, 'month']!r} numbers the wrong fiscal month "
                          f"(expected {expected[idx]:02d})", line=int(lines[idx]), column="Month")
    return months, fy


def _check_totals(path: Path, book: pd.ExcelFile, frame: pd.DataFrame) -> str:
    if TOTAL_SHEET not in book.sheet_names:
        return f"no {TOTAL_SHEET!r} sheet: sector sums not checked against national totals"
    total = _read_sheet(path, book, TOTAL_SHEET, ["fiscal_year", "month", "count"])
    total["month_start"], _ = _months(total)
    total["total"] = to_number(total["count"], column="Quantity", lines=total[LINE])
    parts = frame.groupby("month").agg(parts=("count", "sum"), n=("count", "size"))
    merged = total.join(parts, on="month_start")
    merged["n"] = merged["n"].fillna(0).astype(int)
    merged["parts"] = merged["parts"].fillna(0).astype("int64")
    merged["diff"] = (merged["parts"] - merged["total"]).abs().astype("int64")
    tolerance = ROUNDING // 2 * (merged["n"] + 1)
    bad = merged[merged["diff"] > tolerance]
    if not bad.empty:
        row = bad.iloc[0]
        raise SourceError(
            f"sheet {TOTAL_SHEET!r}: total {row['total']} for {row['month_start']:%B %Y} differs from the sum of "
            f"its {row['n']} sectors in {SECTOR_SHEET!r} ({row['parts']}) by {row['diff']}, more than rounding "
            f"allows ({tolerance[bad.index[0]]})"
            + more_such(len(bad), "months"),
            file=path, line=int(row[LINE]), column="Quantity",
        )
    unmatched = sorted(set(parts.index) - set(merged["month_start"]))
    worst = merged.loc[merged["diff"].idxmax()]
    note = (f"sector sums match {TOTAL_SHEET!r} within rounding for {len(merged)} months; largest difference "
            f"{worst['diff']} ({worst['month_start']:%B %Y}, {worst['n']} sectors)")
    if unmatched:
        note += f"; {len(unmatched)} month(s) have no national total: {', '.join(f'{m:%b %Y}' for m in unmatched[:5])}"
    return note
