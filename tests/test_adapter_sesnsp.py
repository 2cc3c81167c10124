"""SESNSP state victims adapter (etl/adapters/sesnsp_state_victims.py)."""
from __future__ import annotations

import bz2

import pandas as pd
import pytest

from etl.adapters import Context, get_adapter
from etl.adapters.sesnsp_state_victims import LONG, parse, read_lean
from tests.conftest import FIXTURES, real_file
from tests.support.fixtures import raised_by, state_gazetteer, write

FIX = FIXTURES / "sesnsp_state_victims" / "victims_long.csv.bz2"
HEADER = ("date_year_month,n_year,n_month,cve_ent,nombre_estado,bien_juridico_afectado,tipo_de_delito,"
          "subtipo_de_delito,modalidad,genero,rango_de_edad,n_victimas\n")
ROW = "2019-01-15,2019,01,02,Baja California,La vida,Homicidio,Homicidio doloso,Con arma de fuego,Hombre,Adultos,{n}\n"

STATES = [("02", "Baja California"), ("08", "Chihuahua"), ("09", "Ciudad de México"), ("26", "Sonora")]


error_of = raised_by(parse)


@pytest.fixture(scope="module")
def tiny_ctx() -> Context:
    return Context(state_gazetteer(STATES))


def fixture_text() -> str:
    return bz2.decompress(FIX.read_bytes()).decode("utf-8")


def test_registered_under_its_adapter_name():
    assert get_adapter("sesnsp_state_victims") is parse


def test_bzip2_fixture(tiny_ctx):
    (out,) = parse(FIX, tiny_ctx)
    assert out.table == "crime_victims" and out.dataset == "sesnsp_state_victims_month"
    df = out.frame
    assert list(df.columns) == ["dataset", "place_id", "month", "crime", "subtype", "modality", "sex", "age_band",
                                "victims", "source_id", "_line"]
    assert len(df) == 6
    bc = df[(df["place_id"] == "02") & (df["subtype"] == "Homicidio doloso")]
    assert bc["victims"].sum() == 302
    assert bc.groupby("month")["victims"].sum().to_dict() == {pd.Timestamp("2019-01-01"): 162,
                                                               pd.Timestamp("2019-02-01"): 140}
    fem = df[df["subtype"] == "Feminicidio"].iloc[0]
    assert fem["modality"] == "Con arma blanca, u otro elemento"  # quoted comma kept
    assert fem["place_id"] == "08" and fem["_line"] == 5
    cdmx = df[df["place_id"] == "09"].iloc[0]
    assert cdmx["victims"] == 1002  # thousands separator
    assert cdmx["age_band"] == "Menores de edad (0-17)"
    assert "Adultos (18 y más)" in set(df["age_band"])  # accents kept as published
    assert str(df["crime"].dtype) == "string" and df["victims"].dtype == "Int64"


def test_cp1252_crlf_file_goes_through_fallback_with_same_result(tmp_path, tiny_ctx):
    text = fixture_text()
    resaved = write(tmp_path, text.replace("\n", "\r\n").encode("cp1252"))
    assert read_lean(resaved, (LONG,)).attrs["encoding"] == "cp1252"  # went through read_delimited
    (lean,) = parse(FIX, tiny_ctx)
    (fallback,) = parse(resaved, tiny_ctx)
    pd.testing.assert_frame_equal(lean.frame, fallback.frame)


def test_utf8_bom_crlf_file_stays_on_the_lean_path(tmp_path, tiny_ctx):
    resaved = write(tmp_path, b"\xef\xbb\xbf" + fixture_text().replace("\n", "\r\n").encode("utf-8"))
    df = read_lean(resaved, (LONG,))
    assert isinstance(df["tipo_de_delito"].dtype, pd.CategoricalDtype)
    assert "encoding" not in df.attrs  # the lean reader, not read_delimited (which sets attrs["encoding"])
    (lean,) = parse(FIX, tiny_ctx)
    (crlf,) = parse(resaved, tiny_ctx)
    pd.testing.assert_frame_equal(lean.frame, crlf.frame)


