"""Common words the model takes for names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.extract.candidate import Candidate, tokens


def drop_common_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A one-word "person" the article also writes in lower case ("Missions" / "missions") is a noun."""
    lowered = {field: set(re.findall(r"\b[a-z][\w-]*\b", text)) for field, text in fields.items()}
    words = set().union(*lowered.values()) if lowered else set()
    return [
        c
        for c in candidates
        if not (
            c.label == "PERSON"
            and c.origin == "model"
            and len(tokens(c.name)) == 1
            and c.name.casefold() in words
            and c.name[0].isupper()
        )
    ]
