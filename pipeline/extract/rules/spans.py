"""Span clean-up: a model span made into clean mentions (no "the", possessive, edge punctuation or title)."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules import edges, titles
from pipeline.extract.rules.roles import LEADING_TITLE
from pipeline.extract.rules.titles import Piece
from pipeline.patterns import MONTH

LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")

INDEFINITE = re.compile(r"(?:a|an)\s")
"""A span that opens with "a" or "an" is a description, not a name ("a Touch Bar")."""

LEADING_YEAR = re.compile(r"(?:1[89]|20)\d\d\s+(?=[A-Z])")
"""A year before a name is no part of it: "the 1967 Six-Day War", "the 2016 MacBook Pro"."""


POSSESSIVE_INSIDE = re.compile(r"[’']s?\s+")

COMMON_POSSESSORS = frozenset(
    {
        "people",
        "peoples",
        "women",
        "men",
        "children",
        "workers",
        "veterans",
        "citizens",
        "farmers",
        "teachers",
        "nurses",
        "doctors",
        "employees",
        "students",
        "consumers",
        "taxpayers",
        "voters",
        "magistrate",
        "magistrates",
        "attorney",
        "sheriff",
        "prosecutor",
        "coroner",
        "examiner",
        "controller",
        "comptroller",
        "auditor",
        "marshal",
        "marshals",
    }
)
"""Common nouns whose possessive opens an institution's own name ("People's Liberation Army",
"Women's Institute", "U.S. Attorney's Office", "Westminster Magistrate's Court"): the owner is no
name of its own, so the possessive does not split the span."""


TRAILING_POSSESSIVE = re.compile(r"(?:[’']s|(?<=s)[’'])$")


EDGE_PUNCTUATION = "\"“”‘’'()[]{},;:!?*•–—-"


_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


CALENDAR_DATE = re.compile(
    rf"(?i:{MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+\d{{4}})?|{MONTH},?\s+\d{{4}})"
)
"""A date such as "Jun 22", "22 June 2024" or "January 2024": the model sometimes calls one a
person, most often the date at the end of a dateline ("WAJIR, Kenya, Jun 22")."""


ABBREVIATION_END = re.compile(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|Bros|St|Mt|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|"
    r"Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|"
    r"Wis|Wyo|W\.Va)\.)$"
)
"""A full stop that belongs to the name: initials, company forms, AP-style state abbreviations."""


ORG_HEADS = re.compile(
    r"\b(?:Service|Agency|Ministry|Commission|Council|Party|Authority|Office|Court|Courts|Bank|"
    r"Union|Association|Institute|University|Company|Corporation|Committee|Department|Board|"
    r"Assembly|Parliament|Senate|Forces|Police|Army|Fund|Foundation|Organisation|Organization|"
    r"Group|Bureau|Secretariat|Tribunal|Directorate|Network|Alliance|Movement|Front)$"
)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading "the" or a year, edge punctuation, spaces and a trailing possessive.

    Each step looks only at the span's edges (a bounded stretch of text), so a long run of
    punctuation is trimmed in linear time.
    """
    changed = True
    while changed and start < end:
        changed = False
        article = LEADING_ARTICLE.match(text, start, min(end, start + EDGE)) or LEADING_YEAR.match(
            text, start, min(end, start + EDGE)
        )
        if article:
            start = article.end()
            changed = True
            continue
        possessive = TRAILING_POSSESSIVE.search(text, max(start, end - EDGE), end)
        if possessive and possessive.start() > start:
            end = possessive.start()
            changed = True
            continue
        if text[start] in EDGE_PUNCTUATION or text[start].isspace():
            start += 1
            changed = True
        elif _loose_end(text, start, end):
            end -= 1
            changed = True
    return start, end


EDGE = 40
"""How far into a span its edges are read: longer than any title, article or abbreviation."""


def _loose_end(text: str, start: int, end: int) -> bool:
    last = text[end - 1]
    return last in EDGE_PUNCTUATION or last.isspace() or _loose_full_stop(text, start, end)


def _loose_full_stop(text: str, start: int, end: int) -> bool:
    """A full stop that ends a sentence, not an abbreviation such as "U.S." or "Ltd."."""
    return text[end - 1] == "." and not ABBREVIATION_END.search(text, max(start, end - EDGE), end)


PLACE_OR_ORG = frozenset({"ORG", "GPE", "LOC", "FAC"})
BRANDS = frozenset({"ORG", "PRODUCT"})
"""Types whose names may be all lower case, in one word ("ecobee", "amigo & amigo"; not
"nonstick spray")."""
MANY_WORDS = re.compile(r"[a-z]\s+[a-z]")
TITLED = frozenset({"PERSON", "ORG", "FAC", "WORK_OF_ART"})
"""Types the model gives to spans that hold a job title ("Kakamega Governor Fernandes Barasa" as
ORG, "Archbishop of the ACK" as WORK_OF_ART)."""


