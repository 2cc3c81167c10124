"""Encounters page: aggregates and chart on tiny literal frames, the callback, the layout with good and hostile links."""
import shutil

import dash
import pandas as pd
import pytest

from dashboard.aggregates import encounters as agg
from dashboard.charts import encounters as charts
from etl import pipeline
from tests.conftest import FIXTURES
from tests.support.dashpages import text_of


def enc(rows):
    cols = ["dataset", "month", "component", "region", "area_id", "area_name", "citizenship", "demographic",
            "title_of_authority", "encounter_type", "count", "is_rounded", "source_id"]
    df = pd.DataFrame(rows, columns=cols)
    df["month"] = pd.to_datetime(df["month"])
    return df


SW = [
    ["cbp_southwest", "2024-01-01", "U.S. Border Patrol", "Southwest Land Border", "", "", "Mexico", "Single Adults", "Title 8", "Apprehensions", 100, False, "cbp_encounters"],
    ["cbp_southwest", "2024-01-01", "Office of Field Operations", "Southwest Land Border", "", "", "El Salvador", "FMUA", "Title 8", "Inadmissibles", 30, False, "cbp_encounters"],
    ["cbp_southwest", "2024-03-01", "U.S. Border Patrol", "Southwest Land Border", "", "", "Mexico", "Single Adults", "Title 8", "Apprehensions", 50, False, "cbp_encounters"],
    ["ohss_usbp_monthly_sector", "2024-01-01", "U.S. Border Patrol", "", "US-SEC-SDC", "San Diego, CA", "", "", "", "", 1000, True, "ohss_usbp_encounters"],
    ["ohss_usbp_monthly_sector", "2024-02-01", "U.S. Border Patrol", "", "US-SEC-TCA", "Tucson, AZ", "", "", "", "", 2000, True, "ohss_usbp_encounters"],
]
EVENTS = pd.DataFrame({
    "event_id": ["a", "t42", "b"], "date": pd.to_datetime(["2019-01-29", "2020-03-20", "2024-02-10"]),
    "end_date": pd.to_datetime([None, "2023-05-11", None]), "event": ["MPP begins", "Title 42", "Later <b>x</b>"],
    "description": ["", "", ""], "place_id": ["US-POE-2504", None, None], "publisher": ["KPBS", "CRS", "X"],
    "title": ["t", "t", "t"], "url": ["https://a.example/", "https://b.example/", "javascript:alert(1)"],
    "published": pd.to_datetime(["2019-01-30", None, None]),
})


def test_prepare_options_and_enabled_filters():
    prep = agg.prepare(enc(SW), "cbp_southwest")
    assert prep.months == ["2024-01", "2024-03"]
    assert [c for c, _ in prep.options["citizenship"]] == ["mexico", "el-salvador"]  # largest first
    assert not prep.enabled("area") and prep.enabled("type")
    assert "area" not in prep.breakdowns() and "component" in prep.breakdowns()
    ohss = agg.prepare(enc(SW), "ohss_usbp_monthly_sector", {"US-SEC-SDC": "San Diego"})
    assert ohss.rounded and ohss.enabled("area") and not ohss.enabled("citizenship")
    assert dict(ohss.options["area"]) == {"US-SEC-TCA": "Tucson, AZ", "US-SEC-SDC": "San Diego"}


def test_series_never_mixes_datasets_and_fills_zero_only_inside_coverage():
    prep = agg.prepare(enc(SW), "cbp_southwest")
    s = agg.series(prep, {}, None, None)
    assert s.frame["count"].tolist() == [130.0, 50.0]  # OHSS rows are not added in
    assert s.start == "2024-01" and s.end == "2024-03"
    s = agg.series(prep, {"citizenship": ["el-salvador"]}, None, None)
    assert s.frame["count"].tolist() == [30.0, 0.0]  # covered month without a row for this group: zero
    s = agg.series(prep, {"component": ["u-s-border-patrol"]}, None, None, breakdown="citizenship")
    assert set(s.frame["group"]) == {"Mexico"} and s.frame["count"].sum() == 150


