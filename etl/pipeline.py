"""acquire -> parse -> normalise -> validate -> publish, one source at a time, one release at the end.

Sources fail independently: a source whose files cannot be fetched, parsed or
validated keeps its rows from the previous release (marked stale, with the
error), and the others are published. Only files whose checksum changed are
parsed; a new file replaces its own source's rows of the same dataset (layout).
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import changes, faults, fetch, revisions, shrink
from .adapters import Context, Parsed, get_adapter
from .config import raw_dir, reference_dir
from .datapackage import build_datapackage
from .errors import EtlError, FetchError, SourceError
from .gazetteer import Gazetteer
from .raw import RawFile, latest_snapshot, store
from .registry import Registry, Source, load_registry
from .schema import TABLES, conform, empty_frame
from .validate import validate
from .warehouse import Release, Warehouse, iso, utcnow, write_table

log = logging.getLogger("borderstats")

GAZETTEER_SOURCE = "gazetteer"


@dataclass
class Outcome:
    source_id: str
    status: str  # updated | unchanged | failed
    files: list[RawFile] = field(default_factory=list)
    parsed: list[Parsed] = field(default_factory=list)
    error: str | None = None
    error_detail: dict | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    accepted_shrink: list[dict] = field(default_factory=list)  # shrinks let through by --accept-shrink

    @property
    def rows(self) -> int:
        return sum(len(p.frame) for p in self.parsed)


@dataclass
class RunResult:
    outcomes: dict[str, Outcome]
    release: Release | None
    published: bool
    exit_code: int
    seconds: float = 0.0


# --------------------------------------------------------------------------- acquire


def mirror_files(mirror: Path, src: Source) -> list[Path]:
    folder = Path(mirror) / src.id
    if not folder.is_dir():
        raise FetchError(f"no folder {folder} in the mirror", source=src.id)
    files = sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith((".meta.json", ".md"))
    )
    if not files:
        raise FetchError(f"mirror folder {folder} holds no files", source=src.id)
    return files


def known_files(release: Release | None, source_id: str) -> dict[str, dict]:
    """sha256 -> file record of the files behind a source's rows in a release."""
    if release is None:
        return {}
    entry = release.manifest.get("sources", {}).get(source_id) or {}
    return {f["sha256"]: f for f in entry.get("files", [])}


def acquire_local_files(src: Source, paths: Iterable[Path], raw_root: Path, *, origin: str) -> list[RawFile]:
    out = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            raise FetchError(f"no such file: {p}", source=src.id)
        uri = p.resolve().as_uri() if origin == "file" else f"{origin}/{p.name}"
        out.append(store(src, p, raw_root, key=p.stem, url=uri))
    return out


def acquire_http(src: Source, raw_root: Path, state: dict, settings: fetch.HttpSettings, progress) -> tuple[list[RawFile], list[str]]:
    """Download every file of a source; files the server reports unchanged (304) are not returned."""
    sess = fetch.session(settings)
    validators = state.get("validators", {})
    got: list[RawFile] = []
    notes: list[str] = []
    for sf in src.files:
        url = sf.url
        if sf.discover_page:
            try:
                url = fetch.discover(sess, sf.discover_pages, sf.discover_pattern, settings, source=src.id)
            except FetchError:
                if not sf.url:
                    if sf.optional:
                        notes.append(f"optional file {sf.key}: not found on {sf.discover_page}")
                        continue
                    raise
        prev = validators.get(sf.key, {})
        same_url = prev.get("url") == url
        tmpdir = Path(tempfile.mkdtemp(prefix=".dl-", dir=raw_root.parent if raw_root.parent.exists() else None))
        try:
            name = fetch.filename_for(url, sf.key, html=sf.html)
            try:
                dl = fetch.download(
                    sess, url, tmpdir / name, settings, source=src.id,
                    etag=prev.get("etag") if same_url else None,
                    last_modified=prev.get("last_modified") if same_url else None,
                    progress=progress(f"{src.id}/{name}") if progress else None, html=sf.html,
                )
            except FetchError as exc:
                if sf.optional and exc.kind == "moved":
                    notes.append(f"optional file {sf.key}: {exc.message}")
                    continue
                raise
            if dl.not_modified:
                notes.append(f"{sf.key}: not modified since last download (HTTP 304)")
                continue
            got.append(store(src, dl.path, raw_root, key=sf.key, url=dl.url, name=name, http_status=dl.status,
                             content_type=dl.content_type, etag=dl.etag, last_modified=dl.last_modified, move=True))
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return got, notes


