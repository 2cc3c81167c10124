"""CBP encounters CSV: the three layouts CBP publishes, to the ``encounters`` table.

Layouts (recognised by their header, in any column order; header spellings are
case- and space-insensitive):

* ``cbp_southwest`` -- Southwest Land Border Encounters (``sbo-encounters-fyAA-fyBB[-mon].csv``):
  ``Fiscal Year, Month Grouping, Month (abbv), Component, Demographic, Citizenship Grouping,
  Title of Authority, Encounter Type, Encounter Count``. region = "Southwest Land Border";
  area_id / area_name are empty.
* ``cbp_nationwide_aor`` -- Nationwide Encounters by area of responsibility (``...-aor.csv``):
  ``Fiscal Year, Month Grouping, Month (abbv), Component, Land Border Region,
  Area of Responsibility, AOR (Abbv), Demographic, Citizenship, Title of Authority,
  Encounter Type, Encounter Count``. area_id = the Border Patrol sector ("Big Bend Sector",
  AOR abbreviation "BBT") or CBP field office ("El Paso Field Office") from the gazetteer.
* ``cbp_nationwide_state`` -- Nationwide Encounters by state (``...-state.csv``):
  ``Fiscal Year, Month Grouping, Month (abbv), Land Border Region, State, Demographic,
  Citizenship, Title of Authority, Encounter Count`` (no Component, no Encounter Type).
  area_id = ``US-ST-<USPS code>``; State is a USPS code ("TX") or a state name.

Quirks: the fiscal year of the current year reads ``2025 (FYTD)``; months are ``OCT``;
``Month Grouping`` (FYTD / Remaining) is derivable and ignored; spreadsheet re-saves
bring a byte-order mark, Windows-1252, CRLF, thousands separators ("1,234") and
reordered columns (all handled by :func:`etl.readers.read_delimited`). Citizenship is
kept as published (the nationwide files write it in capitals, "MEXICO").

Checks only this adapter can make: the header must match one layout exactly (an
unknown or extra column is an error naming it, so that a new dimension is never
silently summed away), counts are whole and not negative, and two rows with the
same month and dimensions are an error naming both lines.

The small helpers here (:func:`resolve_areas`, :func:`encounters_frame`) are shared
with the OHSS and USBP-history adapters.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import SourceError
from ..gazetteer import Gazetteer
from ..periods import parse_fiscal_months
from ..readers import LINE, Layout, ascii_fold, read_layout, required_text, to_number
from ..schema import ENCOUNTER_DIMENSIONS, conform
from ..values import check_duplicates
from . import Context, Parsed

SOUTHWEST = "Southwest Land Border"

# Layout columns are named as CBP prints them, so that errors name the publisher's header;
# FIELDS maps them to the contract's fields.
_COMMON = {
    "Fiscal Year": ["FY"],
    "Month (abbv)": ["Month (abbrev)", "Month"],
    "Demographic": [],
    "Title of Authority": [],
    "Encounter Count": ["Encounters"],
}
_IGNORE = ["Month Grouping"]

# Most specific first; a layout matches only when its columns are exactly the file's.
LAYOUTS = (
    Layout(
        "cbp_nationwide_aor",
        columns={**_COMMON, "Component": [], "Land Border Region": [], "Area of Responsibility": ["AOR"],
                 "AOR (Abbv)": ["AOR Abbv"], "Citizenship": ["Citizenship Grouping"], "Encounter Type": []},
        ignore=_IGNORE,
    ),
    Layout(
        "cbp_nationwide_state",
        columns={**_COMMON, "Land Border Region": [], "State": [], "Citizenship": ["Citizenship Grouping"]},
        ignore=_IGNORE,
    ),
    Layout(
        "cbp_southwest",
        columns={**_COMMON, "Component": [], "Citizenship Grouping": ["Citizenship"], "Encounter Type": []},
        ignore=_IGNORE,
    ),
)
FIELDS = {
    "Component": "component", "Land Border Region": "region", "Area of Responsibility": "area_name",
    "State": "area_name", "Citizenship": "citizenship", "Citizenship Grouping": "citizenship",
    "Demographic": "demographic", "Title of Authority": "title_of_authority", "Encounter Type": "encounter_type",
}

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    # territories, which CBP's state file also lists
    "PR": "Puerto Rico", "VI": "U.S. Virgin Islands", "GU": "Guam", "MP": "Northern Mariana Islands",
    "AS": "American Samoa",
}
_STATE_KEYS = {
    **{code.casefold(): code for code in US_STATES},
    **{ascii_fold(name): code for code, name in US_STATES.items()},
    "virgin islands": "VI", "us virgin islands": "VI", "washington dc": "DC", "washington, d.c.": "DC",
}


# --------------------------------------------------------------------------- shared helpers


_STATE_SUFFIX = re.compile(r",\s*[A-Za-z]{2}\.?$")  # OHSS "Big Bend, TX"
_KIND_SUFFIX = re.compile(r"\s+(sector|field office)$", re.I)


def _resolve_area(gaz: Gazetteer, name: str, kinds: tuple[str, ...], code: str = "") -> str | None:
    """A sector / field office id for a published area name, trying the usual spellings."""
    found = gaz.resolve(name, kind=kinds)
    if found:
        return found
    base = _STATE_SUFFIX.sub("", name).strip()
    m = _KIND_SUFFIX.search(base)
    narrowed = kinds
    if m:
        base = base[: m.start()].strip()
        kind = "sector" if m.group(1).casefold() == "sector" else "field_office"
        narrowed = (kind,) if kind in kinds else ()
    if not narrowed:
        return None
    found = gaz.resolve(base, kind=narrowed)
    if found:
        return found
    for kind, suffix in (("sector", " Sector"), ("field_office", " Field Office")):
        if kind in narrowed:
            found = gaz.resolve(base + suffix, kind=kind)
            if found:
                return found
    if code and "sector" in narrowed and f"US-SEC-{code.upper()}" in gaz:
        return f"US-SEC-{code.upper()}"  # CBP's AOR abbreviation of a sector is its code ("BBT")
    return None


def resolve_areas(
    gaz: Gazetteer,
    names: pd.Series,
    *,
    kinds: tuple[str, ...],
    column: str,
    lines: pd.Series,
    codes: pd.Series | None = None,
) -> pd.Series:
    """Place ids of published sector / field office names; one error lists every unresolved name."""
    codes = codes if codes is not None else pd.Series("", index=names.index)
    pairs = pd.DataFrame({"name": names.astype(str), "code": codes.astype(str)})
    mapping = {
        (r.name, r.code): _resolve_area(gaz, r.name, kinds, r.code)
        for r in pairs.drop_duplicates().itertuples(index=False)
    }
    unresolved = [k for k, v in mapping.items() if v is None]
    if unresolved:
        first = (pairs["name"] == unresolved[0][0]) & (pairs["code"] == unresolved[0][1])
        listed = ", ".join(repr(n) for n in dict.fromkeys(n for n, _ in unresolved))
        raise SourceError(
            f"{len(unresolved)} area name(s) not in the gazetteer as {' or '.join(kinds)}: {listed} "
            "(add an alias to data/reference/place_aliases.csv)",
            line=int(lines[first].iloc[0]),
            column=column,
        )
    keys = list(zip(pairs["name"], pairs["code"]))
    return pd.Series([mapping[k] for k in keys], index=names.index, dtype="string")


def encounters_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The ``encounters`` contract: absent dimensions are "", unique on month + dimensions."""
    df = df.copy()
    for dim in ENCOUNTER_DIMENSIONS:
        if dim not in df.columns:
            df[dim] = ""
    if "is_rounded" not in df.columns:
        df["is_rounded"] = False
    check_duplicates(df, ["dataset", "month", *ENCOUNTER_DIMENSIONS], what="month and dimensions")
    return conform(df, "encounters")


