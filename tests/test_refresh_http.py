"""`refresh` over HTTP end to end, against a local publisher on 127.0.0.1 that changes and fails."""
from __future__ import annotations

import json

import pytest

from etl import fetch, pipeline
from etl.status import status
from etl.warehouse import Warehouse
from tests.support.http import Reply, publisher_with_registry

SW_HEADER = "Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,Encounter Type,Encounter Count\r\n"
JUL = SW_HEADER + "2025 (FYTD),FYTD,JUL,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100\r\n"
AUG = JUL + "2025 (FYTD),FYTD,AUG,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,120\r\n"
DEATHS = "sector,fiscal_year,deaths\nbig bend,2019,3\ndel rio,2019,38\nsouthwest border,2019,41\n"

REGISTRY = """
[[source]]
id = "cbp_encounters"
publisher = "U.S. Customs and Border Protection"
title = "Southwest Land Border Encounters"
landing_page = "{base}/document/stats/southwest-land-border-encounters"
licence = "Public domain"
citation = "CBP"
adapter = "cbp_encounters"
tables = ["encounters"]
  [[source.files]]
  key = "southwest"
  discover = {{ page = "{base}/document/stats/southwest-land-border-encounters", pattern = 'sbo-encounters-fy\\d\\d-fy\\d\\d[^"/]*\\.csv' }}

[[source]]
id = "usbp_history"
publisher = "U.S. Border Patrol"
title = "USBP deaths by sector"
landing_page = "{base}/borderpatrol"
licence = "Public domain"
citation = "USBP"
adapter = "usbp_history"
tables = ["apprehensions_annual", "sector_deaths", "encounters"]
  [[source.files]]
  key = "sw_deaths"
  url = "{base}/clean/southwest_border_deaths_1998_2019.csv"
"""


def landing(*paths: str) -> bytes:
    links = "".join(f'<li><a href="{p}">{p.rsplit("/", 1)[-1]}</a></li>' for p in paths)
    return f"<!DOCTYPE html><html><body><ul>{links}</ul></body></html>".encode()


@pytest.fixture
def publisher(tmp_path, monkeypatch):
    with publisher_with_registry(tmp_path, monkeypatch, REGISTRY) as srv:
        yield srv


def etagged(body: str, tag: str):
    def route(handler):
        if handler.headers.get("If-None-Match") == tag:
            return Reply(304, b"")
        return Reply(200, body.encode(), {"Content-Type": "text/csv", "ETag": tag})

    return route


SETTINGS = dict(timeout=1.0, attempts=2, backoff=0.01, sleep=lambda s: None)


def refresh(data_dir):
    return pipeline.run(data_dir, http=fetch.HttpSettings(**SETTINGS))


def test_refresh_discovers_downloads_then_sees_304_and_a_moved_file(publisher, tmp_path):
    data_dir = tmp_path / "data"
    jul = "/sites/default/files/2025-08/sbo-encounters-fy22-fy25-jul.csv"
    publisher.routes["/document/stats/southwest-land-border-encounters"] = [Reply(200, landing(jul))]
    publisher.routes[jul] = etagged(JUL, '"jul"')
    publisher.routes["/clean/southwest_border_deaths_1998_2019.csv"] = etagged(DEATHS, '"d1"')

    first = refresh(data_dir)
    assert first.exit_code == 0 and first.published
    wh = Warehouse(data_dir)
    assert wh.current().read("encounters")["count"].sum() == 100
    assert wh.current().read("sector_deaths")["deaths"].sum() == 41
    meta = json.loads(next((data_dir / "raw" / "cbp_encounters").rglob("*.meta.json")).read_text())
    assert meta["url"].endswith(jul) and meta["http_status"] == 200 and meta["etag"] == '"jul"'
    assert meta["content_type"] == "text/csv" and meta["bytes"] == len(JUL)

    # nothing changed: conditional requests answer 304, nothing is parsed or published
    second = refresh(data_dir)
    assert second.exit_code == 0 and not second.published
    assert {o.status for o in second.outcomes.values()} == {"unchanged"}
    assert any(h.get("If-None-Match") == '"jul"' for path, h in publisher.requests if path == jul)

    # the publisher moves to a new file name with another month; the old one is gone
    aug = "/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"
    publisher.routes["/document/stats/southwest-land-border-encounters"] = [Reply(200, landing(aug))]
    publisher.routes[jul] = [Reply(404, b"gone")]
    publisher.routes[aug] = etagged(AUG, '"aug"')
    third = refresh(data_dir)
    assert third.published and third.outcomes["cbp_encounters"].status == "updated"
    enc = wh.current().read("encounters")
    assert enc["count"].sum() == 220 and len(enc) == 2  # replaced, not appended


