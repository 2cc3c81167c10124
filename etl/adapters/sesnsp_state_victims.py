"""SESNSP victims of crimes under state jurisdiction ("víctimas de delitos del fuero común"),
state level, long format (reshaped by I. Arroyo, github.com/isaacarroyov/datos_facil_acceso).

Layout (usually bzip2-compressed, ~930,000 rows)::

    date_year_month,n_year,n_month,cve_ent,nombre_estado,bien_juridico_afectado,
    tipo_de_delito,subtipo_de_delito,modalidad,genero,rango_de_edad,n_victimas

-> table ``crime_victims``, dataset ``sesnsp_state_victims_month``. Category texts are kept as
published (Spanish). ``date_year_month`` (the 15th of the month, derived) and
``bien_juridico_afectado`` (the legal good, implied by the crime type) are dropped.

The file is large, so it is read lean: the text columns come out of Arrow as dictionaries
(pandas categoricals) and every check or conversion runs once per distinct value. A file that
the lean reader cannot take as is (not UTF-8, short or long rows, a cut or empty file, an HTML
page...) goes through :func:`etl.readers.read_delimited`, which reads it or names the problem.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..readers import LINE, Layout, check_data_not_html, header_names, norm_header, pick_layout, read_bytes, \
    read_delimited, required_text, select, sniff_delimiter
from ..schema import conform
from ..values import check_duplicates, inegi_codes, map_by_value, month_starts, numbers
from . import Context, Parsed
from .conapo_population import check_state_names

DATASET = "sesnsp_state_victims_month"

LONG = Layout(
    DATASET,
    columns={
        "year": ["n_year", "año", "anio"],
        "month_number": ["n_month", "mes"],
        "state_code": ["cve_ent", "clave_ent"],
        "crime": ["tipo_de_delito", "tipo de delito"],
        "subtype": ["subtipo_de_delito", "subtipo de delito"],
        "modality": ["modalidad"],
        "sex": ["genero", "sexo", "género"],
        "age_band": ["rango_de_edad", "rango de edad"],
        "victims": ["n_victimas", "victimas", "víctimas"],
    },
    optional={"state_name": ["nombre_estado", "entidad"]},
    ignore=["date_year_month", "bien_juridico_afectado", "bien jurídico afectado"],
)
TEXT = ("crime", "subtype", "modality", "sex", "age_band")
KEY = ["place_id", "month", *TEXT]


def parse(path: Path, ctx: Context) -> list[Parsed]:
    df = read_lean(path, (LONG,))
    layout = pick_layout(df, (LONG,), path)
    header = header_names(df, layout)
    has_state_name = header["state_name"] in df.columns
    rows = select(df, layout)
    del df
    lines = rows[LINE]
    place = inegi_codes(rows["state_code"], digits=2, column=header["state_code"], lines=lines).astype("category")
    if has_state_name:
        pairs = pd.DataFrame({"code": place, "name": rows["state_name"], LINE: lines}).drop_duplicates(["code", "name"])
        check_state_names(ctx.gazetteer, pairs["code"], pairs["name"], lines=pairs[LINE], column=header["state_name"])
    month = month_starts(rows["year"], rows["month_number"], lines=lines,
                         year_column=header["year"], month_column=header["month_number"])
    victims = numbers(rows["victims"], column=header["victims"], lines=lines)
    dataset = pd.Series(pd.Categorical.from_codes(np.zeros(len(rows), dtype="int8"), [DATASET]), index=rows.index)
    out = {"dataset": _as_string(dataset), "place_id": _as_string(place), "month": month}
    for col in TEXT:
        out[col] = _as_string(_clean_text(rows[col], column=header[col], lines=lines, required=(col == "crime")))
    out["victims"] = victims
    out[LINE] = lines
    frame = pd.DataFrame(out, index=rows.index)
    del rows
    check_duplicates(frame, KEY, what="state, month and category")
    return [Parsed("crime_victims", DATASET, conform(frame, "crime_victims"))]


def _clean_text(values: pd.Series, *, column: str, lines: pd.Series, required: bool) -> pd.Series:
    """Strip the published categories (once per category); an empty crime type is an error."""
    def clean(u: pd.Series, ln: pd.Series | None) -> pd.Series:
        u = u.astype("string")
        if required:
            return required_text(u, column=column, lines=ln).reset_index(drop=True)
        return u.str.strip().fillna("")
    return map_by_value(values, clean, lines, "category")


def _as_string(values: pd.Series) -> pd.Series:
    """Categorical -> the contract's string dtype, by an Arrow take (pandas' own cast is ~10x slower)."""
    cats = pa.array([str(c) for c in values.cat.categories], pa.string())
    arr = cats.take(pa.array(values.cat.codes.to_numpy()))
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=values.index, dtype="string")


# --------------------------------------------------------------------------- lean reader


def read_lean(path: Path, layouts: tuple[Layout, ...]) -> pd.DataFrame:
    """Like :func:`read_delimited`, but text columns as categoricals and only the layout's columns.

    Falls back to :func:`read_delimited` (then categoricals) whenever the file is not plain
    UTF-8 CSV that Arrow reads cleanly, so quirks and errors are handled in one place.
    """
    raw = read_bytes(path)
    if not raw.strip():
        return _fallback(path, raw)
    check_data_not_html(raw, path)
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    first = body.split(b"\n", 1)[0]
    if not body.endswith((b"\n", b"\r")) or first.count(b'"') % 2:
        return _fallback(path, raw)
    try:
        first_text = first.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return _fallback(path, raw)
    delimiter = sniff_delimiter(first_text)
    header = next(csv.reader(io.StringIO(first_text), delimiter=delimiter), [])
    keys = [norm_header(h) for h in header]
    if len(set(keys)) != len(keys) or not any(keys):
        return _fallback(path, raw)
    layout = pick_layout(pd.DataFrame(columns=keys), layouts, path)
    wanted = {k for c in (*layout.columns, *layout.optional) for k in layout.keys(c)}
    names = [f"__col{i}" for i in range(len(keys))]
    include = [n for n, k in zip(names, keys) if k in wanted]
    bad: list[int] = []

    def on_invalid(row) -> str:
        bad.append(row.number or 0)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                              invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                include_columns=include,
                column_types={n: pa.dictionary(pa.int32(), pa.string()) for n in include},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return _fallback(path, raw)
    if bad:
        return _fallback(path, raw)
    del body, raw
    df = table.to_pandas()
    del table
    df.columns = [keys[names.index(n)] for n in df.columns]
    if df.empty:
        return _fallback(path, None)
    df[LINE] = pd.RangeIndex(2, len(df) + 2)
    return df


def _fallback(path: Path, raw: bytes | None) -> pd.DataFrame:
    df = read_delimited(path, data=raw) if raw is not None else read_delimited(path)
    for col in df.columns:
        if col != LINE:
            df[col] = df[col].astype("category")
    return df
