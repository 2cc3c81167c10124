"""OHSS KHSM (USBP) workbook adapter: sheet 'Monthly Sector', checked against 'Monthly Count'."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.adapters import Context
from etl.adapters.ohss_usbp_encounters import parse
from etl.errors import SourceError

from .conftest import real_file
from .test_adapter_cbp import real_gazetteer_ctx, tiny_gazetteer

HEADER = ["Fiscal\nYear", "Month", "Sector", "Quantity"]
SECTORS = [  # fiscal year, month label, sector, rounded quantity
    (2024, "12 September", "Big Bend, TX", 770),
    (2024, "12 September", "El Paso, TX", 6400),
    (2024, "12 September", "Swanton, VT", 20),
    (2025, "01 October", "Big Bend, TX", 810),
    (2025, "01 October", "El Paso, TX", 5930),
    (2025, "01 October", "Rio Grande Valley, TX", 12040),
    (2025, "02 November", "El Paso, TX", 5110),
]
TOTALS = [(2024, "12 September", 7190), (2025, "01 October", 18780), (2025, "02 November", 5110)]


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(tiny_gazetteer())


def workbook(tmp_path: Path, sectors=SECTORS, totals=TOTALS, *, title_rows=0, header=HEADER,
             sector_sheet="Monthly Sector", count_sheet: str | None = "Monthly Count") -> Path:
    """A small KHSM-like workbook: header cell with an embedded newline, '01 October' months."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Annual Count"
    ws.append(["Fiscal\nYear", "Quantity"])
    ws.append([2025, 18790])
    ws = wb.create_sheet(sector_sheet)
    for _ in range(title_rows):
        ws.append(["CBP Encounters (USBP) by sector"])
    ws.append(header)
    for row in sectors:
        ws.append(list(row))
    if count_sheet:
        ws = wb.create_sheet(count_sheet)
        ws.append(["Fiscal\nYear", "Month", "Quantity"])
        for row in totals:
            ws.append(list(row))
    path = tmp_path / "KHSM Encounters (USBP) fy25m03.xlsx"
    wb.save(path)
    return path


def test_monthly_sector_sheet(ctx, tmp_path):
    parsed = parse(workbook(tmp_path), ctx)
    assert len(parsed) == 1
    p = parsed[0]
    assert p.table == "encounters" and p.dataset == "ohss_usbp_monthly_sector"
    f = p.frame
    assert len(f) == len(SECTORS)
    assert list(f["_line"]) == list(range(2, 2 + len(SECTORS)))  # sheet rows, header = row 1
    assert list(f["month"].dt.strftime("%Y-%m")) == ["2024-09"] * 3 + ["2024-10"] * 3 + ["2024-11"]
    assert list(f["fiscal_year"]) == [2024] * 3 + [2025] * 4
    assert list(f["area_id"][:3]) == ["US-SEC-BBT", "US-SEC-EPT", "US-SEC-SWB"]
    assert f["area_id"].iloc[5] == "US-SEC-RGV"
    assert f["area_name"].iloc[0] == "Big Bend, TX"
    assert set(f["component"]) == {"U.S. Border Patrol"}
    for dim in ("region", "citizenship", "demographic", "title_of_authority", "encounter_type"):
        assert set(f[dim]) == {""}
    assert f["is_rounded"].all()
    assert list(f["count"]) == [q for *_, q in SECTORS]
    assert any("rounds" in n for n in p.notes)
    assert any("largest difference 0" in n for n in p.notes)


def test_header_row_found_below_title_rows(ctx, tmp_path):
    f = parse(workbook(tmp_path, title_rows=2), ctx)[0].frame
    assert len(f) == len(SECTORS) and f["_line"].iloc[0] == 4


def test_sum_within_rounding_tolerance_is_accepted_and_reported(ctx, tmp_path):
    totals = [(2024, "12 September", 7190 + 15), (2025, "01 October", 18780 - 10), (2025, "02 November", 5110)]
    p = parse(workbook(tmp_path, totals=totals), ctx)[0]
    assert any("largest difference 15" in n and "September 2024" in n for n in p.notes)


def test_sum_beyond_tolerance_names_the_total_row(ctx, tmp_path):
    totals = [(2024, "12 September", 7190), (2025, "01 October", 18780 + 300), (2025, "02 November", 5110)]
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, totals=totals), ctx)
    assert err.value.line == 3 and err.value.column == "Quantity"
    assert "Monthly Count" in err.value.message and "October 2024" in err.value.message


def test_month_missing_from_sector_sheet_is_caught_by_the_total(ctx, tmp_path):
    totals = TOTALS + [(2025, "03 December", 4000)]
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, totals=totals), ctx)
    assert err.value.line == 5 and "December 2024" in err.value.message


def test_without_count_sheet_the_check_is_skipped_with_a_note(ctx, tmp_path):
    p = parse(workbook(tmp_path, count_sheet=None), ctx)[0]
    assert any("not checked" in n for n in p.notes)


def test_unrounded_values_are_noted(ctx, tmp_path):
    sectors = [(2024, "12 September", "Big Bend, TX", 773)]
    p = parse(workbook(tmp_path, sectors=sectors, totals=[(2024, "12 September", 770)]), ctx)[0]
    assert any("not multiples of 10" in n for n in p.notes)


# --------------------------------------------------------------------------- bad input


def test_missing_sheet_lists_the_sheets_present(ctx, tmp_path):
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, sector_sheet="Monthly Sectors"), ctx)
    assert "'Monthly Sector' is missing" in err.value.message
    assert "Annual Count" in err.value.message and "Monthly Sectors" in err.value.message


