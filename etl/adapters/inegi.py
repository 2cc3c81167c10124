"""INEGI homicides by municipality or state and month (Gargiulo, Aburto & Floridi's compilation
of INEGI death certificates, github.com/thegargiulian/mexico-homicide-rates).

Two pipe-delimited layouts (the municipal one usually gzipped):

* ``ent_mun|year|month|homicides|pop_est|homicide_rate`` -> dataset ``inegi_municipal_month``
* ``cve_ent|year|month|homicides|pop_est|homicide_rate`` -> dataset ``inegi_state_month``

``pop_est`` and ``homicide_rate`` are dropped: the compilation's population interpolation has
a known flaw, population comes from CONAPO (``conapo_population``).

Codes that lost their leading zero in a spreadsheet ("2004") are zero-padded; a code that is
not an INEGI code (state part 01-32, municipality part 001-999) is an error naming the line.

This module also holds small vectorised helpers shared by the Mexican adapters (CONAPO,
SESNSP) and the death adapters: every check runs once per distinct value, not per row.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import SourceError
from ..readers import LINE, Layout, pick_layout, read_delimited, select, to_number
from ..schema import conform
from . import Context, Parsed

MUNICIPAL = Layout(
    "inegi_municipal_month",
    columns={
        "code": ["ent_mun", "cve_geo", "cve_mun_inegi"],
        "year": ["anio", "año"],
        "month": ["mes"],
        "homicides": ["homicidios"],
    },
    ignore=["pop_est", "homicide_rate"],
)
STATE = Layout(
    "inegi_state_month",
    columns={
        "code": ["cve_ent"],
        "year": ["anio", "año"],
        "month": ["mes"],
        "homicides": ["homicidios"],
    },
    ignore=["pop_est", "homicide_rate"],
)
LAYOUTS = (MUNICIPAL, STATE)


def parse(path: Path, ctx: Context) -> list[Parsed]:
    df = read_delimited(path)
    layout = pick_layout(df, LAYOUTS, path)
    header = header_names(df, layout)
    rows = select(df, layout)
    del df
    lines = rows[LINE]
    digits = 5 if layout is MUNICIPAL else 2
    place = inegi_codes(rows["code"], digits=digits, column=header["code"], lines=lines)
    month = month_starts(rows["year"], rows["month"], lines=lines,
                         year_column=header["year"], month_column=header["month"])
    count = numbers(rows["homicides"], column=header["homicides"], lines=lines)
    out = pd.DataFrame(
        {"dataset": layout.name, "place_id": place, "month": month, "count": count, LINE: lines},
        index=rows.index,
    )
    check_duplicates(out, ["place_id", "month"], what="place and month")
    return [Parsed("homicides", layout.name, conform(out, "homicides"))]


def header_names(df: pd.DataFrame, layout: Layout) -> dict[str, str]:
    """The file's own (normalised) header of each layout column, so errors name the column as published."""
    out = {}
    for canonical in (*layout.columns, *layout.optional):
        out[canonical] = next((k for k in layout.keys(canonical) if k in df.columns), canonical)
    return out


# --------------------------------------------------------------------------- shared helpers


