"""How far other readers agree with the evaluation set's labels, scored as the extractor is
(docs/extractor-evaluation.md, "A second reader").

    python tools/reader_agreement.py

Prints, for the held-out part and then for the sample of the development part, one markdown row per reader: figures
labelled, precision / recall with value and place right, with all four right, and the share of figures found with
value and place right whose measure and qualifier are right; then, on the development sample, whose measure agrees
with whose where both readers found a labelled figure's value.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.agreement import DEV_SAMPLE_DIR, measure_votes, readers, sampled, table  # noqa: E402
from tests.support.evalset import load_all, split  # noqa: E402


def main() -> int:
    dev, held = split(load_all())
    header = ("| reader | figures | value and place (P / R) | all four (P / R) | measure right | qualifier right |\n"
              "|---|---:|---:|---:|---:|---:|")
    print(f"held-out part: {len(held)} passages, {sum(len(r['figures']) for r in held)} figures\n{header}")
    for row in table(held):
        print(row)
    labelled = readers(DEV_SAMPLE_DIR)
    sample = sampled(dev, next(iter(labelled.values())))
    print(f"\ndevelopment sample: {len(sample)} passages, {sum(len(r['figures']) for r in sample)} figures\n{header}")
    for row in table(sample, DEV_SAMPLE_DIR):
        print(row)
    first, second = sorted(labelled)
    votes = measure_votes(sample, labelled[first], labelled[second])
    print(f"\nmeasures of the {votes['figures']} labelled figures both {first} and {second} found: all three agree "
          f"{votes['all three']}, the two readers against the label {votes['readers against the label']}, "
          f"{first} alone against {votes['first against']}, {second} alone against {votes['second against']}, "
          f"none {votes['none']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