def test_html_page_instead_of_workbook(ctx, tmp_path):
    path = tmp_path / "KHSM.xlsx"
    path.write_text("<!DOCTYPE html>\n<html><head><title>Page not found | Homeland Security</title></head></html>")
    with pytest.raises(SourceError, match="HTML") as err:
        parse(path, ctx)
    assert "Page not found" in err.value.message


def test_csv_instead_of_workbook(ctx, tmp_path):
    path = tmp_path / "KHSM.xlsx"
    path.write_text("Fiscal Year,Month,Sector,Quantity\n2025,01 October,\"El Paso, TX\",10\n")
    with pytest.raises(SourceError, match="not an .xlsx"):
        parse(path, ctx)


def test_empty_file(ctx, tmp_path):
    path = tmp_path / "KHSM.xlsx"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        parse(path, ctx)


def test_truncated_workbook(ctx, tmp_path):
    good = workbook(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(SourceError, match="unreadable|corrupt"):
        parse(path, ctx)


def test_renamed_column(ctx, tmp_path):
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, header=["Fiscal\nYear", "Month", "Station", "Quantity"]), ctx)
    assert err.value.line == 1 and err.value.column == "Sector"
    assert "station" in err.value.message


def test_no_header_row(ctx, tmp_path):
    with pytest.raises(SourceError, match="no header row"):
        parse(workbook(tmp_path, header=["Year", "Month", "Sector", "Quantity"]), ctx)


def test_negative_quantity(ctx, tmp_path):
    sectors = SECTORS[:1] + [(2024, "12 September", "El Paso, TX", -10)]
    with pytest.raises(SourceError, match="negative") as err:
        parse(workbook(tmp_path, sectors=sectors), ctx)
    assert err.value.line == 3 and err.value.column == "Quantity"
    assert "sheet 'Monthly Sector'" in err.value.message


def test_bad_value_in_count_sheet_names_that_sheet(ctx, tmp_path):
    totals = [(2024, "12 September", 7190), (2025, "01 October", "18,78O"), (2025, "02 November", 5110)]
    with pytest.raises(SourceError, match="not a number") as err:
        parse(workbook(tmp_path, totals=totals), ctx)
    assert err.value.line == 3 and "sheet 'Monthly Count'" in err.value.message


def test_text_and_empty_quantity(ctx, tmp_path):
    with pytest.raises(SourceError, match="not a number") as err:
        parse(workbook(tmp_path, sectors=[(2024, "12 September", "El Paso, TX", "D")]), ctx)
    assert err.value.line == 2
    with pytest.raises(SourceError, match="empty") as err:
        parse(workbook(tmp_path, sectors=SECTORS[:2] + [(2024, "12 September", "Yuma, AZ", None)]), ctx)
    assert err.value.line == 4 and err.value.column == "Quantity"


def test_duplicate_sector_month_names_both_rows(ctx, tmp_path):
    sectors = SECTORS + [(2025, "01 October", "El Paso, TX", 5930)]
    with pytest.raises(SourceError, match="duplicate") as err:
        parse(workbook(tmp_path, sectors=sectors), ctx)
    assert "lines 6 and 9" in err.value.message


def test_unknown_sector_is_listed(ctx, tmp_path):
    sectors = SECTORS + [(2025, "02 November", "Gotham, NY", 10), (2025, "02 November", "Atlantis, FL", 10)]
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, sectors=sectors), ctx)
    assert err.value.line == 9 and err.value.column == "Sector"
    assert "'Gotham, NY'" in err.value.message and "'Atlantis, FL'" in err.value.message


def test_month_label_with_wrong_fiscal_month_number(ctx, tmp_path):
    sectors = [(2025, "02 October", "El Paso, TX", 10)]
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, sectors=sectors, totals=[(2025, "01 October", 10)]), ctx)
    assert err.value.line == 2 and err.value.column == "Month" and "expected 01" in err.value.message


def test_unknown_month_label(ctx, tmp_path):
    with pytest.raises(SourceError) as err:
        parse(workbook(tmp_path, sectors=[(2025, "Q1", "El Paso, TX", 10)]), ctx)
    assert err.value.line == 2 and err.value.column == "Month"


# --------------------------------------------------------------------------- the real workbook


def _check_real(frame: pd.DataFrame) -> None:
    assert len(frame) == 5830
    assert frame["month"].min() == pd.Timestamp("1999-10-01")
    assert frame["month"].max() == pd.Timestamp("2024-11-01")
    assert (frame["count"] % 10 == 0).all() and frame["is_rounded"].all()
    assert frame["area_id"].nunique() == 21
    # the 9 Southwest border sectors are present every month
    sw = {"US-SEC-" + c for c in ("SDC", "ELC", "YUM", "TCA", "EPT", "BBT", "DRT", "LRT", "RGV")}
    per_month = frame[frame["area_id"].isin(sw)].groupby("month")["area_id"].nunique()
    assert (per_month == 9).all() and len(per_month) == 302


def test_real_workbook(ctx):
    path = real_file("ohss", "KHSM Encounters (USBP) fy25m11.xlsx")
    p = parse(path, ctx)[0]
    _check_real(p.frame)
    total_note = next(n for n in p.notes if "Monthly Count" in n)
    assert "302 months" in total_note
    # Oct 1999 - Nov 2024 national total of Border Patrol encounters by the sector sheet
    fy2000 = p.frame.loc[p.frame["fiscal_year"] == 2000, "count"].sum()
    assert abs(fy2000 - 1_590_310) <= 5 * 12 * 22  # 'Annual Count' FY2000, within rounding


def test_real_workbook_with_project_gazetteer():
    path = real_file("ohss", "KHSM Encounters (USBP) fy25m11.xlsx")
    _check_real(parse(path, real_gazetteer_ctx())[0].frame)
