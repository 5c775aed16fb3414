"""What kind of thing a name is, from the words the article writes around it: products, sky
bodies, teams.

The model reads "16-inch MacBook Pro" as a company and "Saturn's moon Titan" as a country; the
words next to the name say otherwise. Each retype needs evidence in the text, named in the
mention's `resolution`, and then holds for the same name everywhere in the article (one name,
one thing, within an article).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import pairwise

from pipeline.extract.candidate import Candidate, tokens
from pipeline.extract.rules.short_names import is_person_shaped
from pipeline.extract.rules.spans import ORG_HEADS

PRODUCT_RETYPES = frozenset({"ORG", "FAC", "PERSON", "GPE", "NORP", "WORK_OF_ART", "LAW", "EVENT"})
"""Model types a product reading may replace (never what the gazetteer typed)."""

SKY_RETYPES = frozenset({"ORG", "FAC", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT"})
"""Model types a planet or moon reading may replace: all but a person ("Freddie Mercury")."""

SIZE_BEFORE = re.compile(r"\b\d{1,2}(?:\.\d)?[- ]?(?:inch|in\.|″|”|\")\s+$", re.IGNORECASE)
"""A screen or body size right before a name ("16-inch MacBook Pro"): things have sizes."""

NAME_AFTER = re.compile(r"^\s+[A-Z]")
"""A capitalised word right after a name: the sized thing is what follows ("13-inch Apple MacBook")."""

MODEL_WORDS = frozenset({"Pro", "Max", "Lite", "Mini", "Ultra"})
"""Last words that name a model of a product line ("iPad Pro", "Switch Lite", "737 Max")."""

MODEL_WORD_RETYPES = frozenset({"ORG", "FAC", "PERSON", "LAW", "EVENT", "WORK_OF_ART"})
"""Types the model gives a product with a model word ("Mac Pro" as LAW): no law or event ends in
"Pro"; not a place ("Mexico Ultra" is no product)."""

DEVICE_AFTER = re.compile(
    r"^\s+(?:spacecraft|probe|rover|lander|orbiter|telescope|laptops?|smartphones?|tablets?|"
    r"consoles?|headphones|earbuds)\b"
)
"""A device noun right after a name ("the Cassini spacecraft", "a MacBook Pro laptop")."""

DEVICE_HEADS = frozenset({"Telescope", "Spacecraft", "Rover"})
"""Last words of a device's own name ("Hubble Space Telescope", "Perseverance Rover")."""

SKY_BODIES = frozenset(
    {
        "Mercury",
        "Venus",
        "Mars",
        "Jupiter",
        "Saturn",
        "Uranus",
        "Neptune",
        "Pluto",
        "Ceres",
        "Titan",
        "Europa",
        "Ganymede",
        "Callisto",
        "Enceladus",
        "Triton",
        "Charon",
        "Solar System",
        "Milky Way",
    }
)
"""The planets, dwarf planets and best-known moons of the Solar System, and the System itself."""

SKY_WORDS = re.compile(r"\b(?:planets?|moons?|orbits?|orbiting|spacecraft|astronom\w*|solar system)\b")
"""Lower-case words of an article about space: where "Titan" and "Mercury" are bodies, not firms."""


