"""Languages: English and Spanish, with gettext catalogues read by Babel.

Which language a request is answered in (:func:`lang`):

- a page (HTML): ``?lang=es`` / ``?lang=en`` in its address, else the browser's ``Accept-Language``, else English;
  the page's ``<html lang>`` says which (dashboard/app.py);
- a Dash callback: the ``lang`` the page's renderer adds to every callback body (the page's ``<html lang>``, see
  :data:`RENDERER`), so the charts a callback draws are in the page's language;
- an export, an embed, a data download: ``?lang=`` only (an address gives the same file to everyone);
- outside a request (``borderstats export --lang es``): what :func:`using` sets.

Messages: ``_("text")`` translates now; ``N_("text")`` marks a module-level constant for the catalogue and is
translated where it is shown, with ``_(CONSTANT)``. The catalogues are ``dashboard/locale/<lang>/*.po`` (every
file of a language is read and merged; the English ones hold each message as itself), compiled in memory when the
app starts: no binary catalogue is committed. ``tools/i18n.py`` extracts the messages and updates the files;
tests/test_i18n.py fails on a message missing from a catalogue, or fuzzy, or untranslated.

Numbers and dates by locale with Babel (:func:`number`, :func:`month_year`, :func:`month_abbr`, :func:`day`):
``es`` is formatted as ``es_MX`` (1,499; "enero de 2021"), ``en`` as ``en_US``.
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import io
import json
import threading
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGS = ("en", "es")
DEFAULT = "en"
NAMES = {"en": "English", "es": "Español"}  # each in its own language (the language switch)
LOCALES = {"en": "en_US", "es": "es_MX"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PARAM = "lang"
BODY_KEY = "lang"

# Dash's renderer adds the page's language to every callback body (the CSP allows this inline script by its hash,
# as it does Dash's own: security.py)
RENDERER = ("var renderer = new DashRenderer({request_pre: function (payload) {"
            " payload.lang = document.documentElement.lang || 'en'; }});")

_forced: contextvars.ContextVar[str | None] = contextvars.ContextVar("borderstats_lang", default=None)
_catalogues: dict[str, _gettext.NullTranslations] = {}
_load_lock = threading.Lock()


def valid(value) -> str | None:
    """`value` if it names a language of the dashboard, else None."""
    return value if isinstance(value, str) and value in LANGS else None


def catalogue(lang: str) -> _gettext.NullTranslations:
    """The language's messages: every .po file of dashboard/locale/<lang>/, compiled in memory once."""
    found = _catalogues.get(lang)
    if found is not None:
        return found
    with _load_lock:
        if lang not in _catalogues:
            merged = None
            for path in sorted((LOCALE_DIR / lang).glob("*.po")):
                with path.open("rb") as f:
                    cat = read_po(f, locale=LOCALES[lang].split("_")[0])
                if merged is None:
                    merged = cat
                else:
                    for message in cat:
                        if message.id:
                            merged[message.id] = message
            if merged is None:
                _catalogues[lang] = _gettext.NullTranslations()
            else:
                buf = io.BytesIO()
                write_mo(buf, merged, use_fuzzy=False)
                buf.seek(0)
                _catalogues[lang] = _gettext.GNUTranslations(buf)
    return _catalogues[lang]


def from_request() -> str:
    """The language of the current Flask request (see the module's docstring)."""
    from flask import g, request

    cached = g.get("borderstats_lang")
    if cached:
        return cached
    chosen = valid(request.args.get(PARAM))
    if chosen is None and request.method == "POST" and request.path.endswith("/_dash-update-component"):
        try:
            body = json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            body = None
        chosen = valid(body.get(BODY_KEY)) if isinstance(body, dict) else None
    if chosen is None and page_request():
        chosen = valid(request.accept_languages.best_match(LANGS))
    chosen = chosen or DEFAULT
    g.borderstats_lang = chosen
    return chosen


def page_request() -> bool:
    """A request for a page's HTML (Dash's index routes): the only kind whose language may come from the browser."""
    from flask import request

    return request.method == "GET" and request.url_rule is not None and request.url_rule.rule in ("/", "/<path:path>")


def lang() -> str:
    """The language to answer in now."""
    forced = _forced.get()
    if forced:
        return forced
    try:
        from flask import has_request_context

        if has_request_context():
            return from_request()
    except RuntimeError:
        pass
    return DEFAULT


@contextlib.contextmanager
def using(language: str):
    """Answer in `language` inside the block (the command line's --lang; the warm-up)."""
    token = _forced.set(valid(language) or DEFAULT)
    try:
        yield
    finally:
        _forced.reset(token)


def _(message: str) -> str:
    """`message` in the current language."""
    language = lang()
    if language == DEFAULT or not message:
        return message
    return catalogue(language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark a message for the catalogue without translating it (translate it where it is shown, with _)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    language = lang()
    if language == DEFAULT:
        return singular if n == 1 else plural
    return catalogue(language).ngettext(singular, plural, n)


def locale() -> Locale:
    return Locale.parse(LOCALES[lang()])


def number(value, digits: int = 0) -> str:
    """A number as this language's newspapers print it (1,499 in both en-US and es-MX)."""
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=LOCALES[lang()])


def month_year(when) -> str:
    """'January 2021' / 'enero de 2021'."""
    return format_date(_date(when), format="LLLL yyyy" if lang() == "en" else "LLLL 'de' yyyy",
                       locale=LOCALES[lang()])


def month_abbr(when) -> str:
    """'Jan 2021' / 'ene 2021' (axis ticks)."""
    text = format_date(_date(when), format="LLL yyyy", locale=LOCALES[lang()])
    return text.replace(".", "")


def day(when) -> str:
    """'January 5, 2021' / '5 de enero de 2021'."""
    return format_date(_date(when), format="long", locale=LOCALES[lang()])


def _date(when):
    import pandas as pd

    return pd.Timestamp(when).date()


def with_lang(query: str) -> str:
    """A query string ('?a=1' or '') with this language's ``lang=`` when it is not the default (and without any
    other ``lang=``): links keep the reader's language."""
    pairs = [p for p in query.lstrip("?").split("&") if p and not p.startswith(PARAM + "=")]
    if lang() != DEFAULT:
        pairs.append(f"{PARAM}={lang()}")
    return "?" + "&".join(pairs) if pairs else ""


def href(path: str, query: str = "") -> str:
    """An address on this site in the reader's language."""
    return path + with_lang(query)
