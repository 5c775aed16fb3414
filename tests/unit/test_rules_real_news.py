"""The rules' behaviour on the shapes real news showed: edges, titles, roles, types and merges.

Each case is one function on a small text of its own, with the case where the rule must not fire.
"""

from __future__ import annotations

import pytest

from pipeline.corpus.entities import NameForm, resolve_corpus
from pipeline.evaluate import Span
from pipeline.extract.candidate import Candidate
from pipeline.extract.rules import RULES, ArticleText, diff
from pipeline.extract.rules.acronyms import define_acronyms
from pipeline.extract.rules.effects import format_effects, judge, measure_rules
from pipeline.extract.rules.known_as import link_known_as
from pipeline.extract.rules.short_names import is_person_shaped, link_short_names
from pipeline.extract.rules.spans import clean_candidate
from pipeline.extract.rules.titles import normalise_role, title_before


def span(text: str, surface: str, label: str, *, occurrence: int = 0, origin: str = "model") -> Candidate:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Candidate("body", start, start + len(surface), surface, label, label, origin, name=surface)


def cleaned(text: str, surface: str, label: str) -> list[tuple[str, str, str | None]]:
    return [(c.text, c.label, c.role) for c in clean_candidate(text, span(text, surface, label))]


@pytest.mark.parametrize(
    ("text", "surface", "label", "expected"),
    [
        (
            "the World Health Organization (WHO said",
            "World Health Organization (WHO",
            "ORG",
            "World Health Organization",
        ),
        ("Iceland 0-0 Turkey", "Iceland 0-0", "ORG", "Iceland"),
        ("told the Associated Press that it", "Associated Press that", "ORG", "Associated Press"),
        ("Say Hey Siri to start", "Hey Siri", "PRODUCT", "Siri"),
        (
            "at Moi Teaching and Referral Hospital in",
            "Moi Teaching and",
            "ORG",
            "Moi Teaching and Referral Hospital",
        ),
        ("in Sacramento, Calif. on", "Calif.", "GPE", "Calif."),
    ],
)
def test_edges_the_model_gets_wrong(text: str, surface: str, label: str, expected: str) -> None:
    assert [piece[0] for piece in cleaned(text, surface, label)] == [expected]


def test_a_name_cut_short_at_an_apostrophe_or_a_particle_goes_on() -> None:
    text = "Governor Peter Anyang' Nyong'o met Mwangi Wa Iria and the Joneses' House."
    assert cleaned(text, "Peter Anyang", "PERSON")[0][0] == "Peter Anyang' Nyong'o"
    assert cleaned(text, "Mwangi", "PERSON")[0][0] == "Mwangi Wa Iria"
    assert cleaned(text, "Joneses", "PERSON")[0][0] == "Joneses"


def test_a_facility_named_after_a_person_is_no_person() -> None:
    text = "at Jaramogi Oginga Odinga Teaching and Referral Hospital, named after Jaramogi Oginga Odinga."
    assert cleaned(text, "Jaramogi Oginga Odinga", "PERSON") == [
        ("Jaramogi Oginga Odinga Teaching and Referral Hospital", "FAC", None)
    ]
    person = span(text, "Jaramogi Oginga Odinga", "PERSON", occurrence=1)
    assert [(c.text, c.label) for c in clean_candidate(text, person)] == [
        ("Jaramogi Oginga Odinga", "PERSON")
    ]


def test_a_span_without_a_capital_is_no_name_unless_a_brand() -> None:
    text = "the switch keyboard and an ecobee thermostat"
    assert cleaned(text, "switch keyboard", "PERSON") == []
    assert cleaned(text, "ecobee", "ORG") == [("ecobee", "ORG", None)]


def test_titles_come_out_of_a_person_s_name_with_nameparser() -> None:
    text = "said Superintendent Jennifer McCormick on Monday."
    assert cleaned(text, "Superintendent Jennifer McCormick", "PERSON") == [
        ("Jennifer McCormick", "PERSON", "Superintendent")
    ]
    one_word = "said Judge Smith."
    assert cleaned(one_word, "Judge Smith", "PERSON")[0][0] == "Smith"  # curated title
    assert cleaned("Dean Smith said.", "Dean Smith", "PERSON")[0][0] == "Dean Smith"


def test_a_span_that_is_only_a_title_is_no_name() -> None:
    assert cleaned("the Founder said", "Founder", "PERSON") == []


def test_a_title_inside_a_span_splits_qualifier_role_and_person() -> None:
    text = "Kakamega Governor Fernandes Barasa said."
    pieces = cleaned(text, "Kakamega Governor Fernandes Barasa", "ORG")
    assert pieces == [("Kakamega", "GPE", None), ("Fernandes Barasa", "PERSON", "Kakamega Governor")]
    office = "the Office of the Auditor-General said"
    assert cleaned(office, "Office of the Auditor-General", "ORG") == [
        ("Office of the Auditor-General", "ORG", None)
    ]


def test_a_title_before_a_name_keeps_a_known_qualifier_and_is_normalised() -> None:
    text = "LSK President Faith Odhiambo"
    assert title_before(text, text.index("Faith")) == "LSK President"
    text = "Former Deputy President Rigathi Gachagua"
    assert title_before(text, text.index("Rigathi")) == "former Deputy President"
    assert normalise_role("Law Society of Kenya president") == "Law Society of Kenya President"
    assert normalise_role("Former Deputy President") == normalise_role("former deputy President")


