"""`borderstats validate`: the registry, the gazetteer and a release checked against the contract.

Two independent checks of a release: each table (Parquet) against the pandera schemas of
:mod:`etl.validate`, and the release's published files against the contract it declares, its
``datapackage.json``, with the frictionless library (header names and order, types, required values,
ranges, allowed values, primary keys). Frictionless reads about 25,000 rows a second, so by default it
checks every row of tables up to ``FULL_ROWS`` rows and the header and first ``SAMPLE_ROWS`` rows of
bigger ones (the real homicides and crime-victims tables: a full check of a full release takes about a
minute); ``all_rows=True`` (``borderstats validate --all-rows``) checks every row of every table.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import commands
from .config import reference_dir
from .errors import EtlError, SourceError
from .gazetteer import Gazetteer
from .registry import load_registry
from .schema import TABLES, conform
from .validate import validate
from .warehouse import DATAPACKAGE, Warehouse


FULL_ROWS = 100_000
SAMPLE_ROWS = 20_000


def check_datapackage(folder: Path, *, all_rows: bool = False) -> list[str]:
    """The release's CSV files checked with frictionless against its datapackage.json: one problem per
    error found, naming the table, field, row and value."""
    import frictionless

    try:
        descriptor = json.loads((Path(folder) / DATAPACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"datapackage.json: {exc}"]
    problems = [f"datapackage.json: {e.message}" for e in frictionless.Package.validate_descriptor(descriptor).errors]
    if problems:
        return problems
    try:
        package = frictionless.Package(descriptor, basepath=str(folder))
    except frictionless.FrictionlessException as exc:
        return [f"datapackage.json: {exc.error.message}"]
    for resource in package.resources:
        rows = (descriptor_of(descriptor, resource.name) or {}).get("rows")
        limit = None if all_rows or not isinstance(rows, int) or rows <= FULL_ROWS else SAMPLE_ROWS
        try:
            report = resource.validate(limit_rows=limit, limit_errors=20)
        except frictionless.FrictionlessException as exc:
            problems.append(f"datapackage.json: table {resource.name}: {exc.error.message}")
            continue
        for task in report.tasks:
            for error in task.errors:
                problems.append(describe(resource.name, error))
        for error in report.errors:
            problems.append(describe(resource.name, error))
    return problems


def descriptor_of(descriptor: dict, name: str) -> dict | None:
    return next((r for r in descriptor.get("resources", []) if r.get("name") == name), None)


def describe(table: str, error) -> str:
    """'table encounters, field count, row 12: ...' from a frictionless error (row 1 is the header)."""
    where = [f"table {table}"]
    field = getattr(error, "field_name", None)
    if field:
        where.append(f"field {field}")
    row = getattr(error, "row_number", None)
    if row:
        where.append(f"row {row}")
    elif "label" in error.type or "header" in error.type:
        where.append("row 1 (the header)")
    return f"{table}.csv does not match datapackage.json: {', '.join(where)}: {error.type}: {error.note or error.message}"


def validate_all(data_dir: Path, release_id: str | None = None, *, all_rows: bool = False) -> list[str]:
    problems: list[str] = []
    try:
        load_registry()
    except EtlError as exc:
        problems.append(f"registry: {exc}")
    try:
        gaz = Gazetteer.load(reference_dir())
        dup = gaz.places["place_id"].duplicated()
        if dup.any():
            problems.append(f"places.csv: duplicate place_id {gaz.places['place_id'][dup].iloc[0]}")
    except (EtlError, OSError, ValueError) as exc:
        problems.append(f"gazetteer: {exc}")
    wh = Warehouse(data_dir)
    release = wh.release(release_id) if release_id else wh.current()
    if release is None:
        problems.append(f"no current release: run `{commands.cli('refresh')}`")
        return problems
    for name in TABLES:
        path = release.table_path(name)
        if not path.exists():
            problems.append(f"release {release.id}: table {name} is missing")
            continue
        try:
            validate(conform(release.read(name), name), name)
        except (SourceError, ValueError) as exc:
            problems.append(f"release {release.id}: {exc}")
        if not release.table_path(name, "csv").exists():
            problems.append(f"release {release.id}: {name}.csv is missing")
    try:
        pkg = json.loads((release.path / DATAPACKAGE).read_text(encoding="utf-8"))
        names = {r["name"] for r in pkg["resources"]}
        if names != set(TABLES):
            problems.append(f"datapackage.json: resources {sorted(names)} differ from tables {sorted(TABLES)}")
    except (OSError, ValueError, KeyError) as exc:
        problems.append(f"datapackage.json: {exc}")
    problems += [f"release {release.id}: {p}" for p in check_datapackage(release.path, all_rows=all_rows)]
    return problems
