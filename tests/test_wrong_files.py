"""Files that parse but are wrong (issue 14, section 3): each is refused through the CLI with exit 2, an error
naming the source, the file, the column and the values, and the published release unchanged.

- a CBP file whose header names were swapped (countries would become encounter types);
- values from another column in closed fields (component = Guatemala, encounter_type = Title 8,
  citizenship = Single Adults);
- a CONAPO municipality named "Sonora" under a Baja California code;
- a CBP file cut at a line boundary (967 of the real file's 1,936 rows): the shrink guard.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from borderstats.cli import main
from etl import schema
from etl.warehouse import Warehouse
from tests.conftest import real_file

FIX = Path(__file__).parent / "fixtures"
SOUTHWEST = FIX / "cbp_encounters" / "southwest.csv"
PROJECTIONS = FIX / "conapo_population" / "projections.csv"


def ingest(data_dir: Path, source_id: str, path: Path, *extra: str) -> int:
    return main(["ingest", "--data-dir", str(data_dir), *extra, source_id, str(path)])


def error_of(data_dir: Path, source_id: str) -> dict:
    return Warehouse(data_dir).state()["sources"][source_id]["error_detail"]


@pytest.fixture(scope="module")
def _published(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("wrong") / "data"
    assert ingest(data_dir, "cbp_encounters", SOUTHWEST) == 0
    assert ingest(data_dir, "conapo_population", PROJECTIONS) == 0
    return data_dir


@pytest.fixture
def published(_published, tmp_path):
    """A release holding the CBP and CONAPO fixtures (a copy for each test)."""
    return Path(shutil.copytree(_published, tmp_path / "data"))


def refused(data_dir: Path, source_id: str, path: Path, *extra: str) -> dict:
    """Ingest `path`: exit 2, the release and the source's rows unchanged; the error's details."""
    wh = Warehouse(data_dir)
    before = wh.current()
    assert ingest(data_dir, source_id, path, *extra) == 2
    after = wh.current()
    assert after.id == before.id
    assert after.manifest["sources"][source_id]["rows"] == before.manifest["sources"][source_id]["rows"] > 0
    detail = error_of(data_dir, source_id)
    assert detail["source"] == source_id and detail["file"] == path.name
    return detail


def test_swapped_header_names_are_refused(published, tmp_path):
    head, rest = SOUTHWEST.read_text(encoding="utf-8").split("\n", 1)
    swapped = head.replace("Citizenship Grouping", "@").replace("Encounter Type", "Citizenship Grouping").replace(
        "@", "Encounter Type")
    bad = tmp_path / "swapped.csv"
    bad.write_text(swapped + "\n" + rest, encoding="utf-8")
    detail = refused(published, "cbp_encounters", bad)
    assert detail["column"] == "encounter_type"
    # the countries that would have become encounter types are listed, with a line where they occur
    for country in ("'Mexico'", "'Guatemala'", "'Honduras'"):
        assert country in detail["message"]
    assert detail["line"] == 2


def _with_cell(tmp_path: Path, column: str, value: str, row: int = 3) -> Path:
    """The CBP fixture with one cell (data row `row`, 1-based, so physical line row + 1) replaced."""
    df = pd.read_csv(SOUTHWEST, dtype=str, keep_default_na=False)
    df.loc[row - 1, column] = value
    path = tmp_path / f"{column.replace(' ', '_')}.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("column, value, field", [
    ("Component", "Guatemala", "component"),
    ("Encounter Type", "Title 8", "encounter_type"),
    ("Citizenship Grouping", "Single Adults", "citizenship"),
    ("Demographic", "Honduras", "demographic"),
    ("Title of Authority", "Apprehensions", "title_of_authority"),
])
def test_a_value_from_another_column_is_refused(published, tmp_path, column, value, field):
    detail = refused(published, "cbp_encounters", _with_cell(tmp_path, column, value))
    assert detail["column"] == field
    assert repr(value) in detail["message"] and "(1 rows)" in detail["message"]
    assert detail["line"] == 4  # data row 3 is physical line 4
    if field == "citizenship":  # an open list, but never a value of another column's closed list
        assert "another column (demographic)" in detail["message"]


def test_closed_vocabularies_hold_every_value_of_the_real_file():
    """The sets in etl/schema.py cover what CBP really publishes (read from the real file, not from our code)."""
    df = pd.read_csv(real_file("cbp", "sbo-encounters-fy22-fy25-aug.csv"), dtype=str)
    for column, field in [("Component", "component"), ("Demographic", "demographic"),
                          ("Title of Authority", "title_of_authority"), ("Encounter Type", "encounter_type")]:
        published = set(df[column])
        assert published <= set(schema.FIELDS[field].enum), (field, published - set(schema.FIELDS[field].enum))
    # and the file's citizenship groups touch no closed list
    closed = {v for f in schema.FIELDS["citizenship"].disjoint_from for v in schema.FIELDS[f].enum}
    assert not set(df["Citizenship Grouping"]) & closed


def test_a_municipality_named_after_another_place_is_refused(published, tmp_path):
    text = PROJECTIONS.read_bytes().replace(b",Tijuana,02004,905000", b",Sonora,02004,905000")
    bad = tmp_path / "sonora.csv"
    bad.write_bytes(text)
    detail = refused(published, "conapo_population", bad)
    assert detail["column"] == "nombre_municipio" and detail["line"] == 3
    assert "02004 named 'Sonora'" in detail["message"] and "'Tijuana'" in detail["message"]


def test_names_are_checked_against_the_published_catalogue(tmp_path):
    """A municipality the bundled gazetteer does not hold is checked against INEGI's catalogue in the release;
    accents and case do not matter, and CONAPO's short form of a catalogue name is the same place."""
    data_dir = tmp_path / "data"
    catalogue = tmp_path / "cve_nom_municipios.csv"
    catalogue.write_text("cve_geo,nombre_estado,cve_ent,nombre_municipio,cve_mun\n"
                         "02001,Baja California,02,Ensenada,001\n"
                         "07017,Chiapas,07,Cintalapa de Figueroa,017\n", encoding="utf-8")
    assert ingest(data_dir, "conapo_population", catalogue) == 0
    header = "date_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,hombres,mujeres,total\n"
    good = tmp_path / "good.csv"
    good.write_text(header + "2020,Baja California,02,ENSENADA,02001,2,3,5\n"
                    "2020,Chiapas,07,Cintalapa,07017,1,1,2\n", encoding="utf-8")
    assert ingest(data_dir, "conapo_population", good) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "2020,Baja California,02,Ensenada,02001,2,3,5\n"
                   "2021,Baja California,02,Sonora,02001,2,3,5\n"
                   "2020,Chiapas,07,Cintalapa,07017,1,1,2\n", encoding="utf-8")
    detail = refused(data_dir, "conapo_population", bad)
    assert detail["line"] == 3 and "02001 named 'Sonora'" in detail["message"] and "'Ensenada'" in detail["message"]


