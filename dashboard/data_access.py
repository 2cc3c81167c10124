"""The one module through which the dashboard reads data: releases, their table contract and the refresh status.

It serves the current release: on every call it reads the CURRENT pointer (a tiny
file), so a worker picks up a release published by the ETL without a restart, and
because releases are immutable folders that become current in one atomic step, it
never sees a half-written one. Tables are loaded lazily and cached per release.
"""
from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import threading
import time
import weakref
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from dashboard import i18n, place_groups
from etl import commands  # noqa: F401  (how messages name commands: commands.cli("refresh"))
from etl import progress as refresh_progress_file
from etl.config import data_dir as resolve_data_dir
from etl.changes import revision_text  # noqa: F401  (a revised figure in words, as `borderstats changes` prints it)
from etl.changes import summary as change_summary  # noqa: F401  (a change report in lines, for the feed)
from etl.config import reference_dir
from etl.errors import EtlError, LockedError
from etl.schema import FIELDS, TABLES  # noqa: F401  (the contract every release is written in)
from etl.warehouse import Release, Warehouse

from dashboard.datasets import POLICY_EVENTS, REPORTED_FIGURES

log = logging.getLogger("borderstats.dashboard")

# Arrow's own allocator keeps freed buffers for reuse: with the system allocator a worker that has
# read every table holds about 120 MB less (measured: 499 -> 381 MB).
pa.set_memory_pool(pa.system_memory_pool())

BUNDLED_SOURCES = (REPORTED_FIGURES, POLICY_EVENTS)

_settings = {"data_dir": None}
_lock = threading.RLock()
_cache: dict[str, "ReleaseData"] = {}  # key -> the release served (kept for callers that read it)
_state: dict = {"serving": None, "next": None, "warming": None}  # served release, the one warming, its thread
_known: "weakref.WeakValueDictionary[str, ReleaseData]" = weakref.WeakValueDictionary()  # still referenced


def configure(data_dir: str | Path | None) -> Path:
    """Point the dashboard at a data directory (default: $BORDERSTATS_DATA_DIR or ./data)."""
    _settings["data_dir"] = resolve_data_dir(data_dir)
    return _settings["data_dir"]


def data_dir() -> Path:
    return _settings["data_dir"] or configure(None)


def warehouse() -> Warehouse:
    return Warehouse(data_dir())


