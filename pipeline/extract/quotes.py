"""Direct quotations and who said them, from the quotation marks and the attribution next to them.

News attributes a quotation in a few fixed shapes: after it (“…,” Ruto said. / “…,” said Ruto. /
“…,” President Ruto posted on Twitter) or before it (Ruto said: “…”). The speaker is the person or
organisation mention in that attribution; a pronoun ("he said") leaves the speaker empty rather than
guessing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.extract.candidate import Candidate

SPEECH_VERBS = (
    "said|says|say|added|adds|noted|notes|stated|states|explained|explains|told|tells|asked|asks|"
    "posted|posts|wrote|writes|tweeted|tweets|remarked|declared|declares|insisted|insists|argued|"
    "argues|warned|warns|announced|announces|observed|observes|emphasized|emphasised|stressed|"
    "maintained|claimed|claims|recalled|revealed|reveals|assured|urged|urges|charged|quipped|"
    "responded|replied|continued|concluded|affirmed|indicated|lamented|disclosed|pointed out"
)
QUOTATION = re.compile(r"“(?P<curly>[^“”\n]+)”|\"(?P<straight>[^\"\n]+)\"")
MIN_QUOTE_WORDS = 4
# Between the closing mark and the speaker: at most a title or a few words ("President", "the CS").
AFTER_SPEAKER_FIRST = re.compile(r"^[\s,]*(?:[A-Za-z.’'-]+\s+){0,3}?$")
AFTER_VERB_FIRST = re.compile(rf"^[\s,]*(?P<verb>{SPEECH_VERBS})\s+(?:[A-Za-z.’'-]+\s+){{0,3}}?$")
VERB_AFTER_SPEAKER = re.compile(
    rf"(?:’s)?\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+)?(?P<verb>{SPEECH_VERBS})\b"
)
VERB_BEFORE_QUOTE = re.compile(rf"\s+(?:has\s+|had\s+|also\s+)?(?P<verb>{SPEECH_VERBS})(?:\s+that)?[\s,:]*$")
PRONOUN_ATTRIBUTION = re.compile(rf"[\s,]*(?:he|she|they|it)\s+(?P<verb>{SPEECH_VERBS})\b", re.IGNORECASE)
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
SPEAKER_WINDOW = 200
"""How far before a quotation its speaker and verb are looked for ("Ruto told reporters: ")."""


@dataclass(frozen=True)
class FoundQuote:
    """A quotation in one column, with its attribution when the text gives one."""

    field: str
    start: int
    end: int
    text: str
    verb: str | None
    speaker: Candidate | None


def _speaker_after(text: str, end: int, mentions: list[Candidate]) -> tuple[Candidate, str] | None:
    first = bisect_left(mentions, end, key=lambda m: m.start)
    for mention in mentions[first:]:
        if mention.start - end > 60:
            return None
        if mention.label not in SPEAKER_LABELS:
            continue
        between = text[end : mention.start]
        if "\n" in between:
            return None
        verb_first = AFTER_VERB_FIRST.match(between)
        if verb_first:
            return mention, verb_first.group("verb")
        if AFTER_SPEAKER_FIRST.match(between):
            verb = VERB_AFTER_SPEAKER.match(text, mention.end)
            if verb:
                return mention, verb.group("verb")
        return None
    return None


def _speaker_before(text: str, start: int, mentions: list[Candidate]) -> tuple[Candidate, str] | None:
    line_start = text.rfind("\n", max(0, start - SPEAKER_WINDOW), start) + 1
    # Only the stretch just before the quotation: searching a whole long line for every one of
    # its quotations took time quadratic in the line.
    line_start = max(line_start, start - SPEAKER_WINDOW)
    verb = VERB_BEFORE_QUOTE.search(text, line_start, start)
    if not verb:
        return None
    window = mentions[
        bisect_left(mentions, line_start, key=lambda m: m.start) : bisect_left(
            mentions, verb.start(), key=lambda m: m.start
        )
    ]
    before = [m for m in window if m.end <= verb.start() and m.label in SPEAKER_LABELS]
    if not before:
        return None
    speaker = before[-1]
    if verb.start() - speaker.end > 30:
        return None
    return speaker, verb.group("verb")


def find_quotes(field: str, text: str, mentions: Iterable[Candidate]) -> list[FoundQuote]:
    """Every quotation of at least MIN_QUOTE_WORDS words in `text`, with its speaker where given.

    Args:
        field: the article column `text` is.
        text: that column.
        mentions: the article's resolved mentions (any column; only this one's are used).
    """
    in_field = sorted((m for m in mentions if m.field == field), key=lambda m: m.start)
    found = []
    for match in QUOTATION.finditer(text):
        group = "curly" if match.group("curly") is not None else "straight"
        start, end = match.span(group)
        words = match.group(group).split()
        if len(words) < MIN_QUOTE_WORDS:
            continue
        # Keep the quoted words exactly: trailing ",” belongs to the quotation as printed.
        attribution = _speaker_after(text, match.end(), in_field) or _speaker_before(
            text, match.start(), in_field
        )
        verb = attribution[1] if attribution else None
        if attribution is None:
            pronoun = PRONOUN_ATTRIBUTION.match(text, match.end())
            verb = pronoun.group("verb") if pronoun else None
        found.append(
            FoundQuote(
                field=field,
                start=start,
                end=end,
                text=text[start:end],
                verb=verb,
                speaker=attribution[0] if attribution else None,
            )
        )
    return found
