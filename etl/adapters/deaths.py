"""The ``migrant_deaths`` frame, built the same way by the IOM and PCOME adapters."""
from __future__ import annotations

import pandas as pd

from ..errors import SourceError
from ..readers import LINE
from ..schema import conform
from ..values import check_duplicates
from . import Context


def incident_ids(values: pd.Series, *, column: str, lines: pd.Series, what: str) -> pd.Series:
    """The ids, stripped; an empty one is an error naming its line (`what` is the id's name)."""
    ids = values.astype("string").str.strip()
    empty = ids.isna() | (ids == "")
    if empty.any():
        raise SourceError(f"{what} is empty", line=int(lines[empty].iloc[0]), column=column)
    return ids


def death_records(
    ctx: Context,
    *,
    dataset: str,
    incident_id: pd.Series,
    date: pd.Series,
    lat: pd.Series,
    lon: pd.Series,
    dead: pd.Series | int,
    missing: pd.Series | int,
    cause: pd.Series,
    lines: pd.Series,
    what: str,
) -> pd.DataFrame:
    """Rows of ``migrant_deaths`` (indexed like `lines`): ``cause`` stripped, the nearest border
    city from the gazetteer, and two rows with the same ``incident_id`` (`what` in the
    message) an error naming both lines."""
    out = pd.DataFrame(
        {
            "dataset": dataset,
            "incident_id": incident_id,
            "date": date,
            "lat": lat,
            "lon": lon,
            "dead": dead,
            "missing": missing,
            "cause": cause.astype("string").str.strip().fillna(""),
            LINE: lines,
        },
        index=lines.index,
    )
    out = out.join(ctx.gazetteer.nearest(out["lat"], out["lon"]))
    check_duplicates(out, ["incident_id"], what=what)
    return conform(out, "migrant_deaths")