def test_series_empty_reasons_and_top_n():
    prep = agg.prepare(enc(SW), "cbp_southwest")
    assert agg.series(prep, {}, "2025-01", None).empty_reason
    assert agg.series(prep, {"type": ["expulsions"]}, None, None).empty_reason
    nothing = agg.prepare(enc(SW), "cbp_nationwide_state")
    assert "no rows" in agg.series(nothing, {}, None, None).empty_reason
    s = agg.series(prep, {}, None, None, breakdown="citizenship", top_n=1)
    assert list(dict.fromkeys(s.frame["group"])) == ["Mexico", agg.OTHER]
    s = agg.series(prep, {}, None, None, breakdown="area")  # not in this dataset: falls back to the total
    assert s.breakdown == "none"


def test_events_in_range_numbered_and_span_overlap():
    ev = agg.events_in_range(EVENTS, "2021-01", "2024-01")
    assert ev["event_id"].tolist() == ["t42"] and ev["n"].tolist() == [1]  # the span overlaps the window
    assert agg.events_in_range(EVENTS, "2018-01", "2024-12")["n"].tolist() == [1, 2, 3]
    assert agg.events_in_range(EVENTS, None, None).empty


def described(dataset: str) -> dict:
    """The dataset as the registry describes it (what a release carries into the chart)."""
    from etl.registry import load_registry

    return load_registry().datasets()[dataset].describe()


def test_chart_title_source_notes_and_events():
    prep = agg.prepare(enc(SW), "ohss_usbp_monthly_sector")
    s = agg.series(prep, {}, None, None, breakdown="area")
    d = described("ohss_usbp_monthly_sector")
    fig = charts.encounters_chart(s, dataset="ohss_usbp_monthly_sector", label=d["label"], counted=d["counted"],
                                  mode="stacked",
                                  events=agg.events_in_range(EVENTS, s.start, s.end),
                                  sources=[("DHS Office of Homeland Security Statistics", "2026-11-27")], rounded=True)
    meta = fig.layout.meta
    assert meta["title"].startswith("Monthly encounters: DHS OHSS")
    assert meta["title"] == "Monthly encounters: " + d["label"]
    assert meta["subtitle"].startswith(d["counted"] + ", per month, by sector or area")
    assert meta["source"] == "Source: DHS Office of Homeland Security Statistics (retrieved 2026-11-27)"
    assert any("rounded" in n for n in meta["notes"])
    series_traces = [t for t in fig.data if t.name != "Policy events"]
    assert len(series_traces) == 2 and all(t.stackgroup == "one" for t in series_traces)
    marks = [t for t in fig.data if t.name == "Policy events"][0]
    assert "&lt;b&gt;" in marks.hovertext[0]  # event text from data is escaped for plotly
    assert len(fig.layout.shapes) == 1
    lines = charts.encounters_chart(s, dataset="ohss_usbp_monthly_sector", mode="lines", scale="log")
    assert all(t.stackgroup is None for t in lines.data) and lines.layout.yaxis.type == "log"


def test_chart_no_data_is_not_zero():
    prep = agg.prepare(enc(SW), "cbp_southwest")
    s = agg.series(prep, {}, "2030-01", None)
    fig = charts.encounters_chart(s, dataset="cbp_southwest")
    assert len(fig.data) == 0 and "No data" in fig.layout.annotations[0].text
    assert "no data" in charts.alt_text(s, "CBP's file")


def test_alt_text_names_extremes_and_period():
    prep = agg.prepare(enc(SW), "cbp_southwest")
    text = charts.alt_text(agg.series(prep, {}, None, None, breakdown="component"), "CBP's file")
    assert text.startswith("Monthly encounters, CBP's file")
    assert "highest January 2024 (130)" in text and "lowest March 2024 (50)" in text and "Jan 2024–Mar 2024" in text
    assert "Largest groups by component" in text


# ---- the app: callbacks and layout over a small release built from fixtures ----------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("enc")
    mirror = root / "mirror"
    for sid, files in {"cbp_encounters": ["cbp_encounters/southwest.csv"],
                       "usbp_history": ["usbp_history/sw_apprehensions.csv", "usbp_history/sw_deaths.csv",
                                        "usbp_history/family_child_monthly.csv"]}.items():
        (mirror / sid).mkdir(parents=True)
        for f in files:
            shutil.copy(FIXTURES / f, mirror / sid)
    result = pipeline.run(root / "data", mirror=mirror,
                          source_ids=["cbp_encounters", "usbp_history", "policy_events", "reported_figures"])
    assert result.published
    from dashboard.app import create_app
    return create_app(root / "data")


