"""Release: working database -> `dist/news.db` (published tables, full-text search) and checksums.

The release is migrated with the same Alembic scripts as the working database, filled in primary
key order (so the same content gives the same bytes), and published atomically with its checksums
(see "publishing" below); an unchanged release is not rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy
from sqlalchemy import Connection, Engine, create_engine, delete, insert, select, text

from pipeline import __version__
from pipeline.db import sqlite_path, upgrade
from pipeline.errors import ConfigurationError, ReleaseError
from pipeline.ingest import utc_now
from pipeline.metadata import render_metadata
from pipeline.models import (
    Article,
    Base,
    DatasetInfo,
    Rejection,
    WorkArticleInput,
    WorkStageState,
    published_tables,
)
from pipeline.settings import Settings

METADATA_FILE = "datasette-metadata.json"
RELEASE_STAGE = "release"
RELEASE_CACHE_KIB = 64 * 1024
FTS_TABLES = {"articles_fts": ("articles", ("title", "body")), "entities_fts": ("entities", ("name",))}


@dataclass
class ReleaseReport:
    """Where the release went and what it holds."""

    path: Path
    sha256: str
    counts: dict[str, int]
    content_sha256: str
    unchanged: bool = False
    """True when the release in `dist/` already held this content and was left as it was."""


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


def _copy_published(connection: Connection, work_file: Path) -> dict[str, int]:
    connection.exec_driver_sql("ATTACH DATABASE ? AS work", (str(work_file),))
    counts = {}
    for name, columns, order in published_data_tables():
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
    from alembic.script import ScriptDirectory

    from pipeline.db import alembic_config

    revision = ScriptDirectory.from_config(alembic_config()).get_current_head() or ""
    return {
        "pipeline_version": __version__,
        "schema_revision": revision,
        "ner_model": model,
        "content_sha256": digest,
        **{f"{name}_count": str(count) for name, count in counts.items()},
    }


def _dataset_info(connection: Connection, facts: dict[str, str]) -> None:
    connection.execute(
        sqlalchemy.insert(DatasetInfo), [{"key": k, "value": v} for k, v in sorted(facts.items())]
    )
    connection.commit()


# --- publishing: dist/ only ever holds a complete release whose files match SHA256SUMS ------------
#
# The release is built in `dist/.staging-<pid>/` (news.db, metadata, SHA256SUMS). Once every file is
# complete and on disk, the folder is renamed to `dist/.publishing` in one atomic step: from then on
# the new release is committed. Its files are then moved over the old ones with os.replace, SHA256SUMS
# last. A crash before the rename leaves the old release untouched (the staging folder is removed by
# the next run); a crash after it is finished by the next run before anything else, so a reader only
# ever sees news.db out of step with SHA256SUMS between two renames of an interrupted publish.

STAGING_PREFIX = ".staging-"
PUBLISHING = ".publishing"
CHECKSUMS_FILE = "SHA256SUMS"
RELEASE_FILE = "news.db"
PUBLISH_ORDER = (METADATA_FILE, RELEASE_FILE, CHECKSUMS_FILE)
"""SHA256SUMS goes last: until it is replaced, the old checksums still describe the old files."""


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so that a rename never publishes unwritten data."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def finish_interrupted_publish(dist: Path) -> bool:
    """Complete a publish that a crash interrupted, and remove abandoned staging folders.

    Returns:
        True when an interrupted publish was completed.
    """
    for staging in dist.glob(f"{STAGING_PREFIX}*"):
        pid = staging.name.removeprefix(STAGING_PREFIX)
        if not pid.isdigit() or int(pid) == os.getpid() or not _process_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
    publishing = dist / PUBLISHING
    if not publishing.is_dir():
        return False
    for name in PUBLISH_ORDER:
        if (publishing / name).exists():
            os.replace(publishing / name, dist / name)
    _fsync(dist)
    shutil.rmtree(publishing)
    return True


def _publish(staging: Path, dist: Path) -> None:
    for name in PUBLISH_ORDER:
        _fsync(staging / name)
    _fsync(staging)
    os.replace(staging, dist / PUBLISHING)  # the commit point
    _fsync(dist)
    finish_interrupted_publish(dist)


def read_checksums(path: Path) -> dict[str, str]:
    """`{file name: sha256}` from a `sha256sum` file; empty when it is missing or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    sums = {}
    for line in lines:
        sha, _, name = line.partition("  ")
        if len(sha) == 64 and name:
            sums[name] = sha
    return sums


def current_release_facts(settings: Settings, metadata_text: str) -> dict[str, str] | None:
    """The `dataset_info` of the release in `dist/`, if its files are intact and its metadata current.

    Returns:
        The facts, or None when there is no release, a file does not match SHA256SUMS, the metadata
        would be different now, or the release cannot be read.
    """
    sums = read_checksums(settings.checksums_path)
    metadata_sha = hashlib.sha256(metadata_text.encode("utf-8")).hexdigest()
    if set(sums) != {RELEASE_FILE, METADATA_FILE} or sums[METADATA_FILE] != metadata_sha:
        return None
    files = {RELEASE_FILE: settings.release_path, METADATA_FILE: settings.dist_dir / METADATA_FILE}
    if any(not path.is_file() or sha256_file(path) != sums[name] for name, path in files.items()):
        return None
    try:
        connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
        try:
            return dict(connection.execute("select key, value from dataset_info"))
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def _work_counts(connection: Connection) -> dict[str, int]:
    return {
        name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
        for name in published_tables()
        if name != DatasetInfo.__tablename__
    }


