"""Short names (surnames, name parts) tied to the one full name in the same article."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from pipeline.extract.candidate import Candidate, is_subsequence, tokens


def link_short_names(candidates: list[Candidate]) -> list[Candidate]:
    """Attach a surname (or other part of a name) to the one full name in the article it belongs to.

    "Ruto" becomes William Ruto when the article names William Ruto and no other Ruto; a part
    that fits two full names stays as it is. A part the model typed as a place or organisation
    ("Gachagua" as GPE) is a person when it is the surname of a person in the same article.
    """
    full_names = {c.name for c in candidates if c.label == "PERSON" and is_person_shaped(c.name)}
    by_token: dict[str, list[str]] = defaultdict(list)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for full in sorted(full_names, key=lambda name: (-len(tokens(name)), name)):
        by_surname[tokens(full)[-1]].append(full)
        for token in dict.fromkeys(tokens(full)):
            by_token[token].append(full)
    linked = []
    for candidate in candidates:
        parts = tokens(candidate.name)
        if not parts or candidate.name in full_names or len(parts) > 3:
            linked.append(candidate)
            continue
        surname_of = _containing(parts, by_surname[parts[-1]], candidate.name)
        matches = surname_of or _containing(parts, by_token[parts[0]], candidate.name)
        if len(matches) != 1 or (
            candidate.label != "PERSON" and not (surname_of and _may_be_the_person(candidate))
        ):
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


MAX_NAME_WORDS = 6
"""A person's full name has at most this many words; a longer "person" span is no name to join."""

NAME_WORD = re.compile(
    r"[A-Z][\w’'.-]{0,30}|(?:wa|arap|ole|bin|binti|van|von|der|de|da|del|di|du|la|le|al|el|ibn)"
)


def is_person_shaped(name: str) -> bool:
    """Two to MAX_NAME_WORDS words, each capitalised or a particle, no digits ("Thunderbolt 3
    Apple" is no one's name, and its last word is nobody's surname), and no word in capitals
    among words that are not ("Browns DL Sheldon Richardson", "Pokemon Sword OR Shield")."""
    parts = tokens(name)
    capitals = [len(part) > 1 and part.isupper() for part in parts]
    return (
        2 <= len(parts) <= MAX_NAME_WORDS
        and (all(capitals) or not any(capitals))
        and all(NAME_WORD.fullmatch(part) and not any(ch.isdigit() for ch in part) for part in parts)
    )


def _may_be_the_person(candidate: Candidate) -> bool:
    """Whether a surname the model typed otherwise may be retyped as the person's: not when the
    gazetteer typed it, which is evidence of its own ("Kenya" stays a place beside "Uhuru Kenya")."""
    return not candidate.resolution.startswith("gazetteer")


def _containing(parts: list[str], names: list[str], own: str, enough: int = 2) -> list[str]:
    """Up to `enough` of `names` (other than `own`) that hold `parts` in order: two is ambiguous."""
    found = []
    for full in names:
        if full != own and is_subsequence(parts, tokens(full)):
            found.append(full)
            if len(found) == enough:
                break
    return found
