"""One Parquet file per published table, typed from the models.

Rows go in primary-key order in fixed-size batches and the files carry no clock or path, so the
same release gives the same bytes. Each field carries its description as Arrow field metadata.

A table copied from the working database is written by a `TableWriter` from the rows the release's
content hash reads (`content_hash`'s `sink`), in that one pass: reading the 680,000 mentions of
10,000 articles out of SQLite a second time took half of their file's 6 s, and an update (new
articles) changes the rows of the big tables, so a previous release's file could rarely be kept.
The other tables (`dataset_info`, `data_dictionary`) are written from the built `news.db`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import ReleaseError
from pipeline.outputs.files import parquet_file
from pipeline.schema.describe import column_facts, table_description
from pipeline.schema.models import published_tables, rows_at_once

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
BATCH_ROWS = 20_000
COMPRESSION = "zstd"


def arrow_schema(table: str) -> pa.Schema:
    """The table's Arrow schema: its types, nullability and descriptions from the models."""
    fields = [
        pa.field(
            column.name,
            ARROW_TYPES[column.data_type],
            nullable=not column.required,
            metadata={"description": column.description},
        )
        for column in column_facts(table)
    ]
    return pa.schema(fields, metadata={"description": table_description(table)})


def _record_batch(rows: Sequence[tuple[Any, ...]], schema: pa.Schema, booleans: list[int]) -> pa.RecordBatch:
    values: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
    for i in booleans:  # SQLite stores booleans as 0 and 1
        values[i] = [None if v is None else bool(v) for v in values[i]]
    return pa.record_batch(values, schema=schema)


def row_group_rows(table: str) -> int:
    """How many rows a row group of the table's file holds."""
    return rows_at_once(table, BATCH_ROWS)


def _booleans(table: str) -> list[int]:
    return [i for i, column in enumerate(column_facts(table)) if column.data_type == "boolean"]


class TableWriter:
    """One table's Parquet file, fed its rows in key order (all columns, in the models' order) in
    batches of any size; written in batches of BATCH_ROWS, as `write_table` writes them."""

    def __init__(self, table: str, path: Path, columns: Sequence[str]) -> None:
        wanted = [column.name for column in column_facts(table)]
        if list(columns) != wanted:
            raise ReleaseError(f"{table}'s rows come as {list(columns)}, its Parquet file wants {wanted}")
        self._schema = arrow_schema(table)
        self._booleans = _booleans(table)
        self._group_rows = row_group_rows(table)
        self._writer = pq.ParquetWriter(path, self._schema, compression=COMPRESSION)
        self._pending: list[tuple[Any, ...]] = []
        self._empty = True

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._pending.extend(rows)
        while len(self._pending) >= self._group_rows:
            self._flush(self._pending[: self._group_rows])
            del self._pending[: self._group_rows]

    def _flush(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._writer.write_batch(_record_batch(rows, self._schema, self._booleans))
        self._empty = False

    def close(self) -> None:
        try:
            if self._pending:
                self._flush(self._pending)
                self._pending = []
            if self._empty:
                self._writer.write_table(self._schema.empty_table())
        finally:
            self._writer.close()
            # Arrow's allocator keeps freed pages for reuse; the next table's rows are another shape.
            pa.default_memory_pool().release_unused()


def table_writers(folder: Path) -> Callable[[str, Sequence[str]], TableWriter]:
    """What `content_hash` takes as its `sink`: a `TableWriter` per table, into `folder`."""
    return lambda table, columns: TableWriter(table, folder / parquet_file(table), columns)


def _batches(connection: sqlite3.Connection, table: str) -> Iterator[Sequence[tuple[Any, ...]]]:
    facts = column_facts(table)
    columns = ", ".join(f'"{column.name}"' for column in facts)
    order = ", ".join(f'"{column.name}"' for column in facts if column.primary_key)
    cursor = connection.execute(f'SELECT {columns} FROM "{table}" ORDER BY {order}')
    while rows := cursor.fetchmany(BATCH_ROWS):
        yield rows


def write_table(connection: sqlite3.Connection, table: str, path: Path) -> None:
    """The table's file from a database holding it: the bytes a `TableWriter` fed its rows writes."""
    writer = TableWriter(table, path, [column.name for column in column_facts(table)])
    try:
        for rows in _batches(connection, table):
            writer.write(rows)
    finally:
        writer.close()


def write_parquet(release: Path, folder: Path, written: frozenset[str] = frozenset()) -> list[str]:
    """Write every published table of the release at `release` into `folder` but those `written`
    already (by a `TableWriter` in the hashing pass); returns every table's file name."""
    names = []
    with closing(sqlite3.connect(f"file:{release}?mode=ro", uri=True)) as connection:
        for table in published_tables():
            name = parquet_file(table)
            if table not in written:
                write_table(connection, table, folder / name)
            names.append(name)
    return names
