"""Violence page: INEGI and SESNSP shaped apart, rates from CONAPO, the callbacks, the layout with hostile links."""

import numpy as np
import pandas as pd
import pytest

from dashboard.aggregates import violence as agg
from dashboard.charts import violence as charts
from tests.test_page_map import small_release
from tests.support.dashpages import page_layout, text_of
from tests.support.places import border_ids

T = pd.Timestamp


def homicides():
    months = pd.date_range("2014-01-01", "2016-06-01", freq="MS")
    rows = [("inegi_municipal_month", "08037", m, 10) for m in months]
    rows += [("inegi_municipal_month", "08001", m, 1) for m in months]  # not a border city
    rows += [("inegi_state_month", "08", m, 100) for m in months]
    return pd.DataFrame(rows, columns=["dataset", "place_id", "month", "count"])


def population():
    return pd.DataFrame({"place_id": ["08037", "08001", "08037", "08001"], "year": [2015, 2015, 2016, 2016],
                         "population": [1_200_000, 800_000, 1_200_000, 800_000]})


def victims():
    rows = []
    for m in pd.date_range("2015-01-01", "2015-12-01", freq="MS"):
        for sex, n in (("Hombre", 3), ("Mujer", 1)):
            for age in ("Adultos (18 y más)", "Menores de edad (0-17)"):
                rows.append(("08", m, "Homicidio", "Homicidio doloso", "Con arma de fuego", sex, age, n))
                rows.append(("02", m, "Secuestro", "Secuestro", "Secuestro exprés", sex, age, 1))
    return pd.DataFrame(rows, columns=["place_id", "month", "crime", "subtype", "modality", "sex", "age_band", "victims"])


def test_state_counts_come_from_the_state_file_and_population_is_summed():
    counts = agg.homicide_counts(homicides(), "state", ["08"])
    assert counts["value"].iloc[0] == 100  # INEGI's state file, not the sum of municipal rows
    pop = agg.place_population(population(), "state", ["08"]).set_index("year")["population"]
    assert pop[2015] == 2_000_000


def test_annual_rates_full_years_only_and_no_rate_without_population():
    counts = agg.homicide_counts(homicides(), "municipality", ["08037"])
    pop = agg.place_population(population(), "municipality", ["08037"])
    out, notes = agg.series(counts, pop, measure="rate", freq="year")
    assert list(out["period"].dt.year) == [2014, 2015]  # 2016 has 6 months: left out, and said so
    assert np.isnan(out["value"].iloc[0])  # 2014: no CONAPO population -> no rate (not zero)
    assert out["value"].iloc[1] == pytest.approx(120 / 1_200_000 * 100_000)
    assert any("2016" in n for n in notes) and any("population" in n for n in notes)
    monthly, _ = agg.series(counts, pop, measure="count", freq="month", start=T("2015-03-01"), end=T("2015-04-01"))
    assert list(monthly["value"]) == [10, 10]


def test_victims_by_subtype_and_sex():
    prepared = agg.prepare_victims(victims())
    assert agg.subtypes(prepared) == ["Homicidio doloso", "Secuestro"]
    women = agg.victim_counts(prepared, ["08"], "Homicidio doloso", "Mujer")
    assert women["value"].iloc[0] == 2  # two age bands
    both = agg.victim_counts(prepared, ["08"], "Homicidio doloso", "all")
    assert both["value"].iloc[0] == 8
    pop = pd.DataFrame({"place_id": ["08", "02"], "year": [2015, 2015], "population": [1_000_000.0, 500_000.0]})
    bars = agg.by_subtype(prepared, pop, ["08", "02"], "all", measure="rate", start=None, end=None)
    bars = bars.set_index(["place_id", "subtype"])["value"]
    assert bars[("08", "Homicidio doloso")] == pytest.approx(96 / 1_000_000 * 100_000)
    assert ("08", "Secuestro") not in bars.index


def test_charts_titles_sources_and_no_data():
    counts = agg.homicide_counts(homicides(), "municipality", ["08037"])
    out, notes = agg.series(counts, population(), measure="count", freq="year")
    fig = charts.trend(out, {"08037": "Ciudad Juárez"}, title="Homicides", subtitle="INEGI, per year",
                       source="Source: INEGI (retrieved 2026-11-27)", y_title="homicides", notes=notes)
    assert len(fig.data) == 1 and fig.data[0].name == "Ciudad Juárez"
    assert fig.layout.meta["subtitle"] == "INEGI, per year" and "INEGI (retrieved" in fig.layout.meta["source"]
    empty = charts.trend(out.iloc[0:0], {}, title="Homicides", subtitle="s", source="", y_title="", reason="nothing here")
    assert "No data: nothing here" in empty.layout.annotations[0].text and not empty.data
    alt = charts.alt_trend(out, {"08037": "Ciudad Juárez"}, "Homicides per year", "2014–2015", "year")
    assert "Ciudad Juárez, 2014" in alt
    prepared = agg.prepare_victims(victims())
    bars = agg.by_subtype(prepared, pd.DataFrame(columns=["place_id", "year", "population"]), ["08", "02"], "all",
                          measure="count", start=None, end=None)
    bfig = charts.subtype_bars(bars, {"08": "Chihuahua", "02": "Baja California"}, title="By subtype", subtitle="s",
                               source="Source: SESNSP", x_title="victims")
    assert len(bfig.data) == 2 and bfig.layout.barmode == "group"


