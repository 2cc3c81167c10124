"""Benchmark: each adapter parsing its real file(s), the time and the rows per second.

    .venv/bin/python benchmarks/adapters.py [--real ../shared/data/real] [--repeat 3]

These targets used to be asserts inside the adapters' correctness tests, where a busy machine failed them for
reasons that are no bugs; here they are printed beside the figures. Targets on the 2-core build machine (per file
set, best of the runs): CBP Southwest < 2 s, OHSS workbook < 3 s, IOM < 3 s, Pima County < 3 s, USBP history
< 2 s per file, INEGI municipal < 5 s, SESNSP < 8 s (about 2 s of which is bzip2).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._release import parser  # noqa: E402

# adapter, files under ../shared/data/real, target in seconds
CASES = [
    ("cbp_encounters", ["cbp/sbo-encounters-fy22-fy25-aug.csv"], 2.0),
    ("ohss_usbp_encounters", ["ohss/KHSM Encounters (USBP) fy25m11.xlsx"], 3.0),
    ("iom_missing_migrants", ["iom/imo_data_original.csv"], 3.0),
    ("pcome_remains", ["pcome/ogis_data_original.csv"], 3.0),
    ("usbp_history", ["usbp-history/southwest_border_apprehensions_1960_2019.csv",
                      "usbp-history/southwest_border_deaths_1998_2019.csv",
                      "usbp-history/family_child_total_monthly_2000_2019.csv"], 2.0),
    ("inegi_homicides", ["inegi-homicides/mexico-muni-month-homicide-rates-2000-2021.csv.gz"], 5.0),
    ("sesnsp_state_victims", ["sesnsp/db_victimas_delitos_ent_long.csv.bz2"], 8.0),
]


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from etl.adapters import Context, get_adapter
    from etl.config import reference_dir
    from etl.gazetteer import Gazetteer

    ctx = Context(gazetteer=Gazetteer.load(reference_dir()))
    print(f"{'adapter':<22} {'file':<52} {'rows':>9} {'best s':>7} {'rows/s':>10} {'target':>7}  met")
    missed = 0
    for adapter, files, target in CASES:
        parse = get_adapter(adapter)
        for name in files:
            path = args.real / name
            if not path.exists():
                print(f"{adapter:<22} {name:<52} skipped: {path} is not present")
                continue
            times, rows = [], 0
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                rows = sum(len(p.frame) for p in parse(path, ctx))
                times.append(time.perf_counter() - start)
            best = min(times)
            met = best < target
            missed += not met
            print(f"{adapter:<22} {Path(name).name[:52]:<52} {rows:>9,} {best:>7.2f} {rows / best:>10,.0f} "
                  f"{target:>7.1f}  {'yes' if met else 'NO'}")
    print(f"{missed} target(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
