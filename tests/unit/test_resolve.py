"""Each resolution rule on small texts of its own, including the cases where it must not fire."""

from __future__ import annotations

import pytest

from pipeline.corpus.entities import ArticleNames, NameForm, join_surnames, resolve_corpus
from pipeline.extract.article import resolve_article
from pipeline.extract.candidate import Candidate
from pipeline.extract.rules.acronyms import acronym_of, define_acronyms
from pipeline.extract.rules.common_words import drop_common_words
from pipeline.extract.rules.gazetteer import apply_gazetteer, merge_gazetteer
from pipeline.extract.rules.known_as import link_known_as
from pipeline.extract.rules.propagate import propagate_names
from pipeline.extract.rules.roles import add_appositive_roles, appositive_role
from pipeline.extract.rules.short_names import link_short_names
from pipeline.extract.rules.spans import clean_candidate, trim_span
from pipeline.extract.rules.types import vote_types


def span(text: str, surface: str, label: str, *, occurrence: int = 0, origin: str = "model") -> Candidate:
    """The model's span over the n-th occurrence of `surface` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Candidate("body", start, start + len(surface), surface, label, label, origin, name=surface)


def named(text: str, surface: str, label: str, **kwargs) -> Candidate:
    (cleaned,) = clean_candidate(text, span(text, surface, label, **kwargs))
    return cleaned


def by_text(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    grouped: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate.text, []).append(candidate)
    return grouped


# --- span clean-up ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Treasury", "Treasury"),
        ("Odinga’s", "Odinga"),
        ("Mwangi's", "Mwangi"),
        ("(Nakuru),", "Nakuru"),
        ("in Mt. Kenya.", "in Mt. Kenya"),
        ("the U.S.", "U.S."),
    ],
)
def test_trim_span_drops_articles_possessives_and_punctuation(text: str, expected: str) -> None:
    start, end = trim_span(text, 0, len(text))
    assert text[start:end] == expected


def test_title_moves_into_the_role_and_out_of_the_name() -> None:
    text = "Yesterday former Chief Justice David Maraga spoke."
    (mention,) = clean_candidate(text, span(text, "former Chief Justice David Maraga", "PERSON"))
    assert (mention.name, mention.role) == ("David Maraga", "former Chief Justice")
    assert text[mention.start : mention.end] == "David Maraga"


def test_possessive_inside_a_person_span_ends_the_name() -> None:
    text = "Odinga’s Cabinet met."
    (mention,) = clean_candidate(text, span(text, "Odinga’s Cabinet", "PERSON"))
    assert mention.text == "Odinga"


def test_possessive_splits_a_country_from_its_agency() -> None:
    text = "officials of Tanzania’s Revenue Authority came"
    pieces = clean_candidate(text, span(text, "Tanzania’s Revenue Authority", "ORG"))
    assert [p.text for p in pieces] == ["Tanzania", "Revenue Authority"]
    assert pieces[1].label == "ORG"


# --- within an article -------------------------------------------------------------------------


def test_surname_attaches_to_the_one_full_name_in_the_article() -> None:
    text = "Amina Mohamed met envoys. Later Mohamed said more."
    linked = link_short_names(
        [named(text, "Amina Mohamed", "PERSON"), named(text, "Mohamed", "GPE", occurrence=1)]
    )
    assert linked[1].name == "Amina Mohamed"
    assert linked[1].label == "PERSON"
    assert "surname of Amina Mohamed" in linked[1].resolution


def test_surname_shared_by_two_full_names_is_not_attached() -> None:
    text = "Raila Odinga and Oburu Odinga spoke. Odinga left."
    linked = link_short_names(
        [
            named(text, "Raila Odinga", "PERSON"),
            named(text, "Oburu Odinga", "PERSON"),
            named(text, "Odinga", "PERSON", occurrence=2),
        ]
    )
    assert linked[2].name == "Odinga"


def test_an_overwhelming_vote_gives_one_type_per_name_with_the_reason() -> None:
    text = "Kakamega won. Kakamega lost. Kakamega drew. Kakamega rose."
    voted = vote_types(
        [
            named(text, "Kakamega", "GPE"),
            named(text, "Kakamega", "GPE", occurrence=1),
            named(text, "Kakamega", "GPE", occurrence=2),
            named(text, "Kakamega", "PERSON", occurrence=3),
        ]
    )
    assert {c.label for c in voted} == {"GPE"}
    assert voted[3].resolution == "type by majority in article (3 of 4 said GPE)"


def test_a_bare_majority_does_not_retype() -> None:
    text = "Thunderbolt 3 works. Thunderbolt 3 fails. Thunderbolt 3 ships."
    found = [
        named(text, "Thunderbolt 3", "PERSON"),
        named(text, "Thunderbolt 3", "PERSON", occurrence=1),
        named(text, "Thunderbolt 3", "ORG", occurrence=2),
    ]
    assert vote_types(found) == found


def test_names_the_model_missed_are_propagated_with_their_origin() -> None:
    text = "Governor Johnson Sakaja opened it. Sakaja said the Sakaja-era plan works. Sakaja left."
    found = propagate_names({"body": text}, [named(text, "Johnson Sakaja", "PERSON")])
    added = [c for c in found if c.origin != "model"]
    assert [(c.text, c.name, c.origin) for c in added] == [
        ("Sakaja", "Johnson Sakaja", "surname in article"),
        ("Sakaja", "Johnson Sakaja", "surname in article"),
    ]
    assert all(text[c.start : c.end] == c.text for c in added)


def test_a_surname_two_people_share_is_not_propagated() -> None:
    text = "Raila Odinga and Ida Odinga came. Odinga spoke."
    found = propagate_names(
        {"body": text}, [named(text, "Raila Odinga", "PERSON"), named(text, "Ida Odinga", "PERSON")]
    )
    assert len(found) == 2


def test_acronym_definition_names_both_forms_even_where_the_model_missed_them() -> None:
    text = "The National Transport and Safety Authority (NTSA) warned drivers. NTSA said so."
    defined = define_acronyms({"body": text}, [])
    assert [(c.text, c.name, c.label) for c in defined] == [
        ("National Transport and Safety Authority", "National Transport and Safety Authority", "ORG"),
        ("NTSA", "National Transport and Safety Authority", "ORG"),
    ]
    propagated = propagate_names({"body": text}, defined)
    assert [c.text for c in propagated if c.origin == "alias in article"] == ["NTSA"]


def test_policy_acronyms_are_laws() -> None:
    text = "under the Affordable Housing Programme Strategy (AHPS) today"
    (long_form, short) = define_acronyms({"body": text}, [])
    assert long_form.label == short.label == "LAW"


@pytest.mark.parametrize(
    ("long_form", "short", "expected"),
    [
        ("Bottom-Up Economic Transformation Agenda", "BETA", "Bottom-Up Economic Transformation Agenda"),
        ("met the Kenya Defence Forces", "KDF", "Kenya Defence Forces"),
        ("Foreign Office", "UK", None),
        ("Independent Policing Oversight Authority", "X", None),
    ],
)
def test_acronym_matching_follows_the_initials(long_form: str, short: str, expected: str | None) -> None:
    assert acronym_of(long_form, short) == expected


def test_known_as_makes_the_alias_a_mention_of_the_same_thing() -> None:
    text = "Acme Holdings Limited, commonly known as Acmeco, grew. Acmeco hired."
    linked = link_known_as({"body": text}, [named(text, "Acme Holdings Limited", "ORG")])
    alias = by_text(linked)["Acmeco"][0]
    assert (alias.name, alias.label, alias.origin) == ("Acme Holdings Limited", "ORG", "known as")


def test_known_as_takes_the_gazetteer_name_when_the_alias_is_curated() -> None:
    text = "the United Kingdom’s Foreign Intelligence Service, commonly known as MI6, said"
    candidates = apply_gazetteer(
        [named(text, "Foreign Intelligence Service", "ORG"), named(text, "MI6", "PERSON")]
    )
    linked = link_known_as({"body": text}, candidates)
    assert {c.name for c in linked} == {"Secret Intelligence Service"}
    assert {c.label for c in linked} == {"ORG"}


def test_gazetteer_fixes_types_and_names() -> None:
    text = "MI6 and NAIROBI"
    fixed = apply_gazetteer([named(text, "MI6", "PERSON")])
    assert (fixed[0].name, fixed[0].label) == ("Secret Intelligence Service", "ORG")
    assert "model said PERSON" in fixed[0].resolution


def test_a_one_word_national_body_needs_its_country_in_the_article() -> None:
    text = "The Cabinet met in London."
    alone = [named(text, "Cabinet", "ORG", origin="gazetteer"), named(text, "London", "GPE")]
    assert [c.text for c in apply_gazetteer(alone)] == ["London"]
    text = "The Cabinet met in Kenya."
    with_country = [named(text, "Cabinet", "ORG", origin="gazetteer"), named(text, "Kenya", "GPE")]
    assert apply_gazetteer(with_country)[0].name == "Cabinet of Kenya"


def test_gazetteer_span_wins_only_where_it_is_longer() -> None:
    text = "voters in Mt. Kenya backed the Kenya Foreign Policy"
    model = [span(text, "Kenya", "GPE"), span(text, "Kenya Foreign Policy", "ORG")]
    curated = [
        span(text, "Mt. Kenya", "LOC", origin="gazetteer"),
        span(text, "Kenya", "GPE", occurrence=1, origin="gazetteer"),
    ]
    merged = merge_gazetteer(model, curated)
    assert sorted((c.text, c.origin) for c in merged) == [
        ("Kenya Foreign Policy", "model"),
        ("Mt. Kenya", "gazetteer"),
    ]


def test_a_one_word_person_written_in_lower_case_elsewhere_is_dropped() -> None:
    text = "our Missions abroad; the missions work. Wanjiku spoke."
    kept = drop_common_words(
        {"body": text}, [named(text, "Missions", "PERSON"), named(text, "Wanjiku", "PERSON")]
    )
    assert [c.text for c in kept] == ["Wanjiku"]


@pytest.mark.parametrize(
    ("after", "role"),
    [
        (", the Chief of the Kenya Defence Forces, said", "Chief of the Kenya Defence Forces"),
        (", British High Commissioner to Kenya.", "British High Commissioner to Kenya"),
        (", a lawyer, argued", "lawyer"),
        (", once a key political ally of President Ruto, said", None),
        (", Nairobi and Mombasa.", None),
        (" said", None),
    ],
)
def test_appositive_roles(after: str, role: str | None) -> None:
    text = "Jane Doe" + after
    assert appositive_role(text, len("Jane Doe")) == role


def test_appositive_role_only_for_people_without_a_title() -> None:
    text = "President Jane Doe, the head of state, and Acme Ltd, the leader of industry."
    people = add_appositive_roles(
        {"body": text},
        [named(text, "President Jane Doe", "PERSON"), named(text, "Acme Ltd", "ORG")],
    )
    assert people[0].role == "President"
    assert people[1].role is None


def test_whole_article_rules_together() -> None:
    title = "Gachagua’s fight"
    body = (
        "Former Deputy President Rigathi Gachagua went to court. "
        "Gachagua said the ruling was unfair, and Gachagua left Nairobi."
    )
    fields = {"title": title, "body": body}
    model = [
        Candidate(
            "body", *_find(body, "Former Deputy President Rigathi Gachagua"), "PERSON", "PERSON", "model"
        ),
        Candidate("body", *_find(body, "Gachagua", 1), "GPE", "GPE", "model"),
        Candidate("body", *_find(body, "Nairobi"), "GPE", "GPE", "model"),
    ]
    mentions = resolve_article(fields, model)
    people = [m for m in mentions if m.name == "Rigathi Gachagua"]
    assert len(people) == 4  # title, full name, relabelled surname, missed surname
    assert {m.label for m in people} == {"PERSON"}
    assert [m.field for m in people].count("title") == 1
    assert all(fields[m.field][m.start : m.end] == m.text for m in mentions)


def _find(text: str, surface: str, occurrence: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface), surface


# --- across articles ---------------------------------------------------------------------------


def test_a_surname_alone_waits_for_evidence_before_joining_the_one_full_name() -> None:
    resolution = resolve_corpus([NameForm("PERSON", "Richard Moore", ""), NameForm("PERSON", "Moore", "")])
    label, name, reason = resolution.names[("PERSON", "Moore")]
    assert (label, name) == ("PERSON", "Moore")
    assert reason == "no evidence it is the Richard Moore of another article: kept apart"
    assert resolution.pending == {"Moore": "Richard Moore"}


def test_an_ambiguous_surname_is_kept_apart_with_its_reason() -> None:
    resolution = resolve_corpus(
        [
            NameForm("PERSON", "Richard Moore", ""),
            NameForm("PERSON", "Demi Moore", ""),
            NameForm("PERSON", "Moore", ""),
        ]
    )
    assert resolution.names[("PERSON", "Moore")] == (
        "PERSON",
        "Moore",
        "surname shared by 2 people in the corpus (Demi Moore, Richard Moore): kept apart",
    )
    assert resolution.pending == {}


def test_a_surname_is_no_full_name_of_a_span_that_is_not_person_shaped() -> None:
    resolution = resolve_corpus(
        [NameForm("PERSON", "Thunderbolt 3 Apple", ""), NameForm("PERSON", "Apple", "")]
    )
    assert resolution.names[("PERSON", "Apple")] == ("PERSON", "Apple", None)
    assert resolution.pending == {}


def names(article_id: str, *pairs: tuple[str, str], roles: tuple[tuple[str, str], ...] = ()) -> ArticleNames:
    return ArticleNames(article_id, frozenset(pairs), frozenset(roles))


def test_a_surname_joins_where_its_article_shares_a_specific_name_with_the_full_name() -> None:
    full = names("a", ("PERSON", "Richard Moore"), ("ORG", "MI6"), ("GPE", "Nairobi"))
    shared = names("b", ("PERSON", "Moore"), ("ORG", "MI6"))
    joins = join_surnames({"Moore": "Richard Moore"}, [shared, full])
    assert joins == {
        ("b", "Moore"): (
            "Richard Moore",
            "surname of Richard Moore, co-mentioned with MI6 in an article naming Richard Moore",
        )
    }


def test_a_shared_place_or_nothing_shared_is_no_evidence() -> None:
    full = names("a", ("PERSON", "Richard Moore"), ("GPE", "Nairobi"), ("NORP", "Kenyan"))
    place_only = names("b", ("PERSON", "Moore"), ("GPE", "Nairobi"), ("NORP", "Kenyan"))
    nothing = names("c", ("PERSON", "Moore"), ("ORG", "Arsenal"))
    assert join_surnames({"Moore": "Richard Moore"}, [full, place_only, nothing]) == {}


def test_a_surname_joins_where_it_carries_the_full_names_role() -> None:
    full = names("a", ("PERSON", "Adam Schiff"), roles=(("Adam Schiff", "chairman"),))
    titled = names("b", ("PERSON", "Schiff"), roles=(("Schiff", "chairman"),))
    untitled = names("c", ("PERSON", "Schiff"), roles=(("Schiff", "senator"),))
    joins = join_surnames({"Schiff": "Adam Schiff"}, [titled, untitled, full])
    assert list(joins) == [("b", "Schiff")]
    assert "the same role (chairman) as Adam Schiff" in joins[("b", "Schiff")][1]


def test_an_acronym_alone_joins_the_long_form_another_article_defined() -> None:
    mentions = [
        NameForm("ORG", "Kenya Revenue Authority", "KRA"),
        NameForm("ORG", "KRA", "KRA"),
    ]
    assert resolve_corpus(mentions).names[("ORG", "KRA")][:2] == ("ORG", "Kenya Revenue Authority")


def test_an_acronym_defined_two_ways_is_not_merged() -> None:
    mentions = [
        NameForm("ORG", "Kenya Revenue Authority", "KRA"),
        NameForm("ORG", "Kenya Railways Association", "KRA"),
        NameForm("ORG", "KRA", "KRA"),
    ]
    assert resolve_corpus(mentions).names[("ORG", "KRA")] == ("ORG", "KRA", None)


def test_a_place_inside_another_place_name_stays_its_own_entity() -> None:
    mapping = resolve_corpus([NameForm("GPE", "Kenya", ""), NameForm("LOC", "Mt. Kenya", "")]).names
    assert mapping[("GPE", "Kenya")] != mapping[("LOC", "Mt. Kenya")]


def test_a_place_list_does_not_turn_a_person_into_a_place() -> None:
    text = "Jordan said he would run."
    kept = apply_gazetteer([named(text, "Jordan", "PERSON")])
    assert (kept[0].name, kept[0].label) == ("Jordan", "PERSON")
    assert apply_gazetteer([named(text, "Jordan", "PRODUCT")])[0].label == "GPE"


def test_a_place_list_does_not_turn_a_team_into_a_place() -> None:
    text = "France beat Belgium 2-0."
    kept = apply_gazetteer([named(text, "France", "ORG"), named(text, "Belgium", "GPE")])
    assert [(c.name, c.label) for c in kept] == [("France", "ORG"), ("Belgium", "GPE")]


@pytest.mark.parametrize("date", ["Jun 22", "22 June 2024", "January 2024", "Sept. 9"])
def test_a_date_the_model_calls_a_name_is_no_mention(date: str) -> None:
    text = f"WAJIR, Kenya, {date}"
    assert clean_candidate(text, span(text, date, "PERSON")) == []


def test_a_date_is_not_a_full_name_whose_number_is_a_surname() -> None:
    fields = {"dateline": "WAJIR, Kenya, Jun 22", "body": "Turnout rose by 22 points, Amina Otieno said."}
    model = [
        Candidate("dateline", 14, 20, "Jun 22", "PERSON", "PERSON", "model", name="Jun 22"),
        span(fields["body"], "Amina Otieno", "PERSON"),
    ]
    names = {(c.field, c.text, c.name) for c in resolve_article(fields, model)}
    assert names == {("body", "Amina Otieno", "Amina Otieno")}


def test_a_name_with_a_month_in_it_stays_a_name() -> None:
    text = "June Wanjiru and May Otieno spoke."
    assert named(text, "June Wanjiru", "PERSON").name == "June Wanjiru"
    assert named(text, "May Otieno", "PERSON").name == "May Otieno"


def law_names(text: str, surface: str, label: str = "PERSON") -> set[tuple[str, str]]:
    return {(c.name, c.label) for c in resolve_article({"body": text}, [span(text, surface, label)])}


def test_a_bill_the_model_calls_a_person_is_a_law_named_by_the_words_before_it() -> None:
    text = "Critics argue that the Finance Bill is ambitious. MPs will vote on the Finance Bill."
    mentions = resolve_article({"body": text}, [span(text, "Bill", "PERSON")])
    assert {(c.name, c.label, c.text) for c in mentions} == {("Finance Bill", "LAW", "Finance Bill")}
    assert len(mentions) == 2  # the second one found by propagation
    assert all(text[c.start : c.end] == c.text for c in mentions)


def test_a_law_keeps_its_year_and_leaves_a_possessive_owner_out() -> None:
    text = "He cited the Public Finance Management Act, 2012 in court."
    assert law_names(text, "Act") == {("Public Finance Management Act, 2012", "LAW")}
    text = "Parliament passed Ruto’s Housing Bill on Tuesday."
    assert law_names(text, "Bill") == {("Housing Bill", "LAW")}


def test_a_lone_bill_after_the_is_no_name_and_a_person_called_bill_stays_one() -> None:
    assert law_names("Lawmakers debated the Bill on Tuesday.", "Bill") == set()
    assert law_names("Bill said he would stand again.", "Bill") == {("Bill", "PERSON")}
    assert law_names("Bill Gates met the minister.", "Bill Gates") == {("Bill Gates", "PERSON")}


def test_a_one_word_name_spelt_like_a_common_word_is_not_propagated() -> None:
    text = "He Jianxiong spoke. He said Wanjiru Honey and Jianxiong agreed. Honey sells, honey is sweet."
    found = propagate_names(
        {"body": text}, [named(text, "He Jianxiong", "PERSON"), named(text, "Wanjiru Honey", "PERSON")]
    )
    assert [c.text for c in found if c.origin != "model"] == ["Jianxiong"]


def test_a_cut_name_is_not_propagated_into_the_longer_names_it_was_cut_from() -> None:
    text = (
        "Drink Beachbody Performance Energize, then Beachbody Performance Hydrate. "
        "Kenya Power Ltd: Kenya Power."
    )
    found = propagate_names(
        {"body": text},
        [named(text, "Beachbody Performance", "ORG"), named(text, "Kenya Power", "ORG", occurrence=1)],
    )
    assert [c.text for c in found if c.origin != "model"] == ["Kenya Power"]
