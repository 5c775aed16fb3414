"""Capitals that are no evidence: headings in Title Case, and the first word of a sentence.

The model leans on capitals to find names. In a line where every word is capitalised (a heading,
a list or feature line: "Post-Workout Meal", "Not Merely Taste and Smell Receptors") and in the
first word of a sentence ("House Hitler was born in ...") a capital says nothing, so there the
rules ask for other evidence: the same words written as a name in running text, the gazetteer,
or a title before the name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from pipeline.extract.candidate import Candidate

HEADING_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "vs",
        "via",
        "per",
        "into",
        "over",
    }
)
"""Words Title Case leaves in lower case ("Not Merely Taste and Smell Receptors")."""

WORD = re.compile(r"[^\W\d_][\w'’.-]*")
LOWER_WORD = re.compile(r"\b[a-z][\w-]*\b")
SPAN_WORD = re.compile(r"[\w'’-]+")


def is_heading(line: str) -> bool:
    """Two words or more, each capitalised but Title Case's small words: a heading or a list line."""
    words = WORD.findall(line)
    return len(words) >= 2 and all(w[0].isupper() or w in HEADING_SMALL_WORDS for w in words)


def line_around(text: str, start: int, end: int) -> str:
    """The line of `text` that holds [start, end)."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first : len(text) if last == -1 else last]


def _function_words() -> frozenset[str]:
    # imported here: spaCy's package is loaded only where the model runs (see propagate.py)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def lower_case_words(fields: Mapping[str, str]) -> set[str]:
    """The words an article writes in lower case, and English function words."""
    found = {word for text in fields.values() for word in LOWER_WORD.findall(text)}
    return found | _function_words()


def in_running_text(fields: Mapping[str, str], surface: str) -> bool:
    """Whether `surface` is written, as a whole word, in a line that is no heading."""
    pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
    return any(
        not is_heading(line_around(text, match.start(), match.end()))
        for text in fields.values()
        for match in pattern.finditer(text)
    )


def drop_heading_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A model span in a Title Case line made only of words the article writes in lower case
    ("Post-Workout Meal", "Smell Receptors"), written nowhere in running text, is no name: its
    capitals are the heading's. What the gazetteer knows and a name after a title stay."""
    common = lower_case_words(fields)

    def is_heading_phrase(candidate: Candidate) -> bool:
        text = fields.get(candidate.field, "")
        words = SPAN_WORD.findall(candidate.text)
        return (
            candidate.origin == "model"
            and not candidate.typed_by_gazetteer
            and candidate.role is None
            and bool(words)
            and all(word.casefold() in common for word in words)
            and is_heading(line_around(text, candidate.start, candidate.end))
            and not in_running_text(fields, candidate.text)
        )

    return [c for c in candidates if not is_heading_phrase(c)]


SENTENCE_START = re.compile(r"(?:^|\n[ \t]*(?:[-•*][ \t]+)?|[.!?][\"”’)]?[ \t]+)$")
"""What comes before the first word of a sentence, a line or a list item."""


def at_sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_START.search(text[max(0, start - 8) : start]))


def trim_opening_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A model span that opens a sentence with words the article writes in lower case ("House" of
    "House Hitler was born in ...", "Officers arrested" of "Officers arrested Webb") is the name
    after them, when the model found that name alone elsewhere in the article and the whole span
    is written nowhere but at a sentence's start."""
    common = lower_case_words(fields)
    alone: dict[str, Counter[str]] = {}
    for candidate in candidates:
        if candidate.origin == "model":
            alone.setdefault(candidate.text, Counter())[candidate.label] += 1
    trimmed = []
    for candidate in candidates:
        rest = _named_rest(fields, candidate, common, alone)
        if rest is None:
            trimmed.append(candidate)
            continue
        offset, surface = rest
        label = alone[surface].most_common(1)[0][0]
        cut = candidate.text[:offset].strip()
        trimmed.append(
            replace(
                candidate,
                start=candidate.start + offset,
                text=surface,
                name=" ".join(surface.split()),
                label=label,
                role=None if label != "PERSON" else candidate.role,
                resolution=(
                    f"{cut!r} cut: a sentence's first words, written in lower case in the article; "
                    f"{surface!r} named alone there, model said {candidate.label}: {candidate.text!r}"
                ),
            )
        )
    return trimmed


def _named_rest(
    fields: Mapping[str, str], candidate: Candidate, common: set[str], alone: Mapping[str, Counter[str]]
) -> tuple[int, str] | None:
    """(offset in the span, surface) of the longest name after the span's opening lower-case words
    that the model found alone in the article; None when the span keeps its opening words."""
    text = fields.get(candidate.field, "")
    words = list(re.finditer(r"\S+", candidate.text))
    if (
        len(words) < 2
        or candidate.origin != "model"
        or candidate.typed_by_gazetteer
        or words[0].group().casefold() not in common
        or not at_sentence_start(text, candidate.start)
        or _written_inside_sentence(fields, candidate.text)
    ):
        return None
    for word in words[1:]:
        surface = candidate.text[word.start() :]
        if surface[0].isupper() and surface in alone:
            return word.start(), surface
        if word.group().casefold() not in common:
            return None
    return None


def _written_inside_sentence(fields: Mapping[str, str], surface: str) -> bool:
    """Whether `surface` is written somewhere other than at a sentence's start."""
    pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
    return any(
        not at_sentence_start(text, match.start())
        for text in fields.values()
        for match in pattern.finditer(text)
    )
