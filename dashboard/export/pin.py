"""Pinned snapshots ("publish this chart"): a chart's figure, its CSV and images stored once under an immutable,
content-addressed folder of the data directory, served read-only at /pinned/<hash>/ with "data as of <release>"
and a link to the live view.

Nothing changes data through the web app: pinning is a command (`borderstats export --pin`); the web app only
reads `<data dir>/pinned/<hash>/`. The address is the SHA-256 of what the snapshot shows (the chart, its
canonical query, the release and the figure with its numbers and texts), so the same view of the same release
pins to the same address, and a snapshot, once written, is never rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qsl

from dashboard import urlstate
from dashboard.publicurl import base_url as public_url

from . import options, registry, render, service

FOLDER = "pinned"
HASH = re.compile(r"^[0-9a-f]{20}$")
FILE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}\.(png|svg|pdf|csv|json)$")
MEDIA = {**options.MEDIA_TYPES, "json": "application/json"}


def root(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def address(built: registry.Built) -> str:
    """The snapshot's content address: 20 hex digits of the SHA-256 of what it shows."""
    payload = json.dumps({"chart": built.chart.name, "query": built.query, "release": built.release,
                          "figure": built.figure, "alt": built.alt}, sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def fixed(built: registry.Built) -> registry.Built:
    """A snapshot follows nothing: year=latest and to=latest become the year and month they show now."""
    params = built.chart.params()
    state = built.chart.views.state_from_query(dict(parse_qsl(built.query.lstrip("?")))).state
    follows = urlstate.follows_latest(state, params)
    if not follows:
        return built
    for p in follows:
        state[p.name] = p.default if p.default is not None else (p.resolve(state) if p.resolve else None)
    return registry.build(built.chart.name, dict(parse_qsl(urlstate.to_query(state, params).lstrip("?"))),
                          strict=True)


def pin(built: registry.Built, data_dir: Path, *, formats: list[str], size: options.Size,
        renderer: render.Renderer | None) -> tuple[str, Path, bool]:
    """Write the snapshot (if it is not there yet). Returns (hash, folder, written now)."""
    digest = address(built)
    final = root(data_dir) / digest
    if (final / "pin.json").is_file():
        return digest, final, False  # immutable: the same content is already pinned
    tmp = root(data_dir) / f".{digest}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        files = {"figure.json": json.dumps(built.figure, sort_keys=True, ensure_ascii=False).encode("utf-8")}
        base = public_url()
        for fmt in formats:
            if fmt in options.IMAGE_FORMATS and renderer is None:
                continue
            files[service.filename(built, fmt)] = service.export_bytes(built, fmt, size, renderer=renderer,
                                                                       base_url=base)
        meta = {"hash": digest, "chart": built.chart.name, "label": built.chart.label, "query": built.query,
                "view_path": built.view_path, "release": built.release, "alt": built.alt,
                "title": built.meta.get("title", ""), "files": sorted(files) + ["pin.json"]}
        files["pin.json"] = json.dumps(meta, indent=1, ensure_ascii=False).encode("utf-8")
        for name, data in files.items():
            (tmp / name).write_bytes(data)
            os.chmod(tmp / name, 0o444)
        try:
            os.rename(tmp, final)  # atomic: a reader sees the whole snapshot or none of it
        except OSError:
            if not (final / "pin.json").is_file():
                raise
            return digest, final, False  # pinned meanwhile by another run: same content
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return digest, final, True


def read(data_dir: Path, digest: str, name: str) -> tuple[bytes, dict] | None:
    """(bytes of one file, the snapshot's pin.json) or None. Only names listed in pin.json are read, under a
    folder whose name is a checked hash: no path from a request reaches the disk unchecked."""
    if not HASH.fullmatch(digest or "") or not FILE.fullmatch(name or ""):
        return None
    folder = root(data_dir) / digest
    try:
        meta = json.loads((folder / "pin.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if name not in meta.get("files", []):
        return None
    try:
        return (folder / name).read_bytes(), meta
    except OSError:
        return None


def run(*, charts: list[str], query: str, formats: str, size: str | None, scale: str | None, data_dir: Path) -> int:
    """`borderstats export --pin`: pin each chart's current view; print each snapshot's address."""
    try:
        fmts = options.parse_formats(formats)
        sz = options.parse_size(size, scale)
        q = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        built = []
        for name in charts:
            try:
                built.append(fixed(registry.build(name, q, strict=True)))
            except registry.BadRequest as e:
                raise registry.BadRequest(f"{name}: {e}") from e
    except (registry.BadRequest, LookupError) as e:
        print(f"borderstats export: error: {e}", file=sys.stderr)
        return 2
    renderer, status = None, 0
    if any(f in options.IMAGE_FORMATS for f in fmts):
        try:
            renderer = render.Renderer()
        except render.RendererUnavailable as e:
            print(f"borderstats export: {e}", file=sys.stderr)
            status = 1
    try:
        for b in built:
            digest, folder, new = pin(b, data_dir, formats=fmts, size=sz, renderer=renderer)
            print(f"{public_url()}/pinned/{digest}/  ({b.chart.name}, data as of release {b.release}; "
                  f"{'pinned now' if new else 'already pinned'}: {folder})")
    finally:
        if renderer is not None:
            renderer.close()
    return status
