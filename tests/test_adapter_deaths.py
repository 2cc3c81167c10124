"""Migrant deaths: IOM Missing Migrants (etl/adapters/iom_missing_migrants.py) and Pima County OME (etl/adapters/pcome_remains.py).

The PCOME file holds names of dead people: these tests use made-up names only, and the real-file
tests compare names in memory without ever printing them.
"""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from etl.adapters import Context, get_adapter
from etl.adapters import iom_missing_migrants as iom, pcome_remains as pcome
from etl.adapters.pcome_remains import is_personal, redact, withhold_values
from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer
from etl.readers import read_delimited
from etl.values import parse_coordinates, parse_dates
from tests.conftest import FIXTURES, real_file
from tests.support.fixtures import raised_by, write

IOM_FIX = FIXTURES / "iom_missing_migrants" / "incidents.csv"
PCOME_FIX = FIXTURES / "pcome_remains" / "records.csv"
MADE_UP_NAMES = ("Doe, John", "Roe, Jane", "Moe, Richard Q.")

CITIES = [  # id, name, state, lat, lon
    ("02004", "Tijuana", "Baja California", 32.5149, -117.0382),
    ("26055", "San Luis Río Colorado", "Sonora", 32.4561, -114.7719),
    ("26043", "Nogales", "Sonora", 31.3086, -110.9422),
    ("08037", "Juárez", "Chihuahua", 31.6904, -106.4245),
    ("28032", "Reynosa", "Tamaulipas", 26.0922, -98.2779),
]


@pytest.fixture(scope="module")
def tiny_ctx() -> Context:
    rows = [[pid, name, name, "municipality", "MX", st, pid[:2], lat, lon, "", "", "test"]
            for pid, name, st, lat, lon in CITIES]
    aliases = pd.DataFrame(columns=["alias", "place_id", "note"])
    places = pd.DataFrame(rows, columns=PLACE_COLUMNS).assign(border_order=range(1, len(rows) + 1))  # all border cities
    return Context(Gazetteer(places, aliases))


def error_of(module, path, ctx) -> SourceError:
    return raised_by(module.parse)(path, ctx)


def test_registered_under_their_adapter_names():
    assert get_adapter("iom_missing_migrants") is iom.parse
    assert get_adapter("pcome_remains") is pcome.parse


# =========================================================================== shared helpers


def test_parse_coordinates_point_and_lat_lon():
    values = pd.Series(["POINT (-110.95 31.35)", "32.52, -117.03", "", "point(-98.3 26.1)"])
    lat, lon = parse_coordinates(values, column="coordinates", lines=pd.Series([2, 3, 4, 5]))
    assert lat.tolist()[:2] == [31.35, 32.52] and lon.tolist()[:2] == [-110.95, -117.03]
    assert pd.isna(lat[2]) and pd.isna(lon[2])
    assert (lat[3], lon[3]) == (26.1, -98.3)


@pytest.mark.parametrize("bad", ["POINT (-110.95)", "POINT (-110.95 31.35", "31.35 -110.95 7", "north"])
def test_parse_coordinates_malformed(bad):
    with pytest.raises(SourceError) as info:
        parse_coordinates(pd.Series(["POINT (1 2)", bad]), column="coordinates", lines=pd.Series([2, 3]))
    assert info.value.line == 3 and info.value.column == "coordinates"


def test_parse_coordinates_out_of_range():
    with pytest.raises(SourceError) as info:
        parse_coordinates(pd.Series(["POINT (-110 31)", "POINT (-110 131)"]), column="coordinates",
                          lines=pd.Series([2, 3]))
    assert info.value.line == 3 and "latitude" in info.value.message


def test_parse_dates_formats_and_errors():
    lines = pd.Series([2, 3, 4, 5])
    got = parse_dates(pd.Series(["2019-01-06", "01/07/2019", "", "2019-01-06 00:00:00"]), column="d", lines=lines,
                      allow_missing=True)
    assert got.tolist()[:2] == [pd.Timestamp("2019-01-06"), pd.Timestamp("2019-01-07")]
    assert pd.isna(got[2]) and got[3] == pd.Timestamp("2019-01-06")
    for bad, what in (("2019-13-45", "not a date"), ("1899-12-31", "before 1900"),
                      ((pd.Timestamp.today() + pd.Timedelta(days=2)).strftime("%Y-%m-%d"), "future")):
        with pytest.raises(SourceError) as info:
            parse_dates(pd.Series(["2019-01-06", bad]), column="d", lines=pd.Series([2, 3]), allow_missing=True)
        assert info.value.line == 3 and what in info.value.message
    with pytest.raises(SourceError) as info:
        parse_dates(pd.Series(["2019-01-06", ""]), column="d", lines=pd.Series([2, 3]), allow_missing=False)
    assert info.value.line == 3 and "empty" in info.value.message


