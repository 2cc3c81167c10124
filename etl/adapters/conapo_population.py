"""CONAPO municipal population projections and INEGI's catalogue of municipalities
(tidied copies by I. Arroyo, github.com/isaacarroyov/datos_facil_acceso).

Two layouts, told apart by their headers:

* projections ``date_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,hombres,mujeres,total``
  -> table ``population``, dataset ``conapo_municipal_projections`` (population = total;
  hombres + mujeres must equal total on every row).
* catalogue ``cve_geo,nombre_estado,cve_ent,nombre_municipio,cve_mun`` (``cve_geo`` 5 digits,
  ``cve_mun`` 3 digits) -> table ``places``, dataset ``inegi_municipal_catalogue``.

In the projections ``cve_mun`` is already the 5-digit code; a 1-3 digit ``cve_mun`` is read
as the municipality part and prefixed with ``cve_ent``. Either way the code's state part
must equal ``cve_ent``. Where the gazetteer knows Mexican states, ``nombre_estado`` must name
the state of ``cve_ent`` (an unknown state name is an error, never a silent drop).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import SourceError, first_bad, more_such
from ..gazetteer import Gazetteer, check_place_names
from ..readers import LINE, Layout, read_layout, required_text
from ..schema import conform
from ..values import check_duplicates, inegi_codes, map_by_value, numbers
from . import Context, Parsed

PROJECTIONS = Layout(
    "conapo_municipal_projections",
    columns={
        "year": ["date_year", "año", "anio"],
        "state_name": ["nombre_estado", "nom_ent"],
        "state_code": ["cve_ent"],
        "municipality_name": ["nombre_municipio", "nom_mun"],
        "municipality_code": ["cve_mun", "cve_geo"],
        "men": ["hombres"],
        "women": ["mujeres"],
        "total": ["pob_total", "poblacion"],
    },
)
CATALOGUE = Layout(
    "inegi_municipal_catalogue",
    columns={
        "geo_code": ["cve_geo"],
        "state_name": ["nombre_estado", "nom_ent"],
        "state_code": ["cve_ent"],
        "municipality_name": ["nombre_municipio", "nom_mun"],
        "municipality_code": ["cve_mun"],
    },
)
LAYOUTS = (PROJECTIONS, CATALOGUE)


def parse(path: Path, ctx: Context) -> list[Parsed]:
    layout, rows, header = read_layout(path, LAYOUTS)
    lines = rows[LINE]
    state = inegi_codes(rows["state_code"], digits=2, column=header["state_code"], lines=lines)
    check_state_names(ctx.gazetteer, state, rows["state_name"], lines=lines, column=header["state_name"])
    if layout is PROJECTIONS:
        place = municipal_codes(rows["municipality_code"], state, column=header["municipality_code"], lines=lines)
        check_place_names(ctx.gazetteer, place, rows["municipality_name"], lines=lines,
                          column=header["municipality_name"])
        return [_projections(rows, place, header, lines)]
    parsed = _catalogue(rows, state, header, lines)
    check_place_names(ctx.gazetteer, parsed.frame["place_id"], parsed.frame["name"], lines=lines,
                      column=header["municipality_name"])
    return [parsed]


def _projections(rows: pd.DataFrame, place: pd.Series, header: dict[str, str], lines: pd.Series) -> Parsed:
    year = numbers(rows["year"], column=header["year"], lines=lines)
    bad = ~year.between(1900, pd.Timestamp.today().year + 60)
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(f"year {str(rows.at[i, 'year'])[:20]!r} is out of range",
                          line=int(lines[i]), column=header["year"])
    men = numbers(rows["men"], column=header["men"], lines=lines)
    women = numbers(rows["women"], column=header["women"], lines=lines)
    total = numbers(rows["total"], column=header["total"], lines=lines)
    off = men + women != total
    if off.any():
        i, more = first_bad(off, "rows")
        raise SourceError(
            f"{header['men']} + {header['women']} = {int(men[i]) + int(women[i]):,} "
            f"but {header['total']} = {int(total[i]):,}{more}",
            line=int(lines[i]), column=header["total"],
        )
    out = pd.DataFrame(
        {"dataset": PROJECTIONS.name, "place_id": place, "year": year, "population": total, LINE: lines},
        index=rows.index,
    )
    check_duplicates(out, ["place_id", "year"], what="municipality and year")
    return Parsed("population", PROJECTIONS.name, conform(out, "population"))


def _catalogue(rows: pd.DataFrame, state: pd.Series, header: dict[str, str], lines: pd.Series) -> Parsed:
    place = inegi_codes(rows["geo_code"], digits=5, column=header["geo_code"], lines=lines)
    from_parts = municipal_codes(rows["municipality_code"], state, column=header["municipality_code"], lines=lines)
    off = place != from_parts
    if off.any():
        i = off[off].index[0]
        raise SourceError(
            f"{header['geo_code']} {place[i]!r} does not match {header['state_code']} + "
            f"{header['municipality_code']} ({from_parts[i]!r})",
            line=int(lines[i]), column=header["geo_code"],
        )
    name = required_text(rows["municipality_name"], column=header["municipality_name"], lines=lines)
    admin1 = required_text(rows["state_name"], column=header["state_name"], lines=lines)
    out = pd.DataFrame(
        {
            "place_id": place,
            "name": name,
            "name_ascii": map_by_value(name, lambda u, _ln: u.map(fold_accents), None, "string"),
            "kind": "municipality",
            "country": "MX",
            "admin1": admin1,
            "admin1_code": state,
            "us_port": "",
            "us_sector_id": "",
            "coord_source": "",
            LINE: lines,
        },
        index=rows.index,
    )
    out["dataset"] = CATALOGUE.name
    check_duplicates(out, ["place_id"], what="municipality code")
    return Parsed("places", CATALOGUE.name, conform(out, "places"))


# --------------------------------------------------------------------------- helpers


def fold_accents(text: object) -> str:
    """'Juárez' -> 'Juarez', 'Peñón' -> 'Penon': accents removed, case kept, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip()


