"""The border cities' groups and look, read from a places table (``data/reference/places.csv`` as published).

Pure functions of a places frame. The dashboard asks :mod:`dashboard.data_access` for them (it serves the
current release's places, or the bundled gazetteer when nothing is published); aggregates that already
hold the places frame call these directly. Nothing else in the dashboard lists the border cities.
"""
from __future__ import annotations

import pandas as pd

GROUP_COLUMNS = ("border_order", "mpp_city", "short_name", "colour", "label_position", "default_compare")
FALLBACK_COLOUR = "#5f6368"  # a city without a colour in its places table (never in the bundled one)


def _rows(places: pd.DataFrame | None, column: str) -> pd.DataFrame:
    if places is None or places.empty or column not in places.columns or "place_id" not in places.columns:
        return pd.DataFrame(columns=["place_id", column])
    return places[places[column].notna()]


def _ids(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(str(p) for p in rows["place_id"])


def border_ids(places: pd.DataFrame | None) -> tuple[str, ...]:
    """The border municipalities, west to east (``border_order``)."""
    rows = _rows(places, "border_order")
    return _ids(rows.sort_values("border_order", kind="stable")) if not rows.empty else ()


def mpp_ids(places: pd.DataFrame | None) -> tuple[str, ...]:
    """The MPP receiving cities (``mpp_city``), west to east."""
    rows = _rows(places, "border_order")
    if rows.empty or "mpp_city" not in rows.columns:
        return ()
    rows = rows[rows["mpp_city"].fillna(False).astype(bool)]
    return _ids(rows.sort_values("border_order", kind="stable"))


def default_compare_ids(places: pd.DataFrame | None) -> tuple[str, ...]:
    """The Compare page's default cities, in their ``default_compare`` order."""
    rows = _rows(places, "default_compare")
    return _ids(rows.sort_values("default_compare", kind="stable")) if not rows.empty else ()


def _by_id(places: pd.DataFrame | None, column: str) -> dict[str, str]:
    rows = _rows(places, column)
    return {str(p): str(v) for p, v in zip(rows["place_id"], rows[column])}


def colours(places: pd.DataFrame | None) -> dict[str, str]:
    """place_id -> the city's one colour (#RRGGBB)."""
    return _by_id(places, "colour")


def short_names(places: pd.DataFrame | None) -> dict[str, str]:
    """place_id -> the name charts and tables show."""
    return _by_id(places, "short_name")


def label_positions(places: pd.DataFrame | None) -> dict[str, str]:
    """place_id -> where the map writes the city's name beside its marker."""
    return _by_id(places, "label_position")
