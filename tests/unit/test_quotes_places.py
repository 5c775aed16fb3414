"""Quotations with their speakers, and places with their coordinates, on small texts."""

from __future__ import annotations

import pytest

from pipeline.extract.candidate import Candidate
from pipeline.extract.places import locate
from pipeline.extract.quotes import find_quotes


def person(text: str, surface: str, name: str, occurrence: int = 0) -> Candidate:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Candidate("body", start, start + len(surface), surface, "PERSON", "PERSON", "model", name=name)


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("“We will build more roads for everyone,” Sakaja said.", "said"),
        ("“We will build more roads for everyone,” said Sakaja.", "said"),
        ("“We will build more roads for everyone,” Governor Sakaja posted on X.", "posted"),
        ("Sakaja said: “We will build more roads for everyone.”", "said"),
    ],
)
def test_the_attributed_speaker_and_verb_are_found(text: str, verb: str) -> None:
    (quote,) = find_quotes("body", text, [person(text, "Sakaja", "Johnson Sakaja")])
    assert quote.speaker is not None and quote.speaker.name == "Johnson Sakaja"
    assert quote.verb == verb
    assert text[quote.start : quote.end] == quote.text
    assert quote.text.startswith("We will build")


def test_a_pronoun_gives_the_verb_but_no_guessed_speaker() -> None:
    text = "Sakaja arrived. “We will build more roads for everyone,” he said."
    (quote,) = find_quotes("body", text, [person(text, "Sakaja", "Johnson Sakaja")])
    assert quote.speaker is None
    assert quote.verb == "said"


def test_a_name_far_from_the_quotation_is_not_its_speaker() -> None:
    text = "“We will build more roads for everyone,” the statement read, weeks after Sakaja said little."
    (quote,) = find_quotes("body", text, [person(text, "Sakaja", "Johnson Sakaja")])
    assert quote.speaker is None


def test_short_scare_quotes_are_not_quotations() -> None:
    assert find_quotes("body", "the so-called “deep state” again", []) == []


def test_quotes_only_in_their_own_column() -> None:
    text = "“We will build more roads for everyone,” Sakaja said."
    other = Candidate("title", 0, 6, "Sakaja", "PERSON", "PERSON", "model", name="Johnson Sakaja")
    (quote,) = find_quotes("body", text, [other])
    assert quote.speaker is None


def test_a_city_gets_coordinates_and_its_geonames_id() -> None:
    place = locate("Nairobi")
    assert place is not None
    assert place.country_code == "KE"
    assert place.geonames_id == 184745
    assert place.latitude == pytest.approx(-1.28, abs=0.05)
    assert place.longitude == pytest.approx(36.82, abs=0.05)


def test_countries_by_usual_and_short_names() -> None:
    assert locate("Kenya").country_code == "KE"
    assert locate("UK").country_code == "GB"
    assert locate("Tanzania").country_code == "TZ"


def test_the_country_hint_chooses_between_cities_of_one_name() -> None:
    assert locate("Kingston").country_code == "JM"
    assert locate("Kingston", "CA").country_code == "CA"


def test_an_unknown_name_is_not_placed() -> None:
    assert locate("Gachagua") is None


def test_countries_get_the_centroid_of_their_main_land_mass() -> None:
    kenya = locate("Kenya")
    assert kenya.latitude == pytest.approx(0.5, abs=1.0) and kenya.longitude == pytest.approx(37.9, abs=1.0)
    uk = locate("UK")
    assert 50 < uk.latitude < 58 and -6 < uk.longitude < 2  # Great Britain, not an overseas territory
    france = locate("France")
    assert 42 < france.latitude < 51 and -5 < france.longitude < 8  # not pulled towards French Guiana
