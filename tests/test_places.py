"""Places carry their groups and their look: the border cities (west to east), the MPP cities, Compare's
defaults and one colour per city live in data/reference/places.csv, and every page, chart and export uses them.

The truth is places.csv read with the csv module (tests/support/places.py) and the list of border places and
MPP cities in the project's design notes, copied here; never the output of the code under test."""
from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl.config import REPO_ROOT
from etl.errors import SourceError
from etl.gazetteer import Gazetteer
from tests.support import places as ref
from tests.support.release import fixture_release

# DESIGN.md, "Border places": the 13 municipalities (INEGI codes) and the MPP receiving cities ("MPP returns
# went through San Ysidro (Tijuana), Calexico (Mexicali), El Paso (Juárez), Laredo (Nuevo Laredo), Brownsville
# (Matamoros), Eagle Pass (Piedras Negras) and Nogales").
DESIGN_BORDER = {"02004", "02003", "02002", "26055", "26043", "26002", "08037", "08052", "05002", "05025", "28027",
                 "28032", "28022"}
DESIGN_MPP = {"02004": "Tijuana", "02002": "Mexicali", "08037": "Juárez", "28027": "Nuevo Laredo",
              "28022": "Matamoros", "05025": "Piedras Negras", "26043": "Nogales"}
# the Compare page's default cities before they moved into places.csv: the behaviour to keep
COMPARE_DEFAULTS = ["02004", "02002", "08037", "28027", "28022", "05025"]
JUAREZ = "08037"


# ---------------------------------------------------------------- places.csv itself

def test_thirteen_border_cities_west_to_east_each_with_its_own_colour():
    rows = ref.border_rows()
    assert {r["place_id"] for r in rows} == DESIGN_BORDER and len(rows) == 13
    assert sorted(int(r["border_order"]) for r in rows) == list(range(1, 14))  # a permutation of 1..13
    lons = [float(r["lon"]) for r in rows]
    assert all(west < east for west, east in zip(lons, lons[1:]))  # increasing eastwards
    colours = [r["colour"] for r in rows]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert len({c.upper() for c in colours}) == 13
    assert all(r["short_name"] and r["label_position"] for r in rows)


def test_mpp_cities_are_the_seven_of_the_design_notes():
    assert set(ref.mpp_ids()) == set(DESIGN_MPP)
    for r in ref.border_rows():
        assert r["mpp_city"] in ("true", "false")
        if r["mpp_city"] == "true":
            assert DESIGN_MPP[r["place_id"]] in r["name"]


def test_compare_defaults_keep_todays_selection_and_other_places_have_no_group():
    ordered = sorted((r for r in ref.border_rows() if r["default_compare"]), key=lambda r: int(r["default_compare"]))
    assert [r["place_id"] for r in ordered] == COMPARE_DEFAULTS
    for r in ref.rows():
        if not r["border_order"]:
            assert not any(r[c] for c in ref.GROUP_COLUMNS), r["place_id"]


def test_the_schema_declares_every_group_column_and_names_the_palette():
    from etl.schema import FIELDS, TABLES

    with open(ref.PLACES_CSV, encoding="utf-8") as f:
        header = next(csv.reader(f))
    for col in ref.GROUP_COLUMNS:
        assert col in header and col in TABLES["places"].fields and FIELDS[col].description
    colour = FIELDS["colour"].description
    assert "Paul Tol" in colour and "muted" in colour and "Okabe" in colour and "https://" in colour
    assert FIELDS["border_order"].minimum == 1 and FIELDS["border_order"].maximum == 13
    assert FIELDS["mpp_city"].type == "boolean" and "top center" in FIELDS["label_position"].enum


# ---------------------------------------------------------------- the ETL refuses a bad places.csv

def _reference_copy(tmp_path: Path, edit) -> Path:
    """A copy of data/reference with one change to places.csv: `edit(rows)` on its rows (header first)."""
    target = tmp_path / "reference"
    shutil.copytree(REPO_ROOT / "data" / "reference", target)
    with open(target / "places.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (target / "places.csv").write_text(out.getvalue(), encoding="utf-8")
    return target


def _line_of(rows, place_id: str) -> int:
    return next(i for i, r in enumerate(rows, start=1) if r[0] == place_id)


def _set(rows, place_id: str, column: str, value: str) -> int:
    col = rows[0].index(column)
    line = _line_of(rows, place_id)
    rows[line - 1][col] = value
    return line


@pytest.mark.parametrize("bad", ["#12345", "red", "#GG0000", "0072B2"])
def test_a_bad_colour_is_an_error_naming_the_line(tmp_path, bad):
    lines = []
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "28032", "colour", bad)))
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.line == lines[0] and exc.value.column == "colour" and exc.value.file == "places.csv"
    assert f"line {lines[0]}" in str(exc.value) or str(lines[0]) in str(exc.value)


