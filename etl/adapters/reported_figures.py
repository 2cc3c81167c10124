"""Reported figures: the curated table of figures from news and NGO reports.

The file is ours (data/reference/reported_figures.csv), so its layout is fixed; a
row that breaks the vocabularies, names an unknown place, lacks a URL or has an
inconsistent period is an error naming its line.
"""
from __future__ import annotations

from pathlib import Path


from ..errors import SourceError
from ..readers import LINE, Layout, read_layout, to_number
from ..schema import FIELDS, conform
from . import Context, Parsed, curated

METRICS = (  # what a figure counts (docs/reported-figures.md and docs/extractor-evaluation.md say what each means)
    "mpp_returned", "mpp_enrolled", "mpp_court_cases", "mpp_pending_cases", "asylum_waitlist", "people_sheltered",
    "people_displaced", "encounters", "homicides", "kidnappings", "violent_attacks", "deaths", "vehicles_burned",
    "other",
)
QUALIFIERS = FIELDS["qualifier"].enum
COUNTED_BY = FIELDS["counted_by"].enum  # who counted (closed: docs/reported-figures.md says what each means)
REPORT_KINDS = FIELDS["report_kind"].enum  # primary, secondary, republication

COLUMNS = ("figure_id", "metric", "value", "qualifier", "place_id", "place_ids", "period_start", "period_end",
           "as_of", "definition", "counted_by", "report_kind", "publisher", "title", "url", "published", "quote", "notes")
# place_ids came later: a file written before it still reads (and gets the column empty)
LAYOUT = Layout("reported_figures", {c: () for c in COLUMNS if c != "place_ids"}, optional={"place_ids": ()})


def parse(path: Path, ctx: Context) -> list[Parsed]:
    if curated.header_only(path):
        return [Parsed("reported_figures", "curated", curated.empty_table("reported_figures", COLUMNS))]
    _, df, _ = read_layout(path, [LAYOUT])
    lines = df[LINE]
    for col, vocab in (("metric", METRICS), ("qualifier", QUALIFIERS), ("counted_by", COUNTED_BY),
                       ("report_kind", REPORT_KINDS)):
        bad = ~df[col].isin(vocab)
        if bad.any():
            i = bad.idxmax()
            raise SourceError(f"{df.at[i, col]!r} is not one of {', '.join(vocab)}", line=int(lines[i]), column=col)
    curated.require(df, lines, ("figure_id", "url", "publisher"))
    curated.check_places(df, lines, ctx)
    df["place_ids"] = check_place_ids(df, lines, ctx)
    value = to_number(df["value"], column="value", lines=lines, integer=False)
    if (value <= 0).any():
        raise SourceError("value must be positive", line=int(lines[(value <= 0).idxmax()]), column="value")
    out = df.drop(columns=["value"]).copy()
    out["value"] = value
    for col, parsed in curated.dates(df, lines, ("period_start", "period_end", "as_of", "published")).items():
        out[col] = parsed
    reversed_ = out["period_start"].notna() & out["period_end"].notna() & (out["period_start"] > out["period_end"])
    if reversed_.any():
        raise SourceError("period_start is after period_end", line=int(lines[reversed_.idxmax()]), column="period_start")
    out = out.replace({"place_id": {"": None}, "place_ids": {"": None}})
    return [Parsed("reported_figures", "curated", conform(out, "reported_figures"))]


def check_place_ids(df, lines, ctx: Context):
    """The `place_ids` column normalised ('08;02;26'): two or more known places, none twice, and only on a
    row that names no single place."""
    if "place_ids" not in df.columns:
        return ""
    out = df["place_ids"].fillna("").astype(str).str.strip()
    for i, text in out.items():
        if not text:
            continue
        ids = [p.strip() for p in text.split(";")]
        where = {"line": int(lines[i]), "column": "place_ids"}
        if df.at[i, "place_id"].strip():
            raise SourceError("a figure names either one place (place_id) or several together (place_ids), not both",
                              **where)
        if len(ids) < 2 or len(set(ids)) != len(ids) or "" in ids:
            raise SourceError(f"{text!r}: two or more different place ids separated by ';'", **where)
        unknown = [p for p in ids if p not in ctx.gazetteer]
        if unknown:
            raise SourceError(f"place {unknown[0]!r} is not in the gazetteer", **where)
        out.at[i] = ";".join(ids)
    return out
