"""Map page: aggregates and the chart on tiny frames, the callbacks, the layout with good and hostile links."""
import json
import shutil
from pathlib import Path

import dash
import numpy as np
import pandas as pd
import pytest

from dashboard.aggregates import map as agg
from dashboard.charts import map as charts
from tests.conftest import FIXTURES
from tests.support.dashpages import page_layout, text_of
from tests.support.places import with_groups

T = pd.Timestamp


CITIES = ("02004", "26043", "08037")  # the border cities of places(), west to east


def places():
    return with_groups(pd.DataFrame({
        "place_id": ["08037", "02004", "26043", "08"], "name": ["Ciudad Juárez", "Tijuana", "Nogales", "Chihuahua"],
        "admin1": ["Chihuahua", "Baja California", "Sonora", "Chihuahua"], "kind": ["municipality"] * 3 + ["state"],
        "lat": [31.7, 32.5, 31.3, None], "lon": [-106.5, -117.0, -110.9, None], "population_2020": [1, 2, 3, None]}))


def homicides():
    months = pd.date_range("2020-01-01", "2021-06-01", freq="MS")
    rows = [("inegi_municipal_month", p, m, 10) for p in ("08037", "02004") for m in months]
    rows += [("inegi_state_month", "08", m, 999) for m in months]
    return pd.DataFrame(rows, columns=["dataset", "place_id", "month", "count"])


def population():
    return pd.DataFrame({"dataset": "c", "place_id": ["08037", "02004", "08037"], "year": [2020, 2020, 2021],
                         "population": [1_200_000, 2_000_000, 1_250_000]})


def deaths():
    return pd.DataFrame({
        "dataset": ["iom_us_mexico_border"] * 3 + ["pcome_remains"] * 2,
        "incident_id": list("abcde"),
        "date": [T("2019-05-01"), T("2020-05-01"), T("2021-05-01"), T("2019-01-01"), T("2020-01-01")],
        "lat": [31.8, None, 31.5, 31.4, 31.5], "lon": [-106.4, None, -111.0, -111.0, -111.2],
        "dead": [2, 1, 1, 1, 1], "missing": [1, 0, 0, 0, 0],
        "cause": ["Drowning", "Violence", "<b>Exposure</b>", "Exposure", "Skeletal Remains"],
        "nearest_place_id": ["08037", "08037", "26043", "26043", "26043"], "distance_km": [10.0, 20.0, 60.0, 5.0, 30.0]})


def reported():
    return pd.DataFrame({
        "metric": ["mpp_returned", "mpp_returned", "mpp_court_cases", "mpp_returned"],
        "value": [13000.0, 18000.0, 5000.0, 55000.0], "qualifier": ["approximately", "exact", "exact", "more_than"],
        "place_id": ["08037", "08037", "US-POE-2402", None],
        "as_of": [pd.NaT, T("2019-12-03"), T("2019-08-01"), pd.NaT], "period_end": [pd.NaT] * 4,
        "published": [pd.NaT] * 4, "publisher": ["Border Report", "Sputnik", "TRAC", "BR"],
        "definition": ["d"] * 4, "url": ["https://a"] * 4,
        "counted_by": ["unknown", "ngo", "eoir_via_trac", "unknown"],
        "report_kind": ["secondary", "republication", "republication", "secondary"]})


def test_border_cities_west_to_east_and_no_states():
    cities = agg.border_cities(places())
    assert list(cities["place_id"]) == ["02004", "26043", "08037"]


def test_last_full_year_and_rates():
    assert agg.last_full_year(homicides(), CITIES) == 2020
    hom = agg.city_homicides(homicides(), population(), 2020, ("08037", "02004", "26043")).set_index("place_id")
    assert hom.loc["08037", "homicides"] == 120 and hom.loc["08037", "rate"] == pytest.approx(10.0)
    assert np.isnan(hom.loc["26043", "homicides"]) and np.isnan(hom.loc["26043", "rate"])  # no data, not zero
    assert agg.last_full_year(pd.DataFrame(), CITIES) is None


def test_mpp_uses_only_returns_to_the_city_and_the_lead_figure_rule():
    mpp = agg.city_mpp(reported(), CITIES).set_index("place_id")
    assert list(mpp.index) == ["08037"]
    # a report naming no counter (undated) leads over a newer republication of an advocate's figure
    assert mpp.loc["08037", "value"] == 13000 and mpp.loc["08037", "publisher"] == "Border Report"
    assert pd.isna(mpp.loc["08037", "when"])
    assert mpp.loc["08037", "others"] == ("18,000 (Sputnik, 2019-12-03): a republication of another report, "
                                          "which ranks below a report that names no counter")


