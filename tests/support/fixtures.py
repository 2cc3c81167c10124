"""Helpers shared by the adapter tests: a file in tmp_path, the error a parser raises,
a gazetteer of a few Mexican states."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
import pytest

from etl.adapters import Context
from etl.errors import SourceError
from etl.gazetteer import PLACE_COLUMNS, Gazetteer


def write(tmp_path: Path, text: str | bytes, name: str = "f.csv") -> Path:
    """`text` (UTF-8 when a str) written to ``tmp_path/name``."""
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def raised_by(parse: Callable[[Path, Context], object]) -> Callable[[Path, Context], SourceError]:
    """``error_of(path, ctx)``: the :class:`SourceError` that `parse` raises for the file (else the test fails)."""
    def error_of(path: Path, ctx: Context) -> SourceError:
        with pytest.raises(SourceError) as info:
            parse(path, ctx)
        return info.value
    return error_of


def state_gazetteer(states: Iterable[tuple[str, str]]) -> Gazetteer:
    """A gazetteer of Mexican states, (INEGI code, name) each, without coordinates or aliases."""
    rows = [[code, name, name, "state", "MX", name, code, None, None, "", "", ""] for code, name in states]
    return Gazetteer(pd.DataFrame(rows, columns=PLACE_COLUMNS), pd.DataFrame(columns=["alias", "place_id", "note"]))
