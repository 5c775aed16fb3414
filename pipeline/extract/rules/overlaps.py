"""Overlapping mentions: the first in reading order, the longer one first, wins."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pipeline.extract.candidate import Candidate


def drop_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the first of overlapping mentions in reading order, longer ones first."""
    kept: list[Candidate] = []
    ends: dict[str, int] = defaultdict(lambda: -1)
    for candidate in sorted(candidates, key=lambda c: (c.field, c.start, -c.end)):
        if candidate.start >= ends[candidate.field]:
            kept.append(candidate)
            ends[candidate.field] = candidate.end
    return kept
