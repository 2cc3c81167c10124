"""Policy events: the curated table of dated policy changes drawn on the dashboard's time axis.

Our own file (data/reference/policy_events.csv); every event names its publisher and URL.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..readers import LINE, Layout, read_bytes, read_layout
from ..schema import conform
from . import Context, Parsed

COLUMNS = ("event_id", "date", "end_date", "event", "description", "place_id", "publisher", "title", "url",
           "published")
LAYOUT = Layout("policy_events", {c: () for c in COLUMNS})


def parse(path: Path, ctx: Context) -> list[Parsed]:
    if read_bytes(path).strip().count(b"\n") == 0:  # header only: nothing curated yet
        return [Parsed("policy_events", "curated", conform(pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS}),
                                                           "policy_events"))]
    _, df, _ = read_layout(path, [LAYOUT], strict=True)
    lines = df[LINE]
    for col in ("event_id", "event", "url", "publisher", "date"):
        empty = df[col].str.strip() == ""
        if empty.any():
            raise SourceError("is empty", line=int(lines[empty.idxmax()]), column=col)
    bad_url = ~df["url"].str.match(r"https?://")
    if bad_url.any():
        raise SourceError("is not an http(s) address", line=int(lines[bad_url.idxmax()]), column="url")
    unknown = (df["place_id"] != "") & ~df["place_id"].map(lambda p: p in ctx.gazetteer)
    if unknown.any():
        i = unknown.idxmax()
        raise SourceError(f"place {df.at[i, 'place_id']!r} is not in the gazetteer", line=int(lines[i]), column="place_id")
    out = df.copy()
    for col in ("date", "end_date", "published"):
        parsed = pd.to_datetime(df[col].replace("", None), errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & (df[col] != "")
        if bad.any():
            raise SourceError(f"{df.at[bad.idxmax(), col]!r} is not a date (YYYY-MM-DD)",
                              line=int(lines[bad.idxmax()]), column=col)
        out[col] = parsed
    reversed_ = out["end_date"].notna() & (out["end_date"] < out["date"])
    if reversed_.any():
        raise SourceError("end_date is before date", line=int(lines[reversed_.idxmax()]), column="end_date")
    out = out.replace({"place_id": {"": None}})
    return [Parsed("policy_events", "curated", conform(out, "policy_events"))]
