"""CBP encounters adapter: the three layouts, spreadsheet re-saves, bad input, the real Southwest file."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from etl.adapters import Context
from etl.adapters.cbp_encounters import parse, resolve_areas, state_ids
from etl.config import reference_dir
from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer
from etl.schema import TABLES
from etl.values import check_duplicates

from .conftest import real_file

FIX = Path(__file__).parent / "fixtures" / "cbp_encounters"

SECTORS = {
    "SDC": "San Diego", "ELC": "El Centro", "YUM": "Yuma", "TCA": "Tucson", "EPT": "El Paso", "BBT": "Big Bend",
    "DRT": "Del Rio", "LRT": "Laredo", "RGV": "Rio Grande Valley", "BLW": "Blaine", "SPW": "Spokane",
    "HVM": "Havre", "GFN": "Grand Forks", "DTM": "Detroit", "BUN": "Buffalo", "SWB": "Swanton",
    "HLT": "Houlton", "MIP": "Miami", "NLL": "New Orleans", "RMY": "Ramey", "LIV": "Livermore",
}
FIELD_OFFICES = {"ELP": "El Paso", "BUF": "Buffalo", "SDG": "San Diego", "LRD": "Laredo"}


def tiny_gazetteer(sector_suffix: str = "", aliases: list[dict] | None = None) -> Gazetteer:
    """Sectors named 'Big Bend' (or 'Big Bend Sector'), field offices 'El Paso' (homonyms on purpose)."""
    rows = [dict(place_id=f"US-SEC-{c}", name=n + sector_suffix, kind="sector", country="US") for c, n in SECTORS.items()]
    rows += [dict(place_id=f"US-FO-{c}", name=n, kind="field_office", country="US") for c, n in FIELD_OFFICES.items()]
    rows += [dict(place_id="08037", name="Juárez", name_ascii="Juarez", kind="municipality", country="MX")]
    places = pd.DataFrame(rows).reindex(columns=PLACE_COLUMNS)
    return Gazetteer(places, pd.DataFrame(aliases or [], columns=["alias", "place_id", "note"]))


@pytest.fixture(scope="module")
def tiny_ctx() -> Context:
    return Context(tiny_gazetteer())


def real_gazetteer_ctx() -> Context:
    """The project's gazetteer, or skip while data/reference/places.csv is not written yet."""
    if not (reference_dir() / "places.csv").exists():
        pytest.skip("data/reference/places.csv is not present yet")
    return Context(Gazetteer.load(reference_dir()))


def one(parsed):
    assert len(parsed) == 1
    return parsed[0]


def write(tmp_path: Path, text: str | bytes, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


SW_HEADER = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
             "Title of Authority,Encounter Type,Encounter Count\n")


# --------------------------------------------------------------------------- pure helpers


def test_state_ids_accept_codes_and_names_and_list_unknown_states():
    names = pd.Series(["TX", "Texas", "new mexico", "PR", "District of Columbia"])
    lines = pd.Series(range(2, 7))
    assert list(state_ids(names, column="State", lines=lines)) == [
        "US-ST-TX", "US-ST-TX", "US-ST-NM", "US-ST-PR", "US-ST-DC"]
    with pytest.raises(SourceError) as err:
        state_ids(pd.Series(["TX", "Tejas", "Sonora"]), column="State", lines=pd.Series([2, 3, 4]))
    assert err.value.line == 3 and err.value.column == "State"
    assert "'Tejas'" in err.value.message and "'Sonora'" in err.value.message


@pytest.mark.parametrize("suffix", ["", " Sector"])
def test_resolve_areas_tells_sector_from_field_office_of_the_same_city(suffix):
    gaz = tiny_gazetteer(sector_suffix=suffix)
    names = pd.Series(["El Paso Sector", "El Paso Field Office", "Big Bend, TX", "Rio Grande Valley Sector"])
    ids = resolve_areas(gaz, names, kinds=("sector", "field_office"), column="AOR", lines=pd.Series([2, 3, 4, 5]))
    assert list(ids) == ["US-SEC-EPT", "US-FO-ELP", "US-SEC-BBT", "US-SEC-RGV"]


