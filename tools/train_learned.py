"""Train the extractor's two learned models (etl/extractor/learned.py) on the development part of the evaluation
set.

    python tools/train_learned.py            # write etl/extractor/figure_model.json and measure_model.json
    python tools/train_learned.py --check    # cross-validate by labelling round, write nothing

Needs the `train` extra (scikit-learn). Only the development part is read: the held-out part never trains either.

- The figure model first: each number the rules drop for want of a counted noun is one example
  (extractor.learned.figure_features), a figure if the reader labelled a figure of that value in its passage.
- Then the measure model, with the figure model in place: each figure kept with the value and place of a labelled
  figure is one example (extractor.learned.features, with the rules' own measure), its answer the reader's measure.
- Then the place model, with both in place: each figure kept with the value of a labelled figure is one example
  (extractor.learned_place.candidates: every place it could count in, and none), its answer the reader's place,
  where that is one of the candidates.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.config import reference_dir  # noqa: E402
from etl.extractor import learned, learned_place  # noqa: E402
from etl.extractor.extract import PlaceIndex, explain, parse_published  # noqa: E402
from etl.extractor.places import dateline  # noqa: E402
from etl.extractor.text import fold, sentences  # noqa: E402
from etl.gazetteer import Gazetteer  # noqa: E402
from tests.support.evalset import EVAL_DIR, load_all, read, split  # noqa: E402

C = 3.0  # inverse strength of the L2 penalty, chosen by cross-validation by round (docs/extractor-evaluation.md)
FIGURE_C = 1.0  # the same for the figure model
PLACE_L2 = 3.0  # the place model's L2 penalty (leaving one round out: 1 0.903, 3 0.906, 10 0.903 of places right)
NO_NOUN = "no counted noun after it, and no rule that supplies one"
PRUNE = 1e-3  # weights smaller than this for every class are not stored
MIN_COUNT = 3  # features seen in fewer training figures than this are left out (same accuracy, a quarter the size)
FIGURE_MIN_COUNT = 1  # the figure model learns from 650 numbers: every feature counts (0.82 of those kept are
#                       figures, against 0.74 with MIN_COUNT; leave one round out)


def _passages(records: list[dict], learned):
    """Each record with its decisions (explain with the `learned` parts), folded text, sentences and their starts."""
    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)
    for r in records:
        pub = r.get("published")
        try:
            when = parse_published(pub) if pub and len(pub) == 10 else None
        except ValueError:
            when = None
        text, title = r["text"], r.get("title")
        spans = sentences(text)
        yield (r, explain(text, gazetteer, published=when, places=places, title=title, learned=learned), fold(text),
               spans, [s for s, _ in spans], fold(title) if title else None)


def figure_examples(records: list[dict]) -> list[tuple[dict, str, str]]:
    """(features, keep or drop, drop) of each number the rules drop for want of a counted noun."""
    out = []
    for r, decisions, folded, spans, starts, title in _passages(records, False):
        values = {float(f["value"]) for f in r["figures"]}
        for d in decisions:
            if d.kept or d.rules.get("dropped") != NO_NOUN:
                continue
            sentence, previous = learned.around(spans, starts, d.start)
            out.append((learned.figure_features(folded, sentence, previous, d.start, d.end, d.rules["number"], d.value,
                                                    title),
                        "keep" if float(d.value) in values else "drop", "drop"))
    return out


def _matched(decisions, figures: list[dict], any_place: bool = False):
    """Each kept figure with the labelled figure it matches: the same value and place, or (with `any_place`) where
    none has both, the same value alone; each labelled figure is matched once, in reading order."""
    gold = list(figures)
    for d in decisions:
        if not d.kept:
            continue
        c = d.candidate
        hit = next((f for f in gold if float(f["value"]) == float(c.value) and f["place_id"] == c.place_id), None)
        if hit is None and any_place:
            hit = next((f for f in gold if float(f["value"]) == float(c.value)), None)
        if hit is not None:
            gold.remove(hit)
            yield d, hit


def examples(records: list[dict]) -> list[tuple[dict, str, str]]:
    """(features, the reader's measure, the rules' measure) of each figure kept (by the rules and the figure model)
    that matches a labelled one."""
    out = []
    for r, decisions, folded, spans, starts, title in _passages(records, ("figure",)):
        for d, hit in _matched(decisions, r["figures"]):
            c = d.candidate
            sentence, previous = learned.around(spans, starts, d.start)
            out.append((learned.features(folded, sentence, previous, d.start, d.end, c.metric, title, value=c.value),
                        hit["measure"], c.metric))
    return out


def place_examples(records: list[dict]) -> list[tuple[list[tuple[str | None, dict]], int, str | None]]:
    """(candidates, index of the reader's place among them, the rules' place) of each figure kept (by the rules and
    both models) whose value a labelled figure has, in the same place where one is; a figure whose reader's place is
    no candidate teaches nothing and is left out."""
    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)
    out = []
    for r, decisions, folded, spans, starts, title in _passages(records, ("figure", "measure")):
        mentions = places.mentions(folded, r["text"])
        text = learned_place.PlaceText.of(folded, spans, mentions,
                                          places.mentions(title, r["title"]) if title else [],
                                          dateline(r["text"], folded, mentions), [d.start for d in decisions if d.kept])
        for d, hit in _matched(decisions, r["figures"], any_place=True):
            c = d.candidate
            cands = learned_place.candidates(text, d.start, d.end, c.metric, c.place_id, d.rules.get("place", ""),
                                             c.value)
            right = next((i for i, (pid, _) in enumerate(cands) if pid == hit["place_id"]), None)
            if right is not None:
                out.append((cands, right, c.place_id))
    return out


def fit_place(rows, l2: float = PLACE_L2, min_count: int = MIN_COUNT) -> learned.LinearModel:
    """A conditional logit: one weight per feature, the softmax taken over each figure's candidates; maximum
    likelihood with an L2 penalty, by L-BFGS (scipy, which scikit-learn brings)."""
    from collections import Counter

    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    counts = Counter(name for cands, _, _ in rows for _, f in cands for name in f)
    vec = DictVectorizer()
    x = vec.fit_transform([{k: v for k, v in f.items() if counts[k] >= min_count}
                           for cands, _, _ in rows for _, f in cands]).tocsr()
    sizes = [len(cands) for cands, _, _ in rows]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    right = offsets[:-1] + np.array([i for _, i, _ in rows])
    group = np.repeat(np.arange(len(rows)), sizes)
    right_sum = np.asarray(x[right].sum(axis=0)).ravel()

    def loss(w):
        s = x @ w
        top = np.maximum.reduceat(s, offsets[:-1])
        e = np.exp(s - top[group])
        z = np.add.reduceat(e, offsets[:-1])
        likelihood = (s[right] - top - np.log(z)).sum()
        return -likelihood + 0.5 * l2 * w @ w, x.T @ (e / z[group]) - right_sum + l2 * w

    w = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 3000}).x
    weights = {str(n): (round(float(v), 3),) for n, v in zip(vec.get_feature_names_out(), w) if abs(v) >= PRUNE}
    return learned.LinearModel(("score",), (0.0,), weights, {})


def digest(rows) -> str:
    """A digest of the training examples, stored with the model, so a test can tell a model trained on other data."""
    h = hashlib.sha256()
    for f, gold, _ in rows:
        if isinstance(f, list):  # the place model's: candidates, each (place, features)
            f = [[pid or "", sorted(feats)] for pid, feats in f]
        h.update(json.dumps([sorted(f), gold], ensure_ascii=False).encode())
    return h.hexdigest()


def fit(rows, c: float = C, min_count: int = MIN_COUNT):
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for f, _, _ in rows for name in f)
    vec = DictVectorizer()
    x = vec.fit_transform([{k: v for k, v in f.items() if counts[k] >= min_count} for f, _, _ in rows])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, [g for _, g, _ in rows])
    return vec, model


def export(vec, model, meta: dict) -> learned.LinearModel:
    """Plain weights; a two-class model (one row of weights) as two rows, the first all zero, so that the softmax of
    the two scores is the logistic function of the one."""
    coef, intercept = model.coef_, list(model.intercept_)
    if coef.shape[0] == 1:
        coef = [[0.0] * coef.shape[1], list(coef[0])]
        intercept = [0.0, intercept[0]]
    else:
        coef = [list(row) for row in coef]
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        column = [float(row[j]) for row in coef]
        if max(abs(w) for w in column) >= PRUNE:
            weights[str(name)] = tuple(round(w, 3) for w in column)
    return learned.LinearModel(tuple(str(c) for c in model.classes_),
                               tuple(round(float(b), 3) for b in intercept), weights, meta)


def rounds() -> dict[str, int]:
    """The labelling round of each development source's address: 1 for the first set, N for `*_devN.jsonl`."""
    out = {}
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        m = re.search(r"_dev(\d+)", path.name)
        for r in read(path):
            out.setdefault(r["url"], int(m.group(1)) if m else 1)
    return out


