"""A Parquet file whose rows did not change is copied from the previous release, not written again,
and the release is the same as one built from nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from bad_input.entry import copied_run
from conftest import SampleRun

from pipeline.outputs import parquet
from pipeline.outputs.files import CHECKSUMS_FILE, NOTES_FILE
from pipeline.schema.models import copied_tables
from pipeline.settings import Settings
from pipeline.stages.release import build_release
from pipeline.store.engine import make_engine

MODEL = "test-model"
SKIPPED = (NOTES_FILE, CHECKSUMS_FILE)


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The tables whose Parquet file was written (the real writer runs)."""
    tables: list[str] = []
    real = parquet.write_table

    def recording(
        connection: sqlite3.Connection, table: str, path: Path, fingerprint: str | None = None
    ) -> None:
        tables.append(table)
        real(connection, table, path, fingerprint)

    monkeypatch.setattr(parquet, "write_table", recording)
    yield tables


def release(settings: Settings) -> dict[str, bytes]:
    engine = make_engine(settings.database_url)
    try:
        build_release(engine, settings, MODEL, force=True)
    finally:
        engine.dispose()
    return {path.name: path.read_bytes() for path in sorted(settings.dist_dir.iterdir()) if path.is_file()}


def test_unchanged_tables_are_copied_and_changed_ones_written(
    sample_run: SampleRun, tmp_path: Path, written: list[str]
) -> None:
    settings = copied_run(sample_run, tmp_path / "updated")
    first = release(settings)
    written.clear()
    again = release(settings)
    assert not set(written) & set(copied_tables())
    assert {"dataset_info", "data_dictionary"} <= set(written)
    assert again == first
    with closing(sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))) as connection, connection:
        connection.execute(
            "INSERT INTO rejections (id, source_path, sha256, record, stage, reason)"
            " VALUES ('0000000000000000', 'gone.txt', NULL, NULL, 'ingest', 'a test rejection')"
        )
    written.clear()
    updated = release(settings)
    assert "rejections" in written
    assert not set(written) & (set(copied_tables()) - {"rejections"})
    assert updated["rejections.parquet"] != first["rejections.parquet"]
    # A build from nothing (no previous release to copy from) gives the same files (but the notes,
    # which say what changed since the release before, and the checksums, which list the notes).
    fresh = settings.model_copy(update={"dist_dir": tmp_path / "fresh"})
    written.clear()
    from_nothing = release(fresh)
    assert set(copied_tables()) <= set(written)
    assert {k: v for k, v in updated.items() if k not in SKIPPED} == {
        k: v for k, v in from_nothing.items() if k not in SKIPPED
    }


def test_a_previous_file_that_does_not_match_its_checksum_is_written_again(
    sample_run: SampleRun, tmp_path: Path, written: list[str]
) -> None:
    settings = copied_run(sample_run, tmp_path / "run")
    first = release(settings)
    tampered = settings.dist_dir / "entities.parquet"
    tampered.write_bytes(tampered.read_bytes() + b"\0")
    written.clear()
    again = release(settings)
    assert written.count("entities") == 1
    assert again["entities.parquet"] == first["entities.parquet"]
