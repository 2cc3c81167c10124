"""Score `borderstats extract` on the evaluation set (docs/extractor-evaluation.md).

    python tools/score_extractor.py            # the development part, with every miss
    python tools/score_extractor.py --heldout  # the held-out part: scores only (run once per change)
    python tools/score_extractor.py --rules-only --quiet  # the rules without the learned models
    python tools/score_extractor.py --heldout --review  # also: how often the figures marked for review are right
    python tools/score_extractor.py --heldout --unmarked-only  # only the figures no part of which is marked
    python tools/score_extractor.py --cross-validate  # the development part, each fold of labelling rounds found
                                                      # by models trained without it (out of sample; minutes)
"""
from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import train_learned  # beside this file

from etl.config import reference_dir  # noqa: E402
from etl.extractor.extract import PlaceIndex, extract, parse_published, unmarked  # noqa: E402
from etl.gazetteer import Gazetteer  # noqa: E402
from tests.support.evalset import load_all, split, summary  # noqa: E402
from tests.support.scoring import score_passages, tally_passages  # noqa: E402

FOLDS = 5  # --cross-validate: labelling round r is in fold r % FOLDS


def candidates(learned: bool = True, unmarked_only: bool = False):
    """`run(text, published, title)`: the candidates `borderstats extract` gives for a record's text (with
    `unmarked_only`, as `extract --unmarked-only`: those with no part marked for review)."""
    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)

    def run(text, published, title=None):
        try:
            when = parse_published(published) if published and len(published) == 10 else None
        except ValueError:
            when = None
        found = extract(text, gazetteer, places=places, published=when, title=title, learned=learned)
        return unmarked(found) if unmarked_only else found
    return run


def runner(learned: bool = True, unmarked_only: bool = False):
    found = candidates(learned, unmarked_only)

    def run(text, published, title=None):
        return [(c.metric, c.value, c.qualifier, c.place_id) for c in found(text, published, title)]
    return run


def review_split(records, learned: bool = True) -> dict:
    """Precision of the figures marked for review (`check`) and of the rest, at both levels: a figure is right when
    an unmatched labelled figure of its passage has its value and place (and, at the stricter level, its qualifier
    and measure); each labelled figure is matched once, in reading order."""
    found = candidates(learned)
    levels = {"place": (("place",), lambda value, place, qualifier, measure: (float(value), place)),
              "full": (("measure", "place"), lambda value, place, qualifier, measure: (float(value), place,
                                                                                      qualifier, measure))}
    out = {level: {"marked": [0, 0], "unmarked": [0, 0]} for level in levels}
    for r in records:
        got = found(r["text"], r.get("published"), r.get("title"))
        for level, (parts, key) in levels.items():
            gold = [key(f["value"], f["place_id"], f["qualifier"], f["measure"]) for f in r["figures"]]
            for c in got:
                marked = any(part in (c.check or "").split(", ") for part in parts)
                k = key(c.value, c.place_id, c.qualifier, c.metric)
                hit = k in gold
                if hit:
                    gold.remove(k)
                out[level]["marked" if marked else "unmarked"][0 if hit else 1] += 1
    return out


def print_review(split: dict) -> None:
    for level, parts, label in (("place", "place", "value and place"),
                                ("full", "measure or place", "value, place, qualifier and measure")):
        line = []
        for group, name in (("unmarked", "not marked"), ("marked", f"marked ({parts})")):
            right, wrong = split[level][group]
            n = right + wrong
            line.append(f"{name}: {n} figures, P {right / n:.3f}" if n else f"{name}: none")
        print(f"  {label:38s} " + "; ".join(line))


def folds(records: list[dict], rounds: dict[str, int], k: int = FOLDS) -> list[list[dict]]:
    """The records in `k` folds by labelling round (`rounds`: each address's round), round r in fold r % k, so a
    round's sources (read and labelled together, often from one search) are never split between training and
    scoring."""
    out: list[list[dict]] = [[] for _ in range(k)]
    for r in records:
        out[rounds[r["url"]] % k].append(r)
    return out


def _fold(args) -> tuple[list[list[tuple]], dict]:
    """What the extractor finds in the fold's records with the three models trained on the other folds' records
    (tools/train_learned.train), and the models' meta."""
    scored, others = args
    models = train_learned.train(others)
    with train_learned.in_place({path: model for path, (model, _) in models.items()}):
        run = runner()
        got = [run(r["text"], r.get("published"), r.get("title")) for r in scored]
    return got, {path.name: model.meta for path, (model, _) in models.items()}


def cross_validated(records: list[dict], k: int = FOLDS, processes: int = 2) -> tuple[list[dict], dict, list]:
    """The development part found fold by fold, each fold by models trained on the others: an estimate of the
    scores on text the models have never seen from all the development part's figures (the held-out part has
    194). The rules were written on these records, so they are still in sample. Returns the records in fold order,
    score_passages' result for them, and each fold's models' meta."""
    parts = folds(records, train_learned.rounds(), k)
    jobs = [(part, [r for j, other in enumerate(parts) if j != i for r in other]) for i, part in enumerate(parts)]
    with ProcessPoolExecutor(processes) as pool:
        done = list(pool.map(_fold, jobs))
    ordered = [r for part in parts for r in part]
    return ordered, tally_passages(ordered, [g for got, _ in done for g in got]), [meta for _, meta in done]


def report(records, name: str, show_misses: bool, learned: bool = True, unmarked_only: bool = False,
           result: dict | None = None) -> dict:
    result = result or score_passages(records, runner(learned, unmarked_only))
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
    ap.add_argument("--review", action="store_true",
                    help="also the precision of the figures marked for review (`check`) and of the rest")
    ap.add_argument("--unmarked-only", action="store_true",
                    help="score only the figures with no part marked for review, as extract --unmarked-only")
    ap.add_argument("--cross-validate", action="store_true",
                    help=f"score the development part out of sample: its labelling rounds in {FOLDS} folds, each "
                         "found by models trained on the others (several minutes)")
    args = ap.parse_args()
    if args.unmarked_only and args.rules_only:
        ap.error("--unmarked-only needs the learned models: the rules alone mark nothing")
    if args.cross_validate and (args.heldout or args.rules_only or args.review or args.unmarked_only):
        ap.error("--cross-validate scores the development part with the models only: it takes no other option "
                 "but --quiet")
    dev, held = split(load_all())
    if args.cross_validate:
        ordered, result, _ = cross_validated(dev)
        report(ordered, f"development, {FOLDS} folds out of sample", not args.quiet, result=result)
        return 0
    part = held if args.heldout else dev
    report(part, "held-out" if args.heldout else "development", not (args.quiet or args.heldout), not args.rules_only,
           args.unmarked_only)
    if args.review:
        print_review(review_split(part, not args.rules_only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
