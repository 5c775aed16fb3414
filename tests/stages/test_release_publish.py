"""Publishing a release: atomic, with its checksums, finished after a crash, skipped when unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SampleRun
from sqlalchemy import Engine

from pipeline.errors import ReleaseError
from pipeline.outputs.files import METADATA_FILE, release_files
from pipeline.outputs.publish import PUBLISHING, STAGING_PREFIX, read_checksums, sha256_file
from pipeline.outputs.verify import verify_release
from pipeline.schema.models import published_tables
from pipeline.settings import Settings
from pipeline.stages import release as release_module
from pipeline.stages.release import build_release
from pipeline.store.engine import make_engine

MODEL = "test-model"


@pytest.fixture
def work_engine(sample_run: SampleRun) -> Iterator[Engine]:
    engine = make_engine(sample_run.settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def target(sample_run: SampleRun, tmp_path: Path) -> Settings:
    return sample_run.settings.model_copy(update={"dist_dir": tmp_path / "dist"})


def assert_consistent(dist: Path) -> None:
    """dist/ holds exactly the release files, and each matches SHA256SUMS."""
    names = release_files(published_tables())
    assert sorted(path.name for path in dist.iterdir()) == sorted(["SHA256SUMS", *names])
    sums = read_checksums(dist / "SHA256SUMS")
    assert sums == {name: sha256_file(dist / name) for name in names}


def test_release_is_published_with_matching_checksums(work_engine: Engine, target: Settings) -> None:
    report = build_release(work_engine, target, MODEL)
    assert not report.unchanged
    assert_consistent(target.dist_dir)
    assert report.sha256 == hashlib.sha256(target.release_path.read_bytes()).hexdigest()
    assert verify_release(target).content_sha256 == report.content_sha256


def test_unchanged_release_is_not_rebuilt(work_engine: Engine, target: Settings) -> None:
    first = build_release(work_engine, target, MODEL)
    before = os.stat(target.release_path)
    second = build_release(work_engine, target, MODEL)
    after = os.stat(target.release_path)
    assert second.unchanged
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert (second.sha256, second.content_sha256, second.counts) == (
        first.sha256,
        first.content_sha256,
        first.counts,
    )
    forced = build_release(work_engine, target, MODEL, force=True)
    assert not forced.unchanged and os.stat(target.release_path).st_ino != before.st_ino
    assert forced.sha256 == first.sha256  # same content, same bytes


def test_another_model_name_rebuilds(work_engine: Engine, target: Settings) -> None:
    build_release(work_engine, target, MODEL)
    assert not build_release(work_engine, target, "another-model").unchanged


@pytest.mark.parametrize("damaged", ["news.db", METADATA_FILE, "SHA256SUMS"])
def test_damaged_release_is_rebuilt(work_engine: Engine, target: Settings, damaged: str) -> None:
    build_release(work_engine, target, MODEL)
    path = target.dist_dir / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    report = build_release(work_engine, target, MODEL)
    assert not report.unchanged
    assert_consistent(target.dist_dir)


def test_failed_build_leaves_the_previous_release_untouched(
    work_engine: Engine, target: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_release(work_engine, target, MODEL)
    before = {path.name: path.read_bytes() for path in target.dist_dir.iterdir()}

    def broken(*_args: object) -> None:
        raise ReleaseError("disk full (simulated)")

    monkeypatch.setattr(release_module, "build_database", broken)
    with pytest.raises(ReleaseError, match="simulated"):
        build_release(work_engine, target, "another-model")
    assert {path.name: path.read_bytes() for path in target.dist_dir.iterdir()} == before


def test_abandoned_staging_folder_is_removed_and_never_published(
    work_engine: Engine, target: Settings
) -> None:
    build_release(work_engine, target, MODEL)
    abandoned = target.dist_dir / f"{STAGING_PREFIX}999999999"  # no such process
    abandoned.mkdir()
    (abandoned / "news.db").write_bytes(b"half a database")
    build_release(work_engine, target, MODEL)
    assert not abandoned.exists()
    assert_consistent(target.dist_dir)


def test_publish_interrupted_after_its_commit_point_is_finished(
    work_engine: Engine, target: Settings, tmp_path: Path
) -> None:
    """A crash between the renames leaves `.publishing`; the next build completes it first."""
    new = target.model_copy(update={"dist_dir": tmp_path / "new"})
    build_release(work_engine, new, "another-model")
    build_release(work_engine, target, MODEL)
    publishing = target.dist_dir / PUBLISHING
    shutil.copytree(new.dist_dir, publishing)
    # The crash came after the metadata and news.db were moved, before SHA256SUMS was.
    os.replace(publishing / METADATA_FILE, target.dist_dir / METADATA_FILE)
    os.replace(publishing / "news.db", target.release_path)
    report = build_release(work_engine, target, "another-model")
    assert report.unchanged  # the interrupted publish was this very release: nothing left to build
    assert_consistent(target.dist_dir)
    assert target.release_path.read_bytes() == new.release_path.read_bytes()


@pytest.fixture
def hand_made_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests below write input hashes no stage would: release's staleness check must let them be."""
    monkeypatch.setattr(release_module, "stale_stages", lambda _connection, _settings: [])


@pytest.mark.usefixtures("hand_made_inputs")
def test_changed_working_inputs_rebuild_even_with_equal_counts(copied_work: Engine, target: Settings) -> None:
    first = build_release(copied_work, target, MODEL)
    assert build_release(copied_work, target, MODEL).unchanged
    with copied_work.begin() as connection:
        connection.exec_driver_sql("UPDATE work_article_inputs SET enrich_input_hash = 'stale'")
    again = build_release(copied_work, target, MODEL)
    assert not again.unchanged
    assert again.sha256 == first.sha256  # the same rows, so the same bytes


@pytest.mark.usefixtures("hand_made_inputs")
def test_release_from_another_working_database_is_replaced(
    work_engine: Engine, copied_work: Engine, target: Settings
) -> None:
    ours = build_release(work_engine, target, MODEL)
    with copied_work.begin() as connection:
        # What a clean stage would do with another input: new text, new input hash.
        connection.exec_driver_sql("UPDATE articles SET section = 'Another section'")
        connection.exec_driver_sql("UPDATE work_article_inputs SET clean_input_hash = 'another input'")
    theirs = build_release(copied_work, target, MODEL)
    assert not theirs.unchanged and theirs.content_sha256 != ours.content_sha256
    rebuilt = build_release(work_engine, target, MODEL)
    assert not rebuilt.unchanged
    assert (rebuilt.sha256, rebuilt.content_sha256) == (ours.sha256, ours.content_sha256)
