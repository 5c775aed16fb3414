"""One Parquet file per published table, typed from the models, read from the built `news.db`.

Rows go in primary-key order in fixed-size batches and the files carry no clock or path, so the
same release gives the same bytes. Each field carries its description as Arrow field metadata.

A file copied from the working database carries a fingerprint of what it is written from (its
rows' SHA-256 from the build's content hash, its schema, the writer's version and settings). When
the previous release's file has the fingerprint the new one would have, and still matches that
release's SHA256SUMS, it is copied instead of written: the same bytes a fresh build writes, since
the fresh build writes the same rows with the same writer (10 s of the release at 10,000 articles
went to writing Parquet, most of it tables an update had not touched).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.outputs.files import CHECKSUMS_FILE, parquet_file
from pipeline.outputs.publish import read_checksums, sha256_file
from pipeline.schema.describe import column_facts, table_description
from pipeline.schema.models import published_tables

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
BATCH_ROWS = 20_000
COMPRESSION = "zstd"
FINGERPRINT_KEY = "rows_fingerprint"


def arrow_schema(table: str, fingerprint: str | None = None) -> pa.Schema:
    """The table's Arrow schema: its types, nullability and descriptions from the models (and the
    fingerprint of what the file is written from, when known)."""
    fields = [
        pa.field(
            column.name,
            ARROW_TYPES[column.data_type],
            nullable=not column.required,
            metadata={"description": column.description},
        )
        for column in column_facts(table)
    ]
    metadata = {"description": table_description(table)}
    if fingerprint is not None:
        metadata[FINGERPRINT_KEY] = fingerprint
    return pa.schema(fields, metadata=metadata)


def fingerprint(table: str, rows_sha256: str) -> str:
    """What a table's file is written from: its rows, its schema and the writer's settings."""
    writer = f"{rows_sha256}:{pa.__version__}:{COMPRESSION}:{BATCH_ROWS}:".encode()
    return hashlib.sha256(writer + arrow_schema(table).serialize().to_pybytes()).hexdigest()


def reusable(previous: Path, checksums: dict[str, str], name: str, wanted: str) -> bool:
    """Whether the previous release's file `name` holds exactly what would be written (`wanted`)
    and is still what that release's `checksums` say."""
    path = previous / name
    if not path.is_file() or checksums.get(name) != sha256_file(path):
        return False
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        return False
    return metadata.get(FINGERPRINT_KEY.encode()) == wanted.encode()


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


def write_table(
    connection: sqlite3.Connection, table: str, path: Path, fingerprint: str | None = None
) -> None:
    schema = arrow_schema(table, fingerprint)
    with pq.ParquetWriter(path, schema, compression=COMPRESSION) as writer:
        empty = True
        for batch in _batches(connection, table, schema):
            writer.write_batch(batch)
            empty = False
        if empty:
            writer.write_table(schema.empty_table())


def write_parquet(
    release: Path, folder: Path, rows: dict[str, str], previous: Path | None = None
) -> list[str]:
    """Write every published table of the release at `release` into `folder`; returns the file names.

    Args:
        rows: each copied table's rows' SHA-256 (`content_hash`); the other tables are always written.
        previous: the folder of the release this one replaces, whose unchanged files are copied.
    """
    names = []
    checksums = read_checksums(previous / CHECKSUMS_FILE) if previous is not None else {}
    with closing(sqlite3.connect(f"file:{release}?mode=ro", uri=True)) as connection:
        for table in published_tables():
            name = parquet_file(table)
            wanted = fingerprint(table, rows[table]) if table in rows else None
            if wanted is not None and previous is not None and reusable(previous, checksums, name, wanted):
                shutil.copyfile(previous / name, folder / name)
            else:
                write_table(connection, table, folder / name, wanted)
            names.append(name)
    return names
