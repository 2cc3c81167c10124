"""Calendar months from the publishers' fiscal-year and month labels.

U.S. federal fiscal year N runs from October of N-1 to September of N.
"""
from __future__ import annotations

import re

import pandas as pd

from .errors import SourceError

_ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december"]
_SPANISH = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
            "octubre", "noviembre", "diciembre"]
# full names and the usual abbreviations (OCT, Sept., ene, dic...), nothing looser
MONTHS: dict[str, int] = {}
for _names in (_ENGLISH, _SPANISH):
    for _i, _name in enumerate(_names, start=1):
        MONTHS[_name] = _i
        MONTHS[_name[:3]] = _i
MONTHS.update({"sept": 9, "setiembre": 9, "set": 9})

_FY = re.compile(r"^\s*(?:FY\s*)?(\d{4}|\d{2})\s*(?:\((?:FYTD|FY\s*TD|partial)\)|FYTD)?\s*$", re.I)


def month_number(label: object) -> int | None:
    """'OCT', 'October', '01 October' (number within the fiscal year is ignored), 'octubre', '10' -> 10."""
    text = str(label).strip().casefold()
    if not text:
        return None
    m = re.match(r"^(\d{1,2})\s+([a-zé]+)", text)
    if m:  # OHSS '01 October': the leading number counts months of the fiscal year
        text = m.group(2)
    if text.isdigit():
        n = int(text)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(text.rstrip("."))


def fiscal_year(label: object) -> int | None:
    """'2025 (FYTD)', 'FY2024', '2023', 'FY24' -> the fiscal year as an int."""
    m = _FY.match(str(label))
    if not m:
        return None
    year = int(m.group(1))
    return year + 2000 if year < 100 else year


def calendar_month(fy: int, month: int) -> pd.Timestamp:
    """First day of the calendar month of fiscal year `fy` and calendar month `month`."""
    year = fy - 1 if month >= 10 else fy
    return pd.Timestamp(year=year, month=month, day=1)


def fiscal_year_of(month_start: pd.Timestamp) -> int:
    return month_start.year + 1 if month_start.month >= 10 else month_start.year


def parse_fiscal_months(
    fy_labels: pd.Series, month_labels: pd.Series, *, lines: pd.Series, fy_column: str, month_column: str
) -> tuple[pd.Series, pd.Series]:
    """Vectorised over unique labels: (calendar month start, fiscal year), errors naming the line."""
    fy_map = {lab: fiscal_year(lab) for lab in pd.unique(fy_labels)}
    m_map = {lab: month_number(lab) for lab in pd.unique(month_labels)}
    for labels, mapping, column, what in (
        (fy_labels, fy_map, fy_column, "fiscal year"),
        (month_labels, m_map, month_column, "month"),
    ):
        bad = [lab for lab, v in mapping.items() if v is None]
        if bad:
            idx = labels[labels.isin(bad)].index[0]
            raise SourceError(
                f"unrecognised {what} label {str(labels.loc[idx])[:40]!r}", line=int(lines.loc[idx]), column=column
            )
    fy = fy_labels.map(fy_map).astype("int64")
    mo = month_labels.map(m_map).astype("int64")
    year = fy.where(mo < 10, fy - 1)
    months = pd.to_datetime(pd.DataFrame({"year": year, "month": mo, "day": 1}))
    return months, fy