def work_fingerprint(connection: Connection) -> str:
    """What the published rows of the working database were built from, hashed cheaply.

    Every published row is a function of these: each article's path and the input hashes its clean
    and enrich stages recorded, the stages' corpus fingerprints (entity resolution) and the
    rejections. Hashing them takes milliseconds where hashing the 700,000 rows of a 10,000-article
    corpus takes seconds, and it runs on every `pipeline run`.
    """
    digest = hashlib.sha256()
    queries = (
        select(
            Article.id,
            Article.source_path,
            WorkArticleInput.clean_input_hash,
            WorkArticleInput.enrich_input_hash,
        )
        .outerjoin(WorkArticleInput, WorkArticleInput.article_id == Article.id)
        .order_by(Article.id),
        select(WorkStageState.stage, WorkStageState.fingerprint)
        .where(WorkStageState.stage != RELEASE_STAGE)
        .order_by(WorkStageState.stage),
        select(
            Rejection.id, Rejection.source_path, Rejection.sha256, Rejection.stage, Rejection.reason
        ).order_by(Rejection.id),
    )
    for query in queries:
        digest.update(repr(connection.execute(query).all()).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _release_state(work_fingerprint: str, content_sha256: str) -> str:
    """Binds a working database's state to the release content built from it."""
    return hashlib.sha256(f"{work_fingerprint}:{content_sha256}".encode()).hexdigest()


def _recorded_release_state(connection: Connection) -> str | None:
    return connection.execute(
        select(WorkStageState.fingerprint).where(WorkStageState.stage == RELEASE_STAGE)
    ).scalar()


def _record_release_state(connection: Connection, state: str) -> None:
    connection.execute(delete(WorkStageState).where(WorkStageState.stage == RELEASE_STAGE))
    connection.execute(
        insert(WorkStageState).values(stage=RELEASE_STAGE, fingerprint=state, finished_at=utc_now())
    )
    connection.commit()


def build_release(
    work_engine: Engine, settings: Settings, model: str, *, force: bool = False
) -> ReleaseReport:
    """Build the release in a staging folder, then publish it into `dist/` atomically.

    Nothing is rebuilt when the release in `dist/` is intact (its files match SHA256SUMS), has
    today's versions, model, metadata and counts, and this working database recorded building its
    content (its content hash) from the inputs it holds now (`work_fingerprint`).

    Args:
        work_engine: the working database (already enriched).
        settings: where the release goes.
        model: the NER model and version, recorded in `dataset_info`.
        force: rebuild even when the release is unchanged.
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
    finish_interrupted_publish(dist)
    metadata_text = render_metadata()
    with work_engine.connect() as connection:
        counts = _work_counts(connection)
        fingerprint = work_fingerprint(connection)
        recorded_state = _recorded_release_state(connection)
    current = current_release_facts(settings, metadata_text)
    # The release in dist/ is current when this working database recorded building exactly it (its
    # content hash) from exactly these inputs, and its versions, model and counts are today's.
    if (
        not force
        and current is not None
        and recorded_state == _release_state(fingerprint, current.get("content_sha256", ""))
        and current == release_facts(counts, current["content_sha256"], model)
    ):
        release_sha = read_checksums(settings.checksums_path)[RELEASE_FILE]
        return ReleaseReport(
            settings.release_path, release_sha, counts, current["content_sha256"], unchanged=True
        )
    staging = dist / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        copied, digest = _build_database(staging / RELEASE_FILE, work_file.resolve(), model)
        if copied != counts:
            raise ReleaseError(
                f"the release holds {copied} rows, the working database {counts}; nothing was published"
            )
        (staging / METADATA_FILE).write_text(metadata_text, encoding="utf-8")
        release_sha = sha256_file(staging / RELEASE_FILE)
        write_checksums(
            staging / CHECKSUMS_FILE,
            {RELEASE_FILE: release_sha, METADATA_FILE: sha256_file(staging / METADATA_FILE)},
        )
        _publish(staging, dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Recorded only once published: a run killed before this rebuilds the same bytes next time.
    with work_engine.connect() as connection:
        _record_release_state(connection, _release_state(fingerprint, digest))
    return ReleaseReport(settings.release_path, release_sha, counts, digest)


def _build_database(path: Path, work_file: Path, model: str) -> tuple[dict[str, int], str]:
    """Write the release database at `path`; returns its row counts and content hash."""
    engine = _release_engine(path)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            # Keys are checked once, with `PRAGMA foreign_key_check` below: checking each of
            # 700,000 mentions as it is inserted doubles the copy.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            indexes = _drop_indexes(connection)
            counts = _copy_published(connection, work_file)
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


def write_checksums(path: Path, files: dict[str, str]) -> None:
    """A `sha256sum -c` compatible file, replaced atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(f"{sha}  {name}\n" for name, sha in sorted(files.items())))
    os.replace(temporary, path)
