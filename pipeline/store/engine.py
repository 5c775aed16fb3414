"""Engine and schema upgrades through Alembic (the only way the schema is made)."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from pipeline.errors import ConfigurationError, StoreError
from pipeline.store.sqlite import explain, read_only_url, set_pragmas, set_read_only_pragmas

if TYPE_CHECKING:
    from alembic.config import Config


def migrations_dir() -> Path:
    """The Alembic scripts: `migrations/` in a checkout, `pipeline/migrations` when installed."""
    checkout = Path(__file__).resolve().parents[2] / "migrations"
    if (checkout / "env.py").is_file():
        return checkout
    return Path(str(resources.files("pipeline") / "migrations"))


SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def backend(database_url: str) -> str:
    """The URL's database ("sqlite" or "postgresql"); anything else is a `ConfigurationError`."""
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise ConfigurationError(f"not a database URL: {database_url!r}") from error
    name = url.get_backend_name()
    if name not in SUPPORTED_BACKENDS:
        shown = url.render_as_string(hide_password=True)
        raise ConfigurationError(f"only SQLite and PostgreSQL databases are supported, not {shown!r}")
    if name == "postgresql" and url.get_driver_name() != "psycopg":
        raise ConfigurationError("PostgreSQL URLs must name the psycopg driver: postgresql+psycopg://...")
    return name


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL; None for an in-memory or a PostgreSQL database."""
    if backend(database_url) != "sqlite":
        return None
    url = make_url(database_url)
    if not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(database_url: str, *, read_only: bool = False) -> Engine:
    """A SQLAlchemy engine for the working database, creating a SQLite file's folder when needed.

    With `read_only`, a SQLite file must exist and is opened so that nothing can write it: not even
    the switch to WAL that a writing connection makes (which would change a release's bytes).
    """
    if backend(database_url) == "postgresql":
        # executemany in pipelined batches: psycopg sends a batch of inserts in one round trip.
        return create_engine(database_url, insertmanyvalues_page_size=1000)
    path = sqlite_path(database_url)
    if path is not None and path.is_dir():
        raise ConfigurationError(f"{path} is a folder, not a database file; point --database-url at a file")
    if read_only:
        if path is None or not path.is_file():
            raise ConfigurationError(f"no working database at {path}; run `pipeline run` first")
        engine = create_engine(read_only_url(path))
        event.listen(engine, "connect", set_read_only_pragmas)
        return engine
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigurationError(f"cannot create {path.parent}: {error.strerror}") from error
    engine = create_engine(database_url)
    event.listen(engine, "connect", set_pragmas)
    return engine


@contextmanager
def database_errors(path: Path | None) -> Iterator[None]:
    """Turn SQLite's errors that a user can act on (full disk, damaged file, ...) into `StoreError`."""
    try:
        yield
    except (DBAPIError, sqlite3.DatabaseError) as error:
        explained = explain(str(getattr(error, "orig", None) or error), path or "the database")
        if explained is None:
            raise
        # Every stage writes in transactions: what failed was rolled back.
        raise StoreError(f"{explained}; the failed step changed nothing") from None


def schema_revision(engine: Engine) -> str | None:
    """The revision Alembic recorded in the database, or None when it has none."""
    with engine.connect() as connection:
        if not sqlalchemy.inspect(connection).has_table("alembic_version"):
            return None
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if revision is None else str(revision)


def refuse_foreign(path: Path | None) -> None:
    """Refuse to open for writing a SQLite file with tables but no schema revision (a release, say).

    Checked read-only before a writing connection exists: its first act (switching to WAL) would
    already change the file. A file already in WAL mode (header bytes 18-19) is a working database
    as far as this check goes, and is not opened here: a read-only open would create its `-wal`.
    """
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(20)
    if header[18:20] == b"\x02\x02":
        return
    engine = make_engine(f"sqlite:///{path}", read_only=True)
    try:
        with engine.connect() as connection:
            tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").all()
        if tables and schema_revision(engine) is None:
            raise StoreError(
                f"{path} is not a pipeline working database (it has tables but no schema revision; "
                "a release?); nothing was changed: point --database-url at the working database"
            )
    finally:
        engine.dispose()


def check_readable(engine: Engine, path: Path | None) -> None:
    """Refuse a database this code cannot read as it is: no schema revision, or another one."""
    revision = schema_revision(engine)
    where = path if path is not None else engine.url.render_as_string(hide_password=True)
    if revision is None:
        raise StoreError(
            f"{where} is not a pipeline working database (it has no schema revision; "
            "for a release in dist/, use `pipeline verify`)"
        )
    if revision != schema_head():
        raise StoreError(
            f"{where} has schema revision {revision}, this pipeline reads {schema_head()}; "
            + ("run `pipeline ingest` to upgrade it" if known_revision(revision) else _UNKNOWN)
        )


_UNKNOWN = "it was written by another (newer?) version of the pipeline: use that version, or move it away"


def known_revision(revision: str) -> bool:
    """Whether `revision` is one of our migrations."""
    return revision in migration_chain()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, pointing at our scripts and reusing an open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _migrate(engine: Engine, step: str, revision: str) -> None:
    # Alembic (and the Mako it loads) is imported only when a schema really changes: a run on a
    # database already at the head, every re-run, starts a quarter of a second sooner.
    from alembic import command

    if engine.dialect.name == "postgresql":
        # DDL is transactional in PostgreSQL: the whole migration commits or rolls back as one.
        with engine.begin() as connection:
            getattr(command, step)(alembic_config(connection), revision)
        return
    with engine.connect() as connection:
        # Batch migrations rebuild a table by dropping it; with foreign keys on, SQLite would cascade
        # that drop into every referencing row. The check below proves the result is still consistent.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        # pysqlite commits every CREATE/DROP TABLE on its own; a run killed mid-migration would
        # leave half a schema. With its implicit transactions off and our own BEGIN, the whole
        # migration commits (or rolls back) as one.
        driver: Any = connection.connection.driver_connection
        try:
            driver.isolation_level = None
            with connection.begin():
                driver.execute("BEGIN IMMEDIATE")
                getattr(command, step)(alembic_config(connection), revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ConfigurationError(
                        f"schema {step} to {revision} would break {len(broken)} references "
                        f"(first: {tuple(broken[0])}); nothing was changed"
                    )
        finally:
            driver.isolation_level = ""
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the latest by default), keeping every row."""
    if revision in ("head", schema_head()) and schema_revision(engine) == schema_head():
        return
    from alembic.util.exc import CommandError

    try:
        _migrate(engine, "upgrade", revision)
    except CommandError as error:
        path = sqlite_path(str(engine.url))
        raise StoreError(f"{path} cannot be upgraded: {error}; {_UNKNOWN}") from None


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table)."""
    _migrate(engine, "downgrade", revision)


@lru_cache(maxsize=1)
def migration_chain() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the scripts without running them.

    Alembic's own script directory would tell the same, but loading it costs more than a re-run of
    an unchanged corpus should; a test holds the two to agreeing.
    """
    chain: dict[str, str | None] = {}
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        values = _module_constants(script)
        if isinstance(values.get("revision"), str):
            chain[str(values["revision"])] = values.get("down_revision")
    return chain


def _module_constants(script: Path) -> dict[str, str | None]:
    """The string (or None) constants a migration script assigns at its top level."""
    constants: dict[str, str | None] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Assign):
            targets = node.targets
        value = getattr(node, "value", None)
        constant = value.value if isinstance(value, ast.Constant) else ...
        if constant is None or isinstance(constant, str):
            constants.update({target.id: constant for target in targets if isinstance(target, ast.Name)})
    return constants


@lru_cache(maxsize=1)
def schema_head() -> str:
    """The latest migration's revision: the schema this code writes."""
    chain = migration_chain()
    followed = set(chain.values())
    heads = sorted(revision for revision in chain if revision not in followed)
    if len(heads) != 1:
        raise ConfigurationError(f"the migrations have {len(heads)} heads ({', '.join(heads)}), not one")
    return heads[0]
