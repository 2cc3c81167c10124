"""IOM Missing Migrants Project: incidents of migrant deaths and disappearances
(missingmigrants.iom.int/downloads), kept for the route "US-Mexico border crossing", alone or among
the routes of a multi-route row (``Central Mediterranean,US-Mexico border crossing``).

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

from pathlib import Path

from ..errors import SourceError
from ..readers import LINE, Layout, read_layout
from ..values import numbers, parse_coordinates, parse_dates
from . import Context, Parsed
from .deaths import death_records, incident_ids

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


def on_route(route):
    """True where the border route is one of the row's routes: IOM writes an incident on several routes as a
    comma-separated list (``Central Mediterranean,US-Mexico border crossing``), so the list is split and each
    part compared whole (case and surrounding spaces ignored)."""
    parts = route.fillna("").str.casefold().str.split(",")
    return parts.map(lambda ps: any(p.strip() == ROUTE.casefold() for p in ps)).astype(bool)


def parse(path: Path, ctx: Context) -> list[Parsed]:
    _, rows, header = read_layout(path, (INCIDENTS,))
    route = rows["route"].astype("string").str.strip()
    keep = on_route(route)
    if not keep.any():
        found = ", ".join(repr(r) for r in route[route != ""].value_counts().index[:10])
        raise SourceError(f"no incident on the route {ROUTE!r} (routes found: {found or 'none'})",
                          column=header["route"])
    rows = rows[keep]
    lines = rows[LINE]
    incident = incident_ids(rows["main_id"], column=header["main_id"], lines=lines, what="incident id")
    date = parse_dates(rows["date"], column=header["date"], lines=lines, allow_missing=True)
    lat, lon = parse_coordinates(rows["coordinates"], column=header["coordinates"], lines=lines)
    dead = numbers(rows["dead"], column=header["dead"], lines=lines, allow_missing=True)
    missing = numbers(rows["missing"], column=header["missing"], lines=lines, allow_missing=True)
    empty_dead, empty_missing = int(dead.isna().sum()), int(missing.isna().sum())
    dead, missing = dead.fillna(0), missing.fillna(0)
    # the optional total column, when absent, reads as empty: nothing to compare
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
    out = death_records(ctx, dataset=DATASET, incident_id=incident, date=date, lat=lat, lon=lon, dead=dead,
                        missing=missing, cause=rows["cause"], lines=lines, what="incident id")
    notes = [f"{len(out)} incidents on the route {ROUTE!r} kept of {int(keep.size)} worldwide"]
    if empty_dead or empty_missing:
        notes.append(f"empty counts read as 0: {empty_dead} '{header['dead']}', "
                     f"{empty_missing} '{header['missing']}'")
    if date.isna().any():
        notes.append(f"{int(date.isna().sum())} incidents without an incident date (date left empty)")
    if lat.isna().any():
        notes.append(f"{int(lat.isna().sum())} incidents without coordinates (no nearest place)")
    return [Parsed("migrant_deaths", DATASET, out, tuple(notes))]

