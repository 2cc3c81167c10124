"""The dashboard's display words, in one place: how numbers are written and how a report's qualifier is said.

It sits below both the data shaping (``aggregates``) and the chart builders (``charts``), which import it; it
imports neither, only the language core (``dashboard.i18n``, which imports nothing of the dashboard). A translation of the interface translates exactly what is here (and each page's own text): the
word tables below are marked for the catalogue (``N_``) and read in the language of the request (:class:`Words`),
so that ``QUALIFIER_WORDS["more_than"]`` is "more than " on an English page and "más de " on a Spanish one.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from .i18n import DEFAULT, N_, _, day, lang

NO_DATA = N_("no data")


class Words(Mapping):
    """A table of display words (key -> English message), read in the current language: each word is translated
    when it is looked up, never at import (there is no request then). `spaced`: a non-empty word is followed by a
    space (the catalogue holds "more than", not "more than "), as the tables of prefixes are used. `symbols`: keys
    written with a symbol in every language ("~", "> "), returned as they are."""

    def __init__(self, words: dict[str, str], *, spaced: bool = False, symbols: dict[str, str] | None = None):
        self._words = dict(words)
        self._spaced = spaced
        self._symbols = dict(symbols or {})

    def __getitem__(self, key: str) -> str:
        if key in self._symbols:
            return self._symbols[key]
        word = self._words[key]  # KeyError for an unknown key, as a dict
        if not word:
            return ""
        text = _(word)
        return f"{text} " if self._spaced else text

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._words, *self._symbols]))

    def __len__(self) -> int:
        return len(set(self._words) | set(self._symbols))

    def english(self, key: str, default: str = "") -> str:
        """The word as the catalogue's message (English), whatever the request's language."""
        return self._words.get(key, default)


# how a report qualified its number, in words ("more than 55,000") ...
QUALIFIER_WORDS = Words({
    "exact": "", "approximately": N_("about"), "more_than": N_("more than"), "at_least": N_("at least"),
    "less_than": N_("less than"), "up_to": N_("up to"), "estimate": N_("an estimate of"),
}, spaced=True)
# ... in the short form a label on a crowded chart carries ("~13,000", "more than 55,000") ...
QUALIFIER_MARKS = Words({
    "exact": "", "approximately": "", "more_than": N_("more than"), "at_least": N_("at least"),
    "less_than": N_("less than"), "up_to": N_("up to"), "estimate": N_("est."),
}, spaced=True, symbols={"approximately": "~"})
# ... and as a symbol beside a marker ("> 16,400", "≥ 1,544")
QUALIFIER_SYMBOLS = Words({"exact": "", "estimate": N_("est.")}, spaced=True, symbols={
    "approximately": "~", "more_than": "> ", "at_least": "≥ ", "less_than": "< ", "up_to": "≤ "})
# who counted a reported figure, and what the cited page is (docs/reported-figures.md)
COUNTED_BY_WORDS = Words({
    "dhs_cbp": N_("counted by DHS/CBP"),
    "eoir_via_trac": N_("counted by TRAC from immigration court (EOIR) records"),
    "inm": N_("counted by Mexico's National Migration Institute (INM)"),
    "mexican_authority": N_("counted by a Mexican authority"),
    "municipal_government": N_("counted by a municipal government"),
    "ngo": N_("counted or estimated by an NGO or advocate"),
    "news_organisation": N_("the news organisation's own count"),
    "unknown": N_("the report does not say who counted"),
})
REPORT_KIND_WORDS = Words({
    "primary": N_("the counter's own publication"), "secondary": N_("a report of another's figure"),
    "republication": N_("a copy of another report"),
})
LOWER_BOUNDS = ("more_than", "at_least")  # the true value is at least this
UPPER_BOUNDS = ("less_than", "up_to")  # the true value is at most this


def fmt(value: float | int | None, *, digits: int | None = None) -> str:
    """'1,234' for a whole number, '12.5' otherwise (or `digits` decimals); 'no data' for None. (en-US and es-MX
    write numbers alike: 1,499.5.)"""
    if value is None:
        return _(NO_DATA)
    if digits is not None:
        return f"{value:,.{digits}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def qualified(value: float | None, qualifier: str, *, digits: int | None = None) -> str:
    """'more than 55,000', 'about 13,000' — how the source qualified it ('más de 55,000' in Spanish)."""
    if value is None:
        return _(NO_DATA)
    return f"{QUALIFIER_WORDS.get(str(qualifier), '')}{fmt(value, digits=digits)}"


def marked(value: float, qualifier: str, *, marks: Mapping[str, str] = QUALIFIER_MARKS) -> str:
    """'~13,000', 'more than 55,000' (or '> 16,400' with marks=QUALIFIER_SYMBOLS): a value as a chart labels it."""
    return f"{marks.get(str(qualifier), '')}{fmt(value)}"


def retrieved(when: str | None) -> str:
    """'retrieved 2026-11-27' / 'consultado el 27 de noviembre de 2026': when a source's file was read."""
    if not when:
        return ""
    try:
        shown = when if lang() == DEFAULT else day(when)
    except (ValueError, TypeError):
        shown = str(when)
    return _("retrieved {date}").format(date=shown)


def with_retrieved(name: str, when: str | None) -> str:
    """'INEGI (retrieved 2026-11-27)', or the name alone without a date."""
    return _("{source} ({retrieved})").format(source=name, retrieved=retrieved(when)) if when else str(name)
