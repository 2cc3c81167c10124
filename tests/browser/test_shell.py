"""Every page loads in headless Chromium with no console errors and nothing fetched from elsewhere."""
import pytest


@pytest.mark.parametrize("path", ["/"])
def test_page_loads_without_console_errors(page, path):
    p = page.goto(path)
    p.wait_for_selector("main.page h1")
    assert page.errors == []
    assert page.external == []


def test_overview_cards_show_sources(page):
    p = page.goto("/")
    p.wait_for_selector(".card")
    cards = p.locator(".card")
    # official MPP enrolments first, then the border-wide MPP figure, Ciudad Juárez's, encounters, homicides, deaths
    assert cards.count() == 6
    assert cards.nth(0).inner_text().startswith("MPP enrolments by month (CBP, official)")
    text = p.inner_text("#overview-cards")
    assert "MPP" in text and "As of" in text
    # CBP's FY 2020 page (shared README): 8,922 enrolments January–September 2020, all in the official card's total
    assert "CBP's pages count" in text


def test_charts_draw_with_the_partial_plotly_bundle_only(page):
    """The 4.8 MB full plotly.js takes ~0.9 s to evaluate here; the page must never fall back to it."""
    urls: list[str] = []
    page.page.on("request", lambda r: urls.append(r.url))
    page.goto("/encounters")
    page.wait_for_charts(1)
    assert any("plotly-borderstats.min.js" in u for u in urls)
    assert not any("package_data/plotly.min.js" in u for u in urls)
    assert page.errors == []