# --------------------------------------------------------------------------- parse


def parse_files(src: Source, files: list[RawFile], ctx: Context) -> list[Parsed]:
    """Run the source's adapter on each file; stamp source_id; validate each frame against its table."""
    adapter = get_adapter(src.adapter)
    out: list[Parsed] = []
    seen: dict[tuple[str, str], str] = {}
    for rf in files:
        try:
            parsed = adapter(rf.path, ctx)
        except SourceError as exc:
            raise exc.with_context(source=src.id, file=rf.path) from None
        except (ValueError, KeyError, TypeError, IndexError) as exc:  # an adapter bug or an unforeseen file shape
            # the exception text may quote a cell: never for a source that holds personal data
            detail = "" if src.personal_data_columns else f": {type(exc).__name__}: {str(exc)[:200]}"
            raise SourceError(f"could not parse{detail}", source=src.id, file=rf.path) from None
        for p in parsed:
            if p.table not in src.tables:
                raise SourceError(f"adapter produced table {p.table!r}, not declared for the source", source=src.id)
            key = (p.table, p.dataset)
            if key in seen:
                raise SourceError(
                    f"two files give the same dataset {p.dataset!r} ({seen[key]} and {rf.path.name}); "
                    "keep one of them", source=src.id, file=rf.path,
                )
            seen[key] = rf.path.name
            rf.datasets = (*rf.datasets, p.dataset)
            frame = p.frame.copy()
            frame["source_id"] = src.id
            if "dataset" in TABLES[p.table].fields:
                frame["dataset"] = p.dataset
            frame = conform(frame, p.table)
            frame["_file"] = rf.path.name
            validate(frame, p.table, source=src.id)
            out.append(Parsed(p.table, p.dataset, frame, p.notes, p.edition))
    return out


# --------------------------------------------------------------------------- merge and publish


def _drop_internal(df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in df.columns if not c.startswith("_")]]


def merge_tables(current: Release | None, outcomes: dict[str, Outcome]) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """The new release's fact tables: the current rows, with each updated (source, dataset) replaced.

    Returns the tables that change, and the names of tables no updated source touches: those
    are carried over from the current release as they are (hard links), neither read nor rewritten.
    """
    updated = [o for o in outcomes.values() if o.status == "updated"]
    replaced: dict[str, list[tuple[str, str]]] = {}
    new_parts: dict[str, list[pd.DataFrame]] = {}
    for o in updated:
        for p in o.parsed:
            replaced.setdefault(p.table, []).append((o.source_id, p.dataset))
            new_parts.setdefault(p.table, []).append(p.frame)
    existing = set(current.tables()) if current else set()
    tables: dict[str, pd.DataFrame] = {}
    carried: set[str] = set()
    for name in TABLES:
        if name in ("sources", revisions.TABLE):  # written by publish from the others
            continue
        if name in existing and name not in replaced and name != "places":
            carried.add(name)
            continue
        old = conform(current.read(name), name) if name in existing else empty_frame(name)
        if name in replaced and len(old):
            if "dataset" in old.columns:
                pairs = pd.MultiIndex.from_tuples(replaced[name])
                key = pd.MultiIndex.from_arrays([old["source_id"].astype(str), old["dataset"].astype(str)])
                old = old[~key.isin(pairs)]
            else:
                old = old[~old["source_id"].isin({sid for sid, _ in replaced[name]})]
        parts = [old] + [_drop_internal(f) for f in new_parts.get(name, [])]
        parts = [p for p in parts if len(p)] or [old]
        merged = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
        tables[name] = conform(merged, name)
    return tables, carried


