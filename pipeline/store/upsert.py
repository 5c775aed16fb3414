"""Insert-or-update in the store's own dialect: the one place the stages' SQL differs by database."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any

from sqlalchemy import Connection


def _dialect(connection: Connection) -> Any:
    # imported by name: the dialect not in use (PostgreSQL's is a tenth of a second) is not loaded
    return import_module(f"sqlalchemy.dialects.{connection.dialect.name}")


def insert_missing(
    connection: Connection, table: Any, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert the `rows` whose `keys` are not in `table` yet; existing rows are left as they are."""
    if rows:
        statement = _dialect(connection).insert(table).on_conflict_do_nothing(index_elements=list(keys))
        connection.execute(statement, list(rows))


def upsert(connection: Connection, table: Any, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert `rows` into `table`, replacing the non-key columns of rows whose `keys` exist."""
    if not rows:
        return
    statement = _dialect(connection).insert(table)
    columns = [column for column in rows[0] if column not in keys]
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys), set_={column: statement.excluded[column] for column in columns}
        ),
        list(rows),
    )
