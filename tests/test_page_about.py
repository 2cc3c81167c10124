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
