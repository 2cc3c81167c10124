"""Data & sources page: server-side paging, sorting and filtering; the dictionary; sources; downloads; layout."""

import numpy as np
import pandas as pd
import pytest

from dashboard.aggregates import data as agg
from tests.support.dashpages import page_layout, text_of



def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "place_id": pd.array(["08037", "02004", None, "28022", "08037"], dtype="string"),
        "month": pd.to_datetime(["2020-01-01", "2019-05-01", "2021-03-01", None, "2018-01-01"]),
        "count": pd.array([5, 12, None, 3, 40], dtype="Int64"),
        "name": pd.array(["Juárez", "Tijuana", "a.*b", "Matamoros", "Juárez"], dtype="string"),
    })


def test_page_slices_and_clamps():
    df = frame()
    p = agg.page_of("t1", "x", df, page=1, size=25)
    assert (p.total, p.matched, p.pages, p.first, p.last) == (5, 5, 1, 1, 5)
    assert p.rows[0] == ["08037", "2020-01-01", "5", "Juárez"]
    assert p.rows[2] == ["", "2021-03-01", "", "a.*b"]  # missing is empty text, never 0
    assert p.numeric == [False, False, True, False]
    p = agg.page_of("t1", "x", df, page=99, size=25)
    assert p.page == 1  # clamped
    assert agg.page_of("t1", "x", df, size=7).size == 25  # only 25/50/100


def test_sort_both_ways_missing_last():
    df = frame()
    asc = agg.page_of("t2", "x", df, sort="count")
    assert [r[2] for r in asc.rows] == ["3", "5", "12", "40", ""]
    desc = agg.page_of("t2", "x", df, sort="count", descending=True)
    assert [r[2] for r in desc.rows] == ["40", "12", "5", "3", ""]
    by_month = agg.page_of("t2", "x", df, sort="month")
    assert [r[1] for r in by_month.rows] == ["2018-01-01", "2019-05-01", "2020-01-01", "2021-03-01", ""]
    assert agg.page_of("t2", "x", df, sort="no_such_column").rows == agg.page_of("t2", "x", df).rows


def test_filter_is_a_plain_case_insensitive_substring():
    df = frame()
    p = agg.page_of("t3", "x", df, filter_col="name", filter_text="JUÁ")
    assert p.matched == 2 and p.total == 5
    assert agg.page_of("t3", "x", df, filter_col="name", filter_text=".*").matched == 1  # the literal text only
    assert agg.page_of("t3", "x", df, filter_col="count", filter_text="4").matched == 1  # numbers as text
    sorted_filtered = agg.page_of("t3", "x", df, filter_col="place_id", filter_text="0", sort="count", descending=True)
    assert [r[2] for r in sorted_filtered.rows] == ["40", "12", "5", "3"]
    assert agg.page_of("t3", "x", df, filter_col="name", filter_text="zzz").rows == []
    assert len(agg.clean_filter("x" * 500)) == agg.MAX_FILTER


def test_paging_a_large_frame_sends_one_page():
    n = 200_000
    df = pd.DataFrame({"k": pd.array(np.arange(n) % 997, dtype="Int64"), "s": pd.array([f"v{i % 50}" for i in range(n)], dtype="string")})
    p = agg.page_of("t4", "big", df, sort="k", descending=True, filter_col="s", filter_text="v1", page=3, size=100)
    assert len(p.rows) == 100 and p.page == 3 and p.matched == sum(1 for i in range(50) if "v1" in f"v{i}") * n // 50
    first = agg.page_of("t4", "big", df, sort="k", descending=True, filter_col="s", filter_text="v1", size=100)
    keys = [int(r[0]) for r in first.rows + p.rows]
    assert keys[0] == 996 and keys == sorted(keys, reverse=True)