def municipal_codes(values: pd.Series, state: pd.Series, *, column: str, lines: pd.Series) -> pd.Series:
    """5-digit municipality codes from a 5-digit code (a lost leading zero is restored) or a
    1-3 digit municipality part prefixed with the state code; the state part must match."""
    text = values.astype("string").str.strip()
    short = text.str.len().le(3).fillna(False) & text.str.fullmatch(r"\d+").fillna(False)
    combined = text.where(~short, state + text.str.zfill(3))
    codes = inegi_codes(combined, digits=5, column=column, lines=lines)
    off = codes.str[:2] != state
    if off.any():
        i = off[off].index[0]
        raise SourceError(
            f"municipality code {codes[i]!r} is not in state {state[i]!r} (cve_ent)",
            line=int(lines[i]), column=column,
        )
    return codes


def check_state_names(gaz: Gazetteer, codes: pd.Series, names: pd.Series, *, lines: pd.Series, column: str) -> None:
    """Each state name must be the state of its code, where the gazetteer knows states."""
    if not gaz.ids("state"):
        return
    pairs = pd.DataFrame({"code": codes.astype("string"), "name": names.astype("string"), "line": lines})
    pairs = pairs.drop_duplicates(["code", "name"])
    unknown, wrong = [], []
    for row in pairs.itertuples(index=False):
        sid = gaz.state_id(row.name)
        if sid is None:
            unknown.append((row.name, row.line))
        elif sid != row.code:
            wrong.append((row.code, row.name, sid, row.line))
    if unknown:
        listed = ", ".join(repr(str(n)) for n, _ in unknown[:20])
        raise SourceError(
            f"{len(unknown)} state name(s) not in the gazetteer: {listed} "
            "(add an alias to data/reference/place_aliases.csv)",
            line=int(unknown[0][1]), column=column,
        )
    if wrong:
        code, name, sid, line = wrong[0]
        more = more_such(len(wrong), "pairs")
        raise SourceError(
            f"state code {code!r} does not match state name {str(name)!r} (which is state {sid!r}){more}",
            line=int(line), column=column,
        )
