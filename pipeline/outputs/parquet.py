"""One Parquet file per published table, typed from the models, read from the built `news.db`.

Rows go in primary-key order in fixed-size batches and the files carry no clock or path, so the
same release gives the same bytes. Each field carries its description as Arrow field metadata.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.outputs.files import parquet_file
from pipeline.schema.describe import column_facts, table_description
from pipeline.schema.models import published_tables

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


def _batches(connection: sqlite3.Connection, table: str, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    facts = column_facts(table)
    columns = ", ".join(f'"{column.name}"' for column in facts)
    order = ", ".join(f'"{column.name}"' for column in facts if column.primary_key)
    booleans = [i for i, column in enumerate(facts) if column.data_type == "boolean"]
    cursor = connection.execute(f'SELECT {columns} FROM "{table}" ORDER BY {order}')
    while rows := cursor.fetchmany(BATCH_ROWS):
        values: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
        for i in booleans:  # SQLite stores booleans as 0 and 1
            values[i] = [None if v is None else bool(v) for v in values[i]]
        yield pa.record_batch(values, schema=schema)


def write_table(connection: sqlite3.Connection, table: str, path: Path) -> None:
    schema = arrow_schema(table)
    with pq.ParquetWriter(path, schema, compression=COMPRESSION) as writer:
        empty = True
        for batch in _batches(connection, table, schema):
            writer.write_batch(batch)
            empty = False
        if empty:
            writer.write_table(schema.empty_table())


def write_parquet(release: Path, folder: Path) -> list[str]:
    """Write every published table of the release at `release` into `folder`; returns the file names."""
    names = []
    with closing(sqlite3.connect(f"file:{release}?mode=ro", uri=True)) as connection:
        for table in published_tables():
            name = parquet_file(table)
            write_table(connection, table, folder / name)
            names.append(name)
    return names
