"""An unknown path over real HTTP: status 404, the site's header and styles, no console errors."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest


def test_unknown_path_is_a_styled_404_over_http(page, server):
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(server + "/no-such-page", timeout=10)
    assert e.value.code == 404 and e.value.headers.get_content_type() == "text/html"
    resp = page.page.goto(server + "/no-such-page", wait_until="load")
    assert resp.status == 404
    assert page.page.inner_text("h1") == "Page not found"
    assert page.page.locator("header.top nav a").count() >= 5  # the site's navigation
    # the site's stylesheet applies: the page body uses its system font stack, not the browser default
    assert "system-ui" in page.page.evaluate("getComputedStyle(document.body).fontFamily")
    # Chromium logs the 404 of the document itself, and nothing else
    assert len(page.errors) == 1 and "404" in page.errors[0], page.errors
    page.errors.clear()
    page.page.click("text=Go to the overview")
    page.page.wait_for_selector("main.page h1", timeout=60000)
    assert page.errors == [] and page.external == []
