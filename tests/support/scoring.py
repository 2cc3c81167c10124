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
