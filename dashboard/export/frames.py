"""A chart's numbers as a tidy CSV (one row per plotted value, the same columns for every chart: see
dashboard/tidy.py and docs/export.md), its sidecar JSON (title, notes, source, links, release), and the
points a figure plots (`plotted_rows`, read from the figure itself).

The tidy rows come from the chart's views module (`chart_tables(state)`, next to `chart_views(state)`),
which knows the places, periods, measures and datasets; the CSV has no comment lines, so
`pandas.read_csv(url)` and spreadsheets open it as it is.

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
import json
import math
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, quote

import pandas as pd

from dashboard import NAME, i18n, publicurl, tidy
from dashboard.i18n import _

from . import figdata

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
    for trace in figdata.decoded(figure.get("data", [])):
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


def tidy_rows(built) -> pd.DataFrame:
    """The chart's plotted values as tidy rows (every column of dashboard.tidy.COLUMNS, `chart` first), from
    its views module's chart_tables() for the state of the built query."""
    views = built.chart.views
    query = dict(parse_qsl(built.query.lstrip("?"), keep_blank_values=True))
    state = views.state_from_query(query).state
    table = views.chart_tables(state, only=built.chart.key).get(built.chart.key)
    if table is None:
        table = tidy.frame([])
    table = table.reindex(columns=list(tidy.ROW_COLUMNS)).copy()  # views may cache their tables: never change them
    table.insert(0, "chart", built.chart.name)
    return table.reset_index(drop=True)


def to_csv(built, *, base_url: str = "") -> str:
    """The tidy rows as CSV: a header line, then one line per value; no comment lines. Empty = no data."""
    table = tidy_rows(built)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    columns = [table[c].tolist() for c in table.columns]  # plain Python values (fast, also for Arrow strings)
    writer.writerows([_cell(v) for v in row] for row in zip(*columns))
    return out.getvalue()


def sidecar(built, *, base_url: str = "") -> dict:
    """What the CSV's numbers are and where they come from: title, what is counted, notes, source line,
    description, the view's link, the release and the time of export, and what each column means: the texts in
    the current language (`lang`), the keys and the column names the same in every language."""
    meta = built.meta
    site = (base_url or publicurl.base_url()).rstrip("/")
    name = built.chart.name
    query = built.query
    marks = []
    for trace in figdata.decoded(built.figure.get("data", [])):
        tmeta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        if tmeta.get("export") == "label":
            xs, texts = trace.get("x") or [], _seq(trace.get("text"), len(trace.get("x") or []))
            hover = _seq(trace.get("hovertext"), len(xs))
            marks += [{"series": text_of(trace.get("name")), "x": x, "label": text_of(t),
                       "text": text_of(h)} for x, t, h in zip(xs, texts, hover)]
    return {
        "chart": name,
        "lang": i18n.lang(),
        "label": _(built.chart.label),
        "title": meta.get("title") or _(built.chart.label),
        "subtitle": meta.get("subtitle", ""),
        "source": meta.get("source") or "",
        "notes": [n for n in meta.get("notes", []) if n],
        "description": built.alt,
        "view": site + built.view_path,
        "csv": f"{site}/export/{quote(name)}.csv{query}",
        "json": f"{site}/export/{quote(name)}.json{query}",
        "tables": {t: f"{site}/download/{t}.csv" for t in built.chart.tables},
        "data": f"{site}/data",
        "release": built.release,
        "exported": f"{datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}",
        "publisher": _(NAME),
        "columns": {column: _(meaning) for column, meaning in tidy.COLUMNS.items()},
        "empty_value": _("no data (the note column says why), never zero"),
        **({"marks": marks} if marks else {}),
    }


def to_json(built, *, base_url: str = "") -> str:
    return json.dumps(sidecar(built, base_url=base_url), ensure_ascii=False, indent=2, default=str) + "\n"


def _cell(v: Any) -> Any:
    """Empty for no value; whole numbers without '.0'; text that a spreadsheet would run as a formula is quoted
    with an apostrophe."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):  # as text, so that a column of whole numbers is not read back as floats
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v
