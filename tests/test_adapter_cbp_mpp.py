"""CBP's MPP statistics pages (cbp_mpp): tables found by heading, read by header text, totals checked and kept.

Fixtures (tests/fixtures/cbp_mpp/) are pages written in the shape CBP's pages have: fy2020.html holds the real
FY 2020 enrolment figures (the conformance figures below are CBP's, from ../shared/data/real/cbp-mpp/README.md);
every other number in the fixtures is synthetic, and fy2021.html prints a CBP Total that disagrees with its cells.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from borderstats.cli import main
from etl import changes, pipeline
from etl.adapters.cbp_mpp import parse
from etl.errors import SourceError
from etl.warehouse import Warehouse
from tests.conftest import FIXTURES, real_file
from tests.support.mpp_pages import CSV_NAME, ENROL_HEADING, page_from_csv, read_rows

PAGES = FIXTURES / "cbp_mpp"
# CBP's printed "CBP Total" enrolments, January-September 2020 (FY 2020 page; README of the shared data)
CBP_TOTAL_2020 = [1974, 1829, 2255, 215, 124, 208, 382, 768, 1167]
EL_PASO_SECTOR_JAN_SEP_2020 = 3039


def tables(path_or_text, ctx, tmp_path=None) -> dict[str, object]:
    path = path_or_text
    if isinstance(path_or_text, str):
        path = tmp_path / "page.html"
        path.write_text(path_or_text, encoding="utf-8")
    return {p.table: p for p in parse(path, ctx)}


def page_text(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the fixtures


def test_fy2020_page_reproduces_cbps_printed_totals_and_el_paso(ctx):
    got = tables(PAGES / "fy2020.html", ctx)
    enr = got["mpp_enrollments"]
    assert enr.dataset == "cbp_mpp_enrollments_fy2020"
    df = enr.frame
    assert set(df["component"]) == {"U.S. Border Patrol", "Office of Field Operations"}
    by_month = df.groupby("month")["count"].sum()
    assert list(by_month.index) == list(pd.date_range("2020-01-01", "2020-09-01", freq="MS"))
    assert list(by_month) == CBP_TOTAL_2020 and sum(by_month) == 8922
    el_paso = df[(df["place_id"] == "US-SEC-EPT")]
    assert int(el_paso["count"].sum()) == EL_PASO_SECTOR_JAN_SEP_2020
    assert set(df[df["component"] == "Office of Field Operations"]["place_id"]) == {
        "US-FO-EL-PASO", "US-FO-LAREDO", "US-FO-SAN-DIEGO", "US-FO-TUCSON"}
    assert set(df[df["component"] == "U.S. Border Patrol"]["place_id"]) == {
        "US-SEC-BBT", "US-SEC-DRT", "US-SEC-ELC", "US-SEC-EPT", "US-SEC-LRT", "US-SEC-RGV", "US-SEC-SDC",
        "US-SEC-TCA", "US-SEC-YUM"}
    assert df["totals_reconcile"].all()
    totals = got["mpp_enrollment_totals"].frame
    cbp = totals[totals["total_label"] == "CBP Total"].sort_values("month")
    assert list(cbp["printed_total"]) == CBP_TOTAL_2020 and cbp["totals_reconcile"].all()
    # the cross-check tables are reported, never published
    assert set(got) == {"mpp_enrollments", "mpp_enrollment_totals", "mpp_fear_referrals"}
    assert any("cross-check only" in n and "USBP Apprehensions" in n for n in enr.notes)


def test_fy2021_page_keeps_a_disagreeing_printed_total_and_flags_the_month(ctx):
    got = tables(PAGES / "fy2021.html", ctx)
    enr = got["mpp_enrollments"].frame
    assert got["mpp_enrollments"].dataset == "cbp_mpp_enrollments_fy2021"
    dec = pd.Timestamp("2020-12-01")
    assert not enr.loc[enr["month"] == dec, "totals_reconcile"].any()
    assert enr.loc[enr["month"] != dec, "totals_reconcile"].all()
    totals = got["mpp_enrollment_totals"].frame
    row = totals[(totals["month"] == dec) & (totals["total_label"] == "CBP Total")].iloc[0]
    # 999 is what the fixture prints; the sum is computed from the published rows of that month
    assert row["printed_total"] == 999 and row["sum_of_parts"] == int(enr.loc[enr["month"] == dec, "count"].sum())
    assert not row["totals_reconcile"]
    assert any("CBP Total for Dec 2020 is printed as 999" in n for n in got["mpp_enrollments"].notes)
    # February 2021 is an empty column: missing, never zero
    assert pd.Timestamp("2021-02-01") not in set(enr["month"])
    assert any("empty cells" in n and "Feb 2021" in n for n in got["mpp_enrollments"].notes)


def test_reapprehensions_strip_footnote_markers_and_read_comma_numbers(ctx):
    got = tables(PAGES / "fy2021.html", ctx)
    re_ = got["mpp_reapprehensions"]
    assert re_.dataset == "cbp_mpp_reapprehensions_fy2021"
    df = re_.frame
    assert set(df["demographic"]) == {"Single Adult", "UAC", "FMUA"}
    dec = df[df["month"] == pd.Timestamp("2020-12-01")].set_index("demographic")["count"]
    assert dec.to_dict() == {"Single Adult": 1203, "UAC": 2, "FMUA": 5}  # the fixture prints 1,203
    assert df["totals_reconcile"].all()


def test_fear_referrals_fill_the_fiscal_year_down_and_check_the_grand_total(ctx):
    got = tables(PAGES / "fy2020.html", ctx)
    fear = got["mpp_fear_referrals"].frame.sort_values("month")
    assert list(fear["month"].dt.strftime("%Y-%m")) == ["2019-10", "2019-11", "2019-12", "2020-01"]
    assert list(fear["fiscal_year"]) == [2020] * 4
    assert int(fear["count"].sum()) == 1126  # the Grand Total the fixture prints
    got21 = tables(PAGES / "fy2021.html", ctx)
    f21 = got21["mpp_fear_referrals"].frame  # "FY 2021" written once, spanning two rows
    assert list(f21["month"].dt.strftime("%Y-%m")) == ["2020-10", "2020-11"] and list(f21["fiscal_year"]) == [2021] * 2


# --------------------------------------------------------------------------- conformance with the real figures


def test_conformance_with_the_transcribed_fy2020_enrolment_table(ctx, tmp_path):
    rows = read_rows(real_file("cbp-mpp", CSV_NAME))
    got = tables(page_from_csv(rows), ctx, tmp_path)
    df = got["mpp_enrollments"].frame
    cbp_total = {r["month"]: int(r["mpp_enrollments"]) for r in rows if r["location"] == "CBP Total"}
    by_month = df.groupby(df["month"].dt.strftime("%Y-%m"))["count"].sum().to_dict()
    assert by_month == cbp_total
    assert [cbp_total[m] for m in sorted(cbp_total)] == CBP_TOTAL_2020 and sum(cbp_total.values()) == 8922
    el_paso = sum(int(r["mpp_enrollments"]) for r in rows if r["location_kind"] == "sector" and r["location"] == "El Paso")
    assert el_paso == EL_PASO_SECTOR_JAN_SEP_2020
    assert int(df.loc[df["place_id"] == "US-SEC-EPT", "count"].sum()) == el_paso
    parts = [r for r in rows if r["location_kind"] in ("sector", "field_office")]
    assert len(df) == len(parts)  # every cell, none dropped (the table has no empty cells)
    assert df["totals_reconcile"].all()  # the README: every month's parts add up to the printed totals


# --------------------------------------------------------------------------- bad input


def expect_error(text: str, ctx, tmp_path, *fragments: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        tables(text, ctx, tmp_path)
    message = str(info.value)
    for f in fragments:
        assert f in message, message
    return info.value


def test_a_table_that_lost_a_column_is_an_error_naming_the_table(ctx, tmp_path):
    text = page_text("fy2020.html").replace("<th>Location</th>", "", 1)
    expect_error(text, ctx, tmp_path, ENROL_HEADING, "Component | Jan-20", "lost or renamed")


def test_a_row_short_of_a_cell_is_an_error_naming_the_row(ctx, tmp_path):
    text = page_text("fy2020.html").replace("<td>Yuma</td><td>25</td>", "<td>Yuma</td>", 1)
    expect_error(text, ctx, tmp_path, ENROL_HEADING, "'Yuma'", "cells")


def test_a_gained_month_is_read_and_months_out_of_order_are_an_error(ctx, tmp_path):
    text = page_text("fy2021.html")
    # the page gained a month: a new column at the end, cells not yet filled (missing, not zero) but for one row
    start = text.index("SOUTHWEST BORDER ENROLLMENTS IN MPP")
    end = text.index("</table>", start)
    table = text[start:end].replace("<th>Feb-21</th></tr>", "<th>Feb-21</th><th>Mar-21</th></tr>")
    table = table.replace("</td></tr>", "</td><td></td></tr>")
    table = table.replace("<td>Big Bend</td><td>1</td><td>2</td><td>3</td><td>0</td><td></td><td></td>",
                          "<td>Big Bend</td><td>1</td><td>2</td><td>3</td><td>0</td><td></td><td>4</td>")
    gained = text[:start] + table + text[end:]
    got = tables(gained, ctx, tmp_path)
    enr = got["mpp_enrollments"].frame
    march = enr[enr["month"] == pd.Timestamp("2021-03-01")]
    assert list(zip(march["place_id"], march["count"])) == [("US-SEC-BBT", 4)]
    # the printed totals of March are empty while a cell is not: the page contradicts itself, the month is flagged
    assert not enr.loc[enr["month"] == pd.Timestamp("2021-03-01"), "totals_reconcile"].any()
    totals = got["mpp_enrollment_totals"].frame
    mar = totals[totals["month"] == pd.Timestamp("2021-03-01")].set_index("total_label")
    assert mar["printed_total"].isna().all() and mar.loc["USBP Monthly Enrollment Total", "sum_of_parts"] == 4
    assert "OFO Monthly Enrollment Total" not in mar.index  # total and cells empty: a month not covered yet
    swapped = text.replace("<th>Nov-20</th><th>Dec-20</th>", "<th>Dec-20</th><th>Nov-20</th>", 1)
    expect_error(swapped, ctx, tmp_path, "table 'USBP Apprehensions by Southwest Border Sector'",  # the first table
                 "month column 'Dec-20' does not follow 'Oct-20'", "one after another")


def test_a_changed_heading_names_the_headings_seen(ctx, tmp_path):
    text = page_text("fy2020.html").replace(ENROL_HEADING, "Southwest Border MPP Enrolment Figures")
    expect_error(text, ctx, tmp_path, "not recognised", "'Southwest Border MPP Enrolment Figures'",
                 "southwest border enrollments in mpp")


def test_an_unknown_category_or_sector_and_a_cell_that_is_not_a_count(ctx, tmp_path):
    text = page_text("fy2021.html")
    expect_error(text.replace("<td>FMUA</td>", "<td>Family Units3</td>"), ctx, tmp_path,
                 "unknown category 'Family Units3'")
    expect_error(text.replace("<td>Yuma</td>", "<td>Yuna</td>", 3), ctx, tmp_path, ENROL_HEADING.upper(), "'Yuna'",
                 "not in the gazetteer")
    expect_error(text.replace("<td>1,203</td>", "<td>1.203</td>", 1), ctx, tmp_path,
                 "row 'Single Adult1'", "column 'Dec-20'", "'1.203' is not a count")


@pytest.mark.parametrize("title, body", [
    ("Access Denied", "<h1>Access Denied</h1><p>You don't have permission to access this server.</p>"
                      "<p>Reference #18.5c1d3417.1700000000.1a2b3c</p>"),
    ("Just a moment...", "<div>Checking your browser before accessing www.cbp.gov.</div>"
                         "<noscript>Enable JavaScript and cookies to continue</noscript>"),
])
def test_an_error_or_challenge_page_is_an_error(ctx, tmp_path, title, body):
    text = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"
    expect_error(text, ctx, tmp_path, "not CBP's MPP statistics page", repr(title))


def test_a_page_with_no_known_table_says_what_it_saw(ctx, tmp_path):
    text = "<html><head><title>Migrant Protection Protocols</title></head><body><h2>News</h2><p>x</p></body></html>"
    expect_error(text, ctx, tmp_path, "no MPP statistics table", "'News'")


def test_a_reapprehension_total_that_does_not_add_up_is_published_with_a_note_and_a_flag(ctx, tmp_path):
    text = page_text("fy2021.html").replace("<td><strong>1,210</strong></td>", "<td><strong>1,211</strong></td>", 1)
    assert text != page_text("fy2021.html")
    got = tables(text, ctx, tmp_path)["mpp_reapprehensions"]
    dec = got.frame["month"] == pd.Timestamp("2020-12-01")
    assert not got.frame.loc[dec, "totals_reconcile"].any() and got.frame.loc[~dec, "totals_reconcile"].all()
    assert any("Total for Dec 2020 is printed as 1,211 but its rows add up to 1,210" in n for n in got.notes)


# --------------------------------------------------------------------------- end to end


def mirror_with(root: Path, pages: dict[str, str]) -> Path:
    folder = root / "cbp_mpp"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def test_refresh_from_a_mirror_publishes_the_tables_and_reports_a_revised_page(tmp_path, capsys):
    data_dir, mirror = tmp_path / "data", tmp_path / "mirror"
    fy2020, fy2021 = page_text("fy2020.html"), page_text("fy2021.html")
    mirror_with(mirror, {"fy2020.html": fy2020, "fy2021.html": fy2021})
    assert main(["refresh", "--source", "cbp_mpp", "--mirror", str(mirror), "--data-dir", str(data_dir)]) == 0
    first = Warehouse(data_dir).current()
    enr = first.read("mpp_enrollments")
    fy20 = enr[enr["dataset"] == "cbp_mpp_enrollments_fy2020"]
    assert int(fy20.loc[fy20["place_id"] == "US-SEC-EPT", "count"].sum()) == EL_PASO_SECTOR_JAN_SEP_2020
    assert list(fy20.groupby("month")["count"].sum()) == CBP_TOTAL_2020
    assert set(first.read("mpp_reapprehensions")["dataset"]) == {"cbp_mpp_reapprehensions_fy2021"}
    package = json.loads((first.path / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"mpp_enrollments", "mpp_enrollment_totals", "mpp_reapprehensions", "mpp_fear_referrals"} <= names
    entry = first.manifest["sources"]["cbp_mpp"]
    assert entry["status"] == "ok" and any("printed as 999" in n for n in entry["notes"])

    # the FY2021 page is revised in place: one re-apprehension month and one enrolment cell change
    revised = (fy2021.replace("<td>1,203</td>", "<td>1,230</td>", 1)
               .replace("<td><strong>1,210</strong></td>", "<td><strong>1,237</strong></td>", 1))
    assert revised != fy2021
    mirror_with(mirror, {"fy2020.html": fy2020, "fy2021.html": revised})
    assert main(["refresh", "--source", "cbp_mpp", "--mirror", str(mirror), "--data-dir", str(data_dir)]) == 0
    assert "1,203 -> 1,230 (+27" in capsys.readouterr().out
    rep = changes.load(Warehouse(data_dir).current())
    assert rep["previous"] == first.id
    table = rep["tables"]["mpp_reapprehensions"]
    assert table["revisions_total"] == 1
    rev = table["revisions"][0]
    assert (rev["old"], rev["new"], rev["key"]["demographic"], rev["key"]["month"]) == (1203, 1230, "Single Adult",
                                                                                          "2020-12-01")
    assert "mpp_enrollments" not in rep["tables"]  # the FY 2020 page did not change, nor did the enrolments


def test_a_bad_page_names_the_file_and_the_previous_release_keeps_serving(tmp_path):
    data_dir, mirror = tmp_path / "data", tmp_path / "mirror"
    mirror_with(mirror, {"fy2020.html": page_text("fy2020.html")})
    assert pipeline.run(data_dir, source_ids=["cbp_mpp"], mirror=mirror).published
    served = Warehouse(data_dir).current().id
    mirror_with(mirror, {"fy2020.html": page_text("fy2020.html").replace("<th>Location</th>", "", 1)})
    result = pipeline.run(data_dir, source_ids=["cbp_mpp"], mirror=mirror)
    error = result.outcomes["cbp_mpp"].error
    assert not result.published and "cbp_mpp" in error and "fy2020.html" in error and ENROL_HEADING in error
    assert Warehouse(data_dir).current().id == served


def test_markup_variants_a_caption_a_title_row_totals_in_the_component_column_and_footnote_rows(ctx, tmp_path):
    """The same figures in other markup: the heading as a caption, a title row inside the table, totals written in
    the component column, a footnote row of one cell, a fiscal year on a row of its own."""
    text = ("<html><head><title>Migrant Protection Protocols FY2021</title></head><body><table>"
            "<caption>Southwest Border Enrollments in MPP</caption>"
            "<tr><th>Component</th><th>Location</th><th>Oct-20</th><th>Nov-20</th></tr>"
            "<tr><td>USBP</td><td>El Paso</td><td>3</td><td>4</td></tr>"
            "<tr><td></td><td>Yuma</td><td>1</td><td></td></tr>"
            "<tr><td>USBP Monthly Enrollment Total</td><td></td><td>4</td><td>4</td></tr>"
            "<tr><td>OFO</td><td>El Paso</td><td>2</td><td>0</td></tr>"
            "<tr><td>OFO Monthly Enrollment Total</td><td></td><td>2</td><td>0</td></tr>"
            "<tr><td>CBP Total</td><td></td><td>6</td><td>4</td></tr>"
            "<tr><td>*Synthetic test figures</td></tr></table>"
            "<table><tr><td colspan='3'>Cases referred to USCIS for MPP Fear Assessment</td></tr>"
            "<tr><th>FY</th><th>Month</th><th>Cases</th></tr><tr><td>2021</td><td></td><td></td></tr>"
            "<tr><td></td><td>Oct</td><td>2</td></tr><tr><td>Grand Total</td><td></td><td>2</td></tr></table>"
            "</body></html>")
    got = tables(text, ctx, tmp_path)
    enr = got["mpp_enrollments"].frame
    assert got["mpp_enrollments"].dataset == "cbp_mpp_enrollments_fy2021"
    assert sorted(zip(enr["place_id"], enr["month"].dt.strftime("%Y-%m"), enr["count"])) == [
        ("US-FO-EL-PASO", "2020-10", 2), ("US-FO-EL-PASO", "2020-11", 0), ("US-SEC-EPT", "2020-10", 3),
        ("US-SEC-EPT", "2020-11", 4), ("US-SEC-YUM", "2020-10", 1)]
    assert enr["totals_reconcile"].all() and len(got["mpp_enrollment_totals"].frame) == 6
    fear = got["mpp_fear_referrals"].frame
    assert list(zip(fear["month"].dt.strftime("%Y-%m"), fear["count"])) == [("2020-10", 2)]


def test_a_table_in_a_section_without_mpp_figures_is_left_out_with_a_note(ctx, tmp_path):
    text = page_text("fy2020.html").replace(
        "<h3>USBP Apprehensions by Southwest Border Sector</h3>",
        "<table><tr><th>Total</th><th>Jan-20</th></tr><tr><td>All</td><td>5</td></tr></table>"
        "<h3>USBP Apprehensions by Southwest Border Sector</h3>", 1)
    got = tables(text, ctx, tmp_path)
    assert any("table 1 under 'Southwest Border Total Encounters' not read" in n for n in got["mpp_enrollments"].notes)


def test_the_page_is_named_by_its_title_not_by_links_to_other_years(ctx, tmp_path):
    text = page_text("fy2021.html").replace("<title>Migrant Protection Protocols FY2021 |",
                                            "<title>Migrant Protection Protocols |")
    text = text.replace("<body>", "<body><ul><li><a href='/x'>Migrant Protection Protocols FY 2020</a></li></ul>", 1)
    got = tables(text, ctx, tmp_path)
    assert got["mpp_reapprehensions"].dataset == "cbp_mpp_reapprehensions_current"
