"""Validation of tables against the contract in :mod:`etl.schema`, with pandera.

Each table's pandera schema is built from its field definitions: types, required
(non-null) fields, ranges, allowed values and a unique primary key. A failure is a
:class:`SourceError` naming the column, the offending value and, where the rows
carry it, the line of the source file.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .errors import SourceError
from .readers import LINE
from .schema import TABLES, Field

from .schema import PANDAS_DTYPES as _DTYPES

TODAY_PLUS = pd.Timestamp.today().normalize() + pd.DateOffset(years=1)
EARLIEST = pd.Timestamp("1900-01-01")


def _checks(f: Field) -> list[pa.Check]:
    checks = []
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum, error=f"{f.name} >= {f.minimum}"))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum, error=f"{f.name} <= {f.maximum}"))
    if f.enum:
        checks.append(pa.Check.isin(list(f.enum), error=f"{f.name} in {list(f.enum)}"))
    if f.pattern:
        checks.append(pa.Check.str_matches(f.pattern, error=f"{f.name} matches {f.pattern}"))
    if f.type == "date":
        checks.append(pa.Check.in_range(EARLIEST, TODAY_PLUS, error=f"{f.name} between 1900 and next year"))
    return checks


@lru_cache(maxsize=None)
def table_schema(table: str) -> pa.DataFrameSchema:
    spec = TABLES[table]
    columns = {}
    for f in spec.field_defs():
        required = f.required or f.name in spec.required or f.name in spec.primary_key
        # empty strings stand for "no such dimension" in encounters, so keys may be ""
        columns[f.name] = pa.Column(
            _DTYPES[f.type], checks=_checks(f), nullable=not required, coerce=False, required=True
        )
    return pa.DataFrameSchema(
        columns,
        unique=list(spec.primary_key),
        report_duplicates="all",
        strict=False,
        name=table,
    )


def validate(df: pd.DataFrame, table: str, *, source: str | None = None) -> pd.DataFrame:
    """Validate `df` as `table`; raise SourceError naming column, value and line on the first problem."""
    schema = table_schema(table)
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        raise _to_source_error(exc, df, table, source) from None
    except SchemaError as exc:  # pragma: no cover - lazy=True collects into SchemaErrors
        raise SourceError(f"table {table}: {exc}", source=source) from None
    return df


def _to_source_error(exc: SchemaErrors, df: pd.DataFrame, table: str, source: str | None) -> SourceError:
    cases = exc.failure_cases
    first = cases.iloc[0]
    column = first.get("column")
    check = str(first.get("check"))
    index = first.get("index")
    line = None
    file = None
    if index is not None and not pd.isna(index) and index in df.index:
        if LINE in df.columns:
            value = df.at[index, LINE]
            line = int(value) if not pd.isna(value) else None
        if "_file" in df.columns:
            file = df.at[index, "_file"]
    n = len(cases)
    more = f" ({n - 1} more problems)" if n > 1 else ""
    if check in ("column_in_dataframe",):
        message = f"table {table}: missing column {first.get('failure_case')!r}"
    elif "unique" in check or "duplicates" in check:
        key = ", ".join(TABLES[table].primary_key)
        lines = _duplicate_lines(df, table)
        where = f" (lines {', '.join(map(str, lines))})" if lines else ""
        message = f"table {table}: duplicate rows for the key ({key}){where}{more}"
        line = lines[0] if lines else line
        column = None
    elif "not_nullable" in check:
        message = f"table {table}: missing value in required column{more}"
    elif "dtype" in check:
        message = f"table {table}: wrong type: {first.get('failure_case')}{more}"
    else:
        message = f"table {table}: value {first.get('failure_case')!r} fails check {check}{more}"
    return SourceError(message, source=source, file=file, line=line, column=None if pd.isna(column) else column)


def _duplicate_lines(df: pd.DataFrame, table: str) -> list[int]:
    if LINE not in df.columns:
        return []
    key = list(TABLES[table].primary_key)
    dup = df[df.duplicated(key, keep=False)]
    return [int(x) for x in dup[LINE].head(4) if not pd.isna(x)]
