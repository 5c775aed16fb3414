"""Closed vocabularies: the values some columns may take, written once (CHECK constraints use them)."""

from __future__ import annotations

NAME_TYPES = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
"""The spaCy (OntoNotes) labels that name something; the numeric ones are dropped."""

OTHER_SCHEME_LABELS = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}
"""The labels of spaCy's WikiNER-trained models (German, French, Spanish, Portuguese, Russian, ...)
in OntoNotes terms. Their MISC (nationalities, events, works and more at once) has no one type, so
those spans are not names here."""

ARTICLE_FIELDS = ("title", "dateline", "author", "body")
"""Article columns that mentions point into."""

PLACE_TYPES = frozenset({"GPE", "LOC"})
"""Entity types that are places and can have coordinates."""

PLACE_POINT = "place"
REGION_CENTROID = "region centroid"
COUNTRY_CENTROID = "country centroid"
COORDINATE_SOURCES = (PLACE_POINT, REGION_CENTROID, COUNTRY_CENTROID)
"""What a place entity's latitude and longitude are: the GeoNames point of the city or town itself,
the centroid of a first-level region (data/centroids/regions.csv), or the centroid of a country's
main land mass (data/centroids/countries.csv)."""

ORIGIN_CONFIDENCE = {
    "model": 0.8,
    "dateline": 0.9,
    "gazetteer": 0.9,
    "acronym definition": 0.9,
    "known as": 0.85,
    "alias in article": 0.85,
    "acronym in article": 0.85,
    "surname in article": 0.8,
}
"""What can produce a mention (the model or one of our rules), with how sure it is, from 0 to 1."""

ORIGINS = tuple(ORIGIN_CONFIDENCE)

STAGES = ("ingest", "clean", "enrich", "resolve", "release")
"""The stages, in the order a run goes through them."""
