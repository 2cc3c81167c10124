"""Value-level helpers shared by the adapters: vectorised checks and conversions of a column.

Every check or conversion runs once per distinct value (not per row) and raises
:class:`~etl.errors.SourceError` naming the first line and the column where a bad value
occurs: INEGI codes, months, counts, calendar dates, coordinates, and duplicate keys.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .errors import SourceError, first_bad
from .readers import LINE, to_number

# --------------------------------------------------------------------------- once per distinct value


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


# --------------------------------------------------------------------------- INEGI codes and months


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
            i, more = first_bad(bad)
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


# --------------------------------------------------------------------------- dates and coordinates

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%a, %m/%d/%Y", "%B %d, %Y", "%d %B %Y")


def parse_dates(values: pd.Series, *, column: str, lines: pd.Series | None, allow_missing: bool) -> pd.Series:
    """Calendar dates, once per distinct value. Unparseable, before 1900 or in the future -> error."""
    def convert(u: pd.Series, ln: pd.Series | None) -> pd.Series:
        text = u.astype("string").str.strip().fillna("")
        # a date with a midnight time ("2014-01-06 00:00:00") from a spreadsheet is still a date
        text = text.str.replace(r"[ T]00:00(:00(\.0+)?)?$", "", regex=True)
        out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[s]")  # [s]: years past 2262 fit
        for fmt in _DATE_FORMATS:
            todo = out.isna() & (text != "")
            if not todo.any():
                break
            out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[s]")
        empty = text == ""
        bad = out.isna() & ~empty
        if bad.any() or (empty.any() and not allow_missing):
            mask = bad if bad.any() else empty
            i = mask[mask].index[0]
            what = "is not a date (expected YYYY-MM-DD)" if bad.any() else "is empty"
            raise SourceError(f"value {str(u[i])[:30]!r} {what}", line=_line_at(ln, i), column=column)
        today = pd.Timestamp.today().normalize()
        out_of_range = (out < pd.Timestamp("1900-01-01")) | (out > today)
        if out_of_range.any():
            i = out_of_range[out_of_range].index[0]
            when = "before 1900" if out[i] < pd.Timestamp("1900-01-01") else "in the future"
            raise SourceError(f"date {str(u[i])[:30]!r} is {when}", line=_line_at(ln, i), column=column)
        return out.astype("datetime64[ns]")

    return map_by_value(values, convert, lines, "datetime64[ns]")


_NUM = r"[-+]?\d+(?:\.\d+)?"
_POINT = re.compile(rf"^\s*POINT\s*\(\s*({_NUM})\s+({_NUM})\s*\)\s*$", re.I)
_LATLON = re.compile(rf"^\s*({_NUM})\s*,\s*({_NUM})\s*$")


def parse_coordinates(values: pd.Series, *, column: str, lines: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) from ``POINT (lon lat)`` or ``lat, lon``; empty -> null; anything else -> error."""
    text = values.astype("string").str.strip().fillna("")
    point = text.str.extract(_POINT)
    pair = text.str.extract(_LATLON)
    lat = pd.to_numeric(point[1].fillna(pair[0]), errors="coerce")
    lon = pd.to_numeric(point[0].fillna(pair[1]), errors="coerce")
    bad = lat.isna() & (text != "")
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(
            f"value {str(values[i])[:60]!r} is not a coordinate (expected 'POINT (lon lat)' or 'lat, lon')",
            line=int(lines[i]), column=column,
        )
    lat, lon = lat.astype("Float64"), lon.astype("Float64")
    check_lat_lon(lat, lon, column_lat=column, column_lon=column, lines=lines)
    return lat, lon


def check_lat_lon(lat: pd.Series, lon: pd.Series, *, column_lat: str, column_lon: str, lines: pd.Series) -> None:
    """A latitude beyond +-90 or a longitude beyond +-180 is an error naming the line."""
    for values, col, limit in ((lat, column_lat, 90), (lon, column_lon, 180)):
        bad = (values.abs() > limit).fillna(False)
        if bad.any():
            i = bad[bad].index[0]
            raise SourceError(f"{'latitude' if limit == 90 else 'longitude'} {float(values[i])} is out of range",
                              line=int(lines[i]), column=col)


# --------------------------------------------------------------------------- duplicate keys


def check_duplicates(frame: pd.DataFrame, keys: Sequence[str], *, what: str) -> None:
    """Two rows with the same key are an error naming both lines and the key (never a whole
    row); duplicates are never summed silently."""
    keys = list(keys)
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


def _line_at(lines: pd.Series | None, index) -> int | None:
    return int(lines.loc[index]) if lines is not None else None
