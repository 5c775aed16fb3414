"""Capitals that are no evidence, bare institutions, product lines, laws without a law's word and
more technical words: each change needs words in the text, and each has a case where it must not fire.

Small texts of our own.
"""

from __future__ import annotations

from collections import Counter

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules.common_words import drop_common_words, drop_technical_words
from pipeline.extract.rules.headings import (
    drop_heading_words,
    is_heading,
    lower_case_words,
    trim_opening_words,
)
from pipeline.extract.rules.institutions import link_bare_institutions
from pipeline.extract.rules.kinds import type_product_lines, type_teams
from pipeline.extract.rules.laws import drop_wordless_laws
from pipeline.extract.rules.spans import clean_candidate
from pipeline.extract.rules.unknown_places import drop_unknown_places


def mentions(text: str, *specs: str, origin: str = "model", field: str = "body") -> list[Candidate]:
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
            Candidate(field, start, start + len(surface), surface, label, label, origin, name=surface)
        )
    return found


def described(candidates: list[Candidate]) -> list[str]:
    return [f"{c.text} {c.label} -> {c.name}" for c in candidates]


RECIPE = (
    "Eat a light meal after training; a good recovery meal has protein.\n\n"
    "Recovery Meal\n\n"
    "Grilled fish with rice. Otieno Kamau cooks it at the Nairobi Kitchen every week.\n\n"
    "Nairobi Kitchen Specials"
)


def test_a_heading_of_the_articles_common_words_is_no_name() -> None:
    found = mentions(RECIPE, "Recovery Meal ORG", "Otieno Kamau PERSON")
    assert described(drop_heading_words({"body": RECIPE}, found)) == ["Otieno Kamau PERSON -> Otieno Kamau"]


def test_a_heading_name_written_in_running_text_or_not_of_common_words_stays() -> None:
    # "Nairobi Kitchen" is in a sentence too; "Specials" alone would be no reason to drop a name
    found = mentions(RECIPE, "Nairobi Kitchen ORG", "Nairobi Kitchen ORG")
    assert drop_heading_words({"body": RECIPE}, found) == found
    text = "Watch Out For Wanjiru Mwangi\n\nThe runner who watches out for no one."
    named = mentions(text, "Wanjiru Mwangi PERSON")
    assert drop_heading_words({"body": text}, named) == named


def test_a_sentence_is_no_heading() -> None:
    assert is_heading("Nairobi Kitchen Specials")
    assert is_heading("Not Merely Taste and Smell Receptors")
    assert not is_heading("Grilled fish with rice.")
    assert not is_heading("Specials")


def test_a_sentences_first_common_word_comes_off_a_name_found_alone() -> None:
    title = "Village Kenyatta grew up in is a museum now"
    body = "The village where Jomo Kenyatta grew up is a museum. Kenyatta lived there as a boy."
    fields = {"title": title, "body": body}
    found = [
        *mentions(title, "Village Kenyatta PERSON", field="title"),
        *mentions(body, "Kenyatta PERSON", "Kenyatta PERSON"),
    ]
    cut, *rest = trim_opening_words(fields, found)
    assert (cut.field, cut.start, cut.text, cut.label) == ("title", 8, "Kenyatta", "PERSON")
    assert cut.resolution.startswith("'Village' cut: a sentence's first words")
    assert rest == found[1:]


def test_the_opening_word_stays_when_the_name_is_written_whole_or_never_alone() -> None:
    body = "Home Depot raised its outlook. Shares of Home Depot rose, and home sales held up."
    found = mentions(body, "Home Depot ORG", "Home Depot ORG")
    # written mid-sentence too: the capital of "Home" is the name's, not the sentence's
    assert trim_opening_words({"body": body}, [*found, *mentions(body, "Depot ORG")]) == [
        *found,
        *mentions(body, "Depot ORG"),
    ]
    alone = "New Zealand won. The new coach was pleased."
    kept = mentions(alone, "New Zealand GPE")
    assert trim_opening_words({"body": alone}, kept) == kept


def test_a_bare_institution_joins_the_one_the_article_names_in_full() -> None:
    text = "The Kenyan Senate sat on Tuesday. The Senate passed the bill, and the Senate rose."
    found = mentions(text, "Kenyan Senate ORG", "Senate ORG", "Senate ORG")
    assert described(link_bare_institutions(found)) == [
        "Kenyan Senate ORG -> Kenyan Senate",
        "Senate ORG -> Kenyan Senate",
        "Senate ORG -> Kenyan Senate",
    ]
    assert link_bare_institutions(found)[1].resolution == (
        "the one Senate the article names in full: Kenyan Senate"
    )


def test_a_bare_institution_with_two_or_no_full_names_stays() -> None:
    text = "The Kenyan Senate and the Nigerian Senate met; the Senate of each spoke. A Senate sat."
    found = mentions(text, "Kenyan Senate ORG", "Nigerian Senate ORG", "Senate ORG")
    assert link_bare_institutions(found) == found
    lone = mentions(text, "Senate ORG")
    assert link_bare_institutions(lone) == lone


def test_a_product_line_is_a_product_when_its_model_is_named() -> None:
    text = "The Pixel Pro is out. Older Pixels and the Pixel still sell, says Google."
    found = mentions(text, "Pixel Pro PRODUCT", "Pixels ORG", "Pixel ORG", "Google ORG")
    assert described(type_product_lines({"body": text}, found)) == [
        "Pixel Pro PRODUCT -> Pixel Pro",
        "Pixels PRODUCT -> Pixels",
        "Pixel PRODUCT -> Pixel",
        "Google ORG -> Google",
    ]
    without = mentions(text, "Pixels ORG", "Pixel ORG")
    assert type_product_lines({"body": text}, without) == without


