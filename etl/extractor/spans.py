"""Non-overlapping spans of text, checked in logarithmic time (numbers and place names are found in several
passes, each of which must not take what an earlier pass took)."""
from __future__ import annotations

import bisect


class Spans:
    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def free(self, a: int, b: int) -> bool:
        """Whether [a, b) overlaps no span taken."""
        i = bisect.bisect_left(self._starts, b)  # spans starting before b
        return i == 0 or self._ends[i - 1] <= a

    def take(self, a: int, b: int) -> None:
        i = bisect.bisect_left(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)
