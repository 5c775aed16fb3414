"""Common words the model takes for names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.extract.candidate import Candidate, tokens

COMMON_WORD_TYPES = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})


def drop_common_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A one-word name the article also writes in lower case ("Missions" / "missions", "Wireless" /
    "wireless") is a noun; places and nationalities are left alone, and so is what the gazetteer
    knows."""
    lowered = {field: set(re.findall(r"\b[a-z][\w-]*\b", text)) for field, text in fields.items()}
    words = set().union(*lowered.values()) if lowered else set()
    return [
        c
        for c in candidates
        if not (
            c.label in COMMON_WORD_TYPES
            and c.origin == "model"
            and not c.resolution.startswith("gazetteer")
            and len(tokens(c.name)) == 1
            and c.name.casefold() in words
            and c.name[0].isupper()
        )
    ]
