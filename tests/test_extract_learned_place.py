"""The learned second opinion on a figure's place (etl/extractor/learned_place.py): its candidates and their
features on literal text, its choice with tiny hand-made models whose arithmetic can be done by hand, how `explain`
and the CLI use it, and that the stored model was trained on the development part of the evaluation set."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from etl.extractor import learned, learned_place
from etl.extractor.extract import PlaceIndex, explain
from etl.extractor.places import dateline
from etl.extractor.text import fold, sentences

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("TIJUANA, Mexico — Police counted 120 homicides in March in Tijuana. In Mexicali there were 45 killings, "
        "and 30 more across the state, the prosecutor said.")
TITLE = "Violence in Baja California"


@pytest.fixture(scope="module")
def index(gazetteer):
    return PlaceIndex(gazetteer)


def _text(index, text=TEXT, title=TITLE, figures=None):
    folded = fold(text)
    mentions = index.mentions(folded, text)
    title_mentions = index.mentions(fold(title), title) if title else []
    return learned_place.PlaceText.of(folded, sentences(text), mentions, title_mentions,
                                      dateline(text, folded, mentions), figures)


def _candidates(gazetteer, index, number, text=TEXT, title=TITLE):
    decisions = explain(text, gazetteer, title=title, learned=False)
    d = next(d for d in decisions if d.number == number)
    c = d.candidate
    t = _text(index, text, title, [x.start for x in decisions if x.kept])
    return d, dict(learned_place.candidates(t, d.start, d.end, c.metric, c.place_id, d.rules["place"], c.value))


def test_the_text_counts_how_often_each_place_is_named_and_which_most(index):
    t = _text(index)
    # Tijuana twice (dateline and sentence), Mexicali once, Baja California once in the headline
    assert dict(t.times) == {"02004": 2, "02002": 1, "02": 1}
    assert t.top == "02004" and t.dateline.place_id == "02004"
    # two places named as often: no place is "the most named"
    assert _text(index, "In Tijuana 5 died. In Mexicali 6 died.", None).top is None


def test_every_place_the_text_or_headline_names_is_a_candidate_and_so_is_none(gazetteer, index):
    d, cands = _candidates(gazetteer, index, "45")
    assert d.candidate.place_id == "02002"  # the rules: the nearest place in the figure's clause
    assert set(cands) == {None, "02004", "02002", "02"}
    mexicali, tijuana, state, none = cands["02002"], cands["02004"], cands["02"], cands[None]
    # where each is named, seen from the number
    assert {"at=clause", "at=clause|before", "rules", "rules|nearest_place_in_the_figure's",
            "words between=0|before", "between:there|before", "between:were|before", "mb1:in", "times=1|clause"} \
        <= set(mexicali)
    assert {"at=previous", "most named|previous", "times=2|previous", "rules other"} <= set(tijuana)
    assert {"at=title", "state of the rules' place"} <= set(state) and "rules" not in state
    # "the state" in the sentence speaks of a place it does not name
    assert "anaphor|title|state" in state and "none|anaphor" in none
    # no place: the words around the number and of the sentence, and what the rules said
    assert {"none", "none|b:there", "none|b:were", "none|a:killing", "none|s:mexical",
            "none|rules placed|nearest_place_in_the_figure's"} <= set(none)
    assert not any(k.startswith("none") for k in mexicali)
    # the figure's size: two digits, for each option by its kind and where it is named, and for no place by measure
    assert {"digits=2|municipality", "digits=2|clause"} <= set(mexicali) and "digits=2|title" in state
    assert {"none|digits=2", "none|digits=2|homicides"} <= set(none)


def test_how_many_figures_stand_between_the_number_and_each_place(gazetteer, index):
    # "30 more": Mexicali, and Tijuana where it is named nearest (after "120"), are both named before "45"
    _, cands = _candidates(gazetteer, index, "30")
    assert "figures between=1|before" in cands["02002"] and "figures between=1|before" in cands["02004"]
    _, cands = _candidates(gazetteer, index, "45")
    assert "figures between=0|before" in cands["02002"] and "figures between=0|before" in cands["02004"]
    _, cands = _candidates(gazetteer, index, "120")  # Mexicali after it, with nothing between
    assert "figures between=0|after" in cands["02002"]
    assert not any(k.startswith("figures between") for k in cands["02"])  # named in the headline


def test_a_us_state_is_no_candidate(gazetteer, index):
    """The place index finds "Texas" only so as not to read it as a place of its own (it has no place id): the
    model may not choose it."""
    text = "In Texas, 12 people died near the border."
    assert any(m.kind == "us_state" and not m.place_id for m in index.mentions(fold(text), text))
    _, cands = _candidates(gazetteer, index, "12", text, None)
    assert set(cands) == {None}
    assert _text(index, text, None).times == {}


def test_a_place_the_rules_gave_that_the_text_does_not_name_is_still_a_candidate(index):
    t = _text(index, "Hubo 12 homicidios.", None)
    cands = dict(learned_place.candidates(t, 5, 7, "homicides", "08", "the state of the city named before it"))
    assert set(cands) == {None, "08"}
    assert cands["08"] == {"place": 1.0, "rules": 1.0, "not found in the text": 1.0,
                           "rules|the_state_of_the_city": 1.0}  # its first five words
    assert learned_place.rule_kind("nearest place in the figure's clause (juarez)") == \
        "nearest_place_in_the_figure's"
    assert learned_place.rule_kind("border-wide or national ('en el pais')") == "border-wide_or_national"


# One weight per feature, shared by the candidates: Tijuana (named most, the sentence before) scores 2.0, no
# place 0.5, Mexicali (the rules' place) 0.0: shares e^2 / (e^2 + e^0.5 + 1 + 1) = 0.67 for Tijuana.
MOST_NAMED = learned.LinearModel(("score",), (0.0,), {"most named|previous": (2.0,), "none": (0.5,)}, {})


def test_the_best_candidate_wins_only_when_its_share_is_at_least_min_probability(gazetteer, index):
    _, cands = _candidates(gazetteer, index, "45")
    order = list(cands.items())
    choice = learned_place.choose(MOST_NAMED, order, "02002")
    share = math.exp(2) / (math.exp(2) + math.exp(0.5) + 2)
    assert choice.place_id == "02004" and choice.probability == pytest.approx(share)
    assert choice.reasons == [("chosen", "most named|previous", 2.0)]
    # a feature of the rules' place weighing against it is a reason too, named as the rules' place's
    against = learned.LinearModel(("score",), (0.0,), {"most named|previous": (2.0,), "at=clause|before": (-1.0,),
                                                       "place": (1.0,)}, {})
    assert learned_place.choose(against, order, "02002").reasons == [("chosen", "most named|previous", 2.0),
                                                                     ("rules", "at=clause|before", -1.0)]
    # not sure enough: the rules' place stands, with its own share
    kept = learned_place.choose(MOST_NAMED, order, "02002", threshold=0.7)
    assert kept.place_id == "02002" and kept.probability == pytest.approx(1 / (math.exp(2) + math.exp(0.5) + 2))
    assert kept.reasons == []
    assert learned_place.describe("most named|previous") == "the place the text names most, in the sentence before"
    assert learned_place.describe("at=clause|before") == "named in the figure's clause (before)"
    assert learned_place.describe("none|s:frontera") == 'no place: "frontera" in the sentence'
    assert learned_place.describe("mb1:in") == '"in" just before the place\'s name'


def _only(model):
    return lambda path=learned.MEASURE_PATH: model if path == learned_place.PLACE_PATH else None


def test_explain_takes_the_model_s_place_and_says_what_the_rules_said(gazetteer, monkeypatch):
    rules = next(d for d in explain(TEXT, gazetteer, title=TITLE, learned=False) if d.number == "45")
    monkeypatch.setattr(learned, "load", _only(MOST_NAMED))
    d = next(d for d in explain(TEXT, gazetteer, title=TITLE) if d.number == "45")
    assert (d.candidate.place_id, d.candidate.place) == ("02004", "Tijuana")
    assert d.rules["place"] == ("learned place model: Tijuana (p 0.67) over the rules' Mexicali "
                                f"[{rules.rules['place']}]; because Tijuana: the place the text names most, in the "
                                "sentence before (+2.0)")
    # a model that prefers no place names none
    nowhere = learned.LinearModel(("score",), (0.0,), {"none": (3.0,)}, {})
    monkeypatch.setattr(learned, "load", _only(nowhere))
    d = next(d for d in explain(TEXT, gazetteer, title=TITLE) if d.number == "45")
    assert (d.candidate.place_id, d.candidate.place) == (None, None)
    assert d.rules["place"].startswith("learned place model: no place (p 0.87) over the rules' Mexicali")
    # learned=("figure", "measure") leaves the place model out, and with no stored model the rules' place stands
    assert next(d for d in explain(TEXT, gazetteer, title=TITLE, learned=("figure", "measure"))
                if d.number == "45").candidate.place_id == "02002"
    monkeypatch.setattr(learned, "load", lambda path=None: None)
    assert next(d for d in explain(TEXT, gazetteer, title=TITLE) if d.number == "45").candidate.place_id == "02002"


def test_a_place_given_with_a_share_below_the_check_threshold_is_marked_for_review(gazetteer, monkeypatch):
    monkeypatch.setattr(learned, "load", _only(MOST_NAMED))
    d = next(d for d in explain(TEXT, gazetteer, title=TITLE) if d.number == "45")
    # Tijuana's share, 0.67 (above), is under 0.8: the place is marked
    assert (d.candidate.place_id, d.candidate.place_p, d.candidate.check) == ("02004", 0.67, "place")
    assert d.rules["check"] == "place (p 0.67, below 0.80)"
    nowhere = learned.LinearModel(("score",), (0.0,), {"none": (3.0,)}, {})
    monkeypatch.setattr(learned, "load", _only(nowhere))
    d = next(d for d in explain(TEXT, gazetteer, title=TITLE) if d.number == "45")
    assert (d.candidate.place_id, d.candidate.place_p, d.candidate.check) == (None, 0.87, None)
    assert "check" not in d.rules
    # a place a 'respectively' list gives is the rules' alone: no share, nothing to mark
    text = "Tijuana y Mexicali registraron 1,200 y 300 homicidios, respectivamente."
    assert [(d.candidate.place_p, d.candidate.check) for d in explain(text, gazetteer) if d.kept] == [(None, None)] * 2


def test_a_figure_the_place_model_makes_a_repeat_is_reported_once(gazetteer, monkeypatch):
    text = "In Tijuana 45 people died. In Mexicali 45 people died."
    assert [d.candidate.place_id for d in explain(text, gazetteer, learned=False) if d.kept] == ["02004", "02002"]
    nowhere = learned.LinearModel(("score",), (0.0,), {"none": (3.0,)}, {})
    monkeypatch.setattr(learned, "load", _only(nowhere))
    decisions = [d for d in explain(text, gazetteer) if d.number == "45"]
    assert [d.kept for d in decisions] == [True, False]
    assert decisions[1].rules["dropped"] == "the same figure was already reported in this text"


def test_a_place_paired_by_respectively_stands_whatever_the_model_says(gazetteer, monkeypatch):
    text = "Tijuana y Mexicali registraron 1,200 y 300 homicidios, respectivamente."
    nowhere = learned.LinearModel(("score",), (0.0,), {"none": (3.0,)}, {})
    monkeypatch.setattr(learned, "load", _only(nowhere))
    kept = [d for d in explain(text, gazetteer) if d.kept]
    assert [d.candidate.place_id for d in kept] == ["02004", "02002"]
    assert kept[0].rules["place"] == ("'respectively': the place in the same position of the list (tijuana), "
                                      "figure 1 of 2")
    # the same model takes the place away from a figure whose place no list gave
    assert [d.candidate.place_id for d in explain("Tijuana registró 1,200 homicidios.", gazetteer) if d.kept] == [None]


def test_the_cli_uses_the_place_model_and_rules_only_leaves_it_out(monkeypatch, tmp_path, capsys):
    from borderstats.cli import main

    monkeypatch.setattr(learned, "load", _only(MOST_NAMED))
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")

    def places(*extra):
        assert main(["extract", str(article), *extra]) == 0
        return [row["place_id"] for row in json.loads(capsys.readouterr().out)]

    assert places("--rules-only") == ["02004", "02002", "02"]  # 30 "across the state": Baja California
    # 45 and 30: Tijuana, named most, in the sentence before; 120: no place scores 0.5 against 0 for the rest,
    # a share of 0.45, under MIN_PROBABILITY
    assert places() == ["02004", "02004", "02004"]
    assert main(["extract", str(article), "--explain"]) == 0
    assert "learned place model: Tijuana" in capsys.readouterr().out
    assert main(["extract", str(article), "--explain", "--rules-only"]) == 0
    assert "learned place model" not in capsys.readouterr().out


def test_the_stored_place_model_was_trained_on_the_development_part_as_it_is_now():
    """As for the other two models (test_extract_learned.py): the digest of its training examples, recomputed."""
    from tests.support.evalset import load_all, split

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import train_learned
    finally:
        sys.path.remove(str(ROOT / "tools"))
    dev, _ = split(load_all())
    rows = train_learned.place_examples(dev)
    model = learned.load(learned_place.PLACE_PATH)
    assert model is not None and model.classes == ("score",)
    assert model.meta["examples"] == len(rows) > 8000
    assert model.meta["examples_sha256"] == train_learned.digest(rows), \
        "place_model.json is stale: run python tools/train_learned.py"
    assert model.meta["min_probability"] == learned_place.MIN_PROBABILITY


def test_in_a_long_text_only_places_named_near_the_figure_and_the_dateline_are_candidates(index):
    """A figure looks at places named up to SENTENCES_AROUND sentences away (and the dateline's, and the
    headline's), not at every place a long text names: the extract benchmark's 11.9 MB text took 4.6 times as
    long when every figure looked at every mention."""
    filler = " ".join(f"Sentence {w} says nothing." for w in ("one", "two", "three", "four", "five", "six"))
    text = (f"REYNOSA, Tamaulipas — Officials met in Mexicali. {filler} Police counted 12 homicides. {filler} "
            "In Nogales, rain.")
    t = _text(index, text, "News from Tecate")
    start = text.index("12 homicides")
    assert len(t.spans) > 2 * learned_place.SENTENCES_AROUND
    cands = dict(learned_place.candidates(t, start, start + 2, "homicides", None, "no place named for it"))
    # Reynosa (the dateline) and Tecate (the headline) are candidates; Tamaulipas and Mexicali (in the first
    # sentence, not the dateline) and Nogales, seven sentences away, are not
    assert set(cands) == {None, "28032", "02003"}
    assert "at=dateline" in cands["28032"] and "at=title" in cands["02003"]


@pytest.mark.parametrize("reason,kind", [
    ("nearest place in the figure's clause (juarez)", "nearest_place_in_the_figure's"),
    # a reason that opens with the words it found is known by what follows them, not as 'none'
    ("'across the state': the state of the city named last before it (mexicali)", "the_state_of_the_city"),
    ("'la entidad': the state named last before it (sonora)", "the_state_named_last_before"),
    # an apostrophe inside a word opens no quote; a comma is no word
    ("the dateline's city (tijuana), which the sentence calls 'the city'", "the_dateline's_city_which_the"),
    ("the sentence's only place (reynosa), in another clause", "the_sentence's_only_place_in"),
    # the list's position is no part of the kind: every figure of a 'respectively' list is one kind
    ("'respectively': the place in the same position of the list (tijuana), figure 2 of 3",
     "the_place_in_the_same"),
    ("", "none"),
])
def test_the_rules_reason_is_read_as_its_kind(reason, kind):
    assert learned_place.rule_kind(reason) == kind
