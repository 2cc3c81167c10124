"""Two learned second opinions on the rules' figures: whether a number with no counted noun is a figure, and what
each kept figure measures.

The rules (`extract._decide`) drop a number when they find no counted noun for it, and name a measure for every
figure they keep. On text they have never seen they keep about four figures in five and name the measure right for
about three in four; readers of the evaluation set decide by words the rules do not weigh together. This module
holds two linear models (logistic regressions) over the words around the number, of its sentence, of the sentence
before and of the headline:

- the *figure* model reads a number the rules would drop for want of a counted noun, with how it is written, and
  keeps it where it is a figure with probability at least MIN_FIGURE_PROBABILITY;
- the *measure* model reads a kept figure with the rules' measure (and which measures' words, as the rules know
  them, occur near it, in its sentence, the sentence before and the headline), and names the measure again; its
  measure stands where its probability is at least MIN_PROBABILITY.

Both were trained by `tools/train_learned.py` on the development part of the evaluation set only
(docs/extractor-evaluation.md) and are stored as plain weights in JSON, so reading them needs no machine-learning
library, and `borderstats extract --explain` can show the words that moved them.

Pure functions: `features` and `figure_features` turn a number in its text into named features;
`LinearModel.judge` scores them.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import EtlError

MEASURE_PATH = Path(__file__).with_name("measure_model.json")
FIGURE_PATH = Path(__file__).with_name("figure_model.json")
PARTS = ("figure", "measure", "place")  # what the models may decide (the place model: learned_place.py), each of
#                                        which `extract.explain(learned=...)` can leave out
WORD = re.compile(r"[a-z]+")
PREFIX = 7  # words are cut to their first 7 letters: "returned" and "returnees" share "returne"
WINDOW = 4  # words read on each side of the number, within its sentence
REACH = 60  # characters read on each side of the number for those words
CLASS_REACH = 40  # characters read on each side of the number for the rules' measure words
STORY_REACH = 600  # characters read on each side of the number, within its paragraph, for the words of its story
#                   (the evaluation set's quotes hold at most 600): leaving one round out, 0.8081 -> 0.8124 of the
#                   measures right (rounds 15-27 0.786 -> 0.793). Not bounded by the paragraph, 0.8140, but a long
#                   article's neighbouring paragraphs then outvoted the counted noun ("25 vehicles burning" -> other)
MIN_PROBABILITY = 0.7  # the measure model overrides the rules only when this sure (0.5 to 0.7: 0.806 to 0.810 of
#                         the measures right, leaving one labelling round out)
MIN_FIGURE_PROBABILITY = 0.7  # the figure model keeps a number the rules drop only when this sure
CHECK_MEASURE_BELOW = 0.9  # a measure given with a smaller share is marked for review: leaving one labelling round
#                             out, 0.58 of those are right against 0.90 of the rest (docs/extractor-evaluation.md)


def words(s: str) -> list[str]:
    """The words of folded text, each cut to its first PREFIX letters (the learned models read words so)."""
    return [w[:PREFIX] for w in WORD.findall(s)]


def around(spans: list[tuple[int, int]], starts: list[int], at: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The sentence holding offset `at` and the one before it (None for the first); `starts`: the spans' starts."""
    k = max(0, bisect.bisect_right(starts, at) - 1)
    return spans[k], (spans[k - 1] if k > 0 else None)