def test_deaths_near_never_adds_datasets_and_says_no_data_outside_pima():
    iom = agg.deaths_near(deaths(), "iom", (None, None), CITIES).set_index("place_id")
    assert iom.loc["08037", "deaths"] == 4  # 2 dead + 1 missing + 1 dead, both within 50 km
    assert iom.loc["26043", "deaths"] == 0  # 60 km away: outside the radius, a true zero
    pc = agg.deaths_near(deaths(), "pcome", (None, None), CITIES).set_index("place_id")
    assert pc.loc["26043", "deaths"] == 2 and np.isnan(pc.loc["08037", "deaths"])
    years = agg.deaths_near(deaths(), "iom", (2020, 2020), CITIES).set_index("place_id")
    assert years.loc["08037", "deaths"] == 1


def test_death_points_one_dataset_and_unlocated_counted():
    pts, unlocated = agg.death_points(deaths(), "iom")
    assert len(pts) == 2 and unlocated == 1 and pts["lon"].dtype == np.float32
    pts, unlocated = agg.death_points(deaths(), "pcome", (2020, None))
    assert len(pts) == 1 and unlocated == 0
    assert agg.death_points(deaths(), "none")[0].empty


def build(metric="homicide_rate", layer="iom"):
    cities, meta = agg.city_frame(places(), homicides(), population(), reported(), deaths(), layer=layer)
    values = agg.metric_values(cities, metric, meta)
    hover = [charts.city_hover(r, meta) for _, r in cities.iterrows()]
    points, _ = agg.death_points(deaths(), layer)
    return charts.map_figure(values, metric_label=agg.METRICS[metric], hover=hover, points=points, layer=layer,
                             layer_label=agg.LAYERS[layer], title="T", subtitle="S", source="Source: X (retrieved 2026-01-01)",
                             notes=["n"]), values


def test_map_figure_traces_titles_and_no_data():
    fig, values = build()
    kinds = [t.name for t in fig.data]
    assert kinds.count("IOM Missing Migrants") == 2  # one trace per cause, one legend entry
    assert sum(bool(t.showlegend) for t in fig.data if t.name == "IOM Missing Migrants") == 1
    assert "No data" in kinds  # Nogales: no homicides, drawn hollow, not as zero
    assert fig.layout.meta["title"] == "T" and fig.layout.geo.scope == "north america"
    assert "Source: X" in fig.layout.annotations[-1].text
    assert values.set_index("place_id").loc["26043", "reason"]
    hover = json.dumps(fig.to_plotly_json(), default=str)
    assert "<b>Exposure</b>" not in hover and "&lt;b&gt;Exposure" in hover
    assert len(fig.to_json()) < 300_000


def test_map_mpp_shows_qualifier_and_empty_case():
    fig, values = build("mpp_returned", "none")
    assert values.set_index("place_id").loc["08037", "shown"] == "about 13,000"
    assert all(t.name != "IOM Missing Migrants" for t in fig.data)
    empty = charts.map_figure(pd.DataFrame(), metric_label="x", hover=[], points=None, layer="none",
                              layer_label="", title="T", subtitle="S", source="")
    assert "No data" in empty.layout.annotations[0].text
    assert "Tijuana" in charts.alt_text(values, "People returned", "", 0, "") or "No data for" in \
        charts.alt_text(values, "People returned", "", 0, "")


def test_compare_links():
    from dashboard.views import map as cb
    assert cb.compare_href("26043", ("02004", "08037")) == "/compare?cities=26043,02004,08037"
    assert cb.compare_href("02004", ("02004",)).startswith("/compare?cities=02004,")
    assert cb.compare_href("08037", tuple("0800%d" % i for i in range(9))).count(",") == 5
    assert cb.compare_link({"points": [{"customdata": "08037"}]}).startswith("/compare?cities=08037,")
    assert cb.compare_link({"points": [{"customdata": ["2019-01-01", 1, 0]}]}) is dash.no_update
    assert cb.compare_link(None) is dash.no_update


# --- the app over a small release built from the test fixtures ---

