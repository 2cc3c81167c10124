"""MPP & reported figures in headless Chromium: the chart draws, no console errors, nothing external,
and a filtered view survives the round trip through its URL."""

FIG_JS = """() => { const el = document.getElementById('rep-graph').querySelector('.js-plotly-plot');
  return JSON.stringify({n: el.data.length, x: el.data.map(t => t.x), meta: el.layout.meta}); }"""


def test_reported_page_draws_and_round_trips_through_the_url(page, browser):
    p = page.goto("/reported")
    page.wait_for_charts(1)
    p.wait_for_selector(".fig-item")
    assert p.locator(".fig-item").count() >= 1
    assert "Definition" in p.inner_text("#rep-list")
    before = p.evaluate(FIG_JS)
    all_count = p.inner_text("#rep-count")

    box = p.locator("#rep-q")
    box.fill("court")
    box.press("Enter")
    p.wait_for_function("window.location.search.includes('q=court')", timeout=10000)
    p.wait_for_function("t => document.getElementById('rep-count').innerText !== t", arg=all_count, timeout=10000)
    p.locator("#rep-percap input[type=checkbox]").check()
    p.wait_for_function("window.location.search.includes('percap=1')", timeout=10000)
    p.wait_for_timeout(300)
    url = p.url
    view = p.evaluate(FIG_JS)
    count = p.inner_text("#rep-count")
    assert view != before

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    fresh.goto(url, wait_until="load", timeout=60000)
    fresh.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=15000)
    assert fresh.evaluate(FIG_JS) == view
    assert fresh.input_value("#rep-q") == "court"
    assert fresh.inner_text("#rep-count") == count
    fresh.context.close()
    assert page.errors == []
    assert page.external == []


def test_hostile_link_shows_a_notice(page):
    p = page.goto("/reported?metric=%3Cscript%3Ealert(1)%3C/script%3E&q=" + "x" * 300)
    p.wait_for_selector("#page-notices[role=alert]")
    assert "not valid" in p.inner_text("#page-notices")
    page.wait_for_charts(1)
    assert page.errors == []


MPP_JS = """() => { const el = document.getElementById('rep-mpp-graph').querySelector('.js-plotly-plot');
  const bars = el.data.filter(t => t.type === 'bar');
  return JSON.stringify({bars: bars.map(t => ({name: t.name, x: t.x, y: Array.from(t.y)})), meta: el.layout.meta}); }"""
# CBP Total, January–September 2020, as printed on CBP's FY 2020 page (../shared/data/real/cbp-mpp/README.md)
CBP_TOTAL_2020 = [1974, 1829, 2255, 215, 124, 208, 382, 768, 1167]


def test_official_enrolments_chart_draws_cbps_totals_and_its_split_is_in_the_url(page, browser):
    import json

    p = page.goto("/reported?split=total")
    page.wait_for_charts(2)
    view = json.loads(p.evaluate(MPP_JS))
    assert len(view["bars"]) == 1
    by_month = dict(zip([x[:7] for x in view["bars"][0]["x"]], view["bars"][0]["y"]))
    assert [by_month[f"2020-{m:02d}"] for m in range(1, 10)] == CBP_TOTAL_2020
    assert "2019-06" not in by_month  # no zero bars before CBP's first page
    assert any("No official table before January 2020" in n for n in view["meta"]["notes"])
    assert view["meta"].get("key"), "the policy events are numbered and keyed"
    p.get_by_label("Sector or field office").check()
    p.wait_for_function("window.location.search.includes('split=area')", timeout=10000)
    p.wait_for_function(f"() => JSON.parse(({MPP_JS})()).bars.length > 3", timeout=10000)
    split = json.loads(p.evaluate(MPP_JS))
    assert "El Paso sector" in [b["name"] for b in split["bars"]]
    assert page.errors == []
    assert page.external == []
