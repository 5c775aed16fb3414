"""Find extracted text back in the HTML source it came from, so every column maps into the raw page.

An extractor (trafilatura) hands back paragraphs of plain text: entities decoded, tags dropped,
whitespace collapsed. To give mentions raw offsets we read the page's visible text ourselves, one
character at a time with the raw span each character came from (`&mdash;` is one character from
seven raw ones), then look each paragraph up in that stream with whitespace ignored. A paragraph
found there gets runs whose raw slice decodes (`html.unescape`) to exactly the column text; a
column character with no such slice (a space where the page has a tag or a line break, a list
bullet the extractor added) gets no run, so a span across it has no raw offsets rather than wrong
ones.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.sources.base import Run

# html.unescape's own pattern for character references, so we decode exactly as it does
CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment (an unclosed one runs to the end, as browsers read it)
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>"  # doctype, processing instruction
    # a tag: each alternative starts with a different character, so matching never backtracks
    r"|</?[A-Za-z][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL,
)
TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
# elements whose content is not text: skipped up to their closing tag
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe"})
ATTRIBUTE = re.compile(r"""([^\s=>/<]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>"']+))""")
WHITESPACE = frozenset(" \t\n\r\f\v\u00a0\u2028\u2029\u3000")
SKIPPED = WHITESPACE | frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
"""Left out of the search: whitespace, and the invisible characters extractors drop (soft hyphen)."""
WORD_WINDOW = 400
"""How far after the previous word the next one may be, when a paragraph is aligned word by word."""


@dataclass
class TextStream:
    """Characters of some decoded HTML text, whitespace left out, each with the raw span it came from.

    Attributes:
        chars: the non-whitespace characters, in page order.
        starts, ends: raw offsets of the character (or of the character reference it is part of).
        parts: how many characters the character reference decoded to (1 for most).
    """

    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    parts: list[int] = field(default_factory=list)
    _joined: str | None = None

    @property
    def text(self) -> str:
        if self._joined is None:
            self._joined = "".join(self.chars)
        return self._joined

    def add_text(self, raw: str, start: int, end: int) -> None:
        """Add the raw text `raw[start:end]` (no tags in it), decoding character references."""
        position = start
        for match in CHARREF.finditer(raw, start, end):
            self._add_verbatim(raw, position, match.start())
            decoded = html.unescape(match.group())
            if decoded == match.group():
                self._add_verbatim(raw, match.start(), match.end())
            else:
                visible = [char for char in decoded if char not in SKIPPED]
                for char in visible:
                    self._add(char, match.start(), match.end(), len(visible))
            position = match.end()
        self._add_verbatim(raw, position, end)
        self._joined = None

    def _add_verbatim(self, raw: str, start: int, end: int) -> None:
        for index in range(start, end):
            if raw[index] not in SKIPPED:
                self._add(raw[index], index, index + 1, 1)

    def _add(self, char: str, start: int, end: int, parts: int) -> None:
        self.chars.append(char)
        self.starts.append(start)
        self.ends.append(end)
        self.parts.append(parts)


def visible_text(raw: str) -> TextStream:
    """The page's text content as a browser would show it, minus scripts, styles and comments."""
    stream = TextStream()
    position = 0
    skip_until: re.Pattern[str] | None = None
    for match in MARKUP.finditer(raw):
        if skip_until is not None:
            if match.start() < position:
                continue
            closing = skip_until.search(raw, position)
            position = closing.end() if closing else len(raw)
            skip_until = None
            continue
        if match.start() < position:
            continue
        stream.add_text(raw, position, match.start())
        position = match.end()
        tag = match.group()
        name = TAG_NAME.match(tag)
        if name and not tag.startswith("</") and not tag.endswith("/>"):
            element = name.group(1).lower()
            if element in RAW_TEXT_ELEMENTS or element in {"title", "textarea"}:
                closing_tag = re.compile(rf"</{element}\s*>", re.IGNORECASE)
                if element in RAW_TEXT_ELEMENTS:
                    closing = closing_tag.search(raw, position)
                    position = closing.end() if closing else len(raw)
                else:  # RCDATA: entities are decoded, tags are not tags
                    closing = closing_tag.search(raw, position)
                    text_end = closing.start() if closing else len(raw)
                    stream.add_text(raw, position, text_end)
                    position = closing.end() if closing else len(raw)
    if position < len(raw):
        stream.add_text(raw, position, len(raw))
    return stream


