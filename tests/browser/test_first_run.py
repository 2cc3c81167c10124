"""The first run, as a new user meets it (issue 14, section 1): `python app.py --mirror DIR` over an empty data
folder publishes the bundled data, fetches every source in the background and every page shows the progress, then
its charts, without a restart or a manual reload.

The truths come from the mirror's files, not from the code under test: the Overview's encounters card shows the
fixture CSV's latest month as summed here; the Data page lists the fixture file's SHA-256 (hashlib) and its rows
(its lines less the header). A fault point (etl/faults.py) slows each source's fetch by a tenth of a second, so
that the progress is on screen long enough to be seen on a fast machine. About 20 s: one server, the refresh,
seven pages.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import json
import time

import pytest

from tests.conftest import FIXTURES
from tests.support import servers
from tests.support.release import fixture_mirror

from .conftest import Page

CBP_FIXTURE = FIXTURES / "cbp_encounters" / "southwest.csv"
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
# every page, and how many of its charts draw points of data once the refresh has published (the fixtures' reach:
# their violence rows are of 2019-2020, which the page's default annual rates from 2015 do not show)
PAGES = {"/": 4, "/encounters": 1, "/compare": 4, "/map": 1, "/reported": 2, "/violence?measure=count&freq=month": 3,
         "/data": 0}
INEGI_FIXTURE = FIXTURES / "inegi_homicides" / "muni_month.csv.gz"
TIJUANA = "02004"


def latest_month_total(path) -> tuple[tuple[int, int], int]:
    """(calendar year, month) of the file's latest month and the sum of its Encounter Count (a fiscal year starts
    in October of the year before)."""
    totals: dict[tuple[int, int], int] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            fy = int(row["Fiscal Year"][:4])
            month = MONTHS.index(row["Month (abbv)"]) + 1
            key = (fy - 1 if month >= 10 else fy, month)
            totals[key] = totals.get(key, 0) + int(row["Encounter Count"])
    last = max(totals)
    return last, totals[last]


def fixture_homicides(place_id: str) -> list[float]:
    """A municipality's monthly homicides in the INEGI fixture, as numbers (thousands written with a comma)."""
    with gzip.open(INEGI_FIXTURE, "rt", encoding="utf-8", newline="") as fh:
        return [float(r["homicides"].replace(",", "")) for r in csv.DictReader(fh, delimiter="|")
                if r["ent_mun"].zfill(5) == place_id]


def finished(data_dir, seconds: float = 10.0) -> dict:
    """The progress file once the refresh has said how it ended (it does so just after its release is current)."""
    end = time.monotonic() + seconds
    while True:
        found = json.loads((data_dir / "warehouse" / "refresh-progress.json").read_text())
        if found["stage"] in ("published", "finished", "failed") or time.monotonic() > end:
            return found
        time.sleep(0.1)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("first_run")
    mirror = fixture_mirror(root / "mirror")
    data_dir = root / "data"  # empty: no release, no raw files
    port = servers.free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = servers.start_app(data_dir, port, "--mirror", str(mirror), log=log, drop_env=("BORDERSTATS_NO_FETCH",),
                             env={"BORDERSTATS_FAULT": "fetched:sleep=0.1"})
    try:
        yield {"url": f"http://127.0.0.1:{port}", "data_dir": data_dir, "log": root / "server.log"}
    finally:
        servers.stop(proc)
        log.close()


def test_a_fresh_app_shows_the_progress_then_real_charts_on_every_page(browser, first_run):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = Page(context.new_page(), first_run["url"])
    try:
        p = page.goto("/")
        # the progress: the panel names the sources, and says how far the refresh is
        p.wait_for_selector(".first-run.busy", timeout=10000)
        text = p.inner_text(".first-run")
        assert "Fetching the data for the first time" in text, text
        assert "cbp_encounters" in text and "sesnsp_state_victims" in text
        assert "from the mirror folder" in text
        progress = json.loads((first_run["data_dir"] / "warehouse" / "refresh-progress.json").read_text())
        assert progress["origin"] == "app" and progress["mirror"] is True

        # then, without a reload by the test, the Overview with the encounters card from the fixture file
        (_year, month), total = latest_month_total(CBP_FIXTURE)
        p.wait_for_function("() => !document.querySelector('.first-run') && "
                            "document.querySelector('#overview-cards') !== null", timeout=30000)
        cards = p.inner_text("#overview-cards")
        assert f"{total:,}" in cards, cards
        assert f"{MONTHS[month - 1].title()}" in cards

        # the fixture mirror has no folder for this source: the refresh said so, and the rest was published
        final = finished(first_run["data_dir"])  # the page reloads once CURRENT names the new release: a moment before
        states = {s["id"]: s["state"] for s in final["sources"]}
        assert final["stage"] == "published" and states["cbp_encounters"] == "done"
        assert states["ohss_usbp_encounters"] == "failed"

        for path, charts in PAGES.items():
            q = p if path == "/" else page.goto(path)  # the Overview: as it reloaded itself
            assert q.query_selector(".first-run") is None, path
            if charts:
                page.wait_for_charts(charts, timeout=20000)
                measure = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
                    points: (gd._fullData || []).reduce((n, t) => n + (t.visible === true && t.name !== 'No data'
                                                                     ? (t._length || 0) : 0), 0),
                    traces: (gd._fullData || []).map(t => ({name: t.name, y: t.y ? Array.from(t.y) : null}))
                }))"""
                # a graph is drawn empty before its callback answers: wait for the answer's points (a busy machine)
                try:
                    q.wait_for_function(f"() => ({measure})().filter(d => d.points > 0).length >= {charts}",
                                        timeout=20000)
                except Exception:  # noqa: BLE001 - the assertion below says what was drawn
                    pass
                drawn = q.evaluate(measure)
                assert sum(d["points"] > 0 for d in drawn) >= charts, (path, drawn)
                if path.startswith("/violence"):  # Tijuana's monthly homicides, as the fixture file has them
                    tijuana = next(tr for tr in drawn[0]["traces"] if tr["name"] == "Tijuana")
                    assert set(fixture_homicides(TIJUANA)) <= set(tijuana["y"]), tijuana
        # the Data page: the fixture file's checksum and rows, as hashlib and a line count give them
        sha = hashlib.sha256(CBP_FIXTURE.read_bytes()).hexdigest()  # the last page visited: /data
        row = page.page.locator(f"#data-sources tr:has(code[title='{sha}'])")
        assert row.count() == 1
        lines = len(CBP_FIXTURE.read_text(encoding="utf-8").splitlines()) - 1
        assert f"\n{lines}\n" in "\n" + row.inner_text().replace("\t", "\n") + "\n"
        assert page.errors == [], page.errors
        assert page.external == []
    finally:
        context.close()