def page_layout(**query):
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/encounters")
    return entry["layout"](**query)


def test_layout_default_view(app):
    text = text_of(page_layout())
    assert "Encounters at the border" in text and "Monthly encounters: CBP: Southwest" in text
    assert "Policy events on this chart" in text and "No per-capita view" in text
    assert "Some settings in the link were not valid" not in text


@pytest.mark.parametrize("query", [
    {"dataset": "<script>alert(1)</script>"}, {"dataset": "x" * 10_000}, {"from": "2024-13", "to": "yesterday"},
    {"from": "2024-06", "to": "2022-01"}, {"citizenship": "atlantis,mexico"}, {"breakdown": "area"},
    {"mode": "3d", "scale": "sqrt"}, {"area": "US-SEC-SDC"}, {"nonsense": "1"}, {"from": "1999-01"},
])
def test_layout_hostile_links_fall_back_with_a_notice(app, query):
    text = text_of(page_layout(**query))
    assert "Some settings in the link were not valid" in text
    assert "dangerously_allow_html" not in text  # a quoted bad value is shown as text, never as HTML


def test_callback_dataset_change_resets_filters_and_writes_the_url(app):
    from dashboard import ids
    from dashboard.views import encounters as cb
    out = cb.update("cbp_southwest", [], [], ["mexico"], [], [], [], None, None, "citizenship", "lines", "log",
                    triggered=ids.Encounters.citizenship)
    fig, alt, _, query = out[:4]
    # the dataset and the range it shows are data-dependent: written explicitly (the fixture covers Sep-Nov 2024)
    assert query == {"q": "?dataset=cbp_southwest&citizenship=mexico&from=2024-09&to=2024-11&breakdown=citizenship&mode=lines&scale=log",
                     "initial": False}
    assert fig.layout.yaxis.type == "log" and "Monthly encounters" in alt
    out = cb.update("usbp_history_monthly", [], [], ["mexico"], [], [], [], "2024-01", None, "citizenship", "lines",
                    "log", triggered=ids.Encounters.dataset)
    query = out[3]["q"]
    # the typed start is dropped with the dataset; its own range is written out (fixture: FY2012 Oct to FY2013 Nov)
    assert "citizenship" not in query and "from=2024-01" not in query and "dataset=usbp_history_monthly" in query
    assert "from=2011-10&to=2012-11" in query
    by_param = dict(zip(cb.FILTERS, [out[4 + 3 * i: 7 + 3 * i] for i in range(len(cb.FILTERS))]))
    assert by_param["citizenship"][2] is True and by_param["area"][2] is False  # disabled / enabled
    assert by_param["area"][0]  # options come from the chosen dataset


def test_spanish_controls_months_and_notices(app):
    """Spanish pages: option labels, month names (Babel's es_MX, not strftime's English) and notices in Spanish."""
    from dashboard import i18n
    from dashboard.views import encounters as cb

    prep = cb.prepared("cbp_southwest")
    with i18n.using("es"):
        out = cb.update("cbp_southwest", [], [], [], [], [], [], None, None, "none", "stacked", "linear")
        parsed = cb.state_from_query({"bogus": "1", "from": "2024-06", "to": "2022-01"})
        modes = cb.options(cb.MODES)
    months, to_options, breakdowns = out[-6], out[-4], out[-2]
    assert [m["label"] for m in months] == ["sep 2024", "oct 2024", "nov 2024"]  # the fixture's months
    assert to_options[-1] == {"label": "Último mes (sigue a los datos)", "value": "latest"}
    assert breakdowns[0] == {"label": "Nada (total)", "value": "none"}
    assert modes == [{"label": "Apiladas", "value": "stacked"}, {"label": "Líneas", "value": "lines"}]
    assert "se ignoró el ajuste desconocido «bogus»" in parsed.notices
    assert any(n.startswith("las fechas estaban invertidas") for n in parsed.notices)
    assert out[3]["q"].endswith("&lang=es")
    assert [m["label"] for m in cb.month_options(prep)] == ["Sep 2024", "Oct 2024", "Nov 2024"]  # English pages