def attribute_text(raw: str, names: Iterable[str] = ("content", "alt", "title", "value")) -> TextStream:
    """The values of the given attributes of every tag (meta content, image alt), decoded."""
    wanted = {name.lower() for name in names}
    stream = TextStream()
    for match in MARKUP.finditer(raw):
        if not match.group().startswith("<") or match.group().startswith(("<!", "<?", "</")):
            continue
        for attribute in ATTRIBUTE.finditer(raw, match.start(), match.end()):
            if attribute.group(1).lower() not in wanted:
                continue
            group = next(index for index in (3, 4, 5) if attribute.group(index) is not None)
            stream.add_text(raw, attribute.start(group), attribute.end(group))
    return stream


class Aligner:
    """Looks pieces of extracted text up in one page, in reading order."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.stream = visible_text(raw)
        self._attributes: TextStream | None = None
        self.cursor = 0

    @property
    def attributes(self) -> TextStream:
        if self._attributes is None:
            self._attributes = attribute_text(self.raw)
        return self._attributes

    def align(self, text: str, *, in_attributes: bool = False, move: bool = True) -> list[Run]:
        """Runs (column offsets relative to `text`) for the text, found after the last piece if it can.

        Args:
            text: one piece of extracted text (a paragraph, the title).
            in_attributes: also look in attribute values (a title or author from `<meta>`).
            move: advance the reading position past the piece (body paragraphs), or not (metadata).
        """
        positions = [index for index, char in enumerate(text) if char not in SKIPPED]
        if not positions:
            return []
        needle = "".join(text[index] for index in positions)
        stream = self.stream
        found = stream.text.find(needle, self.cursor)
        if found < 0:
            found = stream.text.find(needle)
        if found < 0 and in_attributes:
            stream = self.attributes
            found = stream.text.find(needle)
        if found < 0:
            return self._align_words(text, move=move)
        if move and stream is self.stream:
            self.cursor = found + len(needle)
        return self._runs(text, list(zip(positions, range(found, found + len(needle)), strict=True)), stream)

    def _align_words(self, text: str, *, move: bool) -> list[Run]:
        """Word by word, for text the extractor changed (a list bullet or table bars added): best effort."""
        pairs: list[tuple[int, int]] = []
        cursor = self.cursor
        first = True
        for word in re.finditer(r"[^\s|]+", text):
            positions = [index for index in range(word.start(), word.end()) if text[index] not in SKIPPED]
            needle = "".join(text[index] for index in positions)
            if not needle or (len(needle) < 2 and not needle.isalnum()):
                continue
            limit = None if first else cursor + WORD_WINDOW + len(needle)
            found = self.stream.text.find(needle, cursor, limit)
            if found < 0:
                continue
            first = False
            cursor = found + len(needle)
            pairs.extend(zip(positions, range(found, cursor), strict=True))
        if move:
            self.cursor = max(self.cursor, cursor)
        return self._runs(text, pairs, self.stream)

    def _runs(self, text: str, pairs: list[tuple[int, int]], stream: TextStream) -> list[Run]:
        """Runs for `text` from pairs (column index, stream index) of the characters found in `stream`."""
        pieces: list[tuple[int, int, int, int]] = []  # column start, column end, raw start, raw end
        index = 0
        while index < len(pairs):
            column, at = pairs[index]
            start, end, parts = stream.starts[at], stream.ends[at], stream.parts[at]
            if parts > 1:
                # a reference that decoded to several characters maps only as a whole
                if index + parts <= len(pairs) and all(
                    stream.starts[pairs[index + k][1]] == start and pairs[index + k][0] == column + k
                    for k in range(parts)
                ):
                    pieces.append((column, column + parts, start, end))
                index += parts
                continue
            pieces.append((column, column + 1, start, end))
            index += 1
        # what lies between two mapped characters maps when the raw between them decodes to it
        filled: list[tuple[int, int, int, int]] = []
        for piece in pieces:
            if filled:
                previous = filled[-1]
                if previous[1] < piece[0] and previous[3] < piece[2]:
                    gap = text[previous[1] : piece[0]]
                    raw_gap = self.raw[previous[3] : piece[2]]
                    if "<" not in raw_gap and html.unescape(raw_gap) == gap:
                        filled.append((previous[1], piece[0], previous[3], piece[2]))
            filled.append(piece)
        runs: list[Run] = []
        for column_start, column_end, raw_start, raw_end in filled:
            length, raw_length = column_end - column_start, raw_end - raw_start
            if raw_length == length and self.raw[raw_start:raw_end] == text[column_start:column_end]:
                runs.append((column_start, raw_start, length))
            else:
                runs.append((column_start, raw_start, length, raw_length))
        return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring verbatim runs that are contiguous in column and raw into one."""
    merged: list[Run] = []
    for run in runs:
        if merged and len(run) == 3 and len(merged[-1]) == 3:
            column_start, raw_start, length = merged[-1]
            if column_start + length == run[0] and raw_start + length == run[1]:
                merged[-1] = (column_start, raw_start, length + run[2])
                continue
        merged.append(run)
    return merged
