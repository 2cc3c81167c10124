"""The data API and the Data page's downloads: the rows the page shows, checked against the release's own
Parquet files read directly with pandas and the place names of data/reference/places.csv.

The release is built from the real files of ../shared when present (figures the publishers print are then
checked too), else from the test fixtures.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from etl.config import reference_dir
from tests.support.real import shared_release

API = "/api/v1/tables"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    real = shared_release(tmp_path_factory, root / "data") == "real"
    current = (root / "data" / "warehouse" / "CURRENT").read_text().strip()
    return {"data_dir": root / "data", "path": root / "data" / "warehouse" / "releases" / current, "real": real}


@pytest.fixture(scope="module")
def client(release):
    from dashboard.app import create_app

    app = create_app(release["data_dir"], bootstrap=False)
    return app.server.test_client()


@pytest.fixture(scope="module")
def gazetteer_names() -> dict[str, str]:
    """place_id -> name, straight from the gazetteer file data/reference/places.csv (its 100 places)."""
    with open(reference_dir() / "places.csv", encoding="utf-8", newline="") as f:
        return {r["place_id"]: r["name"] for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def names(release, gazetteer_names) -> dict[str, str]:
    """place_id -> name: the gazetteer's places, then the other municipalities of the release's places table
    (read straight from its Parquet; CONAPO's catalogue adds them)."""
    places = pd.read_parquet(release["path"] / "places.parquet")
    out = {str(i): str(n) for i, n in zip(places.place_id, places.name)}
    assert {k: out[k] for k in gazetteer_names if k in out} == {k: gazetteer_names[k] for k in gazetteer_names
                                                                 if k in out}
    return {**out, **gazetteer_names}


def parquet(release, table: str) -> pd.DataFrame:
    return pd.read_parquet(release["path"] / f"{table}.parquet")


def text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text a CSV holds: ISO dates, whole numbers without '.0', '' for missing."""
    out = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            s = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s.dtype):
            s = s.map({True: "true", False: "false"})
        elif pd.api.types.is_integer_dtype(s.dtype):
            s = s.astype("Int64").astype("string")
        out[c] = s.astype("string").fillna("").to_numpy(dtype=object)
    return pd.DataFrame(out)


def read_csv_text(body: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)


def with_names(df: pd.DataFrame, names: dict, id_col="place_id", name_col="place_name") -> pd.DataFrame:
    df = df.copy()
    df.insert(df.columns.get_loc(id_col) + 1, name_col, df[id_col].map(names).astype("string"))
    return df


def get(client, url: str):
    r = client.get(url)
    body = r.get_data()
    r.close()
    return r, body


# ---------------------------------------------------------------- rows equal pandas on the release's Parquet


def test_filtered_sorted_csv_equals_pandas(client, release, names):
    r, body = get(client, f"{API}/homicides.csv?place_id=08037&from=2019-01&to=2019-12&sort=-month")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8"
    h = parquet(release, "homicides")
    want = h[(h.place_id == "08037") & (h.month >= "2019-01-01") & (h.month <= "2019-12-31")]
    want = with_names(want.sort_values("month", ascending=False, kind="stable"), names)
    got = read_csv_text(body)
    assert list(got.columns) == ["dataset", "place_id", "place_name", "month", "count", "source_id"]
    pd.testing.assert_frame_equal(got, text_frame(want).reset_index(drop=True))
    assert int(r.headers["X-Borderstats-Rows"]) == len(want) > 0
    assert set(got.place_name) == {names["08037"]} == {"Ciudad Juárez"}
    # an analyst's plain read: no options needed, numbers are numbers
    plain = pd.read_csv(io.BytesIO(body))
    assert plain["count"].sum() == want["count"].sum()


def test_publisher_figure_tijuana_2019(client, release):
    if not release["real"]:
        pytest.skip("needs the real INEGI file in ../shared")
    _, body = get(client, f"{API}/homicides.csv?place_id=02004&from=2019&to=2019")
    df = pd.read_csv(io.BytesIO(body), dtype={"place_id": str})
    assert len(df) == 12 and df["count"].sum() == 2164  # INEGI's printed figure for Tijuana, 2019
    _, whole = get(client, f"{API}/homicides.csv?place_id=08037")
    assert len(read_csv_text(whole)) == 264  # Ciudad Juárez, 2000-2021: the 264 rows the issue saw on the page


def test_json_and_parquet_hold_the_same_rows(client, release, names):
    query = "place_id=08037&place_id=02004&sort=count&limit=7&offset=1"
    h = parquet(release, "homicides")
    want = h[h.place_id.isin(["08037", "02004"])].sort_values("count", kind="stable", na_position="last")
    want = with_names(want.iloc[1:8], names).reset_index(drop=True)
    r, body = get(client, f"{API}/homicides.json?{query}")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    rows = json.loads(body)
    assert [x["count"] for x in rows] == [int(v) for v in want["count"]]
    assert [x["place_name"] for x in rows] == list(want.place_name)
    assert all(len(x["month"]) == 10 for x in rows)  # YYYY-MM-DD
    r, body = get(client, f"{API}/homicides.parquet?{query}")
    assert body[:4] == b"PAR1"
    got = pd.read_parquet(io.BytesIO(body))
    pd.testing.assert_frame_equal(text_frame(got), text_frame(want))


def test_the_largest_table_streams_and_filters_like_pandas(client, release, names):
    v = parquet(release, "crime_victims")
    state = v.place_id.value_counts().index[0]
    crime = str(v[v.place_id == state].crime.iloc[0])
    r = client.get(f"{API}/crime_victims.csv?place_id={state}&filter=crime:{crime[:12]}&from=2019-01&to=2020-06"
                   "&sort=-victims")
    assert r.is_streamed  # written chunk by chunk, never the whole table in one string
    got = read_csv_text(r.get_data())
    r.close()
    want = v[(v.place_id == state) & v.crime.str.casefold().str.contains(crime[:12].casefold(), regex=False)
             & (v.month >= "2019-01-01") & (v.month <= "2020-06-30")]
    want = with_names(want.sort_values("victims", ascending=False, kind="stable", na_position="last"), names)
    pd.testing.assert_frame_equal(got, text_frame(want).reset_index(drop=True))


def test_whole_table_downloads_carry_place_names(client, release, names, gazetteer_names):
    r, body = get(client, "/download/migrant_deaths.csv")
    assert r.status_code == 200
    release_id = release["path"].name
    assert r.headers["Content-Disposition"] == f"attachment; filename=borderstats-{release_id}-migrant_deaths.csv"
    got = read_csv_text(body)
    m = parquet(release, "migrant_deaths")
    assert len(got) == len(m)
    cols = list(got.columns)
    assert cols[cols.index("nearest_place_id") + 1] == "nearest_place_name"
    has = got[got.nearest_place_id != ""]
    assert len(has) > 0 and (has.nearest_place_name == has.nearest_place_id.map(names)).all()
    r, body = get(client, "/download/population.parquet")
    p = pd.read_parquet(io.BytesIO(body))
    assert len(p) == len(parquet(release, "population"))
    assert (p.place_name.astype(str) == p.place_id.astype(str).map(names)).all()
    known = p[p.place_id.astype(str).isin(gazetteer_names)]
    assert len(known) > 0 and (known.place_name.astype(str) == known.place_id.astype(str).map(gazetteer_names)).all()
    places = read_csv_text(get(client, "/download/places.csv")[1])
    assert "place_name" not in places.columns and (places.name == places.place_id.map(names)).all()
    h = read_csv_text(get(client, f"{API}/homicides.csv?place_id=02004&place_id=28022&limit=1000")[1])
    present = set(parquet(release, "homicides")["place_id"].astype(str)) & {"02004", "28022"}  # fixture or real
    assert present and set(zip(h.place_id, h.place_name)) == {(i, gazetteer_names[i]) for i in present}


# ---------------------------------------------------------------- the page's links give the page's rows


def test_page_download_links_give_the_rows_the_page_shows(client, release, names):
    from dashboard.views import data as cb

    state = cb.parse({"table": "homicides", "filter": "place_name:Ciudad Juárez", "sort": "month",
                      "order": "desc"}).state
    rows, info, pages, links, _dictionary, _page = cb.view(state)
    hrefs = [c.href for c in links if getattr(c, "href", None)]
    csv_href = next(h for h in hrefs if h.startswith(f"{API}/homicides.csv?"))
    assert "filter=place_name:Ciudad+Ju" in csv_href and "sort=-month" in csv_href
    r, body = get(client, csv_href)
    got = read_csv_text(body)
    h = with_names(parquet(release, "homicides"), names)
    want = h[h.place_name.fillna("").str.casefold().str.contains("ciudad juárez", regex=False)]
    want = want.sort_values("month", ascending=False, kind="stable")
    pd.testing.assert_frame_equal(got, text_frame(want).reset_index(drop=True))
    assert f"of {len(want):,} matching the filter" in info
    shown = rows.children.children[2].children  # tbody rows of the first page
    assert [tr.children[2].children for tr in shown] == list(got.place_name[:len(shown)])


def test_xlsx_opens_with_the_rows_and_a_sources_sheet(client, release, names):
    openpyxl = pytest.importorskip("openpyxl")
    r, body = get(client, f"{API}/homicides.xlsx?place_id=08037&place_id=02004&sort=month")
    assert r.status_code == 200 and body[:2] == b"PK"
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    assert wb.sheetnames == ["rows", "sources", "about"]
    sheet = list(wb["rows"].iter_rows(values_only=True))
    h = parquet(release, "homicides")
    want = with_names(h[h.place_id.isin(["08037", "02004"])].sort_values("month", kind="stable"), names)
    assert list(sheet[0]) == list(want.columns)
    assert len(sheet) - 1 == len(want)
    assert [row[1] for row in sheet[1:]] == list(want.place_id)  # ids stay text: "02004", not 2004
    assert [row[2] for row in sheet[1:]] == list(want.place_name)
    assert [row[4] for row in sheet[1:]] == [int(c) for c in want["count"]]
    assert [row[3].date() for row in sheet[1:]] == [m.date() for m in want.month]  # real dates
    sources = list(wb["sources"].iter_rows(values_only=True))
    assert sources[0] == ("source_id", "publisher", "title", "url", "licence", "retrieved_at")
    manifest = json.loads((release["path"] / "manifest.json").read_text())["sources"]
    assert {s[0] for s in sources[1:]} == set(want.source_id)
    for s in sources[1:]:
        assert s[1] == manifest[s[0]]["publisher"] and s[4] == manifest[s[0]]["licence"]
        assert s[3] and s[5]
    about = dict(wb["about"].iter_rows(values_only=True))
    assert about["about"] == "value" and about["table"] == "homicides" and about["release"] == release["path"].name
    wb.close()
    # pandas (calamine) reads the same workbook: numbers as numbers, ids as text
    back = pd.read_excel(io.BytesIO(body), sheet_name="rows", engine="calamine", dtype={"place_id": str})
    assert back["count"].sum() == want["count"].sum() and list(back.place_id) == list(want.place_id)


def test_xlsx_is_a_well_formed_package(client):
    """The parts Excel needs, each well-formed XML, every relationship pointing at a part that exists."""
    import zipfile
    from xml.etree import ElementTree

    _, body = get(client, f"{API}/homicides.xlsx?place_id=08037&limit=5")
    z = zipfile.ZipFile(io.BytesIO(body))
    assert z.testzip() is None
    names = set(z.namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} <= names
    for n in names:
        ElementTree.fromstring(z.read(n))  # raises on malformed XML
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    assert all("xl/" + r.get("Target") in names for r in rels)
    types = z.read("[Content_Types].xml").decode()
    assert all(f"/{n}" in types for n in names if n.startswith("xl/") and not n.endswith(".rels"))


def test_xlsx_text_is_never_a_formula():
    openpyxl = pytest.importorskip("openpyxl")
    from dashboard import downloads

    df = pd.DataFrame({"a": pd.array(["=HYPERLINK(\"http://x\")", None, "ok\x07bell"], dtype="string")})
    f = downloads.xlsx_file(df, None, [], [("k", "=1+1")])
    wb = openpyxl.load_workbook(f)
    cells = [c.value for c in wb["rows"]["A"]]
    assert cells == ["a", "=HYPERLINK(\"http://x\")", None, "okbell"]
    assert [c.data_type for c in wb["rows"]["A"]][1] == "s"
    assert wb["about"]["B2"].data_type == "s" and wb["about"]["B2"].value == "=1+1"
    # a second, independent reader (Rust's calamine, as pandas uses it) sees the same
    f.seek(0)
    back = pd.read_excel(f, sheet_name=None, engine="calamine", dtype=str)
    assert list(back) == ["rows", "sources", "about"]
    assert back["rows"]["a"].fillna("").tolist() == ["=HYPERLINK(\"http://x\")", "", "okbell"]


def test_xlsx_is_refused_past_excels_row_limit(client, monkeypatch):
    from dashboard import downloads

    monkeypatch.setattr(downloads, "XLSX_MAX_ROWS", 3)
    r, body = get(client, f"{API}/homicides.xlsx?limit=4")
    assert r.status_code == 400 and "more than an Excel sheet holds" in json.loads(body)["error"]
    assert get(client, f"{API}/homicides.xlsx?limit=3")[0].status_code == 200


# ---------------------------------------------------------------- hostile and unknown parameters


@pytest.mark.parametrize("query, says", [
    ("nope=1", "unknown parameter"),
    ("place_name=x&crime=robo", "unknown parameter"),  # crime is not a column of homicides
    ("place_id=%3Cscript%3Ealert(1)%3C/script%3E", "place_id"),
    ("from=2016-01%0a", "not a period"),
    ("to=2016-13", "not a period"),
    ("from=2019-02-30", "not a date"),
    ("from=2020&to=2019", "starts after it ends"),
    ("limit=99999999999", "limit"),
    ("limit=1000001", "limit"),
    ("limit=0", "limit"),
    ("limit=-1", "limit"),
    ("offset=1e3", "offset"),
    ("sort=nope", "sort"),
    ("sort=month&sort=count", "give it once"),
    ("sort=month%0a", "sort"),
    ("filter=nocolon", "filter"),
    ("filter=nope:x", "filter"),
    ("filter=place_name:", "filter"),
    ("filter=place_name:" + "x" * 101, "filter"),
    ("place_id=" + "0" * 101, "place_id"),
    ("place_id=", "place_id"),
    ("Place_Id=08037", "unknown parameter"),
    ("place_id%00=1", "unknown parameter"),
    ("month=2019-01-01%0d%0aX-Evil:1", "month"),
    ("count=abc", "whole number"),
    ("month=2019-01", "date"),
    ("filter=place_name:a%09b", "control characters"),
    ("filter=place_name:a%C2%85b", "control characters"),
])
def test_hostile_parameters_answer_400_with_a_message(client, query, says):
    r, body = get(client, f"{API}/homicides.csv?{query}")
    assert r.status_code == 400, query
    assert r.headers["Content-Type"].startswith("application/json")
    message = json.loads(body)["error"]
    assert says in message, (query, message)
    assert "<script>" in message or "<" not in message  # quoted as text in JSON, never markup


def test_other_bad_requests(client):
    assert get(client, f"{API}/places.csv?from=2019")[0].status_code == 400  # no period column
    assert get(client, f"{API}/population.csv?from=2019-01")[0].status_code == 400  # a year table
    assert get(client, f"{API}/homicides.csv?" + "&".join(["place_id=1"] * 51))[0].status_code == 400
    assert get(client, f"{API}/homicides.csv?" + "a" * 5000 + "=1")[0].status_code == 400
    for bad in [f"{API}/nope.csv", f"{API}/homicides.exe", f"{API}/homicides", f"{API}/../manifest.json.csv",
                f"{API}/%2e%2e/CURRENT.csv", "/download/homicides.json", "/download/..%2Fmanifest.json"]:
        assert get(client, bad)[0].status_code == 404, bad
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)(f"{API}/homicides.csv").status_code == 405  # read-only
    assert get(client, f"{API}/homicides.csv?place_id=99999")[1].decode().count("\n") == 1  # header only
    r, _ = get(client, f"{API}/homicides.csv?place_id=08037")
    again = client.get(f"{API}/homicides.csv?place_id=08037", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_every_value_of_the_release_can_be_asked_for(release):
    """Every id, number and date in the release has the form its parameter accepts, so any row is addressable."""
    from dashboard import api

    for table in ("homicides", "population", "migrant_deaths", "encounters", "reported_figures", "places"):
        df = parquet(release, table)
        for c in df.columns:
            regex, what = api.VALUE_FORMS[api.value_form(c)]
            values = {api.agg.text_of(v) for v in df[c].dropna().unique()} - {""}
            bad = [v for v in values if len(v) > api.MAX_VALUE or not regex.fullmatch(v)]
            if api.value_form(c) == "text":  # free text (quotes, notes) may be longer than a parameter holds
                bad = [v for v in bad if len(v) <= api.MAX_VALUE]
            assert bad == [], (table, c, what, bad[:3])


def test_filter_text_is_literal_punctuation_and_all(client, release):
    rf = parquet(release, "reported_figures")
    text = "(" if rf.quote.fillna("").str.contains("(", regex=False).any() else "."
    want = int(rf.quote.fillna("").str.contains(text, regex=False).sum())
    r, body = get(client, f"{API}/reported_figures.json?filter=quote:{text}")
    assert r.status_code == 200 and len(json.loads(body)) == want
    r, body = get(client, f"{API}/reported_figures.json?filter=quote:.*")  # a pattern would match every row
    assert r.status_code == 200 and len(json.loads(body)) == int(rf.quote.fillna("").str.contains(".*", regex=False).sum())


def test_good_values_with_accents_and_punctuation_are_accepted(client, release):
    r, body = get(client, f"{API}/places.csv?name=Ciudad%20Ju%C3%A1rez")
    got = read_csv_text(body)
    assert r.status_code == 200 and list(got.place_id) == ["08037"]
    rf = parquet(release, "reported_figures")
    metric = str(rf.metric.iloc[0])
    r, body = get(client, f"{API}/reported_figures.json?metric={metric}")
    assert r.status_code == 200 and len(json.loads(body)) == int((rf.metric == metric).sum())


# ---------------------------------------------------------------- OpenAPI


def test_openapi_describes_every_path_and_parameter(client, release):
    import re
    from urllib.parse import quote

    from dashboard import api, data_access, downloads
    from dashboard.api import FORMATS, PERIOD_COLUMNS, RESERVED

    r, body = get(client, "/api/v1/openapi.json")
    doc = json.loads(body)
    try:
        from openapi_spec_validator import validate
    except ImportError:
        validate = None
    if validate is not None:
        validate(doc)
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] and doc["info"]["version"]
    paths = doc["paths"]
    assert "/api/v1/tables" in paths and "/api/v1/openapi.json" in paths
    for table in data_access.TABLES:
        op = paths[f"{API}/{table}.{{format}}"]["get"]
        assert set(op) >= {"operationId", "parameters", "responses"} and {"200", "400"} <= set(op["responses"])
        params = {p["name"]: p for p in op["parameters"]}
        assert params["format"]["in"] == "path" and params["format"]["schema"]["enum"] == list(FORMATS)
        cols = downloads.columns(table)
        expected = {"format", *[k for k in RESERVED if k not in ("from", "to") or PERIOD_COLUMNS[table]], *cols}
        assert set(params) == expected, table
        for p in op["parameters"]:
            assert p["in"] in ("path", "query") and "schema" in p and p.get("description")
        # every documented path answers, and every documented column parameter is accepted
        for fmt in ("csv", "json"):
            assert get(client, f"{API}/{table}.{fmt}?limit=1")[0].status_code == 200
        df = pd.read_parquet(release["path"] / f"{table}.parquet") if (release["path"] / f"{table}.parquet").exists() \
            else pd.DataFrame()
        examples = {"id": "x1", "integer": "1", "number": "1.5", "date": "2019-01-01", "boolean": "true",
                    "datetime": "2019-01-01T00:00:00Z", "text": "Ciudad Juárez (Chih.) 50%"}
        for c in cols:
            example = examples[api.value_form(c)]
            pattern = params[c]["schema"]["items"]["pattern"]
            assert re.fullmatch(pattern.strip("^$"), example), (table, c)  # the documented form accepts it
            assert get(client, f"{API}/{table}.csv?{c}={quote(example)}&limit=1")[0].status_code == 200, (table, c)
            assert get(client, f"{API}/{table}.csv?sort=-{c}&limit=1")[0].status_code == 200, (table, c)
        if PERIOD_COLUMNS[table] and not df.empty:
            assert get(client, f"{API}/{table}.csv?from=2019&to=2020")[0].status_code == 200
    index = json.loads(get(client, "/api/v1/tables")[1])
    assert [t["name"] for t in index["tables"]] == list(data_access.TABLES)
    assert index["release"] == release["path"].name


def test_docs_describe_the_api():
    text = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for word in ("/api/v1/tables/", "openapi.json", "filter=", "from=", "sort=-", "limit=", "place_name",
                 "read.csv", "pandas.read_csv", "400"):
        assert word in text, word
