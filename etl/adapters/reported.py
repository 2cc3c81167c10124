"""Reported figures: the curated table of figures from news and NGO reports.

The file is ours (data/reference/reported_figures.csv), so its layout is fixed; a
row that breaks the vocabularies, names an unknown place, lacks a URL or has an
inconsistent period is an error naming its line.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..readers import LINE, Layout, read_bytes, read_layout, to_number
from ..schema import FIELDS, conform
from . import Context, Parsed

METRICS = (
    "mpp_returned", "mpp_enrolled", "mpp_court_cases", "asylum_waitlist", "people_displaced",
    "homicides", "violent_attacks", "deaths", "vehicles_burned", "other",
)
QUALIFIERS = FIELDS["qualifier"].enum

COLUMNS = ("figure_id", "metric", "value", "qualifier", "place_id", "period_start", "period_end", "as_of",
           "definition", "publisher", "title", "url", "published", "quote", "notes")
LAYOUT = Layout("reported_figures", {c: () for c in COLUMNS})


def parse(path: Path, ctx: Context) -> list[Parsed]:
    if read_bytes(path).strip().count(b"\n") == 0:  # header only: nothing curated yet
        df = pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})
        return [Parsed("reported_figures", "curated", conform(df.assign(value=pd.Series(dtype="Float64")), "reported_figures"))]
    _, df, _ = read_layout(path, [LAYOUT])
    lines = df[LINE]
    for col, vocab in (("metric", METRICS), ("qualifier", QUALIFIERS)):
        bad = ~df[col].isin(vocab)
        if bad.any():
            i = bad.idxmax()
            raise SourceError(f"{df.at[i, col]!r} is not one of {', '.join(vocab)}", line=int(lines[i]), column=col)
    for col in ("figure_id", "url", "publisher"):
        empty = df[col].str.strip() == ""
        if empty.any():
            raise SourceError("is empty", line=int(lines[empty.idxmax()]), column=col)
    unknown = (df["place_id"] != "") & ~df["place_id"].map(lambda p: p in ctx.gazetteer)
    if unknown.any():
        i = unknown.idxmax()
        raise SourceError(f"place {df.at[i, 'place_id']!r} is not in the gazetteer", line=int(lines[i]), column="place_id")
    value = to_number(df["value"], column="value", lines=lines, integer=False)
    if (value <= 0).any():
        raise SourceError("value must be positive", line=int(lines[(value <= 0).idxmax()]), column="value")
    out = df.drop(columns=["value"]).copy()
    out["value"] = value
    for col in ("period_start", "period_end", "as_of", "published"):
        parsed = pd.to_datetime(df[col].replace("", None), errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & (df[col] != "")
        if bad.any():
            raise SourceError(f"{df.at[bad.idxmax(), col]!r} is not a date (YYYY-MM-DD)", line=int(lines[bad.idxmax()]), column=col)
        out[col] = parsed
    reversed_ = out["period_start"].notna() & out["period_end"].notna() & (out["period_start"] > out["period_end"])
    if reversed_.any():
        raise SourceError("period_start is after period_end", line=int(lines[reversed_.idxmax()]), column="period_start")
    out = out.replace({"place_id": {"": None}})
    return [Parsed("reported_figures", "curated", conform(out, "reported_figures"))]
