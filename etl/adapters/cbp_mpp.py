"""CBP's "Migrant Protection Protocols" monthly statistics pages (HTML, one per fiscal year, revised in place).

Each table is found by the text nearest before it (a heading, a caption, or a title row inside the table),
matched case- and space-insensitively against the headings below, and read by its header text, never by
markup details (CBP's markup changes). Tables:

* "Southwest Border Enrollments in MPP": ``Component | Location | Jan-20 | ...``; the component (USBP, OFO,
  CBP) is written on the first row of its group only. Sector / field office rows -> table ``mpp_enrollments``
  (place ids from the gazetteer). The printed "USBP Monthly Enrollment Total", "OFO Monthly Enrollment Total"
  and "CBP Total" rows are checked against the sum of their cells, month by month, and kept in
  ``mpp_enrollment_totals`` (printed total and sum side by side): a month whose printed total differs is
  published with ``totals_reconcile`` false and a note, never silently.
* "Individuals Apprehended Entering the US Without Inspection Subsequent to Being Returned to Mexico through
  MPP": ``Category | Oct-20 | ...``, rows ``Single Adult1``, ``UAC2``, ``FMUA``, ``Total`` (the digits are
  footnote markers) -> ``mpp_reapprehensions``; the Total row is checked the same way.
* "Cases referred to USCIS (for MPP Fear Assessment)": fiscal year (written once), month name, count, a
  "Grand Total" row -> ``mpp_fear_referrals``; the grand total (and any fiscal-year total) is checked.
* "USBP Apprehensions by Southwest Border Sector" and "OFO Southwest Border Inadmissibles by Field Office":
  read as a cross-check only (their Total rows against their rows), reported in a note and never published:
  encounters come from CBP's encounter files, and two encounter series must not be shown as one.

Numbers have comma thousands separators; an empty cell is a month the page does not cover yet (missing, never
zero; dropped with a note). A page's datasets are named by the page (``..._fy2020`` from the title
"Migrant Protection Protocols FY 2020"; ``..._current`` for the page without a fiscal year in its title),
because pages overlap and each is revised in place: a new copy of a page replaces that page's rows only.

An error page ("Access Denied", a CDN challenge), a table under an unknown heading, a header that lost a
column, months out of order, an unknown row label or a cell that is not a count is a SourceError naming the
table and the row or column.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..html_tables import Page, Table, page_tables
from ..periods import calendar_month, fiscal_year, fiscal_year_of, month_number
from ..readers import decode, read_bytes
from ..schema import conform
from . import Context, Parsed
from .cbp_encounters import resolve_areas

ENROLLMENTS, REAPPREHENSIONS, FEAR, USBP_APPS, OFO_INADS = (
    "enrollments", "reapprehensions", "fear_referrals", "usbp_apprehensions", "ofo_inadmissibles")
HEADINGS = {  # normalised beginnings of the headings CBP prints above each table
    ENROLLMENTS: "southwest border enrollments in mpp",
    REAPPREHENSIONS: "individuals apprehended entering the us without inspection",
    FEAR: "cases referred to uscis",
    USBP_APPS: "usbp apprehensions by southwest border sector",
    OFO_INADS: "ofo southwest border inadmissibles by field office",
}
# sections of the page whose tables, if any, are not MPP tables: left out with a note, never an error
NOT_READ = ("southwest border total encounters", "note mpp partner metrics")
LABEL_COLUMNS = {  # the header cells before the month columns
    ENROLLMENTS: (("component",), ("location",)),
    REAPPREHENSIONS: (("category",),),
    USBP_APPS: (("sector",),),
    OFO_INADS: (("field office", "sector"),),  # the current page writes `Sector` over the field offices
}
COMPONENTS = {"usbp": "U.S. Border Patrol", "ofo": "Office of Field Operations", "cbp": ""}
AREA_KIND = {"usbp": ("sector",), "ofo": ("field_office",)}
CATEGORIES = {"single adult": "Single Adult", "single adults": "Single Adult", "uac": "UAC", "uc": "UAC",
              "fmua": "FMUA"}
ERROR_PAGE = ("access denied", "just a moment", "attention required", "checking your browser", "captcha",
              "request unsuccessful", "incapsula", "enable javascript and cookies", "forbidden", "page not found",
              "service unavailable", "bad gateway", "error reference number")
_PAGE_FY = re.compile(r"migrant protection protocols\s*\(?\s*fy\s*(\d{4})", re.I)
_MONTH = re.compile(r"^([a-z]{3,9})\.?\s*[-/ ]\s*'?(\d{4}|\d{2})$", re.I)
_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_FOOTNOTE = re.compile(r"[\d*†‡]+$")


def norm(text: str) -> str:
    """'U.S.  Border-Patrol:' -> 'us border patrol': dots dropped, other punctuation a space, case folded."""
    text = str(text).casefold().replace(".", "").replace("’", "'")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def parse(path: Path, ctx: Context) -> list[Parsed]:
    text, _ = decode(read_bytes(path), path)
    page = page_tables(text)
    found, notes = _identify(page)
    slug = page_slug(page)
    out: list[Parsed] = []
    if ENROLLMENTS in found:
        out += _enrollments(found[ENROLLMENTS], slug, ctx)
    if REAPPREHENSIONS in found:
        out.append(_reapprehensions(found[REAPPREHENSIONS], slug))
    if FEAR in found:
        out.append(_fear_referrals(found[FEAR], slug))
    for kind in (USBP_APPS, OFO_INADS):
        if kind in found:
            notes.append(_cross_check(found[kind]))
    if notes:
        first = out[0] if out else None
        if first is None:
            raise SourceError("the page holds only the apprehension / inadmissible tables (a cross-check, never "
                              "published) and none of the MPP tables")
        first.notes = (*first.notes, *notes)
    return out


# --------------------------------------------------------------------------- the page and its tables


def page_slug(page: Page) -> str:
    """'fy2020' for the page titled "Migrant Protection Protocols FY 2020", 'current' for the page without one.
    The <title> decides (a menu of the page may link the other years' pages); a page without a <title> is
    named by its first lines. Two saved pages named alike give the same datasets: the refresh refuses them."""
    for text in ((page.title,) if page.title else tuple(page.blocks[:5])):
        m = _PAGE_FY.search(text)
        if m:
            return f"fy{m.group(1)}"
    return "current"


def _candidates(table: Table) -> list[str]:
    """Texts that may name a table, nearest first: its caption, a title row inside it, the blocks before it."""
    out = [table.caption] if table.caption else []
    if table.rows:
        first = {c for c in table.rows[0] if c}
        if len(first) == 1 and not any(_month(c) for c in first):
            out.append(first.pop())
    return out + list(table.before[:3])


def _kind_of(text: str) -> str | None:
    key = norm(text)
    return next((kind for kind, heading in HEADINGS.items() if key.startswith(heading)), None)


def _identify(page: Page) -> tuple[dict[str, tuple[str, list[list[str]]]], list[str]]:
    """kind -> (heading as printed, rows from the header on), and notes on tables left out. Every table with
    figures must be known (or stand in a section that holds no MPP table)."""
    found: dict[str, tuple[str, list[list[str]]]] = {}
    unknown: list[str] = []
    skipped: list[str] = []
    for table in page.tables:
        kind = heading = None
        for text in _candidates(table):
            kind = _kind_of(text)
            if kind:
                heading = text
                break
        rows = [r for r in table.rows if any(r)]
        if rows and len({c for c in rows[0] if c}) == 1 and not any(map(_month, rows[0])):
            rows = rows[1:]  # a title row inside the table
        if kind is None:
            near = _candidates(table)
            if near and any(norm(near[0]).startswith(h) for h in NOT_READ):
                skipped.append(f"table {table.number} under {near[0]!r} not read (not an MPP table)")
                continue
            if any(_COUNT.match(c) for r in rows for c in r):
                unknown.append(f"table {table.number} (under {near[0]!r})" if near else f"table {table.number}")
            continue
        if kind in found:
            raise SourceError(f"two tables under the heading {HEADINGS[kind]!r} (the second is table {table.number}); "
                              "expected one", column=heading)
        found[kind] = (heading, rows)
    if unknown or not found:
        raise SourceError(_not_found(page, unknown))
    return found, skipped


def _not_found(page: Page, unknown: list[str]) -> str:
    text = norm(" ".join([page.title, *page.blocks[:40]]))
    problem = next((p for p in ERROR_PAGE if p in text), None)
    if problem and not page.tables:
        return (f"this is not CBP's MPP statistics page but an error or challenge page (it says {problem!r}; "
                f"title {page.title[:80]!r}): nothing is read from it")
    known = "; ".join(repr(h) for h in HEADINGS.values())
    seen = "; ".join(repr(b[:80]) for t in page.tables for b in _candidates(t)[:1]) or "none"
    if not page.tables:
        seen = "; ".join(repr(b[:80]) for b in page.blocks[:12]) or "none"
    if unknown:
        return (f"{', '.join(unknown)} not recognised: its heading is none of the known MPP table headings "
                f"({known}); has CBP renamed a table? Nearest headings of the page's tables: {seen}")
    return (f"no MPP statistics table on the page (title {page.title[:80]!r}, {len(page.tables)} table(s)); "
            f"known headings: {known}; {'nearest headings' if page.tables else 'text'} seen: {seen}")


def _month(text: str) -> pd.Timestamp | None:
    m = _MONTH.match(text.strip())
    if not m:
        return None
    month = month_number(m.group(1))
    if month is None:
        return None
    year = int(m.group(2))
    return pd.Timestamp(year=year + 2000 if year < 100 else year, month=month, day=1)


def _header(heading: str, rows: list[list[str]], kind: str) -> tuple[list[str], list[pd.Timestamp]]:
    """The label columns and months of a month-column table, checked: the label columns CBP prints, then
    consecutive months, each once."""
    if not rows:
        raise SourceError(f"table {heading!r} is empty", column=heading)
    header = rows[0]
    expected = LABEL_COLUMNS[kind]
    n = len(expected)
    labels = header[:n]
    if len(labels) < n or any(norm(h) not in names for h, names in zip(labels, expected)) or len(header) == n:
        want = " | ".join("/".join(names) for names in expected)
        raise SourceError(f"table {heading!r}: header {' | '.join(header)!r} is not `{want} | <months>`: "
                          "a column lost or renamed?", column=heading)
    months = []
    for cell in header[n:]:
        m = _month(cell)
        if m is None:
            raise SourceError(f"table {heading!r}: column {cell!r} is not a month like 'Jan-20'", column=cell)
        months.append(m)
    for prev, (cell, m) in zip(months, list(zip(header[n:], months))[1:]):
        if m != prev + pd.DateOffset(months=1):
            raise SourceError(f"table {heading!r}: month column {cell!r} does not follow "
                              f"{prev.strftime('%b-%y')!r} (months must run one after another, each once)", column=cell)
    for r in rows[1:]:
        if len(r) != len(header) and not _is_note(r):
            label = next((c for c in reversed(r[:n]) if c), next((c for c in r if c), ""))  # the location
            raise SourceError(f"table {heading!r}: row {label!r} has {len(r)} cells, the header {len(header)} "
                              "(a column lost or gained?)", column=heading)
    return labels, months


def _count(cell: str, heading: str, row: str, column: str) -> int | None:
    text = cell.strip()
    if not text:
        return None
    if not _COUNT.match(text):
        raise SourceError(f"table {heading!r}, row {row!r}, column {column!r}: {text[:40]!r} is not a count",
                          column=column)
    return int(text.replace(",", ""))


def _is_note(row: list[str]) -> bool:
    """A footnote written as a row: one cell of text (`*Data provided by ...`, `Note: ...`)."""
    filled = [c for c in row if c]
    return len(filled) == 1 and (filled[0].startswith(("*", "Note", "note", "Source")) or filled[0][0].isdigit())


# --------------------------------------------------------------------------- enrolments


def _enrollments(found: tuple[str, list[list[str]]], slug: str, ctx: Context) -> list[Parsed]:
    heading, rows = found
    _, months = _header(heading, rows, ENROLLMENTS)
    header = rows[0]
    parts, totals, notes = [], [], []
    component = None
    for r in rows[1:]:
        if not any(r) or _is_note(r):
            continue
        comp, loc = r[0].strip(), r[1].strip()
        if comp and not loc and norm(comp).endswith("total"):  # a total written in the component column
            comp, loc = comp.split()[0], comp
        if comp:
            if norm(comp) not in COMPONENTS:
                raise SourceError(f"table {heading!r}: unknown component {comp!r} (expected USBP, OFO or CBP)",
                                  column=header[0])
            component = norm(comp)
        label = loc or comp
        if component is None:
            raise SourceError(f"table {heading!r}, row {label!r}: no component above it", column=header[0])
        for cell, col, month in zip(r[2:], header[2:], months):
            value = _count(cell, heading, label, col)
            rec = {"label": label, "component": component, "month": month, "count": value}
            (totals if norm(label).endswith("total") else parts).append(rec)
    parts_df, totals_df = pd.DataFrame(parts), pd.DataFrame(totals)
    if parts_df.empty:
        raise SourceError(f"table {heading!r} has no sector or field office rows", column=heading)
    if (parts_df["component"] == "cbp").any():
        bad = parts_df.loc[parts_df["component"] == "cbp", "label"].iloc[0]
        raise SourceError(f"table {heading!r}: row {bad!r} under CBP is not a total", column=header[1])
    ids = pd.Series(pd.NA, index=parts_df.index, dtype="string")
    for comp, kinds in AREA_KIND.items():
        mask = parts_df["component"] == comp
        if mask.any():
            try:
                ids[mask] = resolve_areas(ctx.gazetteer, parts_df.loc[mask, "label"], kinds=kinds,
                                          column=header[1], lines=pd.Series(0, index=parts_df.index[mask]))
            except SourceError as exc:
                raise SourceError(f"table {heading!r}: {exc.message}", column=header[1]) from None
    parts_df["place_id"] = ids
    dup = parts_df.duplicated(["place_id", "month"])
    if dup.any():
        raise SourceError(f"table {heading!r}: row {parts_df.loc[dup, 'label'].iloc[0]!r} appears twice "
                          "(two names of one place?)", column=header[1])
    checked = _check_enrollment_totals(parts_df, totals_df, heading)
    bad_months = set(checked.loc[checked["totals_reconcile"] == False, "month"])  # noqa: E712
    for row in checked[checked["totals_reconcile"] == False].itertuples():  # noqa: E712
        shown = "empty" if pd.isna(row.printed_total) else f"{int(row.printed_total):,}"
        notes.append(f"{heading}: {row.total_label} for {row.month:%b %Y} is printed as {shown} but "
                     f"its cells add up to {row.sum_of_parts:,}: both published (mpp_enrollment_totals), the month "
                     "flagged (totals_reconcile = false)")
    missing = parts_df["count"].isna()
    if missing.any():
        notes.append(f"{heading}: {int(missing.sum())} empty cells (months not yet covered; missing, not zero) "
                     f"left out: {_months_text(parts_df.loc[missing, 'month'])}")
    if not checked.empty:
        notes.append(f"{heading}: {len(checked)} printed totals checked against their cells, "
                     f"{int(checked['totals_reconcile'].sum())} agree")
    kept = parts_df[~missing]
    enr = pd.DataFrame({
        "month": kept["month"], "fiscal_year": kept["month"].map(fiscal_year_of),
        "component": kept["component"].map(COMPONENTS), "place_id": kept["place_id"], "area_name": kept["label"],
        "count": kept["count"].astype("Int64"), "totals_reconcile": ~kept["month"].isin(bad_months),
    })
    out = [Parsed("mpp_enrollments", f"cbp_mpp_enrollments_{slug}", conform(enr, "mpp_enrollments"), tuple(notes))]
    if not checked.empty:
        out.append(Parsed("mpp_enrollment_totals", f"cbp_mpp_enrollment_totals_{slug}",
                          conform(checked, "mpp_enrollment_totals")))
    return out


def _check_enrollment_totals(parts: pd.DataFrame, totals: pd.DataFrame, heading: str) -> pd.DataFrame:
    """Each printed total (USBP, OFO, CBP) against the sum of the cells it totals, month by month."""
    cols = ["month", "fiscal_year", "total_label", "printed_total", "sum_of_parts", "totals_reconcile"]
    if totals.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for t in totals.itertuples():
        key = norm(t.label)
        scope = next((c for c in ("usbp", "ofo", "cbp") if key.startswith(c)), None)
        if scope is None:
            raise SourceError(f"table {heading!r}: total row {t.label!r} is not a USBP, OFO or CBP total",
                              column=heading)
        cells = parts[(parts["month"] == t.month) & ((parts["component"] == scope) if scope != "cbp" else True)]
        summed = cells["count"].sum(min_count=1)
        if pd.isna(t.count) and pd.isna(summed):
            continue  # a month not covered yet
        printed = None if pd.isna(t.count) else int(t.count)  # an empty total over filled cells: flagged too
        summed = 0 if pd.isna(summed) else int(summed)
        rows.append({"month": t.month, "fiscal_year": fiscal_year_of(t.month), "total_label": t.label,
                     "printed_total": printed, "sum_of_parts": summed, "totals_reconcile": printed == summed})
    return pd.DataFrame(rows, columns=cols)


def _months_text(months: pd.Series) -> str:
    uniq = sorted(set(months))
    return ", ".join(m.strftime("%b %Y") for m in uniq[:12]) + (" ..." if len(uniq) > 12 else "")


# --------------------------------------------------------------------------- re-apprehensions


def _category(label: str) -> str:
    """'Single Adult1' -> 'single adult' (a trailing footnote marker dropped)."""
    return norm(_FOOTNOTE.sub("", label.strip()))


def _reapprehensions(found: tuple[str, list[list[str]]], slug: str) -> Parsed:
    heading, rows = found
    _, months = _header(heading, rows, REAPPREHENSIONS)
    header = rows[0]
    recs, totals = [], {}
    for r in rows[1:]:
        if not any(r) or _is_note(r) and _category(r[0]) not in CATEGORIES:
            continue
        key = _category(r[0])
        if key != "total" and key not in CATEGORIES:
            raise SourceError(f"table {heading!r}: unknown category {r[0]!r} (expected Single Adult, UAC, FMUA, "
                              "Total)", column=header[0])
        for cell, col, month in zip(r[1:], header[1:], months):
            value = _count(cell, heading, r[0], col)
            if key == "total":
                totals[month] = value
            else:
                recs.append({"demographic": CATEGORIES[key], "month": month, "count": value})
    df = pd.DataFrame(recs, columns=["demographic", "month", "count"])
    if df.duplicated(["demographic", "month"]).any():
        raise SourceError(f"table {heading!r}: a category appears twice", column=header[0])
    notes, bad = _check_month_totals(df, totals, heading)
    missing = df["count"].isna()
    if missing.any():
        notes.append(f"{heading}: {int(missing.sum())} empty cells (months not yet covered; missing, not zero) "
                     f"left out: {_months_text(df.loc[missing, 'month'])}")
    df = df[~missing]
    out = pd.DataFrame({"month": df["month"], "fiscal_year": df["month"].map(fiscal_year_of),
                        "demographic": df["demographic"], "count": df["count"].astype("Int64"),
                        "totals_reconcile": ~df["month"].isin(bad)})
    return Parsed("mpp_reapprehensions", f"cbp_mpp_reapprehensions_{slug}", conform(out, "mpp_reapprehensions"),
                  tuple(notes))


def _check_month_totals(df: pd.DataFrame, totals: dict, heading: str) -> tuple[list[str], set]:
    sums = df.groupby("month")["count"].sum(min_count=1)
    bad, notes = set(), []
    for month, printed in totals.items():
        summed = sums.get(month)
        if printed is None and (summed is None or pd.isna(summed)):
            continue
        summed = 0 if summed is None or pd.isna(summed) else int(summed)
        if printed != summed:
            bad.add(month)
            notes.append(f"{heading}: Total for {month:%b %Y} is printed as "
                         f"{'empty' if printed is None else f'{printed:,}'} but its rows add up to {summed:,}: "
                         "rows published, the month flagged (totals_reconcile = false)")
    if totals and not bad:
        notes.append(f"{heading}: the Total row agrees with its rows for all {len(totals)} months")
    if not totals:
        notes.append(f"{heading}: no Total row to check")
    return notes, bad


# --------------------------------------------------------------------------- fear referrals


def _fear_referrals(found: tuple[str, list[list[str]]], slug: str) -> Parsed:
    heading, rows = found
    header = rows[0] if rows else []
    if len(header) != 3 or not (("fiscal year" in norm(header[0]) or norm(header[0]) in ("fy", "year"))
                                and "month" in norm(header[1])):
        raise SourceError(f"table {heading!r}: header {' | '.join(header)!r} is not `Fiscal Year | Month | <count>` "
                          "(a column lost or renamed?)", column=heading)
    recs, fy_totals, grand, fy = [], {}, None, None
    for r in rows[1:]:
        filled = [c.strip() for c in r if c.strip()]
        if len(filled) == 1 and r[0].strip() and fiscal_year(r[0].strip().replace("FY ", "FY")):
            fy = fiscal_year(r[0].strip().replace("FY ", "FY"))  # a fiscal year written on a row of its own
            continue
        if not any(r) or _is_note(r):
            continue
        if len(r) != 3:
            raise SourceError(f"table {heading!r}: row {' | '.join(r)!r} has {len(r)} cells, the header 3",
                              column=heading)
        first, month_label, cell = (c.strip() for c in r)
        if "grand total" in norm(first) or "grand total" in norm(month_label):
            grand = _count(cell, heading, "Grand Total", header[2])
            continue
        if first and "total" not in norm(first):
            fy = fiscal_year(first.replace("FY ", "FY"))
            if fy is None:
                raise SourceError(f"table {heading!r}: {first!r} is not a fiscal year", column=header[0])
        if fy is None:
            raise SourceError(f"table {heading!r}: row {month_label!r} has no fiscal year above it", column=header[0])
        if "total" in norm(first) or norm(month_label) == "total":
            fy_totals[fy] = _count(cell, heading, f"FY{fy} total", header[2])
            continue
        month = month_number(month_label)
        if month is None:
            raise SourceError(f"table {heading!r}: {month_label!r} (FY{fy}) is not a month", column=header[1])
        recs.append({"fy": fy, "month": calendar_month(fy, month),
                     "count": _count(cell, heading, f"FY{fy} {month_label}", header[2])})
    df = pd.DataFrame(recs, columns=["fy", "month", "count"])
    if df["month"].duplicated().any():
        raise SourceError(f"table {heading!r}: a month appears twice", column=header[1])
    notes, bad_fy = [], set()
    for fy_, printed in fy_totals.items():
        summed = int(df.loc[df["fy"] == fy_, "count"].sum())
        if printed != summed:
            bad_fy.add(fy_)
            notes.append(f"{heading}: FY{fy_} total printed as {printed:,}, its months add up to {summed:,}: "
                         "months published, FY flagged (totals_reconcile = false)")
    all_bad = False
    if grand is not None:
        summed = int(df["count"].sum())
        if grand != summed:
            all_bad = True
            notes.append(f"{heading}: Grand Total printed as {grand:,}, its months add up to {summed:,}: months "
                         "published, all flagged (totals_reconcile = false)")
        else:
            notes.append(f"{heading}: Grand Total {grand:,} agrees with its {len(df)} months")
    else:
        notes.append(f"{heading}: no Grand Total row to check")
    missing = df["count"].isna()
    if missing.any():
        notes.append(f"{heading}: {int(missing.sum())} empty cells (missing, not zero) left out")
    df = df[~missing]
    out = pd.DataFrame({"month": df["month"], "fiscal_year": df["fy"], "count": df["count"].astype("Int64"),
                        "totals_reconcile": ~(df["fy"].isin(bad_fy) | all_bad)})
    return Parsed("mpp_fear_referrals", f"cbp_mpp_fear_referrals_{slug}", conform(out, "mpp_fear_referrals"),
                  tuple(notes))


# --------------------------------------------------------------------------- cross-check tables


def _cross_check(found: tuple[str, list[list[str]]]) -> str:
    """USBP apprehensions / OFO inadmissibles: the Total row against the rows, as a note (never published)."""
    heading, rows = found
    kind = _kind_of(heading)
    _, months = _header(heading, rows, kind)
    header = rows[0]
    recs, totals = [], {}
    for r in rows[1:]:
        if not any(r) or _is_note(r):
            continue
        for cell, col, month in zip(r[1:], header[1:], months):
            value = _count(cell, heading, r[0], col)
            if norm(r[0]) == "total":
                totals[month] = value
            else:
                recs.append({"month": month, "count": value})
    df = pd.DataFrame(recs, columns=["month", "count"])
    notes, _ = _check_month_totals(df, totals, heading)
    printed = "; ".join(f"{m:%b-%y} {'empty' if v is None else f'{v:,}'}" for m, v in totals.items())
    return (f"{heading} (cross-check only, not published: encounters come from CBP's encounter files): "
            + " ".join(n.removeprefix(f"{heading}: ") for n in notes)
            + (f"; Total row as printed: {printed}" if printed else ""))
