"""The one module through which the dashboard reads data: the current release."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.config import data_dir
from etl.warehouse import Release, Warehouse


def current_release(base: str | Path | None = None) -> Release | None:
    return Warehouse(data_dir(base)).current()


def load_table(name: str, base: str | Path | None = None) -> pd.DataFrame | None:
    release = current_release(base)
    if release is None or name not in release.tables():
        return None
    return release.read(name)
