"""About & method: definitions, caveats, citations with retrieval dates, licences — as plain components."""

import dash
import pytest
from tests.support.dashpages import text_of



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from tests.support.release import fixture_release

    root = tmp_path_factory.mktemp("about")
    return create_app(fixture_release(root / "data", root / "mirror"))


def test_about_page_content(app):
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    text = text_of(entry["layout"]())
    for needle in ["MPP", "Title 42", "Expulsions", "Apprehensions", "death certificates", "SESNSP",
                   "nearest 10", "October to September", "TRAC", "INM", "Pima County", "CONAPO",
                   "How to cite", "Data licences", "Public domain", "CC BY 4.0"]:
        assert needle in text, needle
    assert "{retrieved}" not in text
    assert "not yet retrieved" in text  # sources without data in this release
    assert "reported figures table (each figure cites its own report)" in text
    assert "Markdown" not in text and "dangerously" not in text
    # the lead-figure rule, its six tiers in order, and the tie-break
    assert "Which reported figure leads" in text
    tiers = ["An official count in the counter", "An analysis of official records", "A report naming an official",
             "A count or estimate by an NGO", "A report that names no counter", "A republication of another report"]
    at = [text.index(t) for t in tiers]
    assert at == sorted(at)
    assert "Within a tier the newest figure leads" in text
    # unknown query values do no harm (the page has no settings)
    assert text_of(entry["layout"](x="<script>")) == text


def test_about_says_how_far_each_dataset_reaches_from_the_release(app):
    """The coverage comes from the release: the municipal homicides fixture's last row is its truth."""
    import gzip

    import pandas as pd

    from etl.registry import load_registry
    from tests.conftest import FIXTURES

    with gzip.open(FIXTURES / "inegi_homicides" / "muni_month.csv.gz", "rt", encoding="utf-8") as fh:
        rows = pd.read_csv(fh, sep="|", dtype=str)
    rows[["year", "month"]] = rows[["year", "month"]].astype(int)
    last = rows.sort_values(["year", "month"]).iloc[-1]
    first = rows.sort_values(["year", "month"]).iloc[0]
    label = load_registry().datasets()["inegi_municipal_month"].label
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    text = text_of(entry["layout"]())
    assert f'"{label}"' in text
    assert f"{int(first['year'])}-{int(first['month']):02d} to {int(last['year'])}-{int(last['month']):02d}" in text
    assert "INEGI death certificates, compiled by Gargiulo et al." in text  # the attribution, from the release
    # MPP's dates from the policy events (data/reference/policy_events.csv: 2019-01-29, 2021-01-21, 2021-12-06,
    # 2022-08-08)
    assert ("in force from January 2019 until new enrollments were suspended in January 2021, and reinstated by "
            "court order from December 2021 to August 2022") in text


def test_curated_sources_cite_publication_dates_not_the_refresh_date(app):
    """Reported figures and policy events are curated here: the day a release read the file is not when anyone
    retrieved their figures (issue 11). Their citations give the figures' publication dates, read here straight
    from the curated CSVs, and never "retrieved <date>"; a publisher's file keeps its retrieval date."""
    import csv

    from dashboard import data_access
    from etl.config import reference_dir

    data = data_access.current()
    cites = {c["id"]: c for c in data.citations()}
    for sid, name in (("reported_figures", "reported_figures.csv"), ("policy_events", "policy_events.csv")):
        refreshed = data.sources()[sid]["retrieved_at"][:10]
        assert refreshed, sid  # the release did read the file on a day: that day must not be in the citation
        with open(reference_dir() / name, encoding="utf-8", newline="") as fh:
            dates = sorted(r["published"] for r in csv.DictReader(fh) if r["published"])
        text = cites[sid]["citation"]
        assert "retrieved" not in text and refreshed not in text.replace(dates[0], "").replace(dates[-1], ""), text
        assert f"as published, {dates[0]} to {dates[-1]}" in text, text
    cbp = cites["cbp_encounters"]["citation"]
    assert "retrieved " in cbp and "{retrieved}" not in cbp
    # and on the page
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    page = text_of(entry["layout"]())
    assert cites["reported_figures"]["citation"] in page and cites["policy_events"]["citation"] in page


def test_a_curated_citation_never_takes_the_refresh_date_even_if_its_text_asks_for_it(app, monkeypatch):
    from dashboard import data_access

    data = data_access.current()
    sources = {k: dict(v) for k, v in data.sources().items()}
    sources["reported_figures"]["citation"] = "Reported figures table, retrieved {retrieved}."
    monkeypatch.setattr(type(data), "sources", lambda self: sources)
    text = next(c["citation"] for c in data.citations() if c["id"] == "reported_figures")
    assert "retrieved" not in text and "{" not in text and text.startswith("Reported figures table.")