@dataclass
class ReleaseData:
    release: Release
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    _table_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.release.id

    @property
    def key(self) -> str:
        """Unique across data directories (release ids are only unique within one): per-process memos use it."""
        return str(self.release.path)

    @cached_property
    def token(self) -> str:
        """The release id and a digest of its manifest: the same on every worker and machine that serves this
        release (keys of the shared cache), different for releases of different data directories that happen to
        share an id."""
        import hashlib

        from dashboard import build

        manifest = self.release.path.joinpath("manifest.json").read_bytes()
        digest = hashlib.sha256(manifest + build.token().encode("ascii")).hexdigest()[:12]
        return f"{self.id}.{digest}"  # the build too: an upgrade never meets answers of the old code

    def __post_init__(self) -> None:
        _known[self.key] = self

    @cached_property
    def manifest(self) -> dict:
        return self.release.manifest

    @cached_property
    def tables(self) -> list[str]:
        return self.release.tables()

    def table(self, name: str) -> pd.DataFrame:
        """A table of the release (empty frame with no columns if the release lacks it). Do not mutate."""
        with self._table_lock:
            if name not in self._tables:
                self._tables[name] = _read(self.release, name) if name in self.tables else pd.DataFrame()
            return self._tables[name]

    @cached_property
    def changes(self) -> dict | None:
        """The release's change report (changes.json), or None."""
        from etl.changes import load

        try:
            return load(self.release)
        except (OSError, ValueError):
            return None

    def sources(self) -> dict[str, dict]:
        return self.manifest.get("sources", {})

    def missing_sources(self) -> list[str]:
        return [sid for sid, e in self.sources().items() if not e.get("rows")]

    @cached_property
    def has_publisher_data(self) -> bool:
        """Rows from any publisher's file (not only the files curated in this repository): False for a release
        made from the bundled reference data alone, what the app publishes on its very first start."""
        return any(e.get("rows") for sid, e in self.sources().items() if not self.curated(sid))

    def retrieved(self, source_id: str) -> str | None:
        value = self.sources().get(source_id, {}).get("retrieved_at")
        return value[:10] if value else None

    # ---- what the release says about its sources and datasets (from the registry, via the manifest)

    def dataset(self, dataset_id: str) -> dict:
        """{label, description, unit, counted, table, source_id} of a dataset; its id as label if undescribed."""
        found = self.manifest.get("datasets", {}).get(dataset_id) or {}
        return dataset_words({"id": dataset_id, "label": found.get("label") or dataset_id,
                              "description": found.get("description") or "", "unit": found.get("unit") or "",
                              "counted": found.get("counted") or "", "table": found.get("table"),
                              "source_id": found.get("source_id")})

    def datasets(self, table: str | None = None) -> dict[str, dict]:
        """The release's datasets (of one table), as described in its manifest."""
        return {d: self.dataset(d) for d, e in self.manifest.get("datasets", {}).items()
                if table is None or e.get("table") == table}

    def attribution(self, source_id: str) -> str:
        """What a source line prints for the source: its attribution, else its publisher, else its id; on a Spanish
        page the registry's `attribution_es` when it has one (data/reference/sources.toml: read from the bundled
        registry, so releases published before it was written get it too)."""
        if i18n.lang() != i18n.DEFAULT:
            translated = _attributions(i18n.lang()).get(source_id)
            if translated:
                return translated
        entry = self.sources().get(source_id, {})
        return entry.get("attribution") or entry.get("publisher") or source_id

    def source_url(self, source_id: str) -> str | None:
        """The source's landing page (else its file's address), when that is a web address."""
        entry = self.sources().get(source_id, {})
        for url in (entry.get("landing_page"), entry.get("url")):
            if url and str(url).startswith(("https://", "http://")):
                return str(url)
        return None

    def source_pair(self, source_id: str) -> tuple[str, str | None]:
        """(attribution, retrieval date) of a source, as a chart's source line lists it. A file curated in this
        repository (reported figures, policy events) has no retrieval date: each of its figures is as its report
        published it (the file's `published` column), and the day a release read the file is not a day anyone
        retrieved them; the line says "as published" instead."""
        if self.curated(source_id):
            return i18n._("{source}, as published").format(source=self.attribution(source_id)), None
        return self.attribution(source_id), self.retrieved(source_id)

    def curated(self, source_id: str) -> bool:
        """A file curated in this repository (the registry's `local`: reported figures, policy events)."""
        return source_id in BUNDLED_SOURCES or bool(self.sources().get(source_id, {}).get("curated"))

    def published_range(self, source_id: str) -> tuple[str, str] | None:
        """The first and last publication date of a curated source's figures (its tables' `published` column)."""
        dates = []
        for table in self.sources().get(source_id, {}).get("tables") or []:
            frame = self.table(table)
            if "published" in frame.columns:
                dates += [str(d)[:10] for d in pd.to_datetime(frame["published"], errors="coerce").dropna()]
        return (min(dates), max(dates)) if dates else None

    def source_line(self, source_ids) -> str:
        """'Source: <attribution> (retrieved <date>); ...' for the sources, in order, each once."""
        from dashboard.charts.common import source_line

        return source_line([self.source_pair(sid) for sid in source_ids])

    def citations(self) -> list[dict]:
        """Each source's citation, publisher, licence and address. A publisher's file: its retrieval date filled
        in. A curated file (source_pair): no retrieval date, since the day a release read it is not a day anyone
        retrieved its figures; each figure is as its report published it, and the citation says from when to when."""
        out = []
        for sid, e in self.sources().items():
            text = e.get("citation") or ""
            if self.curated(sid):
                text = re.sub(r",?\s*retrieved \{retrieved\}", "", text).replace("{retrieved}", "").strip()
                span = self.published_range(sid)
                text += (f" Figures as published, {span[0]} to {span[1]} (each with its report's date)."
                         if span else " Figures as published (each with its report's date).")
            else:
                text = text.replace("{retrieved}", self.retrieved(sid) or "not yet retrieved")
            out.append({"id": sid, "publisher": e.get("publisher") or sid, "citation": text,
                        "licence": e.get("licence") or "", "url": e.get("landing_page") or e.get("url")})
        return out

    def reach(self, dataset_id: str) -> tuple[str | None, str | None]:
        """The first and last period (month YYYY-MM, date, FY or year) of a dataset's rows in this release."""
        found = self.manifest.get("datasets", {}).get(dataset_id) or {}
        return found.get("first"), found.get("last")

    @cached_property
    def places(self) -> pd.DataFrame:
        places = self.table("places")
        if not places.empty and "border_order" not in places.columns:
            places = _with_bundled_groups(places)  # a release published before places carried them
        return places.set_index("place_id", drop=False)

    def place_name(self, place_id: str | None) -> str:
        if not place_id or place_id not in self.places.index:
            return place_id or ""
        return str(self.places.at[place_id, "name"])

    # the border cities' groups and look (columns of the places table)

    def border_cities(self) -> tuple[str, ...]:
        """The 13 border municipalities, west to east."""
        return self._groups["border"]

    def mpp_cities(self) -> tuple[str, ...]:
        """The MPP receiving cities, west to east."""
        return self._groups["mpp"]

    def default_cities(self) -> tuple[str, ...]:
        """The Compare page's default cities, in order."""
        return self._groups["default"]

    def colours(self) -> dict[str, str]:
        """place_id -> the city's one colour, the same on every page, chart, export and embed."""
        return self._groups["colours"]

    def city_colour(self, place_id: str) -> str:
        return self.colours().get(str(place_id), place_groups.FALLBACK_COLOUR)

    def short_name(self, place_id: str) -> str:
        """The name charts show for a border city (else the place's name)."""
        return self._groups["names"].get(str(place_id)) or self.place_name(place_id)

    @cached_property
    def _groups(self) -> dict:
        return _groups_of(self.places.reset_index(drop=True))


