"""Revised figures marked on charts and in their CSVs (issue 14, section 4), over three releases in which CBP
revises one September 2024 count twice (3,400 -> 3,500 -> 3,550) and IOM one incident's dead (1 -> 4 -> 5).

The independent truth is each release's own table, read with pandas from its Parquet file: what the chart's
hover and the CSV's first_published say the total was first published as must be what the first release
held, and the current value what the last one holds."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from etl import pipeline
from etl.config import reference_dir
from etl.warehouse import Warehouse
from tests.conftest import FIXTURES, IOM_FIXTURE, IOM_ROW

CBP_ROW = b"2024,FYTD,SEP,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,3400"
COUNTS = (3400, 3500, 3550)
DEAD = (1, 4, 5)
REFERENCE = reference_dir()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("revised_releases")
    cbp = (FIXTURES / "cbp_encounters" / "southwest.csv").read_bytes()
    iom = IOM_FIXTURE.read_bytes()
    assert cbp.count(CBP_ROW) == 1 and iom.count(IOM_ROW) == 1
    for n, (count, dead) in enumerate(zip(COUNTS, DEAD)):
        mirror = tmp / f"mirror{n}"
        (mirror / "cbp_encounters").mkdir(parents=True)
        (mirror / "iom_missing_migrants").mkdir(parents=True)
        (mirror / "cbp_encounters" / "southwest.csv").write_bytes(cbp.replace(CBP_ROW, CBP_ROW[:-4] + str(count).encode()))
        (mirror / "iom_missing_migrants" / "incidents.csv").write_bytes(
            iom.replace(IOM_ROW, f"2019-01-06,2019,January,{dead},,{dead},".encode()))
        result = pipeline.run(tmp / "data", source_ids=["cbp_encounters", "iom_missing_migrants"], mirror=mirror)
        assert result.published, {k: o.error for k, o in result.outcomes.items() if o.error}
    return tmp / "data"


@pytest.fixture(scope="module")
def app(data_dir):
    from dashboard import data_access
    from dashboard.app import create_app

    a = create_app(data_dir, bootstrap=False)
    data_access.wait_for_switch()
    return a


def _table(release, name: str) -> pd.DataFrame:
    """A release's table with pandas alone (not the dashboard's code)."""
    return pd.read_parquet(release.path / f"{name}.parquet")


def _september_total(release) -> float:
    enc = _table(release, "encounters")
    enc = enc[(enc["dataset"] == "cbp_southwest") & (pd.to_datetime(enc["month"]) == "2024-09-01")]
    return float(enc["count"].sum())


def test_the_encounters_chart_and_csv_say_what_a_revised_month_was_first_published_as(app):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import encounters as view

    first, _, last = Warehouse(data_access.data_dir()).releases()
    was, now = _september_total(first), _september_total(last)
    assert now - was == COUNTS[-1] - COUNTS[0]  # the fixture did what it says: one row moved by 150
    state = view.state_from_query({"dataset": "cbp_southwest"}).state
    fig = figdata.decoded(view.chart_views(state)["encounters"][0].to_plotly_json())
    series = next(t for t in fig["data"] if t.get("name") == "All encounters")
    i = series["x"].index("2024-09-01")
    assert series["y"][i] == now
    assert series["customdata"][i] == f"<br>revised: first published as {was:,.0f} ({first.manifest['published_at'][:10]})"
    assert "%{customdata}" in series["hovertemplate"]
    others = [c for j, c in enumerate(series["customdata"]) if j != i]
    assert others and all(c == "" for c in others)  # the months nobody revised say nothing
    ring = next(t for t in fig["data"] if t.get("name") == "Revised figures")
    assert (ring["x"], ring["y"], ring["hoverinfo"]) == (["2024-09-01"], [now], "skip")
    assert any("Ringed points" in n for n in fig["layout"]["meta"]["notes"])
    # the CSV: the month's row carries the first-published total and the release that revised it
    r = app.server.test_client().get("/export/encounters.csv?dataset=cbp_southwest")
    assert r.status_code == 200
    table = pd.read_csv(io.BytesIO(r.data), dtype={"period": str, "revised_in": str})  # plain read_csv
    sept = table[table["period"] == "2024-09"].iloc[0]
    assert (sept["value"], sept["first_published"]) == (now, was)
    assert sept["revised_in"] == last.manifest["published_at"][:10]
    rest = table[table["period"] != "2024-09"]
    assert len(rest) and rest["first_published"].isna().all() and rest["revised_in"].isna().all()
    sidecar = json.loads(app.server.test_client().get("/export/encounters.json?dataset=cbp_southwest").data)
    assert "first published" in sidecar["columns"]["first_published"]


def test_a_breakdown_marks_only_the_group_whose_row_was_revised(app):
    from dashboard import data_access
    from dashboard.views import encounters as view

    first = Warehouse(data_access.data_dir()).releases()[0]
    state = view.state_from_query({"dataset": "cbp_southwest", "breakdown": "component"}).state
    rows = view.chart_tables(state)["encounters"]
    marked = rows[rows["first_published"].notna()]
    assert marked[["period", "category"]].values.tolist() == [["2024-09", "U.S. Border Patrol"]]
    enc = _table(first, "encounters")
    usbp = enc[(enc["dataset"] == "cbp_southwest") & (pd.to_datetime(enc["month"]) == "2024-09-01")
               & (enc["component"] == "U.S. Border Patrol")]
    assert marked["first_published"].iloc[0] == float(usbp["count"].sum())


def _people_near(release, lat: float, lon: float, year: int, km: float) -> float:
    """IOM dead and missing of a year's incidents within km (great-circle) of a point, from the release's table."""
    d = _table(release, "migrant_deaths")
    d = d[(d["dataset"] == d["dataset"].iloc[0]) & (pd.to_datetime(d["date"]).dt.year == year)].dropna(subset=["lat"])
    la1, lo1, la2, lo2 = (np.radians(v) for v in (d["lat"].astype(float), d["lon"].astype(float), lat, lon))
    dist = 2 * 6371.0088 * np.arcsin(np.sqrt(np.sin((la2 - la1) / 2) ** 2
                                             + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2))
    near = d[dist <= km]
    return float(near["dead"].fillna(0).sum() + near["missing"].fillna(0).sum())


def test_compare_deaths_outlines_a_city_whose_count_holds_a_revised_incident(app):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import compare as view

    first, _, last = Warehouse(data_access.data_dir()).releases()
    places = pd.read_csv(REFERENCE / "places.csv", dtype={"place_id": str}).set_index("place_id")
    nogales = places.loc["26043"]  # the revised incident is near Nogales, Arizona
    was = _people_near(first, nogales["lat"], nogales["lon"], 2019, 50)
    now = _people_near(last, nogales["lat"], nogales["lon"], 2019, 50)
    assert now - was == DEAD[-1] - DEAD[0]
    query = "cities=26043,02004&year=2019&km=50&deaths=iom"
    state = view.state_from_query(dict(x.split("=") for x in query.split("&"))).state
    fig = figdata.decoded(view.chart_views(state)["deaths"][0])
    bars = fig["data"][0]
    i = bars["y"].index(next(y for y in bars["y"] if y.startswith("Nogales")))
    assert bars["x"][i] == now
    assert bars["customdata"][i] == f"<br>revised: first published as {was:,.0f} ({first.manifest['published_at'][:10]})"
    assert bars["marker"]["line"]["width"][i] > 0
    assert all(w == 0 for j, w in enumerate(bars["marker"]["line"]["width"]) if j != i)
    r = app.server.test_client().get(f"/export/compare-deaths.csv?{query}")
    table = pd.read_csv(io.BytesIO(r.data), dtype={"place_id": str, "revised_in": str})
    row = table[table["place_id"] == "26043"].iloc[0]
    assert (row["value"], row["first_published"], row["revised_in"]) == (now, was, last.manifest["published_at"][:10])
    assert table[table["place_id"] != "26043"]["first_published"].isna().all()
