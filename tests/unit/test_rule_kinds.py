"""Products, sky bodies, teams and technical words: each retype or drop needs words in the text.

Small texts of our own, each with the case where the rule must not fire.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules.common_words import common_acronyms, drop_technical_words
from pipeline.extract.rules.kinds import (
    extend_model_numbers,
    type_listed_people,
    type_people_by_kin,
    type_products,
    type_services,
    type_sky_bodies,
    type_teams,
    type_words_by_shape,
)
from pipeline.extract.rules.spans import clean_candidate


def mentions(text: str, *specs: str, origin: str = "model") -> list[Candidate]:
    """The model's mentions "Surface LABEL", in order; a repeated surface takes its next occurrence."""
    seen: Counter[str] = Counter()
    found = []
    for spec in specs:
        surface, label = spec.rsplit(" ", 1)
        start = -1
        for _ in range(seen[surface] + 1):
            start = text.index(surface, start + 1)
        seen[surface] += 1
        found.append(
            Candidate("body", start, start + len(surface), surface, label, label, origin, name=surface)
        )
    return found


def labels(candidates: list[Candidate]) -> list[str]:
    return [f"{c.text} {c.label}" for c in candidates]


LISTED = ("Kevin Omondi PERSON", "Safaricom Group ORG", "Brian Wafula PERSON")
"""An organisation listed between two people stays an organisation: it has a head word."""

SPORTS = (
    "Ghana beat Uganda 2-0 in Kampala to top the qualifying group. Uganda scored late but the goal "
    "was ruled out. Ghana meet Mali in the next match, and Kampala hosts the tournament."
)


@pytest.mark.parametrize(
    ("rule", "text", "before", "after"),
    [
        (
            type_products,
            "Dell's new 14-inch XPS Slim ships in May. The XPS Slim weighs little. Dell said so.",
            ["Dell ORG", "XPS Slim ORG", "XPS Slim ORG", "Dell ORG"],
            ["Dell ORG", "XPS Slim PRODUCT", "XPS Slim PRODUCT", "Dell ORG"],
        ),
        (
            type_products,
            "The 13-inch Lenovo ThinkBook sold well.",
            ["Lenovo ORG", "ThinkBook ORG"],
            ["Lenovo ORG", "ThinkBook ORG"],
        ),
        (
            type_products,
            "Samsung's Galaxy Ultra is out. The Juno spacecraft reached Jupiter. A NASA spacecraft waits.",
            ["Samsung ORG", "Galaxy Ultra ORG", "Juno PERSON", "NASA ORG"],
            ["Samsung ORG", "Galaxy Ultra PRODUCT", "Juno PRODUCT", "NASA ORG"],
        ),
        (
            type_sky_bodies,
            "Saturn's moon Titan has lakes. Titan is cold.",
            ["Saturn PRODUCT", "Titan GPE", "Titan GPE"],
            ["Saturn LOC", "Titan LOC", "Titan LOC"],
        ),
        (
            type_sky_bodies,
            "Titan shares rose on Monday after Mercury bought a stake.",
            ["Titan ORG", "Mercury ORG"],
            ["Titan ORG", "Mercury ORG"],
        ),
        (
            type_sky_bodies,
            "Freddie Mercury sang of the planets. Mercury wrote the song.",
            ["Freddie Mercury PERSON", "Mercury PERSON"],
            ["Freddie Mercury PERSON", "Mercury PERSON"],
        ),
        (
            type_teams,
            SPORTS,
            ["Ghana GPE", "Uganda GPE", "Kampala GPE", "Uganda GPE", "Ghana GPE", "Mali GPE", "Kampala GPE"],
            ["Ghana ORG", "Uganda ORG", "Kampala GPE", "Uganda ORG", "Ghana ORG", "Mali GPE", "Kampala GPE"],
        ),
        (
            type_teams,
            "Leopards 2, Sharks 1: two goals lifted the league leaders. Otieno scored for Nairobi, and "
            "Mombasa held on late in the match. Otieno, a Nairobi native, lives in Nairobi.",
            ["Nairobi GPE", "Mombasa GPE", "Nairobi GPE", "Nairobi GPE"],
            ["Nairobi ORG", "Mombasa ORG", "Nairobi GPE", "Nairobi GPE"],
        ),
        (
            type_teams,
            "Ghana beat Uganda 2-0 in the qualifying match. The tournament playoffs: Ghana, Mali/Togo "
            "and Niger. Mali is a country of the Sahel.",
            ["Ghana GPE", "Uganda GPE", "Ghana GPE", "Mali GPE", "Togo GPE", "Niger GPE", "Mali GPE"],
            ["Ghana ORG", "Uganda ORG", "Ghana ORG", "Mali ORG", "Togo ORG", "Niger ORG", "Mali ORG"],
        ),
        (
            type_teams,
            "Leopards 2, Sharks 1: two goals in the league match lifted them. Otieno scored late for "
            "the Sharks. Williams said the tournament was hard.",
            ["Leopards PERSON", "Sharks PERSON", "Sharks PERSON", "Williams PERSON"],
            ["Leopards ORG", "Sharks ORG", "Sharks ORG", "Williams PERSON"],
        ),
        (
            type_listed_people,
            "Otieno Okello, Brian Wafula and Kevin Omondi scored, as did Kevin Omondi, Safaricom Group "
            "and Brian Wafula.",
            [*("Otieno Okello PERSON", "Brian Wafula ORG", "Kevin Omondi PERSON"), *LISTED],
            [*("Otieno Okello PERSON", "Brian Wafula PERSON", "Kevin Omondi PERSON"), *LISTED],
        ),
        (
            type_teams,
            "Kenya voted against Russia at the UN on Monday, and Kenya beat its own export record.",
            ["Kenya GPE", "Russia GPE", "Kenya GPE"],
            ["Kenya GPE", "Russia GPE", "Kenya GPE"],
        ),
    ],
)
def test_a_retype_needs_words_in_the_text(rule, text: str, before: list[str], after: list[str]) -> None:
    assert labels(rule({"body": text}, mentions(text, *before))) == after


