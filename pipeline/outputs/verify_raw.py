"""Verify raw offsets against the working database: every span's text is where it says in the raw.

The release carries column offsets (checked by `verify_release`); the raw offsets index into the
decoded raw documents, which only the working database holds. A span's raw slice equals its text
verbatim for page text, without emphasis marks for Markdown, after `html.unescape` for HTML and
WARC records, and after JSON string decoding for JSON and JSONL records (a raw `\\u00e9` is the
text's `é`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from pipeline.schema.models import Article, DroppedSpan, Mention, Quote, RawDocument, RemovedSegment

MAX_LISTED = 20
BATCH_ARTICLES = 200


def _json_string(raw: str) -> str:
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


def _markdown(raw: str) -> str:
    return raw.translate(MARKDOWN_MARKS)


MARKDOWN_MARKS = str.maketrans("", "", "*_`#>")


def _html(raw: str) -> str:
    """The text of an HTML slice: tags out, character references decoded, list bullets as words."""
    return html.unescape(TAG.sub(" ", raw))


TAG = re.compile(r"<[^>]*>")
BULLET = re.compile(r"(?:^|(?<=\s))- ")

DECODERS: dict[str, Callable[[str], str]] = {
    "markdown": _markdown,
    "html": _html,
    "warc": _html,
    "json": _json_string,
    "jsonl": _json_string,
}
"""How each source kind's raw slice reads as text; verbatim for the others."""


def _same(kind: str, raw: str, text: str) -> bool:
    if raw == text:
        return True
    decode = DECODERS.get(kind)
    if decode is None:
        return False
    if kind in ("json", "jsonl"):
        return decode(raw) == text
    # markup between words (a tag, emphasis, a line break) may or may not read as a space, so
    # every other character must match, in order; trafilatura writes a list item as "- item"
    return "".join(decode(raw).split()) == "".join(BULLET.sub(" ", text).split())


@dataclass
class RawOffsetReport:
    """What the raw-offset check saw."""

    checked: int = 0
    without_raw: int = 0
    mentions: int = 0
    mentions_without_raw: int = 0
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    def problem(self, sentence: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(sentence)
        else:
            self.more_problems += 1

    @property
    def aligned_share(self) -> float:
        """Share of mentions that carry raw offsets (1.0 when there are none)."""
        return 1 - self.mentions_without_raw / self.mentions if self.mentions else 1.0


def _spans(connection: Connection, ids: list[str]) -> Iterator[tuple[str, str, int | None, int | None, str]]:
    """(what, article id, raw start, raw end, text) of the articles' mentions, quotes, dropped spans and
    removals."""
    spans = (
        (Mention, "mention"),
        (Quote, "quote"),
        (DroppedSpan, "dropped span"),
        (RemovedSegment, "removed segment"),
    )
    for table, what in spans:
        rows = connection.execute(
            select(table.id, table.article_id, table.raw_start, table.raw_end, table.text).where(
                table.article_id.in_(ids)
            )
        )
        for row_id, article_id, start, end, text in rows:
            yield f"{what} {row_id}", article_id, start, end, text


def check_raw_offsets(connection: Connection) -> RawOffsetReport:
    """Check every raw offset of every span in the working database, a batch of articles at a time."""
    report = RawOffsetReport()
    ids = list(connection.execute(select(Article.id).order_by(Article.id)).scalars())
    for start in range(0, len(ids), BATCH_ARTICLES):
        batch = ids[start : start + BATCH_ARTICLES]
        articles = {
            row.id: (row.source_kind, row.text or "")
            for row in connection.execute(
                select(Article.id, Article.source_kind, RawDocument.text)
                .join(RawDocument, RawDocument.sha256 == Article.source_sha256)
                .where(Article.id.in_(batch))
            )
        }
        for what, article_id, raw_start, raw_end, text in _spans(connection, batch):
            is_mention = what.startswith("mention")
            missing = raw_start is None or raw_end is None
            report.mentions += is_mention
            report.mentions_without_raw += is_mention and missing
            if raw_start is None or raw_end is None:
                report.without_raw += not what.startswith("removed")
                continue
            kind, raw = articles[article_id]
            report.checked += 1
            if not (0 <= raw_start <= raw_end <= len(raw)) or not _same(kind, raw[raw_start:raw_end], text):
                report.problem(f"{what} of article {article_id}: raw[{raw_start}:{raw_end}] is not {text!r}")
    return report
