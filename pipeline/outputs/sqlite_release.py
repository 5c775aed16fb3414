"""The release database: published tables copied in key order, full-text search, `dataset_info`.

The release is migrated with the same Alembic scripts as the working database and filled in primary
key order, so the same content gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy
from sqlalchemy import Connection, Engine, create_engine, text

from pipeline import __version__
from pipeline.errors import ReleaseError
from pipeline.outputs.dictionary import write_dictionary
from pipeline.schema.models import (
    FULL_TEXT_SEARCH,
    Base,
    DatasetInfo,
    copied_tables,
    published_tables,
    rows_at_once,
)
from pipeline.schema.views import VIEWS
from pipeline.store.engine import schema_head

RELEASE_CACHE_KIB = 64 * 1024
READING_INDEXES = (
    # The entity page's keyword-in-context and co-mention queries: covering, so they never read
    # the mentions table itself (the entity page went from ~140 ms to ~40 ms at 10,000 articles).
    "CREATE INDEX ix_release_mentions_entity_article"
    ' ON mentions (entity_id, article_id, field, start, "end")',
    "CREATE INDEX ix_release_mentions_article_entity ON mentions (article_id, entity_id)",
    # Its articles newest first, and their dates by id, without reading the articles' rows.
    "CREATE INDEX ix_release_articles_published_id ON articles (published_date, id)",
    "CREATE INDEX ix_release_articles_id_published ON articles (id, published_date)",
)
"""Indexes only readers need: in the release, not kept up to date in the working database."""
VERSION_HASH_DIGITS = 12


def _release_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @sqlalchemy.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # The staging file is thrown away on any failure, so it needs no fsync until it is published.
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute(f"PRAGMA cache_size=-{RELEASE_CACHE_KIB}")

    return engine


def published_data_tables() -> Iterator[tuple[str, str, str]]:
    """(table, quoted column list, quoted primary key list) of every published table copied from work."""
    for name in copied_tables():
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


class RowSink(Protocol):
    """Where `content_hash` also sends a table's rows as it reads them (a table's Parquet file)."""

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None: ...

    def close(self) -> None: ...


def content_hash(connection: Connection, sink: Callable[[str, Sequence[str]], RowSink] | None = None) -> str:
    """SHA-256 over every published row in key order: equal for equal content, whatever the bytes.

    `sink`, when given, is called with each copied table's name and column names and receives its
    rows in the same pass (see `pipeline.outputs.parquet`): the rows are read out of SQLite once.
    """
    digest = hashlib.sha256()
    # The DB-API cursor and repr() of row batches: this runs on every `pipeline run`, also when
    # nothing changed, and is ten times faster than ORM rows through json.
    cursor = connection.connection.cursor()
    try:
        for name, columns, order in published_data_tables():
            digest.update(name.encode())
            names = [column.name for column in Base.metadata.tables[name].columns]
            receiver = sink(name, names) if sink is not None else None
            try:
                cursor.execute(f'SELECT {columns} FROM "{name}" ORDER BY {order}')
                while rows := cursor.fetchmany(rows_at_once(name, HASH_BATCH_ROWS)):
                    digest.update(repr(rows).encode("utf-8", "surrogatepass"))
                    if receiver is not None:
                        receiver.write(rows)
            finally:
                if receiver is not None:
                    receiver.close()
    finally:
        cursor.close()
    return digest.hexdigest()


def release_version(digest: str) -> str:
    """The release's version to cite: the pipeline's version and the start of the content hash.

    Derived from the content, never from a clock or a counter, so the same inputs give the same
    version (and bytes); SemVer with build metadata, as the data package expects.
    """
    return f"{__version__}+{digest[:VERSION_HASH_DIGITS]}"


def release_facts(
    counts: dict[str, int], digest: str, stated: dict[str, str], without_model: dict[str, int]
) -> dict[str, str]:
    """What `dataset_info` holds: versions, content hash, row counts, and what the run states (the
    model and version as `ner_model`, the release's `title` and `source`).

    A release whose `dataset_info` equals what a build would record now (and whose files match
    `SHA256SUMS`) has today's versions, model and counts; see `build_release` for its content.
    """
    return {
        "pipeline_version": __version__,
        "schema_revision": schema_head(),
        **stated,
        "content_sha256": digest,
        "release_version": release_version(digest),
        **{f"{name}_count": str(count) for name, count in counts.items()},
        **(
            {"articles_without_model": ", ".join(f"{lang} {n}" for lang, n in sorted(without_model.items()))}
            if without_model
            else {}
        ),
    }


def _without_model(connection: Connection) -> dict[str, int]:
    """Articles no NER model read, per language (every released article was enriched)."""
    rows = connection.exec_driver_sql(
        "SELECT coalesce(language, '?'), count(*) FROM articles WHERE ner_model IS NULL GROUP BY 1"
    )
    return {str(language): int(count) for language, count in rows}


def _dataset_info(connection: Connection, facts: dict[str, str]) -> None:
    connection.execute(
        sqlalchemy.insert(DatasetInfo), [{"key": k, "value": v} for k, v in sorted(facts.items())]
    )
    connection.commit()


def build_database(
    path: Path,
    work: Path | Engine,
    stated: dict[str, str],
    sink: Callable[[str, Sequence[str]], RowSink] | None = None,
) -> tuple[dict[str, int], str]:
    """Write the release database at `path` from a working database file (or a server's engine);
    returns its row counts and content hash (`sink` receives each copied table's rows, see
    `content_hash`).

    The database is built in a scratch file beside `path` and written to `path` by `VACUUM INTO`:
    a fresh file whose header (its change counter included) does not depend on how many
    transactions the build took, which varies with the environment (the locale, for one).
    """
    scratch = path.with_name(f"{path.name}.building")
    scratch.unlink(missing_ok=True)
    engine = _release_engine(scratch)
    try:
        # The published tables straight from the models (which a test holds equal to the
        # migrations): batch migrations recreate tables with their constraints in set order,
        # and the schema's text is part of the file's bytes.
        Base.metadata.create_all(engine, tables=[Base.metadata.tables[name] for name in published_tables()])
        with engine.connect() as connection:
            counts, digest = _fill(connection, work, stated, sink)
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
            driver: Any = connection.connection.driver_connection
            driver.isolation_level = None  # VACUUM cannot run inside a transaction
            driver.execute("VACUUM INTO ?", (str(path),))
    finally:
        engine.dispose()
        scratch.unlink(missing_ok=True)
    return counts, digest


def _fill(
    connection: Connection,
    work: Path | Engine,
    stated: dict[str, str],
    sink: Callable[[str, Sequence[str]], RowSink] | None,
) -> tuple[dict[str, int], str]:
    """Copy the published rows, index them, add full-text search, views, the data dictionary and
    `dataset_info`."""
    # Keys are checked once, with `PRAGMA foreign_key_check` below: checking each of
    # 700,000 mentions as it is inserted doubles the copy.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    indexes = _drop_indexes(connection)
    counts = _copy_published(connection, work)
    _create_indexes(connection, [*indexes, *READING_INDEXES])
    _add_full_text_search(connection)
    _add_views(connection)
    write_dictionary(connection)
    digest = content_hash(connection, sink)
    _dataset_info(connection, release_facts(counts, digest, stated, _without_model(connection)))
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise ReleaseError(f"release has {len(problems)} broken foreign keys, e.g. {problems[0]}")
    return counts, digest


def _add_views(connection: Connection) -> None:
    for view in VIEWS:
        connection.exec_driver_sql(view.sql)
    connection.commit()


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


_INDEX_SQL = re.compile(
    r'^CREATE (?P<unique>UNIQUE )?INDEX "?(?P<name>\w+)"? ON "?(?P<table>\w+)"? \((?P<columns>[^)]*)\)$'
)


def index_key(sql: str) -> tuple[str, tuple[str, ...], bool]:
    """(table, columns in order, unique) of a `CREATE INDEX` statement as SQLAlchemy and
    READING_INDEXES write them."""
    match = _INDEX_SQL.match(sql.strip())
    if match is None:
        raise ReleaseError(f"cannot read the columns of the index {sql!r}")
    columns = tuple(column.strip().strip('"') for column in match.group("columns").split(","))
    return match.group("table"), columns, match.group("unique") is not None


def without_prefix_indexes(indexes: list[str]) -> list[str]:
    """The indexes, less each one (not unique) whose columns lead another index of the same table.

    SQLite searches and orders by any leading columns of an index, so such an index answers
    nothing the longer one does not; in the release (read, never written) it only costs its build,
    a scan and sort of the table (a second each for the mentions of 10,000 articles), and pages.
    """
    keys = [index_key(sql) for sql in indexes]
    return [
        sql
        for sql, (table, columns, unique) in zip(indexes, keys, strict=True)
        if unique
        or not any(
            other_table == table and len(other) > len(columns) and other[: len(columns)] == columns
            for other_table, other, _unique in keys
        )
    ]


def _create_indexes(connection: Connection, indexes: list[str]) -> None:
    for sql in without_prefix_indexes(indexes):
        connection.exec_driver_sql(sql)
    connection.commit()
