"""Places no list knows and the text never places: the model's GPE with no evidence it is a place.

The model calls many capitalised names a GPE ("Emirates inks an order", "Jefferies said"). A
real place is either in a place list (pycountry, GeoNames' cities and regions, the gazetteer) or
written where places are ("in Kasipul", "from Braunau"); a name with neither is not kept as one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from pipeline.extract.candidate import Candidate
from pipeline.extract.places import locate

PLACE_WORDS = re.compile(
    r"\b(?:County|State|City|Province|District|Region|Town|Village|Island|Islands|Republic|Kingdom|"
    r"Valley|Bay|Coast|Heights|Hills|Park)\b"
)
"""Words of a place's own name ("Napa County", "Wichita Heights"): a place by its shape."""

PLACE_BEFORE = re.compile(r"\b(?:in|at|near|from|outside|around|across|throughout|within|into)\s+(?=\S)")
"""Prepositions places are written after ("in Kasipul", "from Braunau")."""


WORD_KEY = re.compile(r"[\w.-]*")
"""A word's letters, up to an apostrophe or punctuation: "Braunau" of "Braunau's" and "Braunau."."""


def word_key(text: str, start: int = 0) -> str:
    return WORD_KEY.match(text, start, start + 60).group().rstrip(".")  # type: ignore[union-attr]


class PlacedWords:
    """Where an article writes a word right after a place's preposition, by the word: one pass
    over the text, so asking about many names reads only the spots their first word is at."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.spots: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for field, text in fields.items():
            for match in PLACE_BEFORE.finditer(text):
                self.spots[word_key(text, match.end())].append((field, match.end()))

    def placed(self, name: str) -> bool:
        """Whether the article writes `name`, as whole words, after a place's preposition."""
        return any(
            self.fields[field].startswith(name, start)
            and not self.fields[field][start + len(name) : start + len(name) + 1].isalnum()
            for field, start in self.spots.get(word_key(name), ())
        )


def drop_unknown_places(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A GPE the model found that no place list knows, with no place's word in it, not an
    abbreviation ("Mich.", "DRC"), and never written after "in", "at", "from" and the like, is
    dropped: the model's reading is the only evidence it is a place."""
    unplaced: dict[str, bool] = {}
    placed = PlacedWords(fields)

    def is_unplaced(candidate: Candidate) -> bool:
        if (
            candidate.label != "GPE"
            or candidate.origin != "model"
            or candidate.typed_by_gazetteer
            or "." in candidate.name
            or candidate.name.isupper()
            or PLACE_WORDS.search(candidate.name)
        ):
            return False
        if candidate.name not in unplaced:
            unplaced[candidate.name] = locate(candidate.name) is None and not placed.placed(candidate.name)
        return unplaced[candidate.name]

    return [c for c in candidates if not is_unplaced(c)]