def type_products(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A name with a size before it, a model word at its end or a device noun after it is a PRODUCT."""

    def evidence(candidate: Candidate) -> str | None:
        text = fields.get(candidate.field, "")
        parts = tokens(candidate.name)
        if SIZE_BEFORE.search(text[max(0, candidate.start - 12) : candidate.start]) and not NAME_AFTER.match(
            text[candidate.end : candidate.end + 2]
        ):
            return "a size before it"
        if len(parts) >= 2 and parts[-1] in MODEL_WORDS and candidate.label in MODEL_WORD_RETYPES:
            return f"the model word {parts[-1]!r}"
        if parts and parts[-1] in DEVICE_HEADS:
            return f"the device word {parts[-1]!r}"
        if candidate.label != "ORG" and DEVICE_AFTER.match(text[candidate.end : candidate.end + 14]):
            # Not after an organisation's name: "a NASA spacecraft" is the agency's craft.
            return "a device noun after it"
        return None

    return _retype(candidates, "PRODUCT", not_from_gazetteer(PRODUCT_RETYPES), evidence)


def type_product_lines(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A name whose model the article names as a product ("iPad" beside the PRODUCT "iPad Pro",
    "MacBook" beside "MacBook Pro") is a product line, a PRODUCT, in every mention of it; and so
    is its plural ("MacBooks"); the gazetteer's type stays."""
    products = {c.name for c in candidates if c.label == "PRODUCT"}
    lines = {
        " ".join(parts[:-1]): name
        for name in sorted(products)
        if len(parts := tokens(name)) >= 2 and parts[-1] in MODEL_WORDS
    }

    def evidence(candidate: Candidate) -> str | None:
        single = candidate.name[:-1] if candidate.name.endswith("s") else None
        model = lines.get(candidate.name) or (lines.get(single) if single else None)
        return f"the product {model!r}, a model of it," if model else None

    return _retype(candidates, "PRODUCT", not_from_gazetteer(PRODUCT_RETYPES), evidence)


MODEL_NUMBER = re.compile(
    r"\s(?=[A-Za-z-]{0,12}\d)(?=\d{0,12}[A-Za-z])[A-Z0-9][A-Za-z0-9-]{0,15}(?<!-)(?![\w-]|\.\d)"
)
"""A model number written after a product's name: letters and digits together ("Radeon Pro
5500M", "Cinebench R20"); a bare number is not one (a price, a count, a score)."""

SERIES_WORDS = frozenset({"Series", "Generation", "Gen", "Mark", "Edition"})
"""Last words that want a number after them: "Apple Watch Series 5", "Mark 2"."""

SERIES_NUMBER = re.compile(r"\s(?:\d{1,2}|[IVX]{1,4})(?![\w-]|\.\d)")


def extend_model_numbers(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A product's name runs on over the model number written right after it ("Radeon Pro"
    + "5500M"), and a name ending in a series word over its number ("Apple Watch Series" + "5",
    then a PRODUCT); a maker's name before a model stays apart ("Airbus A350-900": two names)."""
    starts = {(c.field, c.start) for c in candidates}
    extended = []
    for candidate in candidates:
        text = fields.get(candidate.field, "")
        parts = tokens(candidate.name)
        number = None
        if parts and parts[-1] in SERIES_WORDS and candidate.label in PRODUCT_RETYPES | {"PRODUCT"}:
            number = SERIES_NUMBER.match(text, candidate.end)
        elif candidate.label == "PRODUCT":
            number = MODEL_NUMBER.match(text, candidate.end)
        if number is None or (candidate.field, number.start() + 1) in starts:
            extended.append(candidate)
            continue
        end = number.end()
        written = text[candidate.start : end]
        extended.append(
            replace(
                candidate,
                end=end,
                text=written,
                name=" ".join(written.split()),
                label="PRODUCT",
                role=None,
                resolution=(
                    f"PRODUCT: the model number {number.group().strip()!r} after it in the article, "
                    f"model said {candidate.label}: {candidate.text!r}"
                ),
            )
        )
    return extended


SERVICE_AFTER = re.compile(
    r"^\s+(?:account|accounts|handle|handles|feed|followers|subscribers|newspaper|magazine|"
    r"news agency|website|broadcaster|channel)\b"
)
"""A service's noun right after a name ("the Twitter account", "the Independent newspaper",
"Sputnik news agency"): what has accounts, followers or readers is an organisation."""

SERVICE_RETYPES = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC"})


def type_services(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A name followed by an account, a feed or a newspaper's noun is an ORG, in every mention of it
    in the article; not a name with a possessive ("Trump's account" is the person's)."""

    def evidence(candidate: Candidate) -> str | None:
        after = fields.get(candidate.field, "")[candidate.end : candidate.end + 16]
        found = SERVICE_AFTER.match(after)
        return f"the word {found.group().strip()!r} after it" if found else None

    return _retype(candidates, "ORG", not_from_gazetteer(SERVICE_RETYPES), evidence)


KIN_AFTER = re.compile(
    r"^[’']s\s+(?:wife|husband|widow|spouse|daughter|son|mother|father|brother|sister|girlfriend|"
    r"boyfriend|fiancée?|grandson|granddaughter)\b"
)
"""A relative after a name's possessive ("Trump's wife"): only people have wives and sons."""

KIN_RETYPES = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})


def type_people_by_kin(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A name with a relative after its possessive ("Trump's wife") is a PERSON, in every mention
    of it in the article; the gazetteer's type stays."""

    def evidence(candidate: Candidate) -> str | None:
        found = KIN_AFTER.match(fields.get(candidate.field, "")[candidate.end : candidate.end + 20])
        return f"{found.group()!r} after it" if found else None

    return _retype(candidates, "PERSON", not_from_gazetteer(KIN_RETYPES), evidence)


def type_sky_bodies(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A planet or moon's name is a LOC in an article that speaks of planets, moons or orbits."""
    if not any(SKY_WORDS.search(text) for text in fields.values()):
        return candidates

    def evidence(candidate: Candidate) -> str | None:
        return "a planet or moon in an article about space" if candidate.name in SKY_BODIES else None

    return _retype(candidates, "LOC", not_from_gazetteer(SKY_RETYPES), evidence)


SPORT_WORDS = re.compile(
    r"\b(?:goals?|scored|match(?:es)?|tournament|qualif(?:ying|ier|iers|ied)|play-?offs?|league|"
    r"striker|midfielder|defender|goalkeeper|penalty|overtime|innings|wickets?|touchdowns?)\b"
)
"""Lower-case words of a sports report; three different ones make the article one."""

RESULT_BEFORE = re.compile(
    r"\b(?:beat|beating|defeated|defeating|drew|drawing with|against|vs\.?|versus|rout of|lost to|"
    r"draw at|win over|victory over|loss to|scored for|to lead|to lift)\s+$"
)
RESULT_AFTER = re.compile(
    r"^(?:\s+(?:beat|beats|drew|defeated|clinched|qualified|won|lost|edged|routed|secured|past|"
    r"held on)\b|"
    r"\s+\d{1,2}-\d{1,2}\b|\s+\(Group [A-Z]\))"
)
"""A result next to a place's name ("Wales beat Hungary 2-0", "against Liechtenstein"): a team."""

SCORE_AFTER = re.compile(r"\s+\d{1,2}(?:,|:)")
"""A team's score in a results line: "Blue Jackets 5, Canadiens 2:"."""

NICKNAME = re.compile(r"[A-Z][a-z]+s")
"""One plural word: the shape of a team's nickname ("Canadiens", "Browns")."""

THE_BEFORE = re.compile(r"\b[Tt]he\s+$")

PLACE_AFTER = re.compile(r"(?:\s+native|-born|-based)\b")
"""A place's name before "native", "-born" or "-based" is the place even in a sports report."""


def type_teams(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """In a sports report, a place's name next to a result is a team (ORG), and so is each other
    mention of it but those after "in" ("Turkey drew Iceland 0-0 in Istanbul") or before "native"."""
    words = {match.group() for text in fields.values() for match in SPORT_WORDS.finditer(text)}
    if len(words) < 3:
        return candidates

    def may_retype(candidate: Candidate) -> bool:
        # A place list knows nothing of teams, so its GPE may be one; "in Istanbul" is the venue
        # and "a St. Louis native" the place.
        text = fields.get(candidate.field, "")
        place = text[max(0, candidate.start - 3) : candidate.start] == "in " or PLACE_AFTER.match(
            text, candidate.end
        )
        # A one-word plural "person" is a team's nickname when the report scores it ("Canadiens 2").
        nickname = candidate.label in {"PERSON", "NORP"} and NICKNAME.fullmatch(candidate.name)
        return (candidate.label == "GPE" or bool(nickname)) and not place

    teams = _team_names(fields, candidates, may_retype)
    return _retype(candidates, "ORG", may_retype, lambda candidate: teams.get(candidate.name))


LIST_SEPARATOR = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)\s*")
"""What separates the members of a list: "Iceland, Bulgaria/Israel/Hungary and Romania"."""


def _team_names(
    fields: Mapping[str, str], candidates: list[Candidate], may_retype: Callable[[Candidate], bool]
) -> dict[str, str]:
    """Names that are teams in a sports report, with why: a result next to one of their mentions,
    a plural nickname after "the" ("the Steelers"), or a place listed beside a team ("Path A:
    Iceland, Bulgaria/Israel")."""
    teams: dict[str, str] = {}
    for candidate in candidates:
        text = fields.get(candidate.field, "")
        before, after = text[max(0, candidate.start - 14) : candidate.start], text[candidate.end :]
        scored = SCORE_AFTER.match(after[:6])
        if (candidate.label in {"GPE", "ORG"} or (scored and may_retype(candidate))) and (
            RESULT_BEFORE.search(before) or RESULT_AFTER.match(after[:16]) or scored
        ):
            teams.setdefault(candidate.name, "a result next to it in a sports report")
        elif candidate.label != "GPE" and may_retype(candidate) and THE_BEFORE.search(before):
            # "the Steelers", "the Islanders": a plural name after "the" is a club, not a person
            teams.setdefault(candidate.name, "a plural name after 'the' in a sports report")
    ordered = sorted(candidates, key=lambda c: (c.field, c.start, c.end))
    pairs = [
        (left, right)
        for left, right in pairwise(ordered)
        if left.field == right.field
        and LIST_SEPARATOR.fullmatch(fields.get(left.field, ""), left.end, right.start)
    ]
    grown = True
    while grown:
        grown = False
        for one, other in [*pairs, *((right, left) for left, right in pairs)]:
            if one.name in teams and other.name not in teams and may_retype(other):
                teams[other.name] = f"listed with the team {one.name} in a sports report"
                grown = True
    return teams


def not_from_gazetteer(retypable: frozenset[str]) -> Callable[[Candidate], bool]:
    """Mentions of those types that the gazetteer did not type (its type is evidence of its own)."""

    def may_retype(candidate: Candidate) -> bool:
        return candidate.label in retypable and not candidate.typed_by_gazetteer

    return may_retype


def _retype(
    candidates: list[Candidate],
    label: str,
    may_retype: Callable[[Candidate], bool],
    evidence: Callable[[Candidate], str | None],
) -> list[Candidate]:
    """`label` for every retypable mention of a name some mention of which has `evidence`."""
    reasons: dict[str, str] = {}
    for candidate in candidates:
        if may_retype(candidate) and candidate.name not in reasons:
            reason = evidence(candidate)
            if reason:
                reasons[candidate.name] = reason
    retyped = []
    for candidate in candidates:
        reason = reasons.get(candidate.name)
        if reason and may_retype(candidate):
            candidate = retyped_as(candidate, label, f"{reason} in the article")
        retyped.append(candidate)
    return retyped


def retyped_as(candidate: Candidate, label: str, reason: str) -> Candidate:
    """The mention with `label`, no role, and why in its resolution (beside the model's type)."""
    return replace(
        candidate, label=label, role=None, resolution=f"{label}: {reason}, model said {candidate.label}"
    )


EXIT_WORD = re.compile(r"[A-Z][a-z]{0,3}exit")
"""A country's leaving a union, in one word: "Brexit", "Grexit", "Frexit" (an EVENT, not a place)."""

PEOPLE_SUFFIX = re.compile(r"(?:ites|ians|ans|ers|ns|ese|is)")
"""Endings that make a place's people: "Delhiites", "Nairobians", "Londoners", "Beijingers"."""

PEOPLE_RETYPES = frozenset({"PERSON", "ORG", "GPE", "LOC"})


def type_words_by_shape(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A one-word "-exit" name is an EVENT; a one-word name that is a place of the article with a
    people's ending ("Delhiites" where "Delhi" is a place) is a NORP; the gazetteer's type stays."""
    places = {c.name for c in candidates if c.label in {"GPE", "LOC"}}

    def people(name: str) -> str | None:
        # "Kenya" + "ns", "Nairobi" + "ans", and a final vowel dropped: "Roma" -> "Romans"; the
        # endings are short, so a name is split at its last few letters only (no scan of places)
        for cut in range(max(1, len(name) - 4), len(name) - 1):
            stem, ending = name[:cut], name[cut:]
            if PEOPLE_SUFFIX.fullmatch(ending):
                place = next((p for p in (stem, stem + "a", stem + "e", stem + "o") if p in places), None)
                if place is not None:
                    return place
        return None

    def evidence(candidate: Candidate) -> tuple[str, str] | None:
        if " " in candidate.name:
            return None
        if EXIT_WORD.fullmatch(candidate.name) and candidate.label != "EVENT":
            return "EVENT", "a one-word '-exit' name"
        place = people(candidate.name) if candidate.label in PEOPLE_RETYPES else None
        return ("NORP", f"the people of {place}, a place in the article") if place else None

    shaped = []
    for candidate in candidates:
        found = None if candidate.typed_by_gazetteer else evidence(candidate)
        if found is not None:
            candidate = retyped_as(candidate, *found)
        shaped.append(candidate)
    return shaped


def type_listed_people(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A person-shaped name the model typed otherwise, listed between two people ("Jonathan
    Huberdeau, Colton Sceviour and Mike Hoffman"), is a person; not one with an organisation's
    head word ("Goldman Sachs Group") or one the gazetteer typed."""
    ordered = sorted(candidates, key=lambda c: (c.field, c.start, c.end))
    people: dict[int, str] = {}
    for left, middle, right in zip(ordered, ordered[1:], ordered[2:], strict=False):
        text = fields.get(middle.field, "")
        if (
            left.label == right.label == "PERSON"
            and left.field == middle.field == right.field
            and middle.label in {"ORG", "GPE", "NORP"}
            and not middle.typed_by_gazetteer
            and is_person_shaped(middle.name)
            and not ORG_HEADS.search(middle.name)
            and LIST_SEPARATOR.fullmatch(text, left.end, middle.start)
            and LIST_SEPARATOR.fullmatch(text, middle.end, right.start)
        ):
            people[id(middle)] = (
                f"PERSON: listed between {left.name} and {right.name}, model said {middle.label}"
            )
    return [
        replace(c, label="PERSON", resolution=people[id(c)]) if id(c) in people else c for c in candidates
    ]
