"""CONAPO municipal population projections and INEGI's catalogue of municipalities
(tidied copies by I. Arroyo, github.com/isaacarroyov/datos_facil_acceso).

Three layouts, told apart by their headers:

* projections, wide (CONAPO's 2015-based projections; the file was deleted from the tidied repository on
  2024-05-15) ``date_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,hombres,mujeres,total``
  -> table ``population``, dataset ``conapo_municipal_projections`` (population = total;
  hombres + mujeres must equal total on every row).
* projections, long (CONAPO's 2023 revision, which follows the 2020 census; the live file)
  ``n_year,nombre_estado,cve_ent,nombre_municipio,cve_mun,genero,pob_mid_year``, ``genero`` one of
  ``Hombres``, ``Mujeres``, ``Total`` -> the same table and dataset: one row per municipality and year from its
  ``Total`` row; where both sexes are given they must add up to it.
  The two are different editions of the projections: each Parsed says which (``edition``), and the change
  report says so when a release switches from one to the other (its figures are revised as a whole).
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
PROJECTIONS_LONG = Layout(
    "conapo_municipal_projections",
    columns={
        "year": ["n_year", "date_year", "año", "anio"],
        "state_name": ["nombre_estado", "nom_ent"],
        "state_code": ["cve_ent"],
        "municipality_name": ["nombre_municipio", "nom_mun"],
        "municipality_code": ["cve_mun", "cve_geo"],
        "sex": ["genero", "género", "sexo"],
        "population": ["pob_mid_year", "poblacion", "pob"],
    },
)
LAYOUTS = (PROJECTIONS, PROJECTIONS_LONG, CATALOGUE)
EDITION_2015 = "CONAPO municipal projections 2015-2030, 2015-based edition"
EDITION_2023 = "CONAPO municipal projections 2015-2030, 2023 revision (follows the 2020 census)"
SEXES = {"hombres": "men", "mujeres": "women", "total": "total"}


def parse(path: Path, ctx: Context) -> list[Parsed]:
    layout, rows, header = read_layout(path, LAYOUTS)
    lines = rows[LINE]
    state = inegi_codes(rows["state_code"], digits=2, column=header["state_code"], lines=lines)
    check_state_names(ctx.gazetteer, state, rows["state_name"], lines=lines, column=header["state_name"])
    if layout is CATALOGUE:
        parsed = _catalogue(rows, state, header, lines)
        check_place_names(ctx.gazetteer, parsed.frame["place_id"], parsed.frame["name"], lines=lines,
                          column=header["municipality_name"])
        return [parsed]
    place = municipal_codes(rows["municipality_code"], state, column=header["municipality_code"], lines=lines)
    check_place_names(ctx.gazetteer, place, rows["municipality_name"], lines=lines,
                      column=header["municipality_name"])
    if layout is PROJECTIONS_LONG:
        return [_projections_long(rows, place, header, lines)]
    return [_projections(rows, place, header, lines)]


def _years(rows: pd.DataFrame, header: dict[str, str], lines: pd.Series) -> pd.Series:
    year = numbers(rows["year"], column=header["year"], lines=lines)
    bad = ~year.between(1900, pd.Timestamp.today().year + 60)
    if bad.any():
        i = bad[bad].index[0]
        raise SourceError(f"year {str(rows.at[i, 'year'])[:20]!r} is out of range",
                          line=int(lines[i]), column=header["year"])
    return year


def _projections_long(rows: pd.DataFrame, place: pd.Series, header: dict[str, str], lines: pd.Series) -> Parsed:
    """One row per municipality, year and sex -> one row per municipality and year (the Total row)."""
    year = _years(rows, header, lines)
    sex = rows["sex"].astype("string").str.strip().str.casefold().map(SEXES)
    if sex.isna().any():
        i, more = first_bad(sex.isna(), "rows")
        raise SourceError(f"{header['sex']} {str(rows.at[i, 'sex'])[:30]!r} is not one of Hombres, Mujeres, Total"
                          f"{more}", line=int(lines[i]), column=header["sex"])
    value = numbers(rows["population"], column=header["population"], lines=lines)
    long = pd.DataFrame({"place_id": place, "year": year, "sex": sex, "value": value, LINE: lines})
    check_duplicates(long, ["place_id", "year", "sex"], what="municipality, year and sex")
    wide = long.pivot(index=["place_id", "year"], columns="sex", values="value")
    at = long.pivot(index=["place_id", "year"], columns="sex", values=LINE)
    if "total" not in wide.columns or wide["total"].isna().any():
        missing = wide.index[wide["total"].isna()] if "total" in wide.columns else wide.index
        pid, yr = missing[0]
        line = int(at.loc[(pid, yr)].dropna().min())
        raise SourceError(f"municipality {pid} has no Total row for {int(yr)}{more_such(len(missing), 'pairs')}",
                          line=line, column=header["sex"])
    if {"men", "women"} <= set(wide.columns):
        both = wide["men"].notna() & wide["women"].notna()
        off = both & (wide["men"] + wide["women"] != wide["total"])
        if off.any():
            hits = wide.index[off]
            pid, yr = hits[0]
            r = wide.loc[(pid, yr)]
            raise SourceError(
                f"municipality {pid}, {int(yr)}: Hombres + Mujeres = {int(r['men']) + int(r['women']):,} but "
                f"Total = {int(r['total']):,}{more_such(len(hits), 'pairs')}",
                line=int(at.loc[(pid, yr), "total"]), column=header["population"],
            )
    total = wide["total"].reset_index()
    out = pd.DataFrame({"dataset": PROJECTIONS_LONG.name, "place_id": total["place_id"],
                        "year": total["year"].astype("int64"), "population": total["total"],
                        LINE: at["total"].to_numpy().astype("int64")})
    out = out.sort_values(LINE, kind="stable").reset_index(drop=True)
    return Parsed("population", PROJECTIONS_LONG.name, conform(out, "population"),
                  (f"long layout: {EDITION_2023}",), edition=EDITION_2023)


def _projections(rows: pd.DataFrame, place: pd.Series, header: dict[str, str], lines: pd.Series) -> Parsed:
    year = _years(rows, header, lines)
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
    return Parsed("population", PROJECTIONS.name, conform(out, "population"), (f"wide layout: {EDITION_2015}",),
                  edition=EDITION_2015)


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