def test_dictionary_from_datapackage_and_contract():
    package = {"resources": [{"name": "homicides", "description": "D", "rows": 3, "schema": {
        "fields": [{"name": "count", "type": "integer", "unit": "people", "description": "N",
                    "constraints": {"required": True, "minimum": 0}},
                   {"name": "kind", "type": "string", "description": "K", "constraints": {"enum": ["a", "b"]}}],
        "primaryKey": ["dataset", "place_id", "month"]}}]}
    d = agg.dictionary(package, "homicides")
    assert d["rows"] == 3 and d["primary_key"] == ["dataset", "place_id", "month"]
    assert d["fields"][0] == {"name": "count", "type": "integer", "unit": "people", "description": "N",
                              "constraints": "required; minimum 0"}
    assert d["fields"][1]["constraints"] == "one of: a, b"
    fallback = agg.dictionary({}, "population")  # the contract fills what the package lacks
    assert [f["name"] for f in fallback["fields"]][:3] == ["dataset", "place_id", "year"]


def test_sources_rows_merge_manifest_and_refresh_state():
    manifest = {"cbp": {"publisher": "CBP", "title": "T", "landing_page": "https://cbp.gov", "licence": "PD",
                        "retrieved_at": "2026-11-27T20:39:19Z", "rows": 10, "status": "ok",
                        "files": [{"sha256": "a" * 64}, {"sha256": "b" * 64}]}}
    status = {"sources": {"cbp": {"status": "stale", "rows": 10, "retrieved_at": "2026-11-27T20:39:19Z",
                                  "error": "HTTP 404", "consecutive_failures": 3, "failing": True}}}
    [row] = agg.sources_rows(manifest, status)
    assert row["sha_short"] == "aaaaaaaaaaaa…, bbbbbbbbbbbb…" and row["sha_full"] == "a" * 64 + "\n" + "b" * 64
    assert row["status"] == "stale" and row["failing"] and row["error"] == "HTTP 404"
    assert row["consecutive_failures"] == 3 and row["rows"] == 10


# ---------------------------------------------------------------- the app (bundled data only)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard import api
    from dashboard.app import create_app

    a = create_app(tmp_path_factory.mktemp("datapage") / "data")
    api.register(a.server)
    api.register(a.server)  # idempotent
    return a



def test_layout_good_and_hostile(app):
    text = text_of(page_layout("/data", table="reported_figures", sort="value", order="desc", page="1", size="50"))
    assert "Some settings" not in text
    assert "reported_figures: rows 1–31 of 31" in text and "Data dictionary: reported_figures" in text
    # the download links carry the page's sort (and filter): the rows as shown, through the data API
    assert "/api/v1/tables/reported_figures.csv?sort=-value" in text and "Retrieved at (UTC)" in text
    assert "/api/v1/tables/reported_figures.xlsx?sort=-value" in text
    for query in [dict(table="../../etc/passwd"), dict(table="<script>x</script>"), dict(sort="x" * 10_000),
                  dict(sort="month", table="sources"), dict(filter="nope:1"), dict(filter="metric:" + "y" * 150),
                  dict(page="-3"), dict(page="99999"), dict(size="1000"), dict(order="sideways")]:
        t = text_of(page_layout("/data", **query))
        assert "Some settings in the link were not valid" in t, query


def test_callbacks_page_and_query(app):
    from dashboard import ids
    from dashboard.views import data as cb

    rows, info, pages, links, dictionary, store = cb.update("reported_figures", "value", "desc", "metric", "mpp", 1, "25")
    assert store == {"q": "?table=reported_figures&sort=value&order=desc&filter=metric%3Ampp", "initial": False}
    assert "matching the filter" in info and pages == 1
    rows, info, *_ , store = cb.update("reported_figures", "", "asc", "", "", 50, "25")
    assert "page 2 of 2" in info and "page=2" in store["q"]  # clamped to the last page
    assert cb.next_page(ids.Data.next, 2, 2) == 2 and cb.next_page(ids.Data.prev, 1, 2) == 1
    assert cb.next_page(ids.Data.next, 1, 2) == 2 and cb.next_page(ids.Data.table, 5, 9) == 1
    assert cb._table_changed("population")[0][1] == {"label": "dataset", "value": "dataset"}


