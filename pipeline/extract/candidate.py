"""A mention on its way to the database, and the small helpers every rule uses on names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def tokens(name: str) -> list[str]:
    return name.split()


def is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    iterator = iter(whole)
    return all(token in iterator for token in part)
