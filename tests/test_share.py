"""Share previews and the 404 page, over HTTP: Open Graph and Twitter card tags whose image is the chart's PNG
export, with absolute addresses from BORDERSTATS_PUBLIC_URL (never the Host header); unknown paths answer 404."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.support.release import fixture_release

PUBLIC = "https://stats.example.org"
EVIL = "evil.example"


class _Metas(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, str] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.tags.setdefault(a.get("property") or a.get("name"), a.get("content") or "")
        if tag == "link" and a.get("rel") == "stylesheet":
            self.links.append(a.get("href", ""))


def metas(html: str) -> _Metas:
    p = _Metas()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dashboard.app import create_app

    mp = pytest.MonkeyPatch()
    mp.setenv("BORDERSTATS_PUBLIC_URL", PUBLIC + "/")  # a trailing slash is dropped
    root = tmp_path_factory.mktemp("share")
    app = create_app(fixture_release(root / "data", root / "mirror"))
    yield app.server.test_client()
    mp.undo()


def _get(client, url):
    return client.get(url, headers={"Host": EVIL}, base_url=f"http://{EVIL}")


def test_chart_pages_are_previewed_by_their_chart_png(client):
    r = _get(client, "/compare?cities=02004,08037")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and EVIL not in html
    m = metas(html).tags
    image = m["og:image"]
    # the image: the MPP chart, whose figures do not depend on the year (no year= in its address); the page's own
    # address keeps every setting of the page, its year written out
    assert image == f"{PUBLIC}/export/compare-mpp.png?cities=02004,08037&size=social", image
    assert m["twitter:image"] == image and m["twitter:card"] == "summary_large_image"
    assert re.fullmatch(re.escape(PUBLIC) + r"/compare\?cities=02004,08037&year=\d{4}", m["og:url"]), m["og:url"]
    assert m["og:title"].startswith("MPP figures reported for each city") and m["twitter:title"] == m["og:title"]
    assert m["og:description"] and m["og:description"] == m["description"] == m["twitter:description"]
    # the image address is a working export of the same view (CSV: no browser needed here)
    assert client.get(image[len(PUBLIC):].replace(".png", ".csv").replace("&size=social", "")).status_code == 200
    # Dash's own tags (from the Host header) are gone
    assert "twitter:url" not in m


def test_a_hostile_query_never_reaches_the_tags_as_markup(client):
    r = _get(client, '/violence?places="><script>alert(1)</script>&to=latest')
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<script>alert(1)" not in html
    m = metas(html).tags
    assert m["og:image"].startswith(PUBLIC + "/export/violence-homicides.png?") and "to=latest" in m["og:image"]


def test_pages_without_a_chart_have_a_title_and_description(client):
    m = metas(_get(client, "/about").get_data(as_text=True)).tags
    assert m["og:title"].startswith("About") and m["og:description"] and m["og:url"] == PUBLIC + "/about"
    assert m["twitter:card"] == "summary" and "og:image" not in m


def test_embed_pages_carry_the_preview_and_link_back_to_the_public_site(client):
    r = _get(client, "/embed/compare-homicides?cities=02004,08037&year=2020")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and EVIL not in html
    m = metas(html).tags
    assert m["og:title"].startswith("Homicides in 2020")
    assert m["og:image"] == f"{PUBLIC}/export/compare-homicides.png?cities=02004,08037&year=2020&size=social"
    assert m["og:url"] == f"{PUBLIC}/embed/compare-homicides?cities=02004,08037&year=2020"
    assert m["twitter:card"] == "summary_large_image"
    assert f'href="{PUBLIC}/compare?cities=02004,08037&amp;year=2020"' in html


@pytest.mark.parametrize("path", ["/no-such-page", "/compare/extra", "/%3Cscript%3Ealert(1)%3C/script%3E",
                                  "/export-everything"])
def test_unknown_paths_answer_a_styled_404(client, path):
    r = _get(client, path)
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "<h1>Page not found</h1>" in html and "<script>alert" not in html
    p = metas(html)
    assert p.links == ["/assets/style.css"]  # the site's own styles, nothing from elsewhere
    assert 'class="top"' in html and 'href="/compare"' in html and 'href="/"' in html  # the site's header and nav
    assert client.get("/assets/style.css").status_code == 200


@pytest.mark.parametrize("path, status", [("/", 200), ("/compare", 200), ("/compare/", 200), ("/data", 200),
                                          ("/healthz", 200), ("/export/nope.png", 400), ("/embed/nope", 400),
                                          ("/download/nope.csv", 404), ("/_dash-layout", 200),
                                          ("/favicon.ico", 301)])
def test_known_routes_keep_their_answers(client, path, status):
    assert _get(client, path).status_code == status
