import pandas as pd
import pytest

from etl.errors import SourceError
from etl.periods import calendar_month, fiscal_year, fiscal_year_of, month_number, parse_fiscal_months


@pytest.mark.parametrize("label,expected", [("2025 (FYTD)", 2025), ("FY2024", 2024), ("2023", 2023), ("FY24", 2024),
                                            ("2025 (FYTD) ", 2025), ("x", None), ("", None)])
def test_fiscal_year(label, expected):
    assert fiscal_year(label) == expected


@pytest.mark.parametrize("label,expected", [("OCT", 10), ("October", 10), ("01 October", 10), ("12 September", 9),
                                            ("octubre", 10), ("ENE", 1), ("7", 7), ("13", None), ("Month", None),
                                            ("Sept.", 9), ("novembre", None), ("Octopus", None), ("dic", 12)])
def test_month_number(label, expected):
    assert month_number(label) == expected


def test_calendar_month_crosses_the_fiscal_year():
    assert calendar_month(2023, 10) == pd.Timestamp("2022-10-01")
    assert calendar_month(2023, 9) == pd.Timestamp("2023-09-01")
    assert fiscal_year_of(pd.Timestamp("2022-10-01")) == 2023
    assert fiscal_year_of(pd.Timestamp("2023-09-01")) == 2023


def test_parse_fiscal_months_vectorised_and_errors():
    months, fy = parse_fiscal_months(pd.Series(["2025 (FYTD)", "2024"]), pd.Series(["OCT", "SEP"]),
                                     lines=pd.Series([2, 3]), fy_column="fy", month_column="m")
    assert months.tolist() == [pd.Timestamp("2024-10-01"), pd.Timestamp("2024-09-01")]
    assert fy.tolist() == [2025, 2024]
    with pytest.raises(SourceError) as exc:
        parse_fiscal_months(pd.Series(["2024", "2024"]), pd.Series(["OCT", "Foo"]),
                            lines=pd.Series([2, 3]), fy_column="fy", month_column="m")
    assert exc.value.line == 3 and exc.value.column == "m"
