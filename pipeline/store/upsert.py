"""Bulk inserts and insert-or-update in the store's own dialect: the one place the stages' SQL
differs by database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.sql.schema import ScalarElementColumnDefault


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
    """Insert `rows` into `table`, replacing the non-key columns of rows whose `keys` exist.

    On PostgreSQL the rows are copied into a temporary table first and merged from there in one
    statement: as multi-row INSERTs they cost what `insert_rows` says.
    """
    if not rows:
        return
    columns = [column for column in rows[0] if column not in keys]
    if connection.dialect.name == "postgresql":
        _upsert_by_copy(connection, table, rows, keys, columns)
        return
    statement = _dialect(connection).insert(table)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(keys), set_={column: statement.excluded[column] for column in columns}
        ),
        list(rows),
    )


def _upsert_by_copy(
    connection: Connection,
    model: Any,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    columns: list[str],
) -> None:
    table: Table = model.__table__
    names = [table.c[key].name for key in rows[0]]
    quoted = ", ".join(f'"{name}"' for name in names)
    staged = f"staged_{table.name}"
    connection.exec_driver_sql(
        f'CREATE TEMPORARY TABLE "{staged}" AS SELECT {quoted} FROM "{table.name}" WITH NO DATA'
    )
    _copy(connection, staged, names, ([row[key] for key in rows[0]] for row in rows))
    updates = ", ".join(f'"{table.c[c].name}" = excluded."{table.c[c].name}"' for c in columns)
    conflict = ", ".join(f'"{table.c[key].name}"' for key in keys)
    connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM "{staged}" '
        f"ON CONFLICT ({conflict}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING")
    )
    connection.exec_driver_sql(f'DROP TABLE "{staged}"')


def _copy(connection: Connection, table: str, names: Sequence[str], values: Iterable[Sequence[Any]]) -> None:
    """Rows into a PostgreSQL table with `COPY ... FROM STDIN`, in the connection's transaction."""
    quoted = ", ".join(f'"{name}"' for name in names)
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in values:
            copy.write_row(row)


def insert_rows(connection: Connection, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts keyed by column, all with the same keys) into the model's table.

    On PostgreSQL with `COPY ... FROM STDIN` in the connection's transaction: the mentions of a
    batch went in at about 150 us a row as multi-row INSERTs (SQLAlchemy renders and binds every
    value of every row), where COPY streams them. Elsewhere an executemany.
    """
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(model), list(rows))
        return
    table: Table = model.__table__
    keys = list(rows[0])
    # COPY fills a column it is not given from the server's default, not the model's: send those.
    defaults = {
        column.key: column.default.arg
        for column in table.columns
        if column.key not in rows[0] and isinstance(column.default, ScalarElementColumnDefault)
    }
    names = [table.c[key].name for key in [*keys, *defaults]]
    tail = list(defaults.values())
    _copy(connection, table.name, names, ([*(row[key] for key in keys), *tail] for row in rows))


class GrowingTable:
    """Keeps the planner's picture of a table one transaction keeps writing to current.

    A statement psycopg has run five times is prepared, and PostgreSQL then keeps one generic plan
    for it, made from the table's statistics: for a table filled in the same transaction, those
    of an empty table. Looking up 500 of a site's furniture lines went on scanning the site's rows
    (2 s a lookup at 70,000 lines, 0.02 s once planned with the table's size). `ANALYZE` in the
    transaction counts its own rows and drops the plans made before; run after every doubling of
    the rows written (a few times a run). SQLite plans by its indexes and needs none.
    """

    def __init__(self, connection: Connection, model: Any, first_after: int = 10_000) -> None:
        self.connection = connection
        self.table: str = model.__table__.name
        self.written = 0
        self.next_analyse = first_after if connection.dialect.name == "postgresql" else -1

    def wrote(self, rows: int) -> None:
        """Count rows written; analyse the table when they reach the next mark."""
        self.written += rows
        if 0 < self.next_analyse <= self.written:
            self.connection.exec_driver_sql(f'ANALYZE "{self.table}"')
            self.next_analyse = 2 * self.written
