"""Capitals that are no evidence: headings in Title Case, and the first word of a sentence.

The model leans on capitals to find names. In a line where every word is capitalised (a heading,
a list or feature line: "Post-Workout Meal", "Not Merely Taste and Smell Receptors") and in the
first word of a sentence ("House Hitler was born in ...") a capital says nothing, so there the
rules ask for other evidence: the same words written as a name in running text, the gazetteer,
or a title before the name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import accumulate, islice

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


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    # imported here: spaCy's package is loaded only where the model runs (see propagate.py)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_last_article: list[tuple[Mapping[str, str], frozenset[str]]] = [({}, frozenset())]


def lower_case_words(fields: Mapping[str, str]) -> frozenset[str]:
    """The words an article writes in lower case, and English function words.

    Three rules ask this of each article in turn: the answer for the last article's columns (the
    same object, held here so its id cannot be reused) is kept. The pair is read and replaced as
    one tuple, so a worker running articles on several threads never mixes two articles.
    """
    last_fields, last_words = _last_article[0]
    if last_fields is fields:
        return last_words
    found = frozenset(word for text in fields.values() for word in LOWER_WORD.findall(text))
    words = found | _function_words()
    _last_article[0] = (fields, words)
    return words


SENTENCE_START = re.compile(r"(?:^|\n[ \t]*(?:[-•*][ \t]+)?|[.!?][\"”’)]?[ \t]+)$")
"""What comes before the first word of a sentence, a line or a list item."""

WORD_START = re.compile(r"(?<![\w'’-])[\w'’-]+")


def at_sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_START.search(text[max(0, start - 8) : start]))


@dataclass(frozen=True)
class Spot:
    """Where a word is written: its column and offset, and what its place says of its capital."""

    field: str
    start: int
    in_heading: bool
    opens_sentence: bool


class WrittenWords:
    """Every word of an article by its spelling, with whether its line is a heading and whether
    it opens a sentence: one pass over the text, so asking where many names are written reads
    only the spots of each name's first word.

    The spots are gathered on the first question about them: most articles ask none (a rule asks
    only of spans made of common words), and reading every word's place costs more than the rule.
    """

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.line_starts: dict[str, list[int]] = {}
        self.headings: dict[str, list[bool]] = {}
        for field, text in fields.items():
            lines = text.split("\n")
            self.line_starts[field] = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
            self.headings[field] = [is_heading(line) for line in lines]

    @cached_property
    def spots(self) -> dict[str, list[Spot]]:
        spots: dict[str, list[Spot]] = defaultdict(list)
        for field, text in self.fields.items():
            for start, heading in zip(self.line_starts[field], self.headings[field], strict=True):
                end = text.find("\n", start)
                for word in WORD_START.finditer(text, start, len(text) if end < 0 else end):
                    spots[word.group()].append(
                        Spot(field, word.start(), heading, at_sentence_start(text, word.start()))
                    )
        return spots

    def in_heading(self, candidate: Candidate) -> bool:
        """Whether the candidate's line is a heading."""
        line = bisect_right(self.line_starts[candidate.field], candidate.start) - 1
        return self.headings[candidate.field][line]

    def written(self, surface: str, where: Callable[[Spot], bool]) -> bool:
        """Whether `surface` is written, as whole words, at a spot `where` accepts."""
        first = WORD_START.match(surface)
        if first is None:
            return False
        for spot in self.spots.get(first.group(), ()):
            text = self.fields[spot.field]
            after = spot.start + len(surface)
            if where(spot) and text.startswith(surface, spot.start) and not text[after : after + 1].isalnum():
                return True
        return False


def drop_heading_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A model span in a Title Case line made only of words the article writes in lower case
    ("Post-Workout Meal", "Smell Receptors"), written nowhere in running text, is no name: its
    capitals are the heading's. What the gazetteer knows and a name after a title stay."""
    common = lower_case_words(fields)
    written = WrittenWords(fields)
    running: dict[str, bool] = {}

    def in_running_text(surface: str) -> bool:
        if surface not in running:
            running[surface] = written.written(surface, lambda spot: not spot.in_heading)
        return running[surface]

    def is_heading_phrase(candidate: Candidate) -> bool:
        words = SPAN_WORD.findall(candidate.text)
        return (
            candidate.origin == "model"
            and not candidate.typed_by_gazetteer
            and candidate.role is None
            and bool(words)
            and all(word.casefold() in common for word in words)
            and candidate.field in fields
            and written.in_heading(candidate)
            and not in_running_text(candidate.text)
        )

    return [c for c in candidates if not is_heading_phrase(c)]


def trim_opening_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A model span that opens a sentence with words the article writes in lower case ("House" of
    "House Hitler was born in ...", "Officers arrested" of "Officers arrested Webb") is the name
    after them, when the model found that name alone elsewhere in the article and the whole span
    is written nowhere but at a sentence's start."""
    common = lower_case_words(fields)
    written = WrittenWords(fields)
    inside: dict[str, bool] = {}

    def inside_a_sentence(surface: str) -> bool:
        if surface not in inside:
            inside[surface] = written.written(surface, lambda spot: not spot.opens_sentence)
        return inside[surface]

    alone: dict[str, Counter[str]] = {}
    for candidate in candidates:
        if candidate.origin == "model":
            alone.setdefault(candidate.text, Counter())[candidate.label] += 1
    trimmed = []
    for candidate in candidates:
        rest = _named_rest(fields, candidate, common, alone)
        if rest is None or inside_a_sentence(candidate.text):
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


MAX_OPENING_WORDS = 4


def _named_rest(
    fields: Mapping[str, str], candidate: Candidate, common: frozenset[str], alone: Mapping[str, Counter[str]]
) -> tuple[int, str] | None:
    """(offset in the span, surface) of the longest name after the span's opening lower-case words
    that the model found alone in the article; None when the span keeps its opening words."""
    # a sentence's opening words before a name are few: no long span is read word by word
    words = list(islice(re.finditer(r"\S+", candidate.text), MAX_OPENING_WORDS + 1))
    if (
        len(words) < 2
        or candidate.origin != "model"
        or candidate.typed_by_gazetteer
        or words[0].group().casefold() not in common
        or not at_sentence_start(fields.get(candidate.field, ""), candidate.start)
    ):
        return None
    for word in words[1:]:
        surface = candidate.text[word.start() :]
        if surface[0].isupper() and surface in alone:
            return word.start(), surface
        if word.group().casefold() not in common:
            return None
    return None
