"""Train the learned measure model (etl/extractor/learned.py) on the development part of the evaluation set.

    python tools/train_measure.py            # write etl/extractor/measure_model.json
    python tools/train_measure.py --check    # cross-validate by labelling round, write nothing

Needs the `train` extra (scikit-learn). Only the development part is read: the held-out part never trains the
model. Each figure the rules keep with the value and place of a labelled figure is one example: its features
(extractor.learned.features, computed with the rules' own measure) and the measure the reader gave it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl.config import reference_dir  # noqa: E402
from etl.extractor import learned  # noqa: E402
from etl.extractor.extract import PlaceIndex, explain, parse_published  # noqa: E402
from etl.extractor.text import fold, sentences  # noqa: E402
from etl.gazetteer import Gazetteer  # noqa: E402
from tests.support.evalset import EVAL_DIR, load_all, read, split  # noqa: E402

C = 3.0  # inverse strength of the L2 penalty, chosen by cross-validation by round (docs/extractor-evaluation.md)
PRUNE = 1e-3  # weights smaller than this for every class are not stored
MIN_COUNT = 3  # features seen in fewer training figures than this are left out (same accuracy, a quarter the size)


def examples(records: list[dict]) -> list[tuple[dict, str, str]]:
    """(features, the reader's measure, the rules' measure) of each rules' figure that matches a labelled one."""
    gazetteer = Gazetteer.load(reference_dir())
    places = PlaceIndex(gazetteer)
    out = []
    for r in records:
        pub = r.get("published")
        try:
            when = parse_published(pub) if pub and len(pub) == 10 else None
        except ValueError:
            when = None
        text, title = r["text"], r.get("title")
        folded, spans = fold(text), sentences(text)
        starts = [s for s, _ in spans]
        gold = list(r["figures"])
        for d in explain(text, gazetteer, published=when, places=places, title=title, learned=False):
            if not d.kept:
                continue
            c = d.candidate
            hit = next((f for f in gold if float(f["value"]) == float(c.value) and f["place_id"] == c.place_id),
                       None)
            if hit is None:
                continue
            gold.remove(hit)
            sentence, previous = learned.around(spans, starts, d.start)
            out.append((learned.features(folded, sentence, previous, d.start, d.end, c.metric,
                                         fold(title) if title else None), hit["measure"], c.metric))
    return out


def digest(rows) -> str:
    """A digest of the training examples, stored with the model, so a test can tell a model trained on other data."""
    h = hashlib.sha256()
    for f, gold, _ in rows:
        h.update(json.dumps([sorted(f), gold], ensure_ascii=False).encode())
    return h.hexdigest()


def fit(rows):
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for f, _, _ in rows for name in f)
    vec = DictVectorizer()
    x = vec.fit_transform([{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f, _, _ in rows])
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(x, [g for _, g, _ in rows])
    return vec, model


def export(vec, model, meta: dict) -> learned.MeasureModel:
    coef = model.coef_
    weights = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        column = [float(coef[i, j]) for i in range(coef.shape[0])]
        if max(abs(w) for w in column) >= PRUNE:
            weights[str(name)] = tuple(round(w, 3) for w in column)
    return learned.MeasureModel(tuple(str(c) for c in model.classes_),
                                tuple(round(float(b), 3) for b in model.intercept_), weights, meta)


def rounds() -> dict[str, int]:
    """The labelling round of each development source's address: 1 for the first set, N for `*_devN.jsonl`."""
    out = {}
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        m = re.search(r"_dev(\d+)", path.name)
        for r in read(path):
            out.setdefault(r["url"], int(m.group(1)) if m else 1)
    return out


def check(dev: list[dict]) -> None:
    """Leave one labelling round out: train on the others, count measures right on it, model against rules."""
    of = rounds()
    by_round: dict[int, list] = {}
    for r in dev:
        by_round.setdefault(of[r["url"]], []).append(r)
    cached = {k: examples(v) for k, v in by_round.items()}
    print("round  figures  rules  model")
    for k in sorted(cached):
        train = [e for j, rows in cached.items() if j != k for e in rows]
        stored = export(*fit(train), {})
        test = cached[k]
        rules = sum(g == m for _, g, m in test) / len(test)
        right = sum(stored.judge(f, m).measure == g for f, g, m in test) / len(test)
        print(f"{k:>5}  {len(test):>7}  {rules:.3f}  {right:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="cross-validate by round; write nothing")
    ap.add_argument("--out", type=Path, default=learned.MODEL_PATH)
    args = ap.parse_args()
    dev, _ = split(load_all())
    if args.check:
        check(dev)
        return 0
    rows = examples(dev)
    vec, model = fit(rows)
    import sklearn

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1]).stdout.strip() or None
    meta = {"trained": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%MZ"), "rules_commit": commit,
            "training_set": "the development part of tests/fixtures/extractor/eval (docs/extractor-evaluation.md)",
            "sources": len({r["url"] for r in dev}), "examples": len(rows), "examples_sha256": digest(rows), "C": C, "prune": PRUNE, "min_count": MIN_COUNT,
            "min_probability": learned.MIN_PROBABILITY,
            "scikit_learn": sklearn.__version__}
    stored = export(vec, model, meta)
    args.out.write_text(json.dumps(stored.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    learned.load.cache_clear()
    print(f"{len(rows)} examples, {len(stored.weights)} features, {len(stored.classes)} measures -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
