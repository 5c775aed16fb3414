"""Insert-or-update in the store's own dialect: the one place the stages' SQL differs by database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite


def upsert(connection: Connection, table: Any, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert `rows` into `table`, replacing the non-key columns of rows whose `keys` exist."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    columns = [column for column in rows[0] if column not in keys]
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys), set_={column: statement.excluded[column] for column in columns}
        ),
        list(rows),
    )