def by_value(values: pd.Series, lines: pd.Series | None) -> tuple[np.ndarray, pd.Series, pd.Series | None]:
    """(codes, distinct values, line of the first row holding each) for a column.

    Lets a check or conversion run once per distinct value and report the first line
    where a bad value occurs.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    uniq = pd.Series(np.asarray(uniques, dtype=object))
    first_lines = None
    if lines is not None:
        _, first = np.unique(codes, return_index=True)
        first_lines = pd.Series(np.asarray(lines)[first])
    return codes, uniq, first_lines


def map_by_value(values: pd.Series, func: Callable[[pd.Series, pd.Series | None], pd.Series],
                 lines: pd.Series | None, dtype: str | None = None) -> pd.Series:
    """Apply `func(distinct values, their first lines)` and spread the result back to every row."""
    codes, uniq, first_lines = by_value(values, lines)
    result = func(uniq, first_lines)
    arr = result.array.take(codes) if hasattr(result, "array") else np.asarray(result)[codes]
    out = pd.Series(arr, index=values.index)
    return out.astype(dtype) if dtype else out


def numbers(values: pd.Series, *, column: str, lines: pd.Series | None, **kw) -> pd.Series:
    """:func:`etl.readers.to_number` run once per distinct value (errors name the first bad line)."""
    return map_by_value(values, lambda u, ln: to_number(u, column=column, lines=ln, **kw).reset_index(drop=True),
                        lines, "Int64" if kw.get("integer", True) else "Float64")


def valid_inegi_code(text: pd.Series, digits: int) -> pd.Series:
    """Zero-padded INEGI codes, or <NA> where the text is not one (state 01-32, municipality 001-999)."""
    t = text.astype("string").str.strip()
    ok = t.str.fullmatch(r"\d{1,%d}" % digits).fillna(False)
    padded = t.where(ok).str.zfill(digits)
    state = pd.to_numeric(padded.str[:2], errors="coerce")
    ok &= state.between(1, 32).fillna(False)
    if digits == 5:
        ok &= (padded.str[2:] != "000").fillna(False)
    return padded.where(ok)


def inegi_codes(values: pd.Series, *, digits: int, column: str, lines: pd.Series | None) -> pd.Series:
    """INEGI state (2-digit) or municipality (5-digit) codes, zero-padded; a non-code is an error."""
    what = "state" if digits == 2 else "municipality"

    def check(u: pd.Series, ln: pd.Series | None) -> pd.Series:
        codes = valid_inegi_code(u, digits)
        bad = codes.isna()
        if bad.any():
            i = bad[bad].index[0]
            more = f" ({int(bad.sum()) - 1} more such values)" if bad.sum() > 1 else ""
            raise SourceError(
                f"value {str(u[i])[:20]!r} is not an INEGI {what} code "
                f"({digits} digits, state part 01-32){more}",
                line=int(ln[i]) if ln is not None else None,
                column=column,
            )
        return codes

    return map_by_value(values, check, lines, "string")


def month_starts(years: pd.Series, months: pd.Series, *, lines: pd.Series | None,
                 year_column: str, month_column: str) -> pd.Series:
    """First day of each (year, month); a month outside 1-12, a year before 1900 or a
    month in the future is an error naming the line."""
    y = numbers(years, column=year_column, lines=lines)
    m = numbers(months, column=month_column, lines=lines)
    bad_m = ~m.between(1, 12)
    if bad_m.any():
        i = bad_m[bad_m].index[0]
        raise SourceError(f"month {str(months.loc[i])[:20]!r} is not between 1 and 12",
                          line=_line_at(lines, i), column=month_column)
    key = (y * 100 + m).astype("int64")
    today = pd.Timestamp.today()
    latest = today.year * 100 + today.month
    bad_y = (key < 190001) | (key > latest)
    if bad_y.any():
        i = bad_y[bad_y].index[0]
        when = "before 1900" if key[i] < 190001 else "in the future"
        raise SourceError(f"year/month {int(y[i])}-{int(m[i]):02d} is {when}",
                          line=_line_at(lines, i), column=year_column)

    def to_dates(u: pd.Series, _ln) -> pd.Series:
        k = u.astype("int64")
        return pd.Series(pd.to_datetime(pd.DataFrame({"year": k // 100, "month": k % 100, "day": 1})))

    return map_by_value(key, to_dates, None, "datetime64[ns]")


def _line_at(lines: pd.Series | None, index) -> int | None:
    return int(lines.loc[index]) if lines is not None else None


def check_duplicates(frame: pd.DataFrame, keys: list[str], *, what: str) -> None:
    """Two rows with the same key are an error naming both lines (and the key, never a whole row)."""
    dup = frame.duplicated(keys, keep="first")
    if not dup.any():
        return
    i = dup[dup].index[0]
    same = pd.Series(True, index=frame.index)
    for k in keys:
        v = frame.at[i, k]
        same &= frame[k].isna() if pd.isna(v) else (frame[k] == v).fillna(False)
    lines = frame.loc[same, LINE] if LINE in frame.columns else pd.Series(same[same].index)
    first, second = int(lines.iloc[0]), int(frame.at[i, LINE]) if LINE in frame.columns else i
    desc = ", ".join(f"{k}={_short(frame.at[i, k])}" for k in keys)
    more = int(dup.sum()) - 1
    raise SourceError(
        f"duplicate rows for the same {what} ({desc}): lines {first} and {second}"
        + (f" ({more} more duplicate rows)" if more else ""),
        line=second,
    )


def _short(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return repr(str(value)[:40])