def test_a_retype_says_why_and_leaves_the_gazetteer_type_alone() -> None:
    text = "Dell's new 14-inch XPS Slim ships. The 5-inch Kenya map."
    (retyped,) = type_products({"body": text}, mentions(text, "XPS Slim ORG"))
    assert retyped.resolution == "PRODUCT: a size before it in the article, model said ORG"
    kenya = mentions(text, "Kenya GPE", origin="gazetteer")
    assert type_products({"body": text}, kenya) == kenya


def test_hardware_words_standards_and_acronyms_of_lower_case_words_are_dropped() -> None:
    text = (
        "The laptop's CPU and two USB-C ports impressed; a Thunderbolt 4 dock works. Doctors "
        "diagnosed chronic obstructive pulmonary disease (COPD). COPD is common. Intel said so. "
        "The plant makes 40 MW. Kenya tops Group C."
    )
    assert common_acronyms({"body": text}) == {"COPD"}
    found = mentions(
        text,
        *("CPU ORG", "USB-C ORG", "Thunderbolt 4 PERSON", "COPD ORG", "COPD ORG", "Intel ORG"),
        *("MW ORG", "Kenya GPE", "Group C ORG"),
    )
    assert labels(drop_technical_words({"body": text}, found)) == ["Intel ORG", "Kenya GPE"]


def test_a_year_before_a_name_is_no_part_of_it() -> None:
    text = "the 1963 Lancaster House Conference and the 2016 MacBook Pro, but not Euro 2020."
    assert [
        c.text for c in clean_candidate(text, *mentions(text, "1963 Lancaster House Conference EVENT"))
    ] == ["Lancaster House Conference"]
    assert [c.text for c in clean_candidate(text, *mentions(text, "2016 MacBook Pro EVENT"))] == [
        "MacBook Pro"
    ]
    assert [c.text for c in clean_candidate(text, *mentions(text, "Euro 2020 EVENT"))] == ["Euro 2020"]


def test_an_acronym_of_capitalised_words_is_a_name_and_stays() -> None:
    text = "the Kenya Medical Research Institute (KEMRI) said, and the institute, or KEMRI, agreed."
    found = mentions(text, "KEMRI ORG", "KEMRI ORG")
    assert common_acronyms({"body": text}) == set()
    assert drop_technical_words({"body": text}, found) == found


def test_a_description_and_a_species_genus_are_no_names() -> None:
    text = "My laptop has a Touch Bar. Doctors found Escherichia coli, and Escherichia Ltd said so."
    (described,) = mentions(text, "a Touch Bar LAW")
    assert clean_candidate(text, described) == []
    found = mentions(text, "Escherichia ORG", "Escherichia ORG")
    assert drop_technical_words({"body": text}, found) == found[1:]


def test_an_event_head_word_makes_an_event_but_not_a_games_company() -> None:
    text = "the Nairobi Design Week and the Kenya Motor Show, said Epic Games."
    found = mentions(text, "Nairobi Design Week ORG", "Kenya Motor Show GPE", "Epic Games ORG")
    assert [f"{c.text} {c.label}" for m in found for c in clean_candidate(text, m)] == [
        "Nairobi Design Week EVENT",
        "Kenya Motor Show EVENT",
        "Epic Games ORG",
    ]


