"""Shared fixtures: the real files in ../shared (skipped when absent) and the bundled gazetteer."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl.adapters import Context
from etl.config import REPO_ROOT, reference_dir
from etl.gazetteer import Gazetteer

# Tests never touch the internet: an app a test creates over a data folder without a publisher's data (and every
# server a test starts, which inherits this) does not fetch the sources on start. The first-run test
# (tests/browser/test_first_run.py) turns it back on, with a mirror folder.
os.environ.setdefault("BORDERSTATS_NO_FETCH", "1")

SHARED_REAL = REPO_ROOT.parent / "shared" / "data" / "real"
SHARED_ARTICLES = REPO_ROOT.parent / "shared" / "data" / "articles"
FIXTURES = Path(__file__).parent / "fixtures"

# The suite starts many short-lived apps and servers: none makes every chart's exports in the background after
# each release switch (the production default; tests/test_warmup.py turns it on where it is what is tested).
os.environ.setdefault("BORDERSTATS_WARM_EXPORTS", "0")


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """../shared/data/real, or skip: a user's fresh clone has no ../shared."""
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/data/real is not present")
    return SHARED_REAL


def real_file(*parts: str) -> Path:
    path = SHARED_REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real file {path} is not present")
    return path


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(reference_dir())


@pytest.fixture(scope="session")
def ctx(gazetteer) -> Context:
    return Context(gazetteer=gazetteer)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


IOM_FIXTURE = FIXTURES / "iom_missing_migrants" / "incidents.csv"
IOM_ROW = b"2019-01-06,2019,January,1,,1,"  # incident 2019.MMP00001: 1 dead, 1 dead and missing


@pytest.fixture(scope="session")
def three_releases(tmp_path_factory) -> Path:
    """A data folder with three releases of the IOM fixture in which incident 2019.MMP00001's dead (and dead and
    missing) go 1 -> 4 -> 5: a value revised twice (tests/test_revisions.py, tests/test_feed.py). Do not add
    releases to it: copy it first."""
    from etl import pipeline

    tmp = tmp_path_factory.mktemp("three_releases")
    data_dir = tmp / "data"
    data = IOM_FIXTURE.read_bytes()
    assert data.count(IOM_ROW) == 1
    for dead in (1, 4, 5):
        path = tmp / f"iom_{dead}.csv"
        path.write_bytes(data.replace(IOM_ROW, f"2019-01-06,2019,January,{dead},,{dead},".encode()))
        result = pipeline.run(data_dir, source_ids=["iom_missing_migrants"], files=[path])
        assert result.exit_code == 0 and result.published
    return data_dir
