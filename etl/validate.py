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
from .schema import FIELDS, TABLES, Field

from .schema import PANDAS_DTYPES as _DTYPES

TODAY_PLUS = pd.Timestamp.today().normalize() + pd.DateOffset(years=1)
EARLIEST = pd.Timestamp("1900-01-01")


def _enum_check(f: Field) -> str:
    return f"{f.name} in its closed vocabulary"


def _checks(f: Field, required: bool = False) -> list[pa.Check]:
    checks = []
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum, error=f"{f.name} >= {f.minimum}"))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum, error=f"{f.name} <= {f.maximum}"))
    if f.enum:  # an optional field may be empty (no such dimension in the layout)
        allowed = list(f.enum) + ([] if required or f.type != "string" else [""])
        checks.append(pa.Check.isin(allowed, error=_enum_check(f)))
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
            _DTYPES[f.type], checks=_checks(f, f.required or f.name in spec.required), nullable=not required, coerce=False, required=True
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
    _check_disjoint(df, table, source)
    return df


def _where(df: pd.DataFrame, mask: pd.Series, limit: int = 4) -> tuple[list[int], object]:
    """The source lines of the first few rows of `mask` (where the rows carry them) and the file."""
    rows = df[mask.fillna(False).astype(bool)]
    lines = [int(x) for x in rows[LINE].head(limit) if not pd.isna(x)] if LINE in rows.columns else []
    file = rows["_file"].iloc[0] if "_file" in rows.columns and len(rows) else None
    return lines, file


def _vocabulary_error(df: pd.DataFrame, table: str, column: str, bad: pd.Series, what: str,
                      source: str | None) -> SourceError:
    """One error for every value of `column` outside its vocabulary: the values (with their rows) and where."""
    values = df.loc[bad, column].astype(str)
    counts = values.value_counts()
    listed = ", ".join(f"{v!r} ({n:,} rows)" for v, n in counts.head(10).items())
    more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
    lines, file = _where(df, bad)
    at = f" (lines {', '.join(map(str, lines))}{' …' if bad.sum() > len(lines) else ''})" if lines else ""
    return SourceError(f"table {table}: {len(counts)} {what}: {listed}{more}{at}", source=source, file=file,
                       line=lines[0] if lines else None, column=column)


def _check_disjoint(df: pd.DataFrame, table: str, source: str | None) -> None:
    """An open vocabulary (citizenship) must hold no value of another column's closed vocabulary."""
    for f in TABLES[table].field_defs():
        if not f.disjoint_from or f.name not in df.columns:
            continue
        foreign = {v: other for other in f.disjoint_from for v in (FIELDS[other].enum or ())}
        bad = df[f.name].isin(list(foreign)).fillna(False)
        if bad.any():
            owners = sorted({foreign[v] for v in df.loc[bad, f.name].astype(str)})
            raise _vocabulary_error(df, table, f.name, bad,
                                    f"value(s) of another column ({', '.join(owners)})", source)


def _to_source_error(exc: SchemaErrors, df: pd.DataFrame, table: str, source: str | None) -> SourceError:
    cases = exc.failure_cases
    closed = cases[cases["check"].astype(str).str.endswith("in its closed vocabulary")]
    if len(closed):  # most telling: a value from another column or another file
        column = str(closed.iloc[0]["column"])
        allowed = FIELDS[column].enum
        bad = (~df[column].isin(list(allowed) + [""]) & df[column].notna()).fillna(False)
        if bad.any():
            return _vocabulary_error(df, table, column, bad,
                                     f"value(s) outside the closed vocabulary of {column} ({', '.join(allowed)})",
                                     source)
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