def features(folded: str, sentence: tuple[int, int], previous: tuple[int, int] | None, start: int, end: int,
             measure: str, folded_title: str | None = None, value: float | None = None,
             story: bool = True) -> dict[str, float]:
    """The named features of the number at folded[start:end] in `sentence`, whose rules gave `measure`.
    `folded` is the folded text (extractor.text.fold); `previous` the sentence before, if any; `value` the number's
    value, whose size in digits the measure model reads (tens of thousands are encounters or returns more often than
    homicides: leaving one round out, 0.8065 -> 0.8108 of the measures right); with `story`, the words of its
    paragraph within STORY_REACH characters, sentence included (what the story is about: a camp, a court, a
    massacre)."""
    s0, s1 = sentence
    f = {f"rule={measure}": 1.0}
    for w in set(words(folded[s0:s1])):
        f[f"s:{w}"] = 1.0
    if story:
        for w in set(words(folded[story_span(folded, start, end)])):
            f[f"d:{w}"] = 1.0
    for w in words(folded[max(s0, start - REACH):start])[-WINDOW:]:
        f[f"b:{w}"] = 1.0
    for w in words(folded[end:min(s1, end + REACH)])[:WINDOW]:
        f[f"a:{w}"] = 1.0
    if previous:
        for w in set(words(folded[previous[0]:previous[1]])):
            f[f"p:{w}"] = 1.0
    if folded_title:
        for w in set(words(folded_title)):
            f[f"t:{w}"] = 1.0
    # the rules' measure words (measures.PATTERNS) as classes: "carpas" and "tents" are one feature where the
    # training set holds only one of them. MPP's measures only in a text about MPP, as the rules read them.
    mpp = _about_mpp(folded) or (folded_title is not None and _about_mpp(folded_title))
    if mpp:
        f["ctx:mpp"] = 1.0
    segments = [("cs", folded[s0:s1]), ("cw", folded[max(s0, start - CLASS_REACH):min(s1, end + CLASS_REACH)]),
                ("cp", folded[previous[0]:previous[1]] if previous else ""), ("ct", folded_title or "")]
    for kind, segment in segments:
        for m in _classes(segment):
            if mpp or not m.startswith("mpp_"):
                f[f"{kind}:{m}"] = 1.0
    _clause_features(f, folded, s0, s1, start, end)
    if value is not None:
        f[f"digits={min(len(str(int(value))), 7)}"] = 1.0
    return f


def story_span(folded: str, start: int, end: int) -> slice:
    """The number's paragraph (up to a line break on each side: extractor.text turns a page's blocks into lines), at
    most STORY_REACH characters on each side of it."""
    first = max(folded.rfind("\n", 0, start) + 1, start - STORY_REACH)
    last = folded.find("\n", end)
    return slice(max(0, first), min(len(folded) if last < 0 else last, end + STORY_REACH))


CLAUSE_BREAK = re.compile(r"[,;:()]")


def _clause_features(f: dict[str, float], folded: str, s0: int, s1: int, start: int, end: int) -> None:
    """The words of the number's own clause (up to a comma, semicolon, colon or bracket) on each side, and the
    measure whose words (as the rules find them in the whole text: measures.hits_within, a word inside a longer one
    left out) come nearest before and nearest after it in the sentence: in "938
    decesos, seguidos por los suicidios" the clause is about deaths, whatever the sentence's other clauses name.
    MPP's words count here in any text: they are evidence, not a verdict (outside a text about MPP, "devueltos"
    next to a number tells the model something even where it is no MPP measure). Leaving one labelling round out,
    these moved the measures right from 0.801 to 0.808 (rounds 15-26: 0.779 to 0.786); reading MPP's words only in
    a text about MPP, 0.806 and 0.785."""
    for kind, clause in (("ca", CLAUSE_BREAK.split(folded[end:s1], 1)[0]),
                         ("cb", CLAUSE_BREAK.split(folded[s0:start])[-1])):
        for w in set(words(clause)):
            f[f"{kind}:{w}"] = 1.0
    from .measures import hits_within

    before = after = None
    for m, a, b, _ in hits_within(folded, s0, s1):
        if b <= start and (before is None or start - b < before[0]):
            before = (start - b, m)
        elif a >= end and (after is None or a - end < after[0]):
            after = (a - end, m)
    if before:
        f[f"nb:{before[1]}"] = 1.0
    if after:
        f[f"na:{after[1]}"] = 1.0


@lru_cache(maxsize=4096)
def _classes(segment: str) -> tuple[str, ...]:
    """The measures whose words (measures.PATTERNS) occur in `segment`."""
    from .measures import PATTERNS

    return tuple(m for m, pattern in PATTERNS if pattern.search(segment)) if segment else ()


@lru_cache(maxsize=64)
def _about_mpp(folded: str) -> bool:
    """Whether the text names MPP (measures.MPP_CONTEXT), once per text."""
    from .measures import MPP_CONTEXT

    return bool(MPP_CONTEXT.search(folded))


