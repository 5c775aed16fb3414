"""Job titles and honorifics out of names, anywhere in a span, and roles written one way.

The title words are nameparser's list (812 titles and honorifics, kept by its maintainers) and
the curated titles of `roles.TITLES`, plus the few words of the office itself that nameparser
lacks ("Superintendent", "MCA"). A title splits a span into what it qualifies ("Kakamega" in
"Kakamega Governor Fernandes Barasa"), the role and the person; the qualifier stays a name only
with evidence (the gazetteer knows it, or the model typed the whole span as an organisation).
"""

from __future__ import annotations

import re

from nameparser.config import CONSTANTS

from pipeline.extract.gazetteer import lookup as gazetteer_lookup
from pipeline.extract.rules.roles import MODIFIERS, PRECEDING_TITLE, TITLES

EXTRA_TITLES = frozenset(
    {"superintendent", "chairman", "chairwoman", "spokesman", "spokeswoman", "mca", "mp", "insider", "mzee"}
)
OFFICE_WORDS = frozenset(
    {
        "county",
        "cabinet",
        "health",
        "police",
        "deputy",
        "assistant",
        "senior",
        "woman",
        "law",
        "foreign",
        "high",
        "general",
        "chief",
        "vice",
        "first",
        "state",
        "national",
        "executive",
        "principal",
    }
)
"""Words that are part of a title next to one ("County Health Executive", "Attorney General") but
name no office alone: nameparser lists them as titles because it reads them before a name."""

NOT_TITLES = OFFICE_WORDS | {
    # nameparser reads these before a person's name; inside a span they are names or plain words
    *("master", "private", "sister", "brother", "mother", "father", "us", "uk", "british", "his", "her"),
    *("me", "tax", "pro", "met", "st", "air", "army", "navy", "ab", "sr", "mag", "pd", "bp", "ra", "sn"),
}
SINGLE_TITLES = frozenset(title.casefold().rstrip(".") for title in TITLES if " " not in title)
TITLE_WORDS = (frozenset(CONSTANTS.titles) | SINGLE_TITLES | EXTRA_TITLES) - NOT_TITLES
"""Words that are a title or part of one, lower case, without a full stop."""


MODIFIER_WORDS = frozenset({"former", "late", "acting", "outgoing", "incoming", "interim", "ex", "ex-"})
SMALL_WORDS = frozenset({"of", "the", "and", "for", "to", "in", "on", "at"})

PLACE_TITLES = frozenset({"mp", "mca", "governor", "senator", "mayor", "rep", "woman"})
"""Titles whose qualifier is a place: "Molo MP", "Kakamega Governor"."""

QUALIFIER_BEFORE = re.compile(
    r"(?:[A-Z]{2,8}|[A-Z][\w’'&.-]{0,30}(?:\s(?:of|the)\s[A-Z][\w’'&.-]{0,30}){0,3})\s$"
)

MAX_TITLED_WORDS = 12
MAX_TITLED_CHARS = 200
"""A span longer than this is no qualifier, title and name: it is not searched for a title."""

Piece = tuple[int, int, str, str | None]
"""(start, end, type, role) of a piece of a span."""


CURATED_TITLE_WORDS = frozenset(SINGLE_TITLES | EXTRA_TITLES) - NOT_TITLES
"""The titles that split a span the model did not call a person: nameparser's list also holds
words such as "Group", "Authority" and "Security", titles only before a person's name."""


def is_title_word(word: str, words: frozenset[str] = TITLE_WORDS) -> bool:
    return word.casefold().rstrip(".") in words


def normalise_role(role: str) -> str:
    """One spelling per role: modifiers and small words in lower case, title words capitalised.

    "Former Deputy President" and "former Deputy President" are one role; so are "Law Society of
    Kenya president" and "Law Society of Kenya President".
    """
    words = []
    for word in role.split():
        folded = word.casefold()
        if folded.rstrip("-") in MODIFIER_WORDS or folded in SMALL_WORDS:
            words.append(folded)
        elif word.isupper() or not word[:1].isalpha():
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]


