"""The answers cache (dashboard/cache.py) and the release switch (dashboard/data_access.py): answers are keyed by
the release, a new release is warmed in the background while the previous one keeps answering, and at most two
releases are held during the switch."""
from __future__ import annotations

import threading
import time

import pytest

from etl import pipeline

HEADER = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,"
          "Encounter Type,Encounter Count\n")


def publish_encounters(data_dir, tmp_path, count: int) -> str:
    """Publish a release whose only CBP encounter row counts `count` (the independent truth of the checks)."""
    f = tmp_path / f"sw-{count}.csv"
    f.write_text(HEADER + f"2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,{count}\n")
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"], files=[f])
    assert result.published
    return (data_dir / "warehouse" / "CURRENT").read_text().strip()


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.delenv("BORDERSTATS_CACHE_URL", raising=False)
    monkeypatch.setenv("BORDERSTATS_CACHE_PREFIX", f"borderstats-test-{time.time_ns()}:")
    data_dir = tmp_path / "data"
    pipeline.run(data_dir, source_ids=["reported_figures", "policy_events"])
    publish_encounters(data_dir, tmp_path, 100)
    from dashboard.app import create_app

    return create_app(data_dir), data_dir


def plotted_total(fig) -> float:
    return float(sum(sum(v for v in trace.y if v == v) for trace in fig.data if trace.y is not None and trace.type == "scatter" and trace.name not in ("Policy events", "Revised figures")))


def encounters_figure():
    from dashboard.views import encounters

    fig, _, _ = encounters.render(encounters.state_from_query({}).state)
    return fig


def test_answers_are_cached_by_release_and_a_new_release_is_never_served_an_old_answer(app, tmp_path):
    from dashboard import cache, data_access

    _, data_dir = app
    first = data_access.current()
    assert plotted_total(encounters_figure()) == 100
    hits = cache.stats["hits"]
    assert plotted_total(encounters_figure()) == 100
    assert cache.stats["hits"] == hits + 1  # the second draw came from the cache
    keys = [k for k in cache.backend()._cache if first.token in k]
    assert keys and all(first.id in k for k in keys)

    publish_encounters(data_dir, tmp_path, 250)
    second = data_access.wait_for_switch()
    assert second.id != first.id and second.token != first.token
    assert plotted_total(encounters_figure()) == 250  # computed for the new release, not the cached 100


def test_a_release_switch_never_waits_for_the_new_release_to_load(app, tmp_path):
    """While the new release warms (held back here by a warm-up step that waits for the test), every request is
    answered at once from the previous release; then the worker switches, and only the new release is kept."""
    from dashboard import data_access
    from dashboard.views import compare

    server, data_dir = app
    client = server.server.test_client()
    old = client.get("/healthz").get_json()["release"]
    assert plotted_total(encounters_figure()) == 100
    old_key = data_access.current().key
    gate, entered = threading.Event(), threading.Event()

    def slow_step(data) -> None:
        if data.key != old_key:
            entered.set()
            gate.wait(30)

    data_access.on_warm(slow_step)
    try:
        new = publish_encounters(data_dir, tmp_path, 250)
        client.get("/healthz")  # the first request after the publish starts the warm-up
        assert entered.wait(30), "the new release was not warmed"
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            assert client.get("/healthz").get_json()["release"] == old
            times.append(time.perf_counter() - t0)
        assert plotted_total(encounters_figure()) == 100  # the page still draws the previous release
        assert data_access.switching()
        assert max(times) < 1.0, times  # nobody waits for the warm-up (held for as long as the test likes)
        held = {k[0] for k in compare._base_for.entries}
        assert len(held) <= 2 and old_key in held  # the served release and the one warming, no more
    finally:
        gate.set()
        data_access._warmers.remove(slow_step)
    data_access.wait_for_switch()
    assert client.get("/healthz").get_json()["release"] == new
    assert plotted_total(encounters_figure()) == 250
    assert {k[0] for k in compare._base_for.entries} <= {data_access.current().key}  # the old release dropped
    assert not data_access.switching()


def test_an_unreachable_redis_answers_without_the_cache(app, monkeypatch):
    from dashboard import cache

    monkeypatch.setenv("BORDERSTATS_CACHE_URL", "redis://127.0.0.1:9/0")  # nothing listens on the discard port
    errors = cache.stats["errors"]
    assert plotted_total(encounters_figure()) == 100
    assert cache.stats["errors"] > errors
    t0 = time.perf_counter()
    assert plotted_total(encounters_figure()) == 100  # no second attempt while Redis is marked down
    assert time.perf_counter() - t0 < 2.0


def test_a_cache_url_that_is_not_redis_is_refused_with_the_setting_named(monkeypatch):
    from dashboard import cache

    with pytest.raises(ValueError, match="BORDERSTATS_CACHE_URL"):
        cache.open_backend("memcached://127.0.0.1:11211", "x:", 60)
