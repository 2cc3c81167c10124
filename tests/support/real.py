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
