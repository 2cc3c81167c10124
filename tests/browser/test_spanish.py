"""Spanish, as a reader sees it (issue 15): every page and every embed opened with ?lang=es shows no English UI
text. What counts as English UI text: any message of the English catalogue (dashboard/locale/en) whose Spanish
translation differs from it (so proper names, "MPP", "CBP" and the like, the same in both, are allowed), found in
the visible text of the page, its charts' SVG text included. Data values (place names, quotes in their original
language, between “ and ”) and the publishers' registered names do not count. A message with placeholders is looked for by its fixed
parts of three words or more.

Also: the page says lang="es", a Spanish page's links keep lang=es, and a Spanish share link (permalink) opens
in Spanish."""
from __future__ import annotations

import re

import pytest

from dashboard import i18n

PAGES = ["/", "/encounters", "/compare", "/map", "/reported", "/violence", "/data", "/about"]
WORD = re.compile(r"[A-Za-z]{2,}")

VISIBLE_TEXT_JS = """() => {
  const parts = [document.body.innerText];
  document.querySelectorAll('.js-plotly-plot svg text').forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.width > 0 && t.textContent) parts.push(t.textContent);
  });
  return parts.join('\\n');
}"""


def english_fragments() -> list[str]:
    """The English catalogue's messages that Spanish translates differently, as fixed fragments to look for."""
    es = i18n.catalogue("es")
    out = set()
    for message in _english_ids():
        if es.gettext(message) == message:
            continue  # the same in both languages: a name, an acronym
        for part in re.split(r"\{[^}]*\}|%\(?\w*\)?[sd]", message):
            part = " ".join(part.split())
            if len(WORD.findall(part)) >= 3 or (part == " ".join(message.split()) and len(WORD.findall(part)) >= 2):
                out.add(part)
    return sorted(out, key=len, reverse=True)


def _english_ids() -> list[str]:
    from babel.messages.pofile import read_po

    ids = []
    for path in sorted((i18n.LOCALE_DIR / "en").glob("*.po")):
        with path.open("rb") as f:
            ids += [m.id for m in read_po(f) if isinstance(m.id, str) and m.id]
    return ids


def proper_names() -> list[str]:
    """Publishers' and their files' names as they are registered (data/reference/sources.toml): proper names,
    shown as published in both languages ("IOM Missing Migrants Project")."""
    from etl.registry import load_registry

    names = set()
    for source in load_registry().sources.values():
        names.update(n for n in (source.publisher, source.title, getattr(source, "attribution", None),
                                 getattr(source, "licence", None)) if n)
    return sorted(names, key=len, reverse=True)


def english_left(text: str, fragments: list[str]) -> list[str]:
    flat = " ".join(text.split())
    for name in proper_names():
        flat = flat.replace(name, " ")
    flat = re.sub(r"“[^”]*”", " ", flat)  # quotes from reports stay in their original language
    return [f for f in fragments if f in flat]


@pytest.fixture(scope="module")
def fragments():
    found = english_fragments()
    assert len(found) > 50, "the English catalogue is nearly empty: nothing would be checked"
    return found


def test_every_page_in_spanish_has_no_english_ui_text(page, fragments):
    left = {}
    for path in PAGES:
        p = page.goto(path + "?lang=es")
        assert p.evaluate("document.documentElement.lang") == "es", path
        if path in ("/encounters", "/compare", "/map", "/violence", "/reported"):
            page.wait_for_charts(1, timeout=30000)
        p.wait_for_timeout(300)
        found = english_left(p.evaluate(VISIBLE_TEXT_JS), fragments)
        if found:
            left[path] = found[:8]
        links = p.evaluate("Array.from(document.querySelectorAll('nav a')).map(a => a.getAttribute('href'))")
        assert links and all("lang=es" in h for h in links), (path, links)
    assert left == {}
    assert page.errors == []


def test_every_embed_in_spanish_has_no_english_ui_text(page, fragments):
    from dashboard.export import registry

    left = {}
    for name in registry.CHARTS:
        p = page.page
        p.goto(f"{page.base}/embed/{name}?lang=es", wait_until="load", timeout=60000)
        assert p.evaluate("document.documentElement.lang") == "es", name
        page.wait_for_charts(1, timeout=30000)
        found = english_left(p.evaluate(VISIBLE_TEXT_JS), fragments)
        if found:
            left[name] = found[:8]
    assert left == {}
