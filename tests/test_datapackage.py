"""The declared contract: what the registry says travels into each release, and frictionless checks each
release's files against its datapackage.json (`borderstats validate`)."""
from __future__ import annotations

import csv
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from borderstats.cli import main
from etl import checks
from etl.config import reference_dir
from etl.warehouse import Warehouse
from tests.support.release import fixture_release


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pkg")
    return fixture_release(root / "data", root / "mirror")


@pytest.fixture(scope="module")
def registry_toml() -> dict:
    """The registry file read as plain TOML: the truth the release must carry."""
    return tomllib.loads((reference_dir() / "sources.toml").read_text(encoding="utf-8"))


def last_month_of_southwest_fixture() -> str:
    """The latest calendar month of tests/fixtures/cbp_encounters/southwest.csv, worked out here from its
    fiscal year and month columns (October to December belong to the previous calendar year)."""
    from tests.conftest import FIXTURES

    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    with (FIXTURES / "cbp_encounters" / "southwest.csv").open(encoding="utf-8") as fh:
        found = []
        for row in csv.DictReader(fh):
            fy, m = int(row["Fiscal Year"][:4]), months.index(row["Month (abbv)"]) + 1
            found.append((fy - 1 if m >= 10 else fy, m))
    year, month = max(found)
    return f"{year}-{month:02d}"


def package(data_dir: Path) -> dict:
    return json.loads((Warehouse(data_dir).current().path / "datapackage.json").read_text(encoding="utf-8"))


def test_sources_carry_publisher_attribution_licence_citation_and_addresses(release_dir, registry_toml):
    pkg = package(release_dir)
    by_id = {s["id"]: s for s in pkg["sources"]}
    assert set(by_id) == {s["id"] for s in registry_toml["source"]}
    for declared in registry_toml["source"]:
        got = by_id[declared["id"]]
        for key in ("publisher", "attribution", "licence", "citation", "landing_page", "title"):
            assert got[key] == declared[key], (declared["id"], key)
        assert got["path"]  # the address to cite


def test_each_resource_lists_its_datasets_as_the_registry_describes_them(release_dir, registry_toml):
    pkg = package(release_dir)
    declared = {d["id"]: d for s in registry_toml["source"] for d in s.get("datasets", [])}
    declared.update({d["id"]: d for d in registry_toml.get("dataset", [])})
    enc = next(r for r in pkg["resources"] if r["name"] == "encounters")
    listed = {d["id"]: d for d in enc["datasets"]}
    # the fixture mirror holds CBP's Southwest file and USBP's monthly family/child file
    assert {"cbp_southwest", "usbp_history_monthly", "usbp_history_monthly_family_child"} <= set(listed)
    for did, d in listed.items():
        for key in ("label", "description", "unit", "counted"):
            assert d[key] == declared[did][key]
        assert d["rows"] > 0
    assert sum(d["rows"] for d in enc["datasets"]) == enc["rows"]
    # how far each reaches, from the rows themselves
    assert listed["cbp_southwest"]["last"] == last_month_of_southwest_fixture()
    places = next(r for r in pkg["resources"] if r["name"] == "places")
    assert "gazetteer" in {d["id"] for d in places["datasets"]}
    curated = next(r for r in pkg["resources"] if r["name"] == "policy_events")
    assert "datasets" not in curated  # no dataset column: the table is its source's one dataset


def test_a_release_built_from_the_fixtures_validates(release_dir, capsys):
    rel = Warehouse(release_dir).current()
    assert checks.check_datapackage(rel.path, all_rows=True) == []
    assert main(["validate", "--data-dir", str(release_dir)]) == 0
    assert "match its datapackage.json" in capsys.readouterr().out


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def tampered(release_dir: Path, tmp_path: Path, table: str, edit) -> Path:
    """A copy of the data directory whose current release's <table>.csv was edited by `edit(rows)`."""
    copy = tmp_path / "data"
    shutil.copytree(release_dir, copy)
    path = Warehouse(copy).current().path / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return copy


