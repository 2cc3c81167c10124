"""Whole callback answers kept once per release (issue 13, "compute once per release"): a body asked for again is
answered from the store with the same bytes; the figure in it is the release's own numbers; a new release is
never answered from the old one's store; a callback outside dashboard.views is never kept."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import answers, data_access
from etl import pipeline
from etl.warehouse import Warehouse
from tests.support.dashapp import fixture_app
from tests.test_callback_guard import _layout_values, body_for, server_callbacks

URL = "/_dash-update-component"
FIXTURE = Path(__file__).parent / "fixtures" / "cbp_encounters" / "southwest.csv"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return fixture_app(tmp_path_factory.mktemp("answers"))


def encounters_body(app) -> bytes:
    values = _layout_values()
    key, cb = next((k, cb) for k, cb in server_callbacks(app).items() if k.startswith("..enc-graph.figure"))
    return json.dumps(body_for(key, cb, values)).encode()


def monthly_totals(data_dir: Path) -> dict[str, int]:
    """The independent truth: the release's encounters table summed by month, with pandas."""
    table = Warehouse(data_dir).current().read("encounters")
    cbp = table[table["source_id"] == "cbp_encounters"]
    sums = cbp.groupby(cbp["month"].astype(str), observed=True)["count"].sum()
    return {m[:7]: int(v) for m, v in sums.items()}


def plotted(resp) -> dict[str, int]:
    fig = json.loads(resp.data)["response"]["enc-graph"]["figure"]
    trace = fig["data"][0]  # the series (a revised point adds a ring trace after it)
    assert trace["name"] == "All encounters"
    return {x[:7]: y for x, y in zip(trace["x"], trace["y"])}


def test_a_body_asked_again_is_answered_from_the_store_with_the_same_bytes(app):
    client = app.server.test_client()
    body = encounters_body(app)
    first = client.post(URL, data=body, content_type="application/json")
    again = client.post(URL, data=body, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert "X-Answer" not in first.headers and again.headers["X-Answer"] == "stored"
    assert again.data == first.data
    # the stored answer is the release's numbers, summed from its table independently
    assert plotted(again) == monthly_totals(app.data_dir)
    # the headers every page answer gets are still there on a stored one
    assert again.headers["X-Content-Type-Options"] == "nosniff"


def test_a_new_release_is_answered_from_its_own_numbers(app, tmp_path):
    client = app.server.test_client()
    body = encounters_body(app)
    before = client.post(URL, data=body, content_type="application/json")
    revised = tmp_path / "southwest.csv"
    revised.write_text(FIXTURE.read_text(encoding="utf-8").replace(",3400\n", ",3500\n"), encoding="utf-8")
    result = pipeline.run(app.data_dir, source_ids=["cbp_encounters"], files=[revised])
    assert result.published
    data_access.wait_for_switch()
    after = client.post(URL, data=body, content_type="application/json")
    assert "X-Answer" not in after.headers  # computed for the new release, not the old one's answer
    truth = monthly_totals(app.data_dir)
    assert plotted(after) == truth
    assert plotted(after)["2024-09"] == plotted(before)["2024-09"] + 100
    assert client.post(URL, data=body, content_type="application/json").headers["X-Answer"] == "stored"


def test_bad_bodies_and_other_callbacks_are_never_kept(app):
    client = app.server.test_client()
    body = json.loads(encounters_body(app))
    body["inputs"][0]["value"] = "zzz"
    raw = json.dumps(body)
    for _ in range(2):
        resp = client.post(URL, data=raw, content_type="application/json")
        assert resp.status_code == 400 and "X-Answer" not in resp.headers

    def elsewhere():
        return None

    elsewhere.__module__ = "dashboard.progress"
    assert not answers.keepable({"x.children": {"callback": elsewhere}}, {"output": "x.children"})
    assert not answers.keepable({}, {"output": "x.children"})
    assert not answers.keepable({"x.children": {"callback": elsewhere}}, ["not", "a", "body"])
    # every server callback lives in dashboard.views, or is Dash Pages' router, and is kept, except the first-run
    # refresh's progress poll (dashboard.first_run), whose answer changes while a release serves
    kept = {k: answers.keepable(app.callback_map, {"output": k}) for k in server_callbacks(app)}
    poll = [k for k, cb in server_callbacks(app).items() if cb["callback"].__module__ == "dashboard.first_run"]
    assert poll and not any(kept[k] for k in poll)
    assert all(v for k, v in kept.items() if k not in poll)


def test_nothing_is_kept_or_read_while_held(app):
    client = app.server.test_client()
    body = encounters_body(app)
    client.post(URL, data=body, content_type="application/json")
    holding = [True]
    answers.hold_while(lambda: holding[0])
    try:
        resp = client.post(URL, data=body, content_type="application/json")
        assert resp.status_code == 200 and "X-Answer" not in resp.headers
    finally:
        answers._holds.clear()
    assert client.post(URL, data=body, content_type="application/json").headers["X-Answer"] == "stored"


def test_an_export_or_embed_asked_again_is_not_built_again(app, monkeypatch):
    from dashboard.export import registry

    client = app.server.test_client()
    urls = ["/export/encounters.csv", "/export/encounters.json", "/embed/encounters?height=600"]
    first = {u: client.get(u) for u in urls}
    assert all(r.status_code == 200 for r in first.values()), {u: r.status_code for u, r in first.items()}

    def no_build(*a, **k):
        raise AssertionError("built again")

    monkeypatch.setattr(registry, "build", no_build)
    for u in urls:
        again = client.get(u)
        assert again.status_code == 200 and again.data == first[u].data, u
        assert again.headers["ETag"] == first[u].headers["ETag"]
        assert again.headers["Content-Type"] == first[u].headers["Content-Type"]
    assert again.headers["Content-Security-Policy"] == first[urls[-1]].headers["Content-Security-Policy"]
    csv = client.get(urls[0])
    assert csv.headers["Content-Disposition"] == first[urls[0]].headers["Content-Disposition"]
    monkeypatch.undo()
    # a request never answered 200 is never kept: asked twice, a bad value is refused twice
    for _ in range(2):
        assert client.get("/export/encounters.csv?from=2016-01%0a").status_code == 400
        assert client.get("/embed/encounters?height=9").status_code == 400


def test_a_page_asked_again_is_the_stored_html_with_its_policy_headers(app):
    client = app.server.test_client()
    url = "/compare?cities=02004,08037&year=2021"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert "X-Answer" not in first.headers and again.headers["X-Answer"] == "stored"
    assert again.data == first.data and b"<!DOCTYPE html>" in again.data[:100]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    # another query is another page (its share-preview tags differ)
    other = client.get("/compare?cities=02004,08037&year=2020")
    assert "X-Answer" not in other.headers and other.data != first.data
    # a path that is no page is a 404, asked once or twice
    assert [client.get("/no-such-page").status_code for _ in range(2)] == [404, 404]


def test_nothing_is_kept_while_the_release_has_no_publishers_data(tmp_path):
    """The first run: the bundled reference data only, the pages drawing a refresh's progress. Nothing is kept
    until a release with publishers' data serves."""
    from dashboard.app import create_app

    previous = data_access.data_dir()
    try:
        app = create_app(tmp_path / "data")  # publishes the bundled reference data (BORDERSTATS_NO_FETCH: no fetch)
        assert data_access.current() is not None and data_access.first_run_wanted()
        client = app.server.test_client()
        pages = [client.get("/reported") for _ in range(2)]
        assert [r.status_code for r in pages] == [200, 200]
        assert all("X-Answer" not in r.headers for r in pages)
    finally:
        data_access.configure(previous)