def test_resolve_areas_falls_back_on_the_sector_code_and_lists_every_unknown_name():
    gaz = tiny_gazetteer()
    ids = resolve_areas(gaz, pd.Series(["Marfa Sector"]), kinds=("sector", "field_office"), column="AOR",
                        lines=pd.Series([2]), codes=pd.Series(["BBT"]))
    assert list(ids) == ["US-SEC-BBT"]
    with pytest.raises(SourceError) as err:
        resolve_areas(gaz, pd.Series(["Yuma Sector", "Atlantis Sector", "Gotham Field Office", "Atlantis Sector"]),
                      kinds=("sector", "field_office"), column="Area of Responsibility", lines=pd.Series([2, 3, 4, 5]))
    assert err.value.line == 3 and err.value.column == "Area of Responsibility"
    assert "'Atlantis Sector'" in err.value.message and "'Gotham Field Office'" in err.value.message
    assert "2 area name(s)" in err.value.message
    # a municipality of the same name is not a sector
    with pytest.raises(SourceError):
        resolve_areas(gaz, pd.Series(["Juárez"]), kinds=("sector",), column="x", lines=pd.Series([2]))


def test_check_duplicates_names_both_lines():
    df = pd.DataFrame({"a": [1, 2, 1, 3], "b": ["x", "y", "x", "z"], "_line": [2, 3, 4, 5]})
    with pytest.raises(SourceError) as err:
        check_duplicates(df, ["a", "b"], what="row")
    assert err.value.line == 4 and "lines 2 and 4" in err.value.message
    check_duplicates(df, ["a", "b", "_line"], what="row")  # no error when the key differs


# --------------------------------------------------------------------------- the three layouts


def test_southwest_layout(tiny_ctx):
    p = one(parse(FIX / "southwest.csv", tiny_ctx))
    assert p.table == "encounters" and p.dataset == "cbp_southwest"
    f = p.frame
    assert list(f.columns[: len(TABLES["encounters"].fields)]) == list(TABLES["encounters"].fields)
    assert "_line" in f.columns and list(f["_line"]) == list(range(2, 9))
    assert len(f) == 7
    assert set(f["region"]) == {"Southwest Land Border"}
    assert set(f["area_id"]) == {""} and set(f["area_name"]) == {""}
    assert f["source_id"].isna().all()
    assert not f["is_rounded"].any()
    first = f.iloc[0]
    assert first["month"] == pd.Timestamp("2024-09-01") and first["fiscal_year"] == 2024
    assert first["component"] == "Office of Field Operations" and first["encounter_type"] == "Inadmissibles"
    # 'OCT' of '2025 (FYTD)' is October 2024
    oct24 = f[f["month"] == pd.Timestamp("2024-10-01")]
    assert set(oct24["fiscal_year"]) == {2025} and oct24["count"].sum() == 410 + 2950
    assert f["count"].sum() == 120 + 3400 + 75 + 410 + 2950 + 0 + 3105
    assert any("2025 (FYTD)" in n and "November 2024" in n for n in p.notes)