FILES = {"inegi_homicides": ["inegi_homicides/muni_month.csv.gz", "inegi_homicides/state_month.csv"],
         "conapo_population": ["conapo_population/projections.csv", "conapo_population/catalogue.csv"],
         "iom_missing_migrants": ["iom_missing_migrants/incidents.csv"], "pcome_remains": ["pcome_remains/records.csv"],
         "sesnsp_state_victims": ["sesnsp_state_victims/victims_long.csv.bz2"]}


def small_release(root: Path) -> Path:
    from etl import pipeline
    mirror = root / "mirror"
    for sid, files in FILES.items():
        (mirror / sid).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(FIXTURES / f, mirror / sid / Path(f).name)
    data_dir = root / "data"
    result = pipeline.run(data_dir, mirror=mirror, source_ids=list(FILES) + ["reported_figures"])
    assert result.published
    return data_dir


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    return create_app(small_release(tmp_path_factory.mktemp("map")))



def test_layout_good_and_hostile_links(app):
    text = text_of(page_layout("/map", metric="population", layer="pcome", **{"from": "2010", "to": "2020"}))
    assert "map-graph" in text and "topojsonURL" in text and "/assets/geo/" in text and "not valid" not in text
    for query in ({"metric": "<script>alert(1)</script>"}, {"layer": "x" * 10_000}, {"from": "2020", "to": "1999"},
                  {"from": "abc"}, {"bogus": "1"}, {"metric": ["a", "b"]}):
        text = text_of(page_layout("/map", **query))
        assert "not valid" in text or "reversed" in text  # a notice (shown as text), not an error


def test_callback_on_the_small_release(app):
    from dashboard.views import map as cb
    fig, alt, table, query = cb.update("homicides", "iom", 2021, 2014)
    assert query == {"q": "?metric=homicides&from=2014&to=2021", "initial": False}
    assert fig.layout.meta["source"].startswith("Source:") and alt
    fig, alt, table, query = cb.update("nonsense", None, None, None)  # a forged call: defaults
    # defaults, with the deaths range written out (the IOM fixture holds incidents of 2019 only)
    assert query["q"] == "?from=2019&to=2019" and fig.layout.meta["title"] == cb.TITLES["homicide_rate"]


def test_incident_hover_credits_the_source_as_the_registry_words_it(app):
    import tomllib

    from dashboard.views import map as cb
    raw = tomllib.loads((Path(__file__).parents[1] / "data" / "reference" / "sources.toml").read_text("utf-8"))
    words = {s["id"]: s["attribution"] for s in raw["source"]}
    for layer, sid in (("iom", "iom_missing_migrants"), ("pcome", "pcome_remains")):
        fig = cb.update("homicides", layer, 2021, 2014)[0]
        hovers = [t.hovertemplate for t in fig.data if t.type == "scattergeo" and t.hovertemplate
                  and "customdata" in t.hovertemplate]
        assert hovers and all(words[sid].replace("%", " percent") in h for h in hovers), (layer, hovers[:1])


def test_the_mpp_map_leads_with_the_rules_figure_on_the_bundled_table(app):
    """The release's reported figures are the bundled, reviewed table: Ciudad Juárez's value is Border Report's
    "about 13,000" (a report naming no counter), not the advocate's 18,000 in a republication."""
    from dashboard.views import map as cb
    fig, alt, table, query = cb.update("mpp_returned", "none", None, None)
    text = text_of(table)
    assert "about 13,000" in text and "18,000" not in text
    assert "leads by who counted it" in fig.layout.meta["subtitle"]
    assert any("why each did not lead" in n for n in fig.layout.meta["notes"])


def test_spanish_callback_table_and_links_keep_the_language(app):
    from dashboard import i18n
    from dashboard.views import map as cb

    with i18n.using("es"):
        fig, alt, table, query = cb.update("homicides", "iom", 2021, 2014)
        link = cb.compare_link({"points": [{"customdata": "08037"}]})
    assert fig.layout.meta["title"] == "Homicidios en las ciudades fronterizas"
    assert "registros de defunciones del INEGI" in fig.layout.meta["subtitle"]
    text = text_of(table)
    assert "Los valores del mapa por ciudad" in text and "Comparar Ciudad Juárez" in text
    assert "lang=es" in text and query["q"].endswith("&lang=es")
    assert link.startswith("/compare?cities=08037,") and link.endswith("&lang=es")
    fig, _alt, table, query = cb.update("homicides", "iom", 2021, 2014)  # English again: its own cached answer
    assert fig.layout.meta["title"] == "Homicides in the border cities" and "lang=" not in text_of(table)
