"""Markdown pages (`.md`): headings and emphasis are read, not kept.

`#`, `**`, `_`, `>`, list bullets and link targets never reach the title or the body: each line is
cut into the verbatim slices between its markup, so every column still maps into the raw text,
and the markup itself is listed in `removed` ("markdown markup"). The first heading above the
article is its title; the cleaned lines then go through the same page-text cleaner as `.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from pipeline.errors import RejectedInput
from pipeline.sources.base import CleanedArticle, Line, RemovedPiece, SourceDocument, split_lines
from pipeline.sources.plaintext import PageText, TextLine, clean_lines, refuse_long_lines
from pipeline.sources.sidecar import Sidecar

SUFFIXES = (".md", ".markdown")
ATX_HEADING = re.compile(r"^(?P<marks>#{1,6})(?:\s+|$)(?P<text>.*?)(?P<closing>\s+#+)?\s*$")
SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)\s*$")
RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
BLOCK_PREFIX = re.compile(r"^(?:>\s?)+|^(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
FENCE = re.compile(r"^(?:```|~~~)")
INLINE = re.compile(
    r"(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<link_open>\[)(?=[^\]]+\]\([^)]*\))"
    r"|(?P<link_close>\]\([^)]*\))"
    r"|(?P<autolink><(?=https?://)|(?<=[^\s<])>(?=\s|$))"
    r"|(?P<emphasis>\*\*\*|\*\*|\*|~~|`+|(?<![^\W_])_{1,3}|_{1,3}(?![^\W_]))"
)
MARKUP = "markdown markup"


def _markup(removed: list[RemovedPiece], raw_start: int, text: str, reason: str = MARKUP) -> None:
    if text.strip():
        removed.append(
            RemovedPiece(raw_start=raw_start, raw_end=raw_start + len(text), text=text, reason=reason)
        )


def _inline(line_start: int, text: str, removed: list[RemovedPiece]) -> list[tuple[int, str]]:
    """The verbatim slices of `text` between its inline markup (emphasis, link brackets, images)."""
    segments: list[tuple[int, str]] = []
    position = 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            segments.append((line_start + position, text[position : match.start()]))
        reason = "markdown image" if match.lastgroup == "image" else MARKUP
        _markup(removed, line_start + match.start(), match.group(), reason)
        position = match.end()
    if position < len(text):
        segments.append((line_start + position, text[position:]))
    return segments


@dataclass
class _Reading:
    """The lines read so far from one Markdown page, and what the next line needs to know."""

    text: str
    raw_lines: list[Line]
    lines: list[TextLine] = field(default_factory=list)
    removed: list[RemovedPiece] = field(default_factory=list)
    first_heading: int | None = None
    in_fence: bool = False
    previous_heading: bool = False


@dataclass(frozen=True)
class _Content:
    """A line's text after its block markup (heading marks, quote marks, list bullet)."""

    offset: int
    text: str
    heading: bool = False
    item: bool = False


def markdown_lines(text: str) -> tuple[list[TextLine], list[RemovedPiece], int | None]:
    """The page's lines without markup, the markup removed, and the index of the first heading."""
    reading = _Reading(text, split_lines(text))
    for number in range(len(reading.raw_lines)):
        _read_line(reading, number)
    return reading.lines, reading.removed, reading.first_heading


def _read_line(reading: _Reading, number: int) -> None:
    line = reading.raw_lines[number]
    lines, removed = reading.lines, reading.removed
    if FENCE.match(line.text):
        reading.in_fence = not reading.in_fence
        _markup(removed, line.start, line.text)
        return
    if reading.in_fence:
        lines.append(TextLine.from_line(line))
        return
    if RULE.match(line.text) or (SETEXT_UNDERLINE.match(line.text) and lines and number > 0):
        if SETEXT_UNDERLINE.match(line.text) and reading.first_heading is None and lines:
            reading.first_heading = len(lines) - 1  # the line above the underline is the heading
        _markup(removed, line.start, line.text)
        return
    content = _block_content(line, removed)
    segments = [piece for piece in _inline(line.start + content.offset, content.text, removed) if piece[1]]
    if not segments:
        return
    built = TextLine(tuple(segments), segments[0][0], segments[-1][0] + len(segments[-1][1])).strip()
    if not built.text:
        return
    if content.heading and reading.first_heading is None:
        reading.first_heading = len(lines)
    _add_line(reading, number, built, joinable=not content.heading and not content.item)
    reading.previous_heading = content.heading


def _block_content(line: Line, removed: list[RemovedPiece]) -> _Content:
    """The line without its heading marks, quote marks or list bullet (recorded as removed)."""
    heading = ATX_HEADING.match(line.text)
    if heading:
        _markup(removed, line.start, line.text[: heading.start("text")])
        if heading.group("closing"):
            _markup(removed, line.start + heading.start("closing"), heading.group("closing"))
        return _Content(heading.start("text"), heading.group("text"), heading=True)
    prefix = BLOCK_PREFIX.match(line.text)
    if prefix:
        _markup(removed, line.start, prefix.group())
        item = not prefix.group().lstrip().startswith(">")
        return _Content(prefix.end(), line.text[prefix.end() :], item=item)
    return _Content(0, line.text)


def _add_line(reading: _Reading, number: int, built: TextLine, *, joinable: bool) -> None:
    """Append the line, or join it to the one before when that is the same soft-wrapped paragraph."""
    lines, text = reading.lines, reading.text
    line = reading.raw_lines[number]
    previous = reading.raw_lines[number - 1] if number else None
    continues = (
        lines
        and previous is not None
        and joinable
        and not reading.previous_heading
        and text.count("\n", previous.end, line.start) == 1
    )
    if continues and previous is not None:
        # one paragraph across lines: one line, joined by the raw newline
        newline = text.index("\n", previous.end)
        joined = (*lines[-1].segments, (newline, "\n"), *built.segments)
        lines[-1] = TextLine(joined, lines[-1].raw_start, built.raw_end)
    else:
        lines.append(built)


def clean_markdown(
    text: str,
    *,
    sidecar: Sidecar | None = None,
    max_line_chars: int = 100_000,
    furniture: Collection[str] | None = None,
) -> PageText:
    """Clean one Markdown page; `clean_page` for `.md` (same arguments, same result).

    Raises:
        RejectedInput: nothing usable is left, or a line is too long to be prose.
    """
    refuse_long_lines(max((len(line) for line in text.splitlines()), default=0), max_line_chars)
    lines, removed, first_heading = markdown_lines(text)
    if not lines:
        raise RejectedInput("no article text is left after removing the Markdown markup")
    # the first heading is the title when no running text comes before it
    hint = first_heading if first_heading is not None and first_heading <= 3 else None
    return clean_lines(lines, sidecar=sidecar, furniture=furniture, removed=removed, title_hint=hint)


class Markdown:
    """Markdown files: headings and emphasis read, not kept."""

    name = "markdown"

    def accepts(self, path: str) -> bool:
        return path.lower().endswith(SUFFIXES)

    def article(self, document: SourceDocument) -> CleanedArticle:
        return clean_markdown(
            document.text,
            sidecar=document.sidecar,
            max_line_chars=document.max_line_chars,
            furniture=document.furniture,
        ).article


SOURCE = Markdown()
