"""The extractor on real text (issue 16): the evaluation set of short quotes from real articles and reports,
labelled by hand before the extractor ran on them (docs/extractor-evaluation.md).

These tests check the set itself (what the issue asks of it) and keep the measured scores from falling: each
floor is the score measured when the rules last changed, less 0.02, so a change that makes the extractor worse on
either part fails here. The held-out part's misses are never printed."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from etl.extractor.extract import PlaceIndex, extract, parse_published
from tests.support.evalset import MAX_QUOTE, load_all, place_ids, problems, split
from tests.support.scoring import score_passages

RECORDS = load_all()
DEV, HELD = split(RECORDS)

# measured at the last change of the rules or the learned models (docs/extractor-evaluation.md has the history);
# floors are 0.02 lower. The development part's scores are in sample for the models, which were trained on it.
FLOORS = {  # measured (2026-12-01 15:50, the development labels read again): development 0.951/0.958 and
    #           0.909/0.915; held-out 0.869/0.892 and 0.709/0.727
    "development": {"place": (0.93, 0.93), "full": (0.88, 0.89)},
    "held-out": {"place": (0.84, 0.87), "full": (0.68, 0.70)},
}


def test_the_set_is_valid_and_holds_only_short_quotes():
    assert problems(RECORDS, place_ids()) == []
    assert all(len(r["text"]) <= MAX_QUOTE for r in RECORDS)
    assert all(r["url"].startswith(("http://", "https://")) for r in RECORDS)


def test_the_set_is_as_large_and_as_balanced_as_the_issue_asks():
    figures = Counter()
    for r in RECORDS:
        figures[r["lang"]] += len(r["figures"])
        figures[r["topic"]] += len(r["figures"])
    total = sum(len(r["figures"]) for r in RECORDS)
    assert total >= 200 and len({r["url"] for r in RECORDS}) >= 40
    for key in ("en", "es", "mpp", "violence"):
        assert 0.35 <= figures[key] / total <= 0.65, (key, figures[key], total)


def test_the_held_out_part_is_whole_sources_and_covers_every_language_and_topic():
    held_urls = {r["url"] for r in HELD}
    assert held_urls.isdisjoint({r["url"] for r in DEV})
    assert not any(r.get("part") == "dev" for r in HELD)
    for lang in ("en", "es"):
        for topic in ("mpp", "violence"):
            assert sum(len(r["figures"]) for r in HELD if r["lang"] == lang and r["topic"] == topic) >= 25
    # the first split, fixed before any score: sources added later joined the development part only
    assert (len(held_urls), sum(len(r["figures"]) for r in HELD)) == (36, 194)


def _shingles(text: str, k: int = 8) -> set[str]:
    words = re.sub(r"\W+", " ", text.lower()).split()
    return {" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def test_no_development_passage_quotes_held_out_text():
    """Syndicated copies put the same text at two addresses; five such development passages once quoted held-out
    text. The rules are written and the models trained on the development part, so it must not hold any."""
    owner: dict[str, set[int]] = {}  # each held-out eight-word run -> the held-out passages that have it
    for i, r in enumerate(HELD):
        for run in _shingles(r["text"]):
            owner.setdefault(run, set()).add(i)
    shared = []
    for r in DEV:
        counts = Counter(i for run in _shingles(r["text"]) for i in owner.get(run, ()))
        if counts and max(counts.values()) >= 8:
            shared.append(r["source"])
    assert shared == []


@pytest.fixture(scope="module")
def scores(gazetteer):
    places = PlaceIndex(gazetteer)

    def run(text, published, title=None):  # the record's headline, as `borderstats extract --title` takes it
        when = parse_published(published) if published and len(published) == 10 else None
        return [(c.metric, c.value, c.qualifier, c.place_id)
                for c in extract(text, gazetteer, places=places, published=when, title=title)]
    return {"development": score_passages(DEV, run), "held-out": score_passages(HELD, run)}


@pytest.mark.parametrize("part", ["development", "held-out"])
@pytest.mark.parametrize("level", ["place", "full"])
def test_scores_do_not_fall(scores, part, level):
    got = scores[part][level]
    floor_p, floor_r = FLOORS[part][level]
    assert got["precision"] >= floor_p and got["recall"] >= floor_r, (
        f"{part}, {level}: P {got['precision']:.3f} (floor {floor_p}), R {got['recall']:.3f} (floor {floor_r})")


def test_the_second_readers_labelled_exactly_the_held_out_passages():
    from tests.support.agreement import readers

    found = readers()
    assert set(found) == {"reader_a", "reader_b", "reader_c", "reader_d"}
    for labelled in found.values():
        assert problems(labelled, place_ids()) == []
        assert sorted((r["source"], r["text"]) for r in labelled) == sorted((r["source"], r["text"]) for r in HELD)


def test_the_development_sample_is_forty_development_passages_of_each_kind_read_by_two_readers():
    import hashlib

    from tests.support.agreement import DEV_SAMPLE_DIR, readers

    found = readers(DEV_SAMPLE_DIR)
    assert set(found) == {"reader_c", "reader_e"}
    keys = {name: [(r["source"], r["text"]) for r in labelled] for name, labelled in found.items()}
    assert keys["reader_c"] == keys["reader_e"]
    dev = {(r["source"], r["text"]): r for r in DEV}
    assert all(k in dev for k in keys["reader_c"]), "a sampled passage is not in the development part"
    assert Counter((dev[k]["lang"], dev[k]["topic"]) for k in keys["reader_c"]) == {
        (lang, topic): 40 for lang in ("en", "es") for topic in ("mpp", "violence")}
    # drawn, not chosen: the first 40 of each kind by the SHA-1 of the text (a round added later could change which
    # passages are first; the sample would then be drawn again and read again)
    for kind in {(r["lang"], r["topic"]) for r in DEV}:
        digests = sorted(hashlib.sha1(r["text"].encode()).hexdigest() for r in DEV if (r["lang"], r["topic"]) == kind)
        mine = sorted(hashlib.sha1(t.encode()).hexdigest() for s, t in keys["reader_c"]
                      if (dev[(s, t)]["lang"], dev[(s, t)]["topic"]) == kind)
        assert mine == digests[:40], kind
    for labelled in found.values():
        assert problems(labelled, place_ids()) == []


def test_the_development_labels_read_again_say_what_both_readers_said():
    """Each label changed when the development part was read again (agreement/dev_reread.csv: two readers agreed
    on another measure or place than the label's) says the readers' answer, and the docs give the counts."""
    import csv
    import hashlib
    from pathlib import Path

    from tests.support.agreement import AGREEMENT_DIR

    with (AGREEMENT_DIR / "dev_reread.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_id = {hashlib.sha1((r["url"] + "\n" + r["text"]).encode()).hexdigest()[:12]: r for r in DEV}
    for row in rows:
        assert row["part"] in ("measure", "place") and row["reading"] in ("1", "2") and row["old"] != row["new"]
        assert row["passage"] in by_id and by_id[row["passage"]]["source"] == row["source"]
    later = {(r["passage"], r["value"], r["part"], r["old"]) for r in rows if r["reading"] == "2"}
    for row in rows:
        if row["reading"] == "1" and (row["passage"], row["value"], row["part"], row["new"]) in later:
            continue  # read again, and changed again
        labels = [f for f in by_id[row["passage"]]["figures"] if float(f["value"]) == float(row["value"])]
        said = [f["measure"] if row["part"] == "measure" else (f["place_id"] or "") for f in labels]
        assert row["new"] in said, (row, said)
    counts = Counter((row["reading"], row["part"]) for row in rows)
    docs = " ".join((Path(__file__).resolve().parents[1] / "docs" / "extractor-evaluation.md").read_text(
        encoding="utf-8").split())
    assert f"{counts[('1', 'measure')]} measures changed" in docs
    assert f"{counts[('2', 'measure')]} measures and {counts[('2', 'place')]} places changed" in docs


def test_the_agreement_the_docs_report_is_what_the_readers_labels_give():
    from pathlib import Path

    from tests.support.agreement import DEV_SAMPLE_DIR, measure_votes, readers, sampled, table

    docs = (Path(__file__).resolve().parents[1] / "docs" / "extractor-evaluation.md").read_text(encoding="utf-8")
    sample_readers = readers(DEV_SAMPLE_DIR)
    sample = sampled(DEV, sample_readers["reader_c"])
    rows = table(HELD) + table(sample, DEV_SAMPLE_DIR)
    assert len(rows) == 6
    for row in rows:
        assert row in docs, f"docs/extractor-evaluation.md does not have the row {row!r} (python tools/reader_agreement.py)"
    votes = measure_votes(sample, sample_readers["reader_c"], sample_readers["reader_e"])
    said = (f"of the {votes['figures']} labelled figures both readers found, the two agree with each other and not "
            f"with the label on the measure of {votes['readers against the label']}")
    assert said in " ".join(docs.split()).lower(), f"docs/extractor-evaluation.md does not say {said!r}"
