"""The warm-up (issue 13, "compute once per release"): after a release is switched in, every chart's default
exports are made through the app's own routes before any reader asks; readers (in this worker or another one on
the machine) get them without the chart being built or drawn again; the warm-up's own requests do not count
against the export rate limit; /healthz says when it is done."""
from __future__ import annotations

import time

import pytest

from dashboard import warmup
from dashboard.export import render, store
from tests.support.release import fixture_release

URLS = ["/export/encounters.csv", "/export/encounters.json", "/embed/encounters", "/export/map.csv",
        "/export/encounters.png?size=default"]


@pytest.fixture
def warmed(tmp_path, monkeypatch):
    from dashboard.app import create_app

    if render.find_chromium() is None:
        pytest.skip("no Chromium: the warm-up cannot draw images here")
    monkeypatch.setenv(warmup.EXPORTS_ENV, "1")
    monkeypatch.setenv("BORDERSTATS_EXPORT_RATE", "2 per minute")  # fewer than the warm-up's own requests
    monkeypatch.setattr(warmup, "export_urls", lambda images: URLS if images else URLS[:-1])
    monkeypatch.setattr(store, "_memory", store.MemoryStore())
    data_dir = fixture_release(tmp_path / "data", tmp_path / "mirror")
    app = create_app(data_dir)
    client = app.server.test_client()
    end = time.monotonic() + 120
    while not client.get("/healthz").get_json()["warm"]:
        assert time.monotonic() < end, "the warm-up did not finish in 120 s"
        time.sleep(0.2)
    return app, data_dir


def test_default_exports_are_made_before_anyone_asks_and_served_without_building(warmed, monkeypatch):
    from dashboard import data_access
    from dashboard.export import registry

    app, data_dir = warmed
    assert warmup._state["answers"] == {200: len(URLS)}  # none refused by the 2-per-minute limit
    release = data_access.current().id
    files = list((data_dir / "cache" / "exports" / release).iterdir())
    assert len([f for f in files if not f.name.startswith(".")]) >= len(URLS)

    def no_build(*a, **k):
        raise AssertionError("built again")

    monkeypatch.setattr(registry, "build", no_build)
    monkeypatch.setattr(render, "shared", no_build)
    # another worker of the machine: its own (empty) memory, the same data folder
    monkeypatch.setattr(store, "_memory", store.MemoryStore())
    client = app.server.test_client()
    for url in URLS[:2]:  # within the reader's rate limit of 2 per minute
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code, resp.get_data(as_text=True)[:200])
    png = client.get(URLS[-1])
    assert png.status_code == 429  # the reader's own third export in a minute: the limit still holds for readers
    embed = client.get("/embed/encounters")  # embeds are not rate limited
    assert embed.status_code == 200 and b"<!DOCTYPE html>" in embed.data[:200]


def test_the_png_made_by_the_warm_up_is_the_one_a_reader_gets(warmed, monkeypatch):
    app, _ = warmed
    monkeypatch.setenv("BORDERSTATS_EXPORT_RATE", "100 per minute")
    app.limiter.reset()
    client = app.server.test_client()
    resp = client.get("/export/encounters.png?size=1200x675")  # the same size as "default", spelled out
    assert resp.status_code == 200 and resp.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert resp.headers["X-Export-Size"] == "1200x675"
    # the width in the PNG's header is the preset's (an independent reading of the bytes)
    assert int.from_bytes(resp.data[16:20], "big") == 1200


def test_right_after_the_first_run_no_images_are_drawn(monkeypatch):
    """The release after a bundled-only one (the first run) is warmed without images: its reader is opening the
    pages at that moment (benchmarks/first_run.py: 31 s with the images drawn beside them, 22 s without)."""
    asked = []
    monkeypatch.setenv(warmup.EXPORTS_ENV, "1")
    monkeypatch.setattr(warmup, "default_views", lambda data: 0)
    monkeypatch.setattr(warmup, "default_exports", lambda app, data, images=True: asked.append(images) or {})

    class Release:
        def __init__(self, rid, bundled):
            self.id, self.bundled = rid, bundled

    from dashboard import data_access

    monkeypatch.setattr(data_access, "first_run_wanted", lambda data=None: data.bundled)
    monkeypatch.setattr(warmup, "_state", {"release": None, "done": False, "answers": {}, "bundled_only": None,
                                           "folder": None})
    warmup.run(None, Release("r1", True))  # the bundled reference data: no exports at all
    warmup.run(None, Release("r2", False))  # the first refresh's release: exports without images
    warmup.run(None, Release("r3", False))  # any later release: with images
    assert asked == [False, True]


def test_exports_of_an_older_build_are_never_read(tmp_path, monkeypatch):
    """After an upgrade, an export the old code left in the data folder's cache is not served for the same release
    (the build is in every disk key, in the release token and in the ETag)."""
    from dashboard import build

    disk = store.DiskStore(tmp_path, lambda: "r1")
    disk.put("export:r1:abc", b"made by the old code")
    assert disk.get("export:r1:abc") == b"made by the old code"
    monkeypatch.setattr(build, "token", lambda: "another-build")
    assert disk.get("export:r1:abc") is None
