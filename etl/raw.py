"""Raw snapshots: every file the ETL reads is kept under raw/<source>/<date>/ with a metadata file.

Columns a source declares as personal data (the medical examiner's ``Name``) are
removed before the copy is written, by the ``redact`` function of the source's
adapter (which refuses a file it cannot vouch for: then nothing is stored); the
metadata records the checksum of the file as published and of the copy as stored.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .adapters import get_redactor
from .errors import SourceError
from .registry import Source
from .warehouse import iso, utcnow, write_atomic

META_SUFFIX = ".meta.json"


@dataclass
class RawFile:
    path: Path  # the stored copy the adapter reads
    key: str
    url: str
    retrieved_at: str
    sha256: str  # of the file as published
    stored_sha256: str
    bytes: int
    http_status: int | None = None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    redacted_columns: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()  # the datasets (layouts) parsed from this file, once parsed

    def meta(self) -> dict:
        d = asdict(self)
        d["path"] = self.path.name
        d["redacted_columns"] = list(self.redacted_columns)
        d["datasets"] = list(self.datasets)
        return d

    @classmethod
    def from_meta(cls, path: Path) -> "RawFile":
        meta = json.loads(Path(str(path) + META_SUFFIX).read_text(encoding="utf-8"))
        meta["path"] = path
        meta["redacted_columns"] = tuple(meta.get("redacted_columns", ()))
        meta["datasets"] = tuple(meta.get("datasets", ()))
        return cls(**meta)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def snapshot_dir(raw_root: Path, source_id: str, when: str | None = None) -> Path:
    return raw_root / source_id / (when or utcnow().strftime("%Y-%m-%d"))


def store(
    src: Source,
    content_path: Path,
    raw_root: Path,
    *,
    key: str,
    url: str,
    name: str | None = None,
    http_status: int | None = None,
    content_type: str = "",
    etag: str | None = None,
    last_modified: str | None = None,
    move: bool = False,
) -> RawFile:
    """Keep `content_path` as a raw snapshot of `src` (redacted where the source has personal data)."""
    name = name or content_path.name
    folder = snapshot_dir(raw_root, src.id)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    original_sha = sha256_file(content_path)
    size = content_path.stat().st_size
    redacted: list[str] = []
    if src.personal_data_columns:
        try:
            clean = get_redactor(src.adapter)(content_path.read_bytes())
        except SourceError as exc:  # the redactor does not know the file's name: name it here
            exc.file, exc.source = None, None
            raise exc.with_context(source=src.id, file=name) from None
        redacted = list(src.personal_data_columns)
        if name.endswith((".gz", ".bz2", ".zip")):
            name = name.rsplit(".", 1)[0]
            dest = folder / name
        write_atomic(dest, clean)
        if move:
            content_path.unlink(missing_ok=True)
    elif move:
        shutil.move(str(content_path), dest)
    elif content_path.resolve() != dest.resolve():
        tmp = dest.with_name(f".{dest.name}.part")
        shutil.copyfile(content_path, tmp)
        tmp.replace(dest)
    rf = RawFile(
        path=dest, key=key, url=url, retrieved_at=iso(utcnow()), sha256=original_sha,
        stored_sha256=sha256_file(dest) if redacted or src.personal_data_columns else original_sha,
        bytes=size, http_status=http_status, content_type=content_type, etag=etag, last_modified=last_modified,
        redacted_columns=tuple(redacted),
    )
    write_atomic(Path(str(dest) + META_SUFFIX), (json.dumps(rf.meta(), indent=2) + "\n").encode())
    return rf


def latest_snapshot(raw_root: Path, source_id: str) -> list[RawFile]:
    """The files of the newest snapshot folder of a source that have metadata."""
    base = raw_root / source_id
    if not base.exists():
        return []
    for folder in sorted((p for p in base.iterdir() if p.is_dir()), reverse=True):
        files = [RawFile.from_meta(Path(str(m)[: -len(META_SUFFIX)])) for m in sorted(folder.glob("*" + META_SUFFIX))]
        files = [f for f in files if f.path.exists()]
        if files:
            return files
    return []
