"""The period a figure covers, where the text says: "in the space of five days", "in October",
"during 2019", "since January"."""
from __future__ import annotations

import calendar
import re
from datetime import date

from .numbers import MONTHS_ALT, WORD_VALUES

MONTH_NUMBERS = {**{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
                 **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}, "sept": 9,
                 **{m: i for i, m in enumerate(["", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                                 "agosto", "septiembre", "octubre", "noviembre", "diciembre"]) if m},
                 "setiembre": 9}

DURATION = re.compile(
    rf"\b(?:in the space of|in the course of|in|within|over|during|in just|in only|in the past|in the last|"
    rf"over the past|over the last|en cuestion de|en|durante|en solo|en apenas|en los ultimos|en las ultimas)\s+"
    rf"(?:the\s+)?(?:past\s+|last\s+)?(?P<n>\d+|{'|'.join(sorted(WORD_VALUES, key=len, reverse=True))})\s+"
    rf"(?P<unit>days?|weeks?|months?|hours?|dias|semanas|meses|horas)\b"
)
MONTH_PERIOD = re.compile(rf"\b(?P<prep>in|during|en|durante|since|desde)\s+(?:(?:the )?(?:month of|mes de)\s+)?"
                          rf"(?P<month>{MONTHS_ALT})\b(?:\s+(?:of\s+|de\s+)?(?P<year>(?:19|20)\d\d))?")
YEAR_PERIOD = re.compile(r"\b(?P<prep>in|during|en|durante|since|desde|throughout)\s+(?P<year>(?:19|20)\d\d)\b")


def period(folded: str, zone: tuple[int, int], published: date | None) -> dict:
    text = folded[zone[0]:zone[1]]
    out = {"period_start": None, "period_end": None, "duration_days": None, "period_text": None}
    m = DURATION.search(text)
    if m:
        n = m.group("n")
        count = int(n) if n.isdigit() else int(WORD_VALUES[n])
        unit = m.group("unit")
        days = {"d": 1, "w": 7, "s": 7, "m": 30, "h": 0}[unit[0]]
        if unit.startswith(("mes", "month")):
            days = 30
        out["duration_days"] = max(1, count * days) if days else 1
        out["period_text"] = m.group(0)
        return out
    m = MONTH_PERIOD.search(text)
    if m:
        month = MONTH_NUMBERS.get(m.group("month").rstrip("."))
        year = int(m.group("year")) if m.group("year") else None
        if year is None and published is not None:
            year = published.year if month <= published.month else published.year - 1
        out["period_text"] = m.group(0)
        if year:
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            if m.group("prep") in ("since", "desde"):
                out["period_start"] = first.isoformat()
                out["period_end"] = published.isoformat() if published else None
            else:
                out["period_start"], out["period_end"] = first.isoformat(), last.isoformat()
        return out
    m = YEAR_PERIOD.search(text)
    if m:
        year = int(m.group("year"))
        out["period_text"] = m.group(0)
        if m.group("prep") in ("since", "desde"):
            out["period_start"] = date(year, 1, 1).isoformat()
            out["period_end"] = published.isoformat() if published else None
        else:
            out["period_start"], out["period_end"] = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    return out


