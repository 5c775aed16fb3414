"""PostgreSQL specifics of the working store: the run lock as an advisory lock, and streaming rows out.

PostgreSQL is the working store for corpora one disk and one writer cannot hold; the release is
still the standalone SQLite file, filled by streaming the published rows out of PostgreSQL in the
byte order SQLite's own sort would give (`COLLATE "C"` compares UTF-8 bytes, as SQLite does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, String, select, text

from pipeline.errors import AlreadyRunning
from pipeline.schema.models import Base

# One key for "a pipeline run holds this database": advisory locks are per database, so runs on
# different databases of one server do not wait for each other.
RUN_LOCK_KEY = 0x6E657773  # "news"
STREAM_ROWS = 5000


class AdvisoryLock:
    """The one-run-at-a-time lock as a session advisory lock, held on its own connection.

    The server drops the lock when the session ends, so a killed run never leaves it behind.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def acquire(self) -> None:
        """Take the lock at once, or raise `AlreadyRunning`."""
        connection = self.engine.connect()
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": RUN_LOCK_KEY}).scalar()
        connection.commit()
        if not taken:
            connection.close()
            database = self.engine.url.render_as_string(hide_password=True)
            raise AlreadyRunning(
                f"a pipeline run is already running on {database}; wait for it to finish, then try again"
            )
        self._connection = connection

    def release(self) -> None:
        """Let the next run in."""
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RUN_LOCK_KEY})
            self._connection.commit()
        finally:
            self._connection.close()
            self._connection = None


def byte_order(table_name: str) -> list[Any]:
    """The table's primary key columns, text compared byte by byte as SQLite compares it."""
    table = Base.metadata.tables[table_name]
    return [
        column.collate("C") if isinstance(column.type, String) else column
        for column in table.primary_key.columns
    ]


def stream_rows(engine: Engine, table_name: str) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of a table in primary key byte order, a batch at a time (a server-side cursor)."""
    table = Base.metadata.tables[table_name]
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=STREAM_ROWS).execute(
            select(*table.columns).order_by(*byte_order(table_name))
        )
        for partition in result.partitions():
            yield [tuple(row) for row in partition]