def test_never_one_series():
    """The INEGI chart and the SESNSP charts are separate figures; no trace mixes them."""
    from dashboard.views import violence as cb
    assert "never one series" in cb.DEFINITIONS


# --- the app over a small release built from the test fixtures ---

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    return create_app(small_release(tmp_path_factory.mktemp("violence")))



def test_layout_good_and_hostile_links(app):
    text = text_of(page_layout("/violence", level="state", places="02,08", measure="count", freq="month"))
    assert "vio-homicides" in text and "not valid" not in text
    for query in ({"places": "<script>alert(1)</script>"}, {"level": "x" * 10_000}, {"from": "2020-01", "to": "2015-01"},
                  {"from": "2020-13"}, {"subtype": "<img src=x>"}, {"sex": "robot"}, {"level": "state", "places": "08037"},
                  {"places": ",".join(border_ids())}, {"unknown": "1"}):
        text = text_of(page_layout("/violence", **query))
        assert "not valid" in text or "reversed" in text


def test_callbacks_on_the_small_release(app):
    from dashboard.views import violence as cb
    out = cb.update("state", ["02", "08"], "rate", "2015-01", None, "year", "Homicidio doloso", "all")
    figs = out[0:6:2]
    assert all(f.layout.meta["title"] for f in figs) and out[6]["q"].startswith("?level=state&places=02,08")
    assert "INEGI" in figs[0].layout.meta["subtitle"] and "SESNSP" in figs[1].layout.meta["subtitle"]
    assert "sum of its municipalities" in figs[0].layout.meta["subtitle"]
    out = cb.update("state", ["08037"], "bogus", "2030-01", "2015-01", None, "<x>", "x")  # forged: cleaned
    assert out[6]["initial"] is False and "bogus" not in out[6]["q"]
    options, value = cb.level_changed("state", ["08037"])
    assert value == agg.default_places("state") and len(options) == 32


def test_spanish_callback_and_sesnsp_subtypes_labelled_per_language(app):
    """Spanish pages: titles, subtitles and notes in Spanish, the SESNSP subtype as published; English pages: the
    published name with its English label beside it (data/reference/labels.csv; the control's value stays the
    published name)."""
    from dashboard import i18n
    from dashboard.views import violence as cb

    args = ("state", ["02", "08"], "rate", "2015-01", None, "year", "Homicidio doloso", "Mujer")
    with i18n.using("es"):
        es = cb.update(*args)
        options = cb.subtype_options()
    hom, vic, bars = (f.layout.meta for f in es[0:6:2])
    assert hom["title"] == "Homicidios en los estados por cada 100 mil habitantes"
    assert "certificados de defunción" in hom["subtitle"] and "por año" in hom["subtitle"]
    assert vic["title"] == "Víctimas de homicidio doloso denunciadas ante las fiscalías (SESNSP), por estado"
    assert "carpetas de investigación" in vic["subtitle"] and ", mujeres" in vic["subtitle"]
    assert bars["title"] == "Víctimas por subtipo de delito (SESNSP), por estado"
    assert es[6]["q"].endswith("&lang=es")
    assert {"label": "Homicidio doloso", "value": "Homicidio doloso"} in options
    en = cb.update(*args)
    assert en[2].layout.meta["title"] == ("Victims of homicidio doloso (intentional homicide) reported to prosecutors "
                                          "(SESNSP), by state")  # the published name, its English label beside it
    assert ", women" in en[2].layout.meta["subtitle"] and "lang=" not in en[6]["q"]
    assert {"label": "Homicidio doloso (intentional homicide)", "value": "Homicidio doloso"} in cb.subtype_options()


def test_spanish_csv_rows_words_translated_values_and_columns_kept(app):
    from dashboard import i18n
    from dashboard.views import violence as cb

    state = cb.state_from_query({"level": "state", "places": "02,08"}).state
    with i18n.using("es"):
        es = cb.chart_tables(state)["subtypes"]
    en = cb.chart_tables(state)["subtypes"]
    assert len(es) and list(es.columns) == list(en.columns) and es["value"].equals(en["value"])
    assert set(es["unit"]) == {"víctimas por cada 100 mil habitantes (promedio de la población de los años)"}
    assert set(en["unit"]) == {"victims per 100,000 residents (mean of the years' populations)"}
    assert list(es["category"]) == list(en["category"])  # SESNSP's subtype names, as published
    assert es["definition"].str.startswith("víctimas en carpetas de investigación abiertas por las fiscalías").all()
