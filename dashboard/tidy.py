"""The numbers behind a chart, as one long table: what every chart's CSV export holds.

Each page's views module returns, next to its figures (`chart_views(state)`), the plotted values of
each chart as tidy rows (`chart_tables(state)`): one row per plotted value, with the same columns for
every chart (empty where they do not apply). The export adds the chart's name. Documented in
docs/export.md ("The CSV"). The column names are the same in every language (machine-readable); their
descriptions (COLUMNS, read in the request's language) and the words in the rows (as_reported, source) are the
reader's.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from .i18n import N_, _
from .vocabulary import Words, qualified, with_retrieved

COLUMNS = Words({
    "chart": N_("the chart's name (as in /export/<chart>.csv)"),
    "place_id": N_("the place's id in the release's places table: INEGI code of a Mexican municipality (5 digits) "
                   "or state (2 digits), US-... for a U.S. port or sector; empty for a figure with no place "
                   "(border-wide) or a series of no one place"),
    "place": N_("the place's name"),
    "period": N_("the period the value covers, as the chart labels it: 2019, 2019-03, FY2019 (October 2018 to "
                 "September 2019), or a date"),
    "period_start": N_("first day of the period (YYYY-MM-DD), where known"),
    "period_end": N_("last day of the period (YYYY-MM-DD), where known"),
    "measure": N_("what the value counts (a fixed id: homicides, homicide_rate, mpp_returned, mpp_court_cases, "
                  "encounters, victims, ...); different measures are never added"),
    "value": N_("the number plotted; empty means no data (the note says why), never zero"),
    "unit": N_("the value's unit, in words"),
    "qualifier": N_("exact, approximately, more_than, at_least, less_than, up_to, estimate: as the source states it"),
    "as_reported": N_("the value in words with its qualifier, as the dashboard shows it ('more than 55,000', "
                      "'an estimate of 18,000'); empty where there is no value"),
    "category": N_("the series within a measure: a breakdown group, a crime subtype, a cause of death, a paired "
                   "Border Patrol sector"),
    "definition": N_("what exactly is counted, in words"),
    "dataset": N_("the dataset id in the release's tables"),
    "source": N_("the source, with its retrieval date"),
    "source_url": N_("the address of the report a reported figure comes from"),
    "lat": N_("latitude (map points)"),
    "lon": N_("longitude (map points)"),
    "note": N_("why a value is missing, or what else to know about this value (a partial year, a hearing location)"),
    "first_published": N_("the value as first published, where the publisher has since revised it (a total: the "
                          "first-published values of its revised rows plus the current values of the others); "
                          "empty where the value was not revised, or where the chart does not track revisions "
                          "(docs/export.md lists the charts that do)"),
    "revised_in": N_("the date (YYYY-MM-DD) of the release that last revised the value; empty where not revised"),
})
ROW_COLUMNS = tuple(c for c in COLUMNS if c != "chart")


def frame(records: Iterable[dict]) -> pd.DataFrame:
    """Tidy rows (dicts with some of ROW_COLUMNS) as a frame with every column, in order."""
    out = pd.DataFrame(list(records), columns=list(ROW_COLUMNS))
    out = out.astype({"value": "float64", "lat": "float64", "lon": "float64", "first_published": "float64"})
    out["as_reported"] = [qualified(v, q if isinstance(q, str) and q else "exact") if pd.notna(v) else ""
                          for v, q in zip(out["value"], out["qualifier"])]
    return out


def year(y: int) -> dict:
    y = int(y)
    return {"period": str(y), "period_start": f"{y}-01-01", "period_end": f"{y}-12-31"}


def month(m) -> dict:
    t = m if isinstance(m, pd.Timestamp) else pd.Timestamp(m)
    return dict(_month(t.year, t.month))


@lru_cache(maxsize=4096)
def _month(y: int, m: int) -> tuple:
    last = calendar.monthrange(y, m)[1]
    return ("period", f"{y}-{m:02d}"), ("period_start", f"{y}-{m:02d}-01"), ("period_end", f"{y}-{m:02d}-{last:02d}")


def fiscal_year(y: int) -> dict:
    y = int(y)
    return {"period": f"FY{y}", "period_start": f"{y - 1}-10-01", "period_end": f"{y}-09-30"}


def months(first, last) -> dict:
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    end = calendar.monthrange(b.year, b.month)[1]
    label = f"{a:%Y-%m}" if (a.year, a.month) == (b.year, b.month) else \
        _("{first} to {last}").format(first=f"{a:%Y-%m}", last=f"{b:%Y-%m}")
    return {"period": label, "period_start": f"{a:%Y-%m}-01", "period_end": f"{b:%Y-%m}-{end:02d}"}


def date(value) -> str:
    """YYYY-MM-DD of a date-like value, '' for none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    try:
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    except (ValueError, TypeError):
        return str(value)


def sources(pairs: Iterable[tuple[str, str | None]]) -> str:
    """'<attribution> (retrieved <date>); ...' for (attribution, retrieval date) pairs, each once."""
    return "; ".join(dict.fromkeys(with_retrieved(name, when) for name, when in pairs))


def revised(first, revised_in, digits: int | None = 0) -> dict:
    """The first_published and revised_in columns of a chart point (aggregates.revised: its first-published value
    and the date of its last revision; empty where it was not revised), rounded as the value column is."""
    if not isinstance(revised_in, str) or not revised_in or missing(first):
        return {"first_published": None, "revised_in": ""}
    return {"first_published": float(round(first, digits)) if digits is not None else float(first),
            "revised_in": revised_in}


def missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))
