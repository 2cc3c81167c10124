"""/feed.atom: an Atom feed (RFC 4287) announcing each release with its change summary, so that a newsroom can
subscribe and learn when a number it printed was revised.

One entry per release the warehouse keeps, newest first: its id, publication time, a title saying how many
tables changed and how many figures were revised, a link to the Data & sources page, and the change report's
summary as plain text (written by xml.etree, which escapes it: text from data files is never HTML here).
Links are absolute, from the public base URL (dashboard/publicurl.py), never from the request's Host.
``/feed.atom?lang=es``: the feed's own words in Spanish (its xml:lang says which), its links to Spanish pages.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import Response

from . import data_access, i18n, publicurl
from .i18n import N_, _, ngettext

ATOM = "http://www.w3.org/2005/Atom"
PATH = "/feed.atom"
MEDIA_TYPE = "application/atom+xml"
TITLE = N_("Border migration statistics: new releases and revised figures")
AUTHOR = N_("Border migration statistics")
DATA_PAGE = "/data"
ENTRIES = 20

ET.register_namespace("", ATOM)


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        e.text = text
    return e


def entry_id(base: str, release_id: str, published_at: str | None) -> str:
    """A tag URI (RFC 4151) for a release: stable, and unique to this installation's public address."""
    host = urlsplit(base).hostname or "localhost"
    day = (published_at or "")[:10] or "2000-01-01"
    return f"tag:{host},{day}:release/{release_id}"


def entry_title(release_id: str, rep: dict | None) -> str:
    if rep is None or rep.get("error"):
        return _("Release {release}").format(release=release_id)
    tables = rep.get("tables") or {}
    revised = sum(int(t.get("revisions_total") or 0) for t in tables.values())
    if not rep.get("previous"):
        return ngettext("Release {release}: the first release ({n} table)",
                        "Release {release}: the first release ({n} tables)", len(tables)).format(
            release=release_id, n=len(tables))
    changed = ngettext("{n} table changed", "{n} tables changed", len(tables)).format(n=len(tables))
    figures = ngettext("{n} figure revised", "{n} figures revised", revised).format(n=i18n.number(revised))
    return _("Release {release}: {tables}, {figures}").format(release=release_id, tables=changed, figures=figures)


def entry_summary(rep: dict | None) -> str:
    if rep is None:
        return _("This release has no change report.")
    if rep.get("error"):
        return str(rep["error"])
    return "\n".join(data_access.change_summary(rep))


def build(releases: list[dict], base: str, now: datetime | None = None) -> bytes:
    """The feed document for `releases` (newest first: id, published_at, changes), with links under `base`, in the
    current language (its id is the same in every language: one feed)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": i18n.lang()})
    _el(feed, "id", publicurl.absolute(PATH, base))
    _el(feed, "title", _(TITLE))
    latest = releases[0]["published_at"] if releases and releases[0].get("published_at") else None
    _el(feed, "updated", latest or (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    _el(_el(feed, "author"), "name", _(AUTHOR))
    _el(feed, "link", rel="self", type=MEDIA_TYPE, href=publicurl.absolute(i18n.href(PATH), base))
    data_page = publicurl.absolute(i18n.href(DATA_PAGE), base)
    _el(feed, "link", rel="alternate", type="text/html", href=data_page)
    for r in releases:
        entry = _el(feed, "entry")
        _el(entry, "id", entry_id(base, r["id"], r.get("published_at")))
        _el(entry, "title", entry_title(r["id"], r.get("changes")))
        _el(entry, "updated", r.get("published_at") or latest or "1970-01-01T00:00:00Z")
        _el(entry, "link", rel="alternate", type="text/html", href=data_page)
        _el(entry, "summary", entry_summary(r.get("changes")), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def register(server) -> None:
    """GET /feed.atom."""

    def feed_route():
        body = build(data_access.recent_releases(ENTRIES), publicurl.base_url())
        return Response(body, mimetype=MEDIA_TYPE, headers={"Cache-Control": "public, max-age=300"})

    server.add_url_rule(PATH, "borderstats_feed", feed_route, methods=["GET", "HEAD"])