def _word(text: str, words: list[tuple[int, int]], index: int, offset: int) -> str:
    return text[offset + words[index][0] : offset + words[index][1]]


def _title_run(
    text: str, words: list[tuple[int, int]], offset: int, titles: frozenset[str]
) -> tuple[int, int] | None:
    """(first, last + 1) word indexes of the first run of title and office words with a title in it."""
    first = 0
    while first < len(words):
        last, titled = first, False
        while last < len(words):
            word = _word(text, words, last, offset)
            if not (is_title_word(word, titles) or word.casefold() in OFFICE_WORDS):
                break
            titled = titled or is_title_word(word, titles)
            last += 1
        if titled:
            return first, last
        first = last + 1
    return None


def leading_title(text: str, start: int, end: int) -> tuple[str, int] | None:
    """(role, start of the name) when a person's span opens with titles and at least two name
    words follow ("Superintendent Jennifer McCormick"); one word after a title may be a name
    itself ("Judge" in "Judge Smith" is kept by the curated list only)."""
    words = _words(text, start, min(end, start + MAX_TITLED_CHARS))
    count, titled = 0, False
    while count < len(words):
        word = _word(text, words, count, start)
        if not (is_title_word(word) or word.casefold() in OFFICE_WORDS | MODIFIER_WORDS):
            break
        titled = titled or is_title_word(word)
        count += 1
    if not titled or len(words) - count < 2:
        return None
    return normalise_role(text[start : start + words[count - 1][1]]), start + words[count][0]


def split_at_title(text: str, start: int, end: int, label: str) -> list[Piece] | None:
    """The pieces of a span with a title inside ("Kakamega Governor Fernandes Barasa"), or None.

    The words after the title are the person, with the qualifier and title as role; the words
    before it are a name of their own only when the gazetteer knows them or the model called the
    whole span an organisation; a person's span that is nothing but a title ("Founder") has no
    piece. A span the model did not call a person splits only at a curated title with a name
    after it.
    """
    words = _words(text, start, min(end, start + MAX_TITLED_CHARS))
    titles = TITLE_WORDS if label == "PERSON" else CURATED_TITLE_WORDS
    run = _title_run(text, words, start, titles) if len(words) <= MAX_TITLED_WORDS else None
    if run is None or (run[0] == 0 and run[1] < len(words)):
        return None
    first, last = run
    if label != "PERSON" and last == len(words):
        return None  # "Office of the Auditor-General", "Molo MP": no person named here
    role = normalise_role(text[start : start + words[last - 1][1]])
    pieces: list[Piece] = []
    if first > 0:
        qualifier = (start, start + words[first - 1][1])
        pieces.extend(
            _qualifier(text, qualifier, label, text[start + words[last - 1][0] : start + words[last - 1][1]])
        )
    if last < len(words):
        pieces.append((start + words[last][0], end, "PERSON", role))
    return pieces


def _qualifier(text: str, span: tuple[int, int], label: str, title: str) -> list[Piece]:
    name = " ".join(text[span[0] : span[1]].split())
    entry = gazetteer_lookup(name)
    if entry is not None:
        return [(span[0], span[1], entry.label, None)]
    if label == "PERSON" and not name.isupper():
        return []
    return [(span[0], span[1], "GPE" if title.casefold().rstrip(".") in PLACE_TITLES else "ORG", None)]


def title_before(text: str, start: int) -> str | None:
    """The title written right before a name, with what it qualifies when that is a known name or
    an acronym ("LSK President ", "former Deputy President "), normalised."""
    preceding = PRECEDING_TITLE.search(text, max(0, start - 60), start)
    if not preceding or preceding.end() != start:
        return None
    role = preceding.group("role")
    qualifier = QUALIFIER_BEFORE.search(text, max(0, preceding.start() - 60), preceding.start())
    if qualifier is not None and not re.match(MODIFIERS, role):
        name = qualifier.group().strip()
        if name.isupper() or gazetteer_lookup(name) is not None:
            role = f"{name} {role}"
    return normalise_role(role)
