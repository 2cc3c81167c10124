"""Score `borderstats extract` on the evaluation set (docs/extractor-evaluation.md).

    python tools/score_extractor.py            # the development part, with every miss
    python tools/score_extractor.py --heldout  # the held-out part: scores only (run once per change)
    python tools/score_extractor.py --rules-only --quiet  # the rules without the learned models
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.config import reference_dir  # noqa: E402
from etl.extractor.extract import PlaceIndex, extract, parse_published  # noqa: E402
from etl.gazetteer import Gazetteer  # noqa: E402
from tests.support.evalset import load_all, split, summary  # noqa: E402
from tests.support.scoring import score_passages  # noqa: E402


def runner(learned: bool = True):
    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)

    def run(text, published, title=None):
        try:
            when = parse_published(published) if published and len(published) == 10 else None
        except ValueError:
            when = None
        return [(c.metric, c.value, c.qualifier, c.place_id)
                for c in extract(text, gazetteer, places=places, published=when, title=title,
                                learned=learned)]
    return run


def report(records, name: str, show_misses: bool, learned: bool = True) -> dict:
    result = score_passages(records, runner(learned))
    print(f"{name}: {summary(records).splitlines()[-1]}")
    for level, label in (("place", "value and place"), ("full", "value, place, qualifier and measure")):
        r = result[level]
        print(f"  {label:38s} P {r['precision']:.3f}  R {r['recall']:.3f}  (TP {r['tp']}, FP {r['fp']}, FN {r['fn']})")
    if show_misses:
        for source, text, want, got in result["full"]["misses"]:
            print(f"\n[{source}] {text}\n   want {want}\n   got  {got}")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heldout", action="store_true", help="score the held-out part (no misses are printed)")
    ap.add_argument("--quiet", action="store_true", help="scores only")
    ap.add_argument("--rules-only", action="store_true", help="leave the learned models out, as extract --rules-only")
    args = ap.parse_args()
    dev, held = split(load_all())
    if args.heldout:
        report(held, "held-out", False, not args.rules_only)
    else:
        report(dev, "development", not args.quiet, not args.rules_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