def test_two_cities_with_one_colour_is_an_error(tmp_path):
    lines = []
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "28032", "colour",
                                                                          ref.colour(JUAREZ))))
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.line == lines[0] and exc.value.column == "colour"


def test_a_duplicate_border_order_is_an_error_naming_the_line(tmp_path):
    lines = []
    # Reynosa (12) given Matamoros's 13: a duplicate, and 12 is missing
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "28032", "border_order", "13")))
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.column == "border_order" and "twice" in str(exc.value)
    assert exc.value.line in (lines[0], _line_of_csv(ref_dir, "28022"))


def _line_of_csv(ref_dir: Path, place_id: str) -> int:
    with open(ref_dir / "places.csv", encoding="utf-8", newline="") as f:
        return _line_of(list(csv.reader(f)), place_id)


@pytest.mark.parametrize("column, value", [("mpp_city", "yes"), ("label_position", "upper left"),
                                           ("border_order", "first"), ("default_compare", "0")])
def test_other_bad_group_values_are_errors_naming_the_line(tmp_path, column, value):
    lines = []
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "05002", column, value)))
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.line == lines[0] and exc.value.column == column


def test_a_colour_on_a_place_that_is_no_border_city_is_an_error(tmp_path):
    lines = []
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "US-SEC-TCA", "colour", "#123456")))
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.line == lines[0]


def test_the_refresh_refuses_a_bad_places_file_and_publishes_nothing(tmp_path, monkeypatch):
    from etl import pipeline
    from etl.warehouse import Warehouse

    lines = []
    ref_dir = _reference_copy(tmp_path, lambda rows: lines.append(_set(rows, "02003", "colour", "#zzzzzz")))
    monkeypatch.setenv("BORDERSTATS_REFERENCE_DIR", str(ref_dir))
    with pytest.raises(SourceError) as exc:
        pipeline.run(tmp_path / "data", source_ids=["reported_figures"])
    assert exc.value.line == lines[0] and "places.csv" in str(exc.value)
    assert Warehouse(tmp_path / "data").current() is None


# ---------------------------------------------------------------- one colour per city everywhere

@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from dashboard.app import create_app

    root = tmp_path_factory.mktemp("places")
    create_app(fixture_release(root / "data", root / "mirror"))
    from dashboard import data_access
    return data_access.current()


