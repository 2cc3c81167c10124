"""Precision and recall of the extractor on a set of cases."""
from __future__ import annotations

from collections import Counter


def score(cases, run) -> dict:
    """`run(text) -> list of (metric, value, qualifier, place_id)`; tuples compared exactly."""
    tp = fp = fn = 0
    misses = []
    for text, expected in cases:
        got = Counter(run(text))
        want = Counter(tuple(e) for e in expected)
        hit = sum((got & want).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(want.values()) - hit
        if got != want:
            misses.append((text, sorted(want.elements(), key=str), sorted(got.elements(), key=str)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn, "misses": misses}


def score_passages(records, run) -> dict:
    """Precision and recall on the evaluation set's passages, at two strictnesses:
    `place`: value and place right; `full`: value, place, qualifier and measure right.
    `run(text, published) -> list of (measure, value, qualifier, place_id)`."""
    out = {}
    got_all = [run(r["text"], r.get("published")) for r in records]
    for level, key in (("place", lambda f: (float(f[1]), f[3])), ("full", lambda f: (float(f[1]), f[3], f[2], f[0]))):
        tp = fp = fn = 0
        misses = []
        for r, got_raw in zip(records, got_all):
            want = Counter(key((f["measure"], f["value"], f["qualifier"], f["place_id"])) for f in r["figures"])
            got = Counter(key(g) for g in got_raw)
            hit = sum((got & want).values())
            tp += hit
            fp += sum(got.values()) - hit
            fn += sum(want.values()) - hit
            if got != want:
                misses.append((r["source"], r["text"], sorted(want.elements(), key=str), sorted(got.elements(), key=str)))
        out[level] = {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
                      "tp": tp, "fp": fp, "fn": fn, "misses": misses}
    return out
