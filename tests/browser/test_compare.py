"""Compare cities in headless Chromium: charts draw, no console errors, nothing fetched from elsewhere,
and the view survives a round trip through its URL."""
from urllib.parse import parse_qs, urlparse

GRAPHS = ["cmp-mpp", "cmp-enrolled", "cmp-homicides", "cmp-monthly", "cmp-deaths-graph", "cmp-encounters"]


def figure_of(p, graph_id: str) -> dict:
    return p.evaluate(
        """(id) => { const el = document.getElementById(id).querySelector('.js-plotly-plot');
                   return {title: el.layout.meta && el.layout.meta.title, traces: el.data.length,
                           names: el.data.map(t => t.name), ys: el.data.map(t => t.y),
                           matches: el.layout.yaxis2 ? (el.layout.yaxis2.matches || null) : null}; }""",
        graph_id)


def wait_drawn(p, timeout: float = 20000):
    """Every chart of the page has been drawn with its figure (a plot counts several .main-svg)."""
    p.wait_for_function(
        """(ids) => ids.every(id => { const g = document.getElementById(id);
                                      const el = g && g.querySelector('.js-plotly-plot');
                                      return el && el.data && el.layout && el.layout.meta && el.layout.meta.title; })""",
        arg=GRAPHS, timeout=timeout)


def wait_title(p, graph_id: str, text: str):
    p.wait_for_function(
        """([id, text]) => { const el = document.getElementById(id).querySelector('.js-plotly-plot');
                             return el && el.layout && el.layout.meta && el.layout.meta.title.includes(text); }""",
        arg=[graph_id, text], timeout=15000)


def test_compare_loads_draws_and_round_trips_its_url(page, browser, server):
    p = page.goto("/compare")
    wait_drawn(p)
    for g in GRAPHS:
        assert figure_of(p, g)["title"], g
    assert p.locator("#cmp-table table tbody tr").count() == 6
    assert p.inner_text("#cmp-mpp-alt")  # the text alternative is filled in

    # change controls: a city off, another on, per capita, independent axes
    p.get_by_label("Matamoros (Tamps.)").uncheck()
    p.wait_for_function("window.location.search.includes('cities=')")
    p.get_by_label("Nogales (Son.)").check()
    p.get_by_label("Independent").check()
    p.get_by_label("Per 100,000 residents").check()
    p.wait_for_function("window.location.search.includes('percap=1') && "
                        "window.location.search.includes('axis=independent')")
    wait_title(p, "cmp-homicides", "Homicides in")
    p.wait_for_timeout(300)
    query = parse_qs(urlparse(p.url).query)
    assert "28022" not in query["cities"][0] and "26043" in query["cities"][0]
    before = {g: figure_of(p, g) for g in GRAPHS}
    table_before = p.inner_text("#cmp-table")
    assert before["cmp-monthly"]["matches"] is None  # independent y axes

    # the same URL in a fresh page gives the same view
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fresh = context.new_page()
        errors = []
        fresh.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        fresh.goto(p.url, wait_until="load", timeout=60000)
        wait_drawn(fresh)
        wait_title(fresh, "cmp-homicides", "Homicides in")
        fresh.wait_for_timeout(300)
        assert {g: figure_of(fresh, g) for g in GRAPHS} == before
        assert fresh.inner_text("#cmp-table") == table_before
        assert fresh.is_checked("text=Per 100,000 residents") or fresh.get_by_label("Per 100,000 residents").is_checked()
        assert fresh.url == p.url
        assert errors == []
    finally:
        context.close()

    # the back button steps back through the views
    p.go_back()
    p.wait_for_function("!window.location.search.includes('percap=1')", timeout=10000)
    # ... and the page is drawn again from that URL: the per-capita box is unticked again
    box = p.get_by_label("Per 100,000 residents")
    for _ in range(100):
        if not box.is_checked():
            break
        p.wait_for_timeout(100)
    assert not box.is_checked()

    assert page.errors == []
    assert page.external == []


def test_compare_hostile_link_shows_a_notice_and_defaults(page):
    p = page.goto("/compare?cities=02004,%3Cscript%3Ealert(1)%3C/script%3E&km=99999&axis=sideways")
    wait_drawn(p)
    notice = p.inner_text("#page-notices")
    assert "Cities" in notice and "out of range" in notice and "Y axis" in notice
    assert p.locator("script:text('alert(1)')").count() == 0
    # the address bar is cleaned to the view actually shown
    p.wait_for_function("!window.location.search.includes('script')")
    assert page.errors == []
    assert page.external == []