@lru_cache(maxsize=4)
def _attributions(lang: str) -> dict[str, str]:
    """{source id: attribution in `lang`} from the bundled registry (empty where it has none, or cannot be read)."""
    from etl.registry import load_registry

    try:
        sources = load_registry().sources
    except Exception as exc:  # noqa: BLE001 (the source lines then say it as the release does)
        log.error("cannot read the registry for the %s source lines: %s", lang, exc)
        return {}
    return {sid: getattr(src, f"attribution_{lang}", "") for sid, src in sources.items()
            if getattr(src, f"attribution_{lang}", "")}


def _groups_of(places: pd.DataFrame) -> dict:
    return {"border": place_groups.border_ids(places), "mpp": place_groups.mpp_ids(places),
            "default": place_groups.default_compare_ids(places), "colours": place_groups.colours(places),
            "names": place_groups.short_names(places)}


@lru_cache(maxsize=1)
def bundled_places() -> pd.DataFrame:
    """The places of the bundled gazetteer (data/reference/places.csv): what a release's places table starts from."""
    from etl.gazetteer import Gazetteer

    return Gazetteer.load(reference_dir()).places.copy()


LABELS_FILE = "labels.csv"  # data/reference: vocabulary, value (as published), en, es


@lru_cache(maxsize=1)
def data_labels() -> dict[tuple[str, str], dict[str, str]]:
    """{(vocabulary, value as published): {lang: label}} from data/reference/labels.csv: the words beside a
    category published in the other language (SESNSP's crime subtypes in English, CBP's categories in Spanish).
    A missing or unreadable file gives no labels (the values are shown as published) and is logged."""
    path = reference_dir() / LABELS_FILE
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        log.error("%s: cannot read the data labels (%s); values are shown as published", path, exc)
        return {}
    missing = {"vocabulary", "value", "en", "es"} - set(frame.columns)
    if missing:
        log.error("%s: no column %s; values are shown as published", path, ", ".join(sorted(missing)))
        return {}
    return {(r.vocabulary.strip(), r.value): {"en": r.en.strip(), "es": r.es.strip()}
            for r in frame.itertuples(index=False)}


def label_beside(vocabulary: str, value, lang: str) -> str:
    """A category as published, with its label in `lang` beside it when data/reference/labels.csv has one that
    differs ('Homicidio doloso (intentional homicide)' on an English page; 'UAC (niñas, niños y adolescentes no
    acompañados)' on a Spanish one); the value alone otherwise."""
    text = str(value)
    label = data_labels().get((vocabulary, text), {}).get(lang, "")
    return f"{text} ({label})" if label and label.casefold() != text.casefold() else text


