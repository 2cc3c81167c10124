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


@dataclass(frozen=True)
class Context:
    gazetteer: Gazetteer


Adapter = Callable[[Path, Context], list[Parsed]]

# adapter name (as written in data/reference/sources.toml) -> module in this package
ADAPTER_MODULES = {
    "cbp_encounters": "cbp",
    "ohss_usbp_encounters": "ohss",
    "usbp_history": "usbp_history",
    "inegi_homicides": "inegi",
    "conapo_population": "conapo",
    "iom_missing_migrants": "iom",
    "pcome_remains": "pcome",
    "sesnsp_state_victims": "sesnsp",
    "reported_figures": "reported",
    "policy_events": "policy_events",
}


def get_adapter(name: str) -> Adapter:
    try:
        module = ADAPTER_MODULES[name]
    except KeyError:
        raise KeyError(f"unknown adapter {name!r}; known: {', '.join(sorted(ADAPTER_MODULES))}") from None
    return import_module(f"{__name__}.{module}").parse


def get_redactor(name: str) -> Callable[[bytes], bytes]:
    """The adapter's ``redact(data) -> data`` that removes personal-data columns; an error if it has none."""
    get_adapter(name)  # a clear error for an unknown adapter
    module = import_module(f"{__name__}.{ADAPTER_MODULES[name]}")
    redact = getattr(module, "redact", None)
    if redact is None:
        raise KeyError(f"adapter {name!r} declares personal data but has no redact() function")
    return redact
