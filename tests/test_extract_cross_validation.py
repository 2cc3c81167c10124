"""Scoring the extractor out of sample on the development part (`tools/score_extractor.py --cross-validate`): the
folds by labelling round, the models put in place without writing them, and a fold found by models trained only on
the other folds' records."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from etl.extractor import learned, learned_place

ROOT = Path(__file__).resolve().parents[1]


def _tool(name):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_folds_keep_each_labelling_round_whole_and_every_record_once():
    score = _tool("score_extractor")
    records = [{"url": u} for u in ("a", "b", "c", "d", "e", "f", "g")]
    rounds = {"a": 1, "b": 1, "c": 2, "d": 3, "e": 4, "f": 6, "g": 11}
    parts = score.folds(records, rounds, k=5)
    assert [[r["url"] for r in p] for p in parts] == [[], ["a", "b", "f", "g"], ["c"], ["d"], ["e"]]
    with pytest.raises(KeyError):  # a record of no known round is an error, not a silent fold
        score.folds([{"url": "z"}], rounds)


def test_models_put_in_place_are_read_instead_of_the_files_and_the_files_come_back():
    train = _tool("train_learned")
    stored = learned.load(learned.MEASURE_PATH)
    assert stored is not None
    mine = learned.LinearModel(("other",), (0.0,), {}, {"mine": True})
    with train.in_place({learned.MEASURE_PATH: mine}):
        assert learned.load() is mine and learned.load(learned.MEASURE_PATH) is mine
        assert learned.load(learned.FIGURE_PATH) is None  # a model not given: none, the rules' answer stands
        assert learned.load(learned_place.PLACE_PATH) is None
    assert learned.load(learned.MEASURE_PATH) is stored
    with pytest.raises(RuntimeError), train.in_place({}):
        raise RuntimeError("a failure inside the block")
    assert learned.load(learned.MEASURE_PATH) is stored  # restored after a failure too


def test_a_fold_is_found_by_models_trained_only_on_the_other_folds_records():
    from tests.support.evalset import load_all, split

    score, train = _tool("score_extractor"), _tool("train_learned")
    dev, _ = split(load_all())
    parts = score.folds(dev, train.rounds())
    scored = parts[2][:12]
    others = (parts[3] + parts[4])[:400]
    got, metas = score._fold((scored, others))
    assert len(got) == len(scored)
    sources = len({r["url"] for r in others})
    assert {name: meta["sources"] for name, meta in metas.items()} == {
        "figure_model.json": sources, "measure_model.json": sources, "place_model.json": sources}
    assert not {r["url"] for r in scored} & {r["url"] for r in others}
    assert any(got), "twelve development passages gave no figure at all"
    assert learned.load(learned.MEASURE_PATH).meta["sources"] > sources  # the stored models are back