def said_in(vocabulary: str, key, lang: str, published: str) -> str:
    """What data/reference/labels.csv says for `key` of `vocabulary` in `lang` (a reported figure's definition in
    Spanish: vocabulary figure.definition, by figure id); `published` (the words as the data carries them) when it
    says nothing."""
    said = data_labels().get((vocabulary, str(key)), {}).get(lang, "")
    return said or published


def dataset_words(described: dict, lang: str | None = None) -> dict:
    """A dataset as ReleaseData.dataset describes it, with its label, description and what it counts in `lang`
    (the request's language by default) where data/reference/labels.csv says them in that language (vocabularies
    dataset.label, dataset.description, dataset.counted, by dataset id); the release's words otherwise."""
    from dashboard import i18n

    lang = lang or i18n.lang()
    if lang == i18n.DEFAULT:
        return described
    labels = data_labels()
    out = dict(described)
    for key in ("label", "description", "counted"):
        said = labels.get((f"dataset.{key}", str(described.get("id"))), {}).get(lang)
        if said and described.get(key):
            out[key] = said
    return out


def _with_bundled_groups(places: pd.DataFrame) -> pd.DataFrame:
    bundled = bundled_places().set_index("place_id")[list(place_groups.GROUP_COLUMNS)]
    return places.join(bundled, on="place_id")


@lru_cache(maxsize=1)
def _bundled_groups() -> dict:
    return _groups_of(bundled_places())


def _groups() -> dict:
    data = current()
    return data._groups if data is not None else _bundled_groups()


def border_cities() -> tuple[str, ...]:
    """The border municipalities west to east, from the current release (the bundled gazetteer without one)."""
    return _groups()["border"]


def mpp_cities() -> tuple[str, ...]:
    """The MPP receiving cities west to east (current release, else the bundled gazetteer)."""
    return _groups()["mpp"]


def default_cities() -> tuple[str, ...]:
    """The Compare page's default cities (current release, else the bundled gazetteer)."""
    return _groups()["default"]


def colours() -> dict[str, str]:
    """place_id -> colour of every border city (current release, else the bundled gazetteer)."""
    return _groups()["colours"]


def city_colour(place_id: str) -> str:
    return colours().get(str(place_id), place_groups.FALLBACK_COLOUR)


def _read(release: Release, name: str) -> pd.DataFrame:
    """A table with its text columns as categories: the big tables repeat a few labels a million times
    (crime_victims: 200 MB as strings, 30 MB as categories)."""
    df = release.read(name, categories=True)
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):  # categories in text order, so sorting is alphabetical
            df[col] = df[col].cat.reorder_categories(sorted(df[col].cat.categories))
    _trim()
    return df


def _trim() -> None:
    """Hand the read buffers glibc keeps back to the system (a worker's resident memory, not just its heap)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def current() -> ReleaseData | None:
    """The release to answer from (None when nothing is published yet).

    The first release a worker sees is served at once (its tables load lazily). When a newer release is published
    in the same data directory, the worker keeps answering from the one it serves while a background thread loads
    and warms the new one (its tables and every per-release memo registered with `on_warm`), then switches to it
    in one step and drops the old one: a switch never makes a request wait, and at most two releases are in
    memory, for the length of the warm-up. A release without any publisher's data (what a first start publishes
    from the bundled data) is replaced at once: the first-run refresh's charts are what every page waits for."""
    release = warehouse().current()
    if release is None:
        return None
    key = str(release.path)
    serving = _state["serving"]
    if serving is not None and serving.key == key:
        return serving
    with _lock:
        serving = _state["serving"]
        if serving is not None and serving.key == key:
            return serving
        if serving is None or serving.release.path.parent != release.path.parent:  # first, or another data dir
            _serve(ReleaseData(release))
            return _state["serving"]
        if not serving.has_publisher_data:  # a first run's bundled release: nothing in it is worth waiting for
            _serve(ReleaseData(release))
            warm_in_background()  # the new release's tables and memos, as for a first release
            return _state["serving"]
        if _state["warming"] is None:
            _state["warming"] = _start_warming(release)
        return serving


