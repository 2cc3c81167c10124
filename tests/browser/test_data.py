"""Data & sources in headless Chromium: a page of rows, next page and filter in the URL, the same view
from that URL in a fresh page; the dictionary and sources are shown."""


def test_data_page_pages_filters_and_round_trips(page, browser):
    p = page.goto("/data?table=reported_figures")
    p.wait_for_selector("table.rows tbody tr")
    assert p.locator("table.rows tbody tr").count() == 25
    assert "Data dictionary: reported_figures" in p.inner_text("#data-dictionary")
    assert "Retrieved at" in p.inner_text("#data-sources")
    assert p.get_attribute("#data-downloads a >> nth=0", "href") == "/api/v1/tables/reported_figures.csv"

    p.click("#data-next")
    p.wait_for_function("window.location.search.includes('page=2')", timeout=10000)
    p.wait_for_function("document.getElementById('data-info').innerText.includes('page 2 of')", timeout=10000)
    assert p.locator("table.rows tbody tr").count() == 31 - 25

    # filter: column "metric" (chosen by URL) containing "court" -> back to page 1
    p2 = page.goto("/data?table=reported_figures&filter=metric:mpp&sort=value&order=desc")
    p2.wait_for_selector("table.rows tbody tr")
    box = p2.locator("#data-filter-text")
    box.fill("court")
    box.press("Enter")
    p2.wait_for_function("window.location.search.includes('filter=metric%3Acourt')", timeout=10000)
    p2.wait_for_function("document.getElementById('data-info').innerText.includes('matching the filter')",
                         timeout=10000)
    url = p2.url
    info = p2.inner_text("#data-info")
    first_rows = p2.inner_text("table.rows tbody")

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    fresh.goto(url, wait_until="load", timeout=60000)
    fresh.wait_for_selector("table.rows tbody tr")
    assert fresh.inner_text("#data-info") == info
    assert fresh.inner_text("table.rows tbody") == first_rows
    assert fresh.input_value("#data-filter-text") == "court"
    fresh.context.close()
    assert page.errors == []
    assert page.external == []


def test_hostile_data_link_falls_back_with_a_notice(page):
    p = page.goto("/data?table=..%2F..%2Fetc&sort=%3Cscript%3E&page=-1&size=9999")
    p.wait_for_selector("#page-notices[role=alert]")
    text = p.inner_text("#page-notices")
    assert "Table" in text and "Page" in text
    p.wait_for_selector("table.rows tbody tr")
    assert page.errors == []


def test_filtered_download_link_gives_the_rows_shown(page):
    """Filter homicides to Ciudad Juárez by its name on the page: the CSV link carries the filter and the sort,
    and the CSV it gives has the page's row count, its first rows in the page's order, with place names."""
    import csv
    import io
    import re

    p = page.goto("/data?table=homicides&filter=place_name:x&sort=month&order=desc")
    p.wait_for_selector("table.rows tbody tr")
    assert p.get_attribute("#data-filter-text", "placeholder") == "e.g. Juárez or Tucson"
    box = p.locator("#data-filter-text")
    box.fill("Ciudad Juárez")
    box.press("Enter")
    p.wait_for_function("document.getElementById('data-info').innerText.includes('matching the filter')",
                        timeout=15000)
    p.wait_for_function("[...document.querySelectorAll('#data-downloads a')].some("
                        "a => a.getAttribute('href').includes('Ciudad'))", timeout=15000)
    matched = int(re.search(r"of ([\d,]+) matching", p.inner_text("#data-info")).group(1).replace(",", ""))
    href = p.get_attribute("#data-downloads a >> text=CSV >> nth=0", "href")
    assert href.startswith("/api/v1/tables/homicides.csv?") and "sort=-month" in href
    assert "filter=place_name:Ciudad+Ju" in href
    assert f"({matched:,} rows)" in p.inner_text("#data-downloads")
    response = p.request.get(page.base + href)
    assert response.status == 200 and response.headers["x-borderstats-rows"] == str(matched)
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == matched > 0
    assert {r["place_name"] for r in rows} == {"Ciudad Juárez"} and {r["place_id"] for r in rows} == {"08037"}
    shown = [[td.inner_text() for td in tr.query_selector_all("td")] for tr in p.query_selector_all("table.rows tbody tr")]
    assert [s[1:4] for s in shown] == [[r["place_id"], r["place_name"], r["month"]] for r in rows[:len(shown)]]
    xlsx = p.get_attribute("#data-downloads a >> text=XLSX", "href")
    assert xlsx == href.replace(".csv?", ".xlsx?")
    assert page.errors == []
    assert page.external == []


def test_on_a_phone_no_fixed_first_column_runs_over_the_next(page):
    """At 390 px the tables scroll sideways in their own box with their first column fixed (9rem at most); a field
    or table name with no space ("title_of_authority") must break inside that column, not be drawn over the next."""
    page.page.set_viewport_size({"width": 390, "height": 900})
    p = page.goto("/data?table=encounters")
    p.wait_for_selector("#data-dictionary table tbody tr")
    over = p.evaluate("""() => Array.from(document.querySelectorAll('.table-wrap table.data td:first-child'))
        .filter(td => td.getBoundingClientRect().width > 0 && td.scrollWidth > td.clientWidth + 1)
        .map(td => td.textContent)""")
    assert over == []
    assert "title_of_authority" in p.inner_text("#data-dictionary")
