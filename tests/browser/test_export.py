"""Export and share in the browser: the panel's links follow the view, the embed page draws with no
console errors, and a permalink opened in a fresh browser gives the same figure."""
from __future__ import annotations

import json
import re

from tests.browser.conftest import Page

FIGURE_JS = """(id) => { const g = document.getElementById(id).querySelector('.js-plotly-plot');
  return JSON.stringify({data: g.data, layout: g.layout}); }"""
DRAWN_JS = """(id) => { const el = document.getElementById(id);
  const g = el && el.querySelector('.js-plotly-plot'); return !!(g && g.data && g.data.length && g._fullLayout); }"""


def test_export_links_follow_the_view(page):
    p = page.goto("/compare?cities=02004,08037,02002&percap=1")
    page.wait_for_charts(5)
    p.click("#cmp-mpp ~ details.export summary")  # the export panel (a table of the numbers is beside it)
    p.wait_for_function("document.getElementById('export-compare-mpp-png').getAttribute('href').includes('cities=')")
    href = p.get_attribute("#export-compare-mpp-png", "href")
    # the year the page shows is written out (the release's default year), so the link never drifts
    year = re.search(r"^/export/compare-mpp\.png\?cities=02004,08037,02002&year=(\d{4})&percap=1", href)
    assert year, href
    view = f"cities=02004,08037,02002&year={year.group(1)}&percap=1"
    p.check("#export-compare-mpp-size input[value='social']")
    p.wait_for_function("document.getElementById('export-compare-mpp-png').href.includes('size=social')")
    p.check("#export-compare-mpp-zoom input[value='2']")  # the pixel density is "zoom", never "scale"
    p.wait_for_function("document.getElementById('export-compare-mpp-png').href.includes('zoom=2')")
    assert "scale=" not in p.get_attribute("#export-compare-mpp-png", "href")
    assert "zoom=" not in p.get_attribute("#export-compare-mpp-pdf", "href")
    assert "download=1" in p.get_attribute("#export-compare-mpp-csv", "href")
    p.wait_for_function("document.getElementById('export-compare-mpp-permalink').value.includes('cities=')")
    permalink = p.input_value("#export-compare-mpp-permalink")
    assert permalink == page.base + "/compare?" + view
    embed = p.input_value("#export-compare-mpp-embed")
    assert embed.startswith(f'<iframe src="{page.base}/embed/compare-mpp?{view}"')
    # the iframe's title says what the chart shows (the registry's label), not its slug
    assert 'title="Reported MPP figures (compare cities) · Border migration statistics"' in embed
    resp = p.request.get(page.base + p.get_attribute("#export-compare-mpp-csv", "href"))
    assert resp.status == 200 and resp.text().startswith("chart,place_id,place,")  # the tidy table, no comments
    assert "compare-mpp,08037,Ciudad Juárez," in resp.text()
    assert page.errors == [] and page.external == []


def test_download_links_work_on_a_log_scale_view(page):
    """The page's scale=log and the export's zoom never clash: every download link answers."""
    p = page.goto("/encounters?scale=log")
    page.wait_for_charts(1)
    p.click("#enc-graph ~ details.export summary")
    p.wait_for_function("document.getElementById('export-encounters-png').getAttribute('href').includes('scale=log')")
    p.check("#export-encounters-zoom input[value='2']")
    p.wait_for_function("document.getElementById('export-encounters-png').href.includes('zoom=2')")
    for fmt in ("png", "svg", "pdf", "csv"):
        href = p.get_attribute(f"#export-encounters-{fmt}", "href")
        assert "scale=log" in href, href
        resp = p.request.get(page.base + href)
        assert resp.status == 200, (fmt, resp.status, resp.text()[:200])
    assert page.errors == [] and page.external == []


def test_embed_page_draws_with_no_console_errors(page):
    page.page.goto(page.base + "/embed/compare-homicides?cities=02004,08037,28022", wait_until="load")
    page.page.wait_for_selector("#chart .main-svg", timeout=20000)
    assert "Source:" in page.page.inner_text("footer")
    assert re.search(r"/compare\?cities=02004,08037,28022&year=\d{4}$", page.page.get_attribute("footer a", "href"))
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
