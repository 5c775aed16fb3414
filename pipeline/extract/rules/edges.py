"""Where a name starts and ends, beyond punctuation: the edges the model gets wrong on real news.

Each function takes a column and a span and returns the span's new edges (or says the span is no
name); the span clean-up rule calls them in order. Every pattern here is bounded and anchored at
the span's edge, so each call reads a few dozen characters however long the text.
"""

from __future__ import annotations

import re

PARTICLES = (
    r"(?:wa|Wa|arap|Arap|ole|Ole|bin|binti|van|von|der|de|De|da|Da|del|della|di|Di|du|Du|la|La|le|Le|"
    r"al|el|ibn)"
)

NAME_CONTINUATION = re.compile(rf"(?:(?<![sS])[’']\s|\s{PARTICLES}\s)[A-Z][\w’'-]{{0,30}}")
"""What continues a person's name past where the model stopped: the closing apostrophe of
"Anyang' Nyong'o" (not a plural possessive, "the Joneses' House") or a particle ("Mwangi Wa
Iria", "Daniel arap Moi", "Jackson Ole Sapit")."""


CONNECTOR_END = re.compile(r"\s(?:of|and|for|de|du|des|la|&)$")
"""A name never ends on a joining word: "Moi Teaching and", "Africa Cup of"."""

_WORD = r"[A-Z][\w’'.-]{0,30}"
CAPITALISED_RUN = re.compile(rf"\s{_WORD}(?:\s(?:of|and|for|the)\s{_WORD}|\s{_WORD}){{0,5}}")

TRAILING_FUNCTION_WORD = re.compile(
    r"\s(?:that|at|the|in|on|to|with|by|from|a|an|as|is|was|who|which|said|says|hit|after)$"
)
"""A lower-case word the model ran into the name: "Associated Press that", "Dies at"."""

TRAILING_SCORE = re.compile(r"\s\(?\d{1,3}[-–]\d{1,3}\)?$")
"""A match score after a team: "Iceland 0-0"."""

LEADING_INTERJECTION = re.compile(r"(?:Hey|Hi|Hello|Oh|Wow|Okay|OK|Yes|Dear|Thanks),?\s{1,3}(?=[A-Z])")
"""A greeting before a name is no part of it: "Hey Siri"."""

FACILITY_HEADS = (
    r"(?:Hospital|Infirmary|Stadium|Airport|Cathedral|Mosque|Temple|Bridge|Highway|Road|Street|Avenue|"
    r"Expressway|Railway|Prison|Hall|Centre|Center|Arena|Library|Museum|Terminal|Station|"
    r"Gardens|Building|Tower|Towers|Grounds|Gymnasium|Complex)"
)
INSTITUTION_HEADS = r"(?:University|College|School|Academy|Institute|Foundation|Trust|Polytechnic)"

HEAD_AFTER = re.compile(
    rf"(?:\s(?:[A-Z][\w’'-]{{0,30}}|and|of|for)){{0,5}}?\s"
    rf"(?P<head>{FACILITY_HEADS}|{INSTITUTION_HEADS})(?![\w’'-])"
)
"""The rest of a place or institution named after a person: "Jaramogi Oginga Odinga" + " Teaching
and Referral Hospital"."""

FACILITY_END = re.compile(rf"\s{FACILITY_HEADS.replace('Centre|Center|', '')}$")
"""Head words that make a facility of an organisation's span ("Kisumu County Hospital"); not
"Centre", which names institutions as often ("Goddard Space Flight Center")."""
INSTITUTION_END = re.compile(rf"\s{INSTITUTION_HEADS}$")
EVENT_END = re.compile(
    r"\s(?:Show|Festival|Week|Summit|Cup|Championships?|Marathon|Expo|Olympics|Awards|Tournament)$"
)
"""Head words of a named event ("Dubai Air Show", "Milan Design Week", "Africa Cup"); not "Games"
(Epic Games), "Conference" (leagues) or "Fair" (Vanity Fair), which name organisations as often."""


def cut_at_parenthesis(text: str, start: int, end: int) -> int:
    """The span's end before an opening parenthesis inside it: "World Health Organization (WHO"."""
    cut = text.find("(", start + 1, end)
    return cut if cut > start else end


def mend_end(text: str, start: int, end: int) -> int:
    """The end after dropping a trailing score or function word, or joining the words a trailing
    "of"/"and" promised ("Moi Teaching and" + "Referral Hospital")."""
    for _ in range(4):
        window = max(start, end - 40)
        connector = CONNECTOR_END.search(text, window, end)
        if connector:
            run = CAPITALISED_RUN.match(text, end)
            end = run.end() if run else connector.start()
            continue
        tail = TRAILING_FUNCTION_WORD.search(text, window, end) or TRAILING_SCORE.search(text, window, end)
        if tail is None or tail.start() <= start:
            break
        end = tail.start()
    return end


def person_end(text: str, end: int) -> int:
    """The end of a person's name the model cut short at an apostrophe or a particle."""
    for _ in range(3):
        more = NAME_CONTINUATION.match(text, end)
        if more is None:
            break
        end = more.end()
    return end


def named_after(text: str, end: int) -> tuple[int, str] | None:
    """(end, type) when a person's name goes on into a facility's or an institution's name."""
    head = HEAD_AFTER.match(text, end)
    if head is None:
        return None
    return head.end(), "ORG" if re.fullmatch(INSTITUTION_HEADS, head.group("head")) else "FAC"


def head_type(text: str, start: int, end: int) -> str | None:
    """FAC for a name ending in a facility's head word, ORG for an institution's, EVENT for an
    event's, else None."""
    window = max(start, end - 40)
    if FACILITY_END.search(text, window, end):
        return "FAC"
    if INSTITUTION_END.search(text, window, end):
        return "ORG"
    if EVENT_END.search(text, window, end):
        return "EVENT"
    return None


def after_greeting(text: str, start: int, end: int) -> int:
    """The start after a leading greeting ("Hey Siri" → "Siri")."""
    greeting = LEADING_INTERJECTION.match(text, start, min(end, start + 20))
    return greeting.end() if greeting else start


def is_lower_case_phrase(text: str) -> bool:
    """A span without a capital letter or a digit ("keyboard", "switch keyboard") is no name."""
    return not any(character.isupper() or character.isdigit() for character in text)
