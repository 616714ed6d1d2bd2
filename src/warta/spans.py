"""Spans of text that may not overlap: the mentions, names and dates the stages take."""
from __future__ import annotations

from bisect import bisect_right, insort


class Spans:
    """Character spans that do not overlap, kept sorted, so that whether a new one overlaps any
    costs a binary search: a linear scan made a long article's mentions quadratic."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._spans, (start, float("inf")))
        return (i > 0 and self._spans[i - 1][1] > start) or (i < len(self._spans) and self._spans[i][0] < end)

    def add(self, start: int, end: int) -> bool:
        """Take [start, end) unless it overlaps a span already taken; True if taken."""
        if self.overlaps(start, end):
            return False
        insort(self._spans, (start, end))
        return True

    def __iter__(self):
        return iter(self._spans)