def test_real_projections_match_the_real_catalogue_and_a_wrong_name_is_caught(tmp_path):
    """Every name of CONAPO's real projections names its code's entry in INEGI's real catalogue (19 differ in
    form, e.g. 'Heroica Ciudad de Juchitán de Zaragoza'); one replaced by 'Sonora' is refused."""
    catalogue = real_file("conapo", "cve_nom_municipios.csv")
    projections = real_file("conapo", "conapo_proyecciones_mun_2015-2030.csv")
    data_dir = tmp_path / "data"
    assert ingest(data_dir, "conapo_population", catalogue) == 0
    lines = projections.read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [lines[0]] + [ln for ln in lines[1:] if ln.startswith("2020,")]
    good = tmp_path / "conapo_2020.csv"
    good.write_text("".join(keep), encoding="utf-8")
    assert ingest(data_dir, "conapo_population", good) == 0
    target = next(i for i, ln in enumerate(keep) if ",02,Ensenada,02001," in ln)
    keep[target] = keep[target].replace(",Ensenada,", ",Sonora,")
    bad = tmp_path / "conapo_2020_bad.csv"
    bad.write_text("".join(keep), encoding="utf-8")
    detail = refused(data_dir, "conapo_population", bad)
    assert detail["line"] == target + 1 and "'Sonora'" in detail["message"] and "'Ensenada'" in detail["message"]


