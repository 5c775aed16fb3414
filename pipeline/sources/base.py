"""What every source gives the clean stage: article columns built from slices of the raw text.

Each column is built from slices of the decoded raw text joined by fixed separators, and the slices
are recorded as runs `[column_start, raw_start, length]`. That is what lets every mention carry
offsets into both the column and the raw document.

A run may carry a fourth element, `raw_length`, when the column text is not a verbatim slice but
the decoding of one: an HTML character reference (`&amp;` -> `&`) or a JSON string escape
(`\\u00e9` -> `é`). Such a run maps as a whole; only a span that covers it entirely gets raw offsets.
A run without the fourth element is verbatim (`raw_length == length`).

Sources that hold many articles in one file (JSONL, WARC) also offer `records()`, which yields one
`SourceRecord` per record: an article or the reason the record was rejected.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, model_validator

from pipeline.sources.normalise import drop_invisible

if TYPE_CHECKING:
    from pipeline.sources.sidecar import Sidecar

PARAGRAPH_SEPARATOR = "\n\n"

Run = tuple[int, int, int] | tuple[int, int, int, int]
"""`(column_start, raw_start, length)` or `(column_start, raw_start, length, raw_length)`."""


class RemovedPiece(BaseModel):
    """A stretch of the raw text that is in no article column, and why."""

    model_config = ConfigDict(frozen=True)

    raw_start: int
    raw_end: int
    text: str
    reason: str


class CleanedArticle(BaseModel):
    """What the clean stage hands to the database and to enrich; validated at the boundary."""

    model_config = ConfigDict(frozen=True)

    title: str | None
    section: str | None
    dateline: str | None
    dateline_place: str | None
    published_date: str | None
    author: str | None
    url: str | None
    outlet: str | None
    body: str
    word_count: int
    language: str | None
    offset_map: dict[str, list[Run]]
    removed: list[RemovedPiece]

    @model_validator(mode="after")
    def _body_has_words(self) -> CleanedArticle:
        if self.word_count < 1 or not self.body.strip():
            raise ValueError("an article needs a body with at least one word")
        return self


@dataclass(frozen=True)
class Line:
    """One stripped, non-empty line of the raw text with its offsets."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class FieldBuilder:
    """Builds a column from raw slices, remembering where each slice came from."""

    parts: list[str]
    runs: list[Run]
    length: int = 0

    @classmethod
    def empty(cls) -> FieldBuilder:
        return cls(parts=[], runs=[])

    def add(self, raw_start: int, text: str, separator: str = "") -> None:
        visible = drop_invisible(text, raw_start)
        if visible is not None:  # a zero-width space inside a name would make it another name
            self.add_mapped(visible[0], visible[1], separator)
            return
        if self.parts and separator:
            self.parts.append(separator)
            self.length += len(separator)
        self.runs.append((self.length, raw_start, len(text)))
        self.parts.append(text)
        self.length += len(text)

    def add_mapped(self, text: str, runs: Iterable[Run], separator: str = "") -> None:
        """Append `text` whose runs were computed elsewhere, with column starts relative to `text`.

        For text that is not one verbatim slice (an aligned HTML paragraph, a decoded JSON string):
        characters no run covers have no raw offsets.
        """
        if self.parts and separator:
            self.parts.append(separator)
            self.length += len(separator)
        for run in runs:
            self.runs.append((self.length + run[0], *run[1:]))
        self.parts.append(text)
        self.length += len(text)

    def value(self) -> str | None:
        return "".join(self.parts) or None


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with surrounding whitespace trimmed; offsets index into `text`."""
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        lines.append(Line(start, start + len(stripped), stripped))
    return lines


def _raw_length(run: Sequence[int]) -> int:
    return run[3] if len(run) > 3 else run[2]


def to_raw_offset(runs: Iterable[Sequence[int]], start: int, end: int) -> tuple[int, int] | None:
    """Map a column span to the raw text; None when it crosses a separator the raw text lacks.

    A span inside one verbatim run maps linearly (the only case for 3-element runs, as before).
    Otherwise consecutive runs that are contiguous both in the column and in the raw text are
    joined, so `caf&eacute; au lait` maps as one span; a decoded run (`raw_length` given and
    different from `length`) maps only when the span covers it whole.
    """
    runs = list(runs)
    for run in runs:
        column_start, raw_start, length = run[0], run[1], run[2]
        if _raw_length(run) == length and column_start <= start and end <= column_start + length:
            return raw_start + start - column_start, raw_start + end - column_start
    return _joined_raw_offset(runs, start, end)


def slice_runs(runs: Iterable[Sequence[int]], start: int, end: int) -> list[Run]:
    """The runs of column[start:end], with column offsets relative to `start`.

    A verbatim run is clipped to the slice; a decoded run (raw_length differs) is kept only when
    the slice holds all of it.
    """
    sliced: list[Run] = []
    for run in runs:
        column_start, raw_start, length = run[0], run[1], run[2]
        lo, hi = max(start, column_start), min(end, column_start + length)
        if lo >= hi:
            continue
        if _raw_length(run) == length:
            sliced.append((lo - start, raw_start + lo - column_start, hi - lo))
        elif lo == column_start and hi == column_start + length:
            sliced.append((lo - start, raw_start, length, _raw_length(run)))
    return sliced


def _joined_raw_offset(runs: list[Sequence[int]], start: int, end: int) -> tuple[int, int] | None:
    ordered = sorted(runs, key=lambda run: run[0])
    for index, run in enumerate(ordered):
        column_start, raw_start, length = run[0], run[1], run[2]
        if not column_start <= start < column_start + length:
            continue
        verbatim = _raw_length(run) == length
        if not verbatim and start != column_start:
            return None
        raw_begin = raw_start + (start - column_start if verbatim else 0)
        current = run
        for following in [*ordered[index + 1 :], None]:
            column_end = current[0] + current[2]
            if end <= column_end:
                if _raw_length(current) == current[2]:
                    return raw_begin, current[1] + end - current[0]
                return (raw_begin, current[1] + _raw_length(current)) if end == column_end else None
            if following is None or following[0] != column_end:
                return None
            if following[1] != current[1] + _raw_length(current):
                return None
            current = following
        return None
    return None


@dataclass(frozen=True)
class SourceDocument:
    """One stored raw file as a source reads it: its path, decoded text and sidecar.

    `furniture` holds the lines printed on many pages of the file's site (normalised), which
    page-text sources remove as site furniture.
    """

    path: str
    text: str
    sidecar: Sidecar | None
    max_line_chars: int
    furniture: Collection[str] | None = None


@dataclass(frozen=True)
class SourceRecord:
    """One record of a file that holds many articles (a JSONL line, a WARC record).

    Attributes:
        key: names the record within its file, for provenance and article ids: "line 12",
            "record at byte 40960".
        line: the record's first line number in the file (1-based), when the file has lines.
        byte_start: where the record starts in the file (bytes of the stored file).
        byte_end: where it ends (exclusive).
        article: the article, when the record is one; its offsets point into the decoded raw
            text the source documents (the file's text for JSONL, the record's payload for WARC).
        rejection: why the record is not an article, when it is not; exactly one of the two is set.
        fetched: when the record was fetched (ISO 8601), when the file says so (WARC-Date).
    """

    key: str
    line: int | None
    byte_start: int | None
    byte_end: int | None
    article: CleanedArticle | None = None
    rejection: str | None = None
    fetched: str | None = None
    raw_text: str | None = None
    """The decoded text the article's offsets index into when it is not the file's own text."""
    payload: bytes | None = None
    """The record's raw payload, when it was read for storing rather than cleaning (ingest)."""
    url: str | None = None
    """The record's address, when the file says so (a WARC target URI)."""

    def __post_init__(self) -> None:
        outcomes = (self.article, self.rejection, self.payload)
        if sum(outcome is not None for outcome in outcomes) != 1:
            raise ValueError("a source record holds one of an article, a rejection or a payload")


class Source(Protocol):
    """One kind of input file: says which files it reads and turns one into an article.

    Adding an input kind is one module under `pipeline/sources/` with a `SOURCE` object of this
    shape, plus one line in `pipeline.sources.SOURCES`.
    """

    name: str

    def accepts(self, path: str) -> bool:
        """Whether this source reads the file at `path` (relative to the raw folder)."""
        ...

    def article(self, document: SourceDocument) -> CleanedArticle:
        """The article in the document; raises `RejectedInput` when there is none."""
        ...


@runtime_checkable
class MultiRecordSource(Protocol):
    """A source whose files hold many articles: `records()` yields each one or why it is not one.

    The clean stage calls `records()` instead of `article()` on sources that have it; a bad record
    is one rejection, and the rest of the file goes on.
    """

    name: str

    def accepts(self, path: str) -> bool: ...

    def article(self, document: SourceDocument) -> CleanedArticle: ...

    def records(self, document: SourceDocument) -> Iterator[SourceRecord]:
        """Every record of the document, in file order."""
        ...


def has_records(source: object) -> bool:
    """Whether the source reads files of many articles (offers `records()`)."""
    return callable(getattr(source, "records", None))
