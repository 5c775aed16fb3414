"""A name written in capitals (a headline, a dateline) read as its usual spelling."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from pipeline.extract.candidate import Candidate


def unify_case(candidates: list[Candidate], known_names: Iterable[str] = ()) -> list[Candidate]:
    """An all-capitals name ("NAIROBI" in a dateline) takes the usual spelling seen in the article."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in known_names:
        spellings[name.casefold()][name] += 1
    for candidate in candidates:
        if not candidate.name.isupper():
            spellings[candidate.name.casefold()][candidate.name] += 1
    unified = []
    for candidate in candidates:
        usual = spellings.get(candidate.name.casefold())
        if candidate.name.isupper() and usual:
            candidate = replace(
                candidate, name=usual.most_common(1)[0][0], resolution="same name in capitals"
            )
        unified.append(candidate)
    return unified