def test_a_real_file_cut_at_a_line_boundary_is_refused_then_accepted_on_request(tmp_path):
    real = real_file("cbp", "sbo-encounters-fy22-fy25-aug.csv")
    data_dir = tmp_path / "data"
    assert ingest(data_dir, "cbp_encounters", real) == 0
    lines = real.read_bytes().splitlines(keepends=True)
    assert len(lines) == 1 + 1936
    cut = tmp_path / "sbo-encounters-cut.csv"
    cut.write_bytes(b"".join(lines[: 1 + 967]))  # a clean cut: every line whole
    detail = refused(data_dir, "cbp_encounters", cut)
    message = detail["message"]
    assert "1,936 rows published, 967 in the new file (50.1% fewer)" in message
    # the months after the cut are named as lost: counted here from the two files themselves
    def months(path):
        df = pd.read_csv(path, dtype=str)
        fy = df["Fiscal Year"].str.extract(r"(\d{4})")[0].astype(int)
        month = pd.to_datetime(df["Month (abbv)"].str.title(), format="%b").dt.month
        return set(zip(fy - (month >= 10), month))
    lost = sorted(months(real) - months(cut))
    assert lost and f"({len(lost)} in all)" in message
    first = "%d-%02d" % lost[0]
    assert f"periods no longer in the file: {first}" in message
    assert "--accept-shrink" in message

    before = Warehouse(data_dir).current().id
    assert ingest(data_dir, "cbp_encounters", cut, "--accept-shrink") == 0
    release = Warehouse(data_dir).current()
    assert release.id != before and release.manifest["sources"]["cbp_encounters"]["rows"] == 967
    report = json.loads((release.path / "changes.json").read_text(encoding="utf-8"))
    accepted = report["accepted_shrink"]["cbp_encounters"]
    assert accepted[0]["rows_before"] == 1936 and accepted[0]["rows_after"] == 967
    assert len(accepted[0]["periods_lost"]) == len(lost) and accepted[0]["periods_lost"][0] == first


def test_a_fixture_cut_at_a_line_boundary_is_refused(published, tmp_path):
    lines = SOUTHWEST.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(b"".join(lines[:5]))  # 4 of 7 rows: November 2024 gone
    detail = refused(published, "cbp_encounters", cut)
    assert "7 rows published, 4 in the new file" in detail["message"] and "2024-11" in detail["message"]


def test_the_share_of_rows_a_file_may_remove_is_a_setting(published, tmp_path, monkeypatch):
    """Dropping one of 7 rows loses no month but 14% of the rows: refused at the default 5%, published at 20%."""
    lines = SOUTHWEST.read_bytes().splitlines(keepends=True)
    fewer = tmp_path / "fewer.csv"
    fewer.write_bytes(b"".join(lines[:2] + lines[3:]))  # a September row gone; September stays
    detail = refused(published, "cbp_encounters", fewer)
    assert "7 rows published, 6 in the new file (14.3% fewer)" in detail["message"]
    assert "periods no longer" not in detail["message"]
    monkeypatch.setenv("BORDERSTATS_MAX_SHRINK", "20")
    assert ingest(published, "cbp_encounters", fewer) == 0
    assert Warehouse(published).current().manifest["sources"]["cbp_encounters"]["rows"] == 6


def test_a_curated_file_of_the_repository_may_shrink(tmp_path):
    """The guard is for publishers' files: a curated table edited in this repository (reported figures) may lose
    rows on purpose."""
    from etl.config import reference_dir

    data_dir = tmp_path / "data"
    curated = reference_dir() / "reported_figures.csv"
    assert ingest(data_dir, "reported_figures", curated) == 0
    rows = pd.read_csv(curated, dtype=str, keep_default_na=False)
    fewer = tmp_path / "reported_figures.csv"
    rows.head(len(rows) // 2).to_csv(fewer, index=False)
    assert ingest(data_dir, "reported_figures", fewer) == 0
    release = Warehouse(data_dir).current()
    assert release.manifest["sources"]["reported_figures"]["rows"] == len(rows) // 2
    assert "accepted_shrink" not in json.loads((release.path / "changes.json").read_text(encoding="utf-8"))