# =========================================================================== IOM


def iom_text() -> str:
    return IOM_FIX.read_bytes().decode("utf-8-sig")


def iom_replace(tmp_path, old: str, new: str):
    text = iom_text()
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def test_iom_fixture(tiny_ctx):
    (out,) = iom.parse(IOM_FIX, tiny_ctx)
    assert out.table == "migrant_deaths" and out.dataset == "iom_us_mexico_border"
    df = out.frame.set_index("incident_id")
    assert list(out.frame.columns) == ["dataset", "incident_id", "date", "lat", "lon", "dead", "missing", "cause",
                                       "nearest_place_id", "distance_km", "source_id", "_line"]
    assert sorted(df.index) == ["2019.MMP00001", "2019.MMP00002", "2019.MMP00004", "2019.MMP00005"]  # route filter
    assert int(df["dead"].sum() + df["missing"].sum()) == 9
    assert (df.loc["2019.MMP00004", "dead"], df.loc["2019.MMP00004", "missing"]) == (0, 2)  # empty dead -> 0
    assert (df.loc["2019.MMP00001", "dead"], df.loc["2019.MMP00001", "missing"]) == (1, 0)  # empty missing -> 0
    assert pd.isna(df.loc["2019.MMP00004", "date"]) and pd.isna(df.loc["2019.MMP00004", "lat"])
    assert pd.isna(df.loc["2019.MMP00004", "nearest_place_id"])
    assert df.loc["2019.MMP00001", "date"] == pd.Timestamp("2019-01-06")
    assert (df.loc["2019.MMP00001", "lat"], df.loc["2019.MMP00001", "lon"]) == (31.35, -110.95)
    assert df.loc["2019.MMP00001", "nearest_place_id"] == "26043"
    assert 0 < df.loc["2019.MMP00001", "distance_km"] < 10
    assert df.loc["2019.MMP00002", "nearest_place_id"] == "28032"
    assert (df.loc["2019.MMP00005", "lat"], df.loc["2019.MMP00005", "nearest_place_id"]) == (32.52, "02004")
    assert df.loc["2019.MMP00004", "cause"].startswith("Harsh environmental conditions")
    assert any("without an incident date" in n for n in out.notes)
    assert not {"url", "article title"} & set(out.frame.columns)


def test_iom_bom_is_not_required(tmp_path, tiny_ctx):
    (a,) = iom.parse(IOM_FIX, tiny_ctx)
    (b,) = iom.parse(write(tmp_path, iom_text().replace("\n", "\r\n")), tiny_ctx)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_iom_total_must_equal_dead_plus_missing(tmp_path, tiny_ctx):
    path = iom_replace(tmp_path, "February,2,3,5,", "February,2,3,6,")
    err = error_of(iom, path, tiny_ctx)
    assert err.line == 3 and err.column == "total number of dead and missing"


def test_iom_malformed_point(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "POINT (-98.30 26.10)", "POINT (-98.30,26.10)"), tiny_ctx)
    assert err.line == 3 and err.column == "coordinates"


def test_iom_negative_count(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "February,2,3,5,", "February,-2,3,1,"), tiny_ctx)
    assert err.line == 3 and err.column == "number of dead" and "negative" in err.message


def test_iom_incident_without_anyone(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "January,1,,1,", "January,,,,"), tiny_ctx)
    assert err.line == 2 and "no dead and no missing" in err.message


def test_iom_duplicate_incident(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "2019.MMP00005,2019.MMP00005", "2019.MMP00001,2019.MMP00005"), tiny_ctx)
    assert "lines 2 and 5" in err.message


def test_iom_bad_and_future_dates(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "2019-02-10", "2019-02-30"), tiny_ctx)
    assert err.line == 3 and err.column == "incident date"
    err = error_of(iom, iom_replace(tmp_path, "2019-02-10", "2999-02-10"), tiny_ctx)
    assert err.line == 3 and "future" in err.message


def test_iom_route_renamed_is_an_error(tmp_path, tiny_ctx):
    text = iom_text().replace('"US-Mexico border crossing"', '"Americas"')
    err = error_of(iom, write(tmp_path, text), tiny_ctx)
    assert "no incident on the route" in err.message and "Americas" in err.message


