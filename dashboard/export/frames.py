"""The numbers a figure plots, as rows: what the CSV export holds (exactly the plotted points).

Chart builders mark the traces that are not data in the trace's `meta`:
- hoverinfo "skip": decoration (an arrow, a label drawn next to a value): left out;
- meta.export == "missing": places with no data: rows with no value, the reason as the label;
- meta.export == "label": marks at positions, not values (policy events): rows with x and a label;
- meta.points == n: only the first n points are values (the rest draw an arrow);
- meta.columns: names for the trace's customdata (dates, counts, place ids).
"""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timezone
from typing import Any

from dashboard import NAME

TAG = re.compile(r"<[^>]+>")


def text_of(value: Any) -> str:
    """Plotly label text (escaped, with <br> and <b>) as plain text."""
    if value is None:
        return ""
    s = re.sub(r"<br\s*/?>", " — ", str(value))
    return html.unescape(TAG.sub("", s)).strip()


def _seq(value: Any, n: int) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] * n


def _number(v: Any) -> Any:
    if isinstance(v, float) and v != v:  # NaN: a gap, not a value
        return None
    return v


def plotted_rows(figure: dict) -> list[dict]:
    """One row per plotted point: series, x and y (or lat and lon, with the marker's value), a label."""
    rows: list[dict] = []
    for trace in figure.get("data", []):
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        kind = meta.get("export", "data")
        if trace.get("hoverinfo") == "skip" and kind != "missing":
            continue
        series = text_of(trace.get("name"))
        geo = "lat" in trace or "lon" in trace
        a, b = (trace.get("lat") or [], trace.get("lon") or []) if geo else (trace.get("x") or [], trace.get("y") or [])
        n = max(len(a), len(b))
        if "points" in meta:
            n = min(n, int(meta["points"]))
        a, b = _seq(a, n), _seq(b, n)
        labels = _seq(trace.get("hovertext") if kind == "missing" and trace.get("hovertext") else trace.get("text"), n)
        marker = trace.get("marker") or {}
        colour = marker.get("color")
        values = colour if isinstance(colour, list) and len(colour) == n and \
            all(isinstance(v, (int, float)) or v is None for v in colour) else None
        custom = trace.get("customdata")
        names = list(meta.get("columns") or [])
        for i in range(n):
            row: dict[str, Any] = {"series": series}
            if geo:
                row["lat"], row["lon"] = a[i] if i < len(a) else None, b[i] if i < len(b) else None
                row["value"] = None if kind == "missing" or values is None else _number(values[i])
            elif kind in ("missing", "label"):
                # the category (a city, a date) is kept; the position on the value axis is not a number
                horizontal = trace.get("orientation") == "h" or kind == "missing"
                row["x"] = None if horizontal else (a[i] if i < len(a) else None)
                row["y"] = (b[i] if i < len(b) else None) if horizontal else None
            else:
                row["x"], row["y"] = _number(a[i]) if i < len(a) else None, _number(b[i]) if i < len(b) else None
            label = labels[i] if i < len(labels) else None
            row["label"] = text_of(label)
            if names and isinstance(custom, list) and i < len(custom):
                item = custom[i] if isinstance(custom[i], list) else [custom[i]]
                for name, v in zip(names, item):
                    row[name] = v
            for k in ("x", "y"):
                if isinstance(row.get(k), str):
                    row[k] = text_of(row[k])
            rows.append(row)
    return rows


def header_lines(built, *, base_url: str = "") -> list[str]:
    """What the numbers are and where they come from, as '# ' lines above the CSV."""
    meta = built.meta
    site = base_url.rstrip("/")
    lines = [
        f"{NAME}: {meta.get('title') or built.chart.label}",
        f"What is counted: {meta.get('subtitle', '')}",
        meta.get("source") or "Source: not stated",
        *[f"Note: {n}" for n in meta.get("notes", []) if n],
        f"Description: {built.alt}" if built.alt else "",
        f"View: {site}{built.view_path}",
        "Full tables: " + ", ".join(f"{site}/download/{t}.csv" for t in built.chart.tables) + f" (all: {site}/data)",
        f"Release: {built.release}; exported {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}",
        "Columns: series = the chart's series (legend entry, or what a bar or point stands for); x, y = the "
        "plotted values (lat, lon and value on the map); label = the text drawn or shown for the point; "
        "an empty value is no data, never zero.",
    ]
    return [line for line in lines if line]


def to_csv(built, *, base_url: str = "") -> str:
    """The plotted points, with the header block ('# ' lines; pandas: read_csv(..., comment='#'))."""
    rows = plotted_rows(built.figure)
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    for line in header_lines(built, base_url=base_url):
        out.write("# " + line.replace("\n", " ") + "\n")
    writer = csv.DictWriter(out, fieldnames=columns or ["series", "x", "y", "label"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(v: Any) -> Any:
    """Empty for no value; text that a spreadsheet would run as a formula is quoted with an apostrophe."""
    if v is None:
        return ""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v
