"""The store a stage works on: the working database's engine, migrated, and held for one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from pipeline.schema.models import Article
from pipeline.store.engine import (
    check_readable,
    database_errors,
    make_engine,
    refuse_foreign,
    sqlite_path,
    upgrade,
)
from pipeline.store.postgres import AdvisoryLock
from pipeline.store.sqlite import RunLock


@dataclass(frozen=True)
class Store:
    """The working database every stage reads and writes.

    Attributes:
        engine: SQLAlchemy engine on the migrated working database.
    """

    engine: Engine

    def article_count(self) -> int:
        """How many articles the store holds."""
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(Article)).scalar_one()


@contextmanager
def open_store(database_url: str, *, exclusive: bool = True) -> Iterator[Store]:
    """The migrated working database; with `exclusive`, no other run may use it meanwhile.

    Without `exclusive` the database is only read: opened read-only, never migrated or converted,
    and refused when its schema is not this code's.
    """
    path = sqlite_path(database_url)
    if exclusive:
        with database_errors(path):
            refuse_foreign(path)
    # SQLite: a lock file beside the database, taken before connecting; PostgreSQL: an advisory
    # lock on the server, taken on a connection of its own
    lock: RunLock | AdvisoryLock | None = RunLock(path) if exclusive and path is not None else None
    engine: Engine | None = None
    try:
        with database_errors(path):
            if lock is not None:
                lock.acquire()
            engine = make_engine(database_url, read_only=not exclusive)
            if exclusive and engine.dialect.name == "postgresql":
                lock = AdvisoryLock(engine)
                lock.acquire()
            if exclusive:
                upgrade(engine)
            else:
                check_readable(engine, path)
            yield Store(engine)
    finally:
        if engine is not None:
            engine.dispose()
        if lock is not None:
            lock.release()
