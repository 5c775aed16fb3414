"""The spans the model or the gazetteer found that the rules dropped: what `dropped_spans` records.

A rule that drops a name leaves no mention behind, so without this the release could not say the
model saw it. The record comes from the rules' change stream (`apply_rules(..., on_change=...)`):
every "removed" change, kept only where no final mention covers any of the span. A duplicate
removed beside a copy that stays (the gazetteer's and the model's reading of one span) is then no
drop, and neither is a span trimmed, split or merged into a longer mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.extract.candidate import Candidate, SpanIndex
from pipeline.extract.rules.base import RuleChange

FOUND_BY = ("model", "gazetteer", "dateline")
"""Origins of the spans the rules start from; a span a rule added and another took away is no drop."""


@dataclass(frozen=True)
class Drop:
    """One span no mention covers any more, and the rule that took it away."""

    candidate: Candidate
    rule: str


@dataclass
class DropLog:
    """A sink for `apply_rules(on_change=...)` that keeps every removal, in the order rules made them."""

    removals: list[Drop] = field(default_factory=list)

    def __call__(self, change: RuleChange) -> None:
        if change.kind == "removed" and change.before is not None and change.before.origin in FOUND_BY:
            self.removals.append(Drop(change.before, change.rule))

    def dropped(self, final: Iterable[Candidate]) -> list[Drop]:
        """The removals no final mention overlaps, one per span, sorted by column and offsets.

        Two removals at one span mean a copy outlived the first (a span is only removed while it is
        there): the last removal is the rule that dropped the span.
        """
        by_field: dict[str, list[Candidate]] = {}
        for mention in final:
            by_field.setdefault(mention.field, []).append(mention)
        index = {name: SpanIndex(mentions) for name, mentions in by_field.items()}
        last: dict[tuple[str, int, int], Drop] = {}
        for drop in self.removals:
            c = drop.candidate
            kept = index.get(c.field)
            if c.start >= c.end or (kept is not None and kept.overlapping(c.start, c.end)):
                continue
            last[(c.field, c.start, c.end)] = drop
        return [last[key] for key in sorted(last)]