def _by_round(dev: list[dict]) -> dict[int, list[dict]]:
    of = rounds()
    by_round: dict[int, list] = {}
    for r in dev:
        by_round.setdefault(of[r["url"]], []).append(r)
    return by_round


def check(dev: list[dict]) -> None:
    """Leave one labelling round out: train on the others, judge the one left out, model against rules."""
    by_round = _by_round(dev)
    figures = {k: figure_examples(v) for k, v in by_round.items()}
    print("figure model: numbers the rules drop for want of a counted noun, and those the model keeps")
    print("round  dropped  figures  kept  of them figures")
    total = [0, 0, 0, 0]
    for k in sorted(figures):
        stored = export(*fit([e for j, rows in figures.items() if j != k for e in rows], FIGURE_C, FIGURE_MIN_COUNT),
                        {})
        test = figures[k]
        kept = [g for f, g, _ in test if stored.judge(f, "drop", learned.MIN_FIGURE_PROBABILITY).label == "keep"]
        row = [len(test), sum(g == "keep" for _, g, _ in test), len(kept), kept.count("keep")]
        total = [a + b for a, b in zip(total, row)]
        print(f"{k:>5}  {row[0]:>7}  {row[1]:>7}  {row[2]:>4}  {row[3]:>4}")
    print(f"  all  {total[0]:>7}  {total[1]:>7}  {total[2]:>4}  {total[3]:>4}")
    cached = {k: examples(v) for k, v in by_round.items()}
    print("\nmeasure model: figures found with a labelled figure's value and place; share with the measure right")
    print("round  figures  rules  model")
    marked = {"measure": [[0, 0], [0, 0]], "place": [[0, 0], [0, 0]]}  # [below, at or above] x [right, figures]
    for k in sorted(cached):
        stored = export(*fit([e for j, rows in cached.items() if j != k for e in rows]), {})
        test = cached[k]
        rules = sum(g == m for _, g, m in test) / len(test)
        judged = [(stored.judge(f, m), g) for f, g, m in test]
        for j, g in judged:
            tally = marked["measure"][j.probability >= learned.CHECK_MEASURE_BELOW]
            tally[0] += j.label == g
            tally[1] += 1
        right = sum(j.label == g for j, g in judged) / len(test)
        print(f"{k:>5}  {len(test):>7}  {rules:.3f}  {right:.3f}")
    places = {k: place_examples(v) for k, v in by_round.items()}
    print("\nplace model: figures found with a labelled figure's value; share with the place right")
    print("round  figures  rules  model")
    total = [0, 0, 0]
    for k in sorted(places):
        stored = fit_place([e for j, rows in places.items() if j != k for e in rows])
        test = places[k]
        rules = sum(cands[i][0] == ruled for cands, i, ruled in test)
        right = 0
        for cands, i, ruled in test:
            choice = learned_place.choose(stored, cands, ruled)
            tally = marked["place"][choice.probability >= learned_place.CHECK_BELOW]
            tally[0] += choice.place_id == cands[i][0]
            tally[1] += 1
            right += choice.place_id == cands[i][0]
        total = [total[0] + len(test), total[1] + rules, total[2] + right]
        print(f"{k:>5}  {len(test):>7}  {rules / len(test):.3f}  {right / len(test):.3f}")
    print(f"  all  {total[0]:>7}  {total[1] / total[0]:.3f}  {total[2] / total[0]:.3f}")
    print("\nmarked for review (`check`): the share right of the figures whose measure or place the model gives a "
          "share below the threshold, and of the rest")
    for part, below in (("measure", learned.CHECK_MEASURE_BELOW), ("place", learned_place.CHECK_BELOW)):
        (lo_right, lo_n), (hi_right, hi_n) = marked[part]
        print(f"{part:>8}  below {below:.2f}: {lo_n} figures, {lo_right / max(lo_n, 1):.3f} right;  "
              f"the rest: {hi_n} figures, {hi_right / max(hi_n, 1):.3f} right")


