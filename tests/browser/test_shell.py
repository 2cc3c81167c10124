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
    assert cards.count() == 4
    text = p.inner_text("#overview-cards")
    assert "MPP" in text and "As of" in text