def state_ids(names: pd.Series, *, column: str, lines: pd.Series) -> pd.Series:
    """'TX' or 'Texas' -> 'US-ST-TX'; unknown states are one error listing them."""
    mapping = {v: _STATE_KEYS.get(ascii_fold(v)) for v in pd.unique(names)}
    unknown = [v for v, code in mapping.items() if code is None]
    if unknown:
        idx = names[names.isin(unknown)].index[0]
        raise SourceError(
            f"{len(unknown)} unknown U.S. state(s): {', '.join(repr(u) for u in unknown[:20])}",
            line=int(lines.loc[idx]),
            column=column,
        )
    return ("US-ST-" + names.map(mapping)).astype("string")


# --------------------------------------------------------------------------- adapter


def parse(path: Path, ctx: Context) -> list[Parsed]:
    layout, df, _ = read_layout(path, LAYOUTS, strict=True)
    lines = df[LINE]
    out = pd.DataFrame({"dataset": layout.name}, index=df.index)
    out["month"], out["fiscal_year"] = parse_fiscal_months(
        df["Fiscal Year"], df["Month (abbv)"], lines=lines, fy_column="Fiscal Year", month_column="Month (abbv)"
    )
    for header, field in FIELDS.items():
        if header in df.columns:
            out[field] = required_text(df[header], column=header, lines=lines)
    out["count"] = to_number(df["Encounter Count"], column="Encounter Count", lines=lines)
    notes = []
    if layout.name == "cbp_southwest":
        out["region"] = SOUTHWEST
    elif layout.name == "cbp_nationwide_aor":
        codes = required_text(df["AOR (Abbv)"], column="AOR (Abbv)", lines=lines)
        out["area_id"] = resolve_areas(ctx.gazetteer, out["area_name"], kinds=("sector", "field_office"),
                                       column="Area of Responsibility", lines=lines, codes=codes)
    else:
        out["area_id"] = state_ids(out["area_name"], column="State", lines=lines)
    out[LINE] = lines
    partial = sorted({str(v) for v in pd.unique(df["Fiscal Year"]) if "fytd" in str(v).casefold()})
    if partial:
        last = out.loc[out["fiscal_year"] == out["fiscal_year"].max(), "month"].max()
        notes.append(f"fiscal year {', '.join(partial)} is partial, through {last:%B %Y}")
    return [Parsed("encounters", layout.name, encounters_frame(out), tuple(notes))]

