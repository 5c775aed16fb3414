"""A mention on its way to the database, and the small helpers every rule uses on names."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from pipeline.schema.vocab import ORIGIN_CONFIDENCE as CONFIDENCE


@dataclass(frozen=True)
class Candidate:
    """A mention on its way to the database: where it is, what it is and how we know."""

    field: str
    start: int
    end: int
    text: str
    label: str
    model_label: str | None
    origin: str
    name: str = ""
    role: str | None = None
    resolution: str = "exact"

    @property
    def confidence(self) -> float:
        return CONFIDENCE.get(self.origin, 0.7)

    @property
    def typed_by_gazetteer(self) -> bool:
        """Found or typed by the gazetteer: its type is evidence of its own, which rules keep."""
        return self.origin == "gazetteer" or self.resolution.startswith("gazetteer")


def tokens(name: str) -> list[str]:
    return name.split()


def is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    iterator = iter(whole)
    return all(token in iterator for token in part)


class SpanIndex:
    """One column's candidates sorted by start, to find those around a span without a scan.

    Rules that look around each of many matches would otherwise scan the article's candidates
    once per match, time quadratic on a hostile line; here a lookup reads only the candidates
    starting near the span, plus the few very long ones.
    """

    LONG = 200

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.items = sorted(candidates, key=lambda c: (c.start, c.end))
        self.starts = [c.start for c in self.items]
        self.reach = list(accumulate((c.end for c in self.items), max, initial=-1))
        self.long = [c for c in self.items if c.end - c.start > self.LONG]

    def crosses_into(self, point: int) -> bool:
        """Whether a candidate starting before `point` ends after it."""
        return self.reach[bisect_left(self.starts, point)] > point

    def starting_in(self, start: int, end: int) -> list[Candidate]:
        """The candidates that start in [start, end)."""
        return self.items[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        """The candidates that overlap [start, end), in order of start."""
        near = self.starting_in(max(0, start - self.LONG), end)
        found = {id(c): c for c in near if c.end > start}
        found.update((id(c), c) for c in self.long if c.start < end and start < c.end)
        return sorted(found.values(), key=lambda c: (c.start, c.end))
