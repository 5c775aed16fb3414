"""`pipeline verify`: a good release verifies; each kind of tampering is found and named."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest
from conftest import SampleRun, settings_for

from pipeline.cli import main
from pipeline.errors import ReleaseError
from pipeline.outputs.files import release_files
from pipeline.outputs.publish import sha256_file, write_checksums
from pipeline.outputs.verify import VerificationFailed, verify_release
from pipeline.schema.models import published_tables
from pipeline.settings import Settings


@pytest.fixture
def copied(sample_run: SampleRun, tmp_path: Path) -> Settings:
    """A private copy of the session's release, free to be tampered with."""
    shutil.copytree(sample_run.settings.dist_dir, tmp_path / "dist")
    return settings_for(tmp_path)


def tamper(settings: Settings, sql: str, *, fix_checksums: bool = True) -> None:
    """Change the release with SQL; by default re-sign it so only the invariant check can tell."""
    with closing(sqlite3.connect(settings.release_path)) as connection:
        connection.execute(sql)
        connection.commit()
    if fix_checksums:
        names = release_files(published_tables())
        write_checksums(settings.checksums_path, {n: sha256_file(settings.dist_dir / n) for n in names})


def problems(settings: Settings) -> list[str]:
    with pytest.raises(VerificationFailed) as failed:
        verify_release(settings)
    return failed.value.problems


def test_good_release_verifies(copied: Settings) -> None:
    report = verify_release(copied)
    assert report.files == release_files(published_tables())
    assert report.offsets > 0 and report.entities > 0 and report.counts >= 5
    with closing(sqlite3.connect(copied.release_path)) as connection:
        (recorded,) = connection.execute(
            "select value from dataset_info where key = 'content_sha256'"
        ).fetchone()
    assert report.content_sha256 == recorded


def test_a_changed_byte_fails_the_checksum(copied: Settings) -> None:
    data = bytearray(copied.release_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copied.release_path.write_bytes(bytes(data))
    assert "checksums: news.db does not match its SHA-256 (changed or partly written)" in problems(copied)


def test_missing_checksums_fail(copied: Settings) -> None:
    copied.checksums_path.unlink()
    assert problems(copied) == [f"checksums: {copied.checksums_path} is missing"]


def test_a_moved_mention_offset_is_named(copied: Settings) -> None:
    with closing(sqlite3.connect(copied.release_path)) as connection:
        mention_id, text = connection.execute("select id, text from mentions order by id limit 1").fetchone()
    tamper(copied, f"update mentions set start = start + 1 where id = '{mention_id}'")
    found = problems(copied)
    offset_problems = [problem for problem in found if problem.startswith("offsets:")]
    assert len(offset_problems) == 1
    assert offset_problems[0].startswith(f"offsets: mentions {mention_id}: articles.")
    assert offset_problems[0].endswith(f"not {text!r}")
    assert any(problem.startswith("content hash: dataset_info says") for problem in found)


def test_a_moved_dropped_span_offset_is_named(copied: Settings) -> None:
    with closing(sqlite3.connect(copied.release_path)) as connection:
        span_id, text = connection.execute(
            "select id, text from dropped_spans order by id limit 1"
        ).fetchone()
    tamper(copied, f'update dropped_spans set "end" = "end" - 1 where id = \'{span_id}\'')
    offset_problems = [problem for problem in problems(copied) if problem.startswith("offsets:")]
    assert len(offset_problems) == 1
    assert offset_problems[0].startswith(f"offsets: dropped_spans {span_id}: articles.")
    assert offset_problems[0].endswith(f"not {text!r}")


def test_a_wrong_entity_count_is_named(copied: Settings) -> None:
    with closing(sqlite3.connect(copied.release_path)) as connection:
        entity_id, mentions = connection.execute(
            "select id, mention_count from entities order by id limit 1"
        ).fetchone()
    tamper(copied, f"update entities set mention_count = mention_count + 1 where id = '{entity_id}'")
    found = problems(copied)
    assert any(
        problem.startswith(f"entity counts: entity {entity_id} says {mentions + 1} mentions")
        for problem in found
    )


def test_a_wrong_dataset_info_count_is_named(copied: Settings) -> None:
    tamper(copied, "update dataset_info set value = '999' where key = 'articles_count'")
    found = problems(copied)
    assert found[0] == "dataset_info: articles_count is 999, the table has 2 rows"


def test_a_deleted_row_breaks_the_content_hash_and_counts(copied: Settings) -> None:
    tamper(copied, "delete from entity_aliases where rowid = (select min(rowid) from entity_aliases)")
    found = problems(copied)
    assert any(problem.startswith("dataset_info: entity_aliases_count is") for problem in found)
    assert any(problem.startswith("content hash:") for problem in found)


def test_a_row_breaking_a_check_constraint_is_named(copied: Settings) -> None:
    # SQLite checks CHECK constraints only on a database it may write: verify checks a copy.
    with closing(sqlite3.connect(copied.release_path)) as connection:
        connection.execute("PRAGMA ignore_check_constraints=ON")
        connection.execute("update mentions set confidence = 2 where rowid = 1")
        connection.commit()
    tamper(copied, "select 1")
    assert "sqlite: integrity_check: CHECK constraint failed in mentions" in problems(copied)


def test_no_release_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="no release at"):
        verify_release(settings_for(tmp_path))


def test_cli_lists_problems_and_exits_one(
    copied: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(copied, "update dataset_info set value = '999' where key = 'articles_count'")
    monkeypatch.chdir(copied.dist_dir.parent)
    monkeypatch.setattr(sys, "argv", ["pipeline", "verify", "--dist", str(copied.dist_dir)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert "problem: dataset_info: articles_count is 999, the table has 2 rows" in err
    assert err[-1].startswith(f"error: {copied.release_path} does not verify: ")


def test_cli_says_what_it_verified(
    copied: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # from a folder of its own: the working database of the current folder is not this release's
    monkeypatch.chdir(copied.dist_dir.parent)
    monkeypatch.setattr(sys, "argv", ["pipeline", "verify", "--dist", str(copied.dist_dir)])
    main()
    assert capsys.readouterr().err.startswith(f"verified {copied.release_path}: checksums of")
