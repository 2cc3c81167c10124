"""One adapter per publisher format: pure functions from a file to tidy frames.

An adapter is ``parse(path, ctx) -> list[Parsed]``: it reads one file, recognises
its layout from the header (never from the file name), and returns frames in the
table contract of :mod:`etl.schema` (``source_id`` is filled in by the pipeline),
keeping the internal column ``_line`` so validation errors can name the line.
It raises :class:`etl.errors.SourceError` for anything it cannot read.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Callable

import pandas as pd

from ..gazetteer import Gazetteer


@dataclass
class Parsed:
    table: str  # a table of etl.schema.TABLES
    dataset: str  # the layout; a new file replaces the rows of the same (source, dataset)
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()  # facts worth logging (rows dropped as subtotals, rounded values...)
    edition: str = ""  # the publisher's edition of the figures, when a layout tells it (CONAPO's projection base)


@dataclass(frozen=True)
class Context:
    gazetteer: Gazetteer


Adapter = Callable[[Path, Context], list[Parsed]]

def adapter_names() -> list[str]:
    """Every adapter: the modules of this package that define ``parse`` (the module name is the adapter's
    name in data/reference/sources.toml; shared helpers such as ``curated`` and ``deaths`` have no parse)."""
    import pkgutil

    names = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_") and hasattr(import_module(f"{__name__}.{info.name}"), "parse"):
            names.append(info.name)
    return sorted(names)


def _module(name: str):
    if not isinstance(name, str) or not name.isidentifier() or name not in adapter_names():
        raise KeyError(f"unknown adapter {name!r}; known: {', '.join(adapter_names())}")
    return import_module(f"{__name__}.{name}")


def get_adapter(name: str) -> Adapter:
    return _module(name).parse


def get_redactor(name: str) -> Callable[[bytes], bytes]:
    """The adapter's ``redact(data) -> data`` that removes personal-data columns; an error if it has none."""
    redact = getattr(_module(name), "redact", None)
    if redact is None:
        raise KeyError(f"adapter {name!r} declares personal data but has no redact() function")
    return redact
