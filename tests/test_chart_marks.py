"""Every mark is explained inside the figure (so in its PNG, SVG, PDF and embed): the Encounters chart's numbered
policy markers are listed in its footer with their dates and labels and never print on top of each other;
qualified figures say their qualifier in words; curated figures carry no retrieval date; titles keep off the
left edge.

The truths checked against are the reference files as published in the repository
(data/reference/policy_events.csv, reported_figures.csv), read here with the csv module, not the code under test.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.aggregates import encounters as agg
from dashboard.charts import encounters as charts
from dashboard.export import registry
from tests.support.release import fixture_release

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


def reference(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def footer(layout: dict) -> str:
    return next(a["text"] for a in layout["annotations"] if a.get("name") == "footer")


def series(start: str, end: str) -> agg.Series:
    months = pd.date_range(start + "-01", end + "-01", freq="MS")
    rows = [["ohss_usbp_monthly_sector", m, "U.S. Border Patrol", "", "US-SEC-SDC", "San Diego, CA", "", "", "", "",
             1000 + i, True, "ohss_usbp_encounters"] for i, m in enumerate(months)]
    cols = ["dataset", "month", "component", "region", "area_id", "area_name", "citizenship", "demographic",
            "title_of_authority", "encounter_type", "count", "is_rounded", "source_id"]
    prep = agg.prepare(pd.DataFrame(rows, columns=cols), "ohss_usbp_monthly_sector")
    return agg.series(prep, {}, None, None)


@pytest.mark.parametrize("start,end", [("2018-10", "2024-11"), ("1999-10", "2024-11"), ("2019-01", "2019-12")])
def test_every_policy_marker_is_in_the_key_with_its_date_and_label(start, end):
    s = series(start, end)
    events = pd.read_csv(REFERENCE / "policy_events.csv")
    fig = charts.encounters_chart(s, dataset="ohss_usbp_monthly_sector", label="Border Patrol",
                                  events=agg.events_in_range(events, s.start, s.end),
                                  sources=[("DHS", "2026-11-27")]).to_plotly_json()
    # the events that touch the months shown, from the reference file: numbered in date order
    lo, hi = date.fromisoformat(start + "-01"), pd.Timestamp(end + "-01") + pd.offsets.MonthEnd(0)
    expected = sorted((r for r in reference("policy_events.csv")
                       if date.fromisoformat(r["date"]) <= hi.date()
                       and date.fromisoformat(r["end_date"] or r["date"]) >= lo),
                      key=lambda r: (r["date"], r["event_id"]))
    markers = next(t for t in fig["data"] if t.get("name") == "Policy events")
    assert list(markers["text"]) == [str(n) for n in range(1, len(expected) + 1)]
    foot = footer(fig["layout"])
    key = fig["layout"]["meta"]["key"]
    assert len(key) == len(expected)
    for n, row in enumerate(expected, start=1):
        day = date.fromisoformat(row["date"])
        when = f"{day.day} {day:%b %Y}"
        item = next(k for k in key if k.startswith(f"({n}) "))
        assert when in item and row["event"] in item and row["publisher"] in item, (item, row)
        # the footer (what every image carries) holds it too, escaped for plotly
        assert f"({n}) {when}" in foot and row["event"].replace("&", "&amp;") in foot
    assert "listed under the chart" not in foot  # the old promise, now kept by the key itself


def test_policy_markers_never_print_on_top_of_each_other():
    s = series("1999-10", "2024-11")  # 25 years: the 2019 expansions are days apart
    events = pd.read_csv(REFERENCE / "policy_events.csv")
    fig = charts.encounters_chart(s, dataset="ohss_usbp_monthly_sector", events=agg.events_in_range(
        events, s.start, s.end)).to_plotly_json()
    m = next(t for t in fig["data"] if t.get("name") == "Policy events")
    lo, hi = (pd.Timestamp(x) for x in fig["layout"]["xaxis"]["range"])
    pos = [((pd.Timestamp(x) - lo) / (hi - lo), y) for x, y in zip(m["x"], m["y"])]
    assert len(set(pos)) == len(pos)  # no two share a position
    gap = (m["marker"]["size"] + 2) / 600  # a marker's width on a 600 px plot, as a share of the axis
    for i, (xa, ya) in enumerate(pos):
        for xb, yb in pos[i + 1:]:
            # on one level, a marker's width apart; otherwise a marker's height apart (yaxis2: 0–1.04)
            assert abs(xa - xb) >= gap or abs(ya - yb) >= 0.05, (xa, ya, xb, yb)
    by_date = dict(zip(m["x"], m["y"]))
    assert by_date["2019-03-12"] != by_date["2019-03-19"]  # the markers 3 and 4
    assert by_date["2019-07-09"] != by_date["2019-07-19"]  # and 5 and 6


def test_marker_levels_stack_only_what_would_overlap():
    lo, hi = pd.Timestamp("2019-01-01"), pd.Timestamp("2020-01-01")
    xs = [pd.Timestamp(d) for d in ("2019-01-10", "2019-01-12", "2019-01-14", "2019-06-01", "2019-06-02")]
    assert charts.marker_levels(xs, lo, hi, plot_px=600) == [0, 1, 2, 0, 1]
    assert charts.marker_levels(xs, lo, hi, plot_px=100_000) == [0, 0, 0, 0, 0]  # room for all on one line


# ---------------------------------------------------------------- over a release built from the fixtures

@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("marks")
    create_app(fixture_release(root / "data", root / "mirror"))
    return registry.data_access.current()


def test_compare_mpp_writes_a_lower_bound_in_words(release):
    # the reference file: Matamoros' court cases (heard at Brownsville) as "more than 16,400"
    bound = [r for r in reference("reported_figures.csv") if r["qualifier"] == "more_than"
             and r["metric"] == "mpp_court_cases" and r["place_id"] == "US-POE-2301"]
    assert [float(r["value"]) for r in bound] == [16400.0]
    built = registry.build("compare-mpp", {"cities": "28022,02004"})
    texts = [t.strip() for tr in built.figure["data"] for t in (tr.get("text") or [])]
    assert "more than 16,400" in texts
    assert "16,400" not in texts and "&gt; 16,400" not in texts  # never a plain number, nor a symbol
    assert not any(t.startswith("~") for t in texts)
    assert "more than 16,400" in footer(built.figure["layout"])  # in the notes too ("As reported: …")


def test_curated_figures_carry_no_refresh_date(release):
    refreshed = release.retrieved("reported_figures")
    assert refreshed and re.fullmatch(r"\d{4}-\d{2}-\d{2}", refreshed)
    for name, query in (("reported", {}), ("compare-mpp", {"cities": "28022,02004"})):
        built = registry.build(name, query)
        source = built.figure["layout"]["meta"]["source"]
        assert source.startswith("Source:") and "as published" in source, source
        assert "retrieved" not in source and refreshed not in source, source
        assert refreshed not in footer(built.figure["layout"]), name


def test_no_title_touches_the_left_edge(release):
    for name in registry.CHARTS:
        title = registry.build(name, {}).figure["layout"].get("title") or {}
        if title.get("text"):
            assert title.get("xref", "container") == "container" and title["xanchor"] == "left"
            assert title["x"] > 0 or title.get("pad", {}).get("l", 0) >= 8, name
            # nor the top edge, whatever the export's height (a fraction of the height would at some heights)
            assert title["y"] == 1 and title["yanchor"] == "top" and title["pad"]["t"] >= 8, name


def test_the_embed_page_lists_the_key():
    from dashboard.export.routes import embed_page

    s = series("2018-10", "2020-06")
    events = pd.read_csv(REFERENCE / "policy_events.csv")
    fig = charts.encounters_chart(s, dataset="ohss_usbp_monthly_sector", events=agg.events_in_range(
        events, s.start, s.end)).to_plotly_json()
    built = registry.Built(registry.CHARTS["encounters"], fig, "alt", "?dataset=x")
    page = embed_page(built, height=None, base_url="http://h/")
    items = re.findall(r"<li>(.*?)</li>", page.split('<ul class="key">')[1].split("</ul>")[0])
    assert items and items[0].startswith("(1) 20 Dec 2018, MPP announced")  # the first row of the reference file
    assert len(items) == len(fig["layout"]["meta"]["key"])
