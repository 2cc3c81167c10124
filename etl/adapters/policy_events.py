"""Policy events: the curated table of dated policy changes drawn on the dashboard's time axis.

Our own file (data/reference/policy_events.csv); every event names its publisher and URL.
"""
from __future__ import annotations

from pathlib import Path


from ..errors import SourceError
from ..readers import LINE, Layout, read_layout
from ..schema import conform
from . import Context, Parsed, curated

COLUMNS = ("event_id", "date", "end_date", "event", "description", "place_id", "publisher", "title", "url",
           "published")
LAYOUT = Layout("policy_events", {c: () for c in COLUMNS})


def parse(path: Path, ctx: Context) -> list[Parsed]:
    if curated.header_only(path):
        return [Parsed("policy_events", "curated", curated.empty_table("policy_events", COLUMNS))]
    _, df, _ = read_layout(path, [LAYOUT], strict=True)
    lines = df[LINE]
    curated.require(df, lines, ("event_id", "event", "url", "publisher", "date"))
    bad_url = ~df["url"].str.match(r"https?://")
    if bad_url.any():
        raise SourceError("is not an http(s) address", line=int(lines[bad_url.idxmax()]), column="url")
    curated.check_places(df, lines, ctx)
    out = df.copy()
    for col, parsed in curated.dates(df, lines, ("date", "end_date", "published")).items():
        out[col] = parsed
    reversed_ = out["end_date"].notna() & (out["end_date"] < out["date"])
    if reversed_.any():
        raise SourceError("end_date is before date", line=int(lines[reversed_.idxmax()]), column="end_date")
    out = out.replace({"place_id": {"": None}})
    return [Parsed("policy_events", "curated", conform(out, "policy_events"))]
