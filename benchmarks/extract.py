"""Benchmark: `borderstats extract` on the evaluation set's passages, on the Border Report article, and on one long
text (every passage joined, repeated), the time per passage, per article and per megabyte.

    .venv/bin/python benchmarks/extract.py [--copies 8] [--repeat 3]

The extractor reads a story a person pasted or a page it fetched (at most 5 MB, `--max-bytes`). Targets on the
2-core build machine (best of the runs): a passage < 5 ms, the article < 50 ms, < 10 s per MB of one long text
(no part of it may grow faster than the text: a quadratic pass once made 3.8 MB take over 10 minutes).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARTICLES = ROOT.parent / "shared" / "data" / "articles"
EVAL = ROOT / "tests" / "fixtures" / "extractor" / "eval"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=8, help="how many times the joined passages make the long text")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from etl.config import reference_dir
    from etl.extractor.extract import PlaceIndex, extract
    from etl.gazetteer import Gazetteer

    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)
    passages = [json.loads(line)["text"] for path in sorted(EVAL.glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    t = best(lambda: [extract(p, gazetteer, places=places) for p in passages], args.repeat)
    rows.append((f"{len(passages):,} passages ({sum(map(len, passages)) / 1e3:.0f} kB)",
                 f"{t * 1000 / len(passages):.1f} ms per passage", "< 5 ms", t * 1000 / len(passages) < 5))
    t = best(lambda: [extract(p, gazetteer, places=places, learned=False) for p in passages], args.repeat)
    rows.append(("the same, the rules alone (--rules-only)",
                 f"{t * 1000 / len(passages):.1f} ms per passage", "< 5 ms", t * 1000 / len(passages) < 5))
    articles = sorted(p for p in ARTICLES.glob("*") if p.is_file()) if ARTICLES.is_dir() else []
    for path in articles:
        text = path.read_text(encoding="utf-8", errors="replace")
        t = best(lambda: extract(text, gazetteer, places=places), args.repeat)
        rows.append((f"{path.name} ({len(text) / 1e3:.0f} kB)", f"{t * 1000:.0f} ms", "< 50 ms", t < 0.05))
    long_text = "\n\n".join(passages) * args.copies
    t = best(lambda: extract(long_text, gazetteer, places=places), 1)
    mb = len(long_text.encode("utf-8")) / 1e6
    rows.append((f"one text of {mb:.1f} MB", f"{t:.1f} s ({t / mb:.1f} s per MB)", "< 10 s per MB", t / mb < 10))
    for what, measured, target, met in rows:
        print(f"{what:52s} {measured:28s} target {target:14s} {'met' if met else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
