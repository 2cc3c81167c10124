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


REQUIRED = ("id", "publisher", "title", "landing_page", "licence", "citation", "adapter", "tables")


def load_registry(path: str | Path | None = None) -> Registry:
    from .adapters import adapter_names
    from .schema import TABLES

    path = Path(path) if path else reference_dir() / REGISTRY_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EtlError(f"cannot read the sources registry {path}: {exc}") from None
    registry = Registry()
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
            files.append(
                SourceFile(
                    key=f["key"], url=f.get("url"), discover_page=disc.get("page"),
                    discover_pattern=disc.get("pattern"), optional=bool(f.get("optional", False)),
                )
            )
        if not files and not entry.get("local"):
            raise EtlError(f"{where}: needs [[source.files]] or local")
        registry.sources[entry["id"]] = Source(
            id=entry["id"], publisher=entry["publisher"], title=entry["title"],
            landing_page=entry["landing_page"], licence=entry["licence"], citation=entry["citation"],
            adapter=entry["adapter"], tables=tuple(entry["tables"]), files=tuple(files),
            local=entry.get("local"), personal_data_columns=tuple(entry.get("personal_data_columns", ())),
            schedule=entry.get("schedule"),
        )
    return registry
