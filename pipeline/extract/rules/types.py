"""One type per name in an article, by vote."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from pipeline.extract.candidate import Candidate

MIN_VOTES = 3
MIN_SHARE = 0.75


def vote_types(candidates: list[Candidate]) -> list[Candidate]:
    """A name the model typed one way nearly everywhere in the article takes that type everywhere.

    Only an overwhelming vote retypes (at least MIN_VOTES mentions and MIN_SHARE of them): the
    model's independent readings of the name in other sentences are the evidence. A bare majority
    ("Thunderbolt 3" PERSON twice, ORG once) is no evidence, and the model's type stands.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for candidate in candidates:
        votes[candidate.name][candidate.label] += 1
    voted = []
    for candidate in candidates:
        counts = votes[candidate.name]
        winner, top = counts.most_common(1)[0]
        total = sum(counts.values())
        if winner != candidate.label and top >= MIN_VOTES and top >= MIN_SHARE * total:
            candidate = replace(
                candidate,
                label=winner,
                role=None if winner != "PERSON" else candidate.role,
                resolution=f"type by majority in article ({top} of {total} said {winner})",
            )
        voted.append(candidate)
    return voted
