"""The full refresh over the real files of ../shared (skipped when absent): the conformance figures.

Runs `borderstats refresh --mirror` once for the module, as a user would, then checks
the published release against the figures listed in ../shared/data/real/README.md.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from borderstats.cli import main
from etl.status import status
from etl.warehouse import Warehouse
from tests.conftest import SHARED_REAL
from tests.support.real import REAL_FOLDERS, build_mirror

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/data/real is not present")
    root = tmp_path_factory.mktemp("real")
    mirror = build_mirror(SHARED_REAL, root / "mirror")
    data_dir = root / "data"
    code = main(["refresh", "--mirror", str(mirror), "--data-dir", str(data_dir)])
    return data_dir, mirror, code


@pytest.fixture(scope="module")
def release(refreshed):
    return Warehouse(refreshed[0]).current()


def test_refresh_succeeds_for_every_source(refreshed):
    data_dir, _, code = refreshed
    st = status(data_dir)
    failed = {k: v["error"] for k, v in st["sources"].items() if v["status"] in ("failed", "stale")}
    assert failed == {}
    assert code == 0
    for sid in REAL_FOLDERS:
        s = st["sources"][sid]
        assert s["status"] == "ok" and s["rows"] > 0 and s["retrieved_at"], sid


def test_cbp_southwest_fiscal_year_totals(release):
    enc = release.read("encounters")
    sw = enc[enc["dataset"] == "cbp_southwest"]
    totals = sw.groupby("fiscal_year")["count"].sum()
    assert totals[2023] == 2_475_669
    assert totals[2022] == 2_378_944
    assert totals[2024] == 2_135_005


def test_ohss_values_are_flagged_rounded(release):
    enc = release.read("encounters")
    ohss = enc[enc["source_id"] == "ohss_usbp_encounters"]
    assert len(ohss) > 5000 and ohss["is_rounded"].all()
    assert not enc.loc[enc["dataset"] == "cbp_southwest", "is_rounded"].any()


def test_homicides_2019(release):
    hom = release.read("homicides")
    muni = hom[(hom["dataset"] == "inegi_municipal_month") & (hom["month"].dt.year == 2019)]
    by_place = muni.groupby("place_id")["count"].sum()
    assert by_place["02004"] == 2_164
    assert by_place["08037"] == 1_494
    assert by_place["28032"] == 211


def test_conapo_population_2020(release):
    pop = release.read("population")
    p2020 = pop[pop["year"] == 2020].set_index("place_id")["population"]
    assert p2020["02004"] == 1_789_531
    assert p2020["08037"] == 1_464_930
    assert p2020["02002"] == 1_087_478
    places = release.read("places").set_index("place_id")
    assert places.loc["02004", "population_2020"] == 1_789_531
    assert len(places) > 2400  # the INEGI catalogue adds every municipality


def test_iom_us_mexico_route(release):
    deaths = release.read("migrant_deaths")
    iom = deaths[deaths["source_id"] == "iom_missing_migrants"]
    # README: 2,696 incidents / 3,675 people on the route alone; plus one row listing it among two routes (11 people)
    assert len(iom) == 2_696 + 1
    assert int(iom["dead"].sum() + iom["missing"].sum()) == 3_675 + 11


def test_every_table_is_published_in_both_formats_with_a_datapackage(release):
    pkg = json.loads((release.path / "datapackage.json").read_text())
    for res in pkg["resources"]:
        assert (release.path / res["path"]).exists() and (release.path / res["parquet"]).exists()
        csv_rows = sum(1 for _ in open(release.path / res["path"], encoding="utf-8")) - 1
        assert csv_rows == res["rows"], res["name"]
    for src in pkg["sources"]:
        if src["id"] in REAL_FOLDERS:
            assert src["files"] and all(len(f["sha256"]) == 64 for f in src["files"]), src["id"]


def _names_in_pcome(real: Path) -> set[str]:
    with open(real / "pcome" / "ogis_data_original.csv", encoding="utf-8-sig", newline="") as fh:
        names = {(row.get("Name") or "").strip() for row in csv.DictReader(fh)}
    return {n for n in names if len(n) >= 6 and "unknown" not in n.lower() and "unidentified" not in n.lower()}


def _texts_under(folder: Path):
    """Every file under the data dir as text to search, except byte-identical copies of other publishers' files.

    Parquet tables are searched through their distinct values; a table's CSV twin is written from the same
    frame, and is searched in full only for the table that holds the medical examiner's rows.
    """
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            df = pd.read_parquet(path)
            yield path, "\n".join("\n".join(map(str, df[c].dropna().unique())) for c in df.columns)
            continue
        if path.suffix == ".csv" and path.with_suffix(".parquet").exists() and path.stem != "migrant_deaths":
            continue
        meta = Path(str(path) + ".meta.json")
        if meta.exists() and "pcome" not in path.parts[-3]:
            m = json.loads(meta.read_text())
            if m["sha256"] == m["stored_sha256"]:  # an unmodified copy of another publisher's file
                continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:3] == b"BZh":
            data = bz2.decompress(data)
        yield path, data.decode("utf-8", "replace")


def test_no_personal_name_from_the_medical_examiner_anywhere_under_data(refreshed):
    data_dir, _, _ = refreshed
    names = _names_in_pcome(SHARED_REAL)
    assert len(names) > 1000  # the check is real: the source does hold names
    offending = []
    searched = 0
    for path, text in _texts_under(data_dir):
        searched += 1
        if any(n in text for n in names):
            offending.append(str(path.relative_to(data_dir)))  # never print the name itself
    assert searched > 20 and offending == []
    raw = list((data_dir / "raw" / "pcome_remains").rglob("*.meta.json"))
    meta = json.loads(raw[0].read_text())
    assert meta["redacted_columns"] == ["Name"] and meta["sha256"] != meta["stored_sha256"]
    # the file as published did hold the names: the redaction is what keeps them out
    assert meta["sha256"] == __import__("hashlib").sha256((SHARED_REAL / "pcome" / "ogis_data_original.csv").read_bytes()).hexdigest()


def test_unchanged_refresh_publishes_nothing(refreshed):
    data_dir, mirror, _ = refreshed
    before = Warehouse(data_dir).current().id
    assert main(["refresh", "--mirror", str(mirror), "--data-dir", str(data_dir)]) == 0
    assert Warehouse(data_dir).current().id == before
    st = status(data_dir)["sources"]
    assert st["cbp_encounters"]["status"] == "unchanged"


def test_validate_passes_on_the_real_release(refreshed):
    assert main(["validate", "--data-dir", str(refreshed[0])]) == 0


def test_mpp_enrolments_from_the_fy2020_page(refreshed, release):
    """The FY 2020 page (built in the mirror from the transcribed table) publishes CBP's figures exactly: CBP Total
    January-September 2020 and USBP El Paso sector, as ../shared/data/real/cbp-mpp/README.md lists them."""
    from tests.support.mpp_pages import CSV_NAME, read_rows

    rows = read_rows(SHARED_REAL / "cbp-mpp" / CSV_NAME)
    assert status(refreshed[0])["sources"]["cbp_mpp"]["status"] in ("ok", "unchanged")  # after the re-run above
    enr = release.read("mpp_enrollments")
    fy20 = enr[enr["dataset"] == "cbp_mpp_enrollments_fy2020"]
    printed = {r["month"]: int(r["mpp_enrollments"]) for r in rows if r["location"] == "CBP Total"}
    assert fy20.groupby(fy20["month"].dt.strftime("%Y-%m"))["count"].sum().to_dict() == printed
    assert [printed[m] for m in sorted(printed)] == [1974, 1829, 2255, 215, 124, 208, 382, 768, 1167]
    assert int(fy20.loc[fy20["place_id"] == "US-SEC-EPT", "count"].sum()) == 3039
    assert fy20["totals_reconcile"].all()
