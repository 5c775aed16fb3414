"""Acronyms defined in the text: "Bottom-Up Economic Transformation Agenda (BETA)"."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pipeline.extract.candidate import Candidate, is_subsequence
from pipeline.extract.rules.laws import LAW_HEADS

ACRONYM_DEFINITION = re.compile(
    r"(?P<long>(?:[A-Z][\w’'-]*(?:\s+(?:of|and|for|the|on|in|to|de|du|des|la|&)\s+|\s+))*[A-Z][\w’'-]*)"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&.-]{1,11})\)"
)


def _initials(words: Sequence[str]) -> str:
    return "".join(part[0] for word in words for part in word.split("-") if part and part[0].isupper())


def acronym_of(long_form: str, short: str) -> str | None:
    """The trailing words of `long_form` that `short` abbreviates, or None.

    The acronym's letters must appear in order among the capitals of those words, starting with
    the first, with at most one capital left over ("Bottom-Up Economic Transformation Agenda" for
    "BETA").
    """
    letters = "".join(character for character in short if character.isalpha()).upper()
    words = long_form.split()
    if len(letters) < 2:
        return None
    for size in range(len(words), 0, -1):
        tail = words[-size:]
        if not tail[0][0].isupper():
            continue
        initials = _initials(tail)
        if (
            initials
            and initials[0] == letters[0]
            and len(initials) - len(letters) <= 1
            and is_subsequence(list(letters), list(initials))
        ):
            return " ".join(tail)
    return None


def _label_for_name(name: str, fallback: str | None) -> str:
    if LAW_HEADS.search(name):
        return "LAW"
    if fallback:
        return fallback
    return "ORG"


def define_acronyms(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """ "Long Name (ACR)": both are mentions of one entity, named by the long form.

    The long form is found also where the model missed it; a model span inside it gives way to
    the whole name.
    """
    result = list(candidates)
    for field, text in fields.items():
        for match in ACRONYM_DEFINITION.finditer(text):
            short = match.group("short")
            long_form = acronym_of(match.group("long"), short)
            if long_form is None:
                continue
            long_end = match.start("long") + len(match.group("long"))
            long_start = long_end - len(long_form)
            short_span = (match.start("short"), match.end("short"))
            covering = [c for c in result if c.field == field and c.start < long_end and long_start < c.end]
            if any(c.start < long_start or c.end > long_end for c in covering):
                continue
            existing = next((c for c in covering if (c.start, c.end) == (long_start, long_end)), None)
            model_label = existing.label if existing else next((c.label for c in covering), None)
            if existing is not None and (
                existing.origin == "gazetteer" or existing.resolution.startswith("gazetteer")
            ):
                name, label = existing.name, existing.label
            else:
                name, label = " ".join(long_form.split()), _label_for_name(long_form, model_label)
            result = [
                c
                for c in result
                if not (c.field == field and c.start < long_end and long_start < c.end)
                and not (c.field == field and c.start < short_span[1] and short_span[0] < c.end)
            ]
            origin = existing.origin if existing else "acronym definition"
            result.append(
                Candidate(
                    field,
                    long_start,
                    long_end,
                    text[long_start:long_end],
                    label,
                    existing.model_label if existing else None,
                    origin,
                    name=name,
                    resolution=f"long form of {short}" if existing is None else existing.resolution,
                )
            )
            result.append(
                Candidate(
                    field,
                    *short_span,
                    short,
                    label,
                    None,
                    "acronym definition",
                    name=name,
                    resolution=f"acronym defined in article: {short} = {long_form}",
                )
            )
    return sorted(result, key=lambda c: (c.field, c.start, c.end))