def test_the_release_publishes_the_groups_as_in_places_csv(release):
    published = release.release.read("places").set_index("place_id")
    for r in ref.border_rows():
        row = published.loc[r["place_id"]]
        assert int(row["border_order"]) == int(r["border_order"]) and row["colour"] == r["colour"]
        assert bool(row["mpp_city"]) == (r["mpp_city"] == "true") and row["short_name"] == r["short_name"]
        assert row["label_position"] == r["label_position"]
    others = published[published["border_order"].isna()]
    assert len(others) and others["colour"].isna().all() and others["mpp_city"].isna().all()
    schema = {t["name"]: t for t in _datapackage(release)["resources"]}["places"]["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert "Paul Tol" in fields["colour"]["description"] and fields["border_order"]["type"] == "integer"


def _datapackage(release) -> dict:
    import json
    return json.loads((release.release.path / "datapackage.json").read_text(encoding="utf-8"))


def test_release_accessors_read_the_groups(release):
    assert release.border_cities() == ref.border_ids()
    assert set(release.mpp_cities()) == set(DESIGN_MPP) and release.mpp_cities() == ref.mpp_ids()
    assert list(release.default_cities()) == COMPARE_DEFAULTS
    assert release.city_colour(JUAREZ) == ref.colour(JUAREZ)
    assert release.colours() == {r["place_id"]: r["colour"] for r in ref.border_rows()}
    assert release.short_name(JUAREZ) == "Ciudad Juárez"


def _trace_colour(trace: dict) -> str | None:
    return (trace.get("line") or {}).get("color") or (trace.get("marker") or {}).get("color")


def _colours_by_name(figure: dict, name: str) -> set[str]:
    return {_trace_colour(t) for t in figure["data"] if t.get("name") == name}


def _bar_colour(figure: dict, label_start: str) -> str:
    bar = next(t for t in figure["data"] if t.get("type") == "bar")
    i = next(i for i, y in enumerate(bar["y"]) if str(y).startswith(label_start))
    return bar["marker"]["color"][i]


@pytest.mark.parametrize("query", [
    {},  # the six default cities, Juárez third
    {"cities": "08037,02004,28022,05025"},  # four cities, Juárez first
    {"cities": "02003,26055,08037"},  # with cities that are not in the default
])
def test_juarez_has_its_colour_on_every_compare_chart_whatever_is_selected(release, query):
    from dashboard.export import registry

    truth = ref.colour(JUAREZ)
    monthly = registry.build("compare-monthly", query).figure
    assert _colours_by_name(monthly, "Ciudad Juárez") == {truth}
    bars = registry.build("compare-homicides", {**query, "year": "2019"}).figure
    assert _bar_colour(bars, "Ciudad Juárez") == truth
    # every city drawn has its own colour from places.csv
    for trace in monthly["data"]:
        pid = next(r["place_id"] for r in ref.border_rows() if r["short_name"] == trace["name"])
        assert _trace_colour(trace) == ref.colour(pid)
    mpp = registry.build("compare-mpp", query).figure
    drawn = [t for t in mpp["data"] if t.get("name") == "Ciudad Juárez" and t.get("mode") != "text"]
    assert drawn and all(t["marker"]["color"] == truth for t in drawn)


def test_the_same_colour_on_violence_and_the_map(release):
    from dashboard.export import registry

    truth = ref.colour(JUAREZ)
    for query in ({"measure": "count", "freq": "month"},
                  {"measure": "count", "freq": "month", "places": "08037,28032"}):
        fig = registry.build("violence-homicides", query).figure
        assert _colours_by_name(fig, "Ciudad Juárez") == {truth}
        tijuana = _colours_by_name(fig, "Tijuana")
        assert tijuana in (set(), {ref.colour("02004")})
    # states keep a palette: no city colour is forced on them
    states = registry.build("violence-homicides", {"level": "state", "places": "02,08", "measure": "count",
                                                   "freq": "month"}).figure
    assert all("line" not in t or "color" not in t["line"] for t in states["data"])
    geo = registry.build("map", {"metric": "population"}).figure
    cities = next(t for t in geo["data"] if t.get("customdata") and JUAREZ in t["customdata"]
                  and t.get("name") != "No data")
    outline = cities["marker"]["line"]["color"]
    for pid, colour in zip(cities["customdata"], outline):
        assert colour == ref.colour(pid)
    positions = dict(zip(cities["customdata"], cities["textposition"]))
    assert positions[JUAREZ] == next(r["label_position"] for r in ref.border_rows() if r["place_id"] == JUAREZ)


def test_the_page_draws_what_the_export_draws(release):
    from dashboard.views import compare as cb

    out = cb.render(["08037", "02004"], "2019", 50, "iom", "shared", [], "city", "asc")
    monthly = out[10]
    assert _colours_by_name(monthly, "Ciudad Juárez") == {ref.colour(JUAREZ)}


def test_url_choices_come_from_the_places_table(release):
    from dashboard import urlstate
    from dashboard.views import compare, violence

    cities = next(p for p in compare.params() if p.name == "cities")
    assert list(cities.default) == COMPARE_DEFAULTS and tuple(cities.allowed()) == ref.border_ids()
    assert urlstate.parse({"cities": "08037,28032"}, compare.params()).notices == []
    assert urlstate.parse({"cities": "08037,99999"}, compare.params()).notices
    places = next(p for p in violence.params() if p.name == "places")
    assert set(places.default) == set(DESIGN_MPP)
    assert set(ref.border_ids()) <= set(places.allowed()) and "08" in places.allowed()
    assert "08001" not in places.allowed()  # a municipality that is not on the border


# ---------------------------------------------------------------- without a release, or an old one

def test_without_a_release_the_bundled_places_answer(tmp_path, monkeypatch):
    from dashboard import data_access

    monkeypatch.setitem(data_access._settings, "data_dir", tmp_path / "empty")
    assert data_access.current() is None
    assert data_access.border_cities() == ref.border_ids()
    assert set(data_access.mpp_cities()) == set(DESIGN_MPP)
    assert list(data_access.default_cities()) == COMPARE_DEFAULTS
    assert data_access.city_colour(JUAREZ) == ref.colour(JUAREZ)


def test_a_release_published_before_places_had_groups_gets_them_from_the_bundled_file():
    from dashboard.data_access import ReleaseData

    class OldRelease:
        id = "old"
        path = Path("/nonexistent/old")
        manifest: dict = {}

        def tables(self):
            return ["places"]

        def read(self, name, columns=None, *, categories=False):
            return pd.DataFrame({"place_id": ["08037", "08"], "name": ["Ciudad Juárez", "Chihuahua"],
                                 "kind": ["municipality", "state"]})

    data = ReleaseData(OldRelease())
    assert data.border_cities() == ("08037",) and data.city_colour(JUAREZ) == ref.colour(JUAREZ)
    assert data.mpp_cities() == ("08037",)


def test_the_colour_pattern_is_part_of_the_published_contract():
    """The schema's pattern on `colour` is checked by table validation and declared in datapackage.json."""
    import pandas as pd

    from etl.datapackage import field_descriptor
    from etl.errors import SourceError
    from etl.schema import FIELDS, conform
    from etl.validate import validate

    assert field_descriptor(FIELDS["colour"])["constraints"]["pattern"] == FIELDS["colour"].pattern
    row = {"place_id": "02004", "name": "Tijuana", "kind": "municipality", "country": "MX", "source_id": "gazetteer",
           "dataset": "gazetteer", "border_order": 1, "colour": "#D55E00"}
    validate(conform(pd.DataFrame([row]), "places"), "places")
    with pytest.raises(SourceError, match="colour"):
        validate(conform(pd.DataFrame([{**row, "colour": "red"}]), "places"), "places")


# ---------------------------------------------------------------- paired sector and field office (issue 12)

# CBP's organisation of its Southwest border ports into field offices, by port name (the list)
FIELD_OFFICE_OF_PORT = {"San Ysidro": "San Diego", "Tecate": "San Diego", "Calexico": "San Diego",
                        "San Luis": "Tucson", "Nogales": "Tucson", "Douglas": "Tucson",
                        "El Paso": "El Paso", "Presidio": "El Paso",
                        "Del Rio": "Laredo", "Eagle Pass": "Laredo", "Laredo": "Laredo", "Hidalgo": "Laredo",
                        "Brownsville": "Laredo"}


def test_every_border_city_resolves_to_its_paired_sector_and_field_office():
    with open(REPO_ROOT / "data" / "reference" / "places.csv", encoding="utf-8", newline="") as f:
        rows = {r["place_id"]: r for r in csv.DictReader(f)}
    offices = {r["name"]: pid for pid, r in rows.items() if r["kind"] == "field_office"}
    gaz = Gazetteer.load(REPO_ROOT / "data" / "reference")
    for r in ref.border_rows():
        port = rows[r["us_port_id"]]
        expected = (r["us_sector_id"], offices[FIELD_OFFICE_OF_PORT[port["name"]]])
        assert gaz.paired_us_areas(r["place_id"]) == expected, r["name"]
        assert port["field_office_source"].strip(), port["name"]  # every pairing names where it comes from
    assert gaz.paired_us_areas("US-SEC-TCA") == (None, None)  # a place that is no city has no pairing
    with pytest.raises(KeyError):
        gaz.paired_us_areas("99999")


@pytest.mark.parametrize("place_id, value, source", [
    ("US-SEC-TCA", "US-FO-TUCSON", "a source"),  # only ports belong to a field office
    ("US-POE-2604", "US-SEC-TCA", "a source"),  # not a field office
    ("US-POE-2604", "US-FO-TUCSON", ""),  # without its source
])
def test_a_bad_field_office_is_an_error_naming_the_line(tmp_path, place_id, value, source):
    lines = []

    def edit(rows):
        lines.append(_set(rows, place_id, "field_office_id", value))
        _set(rows, place_id, "field_office_source", source)

    ref_dir = _reference_copy(tmp_path, edit)
    with pytest.raises(SourceError) as exc:
        Gazetteer.load(ref_dir)
    assert exc.value.line == lines[0] and exc.value.file == "places.csv"
    assert exc.value.column in ("field_office_id", "field_office_source")
