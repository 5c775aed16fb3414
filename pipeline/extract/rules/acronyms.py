"""Acronyms defined in the text: "Bottom-Up Economic Transformation Agenda (BETA)"."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from pipeline.extract.candidate import Candidate, SpanIndex, is_subsequence
from pipeline.extract.rules.laws import LAW_HEADS
from pipeline.extract.rules.spans import ORG_HEADS
from pipeline.extract.rules.titles import CURATED_TITLE_WORDS, is_title_word

ACRONYM = re.compile(r"\((?P<short>[A-Z][A-Za-z0-9&.-]{1,11})\)")
"""An acronym in parentheses: "(BETA)"."""


LONG_FORM = re.compile(
    r"(?<![\w’'-])(?P<long>(?:[A-Z][\w’'-]{0,40}(?:\s{1,3}(?:of|and|for|the|on|in|to|de|du|des|la|&)"
    r"\s{1,3}|,?\s{1,3})){0,24}[A-Z][\w’'-]{0,40})\s{0,3}$"
)
"""The capitalised words (and small joining words) right before an acronym's parenthesis.

Every quantifier is bounded and the search runs only over a window before each parenthesis, so
the time is linear in the text: a long capitalised run ("Checksum: 9F3A...", 98,000 characters)
once took minutes when the long form was searched for everywhere with unbounded repeats.
"""


LONG_FORM_WINDOW = 250


def definitions(text: str) -> Iterator[tuple[int, str, int, str]]:
    """(long start, long form, short start, acronym) for each "Long Name (ACR)" in `text`."""
    for short in ACRONYM.finditer(text):
        long = LONG_FORM.search(text, max(0, short.start() - LONG_FORM_WINDOW), short.start())
        if long is not None:
            yield long.start("long"), long.group("long"), short.start("short"), short.group("short")


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
    """A law by its head word, an organisation by its ("Authority", or an office such as "Attorney
    General"), else what the model said of the long form (a place's name: an organisation)."""
    if LAW_HEADS.search(name):
        return "LAW"
    if ORG_HEADS.search(name) or is_title_word(name.split()[-1], CURATED_TITLE_WORDS):
        return "ORG"
    if fallback in {"GPE", "LOC"}:
        # A place the gazetteer does not know, abbreviated in brackets, is an organisation
        # named after one ("Football Kenya Federation (FKF)", "Lake Region Economic Bloc").
        return "ORG"
    if fallback:
        return fallback
    return "ORG"


def define_acronyms(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """ "Long Name (ACR)": both are mentions of one entity, named by the long form.

    The long form is found also where the model missed it; a model span inside it gives way to
    the whole name. A candidate that crosses the long form's edges leaves the definition alone.
    """
    removed: set[int] = set()
    added: list[Candidate] = []
    for field, text in fields.items():
        spans = SpanIndex([c for c in candidates if c.field == field])
        for found_start, found_long, short_start, short in definitions(text):
            long_form = acronym_of(found_long, short)
            if long_form is None:
                continue
            long_end = found_start + len(found_long)
            long_start = long_end - len(long_form)
            short_end = short_start + len(short)
            covering = [c for c in spans.starting_in(long_start, long_end) if id(c) not in removed]
            if spans.crosses_into(long_start) or any(c.end > long_end for c in covering):
                continue
            existing = next((c for c in covering if (c.start, c.end) == (long_start, long_end)), None)
            in_short = [
                c
                for c in spans.starting_in(long_end, short_end)
                if c.end > short_start and id(c) not in removed
            ]
            removed.update(id(c) for c in [*covering, *in_short])
            added.extend(
                _definition(text, field, (long_start, long_end), (short_start, short), existing, covering)
            )
    kept = [c for c in candidates if id(c) not in removed]
    return sorted([*kept, *added], key=lambda c: (c.field, c.start, c.end))


def _definition(
    text: str,
    field: str,
    long_span: tuple[int, int],
    short_at: tuple[int, str],
    existing: Candidate | None,
    covering: list[Candidate],
) -> list[Candidate]:
    """The long form's mention and the acronym's, both named by the long form."""
    long_start, long_end = long_span
    short_start, short = short_at
    long_form = " ".join(text[long_start:long_end].split())
    model_label = existing.label if existing else next((c.label for c in covering), None)
    if existing is not None and existing.typed_by_gazetteer:
        name, label = existing.name, existing.label
    else:
        name, label = long_form, _label_for_name(long_form, model_label)
    long_mention = Candidate(
        field,
        long_start,
        long_end,
        text[long_start:long_end],
        label,
        existing.model_label if existing else None,
        existing.origin if existing else "acronym definition",
        name=name,
        resolution=existing.resolution if existing else f"long form of {short}",
    )
    short_mention = Candidate(
        field,
        short_start,
        short_start + len(short),
        short,
        label,
        None,
        "acronym definition",
        name=name,
        resolution=f"acronym defined in article: {short} = {long_form}",
    )
    return [long_mention, short_mention]
