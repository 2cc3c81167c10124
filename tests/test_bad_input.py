"""Every CSV source, fed the same kinds of broken file through `ingest`: a clear error naming the
source, the file and the line or column, and the current release untouched.

The adapters' own tests cover the layout-specific faults (negative counts, duplicate rows,
unknown place names, totals that disagree with their parts); this file makes sure no
adapter lets a generic fault through.
"""
from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from etl import pipeline
from etl.warehouse import Warehouse

FIX = Path(__file__).parent / "fixtures"
GOOD = {
    "cbp_encounters": FIX / "cbp_encounters" / "southwest.csv",
    "usbp_history": FIX / "usbp_history" / "sw_deaths.csv",
    "inegi_homicides": FIX / "inegi_homicides" / "state_month.csv",
    "conapo_population": FIX / "conapo_population" / "projections.csv",
    "iom_missing_migrants": FIX / "iom_missing_migrants" / "incidents.csv",
    "pcome_remains": FIX / "pcome_remains" / "records.csv",
    "sesnsp_state_victims": FIX / "sesnsp_state_victims" / "victims_long.csv.bz2",
}


def plain(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:3] == b"BZh":
        return bz2.decompress(data)
    return data


def cut_mid_line(data: bytes) -> bytes:
    body = data.rstrip(b"\r\n")
    return body[: body.rfind(b"\n") + 1 + (len(body) - body.rfind(b"\n")) // 2]


# a column each adapter needs, renamed by the publisher
USED_COLUMN = {
    "cbp_encounters": b"Encounter Count",
    "usbp_history": b"deaths",
    "inegi_homicides": b"homicides",
    "conapo_population": b"total",
    "iom_missing_migrants": b"Number of Dead",
    "pcome_remains": b"ML Number",
    "sesnsp_state_victims": b"n_victimas",
}


def rename_used_column(data: bytes, source_id: str) -> bytes:
    head, rest = data.split(b"\n", 1)
    old = USED_COLUMN[source_id]
    assert old in head
    return head.replace(old, b"Renamed Column", 1) + b"\n" + rest


def truncated_gzip(data: bytes) -> bytes:
    packed = gzip.compress(data * 20)
    return packed[: len(packed) // 2]


FAULTS = {
    "empty": (lambda d: b"", "empty"),
    "header only": (lambda d: d.split(b"\n", 1)[0] + b"\n", "no data rows"),
    "html page": (lambda d: b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head></html>\n", "HTML"),
    "cut mid-line": (cut_mid_line, "line"),
    "renamed column": (rename_used_column, "missing column"),
    "utf-16 without BOM": (lambda d: d.decode("utf-8-sig", "replace").encode("utf-16-le"), "NUL"),
    "truncated gzip": (truncated_gzip, "truncated"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One release holding every source's good fixture."""
    data_dir = tmp_path_factory.mktemp("bad") / "data"
    for sid, path in GOOD.items():
        result = pipeline.run(data_dir, source_ids=[sid], files=[path])
        assert result.exit_code == 0, (sid, result.outcomes[sid].error)
    return data_dir


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("source_id", sorted(GOOD))
def test_broken_file_is_a_clear_error_and_loses_nothing(published, tmp_path, source_id, fault):
    make, expected = FAULTS[fault]
    name = "broken.csv.gz" if fault == "truncated gzip" else "broken.csv"
    bad = tmp_path / name
    data = plain(GOOD[source_id])
    bad.write_bytes(make(data, source_id) if fault == "renamed column" else make(data))
    wh = Warehouse(published)
    before = wh.current()
    before_rows = before.manifest["sources"][source_id]["rows"]
    result = pipeline.run(published, source_ids=[source_id], files=[bad])
    outcome = result.outcomes[source_id]
    assert outcome.status == "failed" and result.exit_code == 2
    assert outcome.error.startswith(f"{source_id}: {name}")
    assert expected.lower() in outcome.error.lower()
    detail = outcome.error_detail
    assert detail["line"] is not None or detail["column"] is not None or fault in ("empty", "truncated gzip", "utf-16 without BOM")
    after = wh.current()
    assert after.id == before.id
    assert after.manifest["sources"][source_id]["rows"] == before_rows > 0