def test_a_law_without_a_laws_word_is_dropped() -> None:
    text = "The Touch Strip glows. Phase 2 starts. The Data Protection Act applies, as does BETA."
    found = mentions(text, "Touch Strip LAW", "Phase 2 LAW", "Data Protection Act LAW", "BETA LAW")
    assert described(drop_wordless_laws(found)) == [
        "Data Protection Act LAW -> Data Protection Act",
        "BETA LAW -> BETA",
    ]
    known = mentions(text, "Touch Strip LAW", origin="gazetteer")
    assert drop_wordless_laws(known) == known


def test_display_words_units_and_quarters_are_no_names() -> None:
    text = "An RGB panel, 2TB of storage and an ECG at 40 degrees Celsius; Q3 sales rose at Safaricom."
    found = mentions(text, "RGB ORG", "TB ORG", "ECG ORG", "Celsius GPE", "Q3 PERSON", "Safaricom ORG")
    assert described(drop_technical_words({"body": text}, found)) == ["Safaricom ORG -> Safaricom"]


def test_an_infirmary_is_a_facility() -> None:
    text = "doctors at the Coast General Infirmary said"
    (found,) = mentions(text, "Coast General Infirmary ORG")
    assert [(c.text, c.label) for c in clean_candidate(text, found)] == [("Coast General Infirmary", "FAC")]


def test_a_capitalised_word_whose_plural_the_article_writes_is_a_noun() -> None:
    text = "Steamer lung comes from steamers left wet. Wanjiku said so, and Wanjiku left."
    found = mentions(text, "Steamer PERSON", "Wanjiku PERSON")
    assert described(drop_common_words({"body": text}, found)) == ["Wanjiku PERSON -> Wanjiku"]


def test_a_place_no_list_knows_and_the_text_never_places_is_dropped() -> None:
    text = "Kestrelane inks an order for jets. Nairobi welcomed it, and Tuvimbo County cheered."
    found = mentions(text, "Kestrelane GPE", "Nairobi GPE", "Tuvimbo County GPE")
    assert described(drop_unknown_places({"body": text}, found)) == [
        "Nairobi GPE -> Nairobi",
        "Tuvimbo County GPE -> Tuvimbo County",
    ]


def test_a_place_the_text_writes_after_in_or_from_stays() -> None:
    text = "Kestrelane votes today. Voters in Kestrelane queued early."
    found = mentions(text, "Kestrelane GPE", "Kestrelane GPE")
    assert drop_unknown_places({"body": text}, found) == found
    known = mentions(text, "Kestrelane GPE", origin="gazetteer")
    assert drop_unknown_places({"body": "Kestrelane votes today."}, known) == known


def test_a_plural_name_after_the_in_a_sports_report_is_a_team() -> None:
    report = "The Falcons won the league match on penalties; Kiprop scored twice for the Falcons."
    found = mentions(report, "Falcons NORP", "Kiprop PERSON", "Falcons NORP")
    assert described(type_teams({"body": report}, found)) == [
        "Falcons ORG -> Falcons",
        "Kiprop PERSON -> Kiprop",
        "Falcons ORG -> Falcons",
    ]
    family = "The Kamaus hosted a dinner for the neighbours; the Kamaus cooked."
    kin = mentions(family, "Kamaus PERSON", "Kamaus PERSON")
    assert type_teams({"body": family}, kin) == kin


def test_a_list_in_one_span_is_one_name_each_but_not_an_institution_or_a_company_form() -> None:
    text = (
        "Safaricom/Airtel and Equity Bank, Co-op Bank met the Ministry of Roads, Transport and Works "
        "and Acme, Inc."
    )
    found = mentions(
        text,
        "Safaricom/Airtel ORG",
        "Equity Bank, Co-op Bank ORG",
        "Ministry of Roads, Transport and Works ORG",
    )
    pieces = [c.text for candidate in found for c in clean_candidate(text, candidate)]
    assert pieces == [
        "Safaricom",
        "Airtel",
        "Equity Bank",
        "Co-op Bank",
        "Ministry of Roads, Transport and Works",
    ]
    (company,) = mentions(text, "Acme, Inc. ORG")
    assert [c.text for c in clean_candidate(text, company)] == ["Acme, Inc."]


def test_a_lettered_path_or_pool_is_no_name() -> None:
    text = "Path C: Kenya, Uganda. Pool B plays on Friday in Nairobi."
    found = mentions(text, "Path C ORG", "Kenya GPE", "Pool B ORG", "Nairobi GPE")
    assert described(drop_technical_words({"body": text}, found)) == [
        "Kenya GPE -> Kenya",
        "Nairobi GPE -> Nairobi",
    ]


def test_lower_case_words_answer_for_the_columns_asked_about_not_the_last_ones() -> None:
    first, second = {"body": "the budget was read"}, {"body": "a tender was cancelled"}
    assert "budget" in lower_case_words(first) and "tender" not in lower_case_words(first)
    assert "tender" in lower_case_words(second) and "budget" not in lower_case_words(second)
    assert "budget" in lower_case_words(first)
    assert "budget" not in lower_case_words({"body": "the Budget"})
