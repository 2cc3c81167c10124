"""Where things live: the data directory (a setting) and the bundled reference data."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_DATA_DIR = "BORDERSTATS_DATA_DIR"
ENV_REFERENCE_DIR = "BORDERSTATS_REFERENCE_DIR"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $BORDERSTATS_DATA_DIR, else ./data of the repository."""
    value = explicit or os.environ.get(ENV_DATA_DIR) or REPO_ROOT / "data"
    return Path(value).expanduser().resolve()


def reference_dir() -> Path:
    """The bundled registry, gazetteer and curated tables (always the repository's, unless overridden)."""
    return Path(os.environ.get(ENV_REFERENCE_DIR) or REPO_ROOT / "data" / "reference").resolve()


def env_number(name: str, default: float) -> float:
    """A non-negative number from the environment, else `default` (also for text that is no number)."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value >= 0 else default


def raw_dir(base: Path) -> Path:
    return base / "raw"


def warehouse_dir(base: Path) -> Path:
    return base / "warehouse"
