"""Links in the browser: a bare page writes the year it shows into the address bar; year=latest stays latest,
and choosing "Latest year in the data" writes it; the back button steps back to the fixed year."""
from __future__ import annotations

import re

TITLE_JS = """(id) => { const g = document.getElementById(id).querySelector('.js-plotly-plot');
  return g && g.layout && g.layout.meta ? g.layout.meta.title : null; }"""


def test_the_address_bar_fixes_the_year_or_follows_the_data(page):
    p = page.goto("/compare?cities=02004,08037")
    p.wait_for_function("window.location.search.includes('year=')", timeout=30000)
    year = re.search(r"year=(\d{4})", p.url)
    assert year, p.url  # the year shown now is written out (replacing the history entry, not adding one)
    p.wait_for_function(f"({TITLE_JS})('cmp-homicides') === 'Homicides in {year.group(1)}'", timeout=30000)
    # choose "Latest year in the data": the address says latest, the chart shows the same (latest) year
    p.click("#cmp-year")
    p.get_by_text("Latest year in the data").click()
    p.wait_for_function("window.location.search.includes('year=latest')", timeout=15000)
    assert p.evaluate(TITLE_JS, "cmp-homicides") == f"Homicides in {year.group(1)}"
    # the back button returns to the fixed year
    p.go_back()
    p.wait_for_function(f"window.location.search.includes('year={year.group(1)}')", timeout=15000)
    # a link with year=latest opens as latest, and stays latest
    fresh = page.goto("/compare?cities=02004,08037&year=latest")
    p.wait_for_function(f"({TITLE_JS})('cmp-homicides') === 'Homicides in {year.group(1)}'", timeout=30000)
    assert "year=latest" in fresh.url and "Latest year in the data" in p.inner_text("#cmp-year")
    assert page.errors == [] and page.external == []
