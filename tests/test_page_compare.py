"""Compare cities: aggregates and charts on tiny literal frames, the callback, the layout with hostile links."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import dash
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.aggregates import compare as agg
from dashboard.charts import compare as charts
from tests.support.dashpages import text_of
from tests.support.places import border_ids, with_groups

# Compare's default cities before they moved into places.csv (default_compare): the behaviour to keep
DEFAULT_CITIES = ["02004", "02002", "08037", "28027", "28022", "05025"]

T = pd.Timestamp
NA = pd.NA


# ---------------------------------------------------------------- tiny literal tables

def places():
    return with_groups(pd.DataFrame([
        {"place_id": "02004", "name": "Tijuana", "admin1": "Baja California", "lat": 32.525, "lon": -117.033,
         "us_port": "US-POE-2504", "us_sector_id": "US-SEC-SDC"},
        {"place_id": "02003", "name": "Tecate", "admin1": "Baja California", "lat": 32.567, "lon": -116.633,
         "us_port": "US-POE-2505", "us_sector_id": "US-SEC-SDC"},
        {"place_id": "08037", "name": "Ciudad Juárez", "admin1": "Chihuahua", "lat": 31.739, "lon": -106.487,
         "us_port": "US-POE-2402", "us_sector_id": "US-SEC-EPT"},
        {"place_id": "26043", "name": "Nogales", "admin1": "Sonora", "lat": 31.308, "lon": -110.942,
         "us_port": "US-POE-2604", "us_sector_id": "US-SEC-TCA"},
        {"place_id": "US-POE-2504", "name": "San Ysidro", "admin1": "", "lat": None, "lon": None, "us_port": "",
         "us_sector_id": ""},
        {"place_id": "US-SEC-SDC", "name": "San Diego", "admin1": "", "lat": None, "lon": None, "us_port": "",
         "us_sector_id": ""},
        {"place_id": "US-SEC-EPT", "name": "El Paso", "admin1": "", "lat": None, "lon": None, "us_port": "",
         "us_sector_id": ""},
    ]))


def population():
    rows = []
    for pid, base in (("02004", 1_800_000), ("02003", 110_000), ("08037", 1_500_000)):  # none for Nogales
        for year in (2019, 2020, 2021, 2026):
            rows.append({"dataset": "conapo_municipal_projections", "place_id": pid, "year": year,
                         "population": base + (year - 2019) * 1000})
    return pd.DataFrame(rows)


def homicides():
    rows = []
    for pid, n in (("02004", 100), ("08037", 50), ("26043", 5)):
        for m in range(1, 13):
            rows.append({"dataset": "inegi_municipal_month", "place_id": pid, "month": T(2020, m, 1), "count": n})
            rows.append({"dataset": "inegi_municipal_month", "place_id": pid, "month": T(2021, m, 1), "count": n + 1})
    rows.append({"dataset": "inegi_state_month", "place_id": "02", "month": T(2021, 1, 1), "count": 9999})
    return pd.DataFrame(rows)


def deaths():
    return pd.DataFrame([
        # 5 km from Tijuana; 2 dead, 1 missing
        {"dataset": "iom_us_mexico_border", "date": T(2021, 3, 1), "lat": 32.56, "lon": -117.05, "dead": 2,
         "missing": 1, "nearest_place_id": "02004"},
        # about 110 km from Tijuana
        {"dataset": "iom_us_mexico_border", "date": T(2021, 5, 1), "lat": 32.70, "lon": -115.90, "dead": 4,
         "missing": NA, "nearest_place_id": "02003"},
        {"dataset": "iom_us_mexico_border", "date": T(2021, 6, 1), "lat": NA, "lon": NA, "dead": 1, "missing": NA,
         "nearest_place_id": NA},
        {"dataset": "iom_us_mexico_border", "date": T(2020, 6, 1), "lat": 31.75, "lon": -106.50, "dead": 1,
         "missing": 0, "nearest_place_id": "08037"},
        {"dataset": "iom_us_mexico_border", "date": T(2021, 6, 1), "lat": 31.40, "lon": -110.95, "dead": 1,
         "missing": 0, "nearest_place_id": "26043"},
        # Pima County: the same death near Nogales (never added to IOM's)
        {"dataset": "pcome_remains", "date": T(2021, 6, 2), "lat": 31.40, "lon": -110.95, "dead": 1, "missing": NA,
         "nearest_place_id": "26043"},
    ])


def encounters():
    rows = []
    for m in range(12):
        month = T(2020, 10, 1) + pd.DateOffset(months=m)
        rows.append({"dataset": "ohss_usbp_monthly_sector", "month": month, "fiscal_year": 2021,
                     "area_id": "US-SEC-SDC", "count": 1000})
    for m in range(2):
        rows.append({"dataset": "ohss_usbp_monthly_sector", "month": T(2021, 10 + m, 1), "fiscal_year": 2022,
                     "area_id": "US-SEC-SDC", "count": 500})
    rows.append({"dataset": "cbp_southwest", "month": T(2021, 1, 1), "fiscal_year": 2021, "area_id": "US-SEC-SDC",
                 "count": 77777})
    return pd.DataFrame(rows)


def reported():
    base = {"period_start": NaT, "period_end": NaT, "as_of": NaT, "published": NaT, "title": "t", "notes": NA,
            "url": "https://example.org/a"}
    return pd.DataFrame([
        {**base, "figure_id": "juarez-about", "metric": "mpp_returned", "value": 13000.0, "qualifier": "approximately",
         "place_id": "08037", "definition": "sent to Juárez", "publisher": "Border Report (Nexstar)",
         "counted_by": "unknown", "report_kind": "secondary", "published": T(2019, 12, 1)},
        {**base, "figure_id": "juarez-more", "metric": "mpp_returned", "value": 15000.0, "qualifier": "more_than",
         "place_id": "08037", "definition": "sent to Juárez, later", "publisher": "Some Paper, republished",
         "as_of": T(2020, 1, 31), "counted_by": "ngo", "report_kind": "republication"},
        {**base, "figure_id": "sy-court", "metric": "mpp_court_cases", "value": 1634.0, "qualifier": "exact",
         "place_id": "US-POE-2504", "definition": "court cases at San Ysidro", "publisher": "TRAC",
         "period_end": T(2019, 7, 31), "notes": "Hearing location: San Ysidro port."},
        {**base, "figure_id": "ep-court", "metric": "mpp_court_cases", "value": 16300.0, "qualifier": "more_than",
         "place_id": NA, "definition": "cases at the El Paso court", "publisher": "CBS News",
         "notes": "Hearing location: El Paso immigration court (no place id)."},
        {**base, "figure_id": "total", "metric": "mpp_returned", "value": 55000.0, "qualifier": "more_than",
         "place_id": NA, "definition": "border-wide", "publisher": "Border Report"},
        {**base, "figure_id": "attacks", "metric": "violent_attacks", "value": 18.0, "qualifier": "exact",
         "place_id": "08037", "definition": "attacks", "publisher": "AP"},
    ])


NaT = pd.NaT


@pytest.fixture(scope="module")
def base():
    return agg.prepare(places(), population(), homicides(), deaths(), encounters(), reported(),
                       today=dt.date(2026, 11, 27))


def row_of(rows, pid):
    return rows.set_index("place_id").loc[pid]


# ---------------------------------------------------------------- aggregates

def test_prepare_keeps_the_border_cities_their_ports_and_sectors(base):
    assert list(base.cities.index) == ["02004", "02003", "26043", "08037"]
    assert base.cities.at["02004", "port_name"] == "San Ysidro"
    assert base.cities.at["08037", "sector_name"] == "El Paso"
    assert base.default_year == 2021 and base.homicides_full_years == [2020, 2021]
    assert base.population_year == 2026
    assert set(base.homicides["place_id"]) == {"02004", "08037", "26043"}  # no state rows


def test_homicides_and_rates_use_that_years_population(base):
    rows = agg.city_rows(base, ["02004", "08037", "26043"], 2021, 50, "iom")
    tj = row_of(rows, "02004")
    assert tj["homicides"] == 101 * 12
    assert tj["homicide_rate"] == pytest.approx(1212 / 1_802_000 * 100_000)
    nog = row_of(rows, "26043")
    assert nog["homicides"] == 72 and pd.isna(nog["homicide_rate"])
    assert "no CONAPO population for 2021" in nog["homicides_reason"]


def test_a_year_after_the_homicides_file_is_no_data_with_the_reason(base):
    rows = agg.city_rows(base, ["02004", "08037"], 2023, 50, "iom")
    assert rows["homicides"].isna().all()
    assert set(rows["homicides_reason"]) == {"homicides file ends in 2021"}


def test_returned_figure_keeps_its_qualifier_per_1000(base):
    rows = agg.city_rows(base, ["08037", "02004"], 2021, 50, "iom")
    j = row_of(rows, "08037")
    # the lead-figure rule: a report naming no counter (published Dec 2019) over a newer republication (Jan 2020);
    # per 1,000 residents of the lead's year (2019)
    assert j["returned"] == 13000 and j["returned_qualifier"] == "approximately"
    assert j["returned_text"] == "about 13,000"
    assert j["returned_per_1000"] == pytest.approx(13000 / 1_500_000 * 1000)
    assert j["returned_per_1000_text"] == "about 8.7 per 1,000"
    # the other figure is listed with the reason it did not lead
    assert j["returned_source"] == (
        "Border Report (Nexstar), 2019-12-01. Other reported figures: more than 15,000 (Some Paper, republished, "
        "2020-01-31): a republication of another report, which ranks below a report that names no counter")
    tj = row_of(rows, "02004")
    assert pd.isna(tj["returned"]) and tj["returned_text"] == "no data"
    assert "no reported MPP returned figure for Tijuana" in tj["returned_reason"]
    assert "San Ysidro" in tj["returned_reason"]  # its court cases are a different count


def test_court_cases_at_a_port_go_to_the_paired_city_and_the_el_paso_court_to_none(base):
    figs = agg.mpp_figures(base, ["02004", "08037"])
    court = figs[figs["metric"] == "mpp_court_cases"]
    assert list(court["figure_id"]) == ["sy-court"]
    assert court.iloc[0]["where"] == "Tijuana (hearing location: San Ysidro)"
    assert list(base.unattributed["figure_id"]) == ["ep-court"]
    assert "total" not in set(base.figures["figure_id"])  # border-wide: no city
    assert "attacks" not in set(base.figures["figure_id"])  # not an MPP count
    assert agg.cities_without_figures(base, ["02004", "02003"]) == ["Tecate"]


def test_deaths_within_km_one_dataset_at_a_time(base):
    iom = agg.city_rows(base, ["02004", "26043"], 2021, 50, "iom")
    assert row_of(iom, "02004")["deaths"] == 3  # 2 dead + 1 missing; the 110 km one is out of range
    assert row_of(agg.city_rows(base, ["02004", "26043"], 2021, 150, "iom"), "02004")["deaths"] == 7
    assert row_of(iom, "26043")["deaths"] == 1
    pc = agg.city_rows(base, ["02004", "26043"], 2021, 50, "pcome")
    assert row_of(pc, "26043")["deaths"] == 1  # not 2: IOM and Pima County are never added
    assert pd.isna(row_of(pc, "02004")["deaths"])
    assert "do not cover" in row_of(pc, "02004")["deaths_reason"]
    old = agg.city_rows(base, ["02004", "26043"], 2015, 50, "iom")
    assert old["deaths"].isna().all() and "cover 2020–2021" in old.iloc[0]["deaths_reason"]
    assert base.deaths["iom"].no_coords == 1


def test_sector_encounters_are_summed_per_fiscal_year_within_one_dataset(base):
    rows = agg.city_rows(base, ["02004", "02003", "08037"], 2021, 50, "iom")
    assert row_of(rows, "02004")["encounters"] == 12_000  # not the cbp_southwest row
    assert row_of(rows, "02003")["encounters"] == 12_000 and row_of(rows, "02003")["sector"] == "San Diego"
    assert pd.isna(row_of(rows, "08037")["encounters"])
    partial = agg.city_rows(base, ["02004", "08037"], 2022, 50, "iom")
    assert row_of(partial, "02004")["encounters"] == 1000
    assert row_of(partial, "02004")["encounters_partial"] == "2 of 12 months"


def test_sort_puts_no_data_last_in_both_orders(base):
    rows = agg.city_rows(base, ["02004", "08037", "26043"], 2021, 50, "iom")
    for order in ("asc", "desc"):
        out = agg.sort_rows(rows, "homicide_rate", order)
        assert out.iloc[-1]["place_id"] == "26043"
    assert list(agg.sort_rows(rows, "homicides", "desc")["place_id"]) == ["02004", "08037", "26043"]
    assert list(agg.sort_rows(rows, "city", "asc")["name"]) == ["Ciudad Juárez", "Nogales", "Tijuana"]


def test_monthly_rates_leave_months_without_population_empty(base):
    m = agg.monthly_homicides(base, ["26043", "02004"], percap=True)
    assert list(dict.fromkeys(m["place_id"])) == ["26043", "02004"]
    assert m[m["place_id"] == "26043"]["value"].isna().all()
    tj = m[(m["place_id"] == "02004") & (m["month"] == T(2021, 1, 1))]["value"].iloc[0]
    assert tj == pytest.approx(101 / 1_802_000 * 100_000)


# ---------------------------------------------------------------- charts

def valid(fig) -> dict:
    """Re-validate a figure built with validation off; return its JSON."""
    spec = fig if isinstance(fig, dict) else fig.to_plotly_json()
    go.Figure(json.loads(json.dumps(spec, default=str)))  # raises on an invalid property
    return spec


def test_mpp_chart_draws_lower_bounds_open_ended_and_never_sums(base):
    cities = ["02004", "08037", "02003"]
    figs = agg.mpp_figures(base, cities)
    fig = charts.mpp_chart(figs, charts.city_colors(cities, base.cities["colour"]), source="Source: TRAC", missing=["Tecate"])
    spec = valid(fig)
    meta = spec["layout"]["meta"]
    assert meta["title"] == "MPP figures reported for each city" and meta["source"] == "Source: TRAC"
    assert any("lower bound" in n for n in meta["notes"]) and any("Tecate" in n for n in meta["notes"])
    texts = [t.strip() for tr in spec["data"] for t in (tr.get("text") or [])]
    # qualifiers in words on the chart itself (the fixture's figures: more than 15,000, about 13,000, 1,634)
    assert "more than 15,000" in texts and "about 13,000" in texts and "1,634" in texts
    assert not any(t.startswith(("~", "&gt;", ">")) for t in texts)
    lower = [tr for tr in spec["data"] if tr.get("line", {}).get("dash") == "dot"]
    assert len(lower) == 1 and lower[0]["x"][1] > lower[0]["x"][0]  # an open end to the right
    assert lower[0]["marker"]["symbol"][1] == "triangle-right"
    # one marker per figure; no trace holds a sum
    xs = sorted(x for tr in spec["data"] if tr.get("mode") != "text" for x in tr["x"][:1])
    assert xs == [1634.0, 13000.0, 15000.0]
    assert len(spec["layout"]["annotations"]) >= 3  # two panel titles and the foot


def test_mpp_chart_without_figures_says_no_data(base):
    fig = charts.mpp_chart(agg.mpp_figures(base, ["02003", "26043"]), {}, source="s",
                           missing=["Tecate", "Nogales"])
    text = json.dumps(fig.to_plotly_json(), default=str)
    assert "No data: no reported MPP figure for Tecate, Nogales" in text


def test_city_bars_label_missing_cities_instead_of_drawing_zero(base):
    rows = agg.city_rows(base, ["02004", "26043"], 2021, 50, "iom")
    fig = charts.city_bars(rows, "homicide_rate", "homicides_reason", title="Homicides", subtitle="per 100,000",
                           source="Source: INEGI (retrieved 2026-11-27)", colors={}, digits=1)
    spec = valid(fig)
    bar, gone = spec["data"]
    assert bar["type"] == "bar" and len(bar["x"]) == 1 and bar["y"] == ["Tijuana (B.C.)"]
    assert gone["mode"] == "text" and gone["text"][0].startswith("no data: no CONAPO population")
    assert spec["layout"]["meta"]["source"] == "Source: INEGI (retrieved 2026-11-27)"
    # every axis gets finish()'s styling
    assert spec["layout"]["xaxis"]["showgrid"] is False and spec["layout"]["yaxis"]["zeroline"] is False
    alt = charts.bars_alt(rows, "homicide_rate", "Homicides per 100,000", "in 2021")
    assert "Tijuana" in alt and "No data for Nogales" in alt


def test_city_bars_all_missing_is_an_empty_chart_with_the_reason(base):
    rows = agg.city_rows(base, ["02004", "08037"], 2023, 50, "iom")
    fig = charts.city_bars(rows, "homicides", "homicides_reason", title="H", subtitle="s", source="", colors={})
    assert "No data: homicides file ends in 2021" in json.dumps(fig.to_plotly_json(), default=str)


@pytest.mark.parametrize("axis", ["shared", "independent"])
def test_small_multiples_one_panel_per_city(base, axis):
    cities = ["02004", "08037", "26043"]
    m = agg.monthly_homicides(base, cities, percap=False)
    names = [(c, base.cities.at[c, "name"]) for c in cities]
    spec = valid(charts.small_multiples(m, names, charts.city_colors(cities, base.cities["colour"]), axis=axis, percap=False, year=2021,
                                        source="Source: INEGI"))
    assert len(spec["data"]) == 3
    assert [tr["yaxis"] for tr in spec["data"]] == ["y", "y2", "y3"]
    matched = spec["layout"]["yaxis2"].get("matches")
    assert matched == ("y" if axis == "shared" else None)
    assert spec["layout"]["xaxis3"]["matches"] == "x"
    assert len(spec["layout"]["shapes"]) == 3  # the chosen year shaded in each panel
    alt = charts.monthly_alt(m, names, False)
    assert "Tijuana: highest 101" in alt


def test_small_multiples_per_capita_says_no_data_for_a_city_without_population(base):
    cities = ["02004", "26043"]
    m = agg.monthly_homicides(base, cities, percap=True)
    names = [(c, base.cities.at[c, "name"]) for c in cities]
    spec = valid(charts.small_multiples(m, names, {}, axis="shared", percap=True, year=None, source="s",
                                        reasons={"26043": "no CONAPO population"}))
    assert len(spec["data"]) == 1
    assert any("no data: no CONAPO population" in a["text"] for a in spec["layout"]["annotations"])


def test_data_text_is_escaped_in_charts(base):
    rows = agg.city_rows(base, ["02004", "08037"], 2021, 50, "iom")
    rows.loc[0, "city"] = "<script>alert(1)</script>"
    spec = charts.city_bars(rows, "homicides", "homicides_reason", title="<b>x</b>", subtitle="s", source="",
                            colors={}).to_plotly_json()
    text = json.dumps(spec, default=str)
    assert "<script>" not in text and "&lt;script&gt;" in text


# ---------------------------------------------------------------- the app: callback and layout

FIXTURE_FILES = {
    "inegi_homicides": ["inegi_homicides/muni_month.csv.gz", "inegi_homicides/state_month.csv"],
    "conapo_population": ["conapo_population/projections.csv", "conapo_population/catalogue.csv"],
    "iom_missing_migrants": ["iom_missing_migrants/incidents.csv"],
    "pcome_remains": ["pcome_remains/records.csv"],
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from etl import pipeline
    from tests.conftest import FIXTURES

    root = tmp_path_factory.mktemp("compare")
    mirror = root / "mirror"
    for sid, files in FIXTURE_FILES.items():
        (mirror / sid).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(FIXTURES / f, mirror / sid / Path(f).name)
    result = pipeline.run(root / "data", mirror=mirror,
                          source_ids=[*FIXTURE_FILES, "reported_figures", "policy_events"])
    assert result.published
    return create_app(root / "data")


def layout(**query):
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/compare")
    return entry["layout"](**query)



def test_layout_with_defaults_has_every_control_and_chart(app):
    from dashboard import ids

    text = text_of(layout())
    for cid in (ids.Compare.cities, ids.Compare.year, ids.Compare.km, ids.Compare.deaths, ids.Compare.axis,
                ids.Compare.percap, ids.Compare.sort, ids.Compare.order, ids.Compare.mpp, ids.Compare.monthly,
                ids.Compare.table, ids.Compare.query):
        assert cid in text
    assert "Some settings in the link were not valid" not in text


@pytest.mark.parametrize("query,expect", [
    ({"cities": "02004,<script>alert(1)</script>"}, "Cities"),
    ({"cities": "x" * 10_000}, "characters was ignored"),
    ({"year": "1800"}, "Year"),
    ({"km": "5000"}, "out of range"),
    ({"km": "ten"}, "not a whole number"),
    ({"deaths": "both"}, "Deaths dataset"),
    ({"axis": "<img src=x onerror=alert(1)>"}, "Y axis"),
    ({"percap": "maybe"}, "not 0 or 1"),
    ({"sort": "drop table"}, "Sort by"),
    ({"cities": "08037"}, "at least 2 needed"),
    ({"city": "99999"}, "City: unknown value"),
    ({"bogus": "1"}, "unknown setting"),
])
def test_hostile_links_fall_back_with_a_notice(app, query, expect):
    text = text_of(layout(**query))
    assert "Some settings in the link were not valid" in text and expect in text
    # bad values are quoted only as text (React escapes it), never as HTML
    assert "dangerously_allow_html" not in text and '"Markdown"' not in text


def test_map_click_through_puts_the_city_first(app):
    from dashboard.views import compare as cb

    q, notices = cb.merge_city({"city": "26043"})
    assert q["cities"].split(",") == ["26043"] + DEFAULT_CITIES[:5] and notices == []
    q, _ = cb.merge_city({"city": "08037", "cities": "02004,02002"})
    assert q["cities"] == "08037,02004,02002"
    q, notices = cb.merge_city({"cities": "28032"})
    assert q["cities"].startswith("28032,") and notices
    text = text_of(layout(city="26043"))
    assert "Some settings" not in text and '"26043"' in text


def test_callback_renders_every_output_small_and_the_url(app):
    from dashboard.views import compare as cb

    out = cb.render(["02004", "08037", "26043"], "2019", 100, "iom", "independent", ["1"], "homicides", "asc")
    assert len(out) == 17
    figures = [out[i] for i in (2, 4, 6, 8, 10, 14)]  # 14: official enrolments at the paired sector and office
    for fig in figures:
        valid(fig)
        assert len(json.dumps(fig, default=str)) < 300_000
        assert fig["layout"]["meta"]["title"]
    assert out[-1]["q"] == "?cities=02004,08037,26043&year=2019&km=100&axis=independent&percap=1&sort=homicides&order=asc"
    assert out[-1]["initial"] is False
    assert "Tijuana" in out[5] or "no data" in out[5].lower()  # the text alternative
    # fewer than two cities: nothing redrawn, a message instead
    one = cb.render(["02004"], "2019", 50, "iom", "shared", [], "city", "asc")
    assert "at least 2" in text_of(one[1]) and one[2] is dash.no_update and one[-1] is dash.no_update
    # seven: trimmed to six, with a message
    seven = cb.render(list(border_ids()[:7]), "2019", 50, "iom", "shared", [], "city", "asc")
    assert seven[0] == list(border_ids()[:6]) and "At most 6" in text_of(seven[1])


def test_callback_repairs_out_of_range_controls(app):
    from dashboard.views import compare as cb

    state, _ = cb.clean_state([["02004", "08037"], "1700", 9999, "nope", "sideways", [], "?", "up"])
    assert state["km"] == 300 and state["deaths"] == "iom" and state["axis"] == "shared"
    assert state["sort"] == "homicide_rate" and state["order"] == "desc"
    assert state["year"] == str(cb.base().default_year)


def test_the_table_shows_the_population_of_the_year_it_compares(base):
    # the fixture's population rows are base + (year - 2019) * 1000 for 2019, 2020, 2021 and 2026
    rows = agg.city_rows(base, ["02004", "08037"], 2021, 50, "iom")
    assert set(rows["population_year"]) == {2021}
    assert row_of(rows, "02004")["population"] == 1_800_000 + 2 * 1000
    # a year without population figures: the nearest year that has them, and the header says which
    rows = agg.city_rows(base, ["02004"], 2023, 50, "iom")
    assert set(rows["population_year"]) == {2021} and row_of(rows, "02004")["population"] == 1_802_000
    assert agg.table_population_year(base, 2024) == 2026 and agg.table_population_year(base, 2010) == 2019


def test_an_estimate_is_marked_as_one_on_the_chart_and_said_in_full_in_the_notes():
    rows = reported()
    rows.loc[rows["figure_id"] == "juarez-more", "qualifier"] = "estimate"
    b = agg.prepare(places(), population(), homicides(), deaths(), encounters(), rows, today=dt.date(2026, 11, 27))
    cities = ["08037"]
    spec = valid(charts.mpp_chart(agg.mpp_figures(b, cities), charts.city_colors(cities, b.cities["colour"]),
                                  source="Source: x", missing=[]))
    texts = [t.strip() for tr in spec["data"] for t in (tr.get("text") or [])]
    assert "est. 15,000" in texts and "about 13,000" in texts
    notes = spec["layout"]["meta"]["notes"]
    assert any("open diamond" in n for n in notes)
    assert any("Ciudad Juárez: an estimate of 15,000" in n for n in notes if n.startswith("As reported"))
    [marker] = [tr for tr in spec["data"] if tr.get("mode") != "text" and tr["x"][:1] == [15000.0]]
    assert marker["marker"]["symbol"] == "diamond-open"


def test_spanish_callback_titles_table_notices_and_a_cache_per_language(app):
    """Inside i18n.using("es") the callback answers in Spanish; the same settings asked in English right after are
    English (the cached answers carry the language in their key)."""
    from dashboard import i18n
    from dashboard.views import compare as cb

    args = (["02004", "08037", "26043"], "2019", 100, "iom", "shared", ["1"], "homicides", "desc")
    with i18n.using("es"):
        out = cb.render(*args)
        one = cb.render(["02004"], "2019", 50, "iom", "shared", [], "city", "asc")
        q, notices = cb.merge_city({"city": "zzz"})
    homicides, encounters = out[4]["layout"]["meta"], out[8]["layout"]["meta"]
    assert homicides["title"] == "Homicidios en 2019"
    assert "certificados de defunción del INEGI" in homicides["subtitle"] and "por cada 100 mil" in homicides["subtitle"]
    assert encounters["title"] == "Encuentros de la Patrulla Fronteriza en el sector emparejado, año fiscal 2019"
    assert "(octubre de 2018 – septiembre de 2019)" in encounters["subtitle"]  # Babel's es_MX month names
    table = text_of(out[12])
    assert "lado a lado" in table and "de mayor a menor" in table and "Ciudad" in table
    assert "side by side" not in table
    assert out[-1]["q"].endswith("&lang=es")  # the address keeps the language
    assert "Elija al menos 2 ciudades (hasta 6) para comparar." in text_of(one[1])
    assert notices == ["Ciudad: se ignoró el valor desconocido «zzz»"]
    again = cb.render(*args)  # English now: not the Spanish answers cached a moment ago
    assert again[4]["layout"]["meta"]["title"] == "Homicides in 2019" and "lang=" not in again[-1]["q"]
    assert "side by side" in text_of(again[12])


def test_spanish_layout_quotes_bad_settings_in_spanish(app):
    from dashboard import i18n

    with i18n.using("es"):
        text = text_of(layout(bogus="1", km="5000"))
    assert "se ignoró el ajuste desconocido «bogus»" in text
    assert "Distancia (km): 5000 está fuera del rango (10–300)" in text


def test_spanish_csv_rows_keep_their_columns_and_ids(app):
    """The tidy rows behind the CSV: the same columns and measure ids in both languages, the words in Spanish."""
    from dashboard import i18n
    from dashboard.views import compare as cb

    state = cb.state_from_query({"cities": "02004,08037", "year": "2019"}).state
    with i18n.using("es"):
        es = cb.chart_tables(state)
    en = cb.chart_tables(state)
    assert list(es) == list(en)
    for key in es:
        assert list(es[key].columns) == list(en[key].columns)
        assert list(es[key]["measure"]) == list(en[key]["measure"]) and es[key]["value"].equals(en[key]["value"])
    assert set(es["homicides"]["unit"]) == {"homicidios"} and set(en["homicides"]["unit"]) == {"homicides"}
    assert es["homicides"]["definition"].str.contains("certificados de defunción del INEGI").all()
    assert set(es["encounters"]["unit"]) == {"encuentros"}


# ---------------------------------------------------------------- in Spanish (issue 15)

def test_the_charts_speak_spanish_with_qualifiers_source_line_and_month_names(base):
    """?lang=es: title, notes, the qualifier in words on the chart (the fixture's more than 15,000 and about
    13,000), the source line with its day written out, and Spanish month names on the monthly panels' axes
    (the fixture's homicides run January 2020 to December 2021)."""
    from dashboard import i18n
    from dashboard.charts import common

    cities = ["02004", "08037", "02003"]
    with i18n.using("es"):
        source = common.source_line([("INEGI", "2026-11-27")])
        spec = valid(charts.mpp_chart(agg.mpp_figures(base, cities), charts.city_colors(cities, base.cities["colour"]),
                                      source=source, missing=["Tecate"]))
        names = [(c, base.cities.at[c, "name"]) for c in ["02004", "08037"]]
        monthly = agg.monthly_homicides(base, ["02004", "08037"], percap=False)
        panels = valid(charts.small_multiples(monthly, names, {}, axis="shared", percap=False, year=2021,
                                              source=source))
        alt = charts.monthly_alt(monthly, names, False)
        empty = valid(charts.city_bars(agg.city_rows(base, ["02004"], 2021, 50, "iom").iloc[0:0], "homicides",
                                       "homicides_reason", title="Homicidios", subtitle="s", source="", colors={}))
    meta = spec["layout"]["meta"]
    assert meta["title"] == "Cifras del MPP («Quédate en México») reportadas por ciudad"
    assert source == "Fuente: INEGI (consultado el 27 de noviembre de 2026)" and meta["source"] == source
    texts = [t.strip() for tr in spec["data"] for t in (tr.get("text") or [])]
    assert "más de 15,000" in texts and "alrededor de 13,000" in texts and "1,634" in texts
    assert any(n.startswith("▶ con línea punteada: una cota inferior") for n in meta["notes"])
    assert "No hay cifras del MPP reportadas para Tecate." in meta["notes"]
    assert not any("more than" in n or "about" in n for n in meta["notes"])
    ticks = [t for k, ax in panels["layout"].items() if k.startswith("xaxis")
             for t in (ax.get("labelalias") or {}).values()]  # Plotly's "Jan 2020" renamed on every panel's axis
    assert {"ene 2020", "jul 2020", "ene 2021", "jul 2021"} <= set(ticks)
    assert not any(m in " ".join(ticks) for m in ("Jan", "Jul"))
    hovers = panels["data"][0]
    assert hovers["hovertext"][0] == "ene 2020" and "%{hovertext}" in hovers["hovertemplate"]
    assert panels["layout"]["meta"]["title"] == "Homicidios por mes, por ciudad"
    assert "Sombreado: el año de las demás gráficas." in panels["layout"]["meta"]["notes"]
    assert alt.startswith("Homicidios mensuales, de enero de 2020 a diciembre de 2021.")
    assert "Tijuana: máximo 101 en enero de 2021" in alt
    assert "Sin datos: no se eligió ninguna ciudad" in json.dumps(empty, ensure_ascii=False)


def test_on_the_real_curated_table_compare_leads_juarez_with_border_reports_13000(ctx):
    """Compare's 'returned under MPP' cell leads by the rule on the bundled reported_figures.csv (issue 12): Border
    Report's 'some 13,000' for Ciudad Juárez, the 18,000 estimate (a republication) listed after it."""
    from etl.adapters.reported_figures import parse
    from etl.config import reference_dir

    [parsed] = parse(reference_dir() / "reported_figures.csv", ctx)
    real = agg.prepare(places(), population(), homicides(), deaths(), encounters(), parsed.frame,
                       today=dt.date(2026, 11, 27))
    juarez = "08037"
    assert agg.best_returned(real, juarez)["figure_id"] == "br-2019-mpp-juarez"
    assert [o["figure_id"] for o in agg.other_returned(real, juarez)] == ["sputnik-2019-12-03-juarez"]
    rows = agg.city_rows(real, [juarez], 2021, 50, "iom")
    assert "13,000" in str(rows.to_dict("records"))
