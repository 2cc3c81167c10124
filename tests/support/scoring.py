"""Precision and recall of the extractor on a set of cases."""
from __future__ import annotations

from collections import Counter


def _tally(pairs) -> dict:
    """Precision, recall and the misses over (label, got, want) triples, got and want being lists of tuples."""
    tp = fp = fn = 0
    misses = []
    for label, got_list, want_list in pairs:
        got, want = Counter(got_list), Counter(want_list)
        hit = sum((got & want).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(want.values()) - hit
        if got != want:
            misses.append((*label, sorted(want.elements(), key=str), sorted(got.elements(), key=str)))
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp, "fp": fp, "fn": fn, "misses": misses}


def score(cases, run) -> dict:
    """`run(text) -> list of (metric, value, qualifier, place_id)`; tuples compared exactly."""
    return _tally(((text,), run(text), [tuple(e) for e in expected]) for text, expected in cases)


def score_passages(records, run) -> dict:
    """Precision and recall on the evaluation set's passages, at two strictnesses:
    `place`: value and place right; `full`: value, place, qualifier and measure right.
    `run(text, published) -> list of (measure, value, qualifier, place_id)`."""
    return tally_passages(records, [run(r["text"], r.get("published"), r.get("title")) for r in records])


def tally_passages(records, got_all) -> dict:
    """score_passages of what was found already: `got_all`, one list of (measure, value, qualifier, place_id) for
    each record, in order."""
    keys = {"place": lambda f: (float(f[1]), f[3]), "full": lambda f: (float(f[1]), f[3], f[2], f[0])}
    return {level: _tally(((r["source"], r["text"]), [key(g) for g in got],
                           [key((f["measure"], f["value"], f["qualifier"], f["place_id"])) for f in r["figures"]])
                          for r, got in zip(records, got_all))
            for level, key in keys.items()}
