"""The store a stage works on: the working database's engine, migrated, and held for one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from pipeline.schema.models import Article
from pipeline.store.engine import make_engine, sqlite_path, upgrade
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
    """The migrated working database; with `exclusive`, no other run may use it meanwhile."""
    path = sqlite_path(database_url)
    engine = make_engine(database_url)
    lock: RunLock | AdvisoryLock | None = None
    if exclusive and engine.dialect.name == "postgresql":
        lock = AdvisoryLock(engine)
    elif exclusive and path is not None:
        lock = RunLock(path)
    try:
        if lock is not None:
            lock.acquire()
        upgrade(engine)
        yield Store(engine)
    finally:
        engine.dispose()
        if lock is not None:
            lock.release()
