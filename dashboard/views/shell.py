"""The site's frame in the reader's language: the navigation, the language switch, the skip link and the footer.

The shell's layout (dashboard/app.py) is the same for everyone (Dash asks for it before any callback, without the
page's address); this callback fills it in from the page's address and the language the renderer sends with every
callback (dashboard/i18n.py). Links keep the language; the switch links the same page and settings in the other
language (a full page load, so that the page's <html lang> follows).
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import dash
from dash import Input, Output, callback, dcc, html

from .. import NAME, i18n, ids
from ..i18n import _


def pages() -> list[dict]:
    found = [p for p in dash.page_registry.values() if not p.get("hidden")]
    return sorted(found, key=lambda p: p.get("order", 99))


def switch_href(pathname: str, search: str, language: str) -> str:
    """The same page and settings in `language` (the default language: no lang= at all)."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k != i18n.PARAM]
    if language != i18n.DEFAULT:
        pairs.append((i18n.PARAM, language))
    path = pathname if isinstance(pathname, str) and pathname.startswith("/") else "/"
    return path + ("?" + urlencode(pairs, safe=",") if pairs else "")


def nav(pathname: str | None) -> list:
    here = (pathname or "/").rstrip("/") or "/"
    links = []
    for p in pages():
        path = p["relative_path"]
        current = (path.rstrip("/") or "/") == here
        links.append(dcc.Link(_(p["name"]), href=i18n.href(path),
                              className="nav-link current" if current else "nav-link"))
    return links


def switch(pathname: str | None, search: str | None) -> list:
    now = i18n.lang()
    items = []
    for language in i18n.LANGS:
        label = i18n.NAMES[language]
        if language == now:
            items.append(html.Span(label, className="lang-current", lang=language, **{"aria-current": "true"}))
        else:
            items.append(html.A(label, href=switch_href(pathname or "/", search or "", language), lang=language,
                                hrefLang=language, className="lang-link"))
    return items


def footer() -> list:
    return [
        _("Open data, open code. Every number names its source; see "),
        dcc.Link(_("Data & sources"), href=i18n.href("/data")), _(" and "),
        dcc.Link(_("About & method"), href=i18n.href("/about")), ".",
    ]


@callback(
    Output(ids.Shell.nav, "children"),
    Output(ids.Shell.lang, "children"),
    Output(ids.Shell.foot, "children"),
    Output(ids.Shell.skip, "children"),
    Output(ids.Shell.brand, "children"),
    Output(ids.Shell.nav, "aria-label"),
    Output(ids.Shell.lang, "aria-label"),
    Input("_pages_location", "pathname"),
    Input("_pages_location", "search"),
)
def frame(pathname, search):
    return (nav(pathname), switch(pathname, search), footer(), _("Skip to content"), _(NAME), _("Pages"),
            _("Language"))