def test_html_page_and_server_errors_keep_previous_data(publisher, tmp_path):
    data_dir = tmp_path / "data"
    jul = "/files/2025-08/sbo-encounters-fy22-fy25-jul.csv"
    publisher.routes["/document/stats/southwest-land-border-encounters"] = [Reply(200, landing(jul))]
    publisher.routes[jul] = [Reply(200, JUL.encode(), {"Content-Type": "text/csv"})]
    publisher.routes["/clean/southwest_border_deaths_1998_2019.csv"] = [Reply(200, DEATHS.encode())]
    assert refresh(data_dir).exit_code == 0
    before = Warehouse(data_dir).current().id

    # one publisher serves an error page with status 200, the other answers 503: nothing can be published
    publisher.routes["/clean/southwest_border_deaths_1998_2019.csv"] = [
        Reply(200, b"<!DOCTYPE html><html><title>Maintenance</title></html>", {"Content-Type": "text/html"})]
    publisher.routes["/document/stats/southwest-land-border-encounters"] = [Reply(503, b"down")]
    result = refresh(data_dir)
    assert result.exit_code == 2 and not result.published
    assert "HTML page" in result.outcomes["usbp_history"].error
    assert "503" in result.outcomes["cbp_encounters"].error
    assert Warehouse(data_dir).current().id == before
    st = status(data_dir)["sources"]
    assert st["usbp_history"]["status"] == "stale" and st["usbp_history"]["rows"] == 2
    assert st["cbp_encounters"]["consecutive_failures"] == 1

    # one recovers: exit 1, its data published, the other still stale with its old rows
    publisher.routes["/document/stats/southwest-land-border-encounters"] = [Reply(200, landing(jul))]
    result = refresh(data_dir)
    assert result.exit_code == 1
    assert Warehouse(data_dir).current().read("sector_deaths")["deaths"].sum() == 41


MPP_REGISTRY = """
[[source]]
id = "cbp_mpp"
publisher = "U.S. Customs and Border Protection"
title = "Migrant Protection Protocols statistics pages"
landing_page = "{base}/newsroom/stats/migrant-protection-protocols"
licence = "Public domain"
citation = "CBP"
adapter = "cbp_mpp"
tables = ["mpp_enrollments", "mpp_enrollment_totals", "mpp_reapprehensions", "mpp_fear_referrals"]
  [[source.files]]
  key = "fy2021"
  format = "html"
  url = "{base}/node/366872/printable/print"
  [[source.files]]
  key = "fy2022"
  format = "html"
  optional = true
  url = "{base}/node/374050/printable/print"
"""


@pytest.fixture
def mpp_publisher(tmp_path, monkeypatch):
    with publisher_with_registry(tmp_path, monkeypatch, MPP_REGISTRY) as srv:
        yield srv


def test_an_html_statistics_page_is_fetched_conditionally_and_a_revision_is_reported(mpp_publisher, tmp_path):
    """A page declared `format = "html"` is data, not an error page: fetched with ETag, 304 when unchanged, and
    a figure revised in place on the page shows in the change report; an "Access Denied" page is an error
    naming the page, and the previous release keeps serving."""
    from etl import changes
    from tests.conftest import FIXTURES

    data_dir = tmp_path / "data"
    page = (FIXTURES / "cbp_mpp" / "fy2021.html").read_text(encoding="utf-8")
    path = "/node/366872/printable/print"
    mpp_publisher.routes[path] = etagged(page, '"v1"')
    mpp_publisher.routes["/node/374050/printable/print"] = [Reply(404, b"not found")]
    first = refresh(data_dir)
    assert first.exit_code == 0 and first.published, first.outcomes["cbp_mpp"].error
    assert any("fy2022" in n for n in first.outcomes["cbp_mpp"].notes)  # optional page absent: a note
    meta = json.loads(next((data_dir / "raw" / "cbp_mpp").rglob("*.meta.json")).read_text())
    assert meta["url"].endswith(path) and meta["etag"] == '"v1"'

    second = refresh(data_dir)
    assert not second.published and second.outcomes["cbp_mpp"].status == "unchanged"
    assert any(h.get("If-None-Match") == '"v1"' for p, h in mpp_publisher.requests if p == path)

    revised = page.replace("<td>1,203</td>", "<td>1,230</td>", 1).replace(
        "<td><strong>1,210</strong></td>", "<td><strong>1,237</strong></td>", 1)
    mpp_publisher.routes[path] = etagged(revised, '"v2"')
    third = refresh(data_dir)
    assert third.published
    rev = changes.load(Warehouse(data_dir).current())["tables"]["mpp_reapprehensions"]["revisions"]
    assert [(r["old"], r["new"]) for r in rev] == [(1203, 1230)]

    served = Warehouse(data_dir).current().id
    denied = b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1></body></html>"
    mpp_publisher.routes[path] = [Reply(200, denied, {"Content-Type": "text/html"})]
    fourth = refresh(data_dir)
    error = fourth.outcomes["cbp_mpp"].error
    # a CDN's "Access Denied" page is a refusal by the server (named with the page's address), not a bad page
    assert not fourth.published and "refused by the publisher's server" in error and path in error
    assert Warehouse(data_dir).current().id == served
