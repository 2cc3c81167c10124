"""INEGI homicides adapter (etl/adapters/inegi_homicides.py) and the shared vectorised helpers (etl/values.py)."""
from __future__ import annotations

import gzip

import pandas as pd
import pytest

from etl.adapters import Context, get_adapter
from etl.adapters.inegi_homicides import parse
from etl.errors import SourceError
from etl.values import check_duplicates, inegi_codes, month_starts, numbers, valid_inegi_code
from tests.conftest import FIXTURES, real_file
from tests.support.fixtures import raised_by, state_gazetteer, write

FIX = FIXTURES / "inegi_homicides"
HEADER = "ent_mun|year|month|homicides|pop_est|homicide_rate\n"


error_of = raised_by(parse)


@pytest.fixture(scope="module")
def tiny_ctx() -> Context:
    return Context(state_gazetteer([("02", "Baja California")]))


# --------------------------------------------------------------------------- pure helpers


def test_valid_inegi_code_pads_and_rejects():
    got = valid_inegi_code(pd.Series(["2004", "02004", " 8037 ", "33001", "00001", "02000", "x2004", "123456"]), 5)
    assert got.tolist()[:3] == ["02004", "02004", "08037"]
    assert got.iloc[3:].isna().all()
    states = valid_inegi_code(pd.Series(["2", "08", "32", "0", "33", "123"]), 2)
    assert states.tolist()[:3] == ["02", "08", "32"]
    assert states.iloc[3:].isna().all()


def test_inegi_codes_error_names_first_bad_line_and_column():
    values = pd.Series(["02004", "02004", "99001", "02004", "99001"])
    lines = pd.Series([2, 3, 4, 5, 6])
    with pytest.raises(SourceError) as info:
        inegi_codes(values, digits=5, column="ent_mun", lines=lines)
    assert info.value.line == 4 and info.value.column == "ent_mun"
    assert "99001" in info.value.message


def test_numbers_by_value_thousands_and_first_bad_line():
    lines = pd.Series([2, 3, 4, 5])
    got = numbers(pd.Series(["1,234", "5", "1,234", "0"]), column="homicides", lines=lines)
    assert got.tolist() == [1234, 5, 1234, 0]
    with pytest.raises(SourceError) as info:
        numbers(pd.Series(["1", "-3", "2", "-3"]), column="homicides", lines=lines)
    assert info.value.line == 3 and "negative" in info.value.message


def test_month_starts_and_range_errors():
    lines = pd.Series([2, 3])
    got = month_starts(pd.Series(["2019", "2020"]), pd.Series(["12", "01"]), lines=lines,
                       year_column="year", month_column="month")
    assert got.tolist() == [pd.Timestamp("2019-12-01"), pd.Timestamp("2020-01-01")]
    with pytest.raises(SourceError) as info:
        month_starts(pd.Series(["2019", "2019"]), pd.Series(["1", "13"]), lines=lines,
                     year_column="year", month_column="month")
    assert info.value.line == 3 and info.value.column == "month"
    with pytest.raises(SourceError) as info:
        month_starts(pd.Series(["1899", "2019"]), pd.Series(["1", "1"]), lines=lines,
                     year_column="year", month_column="month")
    assert info.value.line == 2 and "before 1900" in info.value.message
    future = str(pd.Timestamp.today().year + 1)
    with pytest.raises(SourceError) as info:
        month_starts(pd.Series(["2019", future]), pd.Series(["1", "1"]), lines=lines,
                     year_column="year", month_column="month")
    assert info.value.line == 3 and "future" in info.value.message


def test_check_duplicates_names_both_lines():
    frame = pd.DataFrame({"place_id": ["01001", "01002", "01001"], "month": [1, 1, 1], "_line": [2, 3, 4]})
    with pytest.raises(SourceError) as info:
        check_duplicates(frame, ["place_id", "month"], what="place and month")
    assert "lines 2 and 4" in info.value.message and info.value.line == 4
    check_duplicates(frame.iloc[:2], ["place_id", "month"], what="place and month")  # no error


# --------------------------------------------------------------------------- adapter on fixtures


def test_registered_under_its_adapter_name():
    assert get_adapter("inegi_homicides") is parse


def test_municipal_gzip_pipe_lost_zero_thousands(tiny_ctx):
    (out,) = parse(FIX / "muni_month.csv.gz", tiny_ctx)
    assert out.table == "homicides" and out.dataset == "inegi_municipal_month"
    df = out.frame
    assert list(df.columns) == ["dataset", "place_id", "month", "count", "source_id", "_line"]
    assert "pop_est" not in df.columns and "homicide_rate" not in df.columns
    y2019 = df[df["month"].dt.year == 2019].groupby("place_id")["count"].sum()
    assert y2019.to_dict() == {"02004": 310, "08037": 215, "28032": 17}
    lost_zero = df[df["_line"] == 7].iloc[0]
    assert lost_zero["place_id"] == "02004" and lost_zero["count"] == 1234
    assert lost_zero["month"] == pd.Timestamp("2020-01-01")
    assert df["source_id"].isna().all()


def test_state_bom_crlf_reordered_columns(tiny_ctx):
    (out,) = parse(FIX / "state_month.csv", tiny_ctx)
    assert out.dataset == "inegi_state_month"
    df = out.frame
    assert df["place_id"].tolist() == ["02", "02", "08"]
    assert df["count"].tolist() == [280, 270, 230]
    assert df["month"].tolist() == [pd.Timestamp("2019-01-01"), pd.Timestamp("2019-02-01"), pd.Timestamp("2019-01-01")]