def build_places(places: pd.DataFrame, population: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """Bundled gazetteer first; catalogue rows add the places it lacks; 2020 population from the population table."""
    bundled = gazetteer.places.copy()
    bundled["source_id"] = GAZETTEER_SOURCE
    bundled["dataset"] = GAZETTEER_SOURCE
    others = places[(places["source_id"] != GAZETTEER_SOURCE) & ~places["place_id"].isin(bundled["place_id"])]
    out = pd.concat([conform(bundled, "places"), others], ignore_index=True)
    pop2020 = population[population["year"] == 2020].drop_duplicates("place_id").set_index("place_id")["population"]
    out["population_2020"] = out["place_id"].map(pop2020).astype("Int64")
    return conform(out, "places")


def source_entries(
    registry: Registry, current: Release | None, outcomes: dict[str, Outcome], rows: dict[str, int]
) -> dict[str, dict]:
    prev = current.manifest.get("sources", {}) if current else {}
    entries = {}
    for src in registry:
        old = dict(prev.get(src.id) or {})
        o = outcomes.get(src.id)
        entry = {
            "publisher": src.publisher, "attribution": src.attribution, "title": src.title, "url": src.url,
            "licence": src.licence, "citation": src.citation, "landing_page": src.landing_page,
            "curated": bool(src.local),  # a file curated in this repository: no retrieval date of its figures
            "tables": list(src.tables), "datasets": [d.id for d in src.datasets],
            "files": old.get("files", []), "retrieved_at": old.get("retrieved_at"),
            "status": old.get("status", "missing"), "error": old.get("error"), "notes": old.get("notes", []),
            "rows": rows.get(src.id, 0),
        }
        if o is not None:
            if o.status == "updated":
                # a file stays in the provenance while some of its datasets are still in the release
                replaced = {d for rf in o.files for d in rf.datasets}
                files = [f for f in entry["files"] if not set(f.get("datasets") or ()) <= replaced]
                files += [rf.meta() for rf in o.files]
                entry.update(files=files, retrieved_at=max(rf.retrieved_at for rf in o.files),
                             status="ok", error=None, notes=o.notes)
            elif o.status == "unchanged":
                entry.update(status="ok" if entry["rows"] else entry["status"], error=None)
            else:
                entry.update(status="stale" if entry["rows"] else "failed", error=o.error)
        if entry["rows"] == 0 and entry["status"] == "ok":
            entry["status"] = "missing"
        entries[src.id] = entry
    return entries


def dataset_entries(registry: Registry, tables: dict[str, pd.DataFrame], current: Release | None,
                    carried: set[str], editions: dict[str, str] | None = None) -> dict[str, dict]:
    """The release's datasets as the registry describes them (label, description, unit, what is counted),
    with their rows in this release, and the publisher's edition where the file told it (`editions`: the
    datasets parsed in this run; a dataset carried over keeps the edition of the previous release). A dataset
    the registry does not declare (tests/test_registry.py checks that every adapter's are) is published under
    its id, with a warning."""
    declared = registry.datasets()
    before = previous_editions(current)
    editions = editions or {}
    out: dict[str, dict] = {}
    for name, table in TABLES.items():
        if "dataset" not in table.fields:
            continue
        period = next((c for c in PERIOD_COLUMNS if c in table.fields), None)
        columns = ["dataset"] + ([period] if period else [])
        if name in tables:
            frame = tables[name][columns]
        elif name in carried:
            frame = current.read(name, columns=columns)
        else:
            continue
        reach = _reach(frame, period)
        for dataset, n in frame["dataset"].astype(str).value_counts().sort_index().items():
            d = declared.get(dataset)
            if d is None or d.table != name:
                log.warning("table %s: dataset %r is not declared for it in the sources registry: add it to its "
                            "source's [[source.datasets]] in data/reference/sources.toml", name, dataset)
                described = {"id": dataset, "table": name, "label": dataset, "description": "", "unit": "",
                             "counted": "", "source_id": None}
            else:
                described = d.describe()
            out[dataset] = {**described, "rows": int(n), **reach.get(dataset, {"first": None, "last": None})}
            edition = editions.get(dataset, before.get(dataset, ""))
            if edition:
                out[dataset]["edition"] = edition
    return out


def previous_editions(release: Release | None) -> dict[str, str]:
    """{dataset: the publisher's edition} as a release's manifest records it."""
    if release is None:
        return {}
    return {d: e["edition"] for d, e in release.manifest.get("datasets", {}).items() if e.get("edition")}


# the column that dates a table's rows, and how its first and last values are written in the manifest
PERIOD_COLUMNS = {"month": "%Y-%m", "date": "%Y-%m-%d", "fiscal_year": "FY{}", "year": "{}"}


def _reach(frame: pd.DataFrame, period: str | None) -> dict[str, dict]:
    """dataset -> {first, last}: the earliest and latest period of its rows (how far the data reaches)."""
    if period is None or frame.empty:
        return {}
    spans = frame.dropna(subset=[period]).groupby(frame["dataset"].astype(str), observed=True)[period].agg(["min", "max"])
    style = PERIOD_COLUMNS[period]

    def show(value):
        return pd.Timestamp(value).strftime(style) if "%" in style else style.format(int(value))

    return {d: {"first": show(row["min"]), "last": show(row["max"])} for d, row in spans.iterrows()}


def sources_table(entries: dict[str, dict]) -> pd.DataFrame:
    rows = []
    for sid, e in entries.items():
        files = e.get("files") or []
        rows.append({
            "source_id": sid, "publisher": e["publisher"], "title": e["title"],
            "url": "; ".join(f["url"] for f in files) or e["url"], "licence": e["licence"],
            "retrieved_at": e.get("retrieved_at"), "sha256": "; ".join(f["sha256"] for f in files) or None,
            "rows": e["rows"], "status": e["status"], "error": e.get("error"),
        })
    return conform(pd.DataFrame(rows), "sources")


# --------------------------------------------------------------------------- the run


def run(
    data_dir: Path,
    *,
    source_ids: list[str] | None = None,
    mirror: Path | None = None,
    offline: bool = False,
    files: list[Path] | None = None,
    force: bool = False,
    http: fetch.HttpSettings | None = None,
    progress=None,
    registry: str | Path | None = None,
    accept_shrink: bool = False,
    observer=None,
) -> RunResult:
    """Refresh (or, with `files`, ingest) the selected sources and publish a release if anything changed.
    `registry`: a sources registry file other than data/reference/sources.toml (its `local` files beside it).
    `accept_shrink`: publish a file that removes published periods or rows (see :mod:`etl.shrink`).
    `observer`: an :class:`etl.progress.Progress` told, once the lock is held, each source's state as it goes
    and how the run ended (the progress file the dashboard shows)."""
    started = time.monotonic()
    http = http or fetch.HttpSettings()  # one for the run: a host name that failed to resolve is not asked again
    registry = load_registry(registry)
    selected = registry.select(source_ids)
    wh = Warehouse(data_dir)
    raw_root = raw_dir(Path(data_dir))
    raw_root.mkdir(parents=True, exist_ok=True)
    with wh.lock():
        try:
            result = _locked_run(wh, registry, selected, raw_root, started, mirror=mirror, offline=offline,
                                 files=files, force=force, http=http, progress=_with_observer(progress, observer),
                                 accept_shrink=accept_shrink, observer=observer)
        except BaseException as exc:
            if observer is not None:
                observer.finish(release=None, published=False, exit_code=2,
                                error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            raise
    if observer is not None:
        observer.finish(release=result.release.id if result.release else None, published=result.published,
                        exit_code=result.exit_code)
    return result


def _with_observer(progress, observer):
    """The download-progress factory of a run: the caller's (a terminal's progress bars) and the observer's."""
    if observer is None:
        return progress

    def make(name: str):
        source_id, _, file = name.partition("/")
        mine = observer.download(source_id, file)
        theirs = progress(name) if progress else None

        def update(done: int, total: int | None) -> None:
            mine(done, total)
            if theirs is not None:
                theirs(done, total)
        return update

    return make


def _locked_run(wh, registry, selected, raw_root, started, *, mirror, offline, files, force, http, progress,
                accept_shrink, observer) -> RunResult:
    if observer is not None:
        observer.begin([src.id for src in selected])
    faults.point("locked")
    for name in wh.recover():
        log.info("removed a half-written release left by an interrupted run: %s", name)
    current = wh.current()
    state = wh.state()
    gazetteer = Gazetteer.load(reference_dir())
    ctx = Context(gazetteer=_with_catalogue(gazetteer, current))
    outcomes: dict[str, Outcome] = {}
    for src in selected:
        outcomes[src.id] = _refresh_source(
            src, ctx, current, state.get("sources", {}).get(src.id, {}), raw_root,
            mirror=mirror, offline=offline, files=files, force=force,
            http=http, progress=progress, accept_shrink=accept_shrink,
            observer=observer,
        )
    release = current
    published = False
    publish_error = None
    if any(o.status == "updated" for o in outcomes.values()):
        if observer is not None:
            observer.stage("publishing")
        try:
            release = publish(wh, registry, current, outcomes, gazetteer)
            published = True
        except (SourceError, EtlError, OSError) as exc:
            publish_error = str(exc)
            log.error("publish failed, the previous release keeps serving: %s", exc)
            for o in outcomes.values():
                if o.status == "updated":
                    o.status, o.error = "failed", f"not published: {exc}"
                    if observer is not None:
                        observer.source(o.source_id, "failed", error=o.error)
    faults.point("published")
    try:
        _save_state(wh, state, outcomes)
    except OSError as exc:  # the release (if any) is published; only the refresh bookkeeping is lost
        log.error("could not save the refresh state (%s); the next refresh re-checks every file", exc)
    failed = [o for o in outcomes.values() if o.status == "failed"]
    if publish_error or (failed and len(failed) == len(outcomes)):
        code = 2
    elif failed:
        code = 1
    else:
        code = 0
    return RunResult(outcomes, release, published, code, time.monotonic() - started)


def _with_catalogue(gazetteer: Gazetteer, current: Release | None) -> Gazetteer:
    """The gazetteer the adapters check names against: the bundled one, plus the places the current release
    holds beyond it (INEGI's municipality catalogue), so that a municipality's name is checked against its
    code's catalogue entry."""
    if current is None or "places" not in current.tables():
        return gazetteer
    places = current.read("places")
    extra = places[places["source_id"].astype(str) != GAZETTEER_SOURCE]
    return gazetteer.with_places(extra) if len(extra) else gazetteer


def _refresh_source(src, ctx, current, src_state, raw_root, *, mirror, offline, files, force, http, progress,
                    accept_shrink=False, observer=None) -> Outcome:
    t0 = time.monotonic()
    notes: list[str] = []
    if observer is not None:
        observer.source(src.id, "fetching")
    try:
        if files is not None:
            got = acquire_local_files(src, files, raw_root, origin="file")
        elif src.local and not (mirror and (Path(mirror) / src.id).is_dir()):
            got = acquire_local_files(src, [src.local_path()], raw_root, origin="file")
        elif mirror is not None:
            got = acquire_local_files(src, mirror_files(Path(mirror), src), raw_root, origin="file")
        elif offline:
            got = latest_snapshot(raw_root, src.id)
            if not got:
                raise FetchError("--offline: no raw snapshot of this source yet", source=src.id)
        else:
            got, notes = acquire_http(src, raw_root, src_state, http, progress)
        faults.point("fetched")
        known = known_files(current, src.id)
        new = got if force else [rf for rf in got if rf.sha256 not in known]
        validators = {rf.key: {"url": rf.url, "etag": rf.etag, "last_modified": rf.last_modified}
                      for rf in got if rf.etag or rf.last_modified}
        if not new:
            log.info("%s: unchanged", src.id)
            o = Outcome(src.id, "unchanged", notes=notes)
        else:
            if observer is not None:
                observer.source(src.id, "parsing")
            for rf in new:
                log.info("%s: parsing %s (%.1f MB)", src.id, rf.path.name, rf.path.stat().st_size / 1e6)
            parsed = parse_files(src, new, ctx)
            faults.point("parsed")
            # a curated file of this repository is edited on purpose: the guard is for publishers' files
            accepted = [] if src.local else shrink.guard(src.id, parsed, current, accept=accept_shrink)
            notes += [f"accepted with --accept-shrink: {s['table']}, {s['dataset']}: {s['rows_before']:,} -> "
                      f"{s['rows_after']:,} rows" + (f", periods gone: {', '.join(s['periods_lost'][:8])}"
                                                     if s["periods_lost"] else "") for s in accepted]
            o = Outcome(src.id, "updated", files=new, parsed=parsed,
                        notes=notes + [n for p in parsed for n in p.notes], accepted_shrink=accepted)
            log.info("%s: %d rows from %d file(s) in %.1f s", src.id, o.rows, len(new), time.monotonic() - t0)
        o.validators = validators  # type: ignore[attr-defined]
    except (SourceError, FetchError, EtlError) as exc:
        detail = exc.to_dict() if isinstance(exc, SourceError) else {"message": str(exc), "source": src.id}
        log.error("%s", exc)
        o = Outcome(src.id, "failed", error=str(exc), error_detail=detail, notes=notes)
    except OSError as exc:  # a full disk, a file we may not write: this source fails, the others go on
        message = f"{src.id}: could not store or read its files: {exc}"
        log.error("%s", message)
        o = Outcome(src.id, "failed", error=message, error_detail={"message": message, "source": src.id}, notes=notes)
    o.seconds = time.monotonic() - t0
    if observer is not None:
        if o.status == "failed":
            observer.source(src.id, "failed", error=o.error, where=o.error_detail)
        else:
            observer.source(src.id, "done" if o.status == "updated" else "unchanged", rows=o.rows)
    return o


def publish(wh: Warehouse, registry: Registry, current: Release | None, outcomes: dict[str, Outcome],
            gazetteer: Gazetteer) -> Release:
    tables, carried = merge_tables(current, outcomes)
    population = tables["population"] if "population" in tables else current.read("population")
    tables["places"] = build_places(tables["places"], population, gazetteer)
    for name, df in tables.items():
        validate(df, name)
    faults.point("validated")
    counts = {name: df["source_id"] for name, df in tables.items()}
    counts.update({name: current.read(name, columns=["source_id"])["source_id"] for name in carried})
    rows: dict[str, int] = {}
    for ids in counts.values():
        for sid, n in ids.value_counts().items():
            rows[sid] = rows.get(sid, 0) + int(n)
    entries = source_entries(registry, current, outcomes, rows)
    tables["sources"] = sources_table(entries)
    manifest = {
        "release_id": wh.new_release_id(),
        "published_at": iso(utcnow()),
        "previous_release": current.id if current else None,
        "sources": entries,
        "datasets": dataset_entries(registry, tables, current, carried, {
            p.dataset: p.edition for o in outcomes.values() if o.status == "updated" for p in o.parsed}),
        "tables": {name: int(len(ids)) for name, ids in counts.items()} | {"sources": len(tables["sources"])},
    }
    datapackage = build_datapackage(manifest, entries)

    def write_changes(new: Release) -> None:
        """The change report, read back from the files just written (as any reader will see them), and the
        revisions table: the last release's, with this release's revised values added."""
        found: list = []
        try:
            rep = changes.report(new, current, list(tables), outcomes.values(), manifest["published_at"],
                                 editions=(previous_editions(current), {
                                     d: e["edition"] for d, e in manifest["datasets"].items() if e.get("edition")}), every=found)
        except Exception as exc:  # noqa: BLE001 - the report must never stop a release: say it is missing
            log.warning("no change report for release %s: %s: %s", new.id, type(exc).__name__, exc)
            rep = {"release": new.id, "previous": current.id if current else None, "tables": {},
                   "error": f"the change report could not be made ({type(exc).__name__}: {exc})"}
            found = []
        (new.path / changes.CHANGES).write_text(json.dumps(rep, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        write_revisions(new, found)

    def write_revisions(new: Release, found: list) -> None:
        previous = (current.read(revisions.TABLE) if current is not None and revisions.TABLE in current.tables()
                    else None)
        before = (current.id, current.manifest.get("published_at")) if current is not None else None
        table = revisions.carry(previous, found, before=before, now=(new.id, manifest["published_at"]))
        validate(table, revisions.TABLE)
        write_table(table, new.path, revisions.TABLE)
        manifest["tables"][revisions.TABLE] = int(len(table))
        for resource in datapackage["resources"]:
            if resource["name"] == revisions.TABLE:
                resource["rows"] = int(len(table))

    release = wh.publish(tables, manifest, datapackage, carry=(current, sorted(carried)) if carried else None,
                         before_commit=write_changes)
    log.info("published release %s (%s)", release.id, release.path)
    return release


def _save_state(wh: Warehouse, state: dict, outcomes: dict[str, Outcome]) -> None:
    now = iso(utcnow())
    sources = state.setdefault("sources", {})
    for sid, o in outcomes.items():
        s = sources.setdefault(sid, {})
        s["last_attempt"] = now
        s["last_result"] = o.status
        s["seconds"] = round(o.seconds, 3)
        if o.status == "failed":
            s["error"] = o.error
            s["error_detail"] = o.error_detail
            s["consecutive_failures"] = int(s.get("consecutive_failures", 0)) + 1
        else:
            s["error"] = None
            s["error_detail"] = None
            s["consecutive_failures"] = 0
            s["last_success"] = now
        validators = getattr(o, "validators", None)
        if validators:
            s.setdefault("validators", {}).update(validators)
    state["last_run"] = now
    wh.save_state(state)
