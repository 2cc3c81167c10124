"""INEGI homicides by municipality or state and month (Gargiulo, Aburto & Floridi's compilation
of INEGI death certificates, github.com/thegargiulian/mexico-homicide-rates).

Two pipe-delimited layouts (the municipal one was gzipped up to the 2000-2021 edition and is plain CSV since
the 2000-2022 one on `main`; etl/readers.py decompresses by magic bytes, so either reads):

* ``ent_mun|year|month|homicides|pop_est|homicide_rate`` -> dataset ``inegi_municipal_month``
* ``cve_ent|year|month|homicides|pop_est|homicide_rate`` -> dataset ``inegi_state_month``

``pop_est`` and ``homicide_rate`` are dropped: the compilation's population interpolation has
a known flaw, population comes from CONAPO (``conapo_population``).

Codes that lost their leading zero in a spreadsheet ("2004") are zero-padded; a code that is
not an INEGI code (state part 01-32, municipality part 001-999) is an error naming the line.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..readers import LINE, Layout, read_layout
from ..schema import conform
from ..values import check_duplicates, inegi_codes, month_starts, numbers
from . import Context, Parsed

MUNICIPAL = Layout(
    "inegi_municipal_month",
    columns={
        "code": ["ent_mun", "cve_geo", "cve_mun_inegi"],
        "year": ["anio", "año"],
        "month": ["mes"],
        "homicides": ["homicidios"],
    },
    ignore=["pop_est", "homicide_rate"],
)
STATE = Layout(
    "inegi_state_month",
    columns={
        "code": ["cve_ent"],
        "year": ["anio", "año"],
        "month": ["mes"],
        "homicides": ["homicidios"],
    },
    ignore=["pop_est", "homicide_rate"],
)
LAYOUTS = (MUNICIPAL, STATE)


def parse(path: Path, ctx: Context) -> list[Parsed]:
    layout, rows, header = read_layout(path, LAYOUTS)
    lines = rows[LINE]
    digits = 5 if layout is MUNICIPAL else 2
    place = inegi_codes(rows["code"], digits=digits, column=header["code"], lines=lines)
    month = month_starts(rows["year"], rows["month"], lines=lines,
                         year_column=header["year"], month_column=header["month"])
    count = numbers(rows["homicides"], column=header["homicides"], lines=lines)
    out = pd.DataFrame(
        {"dataset": layout.name, "place_id": place, "month": month, "count": count, LINE: lines},
        index=rows.index,
    )
    check_duplicates(out, ["place_id", "month"], what="place and month")
    return [Parsed("homicides", layout.name, conform(out, "homicides"))]

