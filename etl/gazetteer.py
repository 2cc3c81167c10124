"""Places: canonical ids, names, aliases, homonyms resolved by state, nearest border city.

The gazetteer is data (``data/reference/places.csv`` and ``place_aliases.csv``);
this module only knows how to look names up in it. The border municipalities carry
their groups and their look in the same file (``border_order`` west to east, ``mpp_city``,
``short_name``, ``colour``, ``label_position``, ``default_compare``): nothing else lists them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import re

import numpy as np
import pandas as pd

from .errors import SourceError
from .readers import ascii_fold

PLACE_COLUMNS = [
    "place_id", "name", "name_ascii", "kind", "country", "admin1", "admin1_code", "lat", "lon",
    "us_port", "us_sector_id", "coord_source",
]
# What a port of entry says about itself: the CBP field office it belongs to, and where that comes from
# (empty for every other place; added empty where a frame lacks them).
PORT_COLUMNS = ["field_office_id", "field_office_source"]

# What the dashboard needs to know about the border municipalities (empty for every other place).
BORDER_COLUMNS = ["border_order", "mpp_city", "short_name", "colour", "label_position", "default_compare"]
LABEL_POSITIONS = ("top left", "top center", "top right", "middle left", "middle center", "middle right",
                   "bottom left", "bottom center", "bottom right")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
PLACES_FILE = "places.csv"


def _fold_key(text: object) -> str:
    key = ascii_fold(str(text))
    key = key.replace(".", ". ").replace(",", " , ")
    return " ".join(key.split()).replace(" ,", ",").replace(" .", ".")


@dataclass
class Gazetteer:
    places: pd.DataFrame
    aliases: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["alias", "place_id", "note"]))

    def __post_init__(self) -> None:
        self.places = _with_border_columns(self.places.reset_index(drop=True))
        self._by_id = self.places.set_index("place_id", drop=False)
        self._admin1_keys: dict[str, str] = {}
        for row in self.places.itertuples():
            if row.kind == "state":
                self._admin1_keys[_fold_key(row.name)] = row.place_id
                self._admin1_keys[str(row.place_id)] = row.place_id
        index: dict[str, list[tuple[str, bool]]] = {}

        def add(key: str, pid: str, curated: bool) -> None:
            if not key:
                return
            entries = index.setdefault(key, [])
            if (pid, curated) not in entries:
                entries.append((pid, curated))

        for row in self.places.itertuples():
            add(_fold_key(row.name), row.place_id, False)
            if isinstance(row.name_ascii, str):
                add(_fold_key(row.name_ascii), row.place_id, False)
        for row in self.aliases.itertuples():
            if row.place_id not in self._by_id.index:
                raise SourceError(f"alias {row.alias!r} points to unknown place {row.place_id!r}", file="place_aliases.csv")
            add(_fold_key(row.alias), row.place_id, True)
            # state aliases also name the state
            if self._by_id.at[row.place_id, "kind"] == "state":
                self._admin1_keys[_fold_key(row.alias)] = row.place_id
        self._index = index

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, reference_dir: str | Path) -> "Gazetteer":
        reference_dir = Path(reference_dir)
        places = pd.read_csv(reference_dir / "places.csv", dtype=str, keep_default_na=False)
        places = places.rename(columns={"us_port_id": "us_port"})
        for col in PLACE_COLUMNS + PORT_COLUMNS + BORDER_COLUMNS:
            if col not in places.columns:
                places[col] = ""
        check_border_columns(places)
        check_field_offices(places)
        places = places[PLACE_COLUMNS + PORT_COLUMNS + BORDER_COLUMNS].copy()
        for col in ("lat", "lon"):
            places[col] = pd.to_numeric(places[col].replace("", np.nan), errors="raise")
        alias_path = reference_dir / "place_aliases.csv"
        aliases = (
            pd.read_csv(alias_path, dtype=str, keep_default_na=False)
            if alias_path.exists()
            else pd.DataFrame(columns=["alias", "place_id", "note"])
        )
        return cls(places, aliases)

    def with_places(self, extra: pd.DataFrame) -> "Gazetteer":
        """A gazetteer with rows added for ids it lacks (e.g. INEGI's full municipality catalogue)."""
        new = extra[~extra["place_id"].isin(self.places["place_id"])]
        merged = pd.concat([self.places, new.reindex(columns=PLACE_COLUMNS + PORT_COLUMNS + BORDER_COLUMNS)],
                           ignore_index=True)
        return Gazetteer(merged, self.aliases)

    # ------------------------------------------------------------------ lookups

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id.index

    def get(self, place_id: str) -> pd.Series:
        return self._by_id.loc[place_id]

    def ids(self, kind: str | None = None) -> set[str]:
        df = self.places if kind is None else self.places[self.places["kind"] == kind]
        return set(df["place_id"])

    def paired_us_areas(self, place_id: str) -> tuple[str | None, str | None]:
        """(sector id, field office id) paired with a border city: its ``us_sector_id``, and the field office of
        its paired port (``us_port`` -> the port's ``field_office_id``). None where the gazetteer has no pairing.
        A sector or field office covers more than its paired city: figures for them are processed there, not
        counted in the city."""
        if place_id not in self:
            raise KeyError(f"unknown place {place_id!r}")
        row = self.get(place_id)
        sector = _text(row.get("us_sector_id")) or None
        port = _text(row.get("us_port"))
        office = _text(self.get(port).get("field_office_id")) if port and port in self else ""
        return sector, office or None

    def border_city_ids(self) -> tuple[str, ...]:
        """The border municipalities, west to east (``border_order``)."""
        rows = self.places.dropna(subset=["border_order"]).sort_values("border_order")
        return tuple(rows["place_id"])

    def state_id(self, admin1: object) -> str | None:
        """INEGI 2-digit code of a Mexican state from its name, abbreviation or code."""
        text = str(admin1).strip()
        if text.isdigit() and len(text) <= 2:
            text = text.zfill(2)
        return self._admin1_keys.get(text) or self._admin1_keys.get(_fold_key(text))

    def candidates(self, name: object, kind: str | tuple[str, ...] | None = None) -> list[tuple[str, bool]]:
        entries = self._index.get(_fold_key(name), [])
        if kind is not None:
            kinds = (kind,) if isinstance(kind, str) else kind
            entries = [e for e in entries if self._by_id.at[e[0], "kind"] in kinds]
        return entries

    def resolve(self, name: object, *, kind: str | tuple[str, ...] | None = None, admin1: object = None) -> str | None:
        """The place id for a name, or None. Homonyms resolve by state; a curated alias wins otherwise."""
        entries = self.candidates(name, kind)
        if not entries:
            return None
        ids = list(dict.fromkeys(pid for pid, _ in entries))
        if admin1 not in (None, "") and not (isinstance(admin1, float) and np.isnan(admin1)):
            code = self.state_id(admin1)
            key = _fold_key(admin1)
            ids = [
                pid for pid in ids
                if (code and self._by_id.at[pid, "admin1_code"] == code)
                or _fold_key(self._by_id.at[pid, "admin1"]) == key
                or str(self._by_id.at[pid, "admin1_code"]).casefold() == key
            ]
            return ids[0] if len(ids) == 1 else None
        if len(ids) == 1:
            return ids[0]
        curated = list(dict.fromkeys(pid for pid, cur in entries if cur))
        return curated[0] if len(curated) == 1 else None

    def resolve_series(
        self,
        names: pd.Series,
        *,
        kind: str | tuple[str, ...] | None = None,
        admin1: pd.Series | None = None,
        column: str,
        lines: pd.Series | None = None,
    ) -> pd.Series:
        """Resolve every name; names that do not resolve are one error listing all of them."""
        frame = pd.DataFrame({"name": names.astype(str)})
        frame["admin1"] = admin1.astype(str) if admin1 is not None else ""
        uniques = frame.drop_duplicates()
        mapping = {
            (r.name, r.admin1): self.resolve(r.name, kind=kind, admin1=r.admin1 or None) for r in uniques.itertuples()
        }
        unresolved = [k for k, v in mapping.items() if v is None]
        if unresolved:
            first = unresolved[0]
            mask = (frame["name"] == first[0]) & (frame["admin1"] == first[1])
            line = int(lines[mask].iloc[0]) if lines is not None else None
            listed = ", ".join(repr(n if not a else f"{n} ({a})") for n, a in unresolved[:20])
            more = f" and {len(unresolved) - 20} more" if len(unresolved) > 20 else ""
            raise SourceError(
                f"{len(unresolved)} place name(s) not in the gazetteer: {listed}{more} "
                "(add an alias to data/reference/place_aliases.csv)",
                line=line,
                column=column,
            )
        keys = list(zip(frame["name"], frame["admin1"]))
        return pd.Series([mapping[k] for k in keys], index=names.index, dtype="string")

    # ------------------------------------------------------------------ geography

    def nearest(self, lat: pd.Series, lon: pd.Series, place_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Nearest of `place_ids` (with coordinates; default: the border cities) to each point:
        columns nearest_place_id, distance_km."""
        place_ids = self.border_city_ids() if place_ids is None else place_ids
        ref = self.places[self.places["place_id"].isin(place_ids)].dropna(subset=["lat", "lon"])
        out = pd.DataFrame(
            {"nearest_place_id": pd.Series(pd.NA, index=lat.index, dtype="string"),
             "distance_km": pd.Series(np.nan, index=lat.index, dtype="Float64")}
        )
        if ref.empty:
            return out
        la = np.radians(pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float, na_value=np.nan))[:, None]
        lo = np.radians(pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float, na_value=np.nan))[:, None]
        rla = np.radians(ref["lat"].to_numpy(dtype=float))[None, :]
        rlo = np.radians(ref["lon"].to_numpy(dtype=float))[None, :]
        a = np.sin((rla - la) / 2) ** 2 + np.cos(la) * np.cos(rla) * np.sin((rlo - lo) / 2) ** 2
        dist = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        valid = ~np.isnan(dist).all(axis=1)
        best = np.zeros(len(dist), dtype=int)
        best[valid] = np.nanargmin(dist[valid], axis=1)
        ids = ref["place_id"].to_numpy()[best]
        km = dist[np.arange(len(dist)), best]
        out.loc[valid, "nearest_place_id"] = ids[valid]
        out.loc[valid, "distance_km"] = np.round(km[valid], 1)
        return out


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else str(value).strip()


def check_field_offices(places: pd.DataFrame, file: str = PLACES_FILE) -> None:
    """field_office_id (read as text): only on port rows, naming a field office of the file, with its source."""
    kinds = dict(zip(places["place_id"], places["kind"]))
    for i, row in places.iterrows():
        fo, src = str(row["field_office_id"]).strip(), str(row["field_office_source"]).strip()
        if not fo and not src:
            continue
        if row["kind"] != "port":
            raise SourceError(f"field_office_id is set for a {row['kind']} ({row['place_id']}); only ports belong to "
                              "a field office", file=file, line=int(i) + 2, column="field_office_id")
        if kinds.get(fo) != "field_office":
            raise SourceError(f"field_office_id {fo!r} of port {row['place_id']} is not a field office of the file",
                              file=file, line=int(i) + 2, column="field_office_id")
        if not src:
            raise SourceError(f"port {row['place_id']}: field_office_id without its field_office_source",
                              file=file, line=int(i) + 2, column="field_office_source")


# ---------------------------------------------------------------------- border columns


def _with_border_columns(places: pd.DataFrame) -> pd.DataFrame:
    """The border columns typed (border_order and default_compare integers, mpp_city boolean, the rest
    text), added empty where a frame lacks them (a gazetteer built in code, a catalogue)."""
    places = places.copy()
    for col in BORDER_COLUMNS + PORT_COLUMNS:
        if col not in places.columns:
            places[col] = pd.NA
    for col in ("border_order", "default_compare"):
        places[col] = pd.to_numeric(places[col].replace("", pd.NA), errors="raise").astype("Int64")
    flags = places["mpp_city"].map(lambda v: {"true": True, "false": False}.get(str(v).strip().lower(), v))
    places["mpp_city"] = flags.where(flags.isin([True, False]), pd.NA).astype("boolean")
    for col in ("short_name", "colour", "label_position"):
        places[col] = places[col].astype("string").replace("", pd.NA)
    return places


def check_border_columns(places: pd.DataFrame, file: str = PLACES_FILE) -> None:
    """The border columns of places.csv as read (text): a bad value is an error naming its line.

    border_order: a whole number 1..n, each once (n = how many places have one); mpp_city: true, false or
    empty; colour: ``#RRGGBB``, each border city its own; label_position: a Plotly text position;
    default_compare: a whole number, each once."""
    def fail(i: int, column: str, message: str) -> None:
        raise SourceError(message, file=file, line=int(i) + 2, column=column)  # line 1 is the header

    text = {col: places[col].fillna("").astype(str).str.strip() for col in BORDER_COLUMNS}
    for col in ("border_order", "default_compare"):
        for i, v in text[col].items():
            if v and not (v.isdigit() and int(v) >= 1):
                fail(i, col, f"{col} {v!r} is not a whole number from 1")
    order = text["border_order"]
    given = order[order != ""]
    seen: dict[str, int] = {}
    for i, v in given.items():
        if int(v) in seen:
            fail(i, "border_order", f"border_order {v} is given twice (also on line {seen[int(v)] + 2})")
        seen[int(v)] = i
    if given.size and set(seen) != set(range(1, len(seen) + 1)):
        missing = sorted(set(range(1, len(seen) + 1)) - set(seen))
        fail(max(seen.values()), "border_order", f"border_order must run 1..{len(seen)} without gaps "
                                                 f"(missing {', '.join(map(str, missing))})")
    compare = text["default_compare"]
    twice = compare[(compare != "") & compare.duplicated()]
    if not twice.empty:
        fail(twice.index[0], "default_compare", f"default_compare {twice.iloc[0]} is given twice")
    for i, v in text["mpp_city"].items():
        if v.lower() not in ("", "true", "false"):
            fail(i, "mpp_city", f"mpp_city {v!r} is not true or false")
    colours: dict[str, int] = {}
    for i, v in text["colour"].items():
        if not v:
            continue
        if not COLOUR.match(v):
            fail(i, "colour", f"colour {v!r} is not a hex colour #RRGGBB")
        if v.upper() in colours:
            fail(i, "colour", f"colour {v} is already the colour of line {colours[v.upper()] + 2}")
        colours[v.upper()] = i
    for i, v in text["label_position"].items():
        if v and v not in LABEL_POSITIONS:
            fail(i, "label_position", f"label_position {v!r} is not one of {', '.join(LABEL_POSITIONS)}")
    for col in ("mpp_city", "colour", "short_name", "label_position", "default_compare"):
        stray = text[col][(text[col] != "") & (order == "")]
        if not stray.empty:
            fail(stray.index[0], col, f"{col} is set for a place that is not a border city (no border_order)")
    for col in ("colour", "short_name", "mpp_city"):
        lacking = text[col][(order != "") & (text[col] == "")]
        if not lacking.empty:
            fail(lacking.index[0], col, f"border city without a {col}")


# --------------------------------------------------------------------------- names against codes

# words that tell nothing about which municipality a name is ("Heroica Ciudad de Juchitán de Zaragoza" is
# "Juchitán de Zaragoza"; "San Juan Mixtepec Distrito 08" is "San Juan Mixtepec")
_NAME_NOISE = {"de", "del", "la", "las", "el", "los", "y", "villa", "heroica", "ciudad", "distrito"}


def _name_words(text: object) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", ascii_fold(str(text))) if w not in _NAME_NOISE}


def same_place_name(published: object, catalogued: object) -> bool:
    """Does a published municipality name name the catalogued one? Accents and case aside, the same name, one
    name's words within the other's (CONAPO's "Cintalapa" is INEGI's "Cintalapa de Figueroa"), or a spelling a
    letter or two apart ("Altzayanca" / "Atltzayanca")."""
    a, b = _fold_key(published), _fold_key(catalogued)
    if a == b:
        return True
    wa, wb = _name_words(published), _name_words(catalogued)
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    from difflib import SequenceMatcher
    return SequenceMatcher(None, a, b).ratio() >= 0.9


def check_place_names(gaz: Gazetteer, codes: pd.Series, names: pd.Series, *, lines: pd.Series, column: str,
                      kind: str = "municipality") -> None:
    """Each name must name the place its code has in the gazetteer (for the codes the gazetteer holds as
    `kind`): a municipality called "Sonora" under a Baja California code is a shifted or mixed-up row. One error
    lists every such pair with its first line."""
    known = gaz.ids(kind)
    pairs = pd.DataFrame({"code": codes.astype("string"), "name": names.astype("string"), "line": lines})
    pairs = pairs[pairs["code"].isin(known)].drop_duplicates(["code", "name"])
    wrong = []
    for row in pairs.itertuples(index=False):
        place = gaz.get(row.code)
        if not (same_place_name(row.name, place["name"]) or row.code in {p for p, _ in gaz.candidates(row.name)}):
            wrong.append((row.code, str(row.name), str(place["name"]), int(row.line)))
    if wrong:
        listed = "; ".join(f"{code} named {name!r} (line {line}), but {code} is {cat!r}"
                           for code, name, cat, line in wrong[:10])
        more = f" and {len(wrong) - 10} more" if len(wrong) > 10 else ""
        raise SourceError(f"{len(wrong)} {kind} name(s) do not match their code's catalogue entry: {listed}{more}",
                          line=wrong[0][3], column=column)
