"""Exports: sizes and formats, the plotted points as CSV, the HTTP routes, the embed page, the CLI.

Pure pieces on tiny literal figures; the routes and the CLI over a release built from the fixtures;
images through kaleido and the system Chromium (skipped where there is none)."""
from __future__ import annotations

import base64
import io
import json
import re
import shlex
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import tidy
from dashboard.export import figdata, frames, options, registry, render
from dashboard.export.registry import BadRequest
from tests.support.release import fixture_release

CHROMIUM = render.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: image export cannot run here")


# ---------------------------------------------------------------- sizes and formats

def test_presets_and_explicit_sizes():
    assert options.parse_size(None) == options.Size(1200, 675, 1)
    assert options.parse_size("social") == options.Size(1200, 630, 1)
    assert options.parse_size("square") == options.Size(1080, 1080, 1)
    assert options.parse_size("print").width == 2400
    assert options.parse_size("800x600", "2") == options.Size(800, 600, 2)


@pytest.mark.parametrize("size, scale", [("10x10", None), ("5000x600", None), ("1200", None), ("1e3x600", None),
                                         ("<script>", None), ("1200x675", "9"), ("4000x4000", "2"), ("x" * 5000, None)])
def test_bad_sizes_are_refused_with_a_reason(size, scale):
    with pytest.raises(BadRequest) as e:
        options.parse_size(size, scale)
    assert len(str(e.value)) < 200  # a hostile value is not echoed back whole


def test_formats_come_from_a_list():
    assert options.parse_formats("png,svg,csv,png") == ["png", "svg", "csv"]
    for bad in ("exe", "png,../x", ""):
        with pytest.raises(BadRequest):
            options.parse_formats(bad)


# ---------------------------------------------------------------- plotted points

FIGURE = {
    "data": [
        {"type": "bar", "name": "Homicides", "orientation": "h", "x": [2164.0, 1494.0], "y": ["Tijuana", "Juárez"],
         "text": ["2,164", "1,494"]},
        {"type": "scatter", "mode": "text", "name": "no data", "x": [0], "y": ["Reynosa"],
         "text": ["no data: no population"], "hoverinfo": "skip", "meta": {"export": "missing"}},
        {"type": "scatter", "mode": "text", "x": [2500], "y": ["Tijuana"], "text": ["label"], "hoverinfo": "skip"},
        {"type": "scatter", "name": "Matamoros", "x": [16400, 19000], "y": ["M", "M"], "meta": {"points": 1},
         "text": ["more than 16,400", ""]},
        {"type": "scatter", "name": "Policy events", "x": ["2019-01-28"], "y": [1.0], "text": ["1"],
         "meta": {"export": "label"}},
        {"type": "scattergeo", "name": "Rate &amp; more", "lat": [32.5], "lon": [-117.0], "text": ["Tijuana"],
         "marker": {"color": [120.5]}, "customdata": ["02004"], "meta": {"columns": ["place_id"]}},
    ],
    "layout": {"meta": {"title": "Homicides", "subtitle": "Deaths registered as homicides",
                        "source": "Source: INEGI (retrieved 2026-11-27)", "notes": ["Juárez: about 13,000"]}},
}


def test_plotted_rows_are_the_data_points_only():
    rows = frames.plotted_rows(FIGURE)
    assert [r["series"] for r in rows] == ["Homicides", "Homicides", "no data", "Matamoros", "Policy events",
                                           "Rate & more"]
    assert rows[0] == {"series": "Homicides", "x": 2164.0, "y": "Tijuana", "label": "2,164"}
    assert rows[2]["x"] is None and rows[2]["y"] == "Reynosa" and rows[2]["label"] == "no data: no population"
    assert rows[3]["x"] == 16400  # the arrow's end (19000) is not a value
    assert rows[4] == {"series": "Policy events", "x": "2019-01-28", "y": None, "label": "1"}
    assert rows[5] == {"series": "Rate & more", "lat": 32.5, "lon": -117.0, "value": 120.5, "label": "Tijuana",
                       "place_id": "02004"}


def built_for(figure, alt="Homicides: highest Tijuana (2,164)"):
    return registry.Built(registry.CHARTS["compare-homicides"], figure, alt, "?cities=02004,08037",
                          release="20261127T000000Z-001")


def test_typed_arrays_are_decoded_wherever_figure_data_is_read():
    # Plotly 6 writes numpy arrays as {"dtype", "bdata"(, "shape")}: the truth here is encoded by hand
    values = np.array([2164.0, 1494.0, float("nan")])
    ids = np.array([[2004, 1], [8037, 2]], dtype="<i4")
    typed = {"dtype": "f8", "bdata": base64.b64encode(values.astype("<f8").tobytes()).decode()}
    custom = {"dtype": "i4", "bdata": base64.b64encode(ids.tobytes()).decode(), "shape": "2, 2"}
    assert figdata.decode(custom) == [[2004, 1], [8037, 2]]
    got = figdata.decode(typed)
    assert got[:2] == [2164.0, 1494.0] and got[2] != got[2]
    fig = {"data": [{"type": "scattergeo", "name": "Rate", "lat": {"dtype": "f4", "bdata": base64.b64encode(
        np.array([32.5, 31.75], dtype="<f4").tobytes()).decode()}, "lon": [-117.0, -106.5],
        "marker": {"color": {**typed, "bdata": base64.b64encode(values[:2].tobytes()).decode()}},
        "text": ["Tijuana", "Juárez"]}], "layout": {}}
    rows = frames.plotted_rows(fig)
    assert [(r["lat"], r["lon"], r["value"]) for r in rows] == [(32.5, -117.0, 2164.0), (31.75, -106.5, 1494.0)]
    assert "bdata" in str(fig)  # the input is left as it was


