"""How far other readers agree with the evaluation set's labels, scored exactly as the extractor is.

Readers labelled the held-out part's 106 passages from the labelling guide alone, without the first labels or the
extractor (tests/fixtures/extractor/agreement/reader_*.jsonl), and two readers (c, who also labelled the held-out part,
and e) a sample of 160 development passages (agreement/dev_sample/reader_*.jsonl: the first 40 of each language and
topic in the order of the SHA-1 of their text, drawn on 2026-12-01). Their labels are run through the scorer in the
extractor's place: what a careful reader reaches on the same quotes, next to what the extractor reaches
(docs/extractor-evaluation.md, "A second reader").
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .evalset import read
from .scoring import score_passages

AGREEMENT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "extractor" / "agreement"
DEV_SAMPLE_DIR = AGREEMENT_DIR / "dev_sample"


def readers(directory: Path = AGREEMENT_DIR) -> dict[str, list[dict]]:
    """Each reader's labelled passages in `directory` (the held-out part's, or DEV_SAMPLE_DIR), by file name
    ("reader_a")."""
    return {p.stem: read(p) for p in sorted(directory.glob("reader_*.jsonl"))}


def sampled(records: list[dict], labelled: list[dict]) -> list[dict]:
    """The records a reader labelled (by source and text), in the reader's order."""
    by_key = {(r["source"], r["text"]): r for r in records}
    return [by_key[(r["source"], r["text"])] for r in labelled]


def _as_run(labelled: list[dict]):
    """A reader's labels in the shape of the extractor's output, looked up by the passage's text."""
    by_text = {r["text"]: [(f["measure"], f["value"], f["qualifier"], f["place_id"]) for f in r["figures"]]
               for r in labelled}
    return lambda text, published=None, title=None: by_text[text]


def measure_and_qualifier_right(gold: list[dict], labelled: list[dict]) -> tuple[int, int, int]:
    """(figures found with a gold figure's value and place, of them with its measure, with its qualifier)."""
    run = _as_run(labelled)
    found = measure = qualifier = 0
    for r in gold:
        left = list(run(r["text"]))
        for f in r["figures"]:
            hit = next((g for g in left if float(g[1]) == float(f["value"]) and g[3] == f["place_id"]), None)
            if hit is None:
                continue
            left.remove(hit)
            found += 1
            measure += hit[0] == f["measure"]
            qualifier += hit[2] == f["qualifier"]
    return found, measure, qualifier


def table(gold: list[dict], directory: Path = AGREEMENT_DIR) -> list[str]:
    """One markdown row per reader of `directory`: precision and recall against the labels of `gold` at both
    strictnesses, and the share of the figures they found with the value and place right whose measure and qualifier
    are right."""
    rows = []
    for name, labelled in readers(directory).items():
        result = score_passages(gold, _as_run(labelled))
        found, measure, qualifier = measure_and_qualifier_right(gold, labelled)
        place, full = result["place"], result["full"]
        rows.append(f"| {name.replace('_', ' ')} | {sum(len(r['figures']) for r in labelled)} | "
                    f"{place['precision']:.3f} / {place['recall']:.3f} | {full['precision']:.3f} / {full['recall']:.3f} | "
                    f"{measure / found:.3f} | {qualifier / found:.3f} |")
    return rows


def measure_votes(gold: list[dict], first: list[dict], second: list[dict]) -> Counter:
    """Of the labelled figures both readers found with the same value, whose measure agrees with whose: "all three",
    "readers against the label" (the two readers agree with each other, not with the label), "first against" and
    "second against" (one reader alone differs), "none"; and "figures", the count."""
    a, b = {r["text"]: r["figures"] for r in first}, {r["text"]: r["figures"] for r in second}
    votes: Counter = Counter()
    for r in gold:
        left_a, left_b = list(a[r["text"]]), list(b[r["text"]])
        for f in r["figures"]:
            ha = next((x for x in left_a if float(x["value"]) == float(f["value"])), None)
            hb = next((x for x in left_b if float(x["value"]) == float(f["value"])), None)
            if ha is None or hb is None:
                continue
            left_a.remove(ha)
            left_b.remove(hb)
            votes["figures"] += 1
            label, ma, mb = f["measure"], ha["measure"], hb["measure"]
            votes["all three" if ma == mb == label else "readers against the label" if ma == mb else
                  "first against" if mb == label else "second against" if ma == label else "none"] += 1
    return votes