def test_a_lower_case_phrase_is_no_name_but_a_lower_case_brand_is() -> None:
    text = "sauteed using nonstick spray, says ecobee."
    assert clean_candidate(text, *mentions(text, "nonstick spray ORG")) == []
    assert [c.text for c in clean_candidate(text, *mentions(text, "ecobee ORG"))] == ["ecobee"]


def test_a_model_number_after_a_product_or_series_word_is_part_of_its_name() -> None:
    text = (
        "The Radeon Pro 5500M beats the Apple Watch Series 5 on price. Airbus A350-900 jets fly; "
        "the Radeon Pro costs 600 dollars, and Kenya Series 2 is a tax."
    )
    found = mentions(
        text, "Radeon Pro PRODUCT", "Apple Watch Series ORG", "Airbus ORG", "Radeon Pro PRODUCT", "Kenya GPE"
    )
    extended = extend_model_numbers({"body": text}, found)
    assert labels(extended) == [
        "Radeon Pro 5500M PRODUCT",
        "Apple Watch Series 5 PRODUCT",
        "Airbus ORG",
        "Radeon Pro PRODUCT",
        "Kenya GPE",
    ]
    assert all(text[c.start : c.end] == c.text == c.name for c in extended)
    assert "'5500M'" in extended[0].resolution and "model said ORG" in extended[1].resolution


def test_a_common_nouns_possessive_opens_an_institutions_name_but_a_names_splits_it() -> None:
    text = "the People’s Liberation Army and the U.S. Attorney's Office, but the Kenya’s Defence Forces"
    whole = [c.text for m in mentions(text, "People’s Liberation Army ORG") for c in clean_candidate(text, m)]
    office = [c.text for m in mentions(text, "U.S. Attorney's Office ORG") for c in clean_candidate(text, m)]
    split = [c.text for m in mentions(text, "Kenya’s Defence Forces ORG") for c in clean_candidate(text, m)]
    assert (whole, office, split) == (
        ["People’s Liberation Army"],
        ["U.S. Attorney's Office"],
        ["Kenya", "Defence Forces"],
    )


def test_an_exit_word_is_an_event_and_a_places_people_a_nationality() -> None:
    text = (
        "Brexit split Britain. Nairobians and Delhiites, far from Nairobi and Delhi, met Exit Ltd "
        "and Delhi Mwangi."
    )
    found = mentions(
        text,
        "Brexit GPE",
        "Britain GPE",
        "Nairobians PERSON",
        "Delhiites PERSON",
        "Nairobi GPE",
        "Delhi GPE",
        "Exit Ltd ORG",
        "Delhi Mwangi PERSON",
    )
    shaped = type_words_by_shape({"body": text}, found)
    assert labels(shaped) == [
        "Brexit EVENT",
        "Britain GPE",
        "Nairobians NORP",
        "Delhiites NORP",
        "Nairobi GPE",
        "Delhi GPE",
        "Exit Ltd ORG",
        "Delhi Mwangi PERSON",
    ]
    assert shaped[3].resolution == "NORP: the people of Delhi, a place in the article, model said PERSON"
    assert type_words_by_shape({"body": text}, found[2:4]) == found[2:4]


@pytest.mark.parametrize(
    ("rule", "text", "specs", "after", "why"),
    [
        (
            type_services,
            "Twitter posted it on the Twitter account. Trump's account and the Trump campaign said so.",
            ("Twitter PERSON", "Twitter PERSON", "Trump PERSON", "Trump PERSON"),
            ["Twitter ORG", "Twitter ORG", "Trump PERSON", "Trump PERSON"],
            "ORG: the word 'account' after it in the article, model said PERSON",
        ),
        (
            type_people_by_kin,
            "Trump would go. Critics attacked Trump’s wife. Kenya’s sons and Safaricom’s shares rose.",
            ("Trump ORG", "Trump ORG", "Kenya GPE", "Safaricom ORG"),
            ["Trump PERSON", "Trump PERSON", "Kenya GPE", "Safaricom ORG"],
            "PERSON: '’s wife' after it in the article, model said ORG",
        ),
    ],
)
def test_a_noun_after_a_name_says_what_it_is_in_every_mention(
    rule, text: str, specs: tuple[str, ...], after: list[str], why: str
) -> None:
    retyped = rule({"body": text}, mentions(text, *specs))
    assert labels(retyped) == after
    assert retyped[0].resolution == why


def test_a_model_word_makes_a_product_of_what_the_model_called_a_law() -> None:
    text = "the old Mac Pro did. The Mac Pro ships."
    found = mentions(text, "Mac Pro LAW", "Mac Pro LAW")
    assert labels(type_products({"body": text}, found)) == ["Mac Pro PRODUCT", "Mac Pro PRODUCT"]