def held(key: str) -> ReleaseData | None:
    """The release with this key (ReleaseData.key) among those in memory (the one served, the one warming),
    else the current one: what per-release memos compute from, so a warm-up computes for the new release."""
    for data in (_state["serving"], _state["next"]):
        if data is not None and data.key == key:
            return data
    return _known.get(key) or current()  # a request still answering from a release just switched out


def _serve(data: ReleaseData) -> None:
    """Make `data` the release answered from; forget what the per-release memos hold for any other."""
    _state["serving"], _state["next"] = data, None
    _cache.clear()
    _cache[data.key] = data
    for memo in _memos:
        memo.keep(data.key)


def _start_warming(release: Release) -> threading.Thread:
    def run() -> None:
        try:
            data = ReleaseData(release)
            _state["next"] = data
            try:
                warm(data)
            except Exception:  # noqa: BLE001 (a release that cannot be warmed is still served; the error is logged)
                log.exception("warming release %s failed; switching to it anyway", release.id)
            with _lock:
                switched = _state["next"] is data
                if switched:
                    _serve(data)
                    log.info("now serving release %s", data.id)
            if switched:
                _trim()  # the old release's memory back to the system (outside the lock: it can take a while)
                _run_after_switch(data)
        finally:
            _state["warming"] = None

    thread = threading.Thread(target=run, name=str(release.path), daemon=True)
    thread.start()
    return thread


def switching() -> bool:
    """True while a newer release is being warmed in the background (the previous one still answers)."""
    warming = _state["warming"]
    return warming is not None and warming.is_alive()


def wait_for_switch(timeout: float = 60.0) -> ReleaseData | None:
    """Start the switch to the newest release if needed and wait until it serves (tests, the CLI); the current
    release after that."""
    end = time.monotonic() + timeout
    data = current()
    while time.monotonic() < end:
        warming = _state["warming"]
        if warming is not None:
            warming.join(max(0.0, end - time.monotonic()))
        data = current()
        latest = warehouse().current()
        if data is None or latest is None or data.key == str(latest.path):
            return data
        time.sleep(0.05)
    return data


# ---- what is computed once per release and worker -----------------------------------------------------------

_warmers: list = []
_after_switch: list = []
_memos: list["PerRelease"] = []


def after_switch(fn):
    """Register fn(data: ReleaseData), run in the background once a release is served (a new one just switched
    in, or the first one warmed): work that must see it as the current release (each page's default view)."""
    _after_switch.append(fn)
    return fn


def _run_after_switch(data: "ReleaseData") -> None:
    for fn in list(_after_switch):
        try:
            fn(data)
        except Exception:  # noqa: BLE001
            log.exception("after-switch step failed for release %s", data.id)


def on_warm(fn):
    """Register fn(data: ReleaseData), run on a new release before it is switched in (and by
    `warm_in_background` for the first one): the per-release work a view would otherwise do on first use."""
    _warmers.append(fn)
    return fn


class PerRelease:
    """A per-process memo of fn(release_key, *args) for heavy in-memory objects (frames, prepared bases) that are
    not worth pickling into the shared cache. It holds entries of the releases in memory only (at most two), and
    at most `maxsize` argument sets per release."""

    def __init__(self, fn, maxsize: int = 32) -> None:
        self.fn, self.maxsize = fn, maxsize
        self.entries: dict[tuple, object] = {}
        self.lock = threading.Lock()
        self.__wrapped__ = fn
        self.__doc__ = fn.__doc__
        _memos.append(self)

    def __call__(self, key: str, *args):
        k = (key, *args)
        try:
            return self.entries[k]
        except KeyError:
            pass
        value = self.fn(key, *args)
        with self.lock:
            mine = [e for e in self.entries if e[0] == key]
            if len(mine) >= self.maxsize:
                del self.entries[mine[0]]
            self.entries[k] = value
        return value

    def keep(self, key: str) -> None:
        with self.lock:
            for k in [k for k in self.entries if k[0] != key]:
                del self.entries[k]

    def cache_clear(self) -> None:
        with self.lock:
            self.entries.clear()


def per_release(maxsize: int = 32):
    """Decorator: PerRelease(fn, maxsize)."""
    return lambda fn: PerRelease(fn, maxsize)


