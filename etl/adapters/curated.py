"""Checks shared by the tables curated in this repository (reported figures, policy events).

Each raises SourceError naming the line and column of the first bad row.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..readers import read_bytes
from ..schema import conform
from . import Context


def header_only(path: Path) -> bool:
    """True for a file with a header and nothing curated yet."""
    return read_bytes(path).strip().count(b"\n") == 0


def empty_table(table: str, columns) -> pd.DataFrame:
    return conform(pd.DataFrame({c: pd.Series(dtype="string") for c in columns}), table)


def require(df: pd.DataFrame, lines: pd.Series, columns) -> None:
    for col in columns:
        empty = df[col].str.strip() == ""
        if empty.any():
            raise SourceError("is empty", line=int(lines[empty.idxmax()]), column=col)


def check_places(df: pd.DataFrame, lines: pd.Series, ctx: Context) -> None:
    unknown = (df["place_id"] != "") & ~df["place_id"].map(lambda p: p in ctx.gazetteer)
    if unknown.any():
        i = unknown.idxmax()
        raise SourceError(f"place {df.at[i, 'place_id']!r} is not in the gazetteer", line=int(lines[i]), column="place_id")


def dates(df: pd.DataFrame, lines: pd.Series, columns) -> dict[str, pd.Series]:
    """The columns parsed as YYYY-MM-DD dates (empty stays missing)."""
    out = {}
    for col in columns:
        parsed = pd.to_datetime(df[col].replace("", None), errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & (df[col] != "")
        if bad.any():
            raise SourceError(f"{df.at[bad.idxmax(), col]!r} is not a date (YYYY-MM-DD)",
                              line=int(lines[bad.idxmax()]), column=col)
        out[col] = parsed
    return out