def test_iom_multi_route_rows_keep_their_border_part(tmp_path, tiny_ctx):
    """IOM lists an incident on several routes comma-separated: the US-Mexico part is kept, a look-alike is not."""
    text = iom_text().replace('"US-Mexico border crossing"', '"Central Mediterranean,US-Mexico border crossing"', 1)
    text = text.replace('"US-Mexico border crossing"', '"US-Mexico border crossing , Western Mediterranean"', 1)
    text = text.replace('"US-Mexico border crossing"', '"Central America to US-Mexico border crossings"', 1)
    (out,) = iom.parse(write(tmp_path, text), tiny_ctx)
    assert sorted(out.frame["incident_id"]) == ["2019.MMP00001", "2019.MMP00002", "2019.MMP00005"]
    assert any("3 incidents on the route" in n for n in out.notes)


def test_iom_real_file_multi_route_people(ctx):
    """The people in the real file's multi-route rows that name the border route, counted from the CSV text
    with the csv module (independent of the adapter), are all in the release beside the exact-route ones."""
    path = real_file("iom", "imo_data_original.csv")
    exact = combined = 0
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
        routes = [r.strip() for r in row["Migration route"].split(",")]
        people = int(row["Total Number of Dead and Missing"] or 0)
        if row["Migration route"].strip() == "US-Mexico border crossing":
            exact += people
        elif "US-Mexico border crossing" in routes:
            combined += people
    assert (exact, combined) == (3_675, 11)  # README's printed total; the 11 people in combined rows
    (out,) = iom.parse(path, ctx)
    assert int(out.frame["dead"].sum() + out.frame["missing"].sum()) == exact + combined


def test_iom_missing_column(tmp_path, tiny_ctx):
    err = error_of(iom, iom_replace(tmp_path, "Coordinates,", "Coords,"), tiny_ctx)
    assert "unknown file layout" in err.message and "coordinates" in err.message and "coords" in err.message


def test_iom_empty_cut_html_short(tmp_path, tiny_ctx):
    assert "empty" in error_of(iom, write(tmp_path, b""), tiny_ctx).message
    assert "no header" in error_of(iom, write(tmp_path, b"\xef\xbb\xbf"), tiny_ctx).message  # BOM only
    text = iom_text()
    cut = error_of(iom, write(tmp_path, text[: text.index("2019.MMP00004") + 30]), tiny_ctx)
    assert cut.line == 4 and "cut" in cut.message
    html = error_of(iom, write(tmp_path, "<!DOCTYPE html>\n<html><head><title>Access denied</title></head></html>\n"),
                    tiny_ctx)
    assert "HTML" in html.message
    short = error_of(iom, write(tmp_path, text + "2019.MMP00009,2019.MMP00009,Incident\n"), tiny_ctx)
    assert short.line == 7 and "fields" in short.message


def test_iom_wrong_encoding(tmp_path, tiny_ctx):
    data = iom_text().encode("utf-8").replace(b"Made-up source", b"Made\x81up source", 1)
    err = error_of(iom, write(tmp_path, data), tiny_ctx)
    assert "neither UTF-8 nor Windows-1252" in err.message and err.line == 2


def test_iom_real_file_conformance(ctx):
    path = real_file("iom", "imo_data_original.csv")
    (out,) = iom.parse(path, ctx)
    df = out.frame
    # the README's 2,696 incidents / 3,675 people on the exact route, plus one multi-route incident of 11 people
    assert len(df) == 2_696 + 1 and df["incident_id"].is_unique
    assert int(df["dead"].sum() + df["missing"].sum()) == 3_675 + 11
    assert df["date"].min() >= pd.Timestamp("2014-01-01")
    located = df["lat"].notna()
    assert located.sum() > 2_600 and df.loc[located, "nearest_place_id"].notna().all()


# =========================================================================== PCOME


def pcome_text() -> str:
    return PCOME_FIX.read_bytes().decode("utf-8")


def pcome_replace(tmp_path, old: str, new: str):
    text = pcome_text()
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def assert_no_names(err: SourceError) -> None:
    for name in MADE_UP_NAMES:
        for part in name.replace(",", " ").split():
            if len(part) > 2:
                assert part not in str(err), "a name reached an error message"


def test_is_personal():
    assert is_personal("Name") and is_personal("NAME") and is_personal(" name ") and is_personal("Decedent Name")
    assert is_personal("Nombre")
    assert not is_personal("ML Number") and not is_personal("Location") and not is_personal("Cause of Death")


