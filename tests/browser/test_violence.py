"""Violence page in headless Chromium: three charts, no console errors, the URL keeps the view."""

META = """id => { const g = document.getElementById(id); const p = g && g.querySelector('.js-plotly-plot');
  return p && p.layout && p.layout.meta ? p.layout.meta : null; }"""


def test_violence_charts_and_url_round_trip(page, browser):
    p = page.goto("/violence")
    page.wait_for_charts(3, timeout=60000)
    # a chart may be drawn again once (Dash replaces a figure as its data arrives): wait until both carry their meta
    # (a CI run under load read one between two draws)
    p.wait_for_function(f"""() => ({META})('vio-homicides') && ({META})('vio-victims')""", timeout=60000)
    assert page.errors == [] and page.external == []
    first = p.evaluate(META, "vio-homicides")
    assert "INEGI" in first["subtitle"] and "SESNSP" in p.evaluate(META, "vio-victims")["subtitle"]
    p.get_by_label("States").check()
    p.wait_for_function("window.location.search.includes('level=state')", timeout=60000)
    p.get_by_label("Counts").check()
    p.wait_for_function("window.location.search.includes('measure=count')", timeout=60000)
    p.wait_for_function(f"""() => {{ const m = ({META})('vio-homicides'); return m && m.title === 'Homicides in the states'; }}""", timeout=60000)
    metas = {i: p.evaluate(META, i) for i in ("vio-homicides", "vio-victims", "vio-subtypes")}
    url = p.url
    fresh = browser.new_page()
    try:
        fresh.goto(url, wait_until="load", timeout=60000)
        fresh.wait_for_function(f"""() => {{ const m = ({META})('vio-homicides'); return m && m.title === 'Homicides in the states'; }}""", timeout=60000)
        fresh.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=60000)
        for i, meta in metas.items():
            assert fresh.evaluate(META, i) == meta
        assert fresh.get_by_label("States").is_checked() and fresh.get_by_label("Counts").is_checked()
    finally:
        fresh.close()
    assert page.errors == []


def test_violence_hostile_link_shows_a_notice(page):
    p = page.goto("/violence?subtype=%3Cscript%3Ealert(1)%3C/script%3E&from=2020-01&to=2015-01")
    p.wait_for_selector("#page-notices li")
    text = p.inner_text("#page-notices")
    assert "Crime subtype" in text and "reversed" in text
    page.wait_for_charts(3, timeout=60000)
    assert page.errors == []
