"""Plain-text pages (`.txt`): title, section, dateline, byline and body out of a page's text.

Site boilerplate is removed line by line and every removed piece is kept with its reason.
"""

from __future__ import annotations

import re

from pipeline.errors import RejectedInput
from pipeline.patterns import MONTH
from pipeline.sources.base import (
    PARAGRAPH_SEPARATOR,
    CleanedArticle,
    FieldBuilder,
    Line,
    RemovedPiece,
    SourceDocument,
    split_lines,
)
from pipeline.sources.normalise import detect_language, parse_partial_date, place_name
from pipeline.sources.sidecar import Sidecar

BREADCRUMB = re.compile(r"^(?:Home|News|Start)\s*(?:»|›|>>|>|/|\|)\s*(?P<trail>.+)$", re.IGNORECASE)
COMMENT_FORM_START = re.compile(
    r"^(?:Leave a (?:Reply|Comment)|Post a Comment|Add a Comment|Comments?|\d+ Comments?|"
    r"Join the (?:conversation|discussion)|Your email address will not be published.*)$",
    re.IGNORECASE,
)
TRAILING_LABELS = re.compile(
    r"^(?:Featured|Trending|Editor[’']?s Picks?|Top Stories|Breaking(?: News)?|Exclusive|"
    r"Sponsored|Share(?: this(?: article)?)?:?|Share on \w+|Related(?: (?:Articles|Posts|News))?:?|"
    r"Read (?:more|also)(?::.*)?|Tags?:.*|Filed under:?.*|Click to share.*|"
    r"Follow us on .*|Subscribe.*|Advertisement|ADVERTISEMENT|Sponsored Content|"
    r"Continue reading|Print|Email|Facebook|Twitter|WhatsApp|Telegram|LinkedIn)$",
    re.IGNORECASE,
)
ADVERTISEMENT = re.compile(r"^(?:advertisement|sponsored|story continues below)$", re.IGNORECASE)
SECTION_LABELS = frozenset(
    label.casefold()
    for label in (
        "Africa",
        "Business",
        "Counties",
        "County News",
        "Crime",
        "Economy",
        "Education",
        "Entertainment",
        "Environment",
        "Featured",
        "Governance",
        "Health",
        "Kenya",
        "Latest",
        "Latest News",
        "Lifestyle",
        "Local News",
        "National",
        "National News",
        "News",
        "Opinion",
        "Politics",
        "Security",
        "Sports",
        "Technology",
        "Top Stories",
        "World",
        "World News",
    )
)
BYLINE = re.compile(
    r"^(?:By|Written by|Story by)\s+(?P<author>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})"
    r"(?:\s*(?:\||,|-|–|—)\s*.*)?$"
)
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+)*)"
    r"(?:,\s*[A-Z][A-Za-z'’.-]+(?:\s[A-Z][A-Za-z'’.-]+)*)?"
    rf"(?:,\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z .]+)\))?)"
    r"\s*(?P<separator>[—–-]{1,2}|:)\s+"
)
TITLE_END = re.compile(r"[.;,:]$")
MAX_TITLE_WORDS = 30


def normalise_spaces(text: str) -> str:
    return " ".join(text.split()).casefold()


def looks_like_title(line: Line) -> bool:
    """A headline is short and does not end like a sentence of running text."""
    return 2 <= line.words <= MAX_TITLE_WORDS and not TITLE_END.search(line.text)


def _trailing_boilerplate(lines: list[Line]) -> tuple[int, int]:
    """Where the trailing tag labels start, and where the comment form starts (len(lines) if none).

    Tag labels ("Featured") often sit just above the comment form, so they belong to the block.
    """
    form = next((i for i, line in enumerate(lines) if COMMENT_FORM_START.match(line.text)), len(lines))
    labels = form
    while labels > 0 and TRAILING_LABELS.match(lines[labels - 1].text):
        labels -= 1
    return labels, form


