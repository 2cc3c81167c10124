"""A learned second opinion on each figure's measure.

The rules name a measure for every figure they keep (`extract._measure`). On text they have never seen they are
right for about three figures in four; readers of the evaluation set decide some edges by words the rules do not
weigh together. This module holds a linear model (a multinomial logistic regression) that reads the rules'
measure with the words around the number, of its sentence, of the sentence before and of the headline, and names
the measure again. It was trained by `tools/train_measure.py` on the development part of the evaluation set only
(docs/extractor-evaluation.md) and is stored as plain weights in `measure_model.json`, so reading it needs no
machine-learning library, and `borderstats extract --explain` can show the words that moved it.

Pure functions: `features` turns a figure in its text into named features; `MeasureModel.judge` scores them.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("measure_model.json")
WORD = re.compile(r"[a-z]+")
PREFIX = 7  # words are cut to their first 7 letters: "returned" and "returnees" share "returne"
WINDOW = 4  # words read on each side of the number, within its sentence
REACH = 60  # characters read on each side of the number for those words
MIN_PROBABILITY = 0.5  # the model overrides the rules only when its measure is more likely than not


def _words(s: str) -> list[str]:
    return [w[:PREFIX] for w in WORD.findall(s)]


def around(spans: list[tuple[int, int]], starts: list[int], at: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The sentence holding offset `at` and the one before it (None for the first); `starts`: the spans' starts."""
    k = max(0, bisect.bisect_right(starts, at) - 1)
    return spans[k], (spans[k - 1] if k > 0 else None)


def features(folded: str, sentence: tuple[int, int], previous: tuple[int, int] | None, start: int, end: int,
             measure: str, folded_title: str | None = None) -> dict[str, float]:
    """The named features of the number at folded[start:end] in `sentence`, whose rules gave `measure`.
    `folded` is the folded text (extractor.text.fold); `previous` the sentence before, if any."""
    s0, s1 = sentence
    f = {f"rule={measure}": 1.0}
    for w in set(_words(folded[s0:s1])):
        f[f"s:{w}"] = 1.0
    for w in _words(folded[max(s0, start - REACH):start])[-WINDOW:]:
        f[f"b:{w}"] = 1.0
    for w in _words(folded[end:min(s1, end + REACH)])[:WINDOW]:
        f[f"a:{w}"] = 1.0
    if previous:
        for w in set(_words(folded[previous[0]:previous[1]])):
            f[f"p:{w}"] = 1.0
    if folded_title:
        for w in set(_words(folded_title)):
            f[f"t:{w}"] = 1.0
    return f


FEATURE_KINDS = {"rule": "the rules' measure", "s": "in the sentence", "b": "just before the number",
                 "a": "just after the number", "p": "in the sentence before", "t": "in the headline"}


def describe(feature: str) -> str:
    """'b:returne' -> '"returne…" just before the number'."""
    if feature.startswith("rule="):
        return f"the rules said {feature[5:]}"
    kind, _, word = feature.partition(":")
    return f"\"{word}\" {FEATURE_KINDS.get(kind, kind)}"


@dataclass(frozen=True)
class Judgement:
    measure: str
    probability: float
    reasons: list[tuple[str, float]] = field(default_factory=list)  # (feature, weight toward `measure` over the rules')


@dataclass(frozen=True)
class MeasureModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    meta: dict

    @classmethod
    def from_dict(cls, d: dict) -> MeasureModel:
        """Read the stored form: weights in thousandths, as integers (`to_dict`)."""
        classes = tuple(d["classes"])
        scale = d.get("scale", 1)
        weights = {k: tuple(w / scale for w in v) for k, v in d["weights"].items()}
        if len(d["intercept"]) != len(classes) or any(len(v) != len(classes) for v in weights.values()):
            raise ValueError("measure model: every weight needs one number per class")
        return cls(classes, tuple(b / scale for b in d["intercept"]), weights, d.get("meta", {}))

    def to_dict(self, scale: int = 1000) -> dict:
        def q(ws):
            return [round(w * scale) for w in ws]
        return {"meta": self.meta, "classes": list(self.classes), "scale": scale, "intercept": q(self.intercept),
                "weights": {k: q(v) for k, v in sorted(self.weights.items())}}

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        scores = list(self.intercept)
        for name, x in feats.items():
            w = self.weights.get(name)
            if w:
                for i, wi in enumerate(w):
                    scores[i] += wi * x
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def judge(self, feats: dict[str, float], rules_measure: str, reasons: int = 4) -> Judgement:
        """The model's measure where it gives it at least MIN_PROBABILITY, else the rules' measure;
        `reasons`: the features that most favour the model's measure over the rules'."""
        probs = self.probabilities(feats)
        best = max(self.classes, key=lambda c: (probs[c], c == rules_measure))
        if best != rules_measure and probs[best] < MIN_PROBABILITY:
            return Judgement(rules_measure, probs.get(rules_measure, 0.0))
        why: list[tuple[str, float]] = []
        if best != rules_measure and rules_measure in self.classes:
            i, j = self.classes.index(best), self.classes.index(rules_measure)
            pulls = [(name, self.weights[name][i] - self.weights[name][j])
                     for name in feats if name in self.weights]
            why = sorted((p for p in pulls if p[1] > 0), key=lambda p: -p[1])[:reasons]
        return Judgement(best, probs[best], why)


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> MeasureModel | None:
    """The stored model, or None when there is none (the rules' measure then stands)."""
    if not path.exists():
        return None
    return MeasureModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
