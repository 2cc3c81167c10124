"""`borderstats validate`: the registry, the gazetteer and a release checked against the contract."""
from __future__ import annotations

import json
from pathlib import Path

from .config import reference_dir
from .errors import EtlError, SourceError
from .gazetteer import Gazetteer
from .registry import load_registry
from .schema import TABLES, conform
from .validate import validate
from .warehouse import DATAPACKAGE, Warehouse


def validate_all(data_dir: Path, release_id: str | None = None) -> list[str]:
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
        problems.append("no current release: run `borderstats refresh`")
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
    return problems
