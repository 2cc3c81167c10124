"""Revised figures marked on charts and in their CSVs (issue 14, section 4), over three releases in which CBP
revises one September 2024 count twice (3,400 -> 3,500 -> 3,550) and IOM one incident's dead (1 -> 4 -> 5).

The independent truth is each release's own table, read with pandas from its Parquet file: what the chart's
hover and the CSV's first_published say the total was first published as must be what the first release
held, and the current value what the last one holds."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import shutil

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
HOMICIDE_ROW = "02004|2019|1|150|"  # Tijuana's homicides in January 2019
HOMICIDES = (150, 155, 158)
POPULATION_2019 = (1_760_000, 1_770_000, 1_770_000)  # a 2019 row added to the CONAPO fixture, revised once
TIJUANA_2020 = b'02004,"900,000","889,531","1,789,531"'
VICTIMS_ROW = "2019-01-15,2019,01,02,Baja California,La vida y la Integridad corporal,Homicidio,Homicidio doloso," \
              "Con arma de fuego,Hombre,Adultos (18 y más),150"  # Baja California, January 2019, men
VICTIMS = (150, 160, 165)
MPP_ROW = "<td>San Diego</td><td>7</td><td>8</td><td>9</td><td>6</td>"  # USBP enrolments at San Diego; Jan-21: 6
MPP = (6, 16, 26)
MPP_TOTALS = ("Enrollment Total</strong></td><td>45</td><td>54</td><td>63</td><td>36</td>",
              "<td>CBP Total</td><td>51</td><td>64</td><td>999</td><td>40</td>")  # USBP's and CBP's Jan-21 totals
REFERENCE = reference_dir()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("revised_releases")
    cbp = (FIXTURES / "cbp_encounters" / "southwest.csv").read_bytes()
    iom = IOM_FIXTURE.read_bytes()
    inegi = gzip.decompress((FIXTURES / "inegi_homicides" / "muni_month.csv.gz").read_bytes()).decode("utf-8")
    conapo = (FIXTURES / "conapo_population" / "projections.csv").read_bytes()
    sesnsp = bz2.decompress((FIXTURES / "sesnsp_state_victims" / "victims_long.csv.bz2").read_bytes()).decode("utf-8")
    assert cbp.count(CBP_ROW) == 1 and iom.count(IOM_ROW) == 1 and inegi.count(HOMICIDE_ROW) == 1
    assert sesnsp.count(VICTIMS_ROW) == 1
    mpp = (FIXTURES / "cbp_mpp" / "fy2021.html").read_text(encoding="utf-8")
    assert mpp.count(MPP_ROW) == 1 and all(mpp.count(t) == 1 for t in MPP_TOTALS)
    for n, (count, dead, hom, pop, vic) in enumerate(zip(COUNTS, DEAD, HOMICIDES, POPULATION_2019, VICTIMS)):
        mirror = tmp / f"mirror{n}"
        for sid in ("cbp_encounters", "iom_missing_migrants", "inegi_homicides", "conapo_population",
                    "sesnsp_state_victims", "cbp_mpp"):
            (mirror / sid).mkdir(parents=True)
        shutil.copy(FIXTURES / "cbp_mpp" / "fy2020.html", mirror / "cbp_mpp")  # San Diego's Feb-21, and the total
        page = mpp.replace(MPP_ROW, MPP_ROW[:-len("6</td>")] + f"{MPP[n]}</td>")
        for total in MPP_TOTALS:  # the printed totals move with it (they still agree with their cells)
            last = int(total[-len("36</td>"):-len("</td>")])
            page = page.replace(total, total[:-len("36</td>")] + f"{last + MPP[n] - MPP[0]}</td>")
        (mirror / "cbp_mpp" / "fy2021.html").write_text(page, encoding="utf-8")
        (mirror / "sesnsp_state_victims" / "victims_long.csv.bz2").write_bytes(
            bz2.compress(sesnsp.replace(VICTIMS_ROW, VICTIMS_ROW[:-3] + str(vic)).encode("utf-8")))
        (mirror / "cbp_encounters" / "southwest.csv").write_bytes(cbp.replace(CBP_ROW, CBP_ROW[:-4] + str(count).encode()))
        (mirror / "iom_missing_migrants" / "incidents.csv").write_bytes(
            iom.replace(IOM_ROW, f"2019-01-06,2019,January,{dead},,{dead},".encode()))
        (mirror / "inegi_homicides" / "muni_month.csv.gz").write_bytes(
            gzip.compress(inegi.replace(HOMICIDE_ROW, f"02004|2019|1|{hom}|").encode("utf-8")))
        shutil.copy(FIXTURES / "inegi_homicides" / "state_month.csv", mirror / "inegi_homicides")
        header, rest = conapo.split(b"\n", 1)
        if n:  # Tijuana's 2020 population, revised by the second release (the map shows 2020)
            assert rest.count(TIJUANA_2020) == 1
            rest = rest.replace(TIJUANA_2020, TIJUANA_2020.replace(b'"900,000"', b'"910,000"').replace(
                b'"1,789,531"', b'"1,799,531"'))
        row = f"2019,Baja California,02,Tijuana,02004,{pop // 2},{pop - pop // 2},{pop}".encode()
        (mirror / "conapo_population" / "projections.csv").write_bytes(header + b"\n" + row + b"\n" + rest)
        shutil.copy(FIXTURES / "conapo_population" / "catalogue.csv", mirror / "conapo_population")
        result = pipeline.run(tmp / "data", source_ids=["cbp_encounters", "iom_missing_migrants", "inegi_homicides",
                                                        "conapo_population", "sesnsp_state_victims", "cbp_mpp"],
                              mirror=mirror)
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


def _tijuana_2019(release) -> tuple[float, float]:
    """Tijuana's 2019 homicides (INEGI municipal rows) and 2019 population (CONAPO), from a release's tables."""
    h = _table(release, "homicides")
    h = h[(h["dataset"] == "inegi_municipal_month") & (h["place_id"] == "02004")
          & (pd.to_datetime(h["month"]).dt.year == 2019)]
    p = _table(release, "population")
    p = p[(p["place_id"] == "02004") & (p["year"] == 2019)]
    return float(h["count"].sum()), float(p["population"].iloc[0])


@pytest.mark.parametrize("percap", [False, True])
def test_compare_homicides_and_its_rate_say_what_they_were_first_published_as(app, percap):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import compare as view

    first, _, last = Warehouse(data_access.data_dir()).releases()
    (n0, p0), (n1, p1) = _tijuana_2019(first), _tijuana_2019(last)
    assert (n1 - n0, p1 - p0) == (HOMICIDES[-1] - HOMICIDES[0], POPULATION_2019[-1] - POPULATION_2019[0])
    was, now = (n0 / p0 * 100_000, n1 / p1 * 100_000) if percap else (n0, n1)
    query = {"cities": "02004,08037", "year": "2019", **({"percap": "1"} if percap else {})}
    state = view.state_from_query(query).state
    bars = figdata.decoded(view.chart_views(state)["homicides"][0])["data"][0]
    i = next(j for j, y in enumerate(bars["y"]) if y.startswith("Tijuana"))
    assert bars["x"][i] == pytest.approx(now)
    shown = f"{was:,.1f}" if percap else f"{was:,.0f}"
    assert bars["customdata"][i] == f"<br>revised: first published as {shown} ({first.manifest['published_at'][:10]})"
    r = app.server.test_client().get("/export/compare-homicides.csv?" + "&".join(f"{k}={v}" for k, v in query.items()))
    table = pd.read_csv(io.BytesIO(r.data), dtype={"place_id": str, "revised_in": str}).set_index("place_id")
    assert table.at["02004", "first_published"] == pytest.approx(round(was, 2 if percap else 0))
    assert table.at["02004", "revised_in"] == last.manifest["published_at"][:10]
    assert pd.isna(table.at["08037", "first_published"])


def test_compare_monthly_rings_the_revised_month(app):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import compare as view

    first = Warehouse(data_access.data_dir()).releases()[0]
    h = _table(first, "homicides")
    was = float(h[(h["dataset"] == "inegi_municipal_month") & (h["place_id"] == "02004")
                  & (pd.to_datetime(h["month"]) == "2019-01-01")]["count"].iloc[0])
    state = view.state_from_query({"cities": "02004,08037", "year": "2019"}).state
    fig = figdata.decoded(view.chart_views(state)["monthly"][0])
    tijuana = next(t for t in fig["data"] if t.get("name", "").startswith("Tijuana"))
    assert tijuana["customdata"][tijuana["x"].index("2019-01-01")].endswith(f"first published as {was:,.0f} "
                                                                           f"({first.manifest['published_at'][:10]})")
    ring = next(t for t in fig["data"] if t.get("name") == "Revised figures")
    assert ring["x"] == ["2019-01-01"] and ring["xaxis"] == tijuana["xaxis"] and ring["yaxis"] == tijuana["yaxis"]


@pytest.mark.parametrize("measure", ["count", "rate"])
def test_violence_homicides_ring_the_revised_months(app, measure):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import violence as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def tijuana(release, month: str) -> float:
        h = _table(release, "homicides")
        n = float(h[(h["dataset"] == "inegi_municipal_month") & (h["place_id"] == "02004")
                    & (pd.to_datetime(h["month"]) == month)]["count"].iloc[0])
        p = _table(release, "population")
        return n / float(p[(p["place_id"] == "02004") & (p["year"] == 2019)]["population"].iloc[0]) * 100_000 \
            if measure == "rate" else n

    query = {"level": "municipality", "places": "02004,08037", "measure": measure, "freq": "month",
             "from": "2019-01", "to": "2019-02"}
    state = view.state_from_query(query).state
    fig = figdata.decoded(view.chart_views(state)["homicides"][0].to_plotly_json())
    line = next(t for t in fig["data"] if t.get("name", "").startswith("Tijuana"))
    # January's count was revised; in rates, February's too (Tijuana's 2019 population was)
    months = ["2019-01", "2019-02"] if measure == "rate" else ["2019-01"]
    for i, x in enumerate(pd.Timestamp(x).strftime("%Y-%m") for x in line["x"]):
        expect = (f"<br>revised: first published as {tijuana(first, x + '-01'):,.{0 if measure == 'count' else 1}f}"
                  f" ({first.manifest['published_at'][:10]})") if x in months else ""
        assert line["customdata"][i] == expect, x
        assert line["y"][i] == pytest.approx(round(tijuana(last, x + "-01"), 2))
    ring = next(t for t in fig["data"] if t.get("name") == "Revised figures")
    assert [pd.Timestamp(x).strftime("%Y-%m") for x in ring["x"]] == months
    rows = view.chart_tables(state, only="homicides")["homicides"]
    marked = rows[rows["first_published"].notna()]
    assert marked["period"].tolist() == months and (marked["place_id"] == "02004").all()
    assert marked["first_published"].tolist() == pytest.approx([round(tijuana(first, m + "-01"), 2) for m in months])


@pytest.mark.parametrize("measure", ["count", "rate"])
def test_violence_victims_ring_the_revised_month(app, measure):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import violence as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def baja_california(release, month: str) -> float:
        v = _table(release, "crime_victims")
        n = float(v[(v["place_id"] == "02") & (pd.to_datetime(v["month"]) == month)
                    & (v["subtype"] == "Homicidio doloso")]["victims"].sum())
        p = _table(release, "population")  # a state's population: the sum of its municipalities'
        people = float(p[p["place_id"].str.startswith("02") & (p["year"] == 2019)]["population"].sum())
        return n / people * 100_000 if measure == "rate" else n

    assert baja_california(last, "2019-01-01") != baja_california(first, "2019-01-01")
    query = {"level": "municipality", "places": "02004", "measure": measure, "freq": "month", "from": "2019-01",
             "to": "2019-02", "subtype": "Homicidio doloso"}
    state = view.state_from_query(query).state
    fig = figdata.decoded(view.chart_views(state)["victims"][0].to_plotly_json())
    line = next(t for t in fig["data"] if t.get("name") != "Revised figures")
    months = ["2019-01", "2019-02"] if measure == "rate" else ["2019-01"]  # rates: the population was revised
    for i, x in enumerate(pd.Timestamp(x).strftime("%Y-%m") for x in line["x"]):
        expect = (f"<br>revised: first published as "
                  f"{baja_california(first, x + '-01'):,.{0 if measure == 'count' else 1}f}"
                  f" ({first.manifest['published_at'][:10]})") if x in months else ""
        assert line["customdata"][i] == expect, x
        assert line["y"][i] == pytest.approx(round(baja_california(last, x + "-01"), 2))
    rows = view.chart_tables(state, only="victims")["victims"]
    assert rows.loc[rows["first_published"].notna(), "period"].tolist() == months


@pytest.mark.parametrize("metric", ["population", "deaths_50km"])
def test_the_map_rings_a_city_whose_figure_was_revised(app, metric):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import map as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def truth(release) -> tuple[str, float]:
        if metric == "population":  # the map shows the latest population year up to 2020
            p = _table(release, "population")
            return "02004", float(p[(p["place_id"] == "02004") & (p["year"] == 2020)]["population"].iloc[0])
        d = _table(release, "migrant_deaths")  # IOM's dead and missing whose nearest city is Nogales, within 50 km
        d = d[(d["dataset"] == "iom_us_mexico_border") & (d["nearest_place_id"] == "26043") & (d["distance_km"] <= 50)]
        return "26043", float(d["dead"].fillna(0).sum() + d["missing"].fillna(0).sum())

    (pid, was), (_, now) = truth(first), truth(last)
    assert was != now
    state = view.state_from_query({"metric": metric, "layer": "none"}).state
    fig = figdata.decoded(view.chart_views(state)["map"][0].to_plotly_json())
    cities = next(t for t in fig["data"] if (t.get("meta") or {}).get("columns") == ["place_id"]
                  and t.get("name") != "No data")
    i = cities["customdata"].index(pid)
    assert cities["marker"]["color"][i] == now
    assert f"(revised: first published as {was:,.0f} ({first.manifest['published_at'][:10]}))" in \
        cities["hovertext"][i]
    ring = next(t for t in fig["data"] if t.get("name") == "Revised figures")
    assert (ring["lat"], ring["lon"]) == ([cities["lat"][i]], [cities["lon"][i]])
    rows = view.chart_tables(state)["map"]
    marked = rows[rows["first_published"].notna()]
    assert marked["place_id"].tolist() == [pid] and marked["first_published"].tolist() == [was]


@pytest.mark.parametrize("split", ["component", "area"])
def test_the_mpp_chart_outlines_a_revised_month(app, split):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import reported as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def border_patrol_january(release) -> float:  # what the chart's bar holds: the Border Patrol's rows, or San Diego's
        e = _table(release, "mpp_enrollments")
        e = e[(pd.to_datetime(e["month"]) == "2021-01-01") & (e["dataset"] == "cbp_mpp_enrollments_fy2021")]
        e = e[e["component"] == "U.S. Border Patrol"] if split == "component" else e[e["place_id"] == "US-SEC-SDC"]
        return float(e["count"].sum())

    was, now = border_patrol_january(first), border_patrol_january(last)
    assert now - was == MPP[-1] - MPP[0]
    state = view.state_from_query({"split": split}).state
    fig = figdata.decoded(view.chart_views(state)["mpp"][0].to_plotly_json())
    bars = [t for t in fig["data"] if t.get("type") == "bar" and "customdata" in t]
    assert len(bars) == 1  # one series holds the revised month
    (bar,) = bars
    i = bar["x"].index("2021-01-01")
    assert bar["y"][i] == now
    assert bar["customdata"][i] == f"<br>revised: first published as {was:,.0f} ({first.manifest['published_at'][:10]})"
    assert bar["marker"]["line"]["width"][i] > 0 and sum(w > 0 for w in bar["marker"]["line"]["width"]) == 1
    rows = view.chart_tables(state)["mpp"]
    marked = rows[rows["first_published"].notna()]
    assert marked["period"].tolist() == ["2021-01"] and marked["first_published"].tolist() == [was]


@pytest.mark.parametrize("measure", ["count", "rate"])
def test_violence_subtypes_outline_a_revised_bar(app, measure):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import violence as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def period_total(release) -> float:  # Baja California's homicidio doloso victims, Jan-Feb 2019
        v = _table(release, "crime_victims")
        n = float(v[(v["place_id"] == "02") & (v["subtype"] == "Homicidio doloso")
                    & pd.to_datetime(v["month"]).between("2019-01-01", "2019-02-01")]["victims"].sum())
        p = _table(release, "population")
        people = float(p[p["place_id"].str.startswith("02") & (p["year"] == 2019)]["population"].sum())
        return n / people * 100_000 if measure == "rate" else n

    was, now = period_total(first), period_total(last)
    assert was != now
    state = view.state_from_query({"level": "municipality", "places": "02004", "measure": measure,
                                   "from": "2019-01", "to": "2019-02"}).state
    fig = figdata.decoded(view.chart_views(state)["subtypes"][0].to_plotly_json())
    (bar,) = [t for t in fig["data"] if t.get("name") == "Baja California"]
    i = bar["y"].index("Homicidio doloso")
    assert bar["x"][i] == pytest.approx(round(now, 2))
    shown = f"{was:,.1f}" if measure == "rate" else f"{was:,.0f}"
    assert bar["customdata"][i] == f"<br>revised: first published as {shown} ({first.manifest['published_at'][:10]})"
    assert bar["marker"]["line"]["width"][i] > 0
    rows = view.chart_tables(state, only="subtypes")["subtypes"]
    marked = rows[rows["first_published"].notna()]
    assert marked["category"].tolist() == ["Homicidio doloso"]
    assert marked["first_published"].tolist() == pytest.approx([round(was, 2)])


def test_compare_enrolled_rings_the_paired_sectors_revised_month(app):
    from dashboard import data_access
    from dashboard.export import figdata
    from dashboard.views import compare as view

    first, _, last = Warehouse(data_access.data_dir()).releases()

    def san_diego_january(release) -> float:
        e = _table(release, "mpp_enrollments")
        return float(e[(pd.to_datetime(e["month"]) == "2021-01-01") & (e["place_id"] == "US-SEC-SDC")
                       & (e["dataset"] == "cbp_mpp_enrollments_fy2021")]["count"].sum())

    was, now = san_diego_january(first), san_diego_january(last)
    assert now - was == MPP[-1] - MPP[0]
    state = view.state_from_query({"cities": "02004,08037"}).state  # Tijuana: paired with the San Diego sector
    fig = figdata.decoded(view.chart_views(state)["enrolled"][0])
    line = next(t for t in fig["data"] if "customdata" in t)
    i = line["x"].index("2021-01-01")
    assert line["y"][i] == now
    assert line["customdata"][i] == f"<br>revised: first published as {was:,.0f} ({first.manifest['published_at'][:10]})"
    ring = next(t for t in fig["data"] if t.get("name") == "Revised figures")
    assert ring["x"] == ["2021-01-01"] and ring.get("xaxis", "x") == line.get("xaxis", "x")
    rows = view.chart_tables(state, only="enrolled")["enrolled"]
    marked = rows[rows["first_published"].notna()]
    assert marked[["period", "place_id"]].values.tolist() == [["2021-01", "02004"]]
    assert marked["first_published"].tolist() == [was]
