"""CONAPO projections and INEGI municipal catalogue adapter (etl/adapters/conapo_population.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from etl.adapters import Context, get_adapter
from etl.adapters.conapo_population import check_state_names, fold_accents, municipal_codes, parse
from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer
from etl.schema import TABLES
from tests.conftest import FIXTURES, real_file
from tests.support.fixtures import raised_by, state_gazetteer, write

FIX = FIXTURES / "conapo_population"
PROJ_HEADER = "date_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,hombres,mujeres,total\n"
CAT_HEADER = "cve_geo,nombre_estado,cve_ent,nombre_municipio,cve_mun\n"

STATES = [("02", "Baja California"), ("08", "Chihuahua"), ("26", "Sonora"), ("28", "Tamaulipas")]


error_of = raised_by(parse)


@pytest.fixture(scope="module")
def tiny_ctx() -> Context:
    return Context(state_gazetteer(STATES))


# --------------------------------------------------------------------------- pure helpers


def test_fold_accents_keeps_case():
    assert fold_accents("Juárez") == "Juarez"
    assert fold_accents("Peñón  Blanco") == "Penon Blanco"
    assert fold_accents("SAN LUIS RÍO COLORADO") == "SAN LUIS RIO COLORADO"


def test_municipal_codes_from_parts_and_padding():
    state = pd.Series(["02", "02", "08"], dtype="string")
    lines = pd.Series([2, 3, 4])
    got = municipal_codes(pd.Series(["004", "2004", "37"]), state, column="cve_mun", lines=lines)
    assert got.tolist() == ["02004", "02004", "08037"]
    with pytest.raises(SourceError) as info:
        municipal_codes(pd.Series(["004", "26043", "037"]), state, column="cve_mun", lines=lines)
    assert info.value.line == 3 and info.value.column == "cve_mun"


def test_check_state_names():
    gaz = state_gazetteer(STATES)
    lines = pd.Series([2, 3, 4])
    names = pd.Series(["Baja California", "Chihuahua", "Baja California"])
    check_state_names(gaz, pd.Series(["02", "08", "02"]), names,
                      lines=lines, column="nombre_estado")
    with pytest.raises(SourceError) as info:
        check_state_names(gaz, pd.Series(["02", "08", "26"]), pd.Series(["Baja California", "Sonora", "Sonora"]),
                          lines=lines, column="nombre_estado")
    assert info.value.line == 3 and "'08'" in info.value.message
    with pytest.raises(SourceError) as info:
        check_state_names(gaz, pd.Series(["02", "08", "26"]), pd.Series(["Baja California", "Chihuahua", "Atlantis"]),
                          lines=lines, column="nombre_estado")
    assert info.value.line == 4 and "Atlantis" in info.value.message and "gazetteer" in info.value.message


def test_state_check_skipped_without_states_in_gazetteer():
    empty = Gazetteer(pd.DataFrame(columns=PLACE_COLUMNS), pd.DataFrame(columns=["alias", "place_id", "note"]))
    check_state_names(empty, pd.Series(["02"]), pd.Series(["Anything"]), lines=pd.Series([2]), column="nombre_estado")


# --------------------------------------------------------------------------- adapter on fixtures


def test_registered_under_its_adapter_name():
    assert get_adapter("conapo_population") is parse


def test_projections_cp1252_thousands_lost_zero(tiny_ctx):
    (out,) = parse(FIX / "projections.csv", tiny_ctx)
    assert out.table == "population" and out.dataset == "conapo_municipal_projections"
    df = out.frame
    assert list(df.columns) == ["dataset", "place_id", "year", "population", "source_id", "_line"]
    got = df.set_index(["place_id", "year"])["population"].to_dict()
    assert got == {("02004", 2020): 1_789_531, ("02004", 2021): 1_800_000, ("08037", 2020): 1_464_930,
                   ("02002", 2020): 1_087_478}


LONG_HEADER = "n_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,genero,pob_mid_year\n"


def long_text() -> str:
    return (FIX / "projections_long.csv").read_text(encoding="utf-8")


def test_long_layout_of_the_2023_revision_reads_like_the_wide_one(tiny_ctx):
    """The live file (CONAPO's 2023 revision) is long: one row per sex. Same table, same dataset, its Total rows."""
    (wide,) = parse(FIX / "projections.csv", tiny_ctx)
    (long,) = parse(FIX / "projections_long.csv", tiny_ctx)
    assert long.table == "population" and long.dataset == wide.dataset == "conapo_municipal_projections"
    key = ["place_id", "year"]
    pd.testing.assert_frame_equal(
        long.frame.drop(columns="_line").sort_values(key).reset_index(drop=True),
        wide.frame.drop(columns="_line").sort_values(key).reset_index(drop=True))
    # each row points at its Total line (header = line 1; Tijuana 2020's Total is the 4th line)
    assert long.frame.set_index(key).loc[("02004", 2020), "_line"] == 4
    assert "2023 revision" in long.edition and "2015-based" in wide.edition and long.edition != wide.edition


def test_long_layout_errors_name_the_line(tmp_path, tiny_ctx):
    text = long_text()
    err = error_of(write(tmp_path, text.replace(",Mujeres,889531", ",Otro,889531", 1)), tiny_ctx)
    assert err.line == 3 and err.column == "genero" and "Otro" in err.message
    err = error_of(write(tmp_path, text.replace(",Total,1789531", ",Total,1789530", 1)), tiny_ctx)
    assert err.line == 4 and "Hombres + Mujeres = 1,789,531" in err.message and "1,789,530" in err.message
    err = error_of(write(tmp_path, text.replace("2020,Baja California,02,Tijuana,02004,Total,1789531\n", "", 1)),
                   tiny_ctx)
    assert "02004 has no Total row for 2020" in err.message and err.line == 2
    err = error_of(write(tmp_path, text.replace(",Hombres,905000", ",Mujeres,905000", 1)), tiny_ctx)
    assert err.line == 6 and "duplicate" in err.message and "lines 5 and 6" in err.message  # Tijuana 2021 Mujeres


def test_long_layout_without_sexes_is_read_from_total_rows(tmp_path, tiny_ctx):
    text = LONG_HEADER + "2020,Baja California,02,Tijuana,02004,Total,1789531\n"
    (out,) = parse(write(tmp_path, text), tiny_ctx)
    assert out.frame["population"].tolist() == [1_789_531]


def test_catalogue_bom_crlf_to_places(tiny_ctx):
    (out,) = parse(FIX / "catalogue.csv", tiny_ctx)
    assert out.table == "places" and out.dataset == "inegi_municipal_catalogue"
    df = out.frame.set_index("place_id")
    assert list(out.frame.columns[:-1]) == list(TABLES["places"].fields)
    assert sorted(df.index) == ["02004", "08037", "26043", "28032"]
    juarez = df.loc["08037"]
    assert juarez["name"] == "Juárez" and juarez["name_ascii"] == "Juarez"
    assert juarez["kind"] == "municipality" and juarez["country"] == "MX"
    assert juarez["admin1"] == "Chihuahua" and juarez["admin1_code"] == "08"
    assert pd.isna(juarez["lat"]) and pd.isna(juarez["population_2020"])
    assert juarez["us_port"] == "" and juarez["coord_source"] == ""
    assert (out.frame["dataset"] == "inegi_municipal_catalogue").all()


def test_sex_split_must_add_up(tmp_path, tiny_ctx):
    text = PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,10,20,30\n2020,Chihuahua,08,Juárez,08037,10,20,31\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "total" and "30" in err.message and "31" in err.message


def test_duplicate_municipality_year(tmp_path, tiny_ctx):
    text = (PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,10,20,30\n"
            "2021,Baja California,02,Tijuana,02004,10,20,30\n2020,Baja California,02,Tijuana,2004,1,2,3\n")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert "lines 2 and 4" in err.message


def test_negative_population(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,-10,20,10\n"), tiny_ctx)
    assert err.line == 2 and err.column == "hombres" and "negative" in err.message


def test_unknown_state_name(tmp_path, tiny_ctx):
    text = PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,10,20,30\n2020,Baja Califa,02,Tecate,02003,1,2,3\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "nombre_estado" and "Baja Califa" in err.message


def test_code_in_wrong_state(tmp_path, tiny_ctx):
    text = PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,10,20,30\n2020,Baja California,02,Juárez,08037,1,2,3\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "cve_mun"


def test_invalid_code(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, PROJ_HEADER + "2020,Baja California,02,Tijuana,0200X,10,20,30\n"), tiny_ctx)
    assert err.line == 2 and err.column == "cve_mun"


def test_catalogue_code_mismatch(tmp_path, tiny_ctx):
    text = CAT_HEADER + "02004,Baja California,02,Tijuana,004\n02005,Baja California,02,Playas de Rosarito,004\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "cve_geo"


def test_catalogue_empty_name(tmp_path, tiny_ctx):
    text = CAT_HEADER + "02004,Baja California,02,Tijuana,004\n02005,Baja California,02,,005\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "nombre_municipio"


def test_catalogue_duplicate_code(tmp_path, tiny_ctx):
    text = CAT_HEADER + "02004,Baja California,02,Tijuana,004\n02004,Baja California,02,Tijuana,004\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert "lines 2 and 3" in err.message


def test_missing_column_unknown_layout(tmp_path, tiny_ctx):
    text = ("date_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,hombres,mujeres\n"
            "2020,Baja California,02,Tijuana,02004,10,20\n")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert "unknown file layout" in err.message and "total" in err.message


def test_empty_cut_html_and_encoding(tmp_path, tiny_ctx):
    assert "empty" in error_of(write(tmp_path, "  \n"), tiny_ctx).message
    cut = error_of(write(tmp_path, PROJ_HEADER + "2020,Baja California,02,Tijuana,02004,10,20,30\n2021,Baja"), tiny_ctx)
    assert cut.line == 3 and "cut" in cut.message
    html = error_of(write(tmp_path, "<html><body>Service unavailable</body></html>\n"), tiny_ctx)
    assert "HTML" in html.message
    data = PROJ_HEADER.encode() + b"2020,Baja California,02,Tij\x8duana,02004,10,20,30\n"
    bad = error_of(write(tmp_path, data), tiny_ctx)
    assert "neither UTF-8 nor Windows-1252" in bad.message and bad.line == 2


# --------------------------------------------------------------------------- real files


def test_real_projections_conformance(ctx):
    path = real_file("conapo", "conapo_proyecciones_mun_2015-2030.csv")
    (out,) = parse(path, ctx)
    df = out.frame
    assert len(df) == 39_312
    y2020 = df[df["year"] == 2020].set_index("place_id")["population"]
    assert y2020["02004"] == 1_789_531  # Tijuana
    assert y2020["08037"] == 1_464_930  # Juárez
    assert y2020["02002"] == 1_087_478  # Mexicali
    assert sorted(df["year"].unique()) == list(range(2015, 2031))


def test_real_wide_file_rewritten_long_gives_the_same_figures(ctx, tmp_path):
    """The real 2015-based file, reshaped to the live file's long layout here (csv module, not the adapter),
    reads to the same populations: the README's 2020 figures through the long reader."""
    import csv
    import io

    path = real_file("conapo", "conapo_proyecciones_mun_2015-2030.csv")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(LONG_HEADER.strip().split(","))
    for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        for sex, col in (("Hombres", "hombres"), ("Mujeres", "mujeres"), ("Total", "total")):
            w.writerow([r["date_year"], r["nombre_estado"], r["cve_ent"], r["nombre_municipio"], r["cve_mun"], sex,
                        r[col]])
    (long,) = parse(write(tmp_path, out.getvalue(), "conapo_pob_mun_gender_2015_2030.csv"), ctx)
    y2020 = long.frame[long.frame["year"] == 2020].set_index("place_id")["population"]
    assert len(long.frame) == 39_312
    assert (y2020["02004"], y2020["08037"], y2020["02002"]) == (1_789_531, 1_464_930, 1_087_478)


def test_registry_fetches_the_live_long_file():
    from etl.registry import load_registry

    src = load_registry()["conapo_population"]
    files = {f.key: f.url for f in src.files}
    assert files["projections"] == ("https://raw.githubusercontent.com/isaacarroyov/datos_facil_acceso/main/"
                                    "GobiernoMexicano/conapo_proyecciones/conapo_pob_mun_gender_2015_2030.csv")
    (d,) = [d for d in src.datasets if d.id == "conapo_municipal_projections"]
    assert "2023 revision" in d.label + d.description


def test_real_catalogue(ctx):
    path = real_file("conapo", "cve_nom_municipios.csv")
    (out,) = parse(path, ctx)
    df = out.frame.set_index("place_id")
    assert df.index.is_unique and len(df) > 2_400
    assert df.loc["08037", "name"] == "Juárez" and df.loc["08037", "name_ascii"] == "Juarez"
    assert df.loc["02004", "admin1"] == "Baja California" and df.loc["02004", "admin1_code"] == "02"
    assert (df["kind"] == "municipality").all()
