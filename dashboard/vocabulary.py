"""The dashboard's display words, in one place: how numbers are written and how a report's qualifier is said.

It sits below both the data shaping (``aggregates``) and the chart builders (``charts``), which import it; it
imports neither. A translation of the interface translates exactly what is here (and each page's own text).
"""
from __future__ import annotations

NO_DATA = "no data"

# how a report qualified its number, in words ("more than 55,000") ...
QUALIFIER_WORDS = {
    "exact": "", "approximately": "about ", "more_than": "more than ", "at_least": "at least ",
    "less_than": "less than ", "up_to": "up to ", "estimate": "an estimate of ",
}
# ... in the short form a label on a crowded chart carries ("~13,000", "more than 55,000") ...
QUALIFIER_MARKS = {
    "exact": "", "approximately": "~", "more_than": "more than ", "at_least": "at least ",
    "less_than": "less than ", "up_to": "up to ", "estimate": "est. ",
}
# ... and as a symbol beside a marker ("> 16,400", "≥ 1,544")
QUALIFIER_SYMBOLS = {
    "exact": "", "approximately": "~", "more_than": "> ", "at_least": "≥ ", "less_than": "< ", "up_to": "≤ ", "estimate": "est. ",
}
# who counted a reported figure, and what the cited page is (docs/reported-figures.md)
COUNTED_BY_WORDS = {
    "dhs_cbp": "counted by DHS/CBP", "eoir_via_trac": "counted by TRAC from immigration court (EOIR) records",
    "inm": "counted by Mexico's National Migration Institute (INM)", "mexican_authority": "counted by a Mexican authority",
    "municipal_government": "counted by a municipal government", "ngo": "counted or estimated by an NGO or advocate",
    "news_organisation": "the news organisation's own count", "unknown": "the report does not say who counted",
}
REPORT_KIND_WORDS = {
    "primary": "the counter's own publication", "secondary": "a report of another's figure",
    "republication": "a copy of another report",
}
LOWER_BOUNDS = ("more_than", "at_least")  # the true value is at least this
UPPER_BOUNDS = ("less_than", "up_to")  # the true value is at most this


def fmt(value: float | int | None, *, digits: int | None = None) -> str:
    """'1,234' for a whole number, '12.5' otherwise (or `digits` decimals); 'no data' for None."""
    if value is None:
        return NO_DATA
    if digits is not None:
        return f"{value:,.{digits}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def qualified(value: float | None, qualifier: str, *, digits: int | None = None) -> str:
    """'more than 55,000', 'about 13,000' — how the source qualified it."""
    if value is None:
        return NO_DATA
    return f"{QUALIFIER_WORDS.get(str(qualifier), '')}{fmt(value, digits=digits)}"


def marked(value: float, qualifier: str, *, marks: dict[str, str] = QUALIFIER_MARKS) -> str:
    """'~13,000', 'more than 55,000' (or '> 16,400' with marks=QUALIFIER_SYMBOLS): a value as a chart labels it."""
    return f"{marks.get(str(qualifier), '')}{fmt(value)}"