def fake_chart(rows):
    """A chart whose views module returns `rows` as its tidy table (no release needed)."""
    from types import SimpleNamespace

    from dashboard import tidy

    views = SimpleNamespace(state_from_query=lambda q: SimpleNamespace(state=dict(q)),
                            chart_tables=lambda state, only=None: {"k": tidy.frame(rows)}, params=list)
    return registry.Chart("fake", "/fake", views, "k", "A fake chart", "q", ("homicides",))


def test_csv_is_a_plain_tidy_table_and_its_sidecar_says_what_it_is():
    rows = [{"place_id": "02004", "place": "Tijuana", "period": "2019", "measure": "homicides", "value": 2164.0,
             "unit": "homicides", "qualifier": "exact", "note": "a, b; “c”"},
            {"place_id": "02002", "place": "Mexicali", "period": "2019", "measure": "homicides", "value": None,
             "note": "no INEGI rows for Mexicali in 2019"},
            {"place_id": "02004", "place": "Tijuana", "period": "2019", "measure": "homicide_rate", "value": 115.53}]
    built = registry.Built(fake_chart(rows), FIGURE, "Homicides: highest Tijuana (2,164)", "?cities=02004,02002",
                           release="20261127T000000Z-001")
    text = frames.to_csv(built, base_url="https://example.org")
    assert not any(line.startswith("#") for line in text.splitlines())
    table = pd.read_csv(io.StringIO(text), dtype={"place_id": str})  # no options
    assert list(table.columns) == list(tidy.COLUMNS)
    assert table["chart"].tolist() == ["fake"] * 3 and table.loc[2, "value"] == 115.53
    assert table.loc[0, "value"] == 2164 and pd.isna(table.loc[1, "value"])  # no data is empty, never zero
    assert table.loc[0, "note"] == "a, b; “c”" and table.loc[0, "place_id"] == "02004"
    assert "2164," in text and "2164.0" not in text  # whole numbers print as whole numbers
    full = frames.to_csv(registry.Built(fake_chart([rows[0], rows[2]]), FIGURE, "", ""))  # no empty value
    assert ",2164," in full and ",115.53," in full and "2164.0" not in full
    side = frames.sidecar(built, base_url="https://example.org")
    assert side["title"] == "Homicides" and side["source"] == "Source: INEGI (retrieved 2026-11-27)"
    assert side["notes"] == ["Juárez: about 13,000"] and side["release"] == "20261127T000000Z-001"
    assert side["view"] == "https://example.org/fake?cities=02004,02002"
    assert side["csv"] == "https://example.org/export/fake.csv?cities=02004,02002"
    assert side["tables"] == {"homicides": "https://example.org/download/homicides.csv"}
    assert set(side["columns"]) == set(table.columns)
    assert side["marks"] == [{"series": "Policy events", "x": "2019-01-28", "label": "1", "text": ""}]


def test_csv_quotes_text_a_spreadsheet_would_run():
    rows = [{"place": "=HYPERLINK(\"http://x\")", "category": "@cmd", "measure": "m", "value": -5.0}]
    text = frames.to_csv(registry.Built(fake_chart(rows), {"data": [], "layout": {}}, "", ""))
    assert "'=HYPERLINK" in text and "'@cmd" in text
    assert pd.read_csv(io.StringIO(text))["value"].tolist() == [-5]  # numbers are numbers, not quoted text


def test_the_public_base_url_is_configurable(monkeypatch):
    from dashboard import publicurl

    monkeypatch.delenv(publicurl.ENV, raising=False)
    assert publicurl.base_url() == "http://127.0.0.1:8050" == publicurl.DEFAULT
    monkeypatch.setenv(publicurl.ENV, "https://stats.example.org/border/")
    assert publicurl.absolute("/compare?cities=a") == "https://stats.example.org/border/compare?cities=a"
    for bad in ("javascript:alert(1)", "stats.example.org", "https://x.org/?a=1"):
        monkeypatch.setenv(publicurl.ENV, bad)
        assert publicurl.base_url() == publicurl.DEFAULT


def test_export_layout_carries_size_name_and_link_without_changing_the_original():
    fig = {"data": [], "layout": {"annotations": [{"name": "footer", "text": "Source: X"}], "margin": {"b": 76}}}
    out = render.for_export(fig, options.Size(1080, 1080), link="/compare?cities=a<b")
    assert out["layout"]["width"] == 1080 and out["layout"]["height"] == 1080
    foot = out["layout"]["annotations"][0]["text"]
    assert foot.startswith("Source: X<br>Border migration statistics · /compare?cities=a&lt;b")
    assert fig["layout"]["annotations"][0]["text"] == "Source: X"


# ---------------------------------------------------------------- over a release

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("export")
    app = create_app(fixture_release(root / "data", root / "mirror"))
    return app.server.test_client()


def test_every_chart_builds_from_default_settings(client):
    for name in registry.CHARTS:
        built = registry.build(name, {})
        says_why = any(a.get("text", "").startswith("No data") for a in built.figure["layout"].get("annotations", []))
        assert built.figure["data"] or says_why, name  # a chart with nothing to draw says why
        assert says_why or built.figure["layout"]["meta"]["source"].startswith("Source:"), name
        assert built.alt, name


def test_a_bad_setting_is_an_error_for_exports_and_a_notice_for_embeds(client):
    with pytest.raises(BadRequest):
        registry.build("compare-mpp", {"cities": "99999,<script>"})
    built = registry.build("compare-mpp", {"cities": "99999,<script>"}, strict=False)
    # the defaults it falls back to are written out (places.csv default_compare, in its order): a link that never drifts
    # (the MPP figures depend on the cities alone: no year in their link)
    assert built.notices and built.query == "?cities=02004,02002,08037,28027,28022,05025"


