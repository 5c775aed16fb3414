"""Engine and schema upgrades through Alembic (the only way the schema is made)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pipeline.errors import ConfigurationError
from pipeline.store.sqlite import set_pragmas


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


def make_engine(database_url: str) -> Engine:
    """A SQLAlchemy engine for the working database, creating a SQLite file's folder when needed."""
    if backend(database_url) == "postgresql":
        # executemany in pipelined batches: psycopg sends a batch of inserts in one round trip.
        return create_engine(database_url, insertmanyvalues_page_size=1000)
    path = sqlite_path(database_url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigurationError(f"cannot create {path.parent}: {error.strerror}") from error
    engine = create_engine(database_url)
    event.listen(engine, "connect", set_pragmas)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, pointing at our scripts and reusing an open connection."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _migrate(engine: Engine, step: str, revision: str) -> None:
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
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table)."""
    _migrate(engine, "downgrade", revision)


@lru_cache(maxsize=1)
def schema_head() -> str:
    """The latest migration's revision: the schema this code writes."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""
