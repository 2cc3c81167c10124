"""A learned second opinion on where each kept figure counts: the rules' place, another place the text names, or
none.

The rules (`places.place_for`) name a place for about nine kept figures in ten as the evaluation set's readers do;
most of the rest are a place where the readers saw none or none where they saw one, around the same few cities,
decided by what the rest of the text says (how often it names a city, whether the sentence speaks of "this city" or
"the whole country"). This model weighs those things together: for each kept figure it scores every candidate
(no place; each place named within SENTENCES_AROUND sentences of it, the dateline's and the headline's; the rules'
place, even when the text names it in a way the place index does not find) and takes the best one where its share of the softmax over the candidates is at least
MIN_PROBABILITY. It is a conditional logit (one weight per feature, shared by all candidates), trained by
`tools/train_learned.py` on the development part of the evaluation set only and stored as plain weights in JSON, so
reading it needs no machine-learning library.

Pure functions: `PlaceText.of` gathers what the model reads of a whole text once; `candidates` names the features
of each candidate place of one figure; `choose` scores them.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .learned import CLAUSE_BREAK, LinearModel, words
from .places import Mention

PLACE_PATH = Path(__file__).with_name("place_model.json")
MIN_PROBABILITY = 0.5  # the model overrides the rules only when its place has at least this share (leaving one
#                        labelling round out, the first version: 0.5 0.906 of the places right, 0.6 0.903, no
#                        threshold 0.906)
# the sentence speaks of a place it does not name: "this city", "la entidad"
ANAPHOR = re.compile(r"\b(?:this (?:city|border city|town|state|municipality)|the (?:city|state|town|municipality)|"
                     r"esta (?:ciudad|entidad|frontera|localidad)|la (?:ciudad|entidad|localidad)|"
                     r"el (?:estado|municipio)|este (?:estado|municipio)|dicha ciudad|local|locales|here|aqui|"
                     r"municipal|estatal|statewide)\b")
# the sentence speaks of a whole country or the whole border
WIDE = re.compile(r"\b(?:nacional|national|nationwide|pais|country|border-?wide|along the border|a lo largo|"
                  r"toda la frontera|u\.?s\.?|estados unidos|united states|mexico|federal|all|todo|todos|total)\b")
DISTANCES = (3, 10, 25, 60, 150)  # characters between the number and the place, in buckets
CHECK_BELOW = 0.8  # a place given with a smaller share is marked for review: leaving one labelling round out, 0.63
#                     of those are right against 0.96 of the rest (docs/extractor-evaluation.md)
SENTENCES_AROUND = 5  # places named this many sentences before or after the figure's are candidates (and the
#                       dateline's and the headline's): the evaluation set's passages are one to three sentences,
#                       and a long text must not make every figure look at every place it names


def rule_kind(rule: str) -> str:
    """The rules' reason for their place without the names in it: "nearest place in the figure's clause (juarez)"
    -> "nearest_place_in_the_figure's"; "'across the state': the state of the city named last before it (mexicali)"
    -> "the_state_of_the_city"; "the dateline's city (tijuana), which the sentence calls 'the city'" ->
    "the_dateline's_city_which_the"."""
    # a quote opens after a space or a bracket, not at "the dateline's" (which made "the_datelinethe_city'")
    w = re.sub(r"\([^)]*\)|(?<!\w)'[^']*'|\"[^\"]*\"", "", rule or "")
    part = next((p for p in re.split(r"[:;]", w) if p.strip()), "")  # "'la entidad': the state named last ..."
    return "_".join(part.replace(",", " ").split()[:5]) or "none"


@dataclass(frozen=True)
class PlaceText:
    """What the model reads of a whole text: its sentences, the places it and its headline name, its dateline's
    place, how often each place is named, and the one named most often (None where two tie)."""
    folded: str
    spans: list[tuple[int, int]]
    starts: list[int]
    mentions: list[Mention]
    title_mentions: list[Mention]
    dateline: Mention | None
    times: Counter
    top: str | None
    mention_starts: list[int]
    figures: list[int]  # where the text's kept figures start, in order

    @classmethod
    def of(cls, folded: str, spans: list[tuple[int, int]], mentions: list[Mention], title_mentions: list[Mention],
           dateline: Mention | None, figures: list[int] | None = None) -> PlaceText:
        times = Counter(m.place_id for m in [*mentions, *title_mentions] if m.place_id)
        two = times.most_common(2)
        top = two[0][0] if two and (len(two) == 1 or two[0][1] > two[1][1]) else None
        return cls(folded, spans, [s for s, _ in spans], mentions, title_mentions, dateline, times, top,
                   [m.start for m in mentions], sorted(figures or []))


def _nearest(t: PlaceText, k: int, start: int, end: int) -> dict[str, tuple[int, str, str, Mention]]:
    """Each place the text names -> (characters from the number, where: clause, sentence, previous, earlier, later,
    dateline or title, side: before or after, the mention), for its mention nearest the number."""
    out: dict[str, tuple[int, str, str, Mention]] = {}
    first = t.spans[max(0, k - SENTENCES_AROUND)][0]
    last = t.spans[min(len(t.spans) - 1, k + SENTENCES_AROUND)][1]
    near = t.mentions[bisect.bisect_left(t.mention_starts, first):bisect.bisect_left(t.mention_starts, last)]
    if t.dateline is not None and t.dateline.start < first:
        near = [t.dateline, *near]
    for m in near:
        if not m.place_id:  # a U.S. state, found so that its name is not read as a place of the gazetteer's
            continue
        mk = max(0, bisect.bisect_right(t.starts, m.start) - 1)
        after = m.start >= end
        gap = (end, m.start) if after else (m.end, start)
        where = "sentence" if mk == k else "previous" if mk == k - 1 else "earlier" if mk < k else "later"
        if where == "sentence" and not CLAUSE_BREAK.search(t.folded[gap[0]:gap[1]]):
            where = "clause"
        if t.dateline is not None and m.start == t.dateline.start:
            where = "dateline"
        info = (abs(gap[1] - gap[0]), where, "after" if after else "before", m)
        if m.place_id not in out or info[0] < out[m.place_id][0]:
            out[m.place_id] = info
    for m in t.title_mentions:
        if m.place_id:
            out.setdefault(m.place_id, (10 ** 6, "title", "title", m))
    return out


def _bucket(chars: int) -> str:
    return next((str(b) for b in DISTANCES if chars <= b), "far")


def candidates(t: PlaceText, start: int, end: int, metric: str, rules_place: str | None,
               rules_rule: str, value: float | None = None) -> list[tuple[str | None, dict[str, float]]]:
    """(place id or None, named features) of each place the figure at folded[start:end], of `value`, could count in
    (its size tells: 73,034 people rescued are the country's, five bodies a town's)."""
    k = max(0, bisect.bisect_right(t.starts, start) - 1)
    s0, s1 = t.spans[k]
    sentence = t.folded[s0:s1]
    near = _nearest(t, k, start, end)
    in_sentence = min(sum(1 for v in near.values() if v[1] in ("sentence", "clause")), 3)
    distinct = min(len(t.times), 3)
    why = rule_kind(rules_rule)
    anaphor = bool(ANAPHOR.search(sentence))
    none = {"none": 1.0, f"none|in sentence={in_sentence}": 1.0, f"none|measure={metric}": 1.0,
            f"none|places={distinct}": 1.0,
            (f"none|rules none|{why}" if rules_place is None else f"none|rules placed|{why}"): 1.0}
    if rules_place is None:
        none["none|rules none"] = 1.0
    for w in set(words(sentence)):
        none[f"none|s:{w}"] = 1.0
    for w in words(t.folded[max(s0, start - 40):start])[-3:]:
        none[f"none|b:{w}"] = 1.0
    for w in words(t.folded[end:min(s1, end + 40)])[:3]:
        none[f"none|a:{w}"] = 1.0
    if anaphor:
        none["none|anaphor"] = 1.0
    if WIDE.search(sentence):
        none["none|wide"] = 1.0
    size = "" if value is None else str(min(len(str(int(value))), 6))
    if size:
        none[f"none|digits={size}"] = 1.0
        none[f"none|digits={size}|{metric}"] = 1.0
    out: list[tuple[str | None, dict[str, float]]] = [(None, none)]
    for pid, (chars, where, side, m) in near.items():
        f = {"place": 1.0, f"at={where}": 1.0, f"at={where}|{side}": 1.0, f"kind={m.kind}": 1.0,
             f"at={where}|{m.kind}": 1.0, f"chars={_bucket(chars)}|{side}": 1.0, f"in sentence={in_sentence}": 1.0,
             f"times={min(t.times[pid], 3)}|{where}": 1.0, f"places={distinct}|{where}": 1.0,
             f"measure={metric}|{m.kind}": 1.0, f"measure={metric}|{where}": 1.0}
        if pid == rules_place:
            f["rules"] = f[f"rules|{why}"] = 1.0
        elif rules_place is None:
            f["rules none"] = f[f"rules none|{why}"] = f[f"rules none|{where}"] = 1.0
        else:
            f["rules other"] = 1.0
            if len(pid) == 2 and rules_place.startswith(pid):
                f["state of the rules' place"] = 1.0
            if len(rules_place) == 2 and pid.startswith(rules_place):
                f["in the rules' state"] = 1.0
        if where != "title":
            before = words(t.folded[max(0, m.start - 20):m.start])[-2:]
            for i, w in enumerate(before):
                f[f"mb{len(before) - i}:{w}"] = 1.0
            for w in words(t.folded[m.end:m.end + 20])[:1]:
                f[f"ma:{w}"] = 1.0
        if pid == t.top:
            f[f"most named|{where}"] = 1.0
        if size:
            f[f"digits={size}|{m.kind}"] = 1.0
            f[f"digits={size}|{where}"] = 1.0
        if where not in ("title", "dateline"):
            lo, hi = (end, m.start) if side == "after" else (m.end, start)
            others = bisect.bisect_left(t.figures, hi) - bisect.bisect_left(t.figures, lo)
            f[f"figures between={min(others, 2)}|{side}"] = 1.0
        if where in ("sentence", "clause"):
            gap = words(t.folded[end:m.start] if side == "after" else t.folded[m.end:start])
            if len(gap) <= 6:
                for w in gap:
                    f[f"between:{w}|{side}"] = 1.0
            f[f"words between={min(len(gap), 12) // 3}|{side}"] = 1.0
        if anaphor:
            f[f"anaphor|{where}|{m.kind}"] = 1.0
        out.append((pid, f))
    if rules_place is not None and rules_place not in near:
        out.append((rules_place, {"place": 1.0, "rules": 1.0, "not found in the text": 1.0, f"rules|{why}": 1.0}))
    return out


def scores(model: LinearModel, cands: list[tuple[str | None, dict[str, float]]]) -> np.ndarray:
    """Each candidate's score: the sum of its features' weights (the model's one column)."""
    return np.array([sum(model.weights.get(name, (0.0,))[-1] * x for name, x in f.items()) for _, f in cands])


@dataclass(frozen=True)
class Choice:
    place_id: str | None
    probability: float
    # (whose: "chosen" or "rules", feature, its weight): the features, of the chosen place and not of the rules' or
    # the other way round, that most favour the choice (a weight for the chosen place, against the rules')
    reasons: list[tuple[str, str, float]]


def choose(model: LinearModel, cands: list[tuple[str | None, dict[str, float]]], rules_place: str | None,
           threshold: float = MIN_PROBABILITY, reasons: int = 4) -> Choice:
    """The best-scored candidate where its softmax share is at least `threshold`, else the rules' place."""
    s = scores(model, cands)
    p = np.exp(s - s.max())
    p /= p.sum()
    best = int(np.argmax(s))
    ri = next(i for i, (pid, _) in enumerate(cands) if pid == rules_place)
    if cands[best][0] == rules_place or p[best] < threshold:
        return Choice(rules_place, float(p[ri]), [])
    chosen, ruled = cands[best][1], cands[ri][1]

    def weight(name: str) -> float:
        return model.weights.get(name, (0.0,))[-1]

    pulls = [("chosen", n, weight(n)) for n in chosen if n not in ruled] + \
        [("rules", n, weight(n)) for n in ruled if n not in chosen]
    pulls = sorted((r for r in pulls if (r[2] if r[0] == "chosen" else -r[2]) > 0),
                   key=lambda r: -(r[2] if r[0] == "chosen" else -r[2]))
    return Choice(cands[best][0], float(p[best]), pulls[:reasons])


WHERE = {"clause": "in the figure's clause", "sentence": "in its sentence", "previous": "in the sentence before",
         "earlier": "earlier in the text", "later": "later in the text", "dateline": "in the dateline",
         "title": "in the headline"}


def describe(feature: str) -> str:
    """A feature as a reviewer reads it in `--explain`: 'at=previous|municipality' -> 'named in the sentence
    before (a municipality)'."""
    name, _, rest = feature.partition("|")
    if name.startswith("at="):
        return f"named {WHERE.get(name[3:], name[3:])}" + (f" ({rest})" if rest else "")
    if name.startswith("none"):
        if rest.startswith(("s:", "b:", "a:")):
            return f"no place: \"{rest[2:]}\" " + {"s": "in the sentence", "b": "just before the number",
                                                   "a": "just after the number"}[rest[0]]
        return "no place" + (f": {rest.replace('|', ', ')}" if rest else "")
    if name.startswith("times="):
        return f"named {name[6:]} time(s) {WHERE.get(rest, rest)}"
    if name == "most named":
        return f"the place the text names most, {WHERE.get(rest, rest)}"
    if name.startswith(("mb", "ma:")):
        word = feature.split(":", 1)[1]
        return f"\"{word}\" just {'before' if name.startswith('mb') else 'after'} the place's name"
    if name.startswith("between:"):
        return f"\"{name[8:]}\" between the number and the place"
    return feature.replace("|", ", ").replace("=", " ")
