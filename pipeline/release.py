"""Release: working database -> `dist/news.db` (published tables, full-text search) and checksums.

The release is migrated with the same Alembic scripts as the working database, filled in primary
key order (so the same content gives the same bytes), and moved into place only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from sqlalchemy import Connection, Engine, create_engine, select, text

from pipeline import __version__
from pipeline.db import sqlite_path, upgrade
from pipeline.errors import ConfigurationError, ReleaseError
from pipeline.metadata import render_metadata
from pipeline.models import Base, DatasetInfo, published_tables
from pipeline.settings import Settings

METADATA_FILE = "datasette-metadata.json"
FTS_TABLES = {"articles_fts": ("articles", ("title", "body")), "entities_fts": ("entities", ("name",))}


@dataclass
class ReleaseReport:
    """Where the release went and what it holds."""

    path: Path
    sha256: str
    counts: dict[str, int]
    content_sha256: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _release_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @sqlalchemy.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


def _copy_published(connection: Connection, work_file: Path) -> dict[str, int]:
    connection.exec_driver_sql("ATTACH DATABASE ? AS work", (str(work_file),))
    counts = {}
    for name in published_tables():
        if name == DatasetInfo.__tablename__:
            continue
        table = Base.metadata.tables[name]
        columns = ", ".join(f'"{column.name}"' for column in table.columns)
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
        connection.exec_driver_sql(
            f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM work."{name}" ORDER BY {order}'
        )
        counts[name] = connection.execute(text(f'SELECT count(*) FROM main."{name}"')).scalar_one()
    connection.commit()
    connection.exec_driver_sql("DETACH DATABASE work")
    return counts


def _drop_working_tables(connection: Connection) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if not table.info.get("published"):
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}"')
    connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _add_full_text_search(connection: Connection) -> None:
    for fts, (table, columns) in FTS_TABLES.items():
        column_list = ", ".join(columns)
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column_list}, content={table}, content_rowid=rowid)"
        )
        connection.exec_driver_sql(
            f"INSERT INTO {fts} (rowid, {column_list}) SELECT rowid, {column_list} FROM {table}"
        )


def content_hash(connection: Connection) -> str:
    """SHA-256 over every published row in key order: equal for equal content, whatever the bytes."""
    digest = hashlib.sha256()
    for name in published_tables():
        if name == DatasetInfo.__tablename__:
            continue
        table = Base.metadata.tables[name]
        digest.update(name.encode())
        for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(json.dumps(list(row), ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def _dataset_info(
    connection: Connection, settings: Settings, counts: dict[str, int], digest: str, model: str
) -> None:
    from alembic.script import ScriptDirectory

    from pipeline.db import alembic_config

    revision = ScriptDirectory.from_config(alembic_config()).get_current_head() or ""
    facts = {
        "pipeline_version": __version__,
        "schema_revision": revision,
        "ner_model": model,
        "content_sha256": digest,
        **{f"{name}_count": str(count) for name, count in counts.items()},
    }
    connection.execute(
        sqlalchemy.insert(DatasetInfo), [{"key": k, "value": v} for k, v in sorted(facts.items())]
    )
    connection.commit()


def build_release(work_engine: Engine, settings: Settings, model: str) -> ReleaseReport:
    """Write the release next to its final place, then move it and its checksums into `dist/`.

    Args:
        work_engine: the working database (already enriched).
        settings: where the release goes.
        model: the NER model and version, recorded in `dataset_info`.
    """
    work_file = sqlite_path(str(work_engine.url))
    if work_file is None:
        raise ConfigurationError("the working database must be a file to build a release from")
    with work_engine.connect() as connection:
        # Fold the write-ahead log in so the attached copy sees every committed row.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    dist = settings.dist_dir
    try:
        dist.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(f"cannot create {dist}: {error.strerror}") from error
    temporary = dist / f".news.db.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    engine = _release_engine(temporary)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            counts = _copy_published(connection, work_file.resolve())
            _drop_working_tables(connection)
            _add_full_text_search(connection)
            digest = content_hash(connection)
            _dataset_info(connection, settings, counts, digest, model)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise ReleaseError(f"release has {len(problems)} broken foreign keys, e.g. {problems[0]}")
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
            connection.exec_driver_sql("VACUUM")
    except BaseException:
        engine.dispose()
        temporary.unlink(missing_ok=True)
        raise
    engine.dispose()
    metadata_temporary = dist / f".{METADATA_FILE}.{os.getpid()}.tmp"
    metadata_temporary.write_text(render_metadata(), encoding="utf-8")
    release_sha = sha256_file(temporary)
    metadata_sha = sha256_file(metadata_temporary)
    os.replace(metadata_temporary, dist / METADATA_FILE)
    os.replace(temporary, settings.release_path)
    write_checksums(settings.checksums_path, {"news.db": release_sha, METADATA_FILE: metadata_sha})
    return ReleaseReport(settings.release_path, release_sha, counts, digest)


def write_checksums(path: Path, files: dict[str, str]) -> None:
    """A `sha256sum -c` compatible file, replaced atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(f"{sha}  {name}\n" for name, sha in sorted(files.items())))
    os.replace(temporary, path)