def test_uncompressed_municipal_file_same_layout(tmp_path, tiny_ctx):
    text = gzip.decompress((FIX / "muni_month.csv.gz").read_bytes())
    (plain,) = parse(write(tmp_path, text), tiny_ctx)
    (packed,) = parse(FIX / "muni_month.csv.gz", tiny_ctx)
    pd.testing.assert_frame_equal(plain.frame, packed.frame)


def test_compression_is_sniffed_not_read_from_the_name(tmp_path, tiny_ctx):
    """Gargiulo's municipal file moved from `.csv.gz` to plain `.csv` on `main`: the bytes decide, not the name."""
    packed_bytes = (FIX / "muni_month.csv.gz").read_bytes()
    plain_bytes = gzip.decompress(packed_bytes)
    assert plain_bytes.split(b"\n", 1)[0].count(b"|") >= 3  # the plain file is pipe-delimited
    gz_named_csv = tmp_path / "mexico-muni-month-homicide-rates-2000-2022.csv"
    gz_named_csv.write_bytes(packed_bytes)
    csv_named_gz = tmp_path / "mexico-muni-month-homicide-rates-2000-2021.csv.gz"
    csv_named_gz.write_bytes(plain_bytes)
    (a,) = parse(gz_named_csv, tiny_ctx)
    (b,) = parse(csv_named_gz, tiny_ctx)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert len(a.frame) > 0


def test_registry_fetches_the_plain_2000_2022_files():
    from etl.registry import load_registry

    files = {f.key: f.url for f in load_registry()["inegi_homicides"].files}
    assert files["municipal"].endswith("/main/mexico-muni-month-homicide-rates-2000-2022.csv")
    assert files["state"].endswith("/main/mexico-state-month-homicide-rates-2000-2022.csv")


def test_invalid_code_names_line(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n40001|2019|1|5|1|1\n"), tiny_ctx)
    assert err.line == 3 and err.column == "ent_mun" and "40001" in err.message


def test_negative_count_names_line_and_column(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n02004|2019|2|-5|1|1\n"), tiny_ctx)
    assert err.line == 3 and err.column == "homicides" and "negative" in err.message


def test_fractional_and_empty_counts(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5.5|1|1\n"), tiny_ctx)
    assert err.line == 2 and "whole" in err.message
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n02004|2019|2||1|1\n"), tiny_ctx)
    assert err.line == 3 and "empty" in err.message


def test_duplicate_rows_name_both_lines(tmp_path, tiny_ctx):
    text = HEADER + "02004|2019|1|5|1|1\n08037|2019|1|5|1|1\n2004|2019|1|6|1|1\n"
    err = error_of(write(tmp_path, text), tiny_ctx)
    assert "lines 2 and 4" in err.message and err.line == 4


def test_bad_month_names_line(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n02004|2019|13|5|1|1\n"), tiny_ctx)
    assert err.line == 3 and err.column == "month"


def test_future_month_is_an_error(tmp_path, tiny_ctx):
    year = pd.Timestamp.today().year + 1
    err = error_of(write(tmp_path, HEADER + f"02004|{year}|1|5|1|1\n"), tiny_ctx)
    assert err.line == 2 and "future" in err.message


def test_empty_file(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, b""), tiny_ctx)
    assert "empty" in err.message


def test_file_cut_mid_line(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n02004|2019|2|"), tiny_ctx)
    assert err.line == 3 and "cut" in err.message


def test_truncated_gzip(tmp_path, tiny_ctx):
    data = (FIX / "muni_month.csv.gz").read_bytes()
    err = error_of(write(tmp_path, data[: len(data) // 2], "f.csv.gz"), tiny_ctx)
    assert "truncated or corrupt" in err.message


def test_html_page(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, "<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>\n"), tiny_ctx)
    assert "HTML" in err.message and err.line == 1


def test_short_row(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, HEADER + "02004|2019|1|5|1|1\n02004|2019|2\n"), tiny_ctx)
    assert err.line == 3 and "fields" in err.message


def test_renamed_column_is_unknown_layout(tmp_path, tiny_ctx):
    err = error_of(write(tmp_path, "ent_mun|year|month|deaths|pop_est|homicide_rate\n02004|2019|1|5|1|1\n"), tiny_ctx)
    assert "unknown file layout" in err.message
    assert "homicides" in err.message and "deaths" in err.message and err.line == 1


def test_wrong_encoding(tmp_path, tiny_ctx):
    data = HEADER.encode() + b"02004|2019|1|5|1|1\n02\x81004|2019|2|5|1|1\n"
    err = error_of(write(tmp_path, data), tiny_ctx)
    assert "neither UTF-8 nor Windows-1252" in err.message and err.line == 3


# --------------------------------------------------------------------------- real files


def test_real_municipal_file_conformance(ctx):
    path = real_file("inegi-homicides", "mexico-muni-month-homicide-rates-2000-2021.csv.gz")
    (out,) = parse(path, ctx)
    df = out.frame
    assert len(df) == 651_288
    y2019 = df[df["month"].dt.year == 2019].groupby("place_id")["count"].sum()
    assert y2019["02004"] == 2164  # Tijuana
    assert y2019["08037"] == 1494  # Ciudad Juárez
    assert y2019["28032"] == 211  # Reynosa
    assert df["month"].min() == pd.Timestamp("2000-01-01") and df["month"].max() == pd.Timestamp("2021-12-01")


def test_real_state_file(ctx):
    path = real_file("inegi-homicides", "mexico-state-month-homicide-rates-2000-2022.csv")
    (out,) = parse(path, ctx)
    df = out.frame
    assert out.dataset == "inegi_state_month"
    assert len(df) == 8_832
    assert sorted(df["place_id"].unique()) == [f"{i:02d}" for i in range(1, 33)]
    assert df["month"].max() == pd.Timestamp("2022-12-01")
