"""USBP historical tables (J. Kaplan's transcription): three layouts, published totals checked and dropped."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.adapters import Context
from etl.adapters.usbp_history import parse
from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer

from .conftest import real_file
from .test_adapter_cbp import real_gazetteer_ctx, tiny_gazetteer

FIX = Path(__file__).parent / "fixtures" / "usbp_history"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(tiny_gazetteer())


def write(tmp_path: Path, text: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def by_dataset(parsed) -> dict:
    return {p.dataset: p for p in parsed}


# --------------------------------------------------------------------------- annual tables


def test_sw_apprehensions_annual(ctx):
    [p] = parse(FIX / "sw_apprehensions.csv", ctx)
    assert p.table == "apprehensions_annual" and p.dataset == "usbp_sw_apprehensions_annual"
    f = p.frame
    assert list(f.columns) == ["dataset", "fiscal_year", "area_id", "area_name", "count", "source_id", "_line"]
    assert len(f) == 8  # the two 'southwest border' rows are dropped
    assert "southwest border" not in set(f["area_name"])
    assert f.loc[f["area_name"] == "rio grande valley", "area_id"].unique().tolist() == ["US-SEC-RGV"]
    assert f.groupby("fiscal_year")["count"].sum().to_dict() == {1965: 19980, 2001: 337663}
    assert list(f["_line"]) == [2, 3, 4, 5, 7, 8, 9, 10]
    assert any("2 published total rows" in n for n in p.notes)
    assert not any("differs" in n for n in p.notes)


def test_sw_deaths_annual(ctx):
    [p] = parse(FIX / "sw_deaths.csv", ctx)
    assert p.table == "sector_deaths" and p.dataset == "usbp_sw_deaths_annual"
    f = p.frame
    assert "deaths" in f.columns and "count" not in f.columns
    assert f.groupby("fiscal_year")["deaths"].sum().to_dict() == {2005: 305, 2006: 228}
    assert set(f["area_id"]) == {"US-SEC-ELC", "US-SEC-TCA", "US-SEC-YUM"}


def test_total_that_disagrees_with_its_sectors_is_noted_and_dropped(ctx, tmp_path):
    text = (FIX / "sw_deaths.csv").read_text().replace("southwest border,2006,228", "southwest border,2006,231")
    [p] = parse(write(tmp_path, text), ctx)
    note = next(n for n in p.notes if "differs" in n)
    assert "southwest border FY2006: 231 published, 228 summed" in note
    assert len(p.frame) == 6 and p.frame["deaths"].sum() == 305 + 228


def test_former_sector_name_via_alias_and_two_names_of_one_sector(tmp_path):
    gaz = tiny_gazetteer(aliases=[{"alias": "Marfa", "place_id": "US-SEC-BBT", "note": "former name"}])
    ctx = Context(gaz)
    text = (FIX / "sw_apprehensions.csv").read_text().replace("big bend,1965", "marfa,1965")
    [p] = parse(write(tmp_path, text), ctx)
    row = p.frame[p.frame["fiscal_year"] == 1965].iloc[0]
    assert row["area_id"] == "US-SEC-BBT" and row["area_name"] == "marfa"
    text += "big bend,1965,3410\n"  # the same sector under its new name too
    with pytest.raises(SourceError, match="duplicate") as err:
        parse(write(tmp_path, text), ctx)
    assert "lines 7 and 12" in err.value.message


# --------------------------------------------------------------------------- monthly family / child file


def test_monthly_totals_and_family_child_are_separate_datasets(ctx):
    parsed = by_dataset(parse(FIX / "family_child_monthly.csv", ctx))
    assert set(parsed) == {"usbp_history_monthly", "usbp_history_monthly_family_child"}
    totals = parsed["usbp_history_monthly"].frame
    fc = parsed["usbp_history_monthly_family_child"].frame
    assert all(p.table == "encounters" for p in parsed.values())
    # 4 sectors x 2 years x 2 months; Livermore's NA totals dropped; no total or yearly rows
    assert len(totals) == 16
    assert set(totals["area_id"]) == {"US-SEC-BBT", "US-SEC-EPT", "US-SEC-BLW", "US-SEC-MIP"}
    assert set(totals["component"]) == {"U.S. Border Patrol"} and set(totals["demographic"]) == {""}
    assert set(totals["month"].dt.strftime("%Y-%m")) == {"2011-10", "2011-11", "2012-10", "2012-11"}
    oct12 = totals[(totals["month"] == pd.Timestamp("2012-10-01"))]
    assert set(oct12["fiscal_year"]) == {2013} and oct12["count"].sum() == 1650  # = the nationwide total row
    # children in FY2012 and FY2013, families only in FY2013
    assert set(fc["demographic"]) == {"Unaccompanied Children", "Family Units"}
    uc = fc[fc["demographic"] == "Unaccompanied Children"]
    fam = fc[fc["demographic"] == "Family Units"]
    assert len(uc) == 16 and len(fam) == 8
    assert set(fam["fiscal_year"]) == {2013}
    assert fam["count"].sum() == 73 and uc["count"].sum() == 127 + 12 + 9 + 30 + 25 + 0 + 1 + 2 + 0
    notes_total = parsed["usbp_history_monthly"].notes
    assert any("livermore FY2012-FY2013" in n and "NA, not zero" in n for n in notes_total)
    notes_fc = parsed["usbp_history_monthly_family_child"].notes
    assert any("family units" in n and "start in FY2013" in n for n in notes_fc)
    assert any("'yearly total' rows" in n for n in notes_total)
    assert not any("differs" in n for n in notes_total + notes_fc)


def test_monthly_regional_total_mismatch_is_noted(ctx, tmp_path):
    text = (FIX / "family_child_monthly.csv").read_text().replace(
        "northern border,2013,october,52,1,0", "northern border,2013,october,52,1,5")
    parsed = by_dataset(parse(write(tmp_path, text), ctx))
    notes = parsed["usbp_history_monthly_family_child"].notes
    assert any("family_apprehensions" in n and "northern border FY2013 october: 5 published, 0 summed" in n
               for n in notes)


def test_monthly_yearly_total_mismatch_is_noted(ctx, tmp_path):
    text = (FIX / "family_child_monthly.csv").read_text().replace(
        "el paso,2013,yearly total,1976,84,59", "el paso,2013,yearly total,1977,84,59")
    parsed = by_dataset(parse(write(tmp_path, text), ctx))
    assert any("yearly total vs. sum of months" in n and "el paso FY2013: 1977 published, 1976 summed" in n
               for n in parsed["usbp_history_monthly"].notes)


def test_sector_outside_known_regions_is_an_error_when_regional_totals_exist(tmp_path):
    gaz = tiny_gazetteer()
    extra = pd.DataFrame([{"place_id": "US-SEC-ZZZ", "name": "Zed", "kind": "sector", "country": "US"}])
    ctx = Context(Gazetteer(pd.concat([gaz.places, extra.reindex(columns=PLACE_COLUMNS)]), gaz.aliases))
    text = (FIX / "family_child_monthly.csv").read_text() + "zed,2013,october,1,0,0\n"
    with pytest.raises(SourceError, match="no region") as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.line == 56 and err.value.column == "sector"


# --------------------------------------------------------------------------- bad input


def test_unknown_layout_names_columns(ctx, tmp_path):
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, "sector,fiscal_year,apprehended\nyuma,2001,5\n"), ctx)
    assert err.value.line == 1 and "apprehended" in err.value.message


def test_extra_column_is_an_error(ctx, tmp_path):
    text = "sector,fiscal_year,deaths,bodies_recovered\nyuma,2001,5,4\n"
    with pytest.raises(SourceError, match="unexpected") as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.column == "bodies_recovered"


def test_unknown_sector_is_listed(ctx, tmp_path):
    text = (FIX / "sw_deaths.csv").read_text() + "gotham,2006,1\natlantis,2006,2\n"
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.line == 10 and err.value.column == "sector"
    assert "'gotham'" in err.value.message and "'atlantis'" in err.value.message


def test_negative_count(ctx, tmp_path):
    text = (FIX / "sw_deaths.csv").read_text().replace("tucson,2005,219", "tucson,2005,-219")
    with pytest.raises(SourceError, match="negative") as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.line == 3 and err.value.column == "deaths"


def test_missing_value_in_annual_table_is_an_error(ctx, tmp_path):
    text = (FIX / "sw_deaths.csv").read_text().replace("tucson,2005,219", "tucson,2005,NA")
    with pytest.raises(SourceError, match="empty") as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.line == 3


def test_duplicate_row(ctx, tmp_path):
    text = (FIX / "family_child_monthly.csv").read_text() + "blaine,2013,october,52,1,0\n"
    with pytest.raises(SourceError, match="duplicate") as err:
        parse(write(tmp_path, text), ctx)
    assert "lines 8 and 56" in err.value.message


def test_bad_month_and_year(ctx, tmp_path):
    base = (FIX / "family_child_monthly.csv").read_text()
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, base.replace("miami,2013,november", "miami,2013,brumaire")), ctx)
    assert err.value.line == 12 and err.value.column == "month"
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, base.replace("miami,2013,november", "miami,20l3,november")), ctx)
    assert err.value.line == 12 and err.value.column == "fiscal_year"


def test_empty_cut_and_html(ctx, tmp_path):
    with pytest.raises(SourceError, match="empty"):
        parse(write(tmp_path, ""), ctx)
    text = (FIX / "sw_deaths.csv").read_text()
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text[:-6]), ctx)
    assert err.value.line == 9
    page = "<html><head><title>404: Not Found</title></head></html>\n"
    with pytest.raises(SourceError, match="HTML.*404"):
        parse(write(tmp_path, page), ctx)


# --------------------------------------------------------------------------- the real files


def _real(ctx: Context) -> dict:
    out = {}
    for name in ("southwest_border_apprehensions_1960_2019.csv", "southwest_border_deaths_1998_2019.csv",
                 "family_child_total_monthly_2000_2019.csv"):
        path = real_file("usbp-history", name)
        for p in parse(path, ctx):
            out[p.dataset] = p
    return out


def _check_real(parsed: dict) -> None:
    appr = parsed["usbp_sw_apprehensions_annual"].frame
    assert len(appr) == 540 and appr["fiscal_year"].agg(["min", "max"]).tolist() == [1960, 2019]
    sw = appr.groupby("fiscal_year")["count"].sum()
    assert sw[1960] == 21_022 and sw[2019] == 851_508  # the published 'southwest border' totals
    assert not any("differs" in n for n in parsed["usbp_sw_apprehensions_annual"].notes)
    deaths = parsed["usbp_sw_deaths_annual"].frame
    assert len(deaths) == 198 and deaths.groupby("fiscal_year")["deaths"].sum()[1998] == 263
    monthly = parsed["usbp_history_monthly"]
    assert len(monthly.frame) == 4872 and monthly.frame["area_id"].nunique() == 21
    assert "US-SEC-LIV" in set(monthly.frame["area_id"])
    fc = parsed["usbp_history_monthly_family_child"]
    first = fc.frame.groupby("demographic")["fiscal_year"].min().to_dict()
    assert first == {"Family Units": 2013, "Unaccompanied Children": 2010}
    # the transcription's one inconsistency: northern border family units, Oct-Dec FY2018
    differs = [n for n in fc.notes if "differs" in n]
    assert len(differs) == 1 and "(3)" in differs[0] and "northern border FY2018 october: 8 published, 13 summed" in differs[0]
    # FY2019 SW apprehensions: the monthly file agrees with the annual table
    sw_ids = set(appr["area_id"])
    m19 = monthly.frame[(monthly.frame["fiscal_year"] == 2019) & monthly.frame["area_id"].isin(sw_ids)]
    assert m19["count"].sum() == sw[2019]


def test_real_files(ctx):
    _check_real(_real(ctx))


def test_real_files_with_project_gazetteer():
    _check_real(_real(real_gazetteer_ctx()))


def test_bad_month_label_on_a_total_row_is_caught(ctx, tmp_path):
    text = (FIX / "family_child_monthly.csv").read_text().replace(
        "coastal border,2013,november", "coastal border,2013,brumaire")
    with pytest.raises(SourceError) as err:
        parse(write(tmp_path, text), ctx)
    assert err.value.line == 24 and err.value.column == "month"