@pytest.mark.parametrize("url, fragment", [
    ("/export/nope.png", "unknown chart"),
    ("/export/compare-mpp", "add a format"),
    ("/export/compare-mpp.exe", "format"),
    ("/export/compare-mpp.png?size=20000x20000", "size"),
    ("/export/compare-mpp.png?zoom=0", "zoom"),
    ("/export/compare-mpp.png?scale=2", "unknown setting"),  # scale is a chart setting (Encounters), not the zoom
    ("/export/compare-mpp.csv?cities=" + "9" * 10000, "characters"),
    ("/export/compare-mpp.csv?cities=<script>alert(1)</script>", "Cities"),
    ("/export/compare-homicides.csv?year=1066", "Year"),
    ("/export/..%2F..%2Fetc%2Fpasswd.csv", "unknown chart"),
    ("/embed/nope", "unknown chart"),
    ("/embed/map?height=99999", "height"),
])
def test_bad_requests_get_a_400_with_a_message(client, url, fragment):
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.mimetype == "text/plain" and fragment in r.get_data(as_text=True)
    assert r.headers["X-Content-Type-Options"] == "nosniff"  # plain text, never sniffed as HTML
    assert len(r.get_data()) < 400  # a hostile value is quoted in part only


def test_embed_static_files_are_a_fixed_list(client):
    assert client.get("/embed-static/embed.js").status_code == 200
    resize = client.get("/embed-static/resize.js")  # the host page's script of the embed code
    assert resize.status_code == 200 and resize.mimetype == "text/javascript"
    assert "event.origin" in resize.get_data(as_text=True)
    for bad in ("/embed-static/../routes.py", "/embed-static/routes.py", "/embed-static/%2e%2e/app.py"):
        assert client.get(bad).status_code == 404


# ---------------------------------------------------------------- every chart's CSV against the release's tables

def release_table(name: str) -> pd.DataFrame:
    """A table of the current release, read with pandas alone (not through the dashboard's code)."""
    root = registry.data_access.data_dir() / "warehouse"
    return pd.read_parquet(root / "releases" / (root / "CURRENT").read_text().strip() / f"{name}.parquet")


def csv_of(client, name: str, query: str) -> pd.DataFrame:
    r = client.get(f"/export/{name}.csv" + (f"?{query}" if query else ""))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    text = r.get_data(as_text=True)
    assert "bdata" not in text and "dtype" not in text  # numbers, never Plotly's encoded arrays
    table = pd.read_csv(io.BytesIO(r.data), dtype={"place_id": str, "period": str})  # plain read_csv, no options
    assert list(table.columns) == list(tidy.COLUMNS) and (table["chart"] == name).all()
    return table


def years_sum(frame, keys, value, year):
    sel = frame[frame["month"].dt.year == year]
    return sel.groupby(keys)[value].sum()


def expect_compare_homicides(t):
    h = release_table("homicides")
    h = h[h["dataset"] == "inegi_municipal_month"]
    totals = years_sum(h, "place_id", "count", 2019)
    return {(r.place_id,): totals.get(r.place_id) for r in t.itertuples()}


def expect_compare_monthly(t):
    h = release_table("homicides")
    h = h[h["dataset"] == "inegi_municipal_month"]
    by = h.groupby(["place_id", h["month"].dt.strftime("%Y-%m")])["count"].sum()
    return {(r.place_id, r.period): by.get((r.place_id, r.period)) for r in t.itertuples()}


def expect_compare_deaths(t):
    d, places = release_table("migrant_deaths"), release_table("places").set_index("place_id")
    d = d[(d["dataset"] == "iom_us_mexico_border") & (d["date"].dt.year == 2019)].dropna(subset=["lat", "lon"])
    out = {}
    for r in t.itertuples():
        lat, lon = np.radians(places.at[r.place_id, "lat"]), np.radians(places.at[r.place_id, "lon"])
        dlat, dlon = np.radians(d["lat"].astype(float)), np.radians(d["lon"].astype(float))
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.sin((dlat - lat) / 2) ** 2
                                               + np.cos(lat) * np.cos(dlat) * np.sin((dlon - lon) / 2) ** 2))
        near = d[km.to_numpy() <= 50]
        covered = r.place_id in set(d["nearest_place_id"].dropna())
        out[(r.place_id,)] = float(near["dead"].fillna(0).sum() + near["missing"].fillna(0).sum()) \
            if covered else None
    return out


def expect_compare_encounters(t):
    e, places = release_table("encounters"), release_table("places").set_index("place_id")
    e = e[(e["dataset"] == "ohss_usbp_monthly_sector") & (e["fiscal_year"] == 2019)]
    sums = e.groupby("area_id")["count"].sum()
    return {(r.place_id,): sums.get(places.at[r.place_id, "us_sector_id"]) for r in t.itertuples()}


def expect_figures(t):
    f = release_table("reported_figures").set_index("figure_id")
    out = {}
    for r in t.itertuples():
        fid = re.search(r"figure_id (\S+)", r.note).group(1).rstrip(";")
        assert r.measure == f.at[fid, "metric"] and r.qualifier == (f.at[fid, "qualifier"] or "exact"), fid
        out[(fid,)] = float(f.at[fid, "value"])
    return out


def expect_mpp(t):
    """Each bar is one sector's or field office's count in one month, in the one dataset (CBP page) the CSV names
    for that month: read from mpp_enrollments with pandas alone."""
    e = release_table("mpp_enrollments")
    assert t.groupby("period")["dataset"].nunique().max() == 1  # never two pages' counts for one month
    by = e.groupby(["dataset", e["month"].dt.strftime("%Y-%m"), "place_id"], observed=True)["count"].sum()
    return {(r.place_id, r.period): by.get((r.dataset, r.period, r.place_id)) for r in t.itertuples()}


