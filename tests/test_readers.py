"""The shared readers on tiny literal inputs: every quirk and every kind of bad input."""
from __future__ import annotations

import bz2
import gzip

import pandas as pd
import pytest

from etl.errors import SourceError
from etl.readers import LINE, Layout, ascii_fold, decode, norm_header, pick_layout, read_delimited, select, to_number

BASIC = "Fiscal Year,Month (abbv),Encounter Count\r\n2023,OCT,\"1,234\"\r\n2023,NOV,5\r\n"


def write(tmp_path, data: bytes, name="f.csv"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "data",
    [
        BASIC.encode("utf-8"),
        b"\xef\xbb\xbf" + BASIC.encode("utf-8"),
        BASIC.encode("cp1252"),
        BASIC.replace("\r\n", "\n").encode(),
        gzip.compress(BASIC.encode()),
        bz2.compress(BASIC.encode()),
        BASIC.encode("utf-16"),
    ],
    ids=["utf8", "bom", "cp1252", "lf", "gzip", "bzip2", "utf16-bom"],
)
def test_read_delimited_handles_encodings_and_compression(tmp_path, data):
    df = read_delimited(write(tmp_path, data))
    assert list(df.columns) == ["fiscal year", "month (abbv)", "encounter count", LINE]
    assert df["encounter count"].tolist() == ["1,234", "5"]
    assert df[LINE].tolist() == [2, 3]


def test_windows_1252_accents_are_decoded(tmp_path):
    df = read_delimited(write(tmp_path, "name,n\nCiudad Juárez,1\n".encode("cp1252")))
    assert df["name"].iloc[0] == "Ciudad Juárez"
    assert df.attrs["encoding"] == "cp1252"


def test_pipe_delimiter_and_header_with_newline(tmp_path):
    df = read_delimited(write(tmp_path, b'"Fiscal\nYear"|cve_ent|n\n2020|08|3\n'))
    assert list(df.columns)[:3] == ["fiscal year", "cve_ent", "n"]
    assert df["cve_ent"].iloc[0] == "08"  # codes stay text: leading zero kept


def test_empty_file(tmp_path):
    with pytest.raises(SourceError, match="empty"):
        read_delimited(write(tmp_path, b""))


def test_header_only(tmp_path):
    with pytest.raises(SourceError, match="no data rows"):
        read_delimited(write(tmp_path, b"a,b\n"))


def test_html_page_instead_of_csv(tmp_path):
    with pytest.raises(SourceError, match="HTML page") as exc:
        read_delimited(write(tmp_path, b"<!DOCTYPE html><html><title>Error 500</title></html>\n"))
    assert "Error 500" in str(exc.value) and "f.csv" in str(exc.value)


def test_cut_mid_line(tmp_path):
    with pytest.raises(SourceError, match="middle of a line") as exc:
        read_delimited(write(tmp_path, b"a,b,c\n1,2,3\n4,5"))
    assert exc.value.line == 3


def test_short_row_names_its_line(tmp_path):
    with pytest.raises(SourceError) as exc:
        read_delimited(write(tmp_path, b"a,b,c\n1,2,3\n4,5\n6,7,8\n"))
    assert exc.value.line == 3 and "2 fields, expected 3" in str(exc.value)


def test_long_row_names_its_line(tmp_path):
    with pytest.raises(SourceError) as exc:
        read_delimited(write(tmp_path, b"a,b\n1,2\n3,4\n5,6,7\n"))
    assert exc.value.line == 4


def test_truncated_gzip(tmp_path):
    data = gzip.compress(("a,b\n" + "1,2\n" * 1000).encode())
    with pytest.raises(SourceError, match="truncated or corrupt"):
        read_delimited(write(tmp_path, data[: len(data) // 2], "f.csv.gz"))


def test_nul_bytes_are_a_wrong_encoding(tmp_path):
    with pytest.raises(SourceError, match="NUL"):
        read_delimited(write(tmp_path, "a,b\n1,2\n".encode("utf-16-le")))


def test_duplicate_headers(tmp_path):
    with pytest.raises(SourceError, match="duplicate column"):
        read_delimited(write(tmp_path, b"a,A,b\n1,2,3\n"))


LAYOUT = Layout("demo", {"count": ["Encounter Count"], "month": ["Month (abbv)"]}, ignore=["Name"])


def test_layout_accepts_columns_in_any_order_and_ignores_known_extras(tmp_path):
    df = read_delimited(write(tmp_path, b"Name,Month (abbv),Encounter Count\nx,OCT,3\n"))
    assert pick_layout(df, [LAYOUT], "f.csv") is LAYOUT
    out = select(df, LAYOUT)
    assert list(out.columns) == ["count", "month", LINE]
    assert out["count"].iloc[0] == "3"


def test_unknown_layout_names_missing_and_unexpected(tmp_path):
    df = read_delimited(write(tmp_path, b"Month (abbv),Encounters,Extra\nOCT,3,1\n"))
    with pytest.raises(SourceError) as exc:
        pick_layout(df, [LAYOUT], "f.csv")
    msg = str(exc.value)
    assert "missing column(s): count" in msg and "encounters" in msg and "extra" in msg


def test_to_number_thousands_and_errors():
    lines = pd.Series([2, 3, 4])
    assert to_number(pd.Series(["1,234", " 5 ", "1 000"]), column="n", lines=lines).tolist() == [1234, 5, 1000]
    with pytest.raises(SourceError) as exc:
        to_number(pd.Series(["1", "x7", "2"]), column="n", lines=lines)
    assert exc.value.line == 3 and exc.value.column == "n"
    with pytest.raises(SourceError, match="negative") as exc:
        to_number(pd.Series(["1", "2", "-4"]), column="n", lines=lines)
    assert exc.value.line == 4
    with pytest.raises(SourceError, match="empty"):
        to_number(pd.Series(["1", "", "2"]), column="n", lines=lines)
    assert to_number(pd.Series(["1", "", "2"]), column="n", allow_missing=True).isna().tolist() == [False, True, False]
    with pytest.raises(SourceError, match="whole number"):
        to_number(pd.Series(["1.5"]), column="n")


def test_norm_header_and_ascii_fold():
    assert norm_header("\ufeffFiscal\nYear ") == "fiscal year"
    assert ascii_fold("  Ciudad  JUÁREZ ") == "ciudad juarez"


def test_decode_prefers_utf8():
    assert decode("Juárez".encode())[1] == "utf-8"
    assert decode("Juárez".encode("cp1252"))[1] == "cp1252"


def test_an_error_names_the_first_bad_value_and_counts_the_others():
    from etl.errors import first_bad, more_such

    mask = pd.Series([False, True, pd.NA, True, True], index=[10, 11, 12, 13, 14], dtype="boolean")
    assert first_bad(mask) == (11, " (2 more such values)")
    assert first_bad(pd.Series([False, True, False], index=[5, 6, 7]), "rows") == (6, "")
    assert more_such(1, "pairs") == "" and more_such(4, "months") == " (3 more such months)"
    with pytest.raises(SourceError, match=r"'x' is not a number \(1 more such values\)"):
        to_number(pd.Series(["1", "x", "y"]), column="count")