def figure_features(folded: str, sentence: tuple[int, int], previous: tuple[int, int] | None, start: int, end: int,
                    form: str, value: float, folded_title: str | None = None) -> dict[str, float]:
    """The named features of a number with no counted noun: the words of `features` with its clause's words and
    nearest measure words (leaving one round out, the model keeps 636 numbers, 540 of them figures, against 613 and
    515 without them), not the story's (620 and 508), how it is written (numbers.Number.form), its number of digits,
    and the characters just around it."""
    f = features(folded, sentence, previous, start, end, "", folded_title, story=False)
    del f["rule="]
    f[f"form={form}"] = 1.0
    f[f"digits={min(len(str(int(value))), 7)}"] = 1.0
    f[f"next={folded[end:end + 1] or 'end'}"] = 1.0
    f[f"before={folded[max(0, start - 2):start]}"] = 1.0
    return f


FEATURE_KINDS = {"rule": "the rules' measure", "s": "in the sentence", "d": "in the story",
                 "b": "just before the number", "a": "just after the number", "p": "in the sentence before",
                 "t": "in the headline"}
FEATURE_KINDS.update({"ca": "in the number's clause, after it", "cb": "in the number's clause, before it"})
CLASS_KINDS = {"cs": "in the sentence", "cw": "near the number", "cp": "in the sentence before", "ct": "in the headline",
               "nb": "nearest before the number", "na": "nearest after the number"}


def describe(feature: str) -> str:
    """'b:returne' -> '"returne…" just before the number'."""
    if feature.startswith("rule="):
        return f"the rules said {feature[5:]}"
    if "=" in feature and ":" not in feature:
        return feature.replace("=", " ", 1)
    kind, _, word = feature.partition(":")
    if feature == "ctx:mpp":
        return "a text about MPP"
    if kind in CLASS_KINDS:
        return f"a word of {word} {CLASS_KINDS[kind]}"
    return f"\"{word}\" {FEATURE_KINDS.get(kind, kind)}"


@dataclass(frozen=True)
class Judgement:
    label: str
    probability: float
    reasons: list[tuple[str, float]] = field(default_factory=list)  # (feature, weight toward `label` over the default)


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    meta: dict

    @classmethod
    def from_dict(cls, d: dict) -> LinearModel:
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

    def __post_init__(self) -> None:  # the weights as one matrix, a row per feature, for a fast sum
        names = list(self.weights)
        object.__setattr__(self, "_rows", {name: i for i, name in enumerate(names)})
        object.__setattr__(self, "_matrix", np.array([self.weights[n] for n in names], dtype=float).reshape(
            len(names), len(self.classes)))

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        """The softmax of the intercepts plus the weights of the features present, each times its value."""
        hits = [(self._rows[name], x) for name, x in feats.items() if name in self._rows]
        scores = np.array(self.intercept, dtype=float)
        if hits:
            rows, xs = zip(*hits)
            scores = scores + np.asarray(xs) @ self._matrix[list(rows)]
        exp = np.exp(scores - scores.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist()))

    def judge(self, feats: dict[str, float], default: str, threshold: float = MIN_PROBABILITY,
              reasons: int = 4) -> Judgement:
        """The model's label where it gives it at least `threshold`, else `default` (the rules' answer);
        `reasons`: the features that most favour the model's label over the default."""
        probs = self.probabilities(feats)
        best = max(self.classes, key=lambda c: (probs[c], c == default))
        if best != default and probs[best] < threshold:
            return Judgement(default, probs.get(default, 0.0))
        why: list[tuple[str, float]] = []
        if best != default and default in self.classes:
            i, j = self.classes.index(best), self.classes.index(default)
            pulls = [(name, self.weights[name][i] - self.weights[name][j])
                     for name in feats if name in self.weights]
            why = sorted((p for p in pulls if p[1] > 0), key=lambda p: -p[1])[:reasons]
        return Judgement(best, probs[best], why)

    def because(self, judgement: Judgement) -> str:
        return "; ".join(f"{describe(f)} ({w:+.1f})" for f, w in judgement.reasons)


class DamagedModel(EtlError, ValueError):
    """A stored model that cannot be read: the command line reports it without a traceback."""


@lru_cache(maxsize=4)
def load(path: Path = MEASURE_PATH) -> LinearModel | None:
    """A stored model, or None when there is none (the rules' answer then stands)."""
    if not path.exists():
        return None
    try:
        return LinearModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as e:  # json.JSONDecodeError is a ValueError
        raise DamagedModel(f"the learned model {path} is damaged ({e}); reinstall it, retrain it with "
                         "python tools/train_learned.py, or run with --rules-only") from e