def test_resaved_file_bom_crlf_thousands_reordered_columns(tiny_ctx):
    raw = (FIX / "southwest_resaved.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b'"12,345"' in raw  # the quirks are there
    f = one(parse(FIX / "southwest_resaved.csv", tiny_ctx)).frame
    assert list(f["count"]) == [1204, 12345, 987, 2001]
    assert list(f["month"]) == [pd.Timestamp(d) for d in ("2022-10-01", "2022-11-01", "2022-11-01", "2023-09-01")]
    assert list(f["citizenship"]) == ["Mexico", "Mexico", "Other", "Honduras"]
    assert f["title_of_authority"].iloc[3] == "Title 42" and f["encounter_type"].iloc[3] == "Expulsions"
    assert not any(v.endswith("\r") for v in f["encounter_type"])


def test_windows_1252_accented_citizenship(tiny_ctx):
    raw = (FIX / "southwest_cp1252.csv").read_bytes()
    assert b"Per\xfa" in raw  # not UTF-8
    f = one(parse(FIX / "southwest_cp1252.csv", tiny_ctx)).frame
    assert list(f["citizenship"]) == ["Perú", "México"]
    assert list(f["count"]) == [55, 1500]


def test_gzip_by_magic_bytes_not_name(tiny_ctx, tmp_path):
    plain = one(parse(FIX / "southwest.csv", tiny_ctx)).frame
    zipped = one(parse(FIX / "southwest.csv.gz", tiny_ctx)).frame
    pd.testing.assert_frame_equal(plain, zipped)
    renamed = tmp_path / "download.csv"  # gzip body under a .csv name
    shutil.copy(FIX / "southwest.csv.gz", renamed)
    pd.testing.assert_frame_equal(plain, one(parse(renamed, tiny_ctx)).frame)


def test_nationwide_aor_layout(tiny_ctx):
    p = one(parse(FIX / "nationwide_aor.csv", tiny_ctx))
    assert p.dataset == "cbp_nationwide_aor"
    f = p.frame.set_index("area_name")
    assert f.loc["Big Bend Sector", "area_id"] == "US-SEC-BBT"
    assert f.loc["El Paso Sector", "area_id"] == "US-SEC-EPT"
    assert f.loc["El Paso Field Office", "area_id"] == "US-FO-ELP"
    assert f.loc["Buffalo Field Office", "area_id"] == "US-FO-BUF"
    assert f.loc["Swanton Sector", "area_id"] == "US-SEC-SWB"
    assert f.loc["El Paso Sector", "count"] == 8120
    assert f.loc["Miami Sector", "region"] == "Coastal Border"
    assert f.loc["Buffalo Field Office", "citizenship"] == "CANADA"
    assert f.loc["Swanton Sector", "demographic"] == "UC / Single Minors"
    assert f.loc["Swanton Sector", "month"] == pd.Timestamp("2024-04-01")


def test_nationwide_state_layout(tiny_ctx):
    p = one(parse(FIX / "nationwide_state.csv", tiny_ctx))
    assert p.dataset == "cbp_nationwide_state"
    f = p.frame
    assert list(f["area_id"]) == ["US-ST-TX", "US-ST-AZ", "US-ST-NY", "US-ST-FL", "US-ST-PR", "US-ST-CA"]
    assert list(f["area_name"]) == ["TX", "AZ", "NY", "FL", "PR", "California"]
    assert set(f["component"]) == {""} and set(f["encounter_type"]) == {""}
    assert f["count"].iloc[0] == 15420
    assert f["region"].iloc[3] == "Coastal Border"


def test_aor_file_with_unknown_area_lists_it(tiny_ctx, tmp_path):
    text = (FIX / "nationwide_aor.csv").read_text().replace("Swanton Sector,SWB", "Atlantis Sector,ATL")
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 6 and err.value.column == "Area of Responsibility"
    assert "Atlantis Sector" in err.value.message


def test_state_file_with_unknown_state(tiny_ctx, tmp_path):
    text = (FIX / "nationwide_state.csv").read_text().replace(",NY,", ",XX,")
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 4 and err.value.column == "State" and "'XX'" in err.value.message


# --------------------------------------------------------------------------- bad input


def test_empty_file(tiny_ctx, tmp_path):
    with pytest.raises(SourceError, match="empty"):
        parse(write(tmp_path, ""), tiny_ctx)


def test_header_only(tiny_ctx, tmp_path):
    with pytest.raises(SourceError, match="no data rows") as err:
        parse(write(tmp_path, SW_HEADER), tiny_ctx)
    assert err.value.line == 2


def test_file_cut_mid_line(tiny_ctx, tmp_path):
    text = (FIX / "southwest.csv").read_text()
    cut = text[: text.rindex("Apprehensions") + 5]  # the download stopped inside the last row
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, cut), tiny_ctx)
    assert err.value.line == 8
    assert "cut" in err.value.message or "fields" in err.value.message


def test_row_with_missing_fields(tiny_ctx, tmp_path):
    text = SW_HEADER + "2024,FYTD,SEP,U.S. Border Patrol,Single Adults,Mexico,Title 8\n"
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 2 and "fields" in err.value.message


def test_html_page_instead_of_csv(tiny_ctx, tmp_path):
    page = "<!DOCTYPE html><html><head><title>Access Denied</title></head><body>blocked</body></html>\n"
    with pytest.raises(SourceError, match="HTML") as err:
        parse(write(tmp_path, page), tiny_ctx)
    assert "Access Denied" in err.value.message


def test_renamed_column_is_named(tiny_ctx, tmp_path):
    text = (FIX / "southwest.csv").read_text().replace("Encounter Type", "Event Type")
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 1
    assert "Encounter Type".casefold() in err.value.message.casefold()
    assert "event type" in err.value.message  # the unexpected header


def test_missing_column_is_named(tiny_ctx, tmp_path):
    df = pd.read_csv(FIX / "southwest.csv", dtype=str).drop(columns=["Title of Authority"])
    path = tmp_path / "file.csv"
    df.to_csv(path, index=False)
    with pytest.raises(SourceError) as err:
        parse(path, tiny_ctx)
    assert err.value.column == "Title of Authority" and "missing" in err.value.message


def test_extra_column_is_an_error_not_ignored(tiny_ctx, tmp_path):
    """A new dimension (here 'Sector Type') would make rows collide: it is named, not dropped."""
    df = pd.read_csv(FIX / "southwest.csv", dtype=str)
    df.insert(3, "Sector Type", "Land")
    path = tmp_path / "file.csv"
    df.to_csv(path, index=False)
    with pytest.raises(SourceError) as err:
        parse(path, tiny_ctx)
    assert err.value.column == "sector type" and "unexpected" in err.value.message


