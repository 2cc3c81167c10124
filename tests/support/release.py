"""A published release built from the test fixtures (every source, in its real format)."""
from __future__ import annotations

import shutil
from pathlib import Path

from etl import pipeline
from tests.conftest import FIXTURES

FIXTURE_FILES = {
    "cbp_encounters": ["cbp_encounters/southwest.csv"],
    "usbp_history": ["usbp_history/sw_apprehensions.csv", "usbp_history/sw_deaths.csv",
                     "usbp_history/family_child_monthly.csv"],
    "inegi_homicides": ["inegi_homicides/muni_month.csv.gz", "inegi_homicides/state_month.csv"],
    "conapo_population": ["conapo_population/projections.csv", "conapo_population/catalogue.csv"],
    "iom_missing_migrants": ["iom_missing_migrants/incidents.csv"],
    "pcome_remains": ["pcome_remains/records.csv"],
    "sesnsp_state_victims": ["sesnsp_state_victims/victims_long.csv.bz2"],
    "cbp_mpp": ["cbp_mpp/fy2020.html", "cbp_mpp/fy2021.html"],
}


def fixture_mirror(mirror: Path) -> Path:
    for sid, files in FIXTURE_FILES.items():
        (mirror / sid).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(FIXTURES / f, mirror / sid / Path(f).name)
    return mirror


def fixture_release(data_dir: Path, mirror: Path) -> Path:
    result = pipeline.run(data_dir, mirror=fixture_mirror(mirror))
    assert result.published, {k: o.error for k, o in result.outcomes.items() if o.error}
    return data_dir
