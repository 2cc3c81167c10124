"""How far two more readers agree with the held-out labels, scored as the extractor is (docs/extractor-evaluation.md).

    python tools/reader_agreement.py

Prints one markdown row per reader: figures labelled, precision / recall with value and place right, with all four
right, and the share of figures found with value and place right whose measure and qualifier are right.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.agreement import table  # noqa: E402
from tests.support.evalset import load_all, split  # noqa: E402


def main() -> int:
    held = split(load_all())[1]
    print(f"held-out part: {len(held)} passages, {sum(len(r['figures']) for r in held)} figures")
    print("| reader | figures | value and place (P / R) | all four (P / R) | measure right | qualifier right |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in table(held):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