def _edges(text: str, candidate: Candidate) -> tuple[int, int, str, str | None]:
    """The span's edges, type and role after the edge rules: greeting, parenthesis, joining word,
    title, a name cut short at an apostrophe or particle, a facility named after a person."""
    start, end = trim_span(text, candidate.start, candidate.end)
    # no name runs on into the next line: a heading and the paragraph under it are two things
    line_break = text.find("\n", start, end)
    if line_break != -1:
        start, end = trim_span(text, start, line_break)
    start = edges.after_greeting(text, start, end)
    start, end = trim_span(text, start, edges.cut_at_parenthesis(text, start, end))
    start, end = trim_span(text, start, edges.mend_end(text, start, end))
    label, role = candidate.label, candidate.role
    if label in PLACE_OR_ORG:
        return start, end, edges.head_type(text, start, end) or label, role
    if label != "PERSON":
        return start, end, label, role
    title = LEADING_TITLE.match(text, start, end)
    if title:
        role = titles.normalise_role(title.group("role"))
        start, end = trim_span(text, title.end(), end)
    elif (written := titles.leading_title(text, start, end)) is not None:
        role, start = written
    end = edges.person_end(text, end)
    facility = edges.named_after(text, end)
    if facility is not None:
        end, label = facility
    return start, end, label, role


def _possessive_pieces(text: str, start: int, end: int, label: str, role: str | None) -> list[Piece]:
    """A possessive inside a span ends a person's name ("Ruto’s Cabinet") and splits an
    organisation from its owner ("the United Kingdom’s Foreign Intelligence Service")."""
    inside = POSSESSIVE_INSIDE.search(text, start, end)
    if not inside:
        return [(start, end, label, role)]
    owner = text[start : inside.start()].split()
    if label != "PERSON" and owner and owner[-1].casefold() in COMMON_POSSESSORS:
        return [(start, end, label, role)]
    right_start, right_end = trim_span(text, inside.end(), end)
    if label != "PERSON" and ORG_HEADS.search(text, right_start, right_end):
        return [(start, inside.start(), label, role), (right_start, right_end, "ORG", None)]
    return [(start, inside.start(), label, role)]


LIST_TYPES = frozenset({"ORG", "PRODUCT", "EVENT", "FAC", "NORP"})
"""Types whose spans the model runs over a list ("Bleacher Report, Uber Eats", "Comcast/Xfinity");
not people ("Smith, John"), places ("Washington, D.C.") or works ("Eat, Pray, Love")."""

LIST_BREAK = re.compile(r",\s+|\s*/\s*")
COMPANY_FORM = re.compile(r"(?:Inc|Ltd|LLC|LLP|Co|Corp|plc|PLC|AG|SA|S\.A|NV|GmbH)\.?")


def _listed_pieces(text: str, piece: Piece) -> list[Piece]:
    """A span of capitalised words broken by commas or slashes is a list of names, one piece each;
    a span with a lower-case word in it is one name ("Ministry of Trade, Industry and Energy"), and
    a company's form after a comma stays with it ("Acme, Inc.")."""
    start, end, label, role = piece
    if label not in LIST_TYPES or not LIST_BREAK.search(text, start, end):
        return [piece]
    words = text[start:end].replace("/", " ").replace(",", " ").split()
    if any(not word[0].isupper() and not word[0].isdigit() for word in words):
        return [piece]
    parts, at = [], start
    for found in LIST_BREAK.finditer(text, start, end):
        parts.append((at, found.start()))
        at = found.end()
    parts.append((at, end))
    if any(COMPANY_FORM.fullmatch(text[s:e]) for s, e in parts[1:]):
        return [piece]
    return [(s, e, label, role) for s, e in parts if s < e]


def clean_candidate(field_text: str, candidate: Candidate) -> list[Candidate]:
    """A model span made into zero, one or two clean mentions.

    A span ends at a line break; titles move into `role` (a qualifier before a title is a name of
    its own with evidence); a possessive inside a span ends a person's name or splits an
    organisation from its owner.
    """
    start, end, label, role = _edges(field_text, candidate)
    pieces = titles.split_at_title(field_text, start, end, label) if label in TITLED else None
    if pieces is None:
        pieces = _possessive_pieces(field_text, start, end, label, role)
    pieces = [part for piece in pieces for part in _listed_pieces(field_text, piece)]
    cleaned = []
    for piece_start, piece_end, piece_label, piece_role in pieces:
        if piece_label == "PERSON":
            piece_end = edges.person_end(field_text, piece_end)
        piece_start, piece_end = trim_span(field_text, piece_start, piece_end)
        text = field_text[piece_start:piece_end]
        if (
            not any(character.isalpha() for character in text)
            or CALENDAR_DATE.fullmatch(text)
            or INDEFINITE.match(text)
            or ((piece_label not in BRANDS or MANY_WORDS.search(text)) and edges.is_lower_case_phrase(text))
        ):
            continue
        if piece_label == "PERSON" and piece_role is None:
            piece_role = titles.title_before(field_text, piece_start)
        cleaned.append(
            replace(
                candidate,
                start=piece_start,
                end=piece_end,
                text=text,
                name=" ".join(text.split()),
                label=piece_label,
                role=piece_role if piece_label == "PERSON" else None,
            )
        )
    return cleaned