def clean_text(text: str, *, sidecar: Sidecar | None = None, max_line_chars: int = 100_000) -> CleanedArticle:
    """Turn one decoded raw document into an article.

    Args:
        text: the decoded raw text (NFC, newlines untouched).
        sidecar: metadata the scraper stored beside the file, if any.
        max_line_chars: longer lines are not prose and reject the file.

    Returns:
        The article's columns, how they map to `text`, and every removed piece with its reason.

    Raises:
        RejectedInput: nothing usable is left, or the text is not prose.
    """
    sidecar = sidecar or Sidecar()
    lines = split_lines(text)
    longest = max((line.end - line.start for line in lines), default=0)
    if longest > max_line_chars:
        raise RejectedInput(
            f"has a line of {longest:,} characters, over the {max_line_chars:,} limit: not prose"
        )
    removed: list[RemovedPiece] = []

    def remove(line: Line, reason: str) -> None:
        removed.append(RemovedPiece(raw_start=line.start, raw_end=line.end, text=line.text, reason=reason))

    cut, form = _trailing_boilerplate(lines)
    for index in range(cut, len(lines)):
        remove(lines[index], "comment form" if index >= form else "trailing label")
    lines = lines[:cut]

    title_line: Line | None = None
    breadcrumb_trail: str | None = None
    section: str | None = None
    author_line: tuple[Line, int, str] | None = None
    content: list[Line] = []
    header = True
    for line in lines:
        if ADVERTISEMENT.match(line.text):
            remove(line, "advertisement")
            continue
        if header:
            crumb = BREADCRUMB.match(line.text)
            if crumb:
                breadcrumb_trail = normalise_spaces(crumb.group("trail").split("»")[-1])
                remove(line, "breadcrumb")
                continue
            if line.words <= 3 and line.text.casefold() in SECTION_LABELS:
                if section is None:
                    section = line.text
                    remove(line, "section label (kept as section)")
                else:
                    remove(line, "category label")
                continue
            if title_line is None and breadcrumb_trail and normalise_spaces(line.text) == breadcrumb_trail:
                title_line = line
                continue
            byline = BYLINE.match(line.text)
            if byline and author_line is None:
                author_line = (line, byline.start("author"), byline.group("author"))
                remove(line, "byline (kept as author)")
                continue
        header = False
        content.append(line)

    headline_first = (
        title_line is None
        and not breadcrumb_trail
        and len(content) >= 2
        and looks_like_title(content[0])
        and not DATELINE.match(content[0].text)
    )
    if headline_first:
        title_line = content.pop(0)
        # a byline commonly follows the headline
        byline = BYLINE.match(content[0].text)
        if byline and author_line is None:
            author_line = (content[0], byline.start("author"), byline.group("author"))
            remove(content.pop(0), "byline (kept as author)")

    title = FieldBuilder.empty()
    if title_line is not None:
        title.add(title_line.start, title_line.text)

    dateline = FieldBuilder.empty()
    dateline_place: str | None = None
    published_date = parse_partial_date(sidecar.published) if sidecar.published else None
    body = FieldBuilder.empty()
    for index, line in enumerate(content):
        match = DATELINE.match(line.text) if index == 0 else None
        if match and match.end() < len(line.text):
            dateline.add(line.start, match.group("dateline"))
            dateline_place = place_name(match.group("place"))
            if published_date is None and match.group("date"):
                published_date = parse_partial_date(match.group("date"))
            separator_start = line.start + match.start("separator")
            removed.append(
                RemovedPiece(
                    raw_start=separator_start,
                    raw_end=line.start + match.end("separator"),
                    text=match.group("separator"),
                    reason="dateline separator",
                )
            )
            line = Line(line.start + match.end(), line.end, line.text[match.end() :])
        body.add(line.start, line.text, PARAGRAPH_SEPARATOR)

    author = FieldBuilder.empty()
    if author_line is not None:
        line, offset, name = author_line
        author.add(line.start + offset, name)
    body_text = body.value() or ""
    if not body_text.strip():
        raise RejectedInput("no article text is left after removing site boilerplate")
    return CleanedArticle(
        title=title.value(),
        section=section,
        dateline=dateline.value(),
        dateline_place=dateline_place,
        published_date=published_date,
        author=author.value() or (sidecar.author.strip() if sidecar.author else None),
        url=sidecar.url,
        outlet=sidecar.outlet,
        body=body_text,
        word_count=len(body_text.split()),
        language=detect_language(body_text),
        offset_map={
            name: builder.runs
            for name, builder in (
                ("title", title),
                ("dateline", dateline),
                ("author", author),
                ("body", body),
            )
            if builder.runs
        },
        removed=sorted(removed, key=lambda piece: piece.raw_start),
    )


class PlainText:
    """Plain text, the fallback source: any file no other source reads."""

    name = "plain text"

    def accepts(self, path: str) -> bool:
        return True

    def article(self, document: SourceDocument) -> CleanedArticle:
        return clean_text(document.text, sidecar=document.sidecar, max_line_chars=document.max_line_chars)


SOURCE = PlainText()
