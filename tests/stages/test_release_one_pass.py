"""The release reads each copied table out of SQLite once: the content hash's pass also writes its
Parquet file, the same bytes as a file written from the published `news.db`; indexes led by
another index's columns are left out."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_input.entry import copied_run
from conftest import SampleRun

from pipeline.outputs import parquet, sqlite_release
from pipeline.outputs.files import CHECKSUMS_FILE, NOTES_FILE, parquet_file
from pipeline.outputs.sqlite_release import READING_INDEXES, index_key, without_prefix_indexes
from pipeline.schema.models import copied_tables, published_tables
from pipeline.settings import Settings
from pipeline.stages.release import build_release
from pipeline.store.engine import make_engine

MODEL = "test-model"
SKIPPED = (NOTES_FILE, CHECKSUMS_FILE)


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The tables whose Parquet file was written from the built `news.db` (the real writer runs)."""
    tables: list[str] = []
    real = parquet.write_table

    def recording(connection: sqlite3.Connection, table: str, path: Path) -> None:
        tables.append(table)
        real(connection, table, path)

    monkeypatch.setattr(parquet, "write_table", recording)
    yield tables


def release(settings: Settings) -> dict[str, bytes]:
    engine = make_engine(settings.database_url)
    try:
        build_release(engine, settings, MODEL, force=True)
    finally:
        engine.dispose()
    return {path.name: path.read_bytes() for path in sorted(settings.dist_dir.iterdir()) if path.is_file()}


def test_copied_tables_are_written_in_the_hashing_pass_as_from_the_release(
    sample_run: SampleRun, tmp_path: Path, written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches that do not line up: the hash reads 3 rows at a time, the files hold row groups of 7.
    monkeypatch.setattr(sqlite_release, "HASH_BATCH_ROWS", 3)
    monkeypatch.setattr(parquet, "BATCH_ROWS", 7)
    settings = copied_run(sample_run, tmp_path / "run")
    files = release(settings)
    assert set(written) == set(published_tables()) - set(copied_tables())
    with closing(sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)) as connection:
        for table in copied_tables():
            (count,) = connection.execute(f'select count(*) from "{table}"').fetchone()
            again = tmp_path / parquet_file(table)
            parquet.write_table(connection, table, again)
            assert files[parquet_file(table)] == again.read_bytes(), table
            if table == "mentions":
                assert count > 7  # more than one row group
            # the articles' text goes in smaller row groups (here of one row), the others' in 7s
            groups = pq.ParquetFile(again).metadata
            assert groups.num_rows == count
            assert max(
                (groups.row_group(i).num_rows for i in range(groups.num_row_groups)), default=0
            ) == min(count, parquet.row_group_rows(table))
            assert parquet.row_group_rows(table) == (1 if table == "articles" else 7)
    # and a build from nothing, by a second working database, gives the same files
    fresh = settings.model_copy(update={"dist_dir": tmp_path / "fresh"})
    assert {k: v for k, v in release(fresh).items() if k not in SKIPPED} == {
        k: v for k, v in files.items() if k not in SKIPPED
    }


def test_indexes_led_by_another_index_s_columns_are_left_out(sample_run: SampleRun) -> None:
    with closing(sample_run.connect()) as connection:
        indexes = [
            row[0]
            for row in connection.execute(
                "select sql from sqlite_master where type = 'index' and sql is not null"
            )
        ]
    keys = [index_key(sql) for sql in indexes]
    for table, columns, unique in keys:
        longer = [other for t, other, _u in keys if t == table and other[: len(columns)] == columns]
        assert unique or longer == [columns], (table, columns)
    # the reading indexes lead with the columns of two of the models' mention indexes
    assert ("mentions", ("entity_id",), False) not in keys
    assert ("mentions", ("article_id",), False) not in keys
    assert set(READING_INDEXES) <= set(indexes)


def test_without_prefix_indexes_keeps_unique_and_other_tables_indexes() -> None:
    indexes = [
        "CREATE INDEX ix_a ON t (a)",
        "CREATE INDEX ix_ab ON t (a, b)",
        "CREATE UNIQUE INDEX ux_b ON t (b)",
        'CREATE INDEX ix_bc ON t (b, "c")',
        "CREATE INDEX ix_u_a ON u (a)",
        "CREATE INDEX ix_t_ba ON t (b, a)",
    ]
    assert without_prefix_indexes(indexes) == indexes[1:]