def _meta(rows, dev: list[dict], threshold: float, **settings) -> dict:
    import sklearn

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1]).stdout.strip() or None
    return {"trained": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ"), "rules_commit": commit,
            "training_set": "the development part of tests/fixtures/extractor/eval (docs/extractor-evaluation.md)",
            "sources": len({r["url"] for r in dev}), "examples": len(rows), "examples_sha256": digest(rows),
            **settings, "prune": PRUNE, "min_probability": threshold, "scikit_learn": sklearn.__version__}


def _store(path: Path, stored: learned.LinearModel, rows) -> learned.LinearModel:
    path.write_text(json.dumps(stored.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    learned.load.cache_clear()
    print(f"{len(rows)} examples, {len(stored.weights)} features, {len(stored.classes)} classes -> {path}")
    return stored


@contextmanager
def in_place(models: dict[Path, learned.LinearModel]):
    """Within the block the extractor reads `models` (keyed by their stored paths: learned.FIGURE_PATH,
    learned.MEASURE_PATH, learned_place.PLACE_PATH) instead of the files, and none where `models` has none: to use
    models trained on part of the set, writing nothing."""
    real = learned.load
    learned.load = lambda path=learned.MEASURE_PATH: models.get(path)
    try:
        yield
    finally:
        learned.load = real


def train(dev: list[dict]) -> dict[Path, tuple[learned.LinearModel, list]]:
    """The three models trained on `dev`, in order, each with the ones before it in place, with their training
    examples; keyed by the path each is stored at. Nothing is written."""
    out = {}
    rows = figure_examples(dev)
    out[learned.FIGURE_PATH] = (export(*fit(rows, FIGURE_C, FIGURE_MIN_COUNT),
                                       _meta(rows, dev, learned.MIN_FIGURE_PROBABILITY, C=FIGURE_C,
                                             min_count=FIGURE_MIN_COUNT)), rows)
    with in_place({path: model for path, (model, _) in out.items()}):
        rows = examples(dev)
    out[learned.MEASURE_PATH] = (export(*fit(rows, C, MIN_COUNT),
                                        _meta(rows, dev, learned.MIN_PROBABILITY, C=C, min_count=MIN_COUNT)), rows)
    with in_place({path: model for path, (model, _) in out.items()}):
        rows = place_examples(dev)
    model = fit_place(rows)
    meta = _meta(rows, dev, learned_place.MIN_PROBABILITY, L2=PLACE_L2, min_count=MIN_COUNT)
    out[learned_place.PLACE_PATH] = (learned.LinearModel(model.classes, model.intercept, model.weights, meta), rows)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="cross-validate by round; write nothing")
    args = ap.parse_args()
    dev, _ = split(load_all())
    if args.check:
        check(dev)
        return 0
    for path, (model, rows) in train(dev).items():
        _store(path, model, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