def expect_compare_enrolled(t):
    """Each point: CBP's count at the city's paired sector or field office (the places table's us_sector_id, or
    its port's field_office_id) in one month and the dataset the CSV names."""
    e, places = release_table("mpp_enrollments"), release_table("places").set_index("place_id")
    by = e.groupby(["dataset", e["month"].dt.strftime("%Y-%m"), "place_id"], observed=True)["count"].sum()
    out = {}
    for r in t.itertuples():
        area = r.category.split(" ")[0]
        city = places.loc[r.place_id]
        assert area in (city["us_sector_id"], places.at[city["us_port"], "field_office_id"]), (r.place_id, area)
        out[(r.place_id, area, r.period)] = by.get((r.dataset, r.period, area))
    return out


def expect_encounters(t):
    e = release_table("encounters")
    e = e[e["dataset"] == "cbp_southwest"]
    by = e.groupby(e["month"].dt.strftime("%Y-%m"))["count"].sum()
    return {(r.period,): by.get(r.period) for r in t.itertuples()}


def expect_map(t):
    pop, d = release_table("population"), release_table("migrant_deaths")
    pop = pop.set_index(["place_id", "year"])["population"]
    out = {}
    for r in t[t["measure"] == "population"].itertuples():
        out[("city", r.place_id)] = pop.get((r.place_id, int(r.period))) if isinstance(r.period, str) else None
    iom = d[d["dataset"] == "iom_us_mexico_border"].dropna(subset=["lat", "lon"])
    for i, x in enumerate(iom.itertuples()):
        out[("incident", i, "dead")], out[("incident", i, "missing")] = x.dead, x.missing
    return out


