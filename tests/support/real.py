"""Arrange the real files of ../shared/data/real as a --mirror folder (DIR/<source id>/...), by symlinks."""
from __future__ import annotations

from pathlib import Path

# source id -> folder of ../shared/data/real holding its files
REAL_FOLDERS = {
    "cbp_encounters": "cbp",
    "ohss_usbp_encounters": "ohss",
    "usbp_history": "usbp-history",
    "inegi_homicides": "inegi-homicides",
    "conapo_population": "conapo",
    "iom_missing_migrants": "iom",
    "pcome_remains": "pcome",
    "sesnsp_state_victims": "sesnsp",
}


MPP_FOLDER = "cbp-mpp"  # no copy of CBP's MPP pages: a page is built from its transcribed enrolment table


def build_mirror(real_dir: Path, dest: Path) -> Path:
    from tests.support.mpp_pages import CSV_NAME, page_from_csv, read_rows

    transcribed = real_dir / MPP_FOLDER / CSV_NAME
    if transcribed.is_file():
        (dest / "cbp_mpp").mkdir(parents=True, exist_ok=True)
        (dest / "cbp_mpp" / "fy2020.html").write_text(page_from_csv(read_rows(transcribed)), encoding="utf-8")
    for source_id, folder in REAL_FOLDERS.items():
        target = dest / source_id
        target.mkdir(parents=True, exist_ok=True)
        for f in sorted((real_dir / folder).iterdir()):
            if f.is_file() and f.name != "README.md":
                link = target / f.name
                if not link.exists():
                    link.symlink_to(f.resolve())
    return dest


def shared_release(tmp_path_factory, dest: Path) -> str:
    """Put in `dest` (a data folder) a copy of one release built for the whole test session: from the real files of
    ../shared when present, else from the fixtures. It is built once under a file lock and copied for each user, so
    the test processes do not each spend a refresh (about 20 s, more under load) on the same files, and no user
    sees another's writes. Returns "real" or "fixtures"."""
    import os
    import shutil

    from filelock import FileLock

    from etl import pipeline
    from tests.conftest import SHARED_REAL
    from tests.support.release import fixture_mirror

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the session's folder, shared by its worker processes
    root = base / "shared-release"
    with FileLock(str(base / "shared-release.lock")):
        ready = root / "READY"
        if not ready.exists():
            if root.exists():
                shutil.rmtree(root)  # a build that failed half-way
            if SHARED_REAL.is_dir():
                mirror, kind = build_mirror(SHARED_REAL, root / "mirror"), "real"
            else:
                mirror, kind = fixture_mirror(root / "mirror"), "fixtures"
            result = pipeline.run(root / "data", mirror=mirror)
            assert result.published, {k: o.error for k, o in result.outcomes.items() if o.error}
            ready.write_text(kind, encoding="utf-8")
        kind = ready.read_text(encoding="utf-8")
    shutil.copytree(root / "data", dest, symlinks=True)
    return kind
