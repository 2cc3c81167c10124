"""The border cities as data/reference/places.csv states them, read with the csv module (not through the
code under test): the independent truth for the tests of groups and colours."""
from __future__ import annotations

import csv
from functools import lru_cache

from etl.config import REPO_ROOT

PLACES_CSV = REPO_ROOT / "data" / "reference" / "places.csv"


@lru_cache(maxsize=1)
def rows() -> tuple[dict, ...]:
    with open(PLACES_CSV, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def border_rows() -> list[dict]:
    """The border cities' rows, west to east (border_order)."""
    return sorted((r for r in rows() if r["border_order"]), key=lambda r: int(r["border_order"]))


def border_ids() -> tuple[str, ...]:
    return tuple(r["place_id"] for r in border_rows())


def mpp_ids() -> tuple[str, ...]:
    return tuple(r["place_id"] for r in border_rows() if r["mpp_city"] == "true")


def colour(place_id: str) -> str:
    return next(r["colour"] for r in rows() if r["place_id"] == place_id)


def group_columns(place_ids) -> dict[str, dict]:
    """place_id -> its border_order, mpp_city, short_name, colour, label_position, default_compare (typed), for
    tests that build a small places frame."""
    out = {}
    for r in border_rows():
        if r["place_id"] in place_ids:
            out[r["place_id"]] = {
                "border_order": int(r["border_order"]), "mpp_city": r["mpp_city"] == "true",
                "short_name": r["short_name"], "colour": r["colour"], "label_position": r["label_position"],
                "default_compare": int(r["default_compare"]) if r["default_compare"] else None,
            }
    return out


GROUP_COLUMNS = ("border_order", "mpp_city", "short_name", "colour", "label_position", "default_compare")


def with_groups(places):
    """A small places frame with the group columns places.csv gives its border cities (empty for the rest)."""
    import pandas as pd

    groups = group_columns(set(places["place_id"]))
    out = places.copy()
    for col in GROUP_COLUMNS:
        out[col] = [groups.get(p, {}).get(col) for p in places["place_id"]]
    for col in ("border_order", "default_compare"):
        out[col] = pd.array(out[col], dtype="Int64")
    out["mpp_city"] = pd.array(out["mpp_city"], dtype="boolean")
    return out
