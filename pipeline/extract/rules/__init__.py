"""The rules after the model, in order: `RULES` is the whole extraction policy, as data.

To add a rule, write a module in this folder with a function `(article, candidates) -> candidates`
and add one `Rule(...)` line to `RULES` where it belongs in the order; docs/extraction.md's table is
generated from this list (`pipeline docs`), and a test fails when it is stale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules import (
    acronyms,
    case,
    common_words,
    gazetteer,
    headings,
    institutions,
    kinds,
    known_as,
    laws,
    overlaps,
    propagate,
    roles,
    short_names,
    spans,
    types,
    unknown_places,
)
from pipeline.extract.rules.base import ArticleText, Rule, RuleChange

RULES: tuple[Rule, ...] = (
    Rule(
        spans,
        "span clean-up",
        "A span ends at a line break; leading 'the' or a year, possessives, edge punctuation, "
        "greetings, an acronym's parenthesis, trailing "
        "scores and function words come off; titles (nameparser's and ours) go to the role, a known "
        "qualifier before a title stays a name; names cut at an apostrophe or particle go on; a "
        "facility named after a person is a facility; an event's head word ('Show', 'Festival', 'Week', "
        "'Cup') makes an event; a list of capitalised names in one span ('Comcast/Xfinity', "
        "'Bleacher Report, Uber Eats') is one name each; a possessive splits owner and owned "
        "(not a common noun's: "
        "'People's Liberation Army', 'Attorney's Office'); a span opening "
        "with 'a' or 'an' is no name.",
        lambda article, found: [
            piece for c in found for piece in spans.clean_candidate(article.fields[c.field], c)
        ],
    ),
    Rule(
        headings,
        "opening words",
        "A span that opens a sentence with words the article writes in lower case ('House' of "
        "'House Hitler was born in ...') is the name after them, when the model found that name "
        "alone in the article and the whole span is written nowhere but at a sentence's start.",
        lambda article, found: headings.trim_opening_words(article.fields, found),
    ),
    Rule(
        gazetteer,
        "gazetteer names",
        "Names the gazetteer knows take its canonical name and type; a place list never retypes the "
        "model's person or organisation (people and teams bear places' names).",
        lambda article, found: gazetteer.apply_gazetteer(found),
    ),
    Rule(
        gazetteer,
        "gazetteer spans",
        "Curated gazetteer matches join the model's spans; the longer span wins where they overlap.",
        lambda article, found: gazetteer.merge_gazetteer(
            [c for c in found if c.origin != "gazetteer"], [c for c in found if c.origin == "gazetteer"]
        ),
    ),
    Rule(
        laws,
        "law names",
        "A span ending in Bill or Act is a law named by the words before it.",
        lambda article, found: laws.name_laws(article.fields, found),
    ),
    Rule(
        laws,
        "laws without a law's word",
        "A LAW the model found with no law's word in it ('Act', 'Amendment', 'Plan', 'Treaty'...: "
        "'Touch Bar', 'Phase 1') is no law and no name the text vouches for: dropped; an acronym "
        "and what the gazetteer knows stay.",
        lambda article, found: laws.drop_wordless_laws(found),
    ),
    Rule(
        common_words,
        "common words",
        "A one-word person, organisation, product, work or event the article also writes in lower "
        "case, itself or its plural or singular ('Missions', 'Wireless', 'Humidifier' beside "
        "'humidifiers'), is a common word, dropped unless the gazetteer knows it.",
        lambda article, found: common_words.drop_common_words(article.fields, found),
    ),
    Rule(
        common_words,
        "technical words",
        "Hardware words, units and interface standards in capitals ('CPU', 'MW', 'Thunderbolt 3', "
        "'RGB', 'ECG', '1TB', 'Fahrenheit', 'Q3'), "
        "one-letter labels ('Group F', 'Path C'), acronyms an article gives for lower-case words "
        "('hypersensitivity pneumonitis, or HP') and a species' genus ('Escherichia coli') are no "
        "names, dropped unless the gazetteer knows them.",
        lambda article, found: common_words.drop_technical_words(article.fields, found),
    ),
    Rule(
        headings,
        "heading words",
        "In a line in Title Case throughout (a heading, a list or feature line), a span made only of "
        "words the article writes in lower case ('Post-Workout Meal', 'Smell Receptors') and written "
        "nowhere in running text is no name: its capitals are the heading's; dropped unless the "
        "gazetteer knows it or a title comes before it.",
        lambda article, found: headings.drop_heading_words(article.fields, found),
    ),
    Rule(
        overlaps,
        "overlaps",
        "Of overlapping mentions the first in reading order (longer first) is kept.",
        lambda article, found: overlaps.drop_overlaps(found),
    ),
    Rule(
        case,
        "capitals",
        "A name in capitals takes its usual spelling from the article.",
        lambda article, found: case.unify_case(found, article.known_names),
    ),
    Rule(
        acronyms,
        "acronyms",
        "An acronym defined in parentheses is an alias of its long form, typed by the long form's "
        "head word (a law, an organisation or an office); a place name abbreviated is an organisation.",
        lambda article, found: acronyms.define_acronyms(article.fields, found),
    ),
    Rule(
        known_as,
        "known as",
        "'X, commonly known as Y' makes Y an alias of X; only the gazetteer's type retypes a mention.",
        lambda article, found: known_as.link_known_as(article.fields, found),
    ),
    Rule(
        kinds,
        "products",
        "A name with a size before it ('16-inch'), a model or device word at its end ('Pro', 'Lite', "
        "'Telescope') or a device noun after it ('spacecraft', not after an organisation's name) is "
        "a PRODUCT (even one the model called a law: 'Mac Pro'), in every mention of it in the article; "
        "the gazetteer's type stays.",
        lambda article, found: kinds.type_products(article.fields, found),
    ),
    Rule(
        kinds,
        "product lines",
        "A name whose model the article names as a product ('iPad' beside the PRODUCT 'iPad Pro', "
        "'MacBook' beside 'MacBook Pro') is a PRODUCT, and so is its plural ('MacBooks'), in every "
        "mention of it in the article; the gazetteer's type stays.",
        lambda article, found: kinds.type_product_lines(article.fields, found),
    ),
    Rule(
        kinds,
        "services",
        "A name the model read as a person or place with an account's or a paper's noun after it "
        "('the Twitter account', 'the Independent newspaper', 'Sputnik news agency') is an ORG, in "
        "every mention of it in the article; the gazetteer's type stays.",
        lambda article, found: kinds.type_services(article.fields, found),
    ),
    Rule(
        kinds,
        "people by kin",
        "A name the model read as an organisation or place with a relative after its possessive "
        "('Trump's wife', 'Odinga's son') is a PERSON, in every mention of it in the article; the "
        "gazetteer's type stays.",
        lambda article, found: kinds.type_people_by_kin(article.fields, found),
    ),
    Rule(
        kinds,
        "sky bodies",
        "A planet or moon ('Titan', 'Mercury', 'Solar System') is a LOC in an article that speaks of "
        "planets, moons or orbits; never a person the model read so.",
        lambda article, found: kinds.type_sky_bodies(article.fields, found),
    ),
    Rule(
        kinds,
        "teams",
        "In a sports report (three sports words), a place's name next to a result ('Wales beat "
        "Hungary 2-0', 'against Liechtenstein', 'scored for Detroit') or listed beside a team "
        "('Iceland, Bulgaria/Israel'), and a plural name after 'the' ('the Steelers'), is a team (ORG), "
        "in each mention of it but those after 'in' or "
        "before 'native'.",
        lambda article, found: kinds.type_teams(article.fields, found),
    ),
    Rule(
        kinds,
        "word shapes",
        "A one-word '-exit' name ('Brexit') is an EVENT; a place of the article with a people's "
        "ending ('Delhiites' where Delhi is a place) is a NORP; the gazetteer's type stays.",
        lambda article, found: kinds.type_words_by_shape(article.fields, found),
    ),
    Rule(
        kinds,
        "listed people",
        "A person-shaped name the model typed as an organisation or place, listed between two people "
        "('Jonathan Huberdeau, Colton Sceviour and Mike Hoffman'), is a person; not one with an "
        "organisation's head word.",
        lambda article, found: kinds.type_listed_people(article.fields, found),
    ),
    Rule(
        short_names,
        "short names",
        "A surname or name part joins the one person-shaped full name in the article it belongs to "
        "(a surname the gazetteer typed otherwise stays as it is).",
        lambda article, found: short_names.link_short_names(found),
    ),
    Rule(
        institutions,
        "bare institutions",
        "A bare institution name every country has ('Senate', 'Supreme Court') joins the one longer "
        "organisation name in the article that ends with it ('Nigerian Senate'), so one country's "
        "Senate never shares an entity with another's; with none or two it stays as it is.",
        lambda article, found: institutions.link_bare_institutions(found),
    ),
    Rule(
        types,
        "type vote",
        "A name the model typed one way in at least 3 mentions and 75% of them takes that type "
        "everywhere in the article; a bare majority retypes nothing.",
        lambda article, found: types.vote_types(found),
    ),
    Rule(
        unknown_places,
        "unknown places",
        "A GPE the model found that no place list knows (pycountry, GeoNames, the gazetteer), with "
        "no place's word in it ('County', 'Heights'), and never written after 'in', 'at', 'from' "
        "and the like ('Emirates inks an order', 'Jefferies said') is dropped: the model's reading is "
        "the only evidence it is a place.",
        lambda article, found: unknown_places.drop_unknown_places(article.fields, found),
    ),
    Rule(
        propagate,
        "propagation",
        "Occurrences the model missed of the article's names are found; not a one-word name spelt "
        "like a word the article writes in lower case or a function word ('He' of 'He Jianxiong'), "
        "nor a name the model always found cut before a capitalised word where it runs on again.",
        lambda article, found: propagate.propagate_names(article.fields, found),
    ),
    Rule(
        kinds,
        "model numbers",
        "A product's name runs on over a model number written right after it ('Radeon Pro 5500M', "
        "'Cinebench R20'), and a name ending in a series word ('Series', 'Generation') over its "
        "number, then a PRODUCT ('Apple Watch Series 5'); a maker's name before a model stays apart.",
        lambda article, found: kinds.extend_model_numbers(article.fields, found),
    ),
    Rule(
        roles,
        "appositive roles",
        "A description after a person's name ('Richard Moore, the Chief of ...') becomes the role.",
        lambda article, found: roles.add_appositive_roles(article.fields, found),
    ),
)

ChangeSink = Callable[[RuleChange], None]


def apply_rules(
    article: ArticleText,
    candidates: list[Candidate],
    rules: tuple[Rule, ...] = RULES,
    on_change: ChangeSink | None = None,
) -> list[Candidate]:
    """Every rule in order over one article's candidates; mentions sorted by column and offset.

    Args:
        article: the article's columns and metadata names.
        candidates: the model's (and the gazetteer's, and the dateline's) spans, uncleaned.
        rules: the rules to apply (all of them unless a caller measures a subset).
        on_change: told of every change each rule makes, for `pipeline evaluate --by-rule`.
    """
    current = list(candidates)
    for rule in rules:
        changed = rule.apply(article, current)
        if on_change is not None:
            for change in diff(rule.name, current, changed):
                on_change(change)
        current = changed
    return sorted(current, key=lambda c: (c.field, c.start, c.end))


def diff(rule: str, before: list[Candidate], after: list[Candidate]) -> list[RuleChange]:
    """The changes between two candidate lists, matched by column and span (else by overlap).

    Two candidates at one span (a model's and the gazetteer's) are paired one to one, identical
    ones first, so a dropped duplicate shows as removed rather than as a retype.
    """
    if before == after:
        return []
    old: dict[tuple[str, int, int], list[Candidate]] = defaultdict(list)
    for candidate in before:
        old[(candidate.field, candidate.start, candidate.end)].append(candidate)
    changes: list[RuleChange] = []
    fresh: list[Candidate] = []
    for candidate in after:
        same = old.get((candidate.field, candidate.start, candidate.end))
        if same and candidate in same:
            same.remove(candidate)
        elif same:
            kin = next((c for c in same if c.origin == candidate.origin), same[0])
            same.remove(kin)
            changes.extend(_changed(rule, kin, candidate))
        else:
            fresh.append(candidate)
    unmatched = [c for group in old.values() for c in group]
    for candidate in fresh:
        near = next((c for c in unmatched if c.field == candidate.field and _overlap(c, candidate)), None)
        if near is not None:
            unmatched.remove(near)
            changes.append(RuleChange(rule, "re-bounded", near, candidate))
        else:
            changes.append(RuleChange(rule, "added", None, candidate))
    changes.extend(RuleChange(rule, "removed", c, None) for c in unmatched)
    return changes


def _overlap(one: Candidate, other: Candidate) -> bool:
    return one.start < other.end and other.start < one.end


def _changed(rule: str, previous: Candidate, candidate: Candidate) -> list[RuleChange]:
    """A candidate kept at its span: retyped, joined to another name, or given a role."""
    if previous.label != candidate.label:
        return [RuleChange(rule, "retyped", previous, candidate)]
    if previous.name and previous.name != candidate.name:
        return [RuleChange(rule, "merged", previous, candidate)]
    if previous.role != candidate.role:
        return [RuleChange(rule, "role", previous, candidate)]
    return []


__all__ = ["RULES", "ArticleText", "Rule", "RuleChange", "apply_rules"]