def recent_releases(limit: int = 20) -> list[dict]:
    """The newest releases first (those the warehouse keeps): id, publication time and change report (or None)."""
    from etl.changes import load

    out = []
    for release in reversed(warehouse().releases()[-limit:]):
        try:
            rep = load(release)
        except (OSError, ValueError):
            rep = None
        out.append({"id": release.id, "published_at": release.manifest.get("published_at"), "changes": rep})
    return out


def recent_revisions(limit: int = 20) -> pd.DataFrame:
    """The current release's revised figures, the most recently revised first: what, first published, now and
    the release that revised it last (etl.revisions.history)."""
    from etl.revisions import history

    revisions = table("revisions")
    if revisions.empty:
        return history(None)
    return history(revisions.astype({c: "string" for c in revisions.columns
                                     if isinstance(revisions[c].dtype, pd.CategoricalDtype)}), limit)


@per_release(maxsize=16)
def _revised_rows(key: str, name: str, column: str) -> pd.DataFrame:
    from dashboard.aggregates.revised import empty_marks, table_marks

    data = held(key)
    if data is None or "revisions" not in data.tables or name not in TABLES:
        return empty_marks()
    return table_marks(data.table("revisions"), data.table(name), name, column, TABLES[name].primary_key)


def revised_rows(data: ReleaseData | None, name: str, column: str) -> pd.DataFrame:
    """The rows of the release's table `name` whose `column` was revised (by their index labels in
    data.table(name)), each with its first-published value and release dates (aggregates.revised.table_marks);
    computed once per release and worker."""
    from dashboard.aggregates.revised import empty_marks

    return _revised_rows(data.key, name, column) if data is not None else empty_marks()


@per_release(maxsize=1)
def _edition_switches(key: str) -> list[dict]:
    from etl.changes import load

    kept = warehouse().releases()
    served = next((i for i, r in enumerate(kept) if str(r.path) == key), len(kept) - 1)
    out = []
    for release in reversed(kept[: served + 1]):  # the one served and those before it, newest first
        try:
            rep = load(release)
        except (OSError, ValueError):
            rep = None
        for e in (rep or {}).get("editions") or ():
            out.append({"dataset": str(e.get("dataset") or ""), "old": str(e.get("old") or ""),
                        "new": str(e.get("new") or ""), "release_id": release.id,
                        "released": str(release.manifest.get("published_at") or "")[:10]})
    return out


def edition_switches(data: ReleaseData | None) -> list[dict]:
    """The publishers' edition switches (CONAPO's 2015-based projections replaced by its 2023 revision) that the
    change reports of the kept releases record, newest first: dataset, old and new edition, the release that
    switched and its date. Computed once per release served."""
    return _edition_switches(data.key) if data is not None else []


def revision_where(row_key: str) -> str:
    """A revised row's key in words: its values, as `borderstats changes` writes them ('2021-02-01, Mexico')."""
    from etl.changes import where

    try:
        key = json.loads(row_key)
    except (TypeError, ValueError):
        return str(row_key)
    return where(key) if isinstance(key, dict) else str(row_key)


def table(name: str) -> pd.DataFrame:
    data = current()
    return data.table(name) if data else pd.DataFrame()


WARM_TABLES = ("crime_victims", "homicides", "encounters", "population", "migrant_deaths", "reported_figures",
               "places")


def warm(data: ReleaseData, names: tuple[str, ...] = WARM_TABLES) -> None:
    """Read the big tables of a release and run the registered per-release work on it."""
    for name in names:
        data.table(name)
    for fn in list(_warmers):
        fn(data)
    _trim()


def warm_in_background(names: tuple[str, ...] = WARM_TABLES) -> threading.Thread:
    """Warm the current release in a background thread, so that the first visitor of a page does not wait for
    its tables (the SESNSP victims table alone takes 1-2 s to read) and per-release aggregates."""

    def run() -> None:
        data = current()
        if data is not None:
            try:
                warm(data, names)
            except Exception:  # noqa: BLE001
                log.exception("warming release %s failed", data.id)
            _run_after_switch(data)

    thread = threading.Thread(target=run, name="warm-release", daemon=True)
    thread.start()
    return thread


