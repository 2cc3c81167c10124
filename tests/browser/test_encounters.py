"""Encounters page in headless Chromium: it draws, nothing external, no console errors; the URL round trip."""
import re

GRAPH = "#enc-graph .js-plotly-plot"
FIGURE = ("(() => { const g = document.querySelector('#enc-graph .js-plotly-plot');"
          " return JSON.stringify({data: g.data.map(t => [t.name, t.x && t.x.length, t.stackgroup || null]),"
          " title: g.layout.title.text, ytype: g.layout.yaxis.type}); })()")


def settle(p):
    p.wait_for_load_state("load")
    p.wait_for_timeout(300)


def test_encounters_loads_and_draws(page):
    p = page.goto("/encounters")
    page.wait_for_charts(1)
    assert "Monthly encounters" in p.inner_text("#enc-alt")
    assert p.locator("#enc-events li, #enc-events p").count() >= 1
    assert page.errors == []
    assert page.external == []


def test_url_state_round_trip(page, browser):
    p = page.goto("/encounters")
    page.wait_for_charts(1)
    # switch to lines and log scale: the address bar follows
    p.get_by_label("Lines").check()
    settle(p)
    p.get_by_label("Log").check()
    settle(p)
    p.wait_for_function("window.location.search.includes('scale=log')")
    assert re.search(r"mode=lines", p.url)
    before = p.evaluate(FIGURE)
    assert '"ytype":"log"' in before
    # the same link in a fresh page gives the same view
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fresh = context.new_page()
        fresh.goto(p.url, wait_until="load", timeout=60000)
        fresh.wait_for_selector(GRAPH + " .main-svg")
        fresh.wait_for_timeout(300)
        assert fresh.evaluate(FIGURE) == before
        assert fresh.get_by_label("Lines").is_checked()
    finally:
        context.close()
    assert page.errors == []


def test_dataset_change_and_hostile_link(page):
    p = page.goto("/encounters?dataset=%3Cscript%3E&from=2024-13&mode=3d")
    page.wait_for_charts(1)
    assert "not valid" in p.inner_text("#page-notices")
    # cleaned to the defaults; the default dataset is written out (a link never drifts to another dataset)
    p.wait_for_function("window.location.search.includes('dataset=cbp_southwest')", timeout=15000)
    assert "script" not in p.url.lower() and "mode=" not in p.url and "from=2024-13" not in p.url
    p.goto(page.base + "/encounters?dataset=usbp_history_monthly&breakdown=area", wait_until="load", timeout=60000)
    page.wait_for_charts(1)
    fig = p.evaluate(FIGURE)
    assert "apprehensions by sector" in fig and '"one"' in fig  # stacked by sector
    assert page.errors == []
    assert page.external == []
