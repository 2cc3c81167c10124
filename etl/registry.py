"""The sources registry (data/reference/sources.toml) as typed objects."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import reference_dir
from .errors import EtlError

REGISTRY_FILE = "sources.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SourceFile:
    key: str
    url: str | None = None
    discover_page: str | None = None
    discover_pattern: str | None = None
    optional: bool = False
    html: bool = False  # `format = "html"`: a web page holding the statistics as tables (not a data file)
    discover_fallbacks: tuple[str, ...] = ()  # earlier addresses of the landing page, tried when it fails

    @property
    def discover_pages(self) -> tuple[str, ...]:
        """The landing page, then its fallbacks."""
        return ((self.discover_page,) if self.discover_page else ()) + self.discover_fallbacks


@dataclass(frozen=True)
class Dataset:
    """One dataset (the value of a table's `dataset` column): what it is, in words, once."""
    id: str
    table: str
    label: str
    description: str
    unit: str
    counted: str
    source_id: str | None = None  # None for a dataset the pipeline builds itself (the bundled gazetteer)

    def describe(self) -> dict:
        return {"id": self.id, "table": self.table, "label": self.label, "description": self.description,
                "unit": self.unit, "counted": self.counted, "source_id": self.source_id}


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    landing_page: str
    licence: str
    citation: str
    adapter: str
    tables: tuple[str, ...]
    files: tuple[SourceFile, ...] = ()
    local: str | None = None
    personal_data_columns: tuple[str, ...] = ()
    schedule: str | None = None
    attribution: str = ""
    attribution_es: str = ""  # the same in Spanish (the dashboard's Spanish source lines); empty: as attribution
    datasets: tuple[Dataset, ...] = ()
    folder: Path | None = None  # the registry file's folder: a `local` file is read from there

    def local_path(self) -> Path | None:
        return (self.folder or reference_dir()) / self.local if self.local else None

    @property
    def url(self) -> str:
        """The address to cite: the first file's fixed URL, else the landing page."""
        for f in self.files:
            if f.url:
                return f.url
        return self.landing_page


@dataclass
class Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    builtin_datasets: tuple[Dataset, ...] = ()  # datasets the pipeline builds itself (top-level [[dataset]])

    def __iter__(self):
        return iter(self.sources.values())

    def __getitem__(self, source_id: str) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            raise EtlError(
                f"unknown source {source_id!r}; known sources: {', '.join(self.sources)}"
            ) from None

    def ids(self) -> list[str]:
        return list(self.sources)

    def select(self, ids: list[str] | None) -> list[Source]:
        return [self[i] for i in ids] if ids else list(self)

    def datasets(self) -> dict[str, Dataset]:
        """Every declared dataset by id: the sources' in registry order, then the pipeline's own."""
        out = {d.id: d for src in self for d in src.datasets}
        out.update({d.id: d for d in self.builtin_datasets})
        return out


REQUIRED = ("id", "publisher", "title", "landing_page", "licence", "citation", "adapter", "tables")
DATASET_REQUIRED = ("id", "table", "label", "description", "unit", "counted")


def _datasets(entries, where: str, tables, seen: dict[str, str], source_id: str | None) -> tuple[Dataset, ...]:
    """The [[source.datasets]] (or top-level [[dataset]]) entries, checked: known table with a `dataset`
    column (one the source declares), an id no other source declares."""
    from .schema import TABLES

    out = []
    for j, d in enumerate(entries, start=1):
        here = f"{where}: dataset #{j} ({d.get('id', '?')})"
        missing = [k for k in DATASET_REQUIRED if not d.get(k)]
        if missing:
            raise EtlError(f"{here}: missing {', '.join(missing)}")
        if not _ID.match(d["id"]):
            raise EtlError(f"{here}: id must be lower_snake_case")
        table = d["table"]
        if table not in TABLES:
            raise EtlError(f"{here}: unknown table {table!r}; known tables: {', '.join(TABLES)}")
        if "dataset" not in TABLES[table].fields:
            raise EtlError(f"{here}: table {table!r} has no dataset column")
        if tables is not None and table not in tables:
            raise EtlError(f"{here}: table {table!r} is not among the source's tables {list(tables)}")
        if d["id"] in seen:
            raise EtlError(f"{here}: duplicate dataset id {d['id']!r} (also declared by {seen[d['id']]})")
        unknown = sorted(set(d) - set(DATASET_REQUIRED))
        if unknown:
            raise EtlError(f"{here}: unknown keys {unknown}")
        seen[d["id"]] = source_id or "the top-level [[dataset]] list"
        out.append(Dataset(d["id"], table, d["label"], d["description"], d["unit"], d["counted"], source_id))
    return tuple(out)


def load_registry(path: str | Path | None = None) -> Registry:
    from .adapters import adapter_names
    from .schema import TABLES

    path = Path(path) if path else reference_dir() / REGISTRY_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EtlError(f"cannot read the sources registry {path}: {exc}") from None
    registry = Registry()
    seen_datasets: dict[str, str] = {}
    for i, entry in enumerate(raw.get("source", []), start=1):
        missing = [k for k in REQUIRED if not entry.get(k)]
        where = f"{path.name}: source #{i} ({entry.get('id', '?')})"
        if missing:
            raise EtlError(f"{where}: missing {', '.join(missing)}")
        if not _ID.match(entry["id"]):
            raise EtlError(f"{where}: id must be lower_snake_case")
        if entry["id"] in registry.sources:
            raise EtlError(f"{where}: duplicate id")
        if entry["adapter"] not in adapter_names():
            raise EtlError(f"{where}: unknown adapter {entry['adapter']!r}")
        unknown_tables = [t for t in entry["tables"] if t not in TABLES]
        if unknown_tables:
            raise EtlError(f"{where}: unknown tables {unknown_tables}")
        if entry.get("personal_data_columns"):
            from .adapters import get_redactor

            try:
                get_redactor(entry["adapter"])
            except KeyError as exc:
                raise EtlError(f"{where}: {exc.args[0]}") from None
        files = []
        for f in entry.get("files", []):
            disc = f.get("discover") or {}
            if not (f.get("url") or disc.get("page")):
                raise EtlError(f"{where}: file {f.get('key')!r} has neither url nor discover.page")
            if disc:
                try:
                    re.compile(disc["pattern"])
                except (KeyError, re.error) as exc:
                    raise EtlError(f"{where}: file {f.get('key')!r}: bad discover.pattern ({exc})") from None
                fallbacks = disc.get("fallback_pages", [])
                if not isinstance(fallbacks, list) or not all(isinstance(u, str) and u for u in fallbacks):
                    raise EtlError(f"{where}: file {f.get('key')!r}: discover.fallback_pages must be a list of URLs")
                unknown = sorted(set(disc) - {"page", "pattern", "fallback_pages"})
                if unknown:
                    raise EtlError(f"{where}: file {f.get('key')!r}: unknown discover keys {unknown}")
            if f.get("format", "data") not in ("data", "html"):
                raise EtlError(f"{where}: file {f.get('key')!r}: format must be \"data\" or \"html\"")
            files.append(
                SourceFile(
                    key=f["key"], url=f.get("url"), discover_page=disc.get("page"),
                    discover_pattern=disc.get("pattern"), optional=bool(f.get("optional", False)),
                    html=f.get("format") == "html", discover_fallbacks=tuple(disc.get("fallback_pages", ())),
                )
            )
        if not files and not entry.get("local"):
            raise EtlError(f"{where}: needs [[source.files]] or local")
        datasets = _datasets(entry.get("datasets", []), where, entry["tables"], seen_datasets, entry["id"])
        registry.sources[entry["id"]] = Source(
            id=entry["id"], publisher=entry["publisher"], title=entry["title"],
            landing_page=entry["landing_page"], licence=entry["licence"], citation=entry["citation"],
            adapter=entry["adapter"], tables=tuple(entry["tables"]), files=tuple(files),
            local=entry.get("local"), personal_data_columns=tuple(entry.get("personal_data_columns", ())),
            schedule=entry.get("schedule"), attribution=entry.get("attribution") or entry["publisher"],
            attribution_es=entry.get("attribution_es", ""), datasets=datasets, folder=path.parent.resolve(),
        )
    registry.builtin_datasets = _datasets(raw.get("dataset", []), path.name, None, seen_datasets, None)
    return registry
