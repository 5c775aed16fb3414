"""Common words the model takes for names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.extract.candidate import Candidate, tokens

COMMON_WORD_TYPES = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})


def word_forms(word: str) -> set[str]:
    """A word and its plural or singular ("humidifier", "humidifiers"; "pros", "pro"): the article
    writing either in lower case makes the capitalised one a noun too."""
    forms = {word, f"{word}s", f"{word}es"}
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


def drop_common_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A one-word name the article also writes in lower case, or whose plural or singular it does
    ("Missions" / "missions", "Wireless" / "wireless", "Humidifier" / "humidifiers"), is a noun;
    places and nationalities are left alone, and so is what the gazetteer knows."""
    lowered = {field: set(re.findall(r"\b[a-z][\w-]*\b", text)) for field, text in fields.items()}
    words = set().union(*lowered.values()) if lowered else set()
    return [
        c
        for c in candidates
        if not (
            c.label in COMMON_WORD_TYPES
            and c.origin == "model"
            and not c.resolution.startswith("gazetteer")
            and len(tokens(c.name)) == 1
            and bool(word_forms(c.name.casefold()) & words)
            and c.name[0].isupper()
        )
    ]


TECHNICAL_WORDS = re.compile(
    r"(?:CPUs?|GPUs?|RAM|SSDs?|HDDs?|LEDs?|LCDs?|OLED|NFC|GPS|LTE|[345]G|EVs?|PCs?|SUVs?|"
    r"RGB|HDR|IPS|FPS|NAS|AC|ECG|EKG|MRI|Q[1-4]|[KMGT]B|Fahrenheit|Celsius|"
    r"[kMGT]Wh?|mAh|(?:USB(?:-C)?|Thunderbolt|Bluetooth|Wi-?Fi|HDMI|DVI|VGA)(?:\s+[\d.]+)?|"
    r"(?:(?:Group|Path|Pool)\s+)?[A-Z]\.?)"
)
"""Hardware nouns, units and interface standards written in capitals, and one-letter labels:
words, not names ("the CPU", "600 MW", "a Thunderbolt 3 dock", "Group F", "Path C", "an RGB panel", "an
ECG", "1TB", "107 degrees Fahrenheit", "Q3 sales"); OntoNotes names makers
and products, not the parts, units and ports they share, nor a tournament's lettered groups."""

LOWER_CASE_LONG_FORM = re.compile(
    r"\b(?P<long>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,5}),?\s+(?:or\s+|\()(?P<short>[A-Z]{2,6})s?\b"
)
"""An acronym given for lower-case words: "hypersensitivity pneumonitis, or HP", "electric
vehicles (EVs)"."""


def common_acronyms(fields: Mapping[str, str]) -> set[str]:
    """The acronyms an article defines as short for lower-case words: common nouns, not names."""
    found = set()
    for text in fields.values():
        for match in LOWER_CASE_LONG_FORM.finditer(text):
            short, words = match.group("short"), match.group("long").split()
            initials = "".join(word[0] for word in words[-len(short) :]).upper()
            if len(words) >= len(short) and initials == short:
                found.add(short)
    return found


GENUS = re.compile(r"[A-Z][a-z]+(?:ia|ella|coccus|monas|bacter|ium|us)")
EPITHET = re.compile(r"\s+[a-z]+(?:i|ae|is|us|um|a|ensis|ans)\b")
"""A genus and its species in lower case: "Escherichia coli", "Pseudomonas aeruginosa"."""


def drop_technical_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """Hardware words, interface standards, acronyms of lower-case words and the genus of a
    species name are no names; what the gazetteer knows stays."""
    acronyms = common_acronyms(fields)

    def is_word(c: Candidate) -> bool:
        species = GENUS.fullmatch(c.name) and EPITHET.match(fields.get(c.field, ""), c.end)
        return bool(
            TECHNICAL_WORDS.fullmatch(c.name)
            or c.name in acronyms
            or c.name.rstrip("s") in acronyms
            or species
        )

    return [c for c in candidates if c.typed_by_gazetteer or not is_word(c)]
