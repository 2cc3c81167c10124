"""A link means one view, for good: the canonical query of a page, an export or an embed writes every
data-dependent setting explicitly, so a new release does not change what an old link shows; year=latest
and to=latest follow the data, and the footer says which.

Two releases are built from the fixtures: the second adds INEGI homicides for all of 2021 in Tijuana."""
from __future__ import annotations

import gzip
import re

import pytest

from dashboard import data_access, urlstate
from dashboard.export import registry
from tests.conftest import FIXTURES
from tests.support.release import fixture_mirror

from etl import pipeline

TIJUANA, JUAREZ = "02004", "08037"
# Tijuana's homicides in 2020 in the fixture INEGI municipal file (tests/fixtures/inegi_homicides/muni_month.csv.gz:
# one row, January 2020, "1,234"); the second release adds 2021: twelve months of 100, 1,200 in all
TIJUANA_2020, TIJUANA_2021 = 1234, 1200


def _publish(data_dir, mirror, *, add_2021: bool):
    fixture_mirror(mirror)
    if add_2021:
        src = FIXTURES / "inegi_homicides" / "muni_month.csv.gz"
        text = gzip.decompress(src.read_bytes()).decode("utf-8")
        if not text.endswith("\n"):
            text += "\n"
        text += "".join(f"02004|2021|{m}|100|1800000.0|5.6\n" for m in range(1, 13))
        (mirror / "inegi_homicides" / "muni_month.csv.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    result = pipeline.run(data_dir, mirror=mirror)
    assert result.published, {k: o.error for k, o in result.outcomes.items() if o.error}


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """(client, publish_second): the app over the first release, and a function that publishes the second."""
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("links")
    _publish(root / "data", root / "mirror1", add_2021=False)
    app = create_app(root / "data")
    def publish_second():
        _publish(root / "data", root / "mirror2", add_2021=True)
        data_access.wait_for_switch()  # the app answers from the first release until the second is warmed

    return app.server.test_client(), publish_second


def _bar_value(built, city_name: str) -> float:
    """The plotted value of one city's bar (decoding Plotly's typed arrays if the JSON holds them)."""
    import base64

    import numpy as np

    def values(v):
        if isinstance(v, dict) and "bdata" in v:
            return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
        return list(v)

    for trace in built.figure["data"]:
        names = values(trace.get("y", [])) if trace.get("orientation") == "h" else values(trace.get("x", []))
        nums = values(trace.get("x", [])) if trace.get("orientation") == "h" else values(trace.get("y", []))
        for n, v in zip(names, nums):
            if isinstance(n, str) and city_name in n and v is not None:
                return float(v)
    raise AssertionError(f"no bar for {city_name}")


def _query_dict(query: str) -> dict:
    return dict(pair.split("=", 1) for pair in query.lstrip("?").split("&") if pair)


def test_links_keep_their_view_across_a_release_and_latest_follows(releases):
    client, publish_second = releases
    # release 1: the link a reader copies from a bare Compare page has its year written out
    first = registry.build("compare-homicides", {"cities": f"{TIJUANA},{JUAREZ}"})
    year = _query_dict(first.query)["year"]
    assert year == "2020", first.query  # the fixture's last year of INEGI homicides
    assert _bar_value(first, "Tijuana") == TIJUANA_2020
    assert "Year: 2020 (fixed by this link)" in first.meta["data_line"]
    followed_1 = registry.build("compare-homicides", {"cities": f"{TIJUANA},{JUAREZ}", "year": "latest"})
    assert followed_1.query.endswith("&year=latest")
    assert followed_1.meta["title"] == "Homicides in 2020"

    publish_second()

    # the old link still shows 2020, through the registry and over HTTP (image footer link, embed)
    again = registry.build("compare-homicides", _query_dict(first.query))
    assert again.release != first.release
    assert again.meta["title"] == "Homicides in 2020" and _bar_value(again, "Tijuana") == TIJUANA_2020
    assert again.query == first.query
    page = client.get("/embed/compare-homicides" + first.query).get_data(as_text=True)
    assert '<h1 id="embed-title">Homicides in 2020</h1>' in page and "Year: 2020 (fixed by this link)" in page
    # a bare link keeps the pages' behaviour: the new default year, written out
    bare = registry.build("compare-homicides", {"cities": f"{TIJUANA},{JUAREZ}"})
    assert _query_dict(bare.query)["year"] == "2021" and _bar_value(bare, "Tijuana") == TIJUANA_2021
    # year=latest follows the data, and says so in the footer
    followed = registry.build("compare-homicides", {"cities": f"{TIJUANA},{JUAREZ}", "year": "latest"})
    assert followed.meta["title"] == "Homicides in 2021" and _bar_value(followed, "Tijuana") == TIJUANA_2021
    assert followed.query == f"?cities={TIJUANA},{JUAREZ}&year=latest"
    assert "Year: the latest year in the data (2021 in this release)" in followed.meta["data_line"]
    foot = next(a for a in followed.figure["layout"]["annotations"] if a.get("name") == "footer")["text"]
    assert "the latest year in the data" in foot


def test_a_typed_default_survives_in_the_canonical_query(releases):
    from dashboard.views import compare, violence

    parsed = compare.state_from_query({"cities": f"{TIJUANA},{JUAREZ}", "year": compare.base().default_year})
    assert urlstate.to_query(parsed.state, compare.params()) == \
        f"?cities={TIJUANA},{JUAREZ}&year={compare.base().default_year}"
    # the default cities (places.csv default_compare, in its order) are written too, not left to the next release
    parsed = compare.state_from_query({})
    assert urlstate.to_query(parsed.state, compare.params()).startswith(
        "?cities=02004,02002,08037,28027,28022,05025&year=")
    # Violence: the open end of the range is written as the month it shows now; to=latest stays latest
    v = violence.state_from_query({})
    q = urlstate.to_query(v.state, violence.params())
    assert re.search(r"&to=\d{4}-\d\d", q) and "places=" in q
    v = violence.state_from_query({"to": "latest"})
    assert "&to=latest" in urlstate.to_query(v.state, violence.params()) and not v.notices


@pytest.mark.parametrize("name, query, expected", [
    ("encounters", {"to": "latest"}, "To: the latest month in the data"),
    ("encounters", {}, "(fixed by this link)"),
    ("map", {"to": "latest"}, "Deaths to (year): the latest year in the data"),
    ("violence-homicides", {"to": "latest"}, "To: the latest month in the data"),
])
def test_every_page_with_a_range_offers_latest(releases, name, query, expected):
    built = registry.build(name, query)
    assert expected in built.meta["data_line"]
    assert ("to=latest" in built.query) == ("to" in query)


def test_a_pinned_range_is_a_fixed_range(releases):
    client, _ = releases
    # the canonical query of a bare Encounters link names the months the chart draws
    built = registry.build("encounters", {})
    q = _query_dict(built.query)
    assert q["dataset"] and q["from"] <= q["to"]
    assert registry.build("encounters", q).query == built.query


def test_footers_and_links_carry_only_the_settings_a_chart_depends_on(releases):
    """The MPP figures of Compare are the same for every year: their footer, links and sidecar say no "Year",
    while the homicides of the same page and query do (issue 11: the compare-mpp footer said "Year: …")."""
    from dashboard.export import frames

    client, _ = releases
    query = {"cities": f"{TIJUANA},{JUAREZ}", "year": "2020", "km": "100"}
    mpp = registry.build("compare-mpp", query)
    homicides = registry.build("compare-homicides", query)
    assert "data_line" not in mpp.meta, mpp.meta.get("data_line")
    foot = [a["text"] for a in mpp.figure["layout"].get("annotations", []) if a.get("name") == "footer"]
    assert foot and not any("Year" in t for t in foot), foot
    assert mpp.query == f"?cities={TIJUANA},{JUAREZ}"  # no year, no distance: the chart uses neither
    assert "year=" not in frames.sidecar(mpp, base_url="http://x")["view"]
    assert "Year: 2020 (fixed by this link)" in homicides.meta["data_line"]
    assert homicides.query == f"?cities={TIJUANA},{JUAREZ}&year=2020"  # km: the homicides do not depend on it
    embed = client.get("/embed/compare-mpp?" + "&".join(f"{k}={v}" for k, v in query.items())).get_data(as_text=True)
    assert "Year:" not in embed and "<footer>" in embed
    # every declared setting is one its page has (a typo would silently drop a setting from the links)
    for chart in registry.CHARTS.values():
        if chart.settings is not None:
            page_names = {p.name for p in chart.views.params()}
            assert set(chart.settings) <= page_names, (chart.name, chart.settings)
            assert [p.name for p in chart.params()] == [n for n in (p.name for p in chart.views.params())
                                                        if n in chart.settings]