def map_keys(t):
    keys, i = [], 0
    for r in t.itertuples():
        if r.measure == "population":
            keys.append(("city", r.place_id))
        else:
            keys.append(("incident", i // 2, r.measure))
            i += 1
    return keys


def expect_violence_homicides(t):
    h = release_table("homicides")
    h = h[h["dataset"] == "inegi_state_month"]
    by = h.groupby(["place_id", h["month"].dt.strftime("%Y-%m")])["count"].sum()
    return {(r.place_id, r.period): by.get((r.place_id, r.period)) for r in t.itertuples()}


def expect_violence_victims(t):
    v = release_table("crime_victims")
    v = v[v["subtype"] == "Homicidio doloso"]
    by = v.groupby(["place_id", v["month"].dt.strftime("%Y-%m")])["victims"].sum()
    return {(r.place_id, r.period): by.get((r.place_id, r.period)) for r in t.itertuples()}


def expect_violence_subtypes(t):
    v = release_table("crime_victims")
    by = v.groupby(["place_id", "subtype"])["victims"].sum()
    return {(r.place_id, r.category): by.get((r.place_id, r.category)) for r in t.itertuples()}


# chart: (query, expected values from the release's tables, the key of each CSV row)
TRUTH = {
    "compare-mpp": ("cities=02004,08037,28022,28027", expect_figures,
                    lambda t: [(re.search(r"figure_id (\S+)", n).group(1).rstrip(";"),) for n in t["note"]]),
    "compare-enrolled": ("cities=02004,08037,28022,28027", expect_compare_enrolled,
                         lambda t: [(p, c.split(" ")[0], m) for p, c, m in zip(t["place_id"], t["category"],
                                                                               t["period"])]),
    "compare-homicides": ("cities=02004,08037&year=2019", expect_compare_homicides,
                          lambda t: [(p,) for p in t["place_id"]]),
    "compare-monthly": ("cities=02004,08037", expect_compare_monthly, lambda t: list(zip(t["place_id"], t["period"]))),
    "compare-deaths": ("cities=02004,08037,26043&year=2019", expect_compare_deaths,
                       lambda t: [(p,) for p in t["place_id"]]),
    "compare-encounters": ("cities=02004,08037&year=2019", expect_compare_encounters,
                           lambda t: [(p,) for p in t["place_id"]]),
    "encounters": ("", expect_encounters, lambda t: [(p,) for p in t["period"]]),
    "map": ("metric=population&layer=iom", expect_map, map_keys),
    "mpp": ("split=area", expect_mpp, lambda t: list(zip(t["place_id"], t["period"]))),
    "reported": ("", expect_figures,
                 lambda t: [(re.search(r"figure_id (\S+)", n).group(1).rstrip(";"),) for n in t["note"]]),
    "violence-homicides": ("level=state&measure=count&freq=month", expect_violence_homicides,
                           lambda t: list(zip(t["place_id"], t["period"]))),
    "violence-victims": ("level=state&measure=count&freq=month&subtype=Homicidio doloso", expect_violence_victims,
                         lambda t: list(zip(t["place_id"], t["period"]))),
    "violence-subtypes": ("level=state&measure=count", expect_violence_subtypes,
                          lambda t: list(zip(t["place_id"], t["category"]))),
}


def test_every_chart_has_an_independent_check():
    assert set(TRUTH) == set(registry.CHARTS)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_chart_csv_holds_the_release_tables_values(client, name):
    query, expect, keys = TRUTH[name]
    table = csv_of(client, name, query)
    assert len(table) > 0
    truth = expect(table)
    got = dict(zip(keys(table), table["value"]))
    assert set(got) == set(truth), name  # one row per plotted value, each traceable to table rows
    for key, value in got.items():
        want = truth[key]
        if want is None or pd.isna(want):
            assert pd.isna(value), (name, key, value)
        else:
            assert value == pytest.approx(float(want)), (name, key)
    empty = table[table["value"].isna()]
    assert empty["note"].notna().all() or name == "map", name  # a missing value says why
    if name != "compare-encounters":  # the fixture release has no OHSS sector table: every value is missing
        assert table["value"].notna().any(), name


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_chart_csv_has_one_row_per_value_the_figure_plots(client, name):
    """The tidy rows are built beside the figure, not read from it: they must hold the same numbers (the
    figure read through figdata, so Plotly's typed arrays are numbers too)."""
    from collections import Counter
    from urllib.parse import parse_qsl

    built = registry.build(name, dict(parse_qsl(TRUTH[name][0])))
    plotted = Counter(round(float(v), 2) for r in frames.plotted_rows(built.figure) for k in ("x", "y", "value")
                      if isinstance(v := r.get(k), (int, float)) and not isinstance(v, bool) and v == v)
    rows = frames.tidy_rows(built)
    if name == "map":  # incident points: their numbers are in the hover (customdata), not on an axis
        rows = rows[rows["lat"].notna() & rows["place_id"].notna()]
    assert Counter(round(float(v), 2) for v in rows["value"].dropna()) == plotted
    assert plotted or name == "compare-encounters", name  # the fixture release has no OHSS table


def test_the_mpp_csv_keeps_qualifiers_and_kinds_of_figure_apart(client):
    table = csv_of(client, "compare-mpp", "cities=28022,08037")
    matamoros = table[(table["place_id"] == "28022") & (table["value"] == 16400)]
    assert matamoros["qualifier"].tolist() == ["more_than"]  # "more than 16,400", never a plain 16,400
    assert matamoros["measure"].tolist() == ["mpp_court_cases"]
    assert set(table["measure"]) == {"mpp_court_cases", "mpp_returned"}  # two measures, not one column of text
    assert (table.loc[table["measure"] == "mpp_court_cases", "unit"] == "court cases").all()


def test_sidecar_json_over_http_uses_the_public_address(client, monkeypatch):
    monkeypatch.setenv("BORDERSTATS_PUBLIC_URL", "https://stats.example.org")
    r = client.get("/export/compare-homicides.json?cities=02004,08037&year=2019", headers={"Host": "evil.example"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    side = json.loads(r.data)
    assert side["view"] == "https://stats.example.org/compare?cities=02004,08037&year=2019"
    assert side["title"] == "Homicides in 2019" and side["source"].startswith("Source: INEGI")
    assert side["release"] == r.headers["X-Release"] and "evil" not in r.get_data(as_text=True)


def test_embed_page_escapes_text_and_loads_nothing_from_elsewhere(client):
    r = client.get("/embed/compare-mpp?cities=02004,08037&height=600")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert re.findall(r'src="(?:https?:)?//', html) == []  # scripts and styles from this server only
    assert re.findall(r'<link[^>]+href="(?:https?:)?//', html) == []
    # the link back to the full view, with the settings the chart depends on written out (the MPP figures: the
    # cities; no year, they do not depend on it); the homicides' link writes out its year
    assert '/compare?cities=02004,08037"' in html
    other = client.get("/embed/compare-homicides?cities=02004,08037").get_data(as_text=True)
    assert '/compare?cities=02004,08037&amp;year=' in other
    fake = registry.Built(registry.CHARTS["map"], {"data": [], "layout": {"meta": {
        "title": "<img src=x onerror=alert(1)>", "notes": ["</script><script>alert(2)</script>"]}}}, "a<b", "")
    from dashboard.export.routes import embed_page

    page = embed_page(fake, height=None, base_url="http://h/")
    assert "<img src=x" not in page and "</script><script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_cli_lists_charts_and_writes_csv(client, tmp_path, capsys):
    from borderstats import cli

    data_dir = registry.data_access.data_dir()
    assert cli.main(["export", "--list", "--data-dir", str(data_dir)]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in registry.CHARTS) and "cities [multi]" in listing
    rc = cli.main(["export", "--chart", "compare-deaths,compare-homicides", "--query", "cities=02004,08037",
                   "--format", "csv", "--out", str(tmp_path / "out"), "--data-dir", str(data_dir)])
    assert rc == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "compare-deaths.csv", "compare-deaths.json", "compare-homicides.csv", "compare-homicides.json"]
    side = json.loads((tmp_path / "out" / "compare-homicides.json").read_text())
    assert side["view"].startswith("http://127.0.0.1:8050/compare?cities=02004,08037")  # absolute, by default
    assert cli.main(["export", "--chart", "nope", "--format", "csv", "--out", str(tmp_path / "x"),
                     "--data-dir", str(data_dir)]) == 2
    assert "unknown chart" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_cli_pairs_each_query_with_the_chart_before_it(client, tmp_path, capsys):
    from borderstats import cli

    data_dir = str(registry.data_access.data_dir())
    # one query for two charts: encounters refuses `cities`, and the error says which chart and which setting
    assert cli.main(["export", "--chart", "compare-mpp", "--chart", "encounters", "--query", "cities=08037,02004",
                     "--format", "csv", "--out", str(tmp_path / "a"), "--data-dir", data_dir]) == 2
    err = capsys.readouterr().err
    assert "encounters" in err and "cities" in err and "compare-mpp refused" not in err
    assert not (tmp_path / "a").exists()
    # a query per chart
    assert cli.main(["export", "--chart", "compare-mpp", "--query", "cities=08037,02004", "--chart", "encounters",
                     "--query", "", "--chart", "compare-homicides", "--query", "cities=02002,08037&year=2019",
                     "--format", "csv", "--out", str(tmp_path / "b"), "--data-dir", data_dir]) == 0
    mpp = pd.read_csv(tmp_path / "b" / "compare-mpp.csv", dtype={"place_id": str})
    assert set(mpp["place_id"]) <= {"08037", "02004"}
    # its own defaults, written out (links never drift): no "cities"
    view = json.loads((tmp_path / "b" / "encounters.json").read_text())["view"]
    assert view.split("?")[0].endswith("/encounters") and "cities" not in view
    hom = pd.read_csv(tmp_path / "b" / "compare-homicides.csv", dtype={"place_id": str})
    assert hom["place_id"].tolist() == ["02002", "08037"] and hom["period"].astype(str).tolist() == ["2019"] * 2
    # the pairing itself
    from dashboard.export.cli import pair_queries

    plan = [("chart", "a,b"), ("query", "x=1"), ("chart", "c"), ("chart", "d"), ("query", "y=2")]
    assert pair_queries(plan) == [("a", "x=1"), ("b", "x=1"), ("c", ""), ("d", "y=2")]
    assert pair_queries([("chart", "a"), ("chart", "b"), ("query", "q")]) == [("a", "q"), ("b", "q")]
    with pytest.raises(BadRequest, match="before any --chart"):
        pair_queries([("query", "q"), ("chart", "a"), ("query", "r")])
    with pytest.raises(BadRequest, match="--all"):
        pair_queries([("query", "q"), ("query", "r")], ["a", "b"])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_images_have_the_requested_size_and_carry_their_texts(client):
    r = client.get("/export/compare-mpp.png?size=social&zoom=2")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert png_size(r.data) == (2400, 1260)
    # an unlisted size is drawn at the listed size nearest it (options.snap): 801 wide snaps to 800, 801:500 (1.6)
    # to the ratio 3:2; the PNG's own header says what was drawn, and the answer names it
    snapped = client.get("/export/map.png?size=801x500")
    assert png_size(snapped.data) == (800, 533) and snapped.headers["X-Export-Size"] == "800x533"
    svg = client.get("/export/compare-mpp.svg?cities=02004,08037,02002").get_data(as_text=True)
    built = registry.build("compare-mpp", {"cities": "02004,08037,02002"})
    meta = built.figure["layout"]["meta"]
    assert svg.startswith("<svg")
    texts = " ".join(re.findall(r">([^<>]+)</", svg))
    for needle in (meta["title"], "Source:", "Border migration statistics"):
        assert needle in texts, needle
    qualifier_notes = [n for n in meta["notes"] if n.startswith("As reported:")]
    assert qualifier_notes and ("about" in qualifier_notes[0] or "more than" in qualifier_notes[0])
    assert qualifier_notes[0][:60] in texts.replace("&amp;", "&")
    assert client.get("/export/encounters.pdf").data[:5] == b"%PDF-"


@needs_chromium
def test_cli_renders_images_with_one_browser(client, tmp_path):
    from borderstats import cli

    data_dir = registry.data_access.data_dir()
    rc = cli.main(["export", "--chart", "violence-homicides", "--chart", "encounters", "--format", "png,svg",
                   "--size", "square", "--out", str(tmp_path), "--data-dir", str(data_dir)])
    assert rc == 0
    assert png_size((tmp_path / "encounters.png").read_bytes()) == (1080, 1080)
    assert (tmp_path / "violence-homicides.svg").read_text().startswith("<svg")


def test_the_registry_is_built_from_the_pages_declarations(monkeypatch):
    from dashboard.exportable import Exportable
    from dashboard.views import map as map_views
    from dashboard.views import violence as violence_views

    charts = registry.declared()
    # every chart's page is the path its views module declares, and its figure is one of the views' keys
    assert charts["violence-subtypes"].page == violence_views.PATH == "/violence"
    assert charts["violence-subtypes"].views is violence_views and charts["violence-subtypes"].embed_height == 700
    # a chart declared by a page appears in the registry, with no other list to edit
    extra = Exportable("map-extra", "map", "Map: the same figure once more", ("places",))
    monkeypatch.setattr(map_views, "CHARTS", (*map_views.CHARTS, extra))
    assert registry.declared()["map-extra"].page == "/map"
    # the same name declared twice is an error that names both modules
    monkeypatch.setattr(violence_views, "CHARTS", (*violence_views.CHARTS, Exportable("map", "homicides", "dup")))
    with pytest.raises(ValueError, match="declared twice"):
        registry.declared()


# ---------------------------------------------------------------- the documented commands run

DOCS = Path(__file__).resolve().parents[1] / "docs" / "export.md"


def documented_exports() -> list[str]:
    """Every `borderstats export ...` command in docs/export.md's shell code blocks (the part after
    `borderstats`, up to the end of the line)."""
    text = DOCS.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            m = re.search(r"(?:^|[\s/])borderstats (export\b.*)$", line)
            if m and not line.lstrip().startswith("#"):
                out.append(m.group(1))
    return out


def test_the_docs_list_the_commands_a_story_needs():
    commands = documented_exports()
    assert len(commands) >= 5
    assert any("--all" in c for c in commands) and any(c.count("--query") >= 2 for c in commands)


@pytest.mark.parametrize("command", documented_exports())
def test_documented_export_commands_run(client, tmp_path, command, capsys):
    from borderstats import cli

    args = shlex.split(command)
    if "--out" in args:  # written under the test's folder, not the documented one
        args[args.index("--out") + 1] = str(tmp_path / "out")
    rc = cli.main(args + ["--data-dir", str(registry.data_access.data_dir())])
    err = capsys.readouterr().err
    assert rc == 0 or (rc == 1 and CHROMIUM is None and "Chromium" in err), (command, rc, err)
    if "--format" in args and "csv" in args[args.index("--format") + 1]:
        for f in (tmp_path / "out").glob("*.csv"):
            text = f.read_text(encoding="utf-8")
            assert "bdata" not in text and "dtype" not in text, f.name
            assert list(pd.read_csv(f).columns) == list(tidy.COLUMNS)
            assert f.with_suffix(".json").is_file()
    if "--all" in args:
        assert {p.stem for p in (tmp_path / "out").glob("*.csv")} == set(registry.CHARTS)
        if CHROMIUM is not None:
            svg = (tmp_path / "out" / "encounters.svg").read_text(encoding="utf-8")
            assert "http://127.0.0.1:8050/encounters" in svg  # an absolute link, never a relative path


# ---------------------------------------------------------------- a release of the real INEGI and CONAPO files

@pytest.fixture(scope="module")
def real_release(tmp_path_factory):
    from etl import pipeline
    from tests.conftest import SHARED_REAL
    from tests.support.real import REAL_FOLDERS

    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/data/real is not present")
    root = tmp_path_factory.mktemp("real-export")
    for sid in ("inegi_homicides", "conapo_population"):  # the files the homicide charts read
        (root / "mirror" / sid).mkdir(parents=True)
        for f in sorted((SHARED_REAL / REAL_FOLDERS[sid]).iterdir()):
            if f.is_file() and f.name != "README.md":
                (root / "mirror" / sid / f.name).symlink_to(f.resolve())
    assert pipeline.run(root / "data", mirror=root / "mirror").published
    return root / "data"


@pytest.mark.slow
def test_real_release_csvs_say_tijuana_had_2164_homicides_in_2019(real_release, tmp_path):
    """INEGI's municipal file counts 2,164 homicides in Tijuana (02004) in 2019 and 1,494 in Ciudad Juárez."""
    from borderstats import cli

    before = registry.data_access.data_dir()
    out = tmp_path / "out"
    try:
        rc = cli.main(["export", "--data-dir", str(real_release), "--format", "csv", "--out", str(out),
                       "--chart", "compare-homicides", "--query", "cities=02004,08037&year=2019",
                       "--chart", "compare-monthly", "--query", "cities=02004,08037",
                       "--chart", "violence-homicides",
                       "--query", "places=02004,08037&measure=count&freq=year&from=2015-01&to=2021-12",
                       "--chart", "map", "--query", "metric=homicides"])
    finally:
        registry.data_access.configure(before)
    assert rc == 0
    read = {name: pd.read_csv(out / f"{name}.csv", dtype={"place_id": str, "period": str})
            for name in ("compare-homicides", "compare-monthly", "violence-homicides", "map")}
    hom = read["compare-homicides"].set_index("place_id")["value"]
    assert hom["02004"] == 2164 and hom["08037"] == 1494
    monthly = read["compare-monthly"]
    tijuana_2019 = monthly[(monthly["place_id"] == "02004") & monthly["period"].str.startswith("2019-")]
    assert len(tijuana_2019) == 12 and tijuana_2019["value"].sum() == 2164
    trend = read["violence-homicides"].set_index(["place_id", "period"])["value"]
    assert trend[("02004", "2019")] == 2164 and trend[("08037", "2019")] == 1494
    for name, table in read.items():
        assert not table.astype(str).apply(lambda c: c.str.contains("bdata|dtype")).any().any(), name
    assert read["map"]["value"].notna().sum() >= 10  # the map's numbers are numbers


def test_the_export_zoom_never_clashes_with_a_page_setting(client):
    # Encounters' own scale=log is a chart setting; the export's pixel density is zoom
    r = client.get("/export/encounters.csv?scale=log&zoom=2&download=1")
    assert r.status_code == 200, r.get_data(as_text=True)[:200]
    assert client.get("/export/encounters.csv?scale=sqrt").status_code == 400  # still parsed as the page does
    assert "zoom" in client.get("/export/encounters.png?scale=log&zoom=9").get_data(as_text=True)


# ---------------------------------------------------------------- in Spanish (issue 15): ?lang=es, --lang es

HOMICIDES = "cities=02004,08037&year=2019"
SITE_ES = "Estadísticas de migración en la frontera"


def _built(lang: str, name: str = "compare-homicides", query: str = HOMICIDES):
    from urllib.parse import parse_qsl

    from dashboard import i18n

    with i18n.using(lang):
        built = registry.build(name, dict(parse_qsl(query)))
        fig = render.for_export(built.figure, options.parse_size(None),
                                link=f"https://stats.example.org{built.view_path}")
    return built, fig


def _footer(fig: dict) -> str:
    import html

    return html.unescape(next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footer"))


def test_a_spanish_export_has_the_spanish_footer_and_links_that_keep_the_language(client):
    en, en_fig = _built("en")
    es, es_fig = _built("es")
    assert "lang=" not in en.query and es.query.endswith("&lang=es")  # the view's link opens the Spanish page
    assert _footer(en_fig).endswith("Border migration statistics · https://stats.example.org/compare?" + HOMICIDES)
    assert _footer(es_fig).endswith(f"{SITE_ES} · https://stats.example.org/compare?{HOMICIDES}&lang=es")
    assert "Border migration statistics" not in json.dumps(es_fig)
    # the numbers drawn are the same in both languages
    assert [r.get("x") for r in frames.plotted_rows(es_fig)] == [r.get("x") for r in frames.plotted_rows(en_fig)]


def test_a_spanish_export_has_a_spanish_title_and_source_line(client):
    en, _ = _built("en")
    es, es_fig = _built("es")
    if es.meta["title"] == en.meta["title"]:
        pytest.skip("the charts' titles are not in the Spanish catalogue yet (dashboard/locale/es/charts.po)")
    assert es.meta["source"].startswith("Fuente:") and es.meta["title"] in json.dumps(es_fig, ensure_ascii=False)
    assert "Source:" not in json.dumps(es_fig)


def test_the_data_line_of_a_spanish_export_is_spanish(client):
    from dashboard import i18n

    with i18n.using("es"):
        latest = registry.build("compare-homicides", {"cities": "02004,08037", "year": "latest"})
        fixed = registry.build("compare-homicides", {"cities": "02004,08037", "year": "2019"})
    assert re.search(r": el año más reciente de los datos \(\d{4} en esta publicación\)$", latest.meta["data_line"])
    assert fixed.meta["data_line"].endswith(": 2019 (fijado por este enlace)")
    # a month as each language writes it (Babel), the month the link fixes: the query's own `to`
    from urllib.parse import parse_qsl

    with i18n.using("es"):
        encounters = registry.build("encounters", {})
    to = dict(parse_qsl(encounters.query.lstrip("?")))["to"]
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]
    spanish = f"{months[int(to[5:7]) - 1]} de {to[:4]}"
    assert f": {spanish} (fijado por este enlace)" in encounters.meta["data_line"], encounters.meta["data_line"]


def test_csv_sidecar_and_embed_in_spanish_over_http_with_their_own_etags(client, monkeypatch):
    monkeypatch.setenv("BORDERSTATS_PUBLIC_URL", "https://stats.example.org")
    got = {}
    for lang, suffix in (("en", ""), ("es", "&lang=es")):
        for kind, url in (("csv", f"/export/compare-homicides.csv?{HOMICIDES}{suffix}"),
                          ("json", f"/export/compare-homicides.json?{HOMICIDES}{suffix}"),
                          ("embed", f"/embed/compare-homicides?{HOMICIDES}{suffix}")):
            r = client.get(url)
            assert r.status_code == 200, (url, r.get_data(as_text=True)[:200])
            got[lang, kind] = r
            # the tag a cache keeps is the language's own: the other language's tag is no 304
            other = "es" if lang == "en" else "en"
            if (other, kind) in got:
                assert r.headers["ETag"] != got[other, kind].headers["ETag"], kind
                again = client.get(url, headers={"If-None-Match": got[other, kind].headers["ETag"]})
                assert again.status_code == 200 and again.data == r.data, kind
    # CSV: the same columns (machine-readable names), the same numbers
    en_csv = pd.read_csv(io.BytesIO(got["en", "csv"].data), dtype={"place_id": str})
    es_csv = pd.read_csv(io.BytesIO(got["es", "csv"].data), dtype={"place_id": str})
    assert got["en", "csv"].data.split(b"\n")[0] == got["es", "csv"].data.split(b"\n")[0]
    assert list(es_csv.columns) == ["chart", *tidy.ROW_COLUMNS]
    assert es_csv[["place_id", "period", "value"]].equals(en_csv[["place_id", "period", "value"]])
    # the sidecar: the same keys and column names, Spanish words, links to the Spanish page
    en_side, es_side = json.loads(got["en", "json"].data), json.loads(got["es", "json"].data)
    assert en_side.keys() == es_side.keys() and list(es_side["columns"]) == list(en_side["columns"])
    assert (en_side["lang"], es_side["lang"]) == ("en", "es")
    assert es_side["publisher"] == SITE_ES and es_side["empty_value"].startswith("sin datos")
    assert es_side["view"] == f"https://stats.example.org/compare?{HOMICIDES}&lang=es"
    assert es_side["csv"].endswith(f"/export/compare-homicides.csv?{HOMICIDES}&lang=es")
    # the embed page: its language, its words, its link back to the Spanish page
    en_page, es_page = (got[lang, "embed"].get_data(as_text=True) for lang in ("en", "es"))
    assert '<html lang="en">' in en_page and '<html lang="es">' in es_page
    assert 'href="https://stats.example.org/compare?cities=02004,08037&amp;year=2019&amp;lang=es"' in es_page
    assert f"{SITE_ES}: abrir la vista completa" in es_page and "open the full view" not in es_page
    assert f"· {SITE_ES}</title>" in es_page


def test_errors_of_export_and_embed_in_the_requests_language(client):
    r = client.get("/export/nope.png?lang=es")
    assert r.status_code == 400 and r.get_data(as_text=True).startswith("Solicitud no válida: gráfica desconocida «nope»")
    assert r.headers["Content-Language"] == "es"
    assert "cada lado debe medir" in client.get("/export/map.png?size=10x10&lang=es").get_data(as_text=True)
    assert "píxeles" in client.get("/embed/map?height=9&lang=es").get_data(as_text=True)
    assert client.get("/export/nope.png").get_data(as_text=True).startswith("Bad request: unknown chart")


def test_the_embed_codes_iframe_title_is_in_the_pages_language():
    from dashboard.export import panel

    label = registry.CHARTS["compare-homicides"].label
    titles = panel._iframe_titles(label)
    assert titles["en"].endswith(" · Border migration statistics") and titles["es"].endswith(f" · {SITE_ES}")
    assert "labels[document.documentElement.lang]" in panel._js("map", "/map", 500, label)


def test_cli_export_lang_es_writes_spanish_files_with_the_same_columns(client, tmp_path):
    from borderstats import cli

    data_dir = str(registry.data_access.data_dir())
    for lang in ("en", "es"):
        assert cli.main(["export", "--chart", "compare-homicides", "--query", HOMICIDES, "--format", "csv",
                         "--lang", lang, "--base-url", "https://stats.example.org",
                         "--out", str(tmp_path / lang), "--data-dir", data_dir]) == 0
    side = {lang: json.loads((tmp_path / lang / "compare-homicides.json").read_text()) for lang in ("en", "es")}
    assert side["es"]["lang"] == "es" and side["es"]["publisher"] == SITE_ES
    assert side["es"]["view"] == f"https://stats.example.org/compare?{HOMICIDES}&lang=es"
    assert side["en"]["publisher"] == "Border migration statistics" and "lang=" not in side["en"]["view"]
    heads = {lang: (tmp_path / lang / "compare-homicides.csv").read_text().split("\n")[0] for lang in ("en", "es")}
    assert heads["en"] == heads["es"] == ",".join(["chart", *tidy.ROW_COLUMNS])
    with pytest.raises(SystemExit):  # only the dashboard's languages
        cli.main(["export", "--chart", "map", "--lang", "fr", "--data-dir", data_dir])


@needs_chromium
def test_a_spanish_svg_carries_the_spanish_texts(client):
    svg = client.get(f"/export/compare-homicides.svg?{HOMICIDES}&lang=es").get_data(as_text=True)
    es, _ = _built("es")
    en, _ = _built("en")
    texts = " ".join(re.findall(r">([^<>]+)</", svg)).replace("&amp;", "&")
    assert SITE_ES in texts and "lang=es" in texts and "Border migration statistics" not in texts
    if es.meta["title"] == en.meta["title"]:
        pytest.skip("the charts' titles are not in the Spanish catalogue yet (dashboard/locale/es/charts.po)")
    assert es.meta["title"] in texts and "Fuente:" in texts
