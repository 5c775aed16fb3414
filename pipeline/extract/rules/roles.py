"""Roles: titles and honorifics split off a person's name, and appositive descriptions after it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from pipeline.extract.candidate import Candidate

MODIFIERS = r"(?:(?:the\s+)?(?:[Ff]ormer|[Ll]ate|[Aa]cting|[Oo]utgoing|[Ii]ncoming|[Ii]nterim|[Ee]x-)\s*)"


TITLES = sorted(
    {
        "Deputy President",
        "President",
        "Vice President",
        "Vice-President",
        "Prime Minister",
        "Deputy Prime Minister",
        "Cabinet Secretary",
        "Principal Secretary",
        "Chief Justice",
        "Deputy Chief Justice",
        "Attorney General",
        "Attorney-General",
        "Solicitor General",
        "Inspector General",
        "Inspector-General",
        "Auditor General",
        "Auditor-General",
        "Speaker",
        "Majority Leader",
        "Minority Leader",
        "Governor",
        "Deputy Governor",
        "Senator",
        "Sen.",
        "MP",
        "MCA",
        "Hon.",
        "Honourable",
        "Dr.",
        "Dr",
        "Mr.",
        "Mr",
        "Mrs.",
        "Mrs",
        "Ms.",
        "Ms",
        "Miss",
        "Prof.",
        "Prof",
        "Professor",
        "Rev.",
        "Reverend",
        "Gen.",
        "General",
        "Lt. Gen.",
        "Maj. Gen.",
        "Major General",
        "Lieutenant General",
        "Brigadier",
        "Col.",
        "Colonel",
        "Capt.",
        "Captain",
        "Judge",
        "Justice",
        "Lady Justice",
        "Chief Magistrate",
        "Magistrate",
        "Minister",
        "Foreign Minister",
        "Finance Minister",
        "Defence Minister",
        "Interior Minister",
        "Ambassador",
        "High Commissioner",
        "Commissioner",
        "Chairman",
        "Chairperson",
        "Secretary-General",
        "Secretary General",
        "Director-General",
        "Director General",
        "Director",
        "CEO",
        "Chief Executive",
        "Managing Director",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "Cardinal",
        "Archbishop",
        "Bishop",
        "Sheikh",
        "Imam",
        "Pastor",
        "Sir",
        "Dame",
        "Lord",
        "Mayor",
        "Chancellor",
        "Sultan",
        "Emir",
        "CS",
        "PS",
        "DP",
        "Detective",
        "Inspector",
        "Sergeant",
        "Sgt.",
        "Corporal",
        "Spokesperson",
        "Senior Counsel",
    },
    key=len,
    reverse=True,
)


_TITLE_ALTERNATION = "|".join(re.escape(title) for title in TITLES)


LEADING_TITLE = re.compile(rf"(?P<role>{MODIFIERS}?(?:{_TITLE_ALTERNATION}))(?:\s+|(?<=\.))(?=[A-Z])")


PRECEDING_TITLE = re.compile(rf"(?P<role>{MODIFIERS}?(?:{_TITLE_ALTERNATION}))\s+$")


ROLE_WORDS = frozenset(
    word.casefold()
    for title in TITLES
    for word in title.replace("-", " ").split()
    if len(word) > 2 and word not in {"Mr.", "Mrs", "Mrs.", "Miss", "Dr.", "Hon.", "Sir", "Lord", "Dame"}
) | frozenset(
    [
        "chief",
        "head",
        "leader",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chair",
        "chairwoman",
        "member",
        "officer",
        "commander",
        "envoy",
        "representative",
        "advocate",
        "lawyer",
        "lecturer",
        "analyst",
        "clerk",
        "registrar",
        "controller",
        "manager",
        "founder",
        "co-founder",
        "deputy",
        "vice",
        "boss",
        "coach",
        "editor",
        "economist",
        "activist",
        "official",
        "secretary",
        "executive",
        "president",
        "minister",
        "governor",
        "senator",
        "ambassador",
        "commissioner",
        "director",
    ]
)


APPOSITIVE_ROLE = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?(?P<role>[A-Za-z][^,.;:()\[\]“”\"\n]{1,120}?)"
    r"(?=\s*(?:,|\.(?:\s|$)|;|:|\)|$)|\s+(?:who|which|said|says|told)\b)"
)


ROLE_PREPOSITION = re.compile(r"\s+(?:of|to|at|for|in|with|from|on|and)\s+")


def title_before(text: str, start: int) -> str | None:
    """The title written right before a name ("former Deputy President "), if any."""
    preceding = PRECEDING_TITLE.search(text, max(0, start - 60), start)
    if preceding and preceding.end() == start:
        return preceding.group("role")
    return None


def appositive_role(text: str, end: int) -> str | None:
    """The role in ", the British High Commissioner to Kenya," right after a name, if there is one."""
    match = APPOSITIVE_ROLE.match(text, end)
    if not match:
        return None
    role = " ".join(match.group("role").split())
    head = ROLE_PREPOSITION.split(role, maxsplit=1)[0].split()
    if not head or head[-1].casefold().strip("’'") not in ROLE_WORDS or len(role.split()) > 12:
        return None
    return role


def add_appositive_roles(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """Persons without a title before the name take the role written after it."""
    with_roles = []
    for candidate in candidates:
        if candidate.label == "PERSON" and candidate.role is None:
            role = appositive_role(fields[candidate.field], candidate.end)
            if role:
                candidate = replace(candidate, role=role)
        with_roles.append(candidate)
    return with_roles
