"""Place resolution: aliases, accents and case, homonyms by state, errors that list names."""
import pandas as pd
import pytest

from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer


def tiny() -> Gazetteer:
    rows = [
        ("05", "Coahuila de Zaragoza", "Coahuila de Zaragoza", "state", "MX", "Coahuila de Zaragoza", "05"),
        ("28", "Tamaulipas", "Tamaulipas", "state", "MX", "Tamaulipas", "28"),
        ("08", "Chihuahua", "Chihuahua", "state", "MX", "Chihuahua", "08"),
        ("28022", "Matamoros", "Matamoros", "municipality", "MX", "Tamaulipas", "28"),
        ("05017", "Matamoros", "Matamoros", "municipality", "MX", "Coahuila de Zaragoza", "05"),
        ("08037", "Ciudad Juárez", "Ciudad Juarez", "municipality", "MX", "Chihuahua", "08"),
    ]
    places = pd.DataFrame([dict(zip(PLACE_COLUMNS[:7], r)) for r in rows]).reindex(columns=PLACE_COLUMNS)
    aliases = pd.DataFrame([("Juárez", "08037", ""), ("Cd. Juárez", "08037", ""), ("Matamoros", "28022", "border"),
                            ("Coahuila", "05", "")], columns=["alias", "place_id", "note"])
    return Gazetteer(places, aliases)


@pytest.mark.parametrize("name", ["Juarez", "JUAREZ", "Cd. Juárez", "cd.juarez", "Ciudad Juarez", "ciudad  juárez"])
def test_aliases_accents_and_case(name):
    assert tiny().resolve(name) == "08037"


def test_homonyms_resolve_by_state():
    g = tiny()
    assert g.resolve("Matamoros", admin1="Tamaulipas") == "28022"
    assert g.resolve("Matamoros", admin1="Coahuila") == "05017"
    assert g.resolve("Matamoros", admin1="05") == "05017"
    assert g.resolve("Matamoros") == "28022"  # the curated alias: the border city
    assert g.resolve("Matamoros", admin1="Chihuahua") is None


def test_resolve_series_lists_every_unknown_name():
    g = tiny()
    names = pd.Series(["Juarez", "Atlantis", "Gotham", "Atlantis"])
    with pytest.raises(SourceError) as exc:
        g.resolve_series(names, column="city", lines=pd.Series([2, 3, 4, 5]))
    msg = str(exc.value)
    assert "'Atlantis'" in msg and "'Gotham'" in msg and "2 place name(s)" in msg
    assert exc.value.line == 3 and exc.value.column == "city"
    assert g.resolve_series(pd.Series(["Juarez", "Cd. Juárez"]), column="c").tolist() == ["08037", "08037"]


def test_bundled_gazetteer_has_the_border_cities_with_pairings(gazetteer):
    # the 13 border municipalities of DESIGN.md ("Border places"), west to east
    assert gazetteer.border_city_ids() == ("02004", "02003", "02002", "26055", "26043", "26002", "08037", "08052",
                                           "05002", "05025", "28027", "28032", "28022")
    for pid in gazetteer.border_city_ids():
        assert pid in gazetteer
        row = gazetteer.get(pid)
        assert row["kind"] == "municipality" and row["us_sector_id"].startswith("US-SEC-")
        assert row["us_port"] in gazetteer
    assert gazetteer.resolve("Juarez") == "08037"
    assert gazetteer.resolve("Big Bend, TX", kind="sector") == "US-SEC-BBT"
    assert gazetteer.resolve("rio grande valley", kind="sector") == "US-SEC-RGV"
    assert not gazetteer.places["place_id"].duplicated().any()


def test_nearest_border_city(gazetteer):
    # a point in El Paso, Texas is nearest to Ciudad Juárez
    out = gazetteer.nearest(pd.Series([31.7619, 0.0]), pd.Series([-106.4850, float("nan")]))
    assert out["nearest_place_id"].iloc[0] == "08037"
    assert 0 < out["distance_km"].iloc[0] < 10
    assert pd.isna(out["nearest_place_id"].iloc[1])
