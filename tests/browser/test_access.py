"""Phone-sized screens and the keyboard: pages stack without sideways scrolling, controls work by keyboard."""
import pytest

from tests.browser import test_phone

PAGES = ["/", "/encounters", "/compare", "/map", "/reported", "/violence", "/data", "/about"]
PHONE_MEASURED = test_phone.PAGES


@pytest.fixture
def phone(browser, server):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = Page(context.new_page(), server)
    yield p
    context.close()


@pytest.mark.parametrize("path", [p for p in PAGES if p not in PHONE_MEASURED])
def test_pages_fit_a_phone_screen(phone, path):
    """The pages without charts (the chart pages are measured, at four widths, in test_phone.py)."""
    p = phone.goto(path)
    p.wait_for_timeout(500)
    overflow = p.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    assert phone.errors == []


def test_skip_link_and_keyboard_controls(page):
    p = page.goto("/encounters")
    page.wait_for_charts(1)
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.className") == "skip"
    # the "Lines" radio reached and chosen with the keyboard alone
    p.focus("input[type=radio][value=stacked]")
    p.keyboard.press("ArrowRight")
    p.wait_for_function("window.location.search.includes('mode=lines')", timeout=20000)
    assert page.errors == []


def test_chart_table_by_keyboard(page):
    """Tab alone reaches a chart's table switch (a <summary>), Enter opens it, and it is a real table (caption,
    column and row headers) holding every row of the chart's CSV at the page's settings. On the way, every
    dropdown Tab lands on is the dropdown's button itself, named first by the control's label."""
    import csv
    import io
    import urllib.request

    p = page.goto("/encounters")
    page.wait_for_charts(1)
    seen_dropdowns = []
    for _ in range(80):
        p.keyboard.press("Tab")
        el = p.evaluate("""() => { const e = document.activeElement, by = e.getAttribute('aria-labelledby');
            return {tag: e.tagName, cls: e.className, text: e.textContent.trim(), hidden: e.getAttribute('aria-hidden'),
                    name: by ? by.split(' ').map(i => (document.getElementById(i) || {}).textContent || '').join(' ') : '',
                    label: e.id ? ([...document.querySelectorAll('label')].find(l => l.htmlFor === e.id) || {}).textContent
                                : null, table: !!e.closest('details.chart-data')}; }""")
        assert el["hidden"] != "true", f"Tab landed on an aria-hidden element: {el}"
        if "dash-dropdown" in str(el["cls"]):
            assert el["tag"] == "BUTTON" and el["label"] and el["name"].startswith(el["label"]), el
            seen_dropdowns.append(el["label"])
        if el["tag"] == "SUMMARY" and el["table"]:
            break
    else:
        raise AssertionError("no chart table switch reached by Tab")
    assert seen_dropdowns, "no dropdown reached by Tab on the way"
    p.keyboard.press("Enter")
    p.wait_for_selector("details.chart-data[open] table tbody tr", timeout=15000)
    table = p.evaluate("""() => { const t = document.querySelector('details.chart-data[open] table');
        return {caption: t.caption.textContent, cols: [...t.tHead.rows[0].cells].map(c => [c.tagName, c.scope, c.textContent]),
                rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)),
                rowHeader: [...t.tBodies[0].rows].every(r => r.cells[0].tagName === 'TH' && r.cells[0].scope === 'row'),
                csv: document.getElementById('export-encounters-csv').getAttribute('href')}; }""")
    assert table["caption"].strip()
    assert all(tag == "TH" and scope == "col" for tag, scope, _ in table["cols"]) and table["rowHeader"]
    with urllib.request.urlopen(page.base + table["csv"], timeout=30) as r:
        rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
    assert len(table["rows"]) == len(rows) > 0
    value = [name for _, _, name in table["cols"]].index("Value")
    assert [r[value] for r in table["rows"]] == [r["as_reported"] for r in rows]
    assert page.errors == []