def ensure_release(wait: float = 30.0) -> ReleaseData | None:
    """With no release yet, publish one from the bundled reference data (places, reported figures,
    policy events). Several workers starting together: one publishes, the others wait for it."""
    data = current()
    if data is not None:
        return data
    from etl.pipeline import run

    try:
        run(data_dir(), source_ids=list(BUNDLED_SOURCES))
    except LockedError:
        end = time.monotonic() + wait
        while time.monotonic() < end and current() is None:
            time.sleep(0.2)
    except EtlError as exc:  # the app still starts; every page says what is missing
        log.error("could not publish the bundled data: %s", exc)
    return current()


def refresh_status() -> dict:
    """The refresh status of the data directory (release, and per source its status, age and last error), as
    `borderstats status --json` gives it; {} when it cannot be read (the pages then show the manifest's view)."""
    from etl.status import status

    try:
        return status(data_dir())
    except (OSError, ValueError, EtlError):
        return {}


# ---- the first-run refresh: with no publisher's data yet, the app fetches it in the background ----------------

ENV_NO_FETCH = "BORDERSTATS_NO_FETCH"
ENV_MIRROR = "BORDERSTATS_MIRROR"
RECENT_SECONDS = 120.0  # a first-run refresh that ended this recently is not started again (another worker's)
_first_run: dict = {"thread": None}


def fetch_on_start(explicit: bool | None = None) -> bool:
    """Whether the app fetches the sources on a first start: `explicit` (app.py --no-fetch), else not when
    $BORDERSTATS_NO_FETCH is 1 / true / yes / on."""
    if explicit is not None:
        return explicit
    return os.environ.get(ENV_NO_FETCH, "").strip().lower() not in ("1", "true", "yes", "on")


def mirror_on_start(explicit: str | Path | None = None) -> Path | None:
    """The folder a first-run refresh reads instead of the network: app.py --mirror DIR, else $BORDERSTATS_MIRROR."""
    value = explicit or os.environ.get(ENV_MIRROR, "").strip() or None
    return Path(value).expanduser().resolve() if value else None


def first_run_wanted(data: ReleaseData | None = None) -> bool:
    """No release yet, or one without any publisher's data (the bundled reference data only)."""
    data = data if data is not None else current()
    return data is None or not data.has_publisher_data


def refresh_progress() -> dict | None:
    """The progress of the data directory's latest refresh that reports it (etl.progress), or None."""
    return refresh_progress_file.read(data_dir())


def first_run_active() -> bool:
    """A first-run refresh thread of this process is running (its progress file may not be written yet)."""
    thread = _first_run["thread"]
    return thread is not None and thread.is_alive()


def start_first_run(mirror: Path | None = None) -> threading.Thread | None:
    """With no publisher's data, refresh every source in a background thread: the same run as `borderstats
    refresh` (under the same lock), reporting to the progress file every page shows. Not started while another
    refresh of this data directory runs (a second worker, a refresh from the command line), nor again right
    after one ended (a worker starting late); a second process that loses the race for the lock just reads the
    progress. Returns the thread, or None when none was started."""
    if not first_run_wanted():
        return None
    found = refresh_progress()
    if found is not None:
        ended = refresh_progress_file.seconds_since(found.get("finished_at"))
        if found.get("running") or (ended is not None and ended < RECENT_SECONDS):
            return None
    from etl.pipeline import run

    base = data_dir()
    observer = refresh_progress_file.Progress(base, origin="app", mirror=mirror is not None)

    def work() -> None:
        try:
            result = run(base, mirror=mirror, observer=observer)
        except LockedError as exc:  # another process refreshes: its progress file is what the pages show
            log.info("first-run refresh not started here: %s", exc)
            return
        except Exception:  # the app keeps serving what it has; the progress file says what failed
            log.exception("the first-run refresh failed")
            return
        failed = {sid: o.error for sid, o in result.outcomes.items() if o.status == "failed"}
        log.info("first-run refresh: %s in %.1f s%s",
                 f"published release {result.release.id}" if result.published else "nothing published",
                 result.seconds, f"; failed: {', '.join(failed)}" if failed else "")

    thread = threading.Thread(target=work, name="first-run-refresh", daemon=True)
    _first_run["thread"] = thread
    thread.start()
    return thread
