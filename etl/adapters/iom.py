"""IOM Missing Migrants Project: incidents of migrant deaths and disappearances
(missingmigrants.iom.int/downloads), kept for the route "US-Mexico border crossing".

-> table ``migrant_deaths``, dataset ``iom_us_mexico_border``:

* ``incident_id`` = ``Main ID`` (unique per incident; ``Incident ID`` is a comma-separated list
  of sub-ids for cumulative and split incidents, so it is not used).
* ``date`` = ``Incident Date`` (ISO ``YYYY-MM-DD``; also ``MM/DD/YYYY``). IOM leaves it empty for a
  few incidents known only by month: those keep an empty date (counted in the notes).
* ``lat``/``lon`` from ``Coordinates``: ``POINT (lon lat)`` (WKT, the older downloads) or
  ``lat, lon`` (the newer ones); empty -> null; anything else is an error naming the line.
* ``dead`` = ``Number of Dead`` and ``missing`` = ``Minimum Estimated Number of Missing``:
  IOM leaves a count empty when it is zero (an incident with only missing people has no
  dead), so empty -> 0. ``Total Number of Dead and Missing`` must equal dead + missing, and an
  incident must count at least one person.
* ``cause`` = ``Cause of Death`` as published; ``nearest_place_id``/``distance_km`` from the
  gazetteer's border cities.

Everything else (article titles, URLs, source descriptions, origin...) is dropped.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..readers import LINE, Layout, pick_layout, read_delimited, select
from ..schema import conform
from . import Context, Parsed
from .inegi import check_duplicates, header_names, map_by_value, numbers

DATASET = "iom_us_mexico_border"
ROUTE = "US-Mexico border crossing"

INCIDENTS = Layout(
    DATASET,
    columns={
        "main_id": ["Main ID"],
        "date": ["Incident Date", "Date of Incident"],
        "dead": ["Number of Dead", "Number Dead"],
        "missing": ["Minimum Estimated Number of Missing"],
        "cause": ["Cause of Death"],
        "route": ["Migration route", "Migration Route"],
        "coordinates": ["Coordinates", "Location Coordinates"],
    },
    optional={"total": ["Total Number of Dead and Missing", "Total Dead and Missing"]},
    ignore=[
        "Incident ID", "Incident Type", "Region of Incident", "Incident year", "Incident Year", "Year of Incident",
        "Reported Month", "Month", "Number of Survivors", "Number of Females", "Number of Males",
        "Number of Children", "Region of Origin", "Country of Origin", "Country of Incident", "Location of death",
        "Location of Incident", "Information Source", "UNSD Geographical Grouping", "Article title",
        "Source Quality", "URL",
    ],
)

_NUM = r"[-+]?\d+(?:\.\d+)?"
_POINT = re.compile(rf"^\s*POINT\s*\(\s*({_NUM})\s+({_NUM})\s*\)\s*$", re.I)
_LATLON = re.compile(rf"^\s*({_NUM})\s*,\s*({_NUM})\s*$")


def parse(path: Path, ctx: Context) -> list[Parsed]:
    df = read_delimited(path)
    layout = pick_layout(df, (INCIDENTS,), path)
    header = header_names(df, layout)
    has_total = header["total"] in df.columns
    rows = select(df, layout)
    del df
    route = rows["route"].astype("string").str.strip()
    keep = route.str.casefold() == ROUTE.casefold()
    if not keep.any():
        found = ", ".join(repr(r) for r in route[route != ""].value_counts().index[:10])
        raise SourceError(f"no incident on the route {ROUTE!r} (routes found: {found or 'none'})",
                          column=header["route"])
    rows = rows[keep]
    lines = rows[LINE]
    incident = rows["main_id"].astype("string").str.strip()
    empty_id = incident.isna() | (incident == "")
    if empty_id.any():
        raise SourceError("incident id is empty", line=int(lines[empty_id].iloc[0]), column=header["main_id"])
    date = parse_dates(rows["date"], column=header["date"], lines=lines, allow_missing=True)
    lat, lon = parse_coordinates(rows["coordinates"], column=header["coordinates"], lines=lines)
    dead = numbers(rows["dead"], column=header["dead"], lines=lines, allow_missing=True)
    missing = numbers(rows["missing"], column=header["missing"], lines=lines, allow_missing=True)
    empty_dead, empty_missing = int(dead.isna().sum()), int(missing.isna().sum())
    dead, missing = dead.fillna(0), missing.fillna(0)
    if has_total:
        total = numbers(rows["total"], column=header["total"], lines=lines, allow_missing=True)
        off = total.notna() & (total != dead + missing)
        if off.any():
            i = off[off].index[0]
            raise SourceError(
                f"{header['total']} is {int(total[i])} but {header['dead']} + {header['missing']} = "
                f"{int(dead[i]) + int(missing[i])}",
                line=int(lines[i]), column=header["total"],
            )
    nobody = (dead + missing) == 0
    if nobody.any():
        i = nobody[nobody].index[0]
        raise SourceError(f"incident counts no dead and no missing ({header['dead']} and {header['missing']} "
                          "are empty or 0)", line=int(lines[i]), column=header["dead"])
    out = pd.DataFrame(
        {
            "dataset": DATASET,
            "incident_id": incident,
            "date": date,
            "lat": lat,
            "lon": lon,
            "dead": dead,
            "missing": missing,
            "cause": rows["cause"].astype("string").str.strip().fillna(""),
            LINE: lines,
        },
        index=rows.index,
    )
    out = out.join(ctx.gazetteer.nearest(out["lat"], out["lon"]))
    check_duplicates(out, ["incident_id"], what="incident id")
    notes = [f"{len(out)} incidents on the route {ROUTE!r} kept of {int(keep.size)} worldwide"]
    if empty_dead or empty_missing:
        notes.append(f"empty counts read as 0: {empty_dead} '{header['dead']}', "
                     f"{empty_missing} '{header['missing']}'")
    if date.isna().any():
        notes.append(f"{int(date.isna().sum())} incidents without an incident date (date left empty)")
    if lat.isna().any():
        notes.append(f"{int(lat.isna().sum())} incidents without coordinates (no nearest place)")
    return [Parsed("migrant_deaths", DATASET, conform(out, "migrant_deaths"), tuple(notes))]


# --------------------------------------------------------------------------- helpers (shared with pcome)

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%a, %m/%d/%Y", "%B %d, %Y", "%d %B %Y")


def parse_dates(values: pd.Series, *, column: str, lines: pd.Series | None, allow_missing: bool) -> pd.Series:
    """Calendar dates, once per distinct value. Unparseable, before 1900 or in the future -> error."""
    def convert(u: pd.Series, ln: pd.Series | None) -> pd.Series:
        text = u.astype("string").str.strip().fillna("")
        # a date with a midnight time ("2014-01-06 00:00:00") from a spreadsheet is still a date
        text = text.str.replace(r"[ T]00:00(:00(\.0+)?)?$", "", regex=True)
        out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[s]")  # [s]: years past 2262 fit
        for fmt in _DATE_FORMATS:
            todo = out.isna() & (text != "")
            if not todo.any():
                break
            out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[s]")
        empty = text == ""
        bad = out.isna() & ~empty
        if bad.any() or (empty.any() and not allow_missing):
            mask = bad if bad.any() else empty
            i = mask[mask].index[0]
            what = "is not a date (expected YYYY-MM-DD)" if bad.any() else "is empty"
            raise SourceError(f"value {str(u[i])[:30]!r} {what}", line=_line(ln, i), column=column)
        today = pd.Timestamp.today().normalize()
        out_of_range = (out < pd.Timestamp("1900-01-01")) | (out > today)
        if out_of_range.any():
            i = out_of_range[out_of_range].index[0]
            when = "before 1900" if out[i] < pd.Timestamp("1900-01-01") else "in the future"
            raise SourceError(f"date {str(u[i])[:30]!r} is {when}", line=_line(ln, i), column=column)
        return out.astype("datetime64[ns]")

    return map_by_value(values, convert, lines, "datetime64[ns]")


def parse_coordinates(values: pd.Series, *, column: str, lines: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) from ``POINT (lon lat)`` or ``lat, lon``; empty -> null; anything else -> error."""
    text = values.astype("string").str.strip().fillna("")
    point = text.str.extract(_POINT)
    pair = text.str.extract(_LATLON)
    lat = pd.to_numeric(point[1].fillna(pair[0]), errors="coerce")
    lon = pd.to_numeric(point[0].fillna(pair[1]), errors="coerce")
    bad = lat.isna() & (text != "")
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(
            f"value {str(values[i])[:60]!r} is not a coordinate (expected 'POINT (lon lat)' or 'lat, lon')",
            line=int(lines[i]), column=column,
        )
    lat, lon = lat.astype("Float64"), lon.astype("Float64")
    check_lat_lon(lat, lon, column_lat=column, column_lon=column, lines=lines)
    return lat, lon


def check_lat_lon(lat: pd.Series, lon: pd.Series, *, column_lat: str, column_lon: str, lines: pd.Series) -> None:
    for values, col, limit in ((lat, column_lat, 90), (lon, column_lon, 180)):
        bad = (values.abs() > limit).fillna(False)
        if bad.any():
            i = bad[bad].index[0]
            raise SourceError(f"{'latitude' if limit == 90 else 'longitude'} {float(values[i])} is out of range",
                              line=int(lines[i]), column=col)


def _line(lines: pd.Series | None, i) -> int | None:
    return int(lines[i]) if lines is not None else None
