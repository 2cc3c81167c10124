"""CBP's official MPP enrolments in the dashboard: the pure functions on tiny literal frames (one page per month,
splits, flagged totals, pairing, shared sectors), the charts, and the MPP page, Compare, Map and Overview built from
the fixture release, checked against CBP's printed figures (../shared/data/real/cbp-mpp/README.md), not against
the code under test."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.aggregates import map as map_agg
from dashboard.aggregates import mpp as agg
from dashboard.aggregates import overview as ov
from dashboard.charts import mpp as charts
from tests.support.dashpages import page_layout, text_of

# CBP Total, January–September 2020, as printed on CBP's FY 2020 page (shared README), and USBP El Paso's sum
CBP_TOTAL_2020 = [1974, 1829, 2255, 215, 124, 208, 382, 768, 1167]
EL_PASO_SECTOR_2020 = 3039
MONTHS_2020 = [f"2020-{m:02d}" for m in range(1, 10)]
# the fixture FY2021 page's cells (tests/fixtures/cbp_mpp/fy2021.html), Oct-20 to Jan-21: 51, 64, 63, 40
FIXTURE_FY2021 = 51 + 64 + 63 + 40


def release_table(name: str) -> pd.DataFrame:
    """A table of the current release, read with pandas alone (not through the dashboard's code)."""
    from dashboard import data_access

    root = data_access.data_dir() / "warehouse"
    return pd.read_parquet(root / "releases" / (root / "CURRENT").read_text().strip() / f"{name}.parquet")


def enr(rows):
    """rows: (dataset, month, component, place_id, area_name, count)."""
    return pd.DataFrame(rows, columns=["dataset", "month", "component", "place_id", "area_name", "count"]).assign(
        month=lambda d: pd.to_datetime(d["month"]), totals_reconcile=True)


USBP, OFO = "U.S. Border Patrol", "Office of Field Operations"
TINY = enr([
    ("p_fy2020", "2020-09-01", USBP, "US-SEC-EPT", "El Paso", 10),
    ("p_fy2020", "2020-09-01", OFO, "US-FO-EL-PASO", "El Paso", 2),
    ("p_fy2020", "2020-08-01", USBP, "US-SEC-EPT", "El Paso", 7),
    # a later page that repeats September 2020 (revised) and adds two FY2021 months
    ("p_fy2021", "2020-09-01", USBP, "US-SEC-EPT", "El Paso", 99),
    ("p_fy2021", "2020-10-01", USBP, "US-SEC-EPT", "El Paso", 3),
    ("p_fy2021", "2020-11-01", USBP, "US-SEC-RGV", "Rio Grande", 4),
])


def test_one_page_per_month_never_adds_overlapping_pages():
    rows = agg.one_dataset_per_month(TINY)
    assert rows.groupby("month")["dataset"].nunique().max() == 1
    # September 2020 belongs to FY2020: the page covering two FY2020 months wins over the one covering one
    sept = rows[rows["month"] == "2020-09-01"]
    assert set(sept["dataset"]) == {"p_fy2020"} and sept["count"].sum() == 12
    assert set(rows[rows["month"] == "2020-10-01"]["dataset"]) == {"p_fy2021"}


def test_splits_sum_cbp_cells_per_month():
    total = agg.monthly(TINY, "total")
    assert total.set_index("month")["count"].to_dict() == {
        pd.Timestamp("2020-08-01"): 7, pd.Timestamp("2020-09-01"): 12, pd.Timestamp("2020-10-01"): 3,
        pd.Timestamp("2020-11-01"): 4}
    comp = agg.monthly(TINY, "component")
    sept = comp[comp["month"] == "2020-09-01"].set_index("group")["count"].to_dict()
    assert sept == {"Border Patrol (USBP)": 10, "Field offices (OFO)": 2}
    area = agg.monthly(TINY, "area")
    assert set(area["group"]) == {"El Paso sector", "El Paso field office", "Rio Grande sector"}
    # with the places table's names, a sector is named as on every other chart (CBP's page says "Rio Grande")
    named = agg.monthly(TINY, "area", {"US-SEC-RGV": "Rio Grande Valley"})
    assert set(named["group"]) == {"El Paso sector", "El Paso field office", "Rio Grande Valley sector"}
    assert agg.monthly(pd.DataFrame(), "total").empty


def test_flagged_months_keep_both_numbers_in_words():
    totals = pd.DataFrame({"dataset": ["t_fy2021", "t_fy2021"], "month": ["2020-12-01", "2021-01-01"],
                           "total_label": ["CBP Total", "CBP Total"], "printed_total": [999, 40],
                           "sum_of_parts": [63, 40], "totals_reconcile": [False, True]})
    flags = agg.flagged(totals)
    assert len(flags) == 1
    assert flags[0].text().startswith("Dec 2020: CBP printed 999 as its CBP Total; its rows add to 63")


def test_pairing_from_the_places_table_and_shared_sectors():
    places = pd.DataFrame({
        "place_id": ["A", "B", "POE-A", "POE-B", "US-SEC-X", "US-FO-Y"],
        "name": ["Alpha", "Beta", "Port A", "Port B", "Xsector", "Yoffice"],
        "us_port": ["POE-A", "POE-B", "", "", "", ""],
        "us_sector_id": ["US-SEC-X", "US-SEC-X", "US-SEC-X", "US-SEC-X", "", ""],
        "field_office_id": ["", "", "US-FO-Y", "", "", ""],
    })
    assert agg.paired(places, "A") == ("US-SEC-X", "US-FO-Y")
    assert agg.paired(places, "B") == ("US-SEC-X", None)  # its port names no field office
    assert agg.paired(places, "nowhere") == (None, None)
    assert agg.shared_areas(places, ["A", "B"]) == {"US-SEC-X": ["A", "B"]}


def test_chart_draws_no_zero_before_cbps_first_page_and_marks_the_flag():
    flag = agg.Flag(pd.Timestamp("2020-10-01"), "CBP Total", 999, 3, "t")
    events = pd.DataFrame({"n": [1], "event_id": ["e"], "date": [pd.Timestamp("2019-01-29")], "end_date": [pd.NaT],
                           "event": ["First returns"], "description": [""], "place_id": [""], "publisher": ["Pub"],
                           "title": [""], "url": ["https://example.org"], "published": [""]})
    fig = charts.enrolments_chart(agg.monthly(TINY, "component"), split="component", flags=[flag], events=events,
                                  source="Source: CBP")
    bars = [t for t in fig.data if t.type == "bar"]
    xs = [x for t in bars for x in t.x]
    assert min(xs) == "2020-08-01"  # nothing drawn for 2019: no zero bars
    assert fig.layout.xaxis.range[0] < "2019-01-29"  # but the axis shows 2019 with its events, labelled blank
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "no official table" in texts and "CBP printed 999" in texts
    assert any("CBP printed 999" in n and "add to 3" in n for n in fig.layout.meta["notes"])
    assert fig.layout.meta["key"][0].startswith("(1) 29 Jan 2019, First returns")
    assert sum(t.y[list(t.x).index("2020-09-01")] for t in bars if "2020-09-01" in t.x) == 12
    empty = charts.enrolments_chart(agg.monthly(pd.DataFrame(), "total"))
    assert "No data" in empty.layout.annotations[0].text


def test_paired_panels_label_sector_and_office_and_never_add_them():
    s = agg.area_monthly(TINY, "US-SEC-EPT")
    o = agg.area_monthly(TINY, "US-FO-EL-PASO")
    panels = [{"id": "A", "city": "Alpha", "series": [("El Paso sector", s), ("El Paso field office", o)],
               "reason": ""}]
    fig = charts.paired_panels(panels, source="Source: CBP")
    assert [sum(t.y) for t in fig.data] == [20, 2]  # 7 + 10 + 3 (one page per month) and 2: two lines
    assert "Alpha</b><br>El Paso sector (line), El Paso field office (dots)" in fig.layout.annotations[0].text
    assert "not people in the city" in fig.layout.meta["subtitle"]
    assert "20 processed at El Paso sector; 2 processed at El Paso field office" in charts.paired_alt(panels)


def test_overview_card_latest_month_total_and_trend():
    h = ov.mpp_official(TINY, pd.DataFrame(), ("CBP", "https://example.org/mpp"))
    assert h.value == "4" and h.as_of == "November 2020" and "26 enrolled August 2020–November 2020" in h.detail
    assert h.trend.y == (7.0, 12.0, 3.0, 4.0) and "before January 2020" in h.trend.undrawn
    none = ov.mpp_official(pd.DataFrame(), pd.DataFrame(), ("CBP", None))
    assert none.value == "no data" and none.missing


def test_a_city_card_draws_its_paired_sectors_official_series():
    places = pd.DataFrame({"place_id": ["A", "US-POE-1"], "us_sector_id": ["US-SEC-EPT", None],
                           "us_port": ["US-POE-1", None], "field_office_id": [None, "US-FO-EL-PASO"]})
    t = ov.paired_sector_trend(TINY, places, "A", "Alpha", "El Paso")
    # El Paso sector's cells, one page per month (TINY's rows typed above): Aug 7, Sep 10 (FY2020 page), Oct 3
    assert t.kind == "line" and t.y == (7.0, 10.0, 3.0) and t.x[0] == "2020-08-01"
    assert "El Paso sector (paired with Alpha" in t.what and "not people in the city" in t.what
    assert ov.paired_sector_trend(TINY, places, "nowhere", "Nowhere", "") is None
    reported = pd.DataFrame({"figure_id": ["f1"], "metric": ["mpp_returned"], "value": [100.0],
                             "qualifier": ["approximately"], "place_id": ["A"], "place_ids": [None],
                             "period_start": [pd.NaT], "period_end": [pd.NaT], "as_of": [pd.NaT],
                             "published": [pd.NaT], "definition": ["people"], "publisher": ["P"], "url": ["u"],
                             "counted_by": ["unknown"], "report_kind": ["secondary"]})
    card, = ov.city_mpp(reported, {"A": "Alpha"}, {}, {"A": t})
    assert card.value == "about 100" and card.trend is t  # the reported figure leads; the line is the official one


# ---- pages built from the fixture release (its FY 2020 page holds CBP's real figures) --------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from tests.support.release import fixture_release

    root = tmp_path_factory.mktemp("mppdash")
    return create_app(fixture_release(root / "data", root / "mirror"))


def test_mpp_csv_reproduces_cbps_printed_totals(app):
    from dashboard.views import reported as cb

    rows = cb.chart_tables(cb.state_from_query({"split": "total"}).state)["mpp"].set_index("period")
    assert [rows.at[m, "value"] for m in MONTHS_2020] == CBP_TOTAL_2020
    area = cb.chart_tables(cb.state_from_query({"split": "area"}).state)["mpp"]
    ep = area[(area["place_id"] == "US-SEC-EPT") & area["period"].isin(MONTHS_2020)]
    assert ep["value"].sum() == EL_PASO_SECTOR_2020
    # the fixture's FY2021 page prints 999 for December 2020 while its cells add to 63: both said, cells drawn
    dec = rows.loc["2020-12"]
    assert dec["value"] == 63 and "CBP printed 999" in dec["note"]


def test_mpp_page_layout_callback_and_hostile_split(app):
    text = text_of(page_layout("/reported"))
    assert "rep-mpp-graph" in text and "Official MPP enrolments by month (CBP)" in text
    assert "CBP printed 999" in text and "not people in" in text
    assert "not valid" in text_of(page_layout("/reported", split="<b>x</b>"))
    from dashboard.views import reported as cb

    *_, store, mfig, malt = cb.update("", "", "", "", False, "area")
    assert store["q"] == "?split=area" and "El Paso sector" in {t.name for t in mfig.data}
    assert f"{sum(CBP_TOTAL_2020) + FIXTURE_FY2021:,}" in malt  # README's 8,922 plus the fixture's FY2021 cells


def test_overview_leads_with_the_official_card_and_brackets_reported_figures(app):
    text = text_of(page_layout("/"))
    first = text.index("MPP enrolments by month (CBP, official)")
    assert first < text.index("(reported)")
    card = text[first:text.index("(reported)")]
    assert f"{sum(CBP_TOTAL_2020) + FIXTURE_FY2021:,} enrolled January 2020–January 2021" in card
    assert "in January 2021" in card and "CBP printed 999" in card
    # the reported border-wide card names the official count beside it, as another kind of figure
    assert f"the official count: CBP's pages count {sum(CBP_TOTAL_2020) + FIXTURE_FY2021:,} MPP enrolments" in text


def test_compare_table_and_chart_name_the_paired_areas(app):
    from dashboard.views import compare as cb

    out = cb.render(["08037", "28022", "28032"], "2019", 50, "iom", "shared", [], "city", "asc")
    fig, table = out[14], text_of(out[12])
    assert "processed at the paired sector / field office" in table and "El Paso sector" in table
    e = release_table("mpp_enrollments")
    ep_all = int(e[e["place_id"] == "US-SEC-EPT"]["count"].sum())  # the fixture's pages do not overlap
    assert f"{ep_all:,} at El Paso sector" in table
    assert any("Matamoros and Reynosa share" in n for n in fig["layout"]["meta"]["notes"])
    rows = cb.chart_tables(cb.state_from_query({"cities": "08037,28022"}).state, "enrolled")["enrolled"]
    ep = rows[rows["category"].str.startswith("US-SEC-EPT") & rows["period"].isin(MONTHS_2020)]
    assert ep["value"].sum() == EL_PASO_SECTOR_2020 and set(ep["place"]) == {"Ciudad Juárez"}


def test_map_metric_official_is_validated_and_says_shared(app):
    from dashboard.views import map as cb

    assert "not valid" not in text_of(page_layout("/map", metric="mpp_enrolled_official"))
    assert "not valid" in text_of(page_layout("/map", metric="mpp_enrolled"))
    out = cb.view(cb.state_from_query({"metric": "mpp_enrolled_official"}).state)
    v = out["values"].set_index("place_id")
    assert "shared with Reynosa" in v.at["28022", "shown"] and v.at["28022", "value"] == v.at["28032", "value"]
    assert "El Paso sector" in v.at["08037", "shown"]
    assert "not people in the city" in out["figure"].layout.meta["subtitle"]
    # the text alternative names the sector whose count it is, the city only as its pair
    assert "El Paso sector (paired with Ciudad Juárez)" in out["alt"]


def test_official_words_without_data():
    row = pd.Series({"off_sector": float("nan"), "off_office": float("nan")})
    assert map_agg.official_words(row) == "no data"
