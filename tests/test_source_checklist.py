"""The source checklist, proved: a source registered in a registry file (no code changed) is refreshed,
published in the manifest and datapackage.json with what the registry says, validates, and is listed on the
Data & sources page."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from etl import checks, pipeline
from etl.config import reference_dir
from etl.warehouse import Warehouse
from tests.support.dashpages import page_layout, text_of

TOY = """
[[source]]
id = "policy_events_second"
publisher = "A second curated list of policy events (test)"
attribution = "Second events list"
title = "Policy events kept in a second file, to prove the source checklist"
landing_page = "https://www.washingtonpost.com/national-security/2022/08/08/mpp-biden-asylum-mexico/"
licence = "Facts as published by each source"
citation = "Second events list, retrieved {retrieved}."
adapter = "policy_events"
tables = ["policy_events"]
local = "second_events.csv"
"""


def second_events_csv() -> str:
    """One real event of data/reference/policy_events.csv (MPP ended, with its source), under a new id."""
    text = (reference_dir() / "policy_events.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["event_id"] == "mpp-ended")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow({**row, "event_id": "second-mpp-ended"})
    return out.getvalue()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("checklist")
    registry = root / "registry" / "sources.toml"
    registry.parent.mkdir()
    registry.write_text((reference_dir() / "sources.toml").read_text(encoding="utf-8") + TOY, encoding="utf-8")
    (registry.parent / "second_events.csv").write_text(second_events_csv(), encoding="utf-8")
    for local in ("policy_events.csv", "reported_figures.csv"):  # `local` files are read beside the registry
        shutil.copy(reference_dir() / local, registry.parent / local)
    result = pipeline.run(root / "data", source_ids=["policy_events", "reported_figures", "policy_events_second"],
                          registry=registry)
    assert result.published and result.exit_code == 0, {k: o.error for k, o in result.outcomes.items()}
    return root / "data"


def test_the_new_source_is_in_the_manifest_and_the_datapackage(published):
    release = Warehouse(published).current()
    entry = release.manifest["sources"]["policy_events_second"]
    assert entry["rows"] == 1 and entry["status"] == "ok"
    assert entry["attribution"] == "Second events list" and entry["licence"] == "Facts as published by each source"
    pkg = json.loads((release.path / "datapackage.json").read_text(encoding="utf-8"))
    src = next(s for s in pkg["sources"] if s["id"] == "policy_events_second")
    assert src["publisher"] == "A second curated list of policy events (test)"
    assert src["citation"] == "Second events list, retrieved {retrieved}."
    events = next(r for r in pkg["resources"] if r["name"] == "policy_events")
    assert "Policy events kept in a second file, to prove the source checklist" in [s["title"] for s in events["sources"]]
    table = release.read("policy_events")
    assert set(table.loc[table["source_id"] == "policy_events_second", "event_id"]) == {"second-mpp-ended"}
    assert checks.check_datapackage(release.path, all_rows=True) == []


def test_the_new_source_is_listed_on_the_data_page(published):
    from dashboard.app import create_app

    create_app(published)
    text = text_of(page_layout("/data"))
    for shown in ("policy_events_second", "A second curated list of policy events (test)",
                  "Policy events kept in a second file, to prove the source checklist",
                  "https://www.washingtonpost.com/national-security/2022/08/08/mpp-biden-asylum-mexico/"):
        assert shown in text, shown
