"""Regions (first-level subdivisions, Kenya's counties and former provinces) get a centroid."""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_pipeline, settings_for
from support.places import BOXES, REGIONS_IN_ARTICLES, inside, write_region_articles

from pipeline.extract.gazetteer import surface_forms
from pipeline.extract.places import REGIONS_FILE, locate
from pipeline.schema.vocab import COORDINATE_SOURCES, PLACE_TYPES


@pytest.mark.parametrize(("name", "hint"), sorted(BOXES, key=str))
def test_a_region_is_placed_inside_its_bounding_box(name: str, hint: str | None) -> None:
    place = locate(name, hint)
    assert place is not None and place.latitude is not None and place.longitude is not None
    assert inside(BOXES[(name, hint)], place.latitude, place.longitude), place


def test_a_region_says_its_point_is_a_centroid_and_a_city_says_it_is_itself() -> None:
    assert locate("Rift Valley", "KE").coordinate_source == "region centroid"
    assert locate("Texas").coordinate_source == "region centroid"
    assert locate("Texas").geonames_id == 4736286  # the state's own GeoNames record
    assert locate("Nairobi").coordinate_source == "place"
    assert locate("Kenya").coordinate_source == "country centroid"
    assert locate("Mt. Kenya", "KE").coordinate_source is None


def test_a_region_in_the_hinted_country_beats_a_city_of_that_name_abroad() -> None:
    nyanza = locate("Nyanza", "KE")  # not Nyanza, the town in Rwanda
    assert nyanza.country_code == "KE" and nyanza.coordinate_source == "region centroid"


def test_without_a_country_a_region_wins_only_by_far() -> None:
    assert locate("Florida").country_code == "US"  # 16 million people, not the Cuban town
    washington = locate("Washington")
    assert washington.coordinate_source == "place" and washington.latitude == pytest.approx(38.9, abs=0.1)
    assert locate("Punjab") is None  # Pakistan's or India's: nobody's guess
    assert locate("Punjab", "IN").country_code == "IN"


def test_the_region_file_is_well_formed() -> None:
    with REGIONS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 3000
    assert Counter((r["country_code"], r["name"]) for r in rows).most_common(1)[0][1] == 1
    for row in rows:
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180, row
        assert int(row["places"]) >= 1 and row["admin1_codes"], row
    assert sum(r["country_code"] == "US" for r in rows) == 51  # the states and DC


NOT_REGIONS = {
    "Mt. Kenya": "a mountain (and the highlands around it), not an administrative region",
    "North Rift": "an informal part of the Rift Valley with no agreed list of counties",
    "South Rift": "an informal part of the Rift Valley with no agreed list of counties",
    "Central Rift": "an informal part of the Rift Valley with no agreed list of counties",
    "Luo Nyanza": "a cultural area with no agreed list of counties",
    "Northern Kenya": "an informal area with no agreed list of counties",
    "Lower Eastern": "'broadly Ukambani': no agreed list of counties",
    "Upper Eastern": "part of the former Eastern Province with no agreed list of counties",
    "Kerio Valley": "a valley, a natural feature",
    "Aberdare Range": "a mountain range, a natural feature",
    "Cherangany Hills": "hills, a natural feature",
    "Chalbi Desert": "a desert, a natural feature",
    "Lamu Archipelago": "islands, a natural feature",
    "Lake Naivasha": "a lake, a natural feature",
    "Lake Nakuru": "a lake, a natural feature",
    "Mount Kilimanjaro": "a mountain, a natural feature",
}
"""Curated places inside one country that the packaged data cannot place, and why (a natural
feature has a GeoNames record, but no package ships those: only populated places)."""


def test_every_region_the_gazetteer_resolves_has_coordinates_or_a_reason() -> None:
    """The curated places inside one country (counties, regions, features); countries and cities
    come from the packages, and the places shared by several countries have no country to look in."""
    entries = {
        e
        for e in surface_forms().values()
        if e.label in PLACE_TYPES and e.country_code and e.source in ("kenya_counties", "regions")
    }
    assert len([e for e in entries if e.source == "kenya_counties"]) == 47
    unplaced = {}
    for entry in sorted(entries, key=lambda e: e.name):
        place = locate(entry.name, entry.country_code)
        if place is None or place.latitude is None:
            unplaced[entry.name] = NOT_REGIONS.get(entry.name, "no reason given")
        else:
            assert place.country_code == entry.country_code, entry
            assert place.coordinate_source in COORDINATE_SOURCES
    assert unplaced == NOT_REGIONS


def test_regions_in_articles_get_coordinates_inside_their_boxes(tmp_path: Path) -> None:
    write_region_articles(tmp_path / "raw")
    settings = settings_for(tmp_path)
    run_pipeline(settings)
    with sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True) as release:
        rows = {
            name: (code, latitude, longitude, source)
            for name, code, latitude, longitude, source in release.execute(
                "select name, country_code, latitude, longitude, coordinate_source from entities"
                " where type in ('GPE', 'LOC')"
            )
        }
    for name, hint in REGIONS_IN_ARTICLES:
        assert name in rows, sorted(rows)
        code, latitude, longitude, source = rows[name]
        assert code == (hint or "US")
        assert inside(BOXES[(name, hint)], latitude, longitude), (name, rows[name])
        assert source in COORDINATE_SOURCES
    assert rows["Rift Valley"][3] == rows["Texas"][3] == "region centroid"
