"""Data & sources in headless Chromium: a page of rows, next page and filter in the URL, the same view
from that URL in a fresh page; the dictionary and sources are shown."""


def test_data_page_pages_filters_and_round_trips(page, browser):
    p = page.goto("/data?table=reported_figures")
    p.wait_for_selector("table.rows tbody tr")
    assert p.locator("table.rows tbody tr").count() == 25
    assert "Data dictionary: reported_figures" in p.inner_text("#data-dictionary")
    assert "Retrieved at" in p.inner_text("#data-sources")
    assert p.get_attribute("#data-downloads a >> nth=0", "href") == "/download/reported_figures.csv"

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