def test_downloads(app):
    client = app.server.test_client()
    r = client.get("/download/reported_figures.csv")
    assert r.status_code == 200
    release = client.get("/healthz").get_json()["release"]
    assert r.headers["Content-Disposition"] == f"attachment; filename=borderstats-{release}-reported_figures.csv"
    assert r.get_data(as_text=True).startswith('"figure_id"') or r.get_data(as_text=True).startswith("figure_id")
    r.close()
    r = client.get("/download/places.parquet")
    assert r.status_code == 200 and r.get_data()[:4] == b"PAR1"
    r.close()
    for bad in ["/download/nope.csv", "/download/places.json", "/download/places", "/download/..%2Fmanifest.json",
                "/download/manifest.json", "/download/places.csv/../x", "/download/%2e%2e/CURRENT.csv",
                "/download/datapackage.json"]:
        assert client.get(bad).status_code == 404, bad


def test_the_page_shows_the_change_report_and_stale_age(app):
    text = text_of(page_layout("/data"))
    assert "What changed in this release" in text
    assert "is the first one: every row is new" in text and "reported_figures" in text
    manifest = {"cbp": {"publisher": "CBP", "rows": 10, "status": "ok"}}
    status = {"sources": {"cbp": {"status": "stale", "rows": 10, "age_days": 41.5, "consecutive_failures": 1,
                                  "failing": False, "error": "HTTP 503"}}}
    [row] = agg.sources_rows(manifest, status)
    assert row["age_days"] == 41.5


def test_spanish_pager_notices_and_dictionary(app):
    from dash import html

    from dashboard import i18n
    from dashboard.views import data as cb

    with i18n.using("es"):
        rows, info, pages, links, dictionary, store = cb.update("reported_figures", "", "asc", "", "", 50, "25")
        parsed = cb.parse({"table": "population", "sort": "value"})  # a column of other tables
        options = cb.sort_options(["year"])
    assert info.startswith("Filas 26–") and "· página 2 de 2" in info
    assert store["q"].endswith("&lang=es")
    assert parsed.notices == ["Ordenar por: la tabla population no tiene la columna «value»; se muestra el orden "
                              "guardado"]
    assert options[0] == {"label": "Orden guardado", "value": ""} and options[1] == {"label": "year", "value": "year"}
    text = text_of(html.Div(links)) + text_of(html.Div(dictionary))
    assert "Descargar la tabla completa" in text and "Diccionario de datos: reported_figures" in text
    assert "Descripción" in text and "Download" not in text


def test_the_spanish_dictionary_describes_tables_and_fields_in_spanish(app):
    """The table contract's English descriptions (etl/schema.py) are in the catalogues (tools/i18n.py extracts them):
    on a Spanish page no table's or field's description is left in English."""
    from dashboard import i18n
    from dashboard.aggregates import data as agg
    from etl.schema import FIELDS, TABLES

    english = {f.description for f in FIELDS.values()} | {t.description for t in TABLES.values()}
    for table in TABLES:
        with i18n.using("es"):
            d = agg.dictionary({}, table)
        left = [x for x in [d["description"]] + [f["description"] for f in d["fields"]] if x in english]
        assert not left, (table, left[:2])
        with i18n.using("en"):
            d = agg.dictionary({}, table)
        assert d["description"] == TABLES[table].description  # the English page shows the contract as written


def test_about_names_the_sources_as_the_spanish_source_lines_do(app):
    from dashboard import i18n

    with i18n.using("es"):
        text = text_of(page_layout("/about"))
    assert "Las fuentes: Oficina de Aduanas y Protección Fronteriza de EE. UU. (CBP);" in text
    assert "News and NGO reports, curated in this repository" not in text.split("Las fuentes:")[1].split(".")[0]