def test_pcome_fixture(tiny_ctx):
    (out,) = pcome.parse(PCOME_FIX, tiny_ctx)
    assert out.table == "migrant_deaths" and out.dataset == "pcome_remains"
    df = out.frame.set_index("incident_id")
    assert sorted(df.index) == ["19-00001", "19-00002", "19-00003", "20-00004"]
    assert (df["dead"] == 1).all() and (df["missing"] == 0).all()
    assert df.loc["19-00001", "date"] == pd.Timestamp("2019-01-10")
    assert (df.loc["19-00001", "lat"], df.loc["19-00001", "lon"]) == (31.40, -111.00)
    assert df.loc["19-00001", "nearest_place_id"] == "26043"
    assert df.loc["20-00004", "nearest_place_id"] == "26055"
    assert pd.isna(df.loc["19-00003", "lat"]) and pd.isna(df.loc["19-00003", "nearest_place_id"])
    assert df.loc["19-00002", "cause"] == "Skeletal Remains"
    # no name anywhere in the output frame
    cells = set(out.frame.astype(str).to_numpy().ravel())
    assert not cells & set(MADE_UP_NAMES)
    assert not [c for c in out.frame.columns if "name" in c]


def test_pcome_errors_never_quote_values(tmp_path, tiny_ctx):
    # a name shifted into the date column (as a stray delimiter could do) must not reach the message
    err = error_of(pcome, pcome_replace(tmp_path, '"2019-02-22"', '"Roe Jane"'), tiny_ctx)
    assert err.line == 3 and err.column == "reporting date" and "withheld" in err.message
    assert_no_names(err)
    err = error_of(pcome, pcome_replace(tmp_path, '"32.10"', '"Doe John"'), tiny_ctx)
    assert err.line == 3 and err.column == "latitude"
    assert_no_names(err)


def test_pcome_short_row_names_line_only(tmp_path, tiny_ctx):
    text = pcome_text() + '"21-00005","Doe, John","male"\r\n'
    err = error_of(pcome, write(tmp_path, text), tiny_ctx)
    assert err.line == 6 and "fields" in err.message
    assert_no_names(err)


def test_pcome_duplicate_case_number(tmp_path, tiny_ctx):
    err = error_of(pcome, pcome_replace(tmp_path, '"20-00004"', '"19-00001"'), tiny_ctx)
    assert "lines 2 and 5" in err.message
    assert_no_names(err)


def test_pcome_only_one_coordinate(tmp_path, tiny_ctx):
    err = error_of(pcome, pcome_replace(tmp_path, '"32.10","-112.80"', '"32.10",""'), tiny_ctx)
    assert err.line == 3 and err.column == "longitude"


def test_pcome_out_of_range_and_future(tmp_path, tiny_ctx):
    err = error_of(pcome, pcome_replace(tmp_path, '"-112.80"', '"-212.80"'), tiny_ctx)
    assert err.line == 3 and err.column == "longitude"
    err = error_of(pcome, pcome_replace(tmp_path, '"2019-02-22"', '"2999-02-22"'), tiny_ctx)
    assert err.line == 3 and "future" in err.message


def test_pcome_missing_column_and_renamed_name_column(tmp_path, tiny_ctx):
    err = error_of(pcome, pcome_replace(tmp_path, '"Reporting Date"', '"Report Date"'), tiny_ctx)
    assert "unknown file layout" in err.message and "date" in err.message
    # a renamed name column is still recognised as personal and dropped, never an output column
    (out,) = pcome.parse(pcome_replace(tmp_path, '"Name"', '"Decedent Name"'), tiny_ctx)
    assert len(out.frame) == 4


def test_pcome_without_name_column(tmp_path, tiny_ctx):
    # the stored raw copy is redacted: it must parse the same
    (a,) = pcome.parse(PCOME_FIX, tiny_ctx)
    (b,) = pcome.parse(write(tmp_path, redact(PCOME_FIX.read_bytes())), tiny_ctx)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_pcome_empty_cut_html_encoding(tmp_path, tiny_ctx):
    assert "empty" in error_of(pcome, write(tmp_path, b"\r\n"), tiny_ctx).message
    text = pcome_text()
    cut = error_of(pcome, write(tmp_path, text[:-30]), tiny_ctx)
    assert cut.line == 5 and "cut" in cut.message
    assert_no_names(cut)
    html = error_of(pcome, write(tmp_path, "<html><head><title>Error</title></head></html>\r\n"), tiny_ctx)
    assert "HTML" in html.message
    enc = error_of(pcome, write(tmp_path, text.encode().replace(b"Made-up ranch", b"Made\x8dup ranch")), tiny_ctx)
    assert "neither UTF-8 nor Windows-1252" in enc.message and enc.line == 3


