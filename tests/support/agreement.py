"""How far a second reader agrees with the held-out labels, scored exactly as the extractor is.

Two more readers labelled the held-out part's 106 passages from the labelling guide alone, without the first
labels or the extractor (tests/fixtures/extractor/agreement/reader_*.jsonl). Their labels are run through the
scorer in the extractor's place: what a careful reader reaches on the same quotes, next to what the extractor
reaches (docs/extractor-evaluation.md, "A second reader").
"""
from __future__ import annotations

from pathlib import Path

from .evalset import read
from .scoring import score_passages

AGREEMENT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "extractor" / "agreement"


def readers() -> dict[str, list[dict]]:
    """Each second reader's labelled passages, by file name ("reader_a")."""
    return {p.stem: read(p) for p in sorted(AGREEMENT_DIR.glob("reader_*.jsonl"))}


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


def table(gold: list[dict]) -> list[str]:
    """One markdown row per reader: precision and recall against the held-out labels at both strictnesses, and
    the share of the figures they found with the value and place right whose measure and qualifier are right."""
    rows = []
    for name, labelled in readers().items():
        result = score_passages(gold, _as_run(labelled))
        found, measure, qualifier = measure_and_qualifier_right(gold, labelled)
        place, full = result["place"], result["full"]
        rows.append(f"| {name.replace('_', ' ')} | {sum(len(r['figures']) for r in labelled)} | "
                    f"{place['precision']:.3f} / {place['recall']:.3f} | {full['precision']:.3f} / {full['recall']:.3f} | "
                    f"{measure / found:.3f} | {qualifier / found:.3f} |")
    return rows
