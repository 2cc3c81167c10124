"""What the benchmarks share: the --real and --data-dir options, and a release built from the real files."""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parser(doc: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=doc.splitlines()[1])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    ap.add_argument("--data-dir", type=Path, help="use this data dir's current release instead of building one")
    return ap


def release_dir(args, tmp: Path) -> Path:
    """args.data_dir, or a data dir under `tmp` with a release built from the real files."""
    if args.data_dir is not None:
        return args.data_dir
    from etl import pipeline
    from tests.support.real import build_mirror

    data_dir = tmp / "data"
    pipeline.run(data_dir, mirror=build_mirror(args.real, tmp / "mirror"))
    return data_dir