def test_validate_names_table_and_field_of_a_renamed_column(release_dir, tmp_path, capsys):
    def rename(rows):
        rows[0][rows[0].index("count")] = "encounter_count"

    copy = tampered(release_dir, tmp_path, "encounters", rename)
    assert main(["validate", "--data-dir", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "encounters.csv does not match datapackage.json: table encounters, field count, row 1" in err
    assert "encounter_count" in err


def test_validate_names_table_field_and_row_of_a_value_breaking_a_constraint(release_dir, tmp_path, capsys):
    def negative(rows):
        col = rows[0].index("dead")
        rows[3][col] = "-2"  # the third data row, line 4 of the file

    copy = tampered(release_dir, tmp_path, "migrant_deaths", negative)
    assert main(["validate", "--data-dir", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "table migrant_deaths, field dead, row 4: constraint-error" in err and '"minimum"' in err


def test_big_tables_are_checked_on_their_first_rows_unless_all_rows(release_dir, tmp_path, monkeypatch):
    def late_bad_value(rows):
        rows[-1][rows[0].index("count")] = "-5"  # after the sample: a negative count

    copy = tampered(release_dir, tmp_path, "homicides", late_bad_value)
    folder = Warehouse(copy).current().path
    monkeypatch.setattr(checks, "FULL_ROWS", 1)
    monkeypatch.setattr(checks, "SAMPLE_ROWS", 2)
    assert checks.check_datapackage(folder) == []
    problems = checks.check_datapackage(folder, all_rows=True)
    assert problems and f"table homicides, field count, row {len(rows_of(folder / 'homicides.csv'))}" in problems[0]


def test_the_dashboard_reads_labels_and_source_lines_from_the_release(release_dir, registry_toml):
    from dashboard import data_access

    data_access.configure(release_dir)
    data = data_access.current()
    declared = {s["id"]: s for s in registry_toml["source"]}
    inegi, conapo = declared["inegi_homicides"], declared["conapo_population"]
    assert data.attribution("inegi_homicides") == inegi["attribution"]
    assert data.source_url("cbp_encounters") == declared["cbp_encounters"]["landing_page"]
    assert data.source_url("reported_figures") is None  # a file in this repository, not a web address
    day = data.retrieved("inegi_homicides")
    assert day and data.source_line(["inegi_homicides", "conapo_population", "inegi_homicides"]) == (
        f"Source: {inegi['attribution']} (retrieved {day}); {conapo['attribution']} "
        f"(retrieved {data.retrieved('conapo_population')})")
    sw = next(d for d in declared["cbp_encounters"]["datasets"] if d["id"] == "cbp_southwest")
    got = data.dataset("cbp_southwest")
    assert (got["label"], got["description"], got["unit"], got["counted"]) == (
        sw["label"], sw["description"], sw["unit"], sw["counted"])
    assert data.dataset("no_such_dataset")["label"] == "no_such_dataset"
    assert data.attribution("no_such_source") == "no_such_source"
    assert data.reach("cbp_southwest")[1] == last_month_of_southwest_fixture()
    cites = {c["id"]: c for c in data.citations()}
    assert cites["inegi_homicides"]["citation"] == inegi["citation"].replace("{retrieved}", day)
    assert "not yet retrieved" in cites["ohss_usbp_encounters"]["citation"]  # no OHSS file in the fixture mirror


def test_every_field_and_table_has_a_spanish_title_and_the_names_stay_english(release_dir):
    """Issue 15: datapackage.json gives the descriptions Spanish titles (title_es, description_es); the column and
    table names, which programs read, are the same in every language."""
    from etl.schema import FIELDS, TABLES

    pkg = package(release_dir)
    assert pkg["title_es"] and pkg["title"] != pkg["title_es"]
    assert [r["name"] for r in pkg["resources"]] == list(TABLES)
    titles = set()
    for res in pkg["resources"]:
        assert res["title_es"] and res["description_es"] and res["description_es"] != res["description"], res["name"]
        fields = res["schema"]["fields"]
        assert [f["name"] for f in fields] == list(TABLES[res["name"]].fields)
        for f in fields:
            assert f["title_es"] and f["title_es"] != f["name"], (res["name"], f["name"])
            titles.add((f["name"], f["title_es"]))
    assert {name for name, _ in titles} == set(FIELDS)  # every field of the contract is in some table
    assert len({t for _, t in titles}) == len(titles)  # no two fields share a Spanish title
    by_name = dict(titles)
    assert by_name["fiscal_year"] == "Año fiscal de EE. UU." and "encuentro" in by_name["encounter_type"]
    assert "Quédate en México" in next(r for r in pkg["resources"] if r["name"] == "mpp_enrollments")["description_es"]