def test_withhold_values():
    err = withhold_values(SourceError("value 'Doe, John' is not a number", line=3, column="age", file="x.csv"))
    assert "Doe" not in str(err) and err.line == 3 and err.column == "age" and err.file == "x.csv"
    err = withhold_values(SourceError("malformed CSV (CSV parse error: row 00-1,Doe, John)", line=None))
    assert "Doe" not in str(err)


# --------------------------------------------------------------------------- redact


def test_redact_removes_names():
    original = PCOME_FIX.read_bytes()
    assert all(n.encode() in original for n in MADE_UP_NAMES)
    out = redact(original)
    for name in MADE_UP_NAMES:
        assert name.encode() not in out
        for part in name.replace(",", " ").split():
            if len(part) > 2:
                assert part.encode() not in out
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["ML Number", "Sex", "Age"] and "Name" not in rows[0]
    assert len(rows) == 5 and all(len(r) == 20 for r in rows)
    assert out.count(b"\r\n") == 5 and not out.startswith(b"\xef\xbb\xbf")
    assert rows[3][0] == "19-00003" and rows[3][3] == "2019-03-05"  # other values untouched


@pytest.mark.parametrize("variant", ["cp1252_semicolon_lf", "bom_upper", "gzip"])
def test_redact_any_encoding_and_spelling(variant):
    text = PCOME_FIX.read_bytes().decode("utf-8").replace("Doe, John", "Doñe, John")
    if variant == "cp1252_semicolon_lf":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        buf = io.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
        data = buf.getvalue().encode("cp1252")
    elif variant == "bom_upper":
        data = b"\xef\xbb\xbf" + text.replace('"Name"', '"NAME"').encode()
    else:
        import gzip
        data = gzip.compress(text.encode())
    out = redact(data)
    assert "Doñe".encode() not in out and b"Roe" not in out and b"Moe" not in out
    assert b"19-00002" in out and b"Made-up ranch" in out


def test_redact_twice_is_harmless():
    once = redact(PCOME_FIX.read_bytes())
    assert redact(once) == once


def test_redact_unparseable_raises_without_names():
    text = PCOME_FIX.read_bytes().decode("utf-8")
    for bad in (b"", b"<!DOCTYPE html><html></html>\n", text[:-10].encode(),
                (text + '"21-00005","Doe, John"\r\n').encode()):
        with pytest.raises(SourceError) as info:
            redact(bad)
        assert_no_names(info.value)


# --------------------------------------------------------------------------- real file (names never printed)


def test_pcome_real_file(ctx):
    path = real_file("pcome", "ogis_data_original.csv")
    (out,) = pcome.parse(path, ctx)
    df = out.frame
    assert len(df) == 3_857 and df["incident_id"].is_unique
    assert df["date"].min() >= pd.Timestamp("1981-01-01") and df["date"].max() < pd.Timestamp("2023-01-01")
    assert df["nearest_place_id"].notna().sum() == df["lat"].notna().sum()
    assert not [c for c in df.columns if "name" in c]


def test_pcome_real_file_redacted_holds_no_name():
    path = real_file("pcome", "ogis_data_original.csv")
    original = read_delimited(path)
    names = set(original["name"].astype(str).str.strip()) - {""}
    redacted_bytes = redact(path.read_bytes())
    redacted = read_delimited("redacted.csv", data=redacted_bytes)
    assert "name" not in redacted.columns
    assert len(redacted) == len(original)
    cells = set(redacted.drop(columns="_line").astype(str).to_numpy().ravel())
    leaked_cells = len(names & cells)
    text = redacted_bytes.decode("utf-8")
    # "Last, First"-style names must not appear anywhere, not even inside another cell
    leaked_text = sum(1 for n in names if ("," in n or " " in n) and n in text)
    assert leaked_cells == 0 and leaked_text == 0  # counts only: never show a name


def test_pcome_unforeseen_library_error_is_opaque(tmp_path, tiny_ctx, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError("Unknown string format: Doe, John")

    monkeypatch.setattr(pcome, "parse_dates", boom)
    err = error_of(pcome, PCOME_FIX, tiny_ctx)
    assert "ValueError" in err.message and "withheld" in err.message and err.file == "records.csv"
    assert_no_names(err)
    assert err.__cause__ is None and err.__suppress_context__
