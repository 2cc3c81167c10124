"""Shared fixtures: the real files in ../shared (skipped when absent) and the bundled gazetteer."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.adapters import Context
from etl.config import REPO_ROOT, reference_dir
from etl.gazetteer import Gazetteer

SHARED_REAL = REPO_ROOT.parent / "shared" / "data" / "real"
SHARED_ARTICLES = REPO_ROOT.parent / "shared" / "data" / "articles"
FIXTURES = Path(__file__).parent / "fixtures"


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