def test_negative_count(tiny_ctx, tmp_path):
    text = (FIX / "southwest.csv").read_text().replace("Apprehensions,75", "Apprehensions,-75")
    with pytest.raises(SourceError, match="negative") as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 4 and err.value.column == "Encounter Count"


@pytest.mark.parametrize("bad, what", [("7.5", "whole"), ("n/a", "not a number"), ("", "empty")])
def test_bad_count(tiny_ctx, tmp_path, bad, what):
    text = (FIX / "southwest.csv").read_text().replace("Apprehensions,410", f"Apprehensions,{bad}")
    with pytest.raises(SourceError, match=what) as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 5 and err.value.column == "Encounter Count"


def test_duplicate_row_names_both_lines(tiny_ctx, tmp_path):
    lines = (FIX / "southwest.csv").read_text().splitlines(keepends=True)
    text = "".join(lines + [lines[2].replace("3400", "3401")])  # same keys, another count
    with pytest.raises(SourceError, match="duplicate") as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert "lines 3 and 9" in err.value.message and err.value.line == 9


def test_unknown_month_and_fiscal_year_labels(tiny_ctx, tmp_path):
    text = (FIX / "southwest.csv").read_text()
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text.replace("2024,FYTD,SEP,U.S. Border Patrol,UAC", "2024,FYTD,SPT,U.S. Border Patrol,UAC")), tiny_ctx)
    assert err.value.line == 4 and err.value.column == "Month (abbv)"
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text.replace("2025 (FYTD),FYTD,NOV", "FY-25,FYTD,NOV")), tiny_ctx)
    assert err.value.line == 7 and err.value.column == "Fiscal Year"


def test_empty_dimension_value(tiny_ctx, tmp_path):
    text = (FIX / "southwest.csv").read_text().replace("FMUA,Honduras", "FMUA,")
    with pytest.raises(SourceError, match="empty") as err:
        parse(write(tmp_path, text), tiny_ctx)
    assert err.value.line == 5 and err.value.column == "Citizenship Grouping"


def test_wrong_encoding_utf16_without_bom(tiny_ctx, tmp_path):
    data = (FIX / "southwest.csv").read_text().encode("utf-16-le")
    with pytest.raises(SourceError, match="NUL|UTF-16"):
        parse(write(tmp_path, data), tiny_ctx)


def test_truncated_gzip(tiny_ctx, tmp_path):
    data = gzip.compress((FIX / "southwest.csv").read_bytes())
    with pytest.raises(SourceError, match="truncated|corrupt"):
        parse(write(tmp_path, data[: len(data) // 2], "x.csv.gz"), tiny_ctx)


# --------------------------------------------------------------------------- the real file


def test_real_southwest_file_reproduces_published_totals(tiny_ctx):
    path = real_file("cbp", "sbo-encounters-fy22-fy25-aug.csv")
    p = one(parse(path, tiny_ctx))
    assert p.dataset == "cbp_southwest"
    f = p.frame
    by_fy = f.groupby("fiscal_year")["count"].sum()
    assert by_fy[2022] == 2_378_944
    assert by_fy[2023] == 2_475_669
    assert by_fy[2024] == 2_135_005
    assert len(f) == 1936
    assert f["month"].min() == pd.Timestamp("2021-10-01") and f["month"].max() == pd.Timestamp("2025-08-01")
    assert set(f["component"]) == {"Office of Field Operations", "U.S. Border Patrol"}
    assert not f.duplicated(["month", "component", "citizenship", "demographic", "title_of_authority",
                             "encounter_type"]).any()


def test_southwest_aor_names_resolve_with_project_gazetteer():
    """Every Southwest AOR of CBP's nationwide file resolves in data/reference (sectors and field offices)."""
    ctx = real_gazetteer_ctx()
    sectors = ["San Diego", "El Centro", "Yuma", "Tucson", "El Paso", "Big Bend", "Del Rio", "Laredo",
               "Rio Grande Valley"]
    offices = ["San Diego", "Tucson", "El Paso", "Laredo"]
    names = pd.Series([f"{s} Sector" for s in sectors] + [f"{o} Field Office" for o in offices])
    ids = resolve_areas(ctx.gazetteer, names, kinds=("sector", "field_office"), column="AOR",
                        lines=pd.Series(range(2, 2 + len(names))))
    assert ids.is_unique
    assert ids[: len(sectors)].str.startswith("US-SEC-").all() and ids[len(sectors):].str.startswith("US-FO-").all()
    assert ids.iloc[4] == "US-SEC-EPT"
