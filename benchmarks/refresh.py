"""Benchmark: the full refresh over the real files (--mirror), an unchanged refresh, and the read floor.

    .venv/bin/python benchmarks/refresh.py [--real ../shared/data/real] [--repeat 1]

Prints wall time and peak memory of each refresh, rows per second per source, and the
time to merely read the same files with pyarrow (and DuckDB when installed): the floor
no ETL can beat. Targets on the 2-core build machine: full refresh < 20 s and < 1 GB
peak memory; unchanged refresh < 2 s.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.real import REAL_FOLDERS, build_mirror  # noqa: E402

MEASURE = (
    "import sys, resource; from borderstats.cli import main; code = main(sys.argv[1:]); "
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def timed_cli(args: list[str]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    peak_kb = next((int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("PEAK_RSS_KB")), 0)
    if proc.returncode not in (0, 1):
        print(proc.stderr[-3000:], file=sys.stderr)
    return wall, peak_kb / 1024, proc.returncode


def read_floor(real: Path) -> dict[str, float]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out = {}
    for sid, folder in REAL_FOLDERS.items():
        t0 = time.perf_counter()
        for f in sorted((real / folder).iterdir()):
            if f.suffix == ".xlsx":
                import pandas as pd

                pd.read_excel(f, sheet_name="Monthly Sector", engine="calamine")
            elif f.is_file():
                delim = "|" if "homicide" in f.name else ","
                with pa.input_stream(str(f), compression="detect") as stream:
                    pacsv.read_csv(stream, parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True))
        out[sid] = time.perf_counter() - t0
    return out


def duckdb_floor(real: Path) -> float | None:
    try:
        import duckdb
    except ImportError:
        return None
    t0 = time.perf_counter()
    con = duckdb.connect()
    for folder in REAL_FOLDERS.values():
        for f in sorted((real / folder).iterdir()):
            if f.suffix in (".csv", ".gz", ".bz2") and f.is_file():
                if f.suffix == ".bz2":
                    continue  # DuckDB has no bzip2 reader
                con.execute(f"SELECT count(*) FROM read_csv('{f}', all_varchar=true)").fetchall()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    args = ap.parse_args()
    if not args.real.is_dir():
        sys.exit(f"no real files at {args.real}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mirror = build_mirror(args.real, tmp / "mirror")
        data = tmp / "data"
        base = ["refresh", "--mirror", str(mirror), "--data-dir", str(data)]
        full, full_mb, code = timed_cli(base)
        state = json.loads((data / "warehouse" / "state.json").read_text())  # per-source seconds of the full run
        current = (data / "warehouse" / "CURRENT").read_text().strip()
        manifest = json.loads((data / "warehouse" / "releases" / current / "manifest.json").read_text())
        unchanged, unchanged_mb, code2 = timed_cli(base)
    floor = read_floor(args.real)
    duck = duckdb_floor(args.real)
    print(f"full refresh (--mirror, {len(REAL_FOLDERS)} sources): {full:.1f} s wall, peak {full_mb:.0f} MB, exit {code}")
    print(f"unchanged refresh:                    {unchanged:.2f} s wall, peak {unchanged_mb:.0f} MB, exit {code2}")
    print()
    print(f"{'source':<22} {'rows':>9} {'parse+validate s':>17} {'rows/s':>10} {'pyarrow read s':>15}")
    for sid in REAL_FOLDERS:
        rows = manifest["sources"][sid]["rows"]
        secs = state["sources"][sid]["seconds"]
        print(f"{sid:<22} {rows:>9} {secs:>17.2f} {rows / secs if secs else 0:>10.0f} {floor[sid]:>15.2f}")
    print(f"{'read floor (pyarrow + calamine), all files':<50} {sum(floor.values()):.2f} s")
    if duck is not None:
        print(f"{'read floor (DuckDB, CSV and gzip only)':<50} {duck:.2f} s")


if __name__ == "__main__":
    main()
