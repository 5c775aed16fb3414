"""The release database: published tables copied in key order, full-text search, `dataset_info`.

The release is migrated with the same Alembic scripts as the working database and filled in primary
key order, so the same content gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, Engine, create_engine, text

from pipeline import __version__
from pipeline.errors import ReleaseError
from pipeline.schema.models import FULL_TEXT_SEARCH, Base, DatasetInfo, published_tables
from pipeline.store.engine import schema_head, upgrade

RELEASE_CACHE_KIB = 64 * 1024


def _release_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @sqlalchemy.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The staging file is thrown away on any failure, so it needs no fsync until it is published.
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute(f"PRAGMA cache_size=-{RELEASE_CACHE_KIB}")

    return engine


def published_data_tables() -> Iterator[tuple[str, str, str]]:
    """(table, quoted column list, quoted primary key list) of every published table with rows."""
    for name in published_tables():
        if name == DatasetInfo.__tablename__:
            continue
        table = Base.metadata.tables[name]
        columns = ", ".join(f'"{column.name}"' for column in table.columns)
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        yield name, columns, order


def _copy_published(connection: Connection, work: Path | Engine) -> dict[str, int]:
    if isinstance(work, Engine):
        return _stream_published(connection, work)
    connection.exec_driver_sql("ATTACH DATABASE ? AS work", (str(work),))
    counts = {}
    for name, columns, order in published_data_tables():
        connection.exec_driver_sql(
            f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM work."{name}" ORDER BY {order}'
        )
        counts[name] = connection.execute(text(f'SELECT count(*) FROM main."{name}"')).scalar_one()
    connection.commit()
    connection.exec_driver_sql("DETACH DATABASE work")
    return counts


def _stream_published(connection: Connection, work: Engine) -> dict[str, int]:
    """The published rows of a working database on a server, streamed in key order (PostgreSQL)."""
    from pipeline.store.postgres import stream_rows

    counts = {}
    for name, columns, _order in published_data_tables():
        marks = ", ".join("?" for _ in Base.metadata.tables[name].columns)
        sql = f'INSERT INTO main."{name}" ({columns}) VALUES ({marks})'
        for rows in stream_rows(work, name):
            connection.exec_driver_sql(sql, rows)
        counts[name] = connection.execute(text(f'SELECT count(*) FROM main."{name}"')).scalar_one()
    connection.commit()
    return counts


def _drop_working_tables(connection: Connection) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if not table.info.get("published"):
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}"')
    connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _add_full_text_search(connection: Connection) -> None:
    for fts, (table, columns) in FULL_TEXT_SEARCH.items():
        column_list = ", ".join(columns)
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column_list}, content={table}, content_rowid=rowid)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO {fts} (rowid, {column_list}) SELECT rowid, {column_list} FROM {table}"
        )


HASH_BATCH_ROWS = 5000


def content_hash(connection: Connection) -> str:
    """SHA-256 over every published row in key order: equal for equal content, whatever the bytes."""
    digest = hashlib.sha256()
    # The DB-API cursor and repr() of row batches: this runs on every `pipeline run`, also when
    # nothing changed, and is ten times faster than ORM rows through json.
    cursor = connection.connection.cursor()
    try:
        for name, columns, order in published_data_tables():
            digest.update(name.encode())
            cursor.execute(f'SELECT {columns} FROM "{name}" ORDER BY {order}')
            while rows := cursor.fetchmany(HASH_BATCH_ROWS):
                digest.update(repr(rows).encode("utf-8", "surrogatepass"))
    finally:
        cursor.close()
    return digest.hexdigest()


def release_facts(counts: dict[str, int], digest: str, model: str) -> dict[str, str]:
    """What `dataset_info` holds: versions, model, content hash and row counts.

    A release whose `dataset_info` equals what a build would record now (and whose files match
    `SHA256SUMS`) has today's versions, model and counts; see `build_release` for its content.
    """
    return {
        "pipeline_version": __version__,
        "schema_revision": schema_head(),
        "ner_model": model,
        "content_sha256": digest,
        **{f"{name}_count": str(count) for name, count in counts.items()},
    }


def _dataset_info(connection: Connection, facts: dict[str, str]) -> None:
    connection.execute(
        sqlalchemy.insert(DatasetInfo), [{"key": k, "value": v} for k, v in sorted(facts.items())]
    )
    connection.commit()


def build_database(path: Path, work: Path | Engine, model: str) -> tuple[dict[str, int], str]:
    """Write the release database at `path` from a working database file (or a server's engine).

    Returns:
        Its row counts and content hash.
    """
    engine = _release_engine(path)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            # Keys are checked once, with `PRAGMA foreign_key_check` below: checking each of
            # 700,000 mentions as it is inserted doubles the copy.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            indexes = _drop_indexes(connection)
            counts = _copy_published(connection, work)
            _create_indexes(connection, indexes)
            _drop_working_tables(connection)
            _add_full_text_search(connection)
            digest = content_hash(connection)
            _dataset_info(connection, release_facts(counts, digest, model))
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise ReleaseError(f"release has {len(problems)} broken foreign keys, e.g. {problems[0]}")
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
            connection.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()
    return counts, digest


def _drop_indexes(connection: Connection) -> list[str]:
    """Drop the secondary indexes before the bulk copy; returns their SQL in name order.

    An index built once over sorted rows is several times faster than one kept up to date row by
    row. Recreating them in name order also gives the schema one order: batch migrations create
    indexes in an arbitrary (set) order, and `sqlite_master`'s order is part of the file's bytes.
    """
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
    ).all()
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    connection.commit()
    return [sql for _name, sql in indexes]


def _create_indexes(connection: Connection, indexes: list[str]) -> None:
    for sql in indexes:
        connection.exec_driver_sql(sql)
    connection.commit()
