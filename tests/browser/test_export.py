"""Export and share in the browser: the panel's links follow the view, the embed page draws with no
console errors, and a permalink opened in a fresh browser gives the same figure."""
from __future__ import annotations

import json

from tests.browser.conftest import Page

FIGURE_JS = """(id) => { const g = document.getElementById(id).querySelector('.js-plotly-plot');
  return JSON.stringify({data: g.data, layout: g.layout}); }"""
DRAWN_JS = """(id) => { const el = document.getElementById(id);
  const g = el && el.querySelector('.js-plotly-plot'); return !!(g && g.data && g.data.length && g._fullLayout); }"""


def test_export_links_follow_the_view(page):
    p = page.goto("/compare?cities=02004,08037,02002&percap=1")
    page.wait_for_charts(5)
    p.click("#cmp-mpp + figcaption + details summary")
    p.wait_for_function("document.getElementById('export-compare-mpp-png').getAttribute('href').includes('cities=')")
    href = p.get_attribute("#export-compare-mpp-png", "href")
    assert href.startswith("/export/compare-mpp.png?cities=02004,08037,02002&percap=1")
    p.check("#export-compare-mpp-size input[value='social']")
    p.wait_for_function("document.getElementById('export-compare-mpp-png').href.includes('size=social')")
    assert "download=1" in p.get_attribute("#export-compare-mpp-csv", "href")
    p.wait_for_function("document.getElementById('export-compare-mpp-permalink').value.includes('cities=')")
    permalink = p.input_value("#export-compare-mpp-permalink")
    assert permalink == page.base + "/compare?cities=02004,08037,02002&percap=1"
    embed = p.input_value("#export-compare-mpp-embed")
    assert embed.startswith(f'<iframe src="{page.base}/embed/compare-mpp?cities=02004,08037,02002&percap=1"')
    resp = p.request.get(page.base + p.get_attribute("#export-compare-mpp-csv", "href"))
    assert resp.status == 200 and resp.text().startswith("chart,place_id,place,")  # the tidy table, no comments
    assert "compare-mpp,08037,Ciudad Juárez," in resp.text()
    assert page.errors == [] and page.external == []


def test_embed_page_draws_with_no_console_errors(page):
    page.page.goto(page.base + "/embed/compare-homicides?cities=02004,08037,28022", wait_until="load")
    page.page.wait_for_selector("#chart .main-svg", timeout=20000)
    assert "Source:" in page.page.inner_text("footer")
    assert page.page.get_attribute("footer a", "href").endswith("/compare?cities=02004,08037,28022")
    page.page.set_viewport_size({"width": 360, "height": 640})  # responsive: fits a phone
    page.page.wait_for_timeout(300)
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.errors == [] and page.external == []


def test_permalink_in_a_fresh_browser_gives_the_same_figure(page, browser, server):
    p = page.goto("/compare?cities=02004,08037,28022,28027&axis=independent")
    p.wait_for_function(DRAWN_JS, arg="cmp-monthly", timeout=30000)  # that chart, not just any five SVGs
    p.wait_for_function("document.getElementById('export-compare-monthly-permalink').value.length > 0")
    link = p.input_value("#export-compare-monthly-permalink")
    first = json.loads(p.evaluate(FIGURE_JS, "cmp-monthly"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # no shared state: a fresh browser
    try:
        fresh = Page(context.new_page(), server)
        fresh.page.goto(link, wait_until="load")
        fresh.page.wait_for_function(DRAWN_JS, arg="cmp-monthly", timeout=30000)
        second = json.loads(fresh.page.evaluate(FIGURE_JS, "cmp-monthly"))
        assert second["data"] == first["data"]
        assert {k: v for k, v in second["layout"].items() if k not in ("width", "height", "autosize")} == \
            {k: v for k, v in first["layout"].items() if k not in ("width", "height", "autosize")}
        assert fresh.errors == []
    finally:
        context.close()
