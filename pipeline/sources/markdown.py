"""Markdown pages (`.md`): headings and emphasis are read, not kept.

`#`, `**`, `_`, `>`, list bullets and link targets never reach the title or the body: each line is
cut into the verbatim slices between its markup, so every column still maps into the raw text,
and the markup itself is listed in `removed` ("markdown markup"). The first heading above the
article is its title; the cleaned lines then go through the same page-text cleaner as `.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline.errors import RejectedInput
from pipeline.sources.base import CleanedArticle, Line, RemovedPiece, SourceDocument, split_lines
from pipeline.sources.plaintext import PageText, TextLine, clean_lines
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


def markdown_lines(text: str) -> tuple[list[TextLine], list[RemovedPiece], int | None]:
    """The page's lines without markup, the markup removed, and the index of the first heading."""
    raw_lines: list[Line] = split_lines(text)
    lines: list[TextLine] = []
    removed: list[RemovedPiece] = []
    first_heading: int | None = None
    in_fence = False
    previous_heading = False
    for number, line in enumerate(raw_lines):
        body, offset = line.text, 0
        if FENCE.match(body):
            in_fence = not in_fence
            _markup(removed, line.start, body)
            continue
        if in_fence:
            lines.append(TextLine.from_line(line))
            continue
        is_heading = False
        is_item = False
        if RULE.match(body) or (SETEXT_UNDERLINE.match(body) and lines and number > 0):
            if SETEXT_UNDERLINE.match(body) and first_heading is None and lines:
                first_heading = len(lines) - 1
            _markup(removed, line.start, body)
            continue
        heading = ATX_HEADING.match(body)
        if heading:
            is_heading = True
            _markup(removed, line.start, body[: heading.start("text")])
            if heading.group("closing"):
                _markup(removed, line.start + heading.start("closing"), heading.group("closing"))
            offset, body = heading.start("text"), heading.group("text")
        else:
            prefix = BLOCK_PREFIX.match(body)
            if prefix:
                is_item = not prefix.group().lstrip().startswith(">")
                _markup(removed, line.start, prefix.group())
                offset, body = prefix.end(), body[prefix.end() :]
        segments = [piece for piece in _inline(line.start + offset, body, removed) if piece[1]]
        if not segments:
            continue
        built = TextLine(tuple(segments), segments[0][0], segments[-1][0] + len(segments[-1][1])).strip()
        if not built.text:
            continue
        if is_heading and first_heading is None:
            first_heading = len(lines)
        previous = raw_lines[number - 1] if number else None
        continues = (
            lines
            and previous is not None
            and not is_heading
            and not is_item
            and not previous_heading
            and text.count("\n", previous.end, line.start) == 1
        )
        if continues and previous is not None:
            # a soft-wrapped paragraph: one line, joined by the raw newline
            newline = text.index("\n", previous.end)
            joined = (*lines[-1].segments, (newline, "\n"), *built.segments)
            lines[-1] = TextLine(joined, lines[-1].raw_start, built.raw_end)
        else:
            lines.append(built)
        previous_heading = is_heading
    return lines, removed, first_heading


def clean_markdown(
    text: str,
    *,
    sidecar: Sidecar | None = None,
    max_line_chars: int = 100_000,
    furniture: Mapping[str, int] | None = None,
) -> PageText:
    """Clean one Markdown page; `clean_page` for `.md` (same arguments, same result).

    Raises:
        RejectedInput: nothing usable is left, or a line is too long to be prose.
    """
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > max_line_chars:
        raise RejectedInput(
            f"has a line of {longest:,} characters, over the {max_line_chars:,} limit: not prose"
        )
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
