"""Short names (surnames, name parts) tied to the one full name in the same article."""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.candidate import Candidate, is_subsequence, tokens


def link_short_names(candidates: list[Candidate]) -> list[Candidate]:
    """Attach a surname (or other part of a name) to the one full name in the article it belongs to.

    "Ruto" becomes William Ruto when the article names William Ruto and no other Ruto; a part
    that fits two full names stays as it is. A part the model typed as a place or organisation
    ("Gachagua" as GPE) is a person when it is the surname of a person in the same article.
    """
    full_names = sorted(
        {c.name for c in candidates if c.label == "PERSON" and len(tokens(c.name)) >= 2},
        key=lambda name: (-len(tokens(name)), name),
    )
    linked = []
    for candidate in candidates:
        parts = tokens(candidate.name)
        if candidate.name in full_names or len(parts) > 3:
            linked.append(candidate)
            continue
        surname_of = [
            full
            for full in full_names
            if full != candidate.name
            and tokens(full)[-1] == parts[-1]
            and is_subsequence(parts, tokens(full))
        ]
        part_of = [
            full for full in full_names if full != candidate.name and is_subsequence(parts, tokens(full))
        ]
        matches = surname_of or part_of
        if len(matches) != 1 or (candidate.label != "PERSON" and not surname_of):
            linked.append(candidate)
            continue
        full = matches[0]
        reason = "surname in article" if surname_of else "part of name in article"
        if candidate.label != "PERSON":
            reason = f"relabelled from {candidate.label}: surname of {full} in article"
        linked.append(
            replace(
                candidate,
                name=full,
                label="PERSON",
                resolution=reason,
                role=candidate.role if candidate.label == "PERSON" else None,
            )
        )
    return linked