def test_an_alias_retypes_nothing_by_itself() -> None:
    text = "the Mac Pro, also known as Trashcan, shipped. Mac Pro sold."
    found = [
        span(text, "Mac Pro", "LAW"),
        span(text, "Trashcan", "PRODUCT"),
        span(text, "Mac Pro", "PRODUCT", occurrence=1),
    ]
    linked = link_known_as({"body": text}, found)
    assert {(c.text, c.label) for c in linked} == {
        ("Mac Pro", "LAW"),
        ("Trashcan", "PRODUCT"),
        ("Mac Pro", "PRODUCT"),
    }
    assert {c.name for c in linked} == {"Mac Pro"}


def test_a_surname_joins_only_a_person_shaped_full_name() -> None:
    assert is_person_shaped("Peter Anyang' Nyong'o") and is_person_shaped("Daniel arap Moi")
    assert not is_person_shaped("Thunderbolt 3 Apple") and not is_person_shaped("Apple")
    assert not is_person_shaped("Browns DL Sheldon Richardson") and is_person_shaped("DANICA KIRKA")
    text = "Thunderbolt 3 Apple ports. Apple said."
    found = [span(text, "Thunderbolt 3 Apple", "PERSON"), span(text, "Apple", "ORG", occurrence=1)]
    assert link_short_names(found) == found


def test_a_defined_acronym_of_an_unknown_place_name_is_an_organisation() -> None:
    text = "the Football Kenya Federation (FKF) said. FKF"
    found = [span(text, "Football Kenya Federation", "GPE"), span(text, "FKF", "ORG")]
    result = define_acronyms({"body": text}, found)
    assert {(c.text, c.label) for c in result} >= {("Football Kenya Federation", "ORG"), ("FKF", "ORG")}


def test_across_articles_a_name_a_person_and_a_company_share_stays_apart() -> None:
    resolution = resolve_corpus(
        [NameForm("PERSON", "Mike Ford", ""), NameForm("PERSON", "Ford", ""), NameForm("ORG", "Ford", "")]
    )
    assert resolution.names[("PERSON", "Ford")] == (
        "PERSON",
        "Ford",
        "Ford is also typed ORG in the corpus: kept apart",
    )
    assert resolution.names[("ORG", "Ford")] == ("ORG", "Ford", None)
    assert resolution.pending == {}


def test_across_articles_an_acronym_joins_only_a_long_form_of_its_type() -> None:
    mapping = resolve_corpus(
        [NameForm("ORG", "Kenya Revenue Authority", "KRA"), NameForm("GPE", "KRA", "KRA")]
    ).names
    assert mapping[("GPE", "KRA")] == ("GPE", "KRA", None)


def _candidate(start: int, end: int, label: str, origin: str = "model") -> Candidate:
    return Candidate("body", start, end, "x" * (end - start), label, label, origin, name="x")


def test_diff_pairs_duplicates_and_judge_scores_the_net_effect() -> None:
    model, gazetteer = _candidate(0, 5, "ORG"), _candidate(0, 5, "GPE", origin="gazetteer")
    changes = diff("r", [model, gazetteer], [model])
    assert [(c.kind, c.before) for c in changes] == [("removed", gazetteer)]
    offsets = {"body": [[0, 0, 100]]}
    gold = {(0, 5, "GPE")}
    assert judge(changes[0], gold, ({(0, 5, "ORG"), (0, 5, "GPE")}, {(0, 5, "ORG")}), offsets) == -1
    retype = diff("r", [model], [_candidate(0, 5, "GPE")])
    assert [c.kind for c in retype] == ["retyped"]
    assert judge(retype[0], gold, ({(0, 5, "ORG")}, {(0, 5, "GPE")}), offsets) == 1


def test_measure_rules_reports_every_rule_and_the_scores_after_it() -> None:
    text = "the Treasury said. Ruto spoke."
    article = ArticleText({"body": text})
    found = [span(text, "the Treasury", "ORG"), span(text, "Ruto", "PERSON")]
    gold = [Span(4, 12, "ORG"), Span(19, 23, "PERSON")]
    effects = measure_rules([({"body": [[0, 0, len(text)]]}, article, found, gold)])
    assert [e.rule for e in effects.rules] == [rule.name for rule in RULES]
    assert (effects.before.tp, effects.before.fp) == (1, 1)
    clean_up = next(e for e in effects.rules if e.rule == "span clean-up")
    assert (clean_up.kinds["re-bounded"].right, clean_up.tp, clean_up.fp) == (1, 2, 0)
    assert "| span clean-up | 0 | 0 | 0 | 1 (1/0) |" in format_effects(effects)


def test_a_generic_noun_the_article_also_writes_in_lower_case_is_dropped() -> None:
    from pipeline.extract.rules.common_words import drop_common_words

    text = "Wireless charging works. The wireless pad and Kenya, kenya-style."
    found = [span(text, "Wireless", "ORG"), span(text, "Kenya", "GPE")]
    assert [c.text for c in drop_common_words({"body": text}, found)] == ["Kenya"]
