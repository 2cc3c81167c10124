"""WCAG 2.1 AA, checked by axe-core (issue 15, Access): every page and every embed, in English and in Spanish,
has no violation that axe rates serious or critical once its charts are drawn; and `<html lang>` names the
language the page is written in.

axe-core comes bundled with axe-playwright-python (its axe.min.js, no network). One browser page per language
walks every address, so the whole check costs a page load and an axe run per address. To stay within the suite's
time, embeds go through axe in English only (their markup and styles do not change with the language); their
`lang` is checked in both languages.
"""
from __future__ import annotations

import re
import time
import urllib.request

import pytest

from dashboard.export.registry import CHARTS

PAGES = ["/", "/encounters", "/compare", "/map", "/reported", "/violence", "/data", "/about"]
EMBEDS = [f"/embed/{name}" for name in CHARTS]
# WCAG 2.0 and 2.1, levels A and AA: the standard public-interest dashboards are held to
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = {"serious", "critical"}
# Dash draws a page's charts after its callbacks answer: every graph has its SVG and no callback is pending
DRAWN_JS = """() => !document.querySelector('[data-dash-is-loading]')
  && [...document.querySelectorAll('.dash-graph, #chart')].every(g => g.querySelector('.main-svg'))"""
# what a reader sees first, which changes once a page is translated: the navigation and the heading
WORDING_JS = """() => [...document.querySelectorAll('nav a, h1, .skip, main.embed footer a')]
  .map(e => e.textContent.trim()).join('|')"""


# Plotly's drawing (the SVG inside each chart) is left out: plotly.js draws it, there is nothing in it to change
# here, and every chart has its text alternative outside it (the caption and the table of its numbers under it on
# a page, the description in an embed), which axe does check. The mode bar's buttons are outside the SVG: checked.
CONTEXT = {"exclude": [[".main-svg"]]}
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}


def _install_axe(page) -> None:
    """axe-core in every document the page opens, before the page's own scripts (not sent again per address)."""
    script = pytest.importorskip("axe_playwright_python.base").AXE_SCRIPT
    page.page.context.add_init_script(script)


def _open(page, path: str):
    p = page.page
    p.goto(page.base + path, wait_until="load", timeout=60000)
    p.wait_for_selector("main h1", timeout=60000)
    p.wait_for_function(DRAWN_JS, timeout=30000)
    # assets/a11y.js repairs Dash's controls in the next animation frame after Dash draws them
    p.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return p


def _check(page, path: str) -> tuple[list[str], dict]:
    p = _open(page, path)
    found = p.evaluate("([context, options]) => axe.run(context, options)", [CONTEXT, OPTIONS])
    problems, counts = [], {}
    for v in found["violations"]:
        counts[(v["id"], v["impact"])] = counts.get((v["id"], v["impact"]), 0) + len(v["nodes"])
        if v["impact"] in FAILING:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
            problems.append(f"{path}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements) {v['help']}; "
                            f"at {targets}")
    return problems, counts


def _lang_problem(page, path: str, lang: str, english_wording: str) -> str | None:
    """`<html lang>` must name the language the page is written in: "es" once the page reads differently
    from its English version (translated), "en" while it still reads the same."""
    p = page.page
    said = p.evaluate("() => document.documentElement.lang")
    wording = p.evaluate(WORDING_JS)
    expected = "en" if lang == "en" or wording == english_wording else "es"
    if said != expected:
        return f"{path}: <html lang={said!r}>, but the page is written in {expected!r}"
    return None


@pytest.fixture(scope="module")
def english_wording():
    """What each address reads in English (filled by the English run, or on demand when Spanish runs alone)."""
    return {}


def _english(page, path: str, english_wording: dict) -> str:
    if path not in english_wording:
        _open(page, f"{path}?lang=en")
        english_wording[path] = page.page.evaluate(WORDING_JS)
    return english_wording[path]


def _embed_lang(base: str, path: str, lang: str) -> str | None:
    """An embed's `<html lang>` is in the page the server sends (no script changes it): read it over HTTP, with the
    wording (its heading and links) of the page in `lang` against the English one."""
    def get(query: str) -> tuple[str, str]:
        with urllib.request.urlopen(f"{base}{path}?lang={query}", timeout=60) as r:
            text = r.read().decode("utf-8")
        said = re.search(r'<html[^>]*\slang="([^"]*)"', text)
        words = "|".join(h or a for h, a in re.findall(r"<h1[^>]*>(.*?)</h1>|<a [^>]*>(.*?)</a>", text, re.S))
        return (said.group(1) if said else ""), words
    said, words = get(lang)
    expected = "en" if lang == "en" or words == get("en")[1] else lang
    if said != expected:
        return f"{path}?lang={lang}: <html lang={said!r}>, but the page is written in {expected!r}"
    return None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_serious_or_critical_violation(page, lang, english_wording):
    """Pages in both languages; embeds through axe in English only (the time budget: an embed's markup and styles
    do not change with the language, only its words), and the `lang` of each checked in both."""
    _install_axe(page)
    started = time.monotonic()
    problems, counts = [], {}
    for path in PAGES + EMBEDS:
        url = f"{path}?lang={lang}"
        if lang != "en" and path in EMBEDS:
            problems += filter(None, [_embed_lang(page.base, path, lang)])
            continue
        english = _english(page, path, english_wording) if lang != "en" else None
        found, seen = _check(page, url)
        problems += found
        for k, n in seen.items():
            counts[k] = counts.get(k, 0) + n
        if lang == "en":
            english = english_wording[path] = page.page.evaluate(WORDING_JS)
        wrong = _lang_problem(page, url, lang, english)
        if wrong:
            problems.append(wrong)
    print(f"\naxe ({lang}): {len(PAGES + EMBEDS)} addresses in {time.monotonic() - started:.1f} s; all violations "
          f"by rule: {dict(sorted(counts.items()))}")
    assert not problems, "\n".join(problems)
    assert page.errors == []
