"""Phone-sized screens and the keyboard: pages stack without sideways scrolling, controls work by keyboard."""
import pytest

from tests.browser import test_phone

PAGES = ["/", "/encounters", "/compare", "/map", "/reported", "/violence", "/data", "/about"]
PHONE_MEASURED = test_phone.PAGES


@pytest.fixture
def phone(browser, server):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = Page(context.new_page(), server)
    yield p
    context.close()


@pytest.mark.parametrize("path", [p for p in PAGES if p not in PHONE_MEASURED])
def test_pages_fit_a_phone_screen(phone, path):
    """The pages without charts (the chart pages are measured, at four widths, in test_phone.py)."""
    p = phone.goto(path)
    p.wait_for_timeout(500)
    overflow = p.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    assert phone.errors == []


def test_skip_link_and_keyboard_controls(page):
    p = page.goto("/encounters")
    page.wait_for_charts(1)
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.className") == "skip"
    # the "Lines" radio reached and chosen with the keyboard alone
    p.focus("input[type=radio][value=stacked]")
    p.keyboard.press("ArrowRight")
    p.wait_for_function("window.location.search.includes('mode=lines')", timeout=20000)
    assert page.errors == []
