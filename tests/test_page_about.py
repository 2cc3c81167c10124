"""About & method: definitions, caveats, citations with retrieval dates, licences — as plain components."""

import dash
import pytest
from tests.support.dashpages import text_of



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app

    return create_app(tmp_path_factory.mktemp("about") / "data")


def test_about_page_content(app):
    entry = next(p for p in dash.page_registry.values() if p["path"] == "/about")
    text = text_of(entry["layout"]())
    for needle in ["MPP", "Title 42", "Expulsions", "Apprehensions", "death certificates", "SESNSP",
                   "nearest 10", "October to September", "TRAC", "INM", "Pima County", "CONAPO", "ends in 2021",
                   "How to cite", "Data licences", "Public domain", "CC BY 4.0"]:
        assert needle in text, needle
    assert "{retrieved}" not in text
    assert "not yet retrieved" in text  # sources without data in this release
    assert "reported figures table (each figure cites its own report)" in text
    assert "Markdown" not in text and "dangerously" not in text
    # unknown query values do no harm (the page has no settings)
    assert text_of(entry["layout"](x="<script>")) == text
