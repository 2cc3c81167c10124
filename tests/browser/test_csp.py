"""The Content-Security-Policy in a real browser: every page renders its charts with no CSP violation and no
console error; an embed renders inside a page of another origin; and the callback bodies the pages really send
are far below the request body limit (their largest size is printed: the figure docs/security.md quotes)."""
from __future__ import annotations

import time

import pytest

from dashboard import security

PAGES = [("/", 0), ("/encounters", 1), ("/compare", 3), ("/map", 1), ("/violence", 2), ("/reported", 1),
         ("/data", 0), ("/about", 0)]

def wait_until(page, expression: str, timeout: float = 60.0):
    """Poll `expression` from outside the page (Playwright's wait_for_function evals inside it, which the policy
    under test forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.2)


def charts_drawn(count: int) -> str:
    return f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}"


RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def csp_page(browser, server):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=False)
    context.add_init_script(RECORD_VIOLATIONS)
    p = Page(context.new_page(), server)
    p.bodies = []
    p.page.on("request", lambda r: p.bodies.append(len((r.post_data or "").encode("utf-8")))
              if r.method == "POST" and "_dash-update-component" in r.url else None)
    yield p
    context.close()


def test_every_page_renders_under_the_policy(csp_page):
    for path, charts in PAGES:
        resp = csp_page.page.goto(csp_page.base + path, wait_until="load", timeout=60000)
        assert "script-src 'self' 'sha256-" in resp.headers["content-security-policy"]
        csp_page.page.wait_for_selector("main.page h1", timeout=60000)
        if charts:
            wait_until(csp_page.page, charts_drawn(charts))
        assert csp_page.page.evaluate("window.__csp") == [], path
    assert csp_page.errors == [] and csp_page.external == []
    # the export panel's embed code starts with the configured public URL (here the server's own)
    csp_page.goto("/encounters")
    wait_until(csp_page.page, "(document.getElementById('export-encounters-embed') || {}).value")
    code = csp_page.page.input_value("#export-encounters-embed")
    assert f'<iframe src="{csp_page.base}/embed/encounters' in code
    # the bodies the pages sent (Compare's with six cities among them): all far below the limit
    csp_page.goto("/compare?cities=02004,02003,02002,26055,26043,26002")
    wait_until(csp_page.page, charts_drawn(3))
    assert csp_page.bodies and max(csp_page.bodies) < security.MAX_BODY_BYTES / 50
    print(f"\nlargest callback body: {max(csp_page.bodies):,} bytes over {len(csp_page.bodies)} callbacks")
    assert csp_page.page.evaluate("window.__csp") == [] and csp_page.errors == []


def test_an_embed_renders_framed_by_another_origin(csp_page, server):
    # 'localhost' is another origin than 127.0.0.1 for the browser: a story page framing the embed
    story = server.replace("127.0.0.1", "localhost") + "/embed-static/embed.css"  # any page of that origin
    csp_page.page.goto(story, wait_until="load")
    csp_page.page.set_content(f'<iframe src="{server}/embed/encounters" width="800" height="600"></iframe>')
    frame = csp_page.page.wait_for_selector("iframe").content_frame()
    frame.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert csp_page.errors == []
