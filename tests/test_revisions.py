"""The revisions table (issue 14, section 4): a value revised twice over three releases keeps all three values,
each with the release that published it and when, and the table is carried from release to release."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from etl import pipeline, revisions
from etl.warehouse import Warehouse


def test_a_value_revised_twice_keeps_all_three_values_with_releases_and_dates(three_releases):
    wh = Warehouse(three_releases)
    releases = wh.releases()
    assert len(releases) == 3
    table = wh.current().read("revisions")
    mine = table[(table["revised_table"] == "migrant_deaths") & (table["value_column"] == "dead")
                 & table["row_key"].str.contains('"2019.MMP00001"', regex=False)].sort_values("revision")
    # the values each release published, read from the releases' own migrant_deaths tables
    published = []
    for r in releases:
        deaths = r.read("migrant_deaths")
        published.append(int(deaths.loc[deaths["incident_id"] == "2019.MMP00001", "dead"].iloc[0]))
    assert published == [1, 4, 5]
    assert mine["revised_value"].tolist() == published
    assert mine["revision"].tolist() == [0, 1, 2]
    assert mine["release_id"].tolist() == [r.id for r in releases]
    assert mine["released"].tolist() == [r.manifest["published_at"] for r in releases]
    assert json.loads(mine["row_key"].iloc[0]) == {"dataset": releases[-1].read("migrant_deaths")["dataset"].iloc[0],
                                                 "incident_id": "2019.MMP00001"}
    # nothing else was revised: the total of dead and missing moved with this one value only
    assert set(table["value_column"]) == {"dead"} and len(table) == 3


def test_the_table_is_carried_from_release_to_release(three_releases):
    wh = Warehouse(three_releases)
    first, second, third = wh.releases()
    assert first.read("revisions").empty
    kept = second.read("revisions")
    assert len(kept) == 2
    # the second release's rows are in the third as they were
    again = third.read("revisions").iloc[: len(kept)]
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), again.reset_index(drop=True))
    for r, n in ((first, 0), (second, 2), (third, 3)):
        assert r.manifest["tables"]["revisions"] == n
        package = json.loads((r.path / "datapackage.json").read_text(encoding="utf-8"))
        resource = next(x for x in package["resources"] if x["name"] == "revisions")
        assert resource["rows"] == n and resource["schema"]["primaryKey"] == list(revisions.KEY) + ["release_id"]


def test_history_reads_first_published_and_now(three_releases):
    wh = Warehouse(three_releases)
    h = revisions.history(wh.current().read("revisions"))
    assert len(h) == 1
    row = h.iloc[0]
    first, _, third = wh.releases()
    assert (row["first_value"], row["now_value"], row["revisions"]) == (1, 5, 2)
    assert row["first_release"] == first.id and row["release_id"] == third.id


def test_an_unrevised_release_adds_no_rows(three_releases, tmp_path):
    data_dir = Path(shutil.copytree(three_releases, tmp_path / "data"))
    wh = Warehouse(data_dir)
    before = wh.current().read("revisions")
    result = pipeline.run(data_dir, source_ids=["cbp_encounters"],
                          files=[Path(__file__).parent / "fixtures" / "cbp_encounters" / "southwest.csv"])
    assert result.published
    pd.testing.assert_frame_equal(wh.current().read("revisions"), before)
