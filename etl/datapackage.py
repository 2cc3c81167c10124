"""datapackage.json (Frictionless Data Package with Table Schemas) for a release."""
from __future__ import annotations

from .schema import TABLES
from .schema_es import FIELD_TITLES_ES, PACKAGE_TITLE_ES, TABLE_TEXT_ES


def field_descriptor(f, table=None) -> dict:
    """A Frictionless field: every attribute of the schema Field (required also where the table requires it), and
    its Spanish title (`title_es`: the name stays the same in every language)."""
    d = {"name": f.name, "type": f.type, "description": f.description}
    if f.name in FIELD_TITLES_ES:
        d["title_es"] = FIELD_TITLES_ES[f.name]
    if f.unit:
        d["unit"] = f.unit
    constraints = {}
    if f.required or (table is not None and f.name in table.required):
        constraints["required"] = True
    if f.minimum is not None:
        constraints["minimum"] = f.minimum
    if f.maximum is not None:
        constraints["maximum"] = f.maximum
    if f.enum:
        constraints["enum"] = list(f.enum)
    if f.pattern:
        constraints["pattern"] = f.pattern
    if constraints:
        d["constraints"] = constraints
    if f.type == "date":
        d["format"] = "%Y-%m-%d"
    return d


def build_datapackage(manifest: dict, sources: dict[str, dict]) -> dict:
    pkg_sources = []
    for sid, e in sources.items():
        files = e.get("files") or []
        pkg_sources.append({
            "id": sid,
            "title": e["title"],
            "publisher": e["publisher"],
            "attribution": e.get("attribution") or e["publisher"],
            "path": e["url"],
            "landing_page": e.get("landing_page"),
            "licence": e["licence"],
            "citation": e.get("citation"),
            "retrieved_at": e.get("retrieved_at"),
            "status": e.get("status"),
            "files": [
                {k: f.get(k) for k in ("path", "url", "retrieved_at", "sha256", "stored_sha256", "bytes",
                                       "http_status", "content_type", "redacted_columns")}
                for f in files
            ],
        })
    datasets = manifest.get("datasets") or {}
    resources = []
    for name, table in TABLES.items():
        used = sorted(sid for sid, e in sources.items() if e.get("rows") and name in e.get("tables", ()))
        described = [
            {k: d.get(k) for k in ("id", "label", "description", "unit", "counted", "source_id", "rows", "first",
                                   "last")}
            for d in datasets.values() if d.get("table") == name
        ]
        resources.append({
            "name": name,
            "profile": "tabular-data-resource",
            "path": f"{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "parquet": f"{name}.parquet",
            "description": table.description,
            **({"title_es": TABLE_TEXT_ES[name][0], "description_es": TABLE_TEXT_ES[name][1]}
               if name in TABLE_TEXT_ES else {}),
            "rows": manifest.get("tables", {}).get(name),
            "schema": {
                "fields": [field_descriptor(f, table) for f in table.field_defs()],
                "primaryKey": list(table.primary_key),
                "missingValues": [""],
            },
            "sources": [{"title": sources[s]["title"], "path": sources[s]["url"]} for s in used],
        })
        if "dataset" in table.fields:
            resources[-1]["datasets"] = described
    return {
        "profile": "tabular-data-package",
        "name": "borderstats",
        "title": "U.S.-Mexico border migration statistics",
        "title_es": PACKAGE_TITLE_ES,
        "id": manifest.get("release_id"),
        "created": manifest.get("published_at"),
        "licenses": [{"name": "various", "title": "Each source's own licence: see sources"}],
        "sources": pkg_sources,
        "resources": resources,
    }

