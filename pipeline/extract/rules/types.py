"""One type per name in an article, by vote."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from pipeline.extract.candidate import Candidate


def vote_types(candidates: list[Candidate]) -> list[Candidate]:
    """One type per name in an article: the majority of what the model said, first seen on a tie."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for candidate in candidates:
        votes[candidate.name][candidate.label] += 1
    voted = []
    for candidate in candidates:
        counts = votes[candidate.name]
        winner, top = counts.most_common(1)[0]
        if winner != candidate.label and top > counts[candidate.label]:
            total = sum(counts.values())
            candidate = replace(
                candidate,
                label=winner,
                role=None if winner != "PERSON" else candidate.role,
                resolution=f"type by majority in article ({top} of {total} said {winner})",
            )
        voted.append(candidate)
    return voted
