"""/feed.atom (issue 14, section 4): each release announced with its change summary, valid Atom (RFC 4287), text
escaped; the Data & sources page lists recent revisions and links the feed, as does every page's head."""
from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from etl.warehouse import Warehouse
from tests.support.dashpages import page_layout, text_of

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def app(three_releases):
    """An app over three releases in which incident 2019.MMP00001's dead go 1 -> 4 -> 5 (tests/conftest.py)."""
    from dashboard.app import create_app

    a = create_app(three_releases, bootstrap=False)
    a.data_dir = three_releases
    return a


def text(e) -> str:
    return (e.text or "").strip()


def test_the_feed_is_atom_with_one_entry_per_release(app, monkeypatch):
    monkeypatch.setenv("BORDERSTATS_PUBLIC_URL", "https://borderstats.example.org")
    r = app.server.test_client().get("/feed.atom", headers={"Host": "evil.example"})
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    root = ET.fromstring(r.data)
    assert root.tag == f"{A}feed"  # the Atom namespace
    # RFC 4287 4.1.1: atom:feed has exactly one id, title and updated; an author (here at feed level)
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1 and text(root.find(f"{A}{tag}")), tag
    assert text(root.find(f"{A}author/{A}name"))
    releases = list(reversed(Warehouse(app.data_dir).releases()))
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(releases) == 3
    ids = []
    for entry, release in zip(entries, releases):  # newest first
        for tag in ("id", "title", "updated"):  # 4.1.2: exactly one each
            assert len(entry.findall(f"{A}{tag}")) == 1 and text(entry.find(f"{A}{tag}")), tag
        assert text(entry.find(f"{A}updated")) == release.manifest["published_at"]
        assert release.id in text(entry.find(f"{A}title"))
        link = entry.find(f"{A}link[@rel='alternate']")
        assert link.get("href") == "https://borderstats.example.org/data"  # the public URL, never the Host
        summary = entry.find(f"{A}summary")
        assert summary.get("type") == "text"
        ids.append(text(entry.find(f"{A}id")))
    assert len(set(ids)) == 3 and all(i.startswith("tag:borderstats.example.org,") for i in ids)
    assert text(root.find(f"{A}updated")) == releases[0].manifest["published_at"]
    # the newest entry says what its change report says: one figure revised, 4 -> 5
    newest = entries[0]
    assert "1 figure revised" in text(newest.find(f"{A}title"))
    assert "dead: 4 -> 5" in text(newest.find(f"{A}summary"))
    assert "the first release" in text(entries[-1].find(f"{A}title"))


def test_text_from_a_change_report_is_escaped_never_markup():
    from dashboard import feed

    rep = {"release": "r2", "previous": "r1", "tables": {"encounters": {
        "rows_before": 1, "rows_after": 1, "added": 0, "removed": 0, "changed": 1, "new_periods": [],
        "removed_periods": [], "revisions_total": 1, "revisions": [{
            "key": {"citizenship": "<script>alert(1)</script> & co"}, "field": "count", "old": 1, "new": 2,
            "change": 1, "percent": 100.0}]}}}
    body = feed.build([{"id": "r2", "published_at": "2026-01-02T03:04:05Z", "changes": rep}], "https://x.example")
    assert b"<script>" not in body and b"&lt;script&gt;" in body
    summary = ET.fromstring(body).find(f"{A}entry/{A}summary")
    assert "<script>alert(1)</script> & co" in summary.text and len(summary) == 0  # text, no child elements


def test_an_empty_warehouse_gives_a_valid_feed_without_entries():
    from dashboard import feed

    root = ET.fromstring(feed.build([], "https://x.example"))
    assert root.tag == f"{A}feed" and not root.findall(f"{A}entry") and text(root.find(f"{A}updated"))


def test_every_page_head_links_the_feed(app):
    html = app.server.test_client().get("/data").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/feed.atom"' in html


def test_the_data_page_lists_recent_revisions_and_links_the_feed(app):
    page = text_of(page_layout("/data"))
    assert "Recent revisions" in page and "Atom feed" in page
    releases = Warehouse(app.data_dir).releases()
    # one revised figure: first published 1 (in the first release), now 5 (revised twice, last in the third)
    assert "2019.MMP00001 · dead" in page
    assert f"{releases[-1].manifest['published_at'][:10]} ({releases[-1].id}), revised 2 times" in page


def test_the_feed_in_spanish(app, monkeypatch):
    """/feed.atom?lang=es: the feed's own words in Spanish, xml:lang es, links to the Spanish Data page; the same
    feed id (one feed in two languages)."""
    monkeypatch.setenv("BORDERSTATS_PUBLIC_URL", "https://borderstats.example.org")
    client = app.server.test_client()
    en, es = (ET.fromstring(client.get(url).data) for url in ("/feed.atom", "/feed.atom?lang=es"))
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert (en.get(xml_lang), es.get(xml_lang)) == ("en", "es")
    assert text(es.find(f"{A}id")) == text(en.find(f"{A}id"))
    assert text(es.find(f"{A}title")).startswith("Estadísticas de migración en la frontera: nuevas publicaciones")
    entries = es.findall(f"{A}entry")
    assert len(entries) == 3
    assert all(text(e.find(f"{A}title")).startswith("Publicación ") for e in entries)
    assert "la primera publicación" in text(entries[-1].find(f"{A}title"))  # the oldest, first release
    assert re.search(r": \d+ tablas? modificadas?, [\d,]+ cifras? revisadas?$", text(entries[0].find(f"{A}title")))
    assert {e.find(f"{A}link[@rel='alternate']").get("href") for e in entries} == {
        "https://borderstats.example.org/data?lang=es"}
    # English unchanged: the same counts in the same places
    assert re.sub(r"\D+", " ", text(en.findall(f"{A}entry")[0].find(f"{A}title"))) == \
        re.sub(r"\D+", " ", text(entries[0].find(f"{A}title")))