def test_read_lean_keeps_only_layout_columns_as_categoricals():
    df = read_lean(FIX, (LONG,))
    assert "date_year_month" not in df.columns and "bien_juridico_afectado" not in df.columns
    assert isinstance(df["tipo_de_delito"].dtype, pd.CategoricalDtype)
    assert df["_line"].tolist() == [2, 3, 4, 5, 6, 7]


def test_columns_in_another_order(tmp_path, tiny_ctx):
    df = pd.read_csv(FIX, dtype=str, keep_default_na=False)
    shuffled = df[list(reversed(df.columns))]
    (a,) = parse(FIX, tiny_ctx)
    (b,) = parse(write(tmp_path, shuffled.to_csv(index=False)), tiny_ctx)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_state_code_disagrees_with_name(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=1).replace(",02,Baja California,", ",26,Chihuahua,").replace(
        "Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "nombre_estado" and "'26'" in err.message


def test_unknown_state_name(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=1).replace("Baja California", "Narnia").replace("Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and "Narnia" in err.message and "gazetteer" in err.message


def test_invalid_state_code(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=1).replace(",02,", ",35,").replace("Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "cve_ent"


def test_negative_victims(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=-4).replace("Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "n_victimas" and "negative" in err.message


def test_duplicate_rows_name_both_lines(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=2).replace("Hombre", "Mujer") + ROW.format(n=3)
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert "lines 2 and 4" in err.message and err.line == 4


def test_bad_month(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=1).replace(",2019,01,", ",2019,00,").replace("Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "n_month"


def test_empty_crime_type(tmp_path, tiny_ctx):
    text = HEADER + ROW.format(n=1) + ROW.format(n=1).replace(",Homicidio,", ",,").replace("Hombre", "Mujer")
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert err.line == 3 and err.column == "tipo_de_delito"


def test_missing_column(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER.replace("n_victimas", "victims_n") + ROW.format(n=1)), tiny_ctx)
    assert "unknown file layout" in err.message and "victims" in err.message and "victims_n" in err.message


def test_empty_cut_html_short_row_encoding(tmp_path, tiny_ctx):
    assert "empty" in error_of(write(tmp_path, b""), tiny_ctx).message
    assert "no data rows" in error_of(write(tmp_path, HEADER), tiny_ctx).message
    cut = error_of(write(tmp_path, HEADER + ROW.format(n=1) + "2019-02-15,2019,02,02,Baja"), tiny_ctx)
    assert cut.line == 3 and "cut" in cut.message
    html = error_of(write(tmp_path, "<!doctype html>\n<html><title>Mantenimiento</title></html>\n"), tiny_ctx)
    assert "HTML" in html.message and "Mantenimiento" in html.message
    short = error_of(write(tmp_path, HEADER + ROW.format(n=1) + "2019-02-15,2019,02,02\n"), tiny_ctx)
    assert short.line == 3 and "fields" in short.message
    enc = error_of(write(tmp_path, HEADER.encode() + ROW.format(n=1).replace("Hombre", "Hom\x81bre").encode("latin-1")),
                   tiny_ctx)
    assert "neither UTF-8 nor Windows-1252" in enc.message and enc.line == 2


def test_truncated_bzip2(tmp_path, tiny_ctx):
    data = FIX.read_bytes()
    err = error_of(write(tmp_path, data[:-20], "f.csv.bz2"), tiny_ctx)
    assert "truncated or corrupt" in err.message


# --------------------------------------------------------------------------- real file


def test_real_file(ctx):
    path = real_file("sesnsp", "db_victimas_delitos_ent_long.csv.bz2")
    (out,) = parse(path, ctx)
    df = out.frame
    assert len(df) == 927_360
    assert df["month"].min() == pd.Timestamp("2015-01-01") and df["month"].max() == pd.Timestamp("2025-06-01")
    assert sorted(df["place_id"].unique()) == [f"{i:02d}" for i in range(1, 33)]
    assert {"Homicidio doloso", "Feminicidio"} <= set(df["subtype"].unique())
    assert "Secuestro" in set(df["crime"].unique())
    assert (df["victims"] >= 0).all()
