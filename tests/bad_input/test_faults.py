"""Faults a user meets (issue 19.9, 19.10, 19.12): one clear line each, nothing half published.

Every case goes through the real entry point (`pipeline.cli.main`) on real files: a real SQLite
working database that is full (SQLite's own page limit gives the same SQLITE_FULL as a full disk),
damaged, from an unknown schema, or a folder; a release folder that cannot be written.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLES, SampleRun, cli_args, settings_for
from entry import command_line, copied_run, folder_bytes, run_entry
from filelock import FileLock

from pipeline.errors import ReleaseError
from pipeline.outputs import publish as publish_module
from pipeline.outputs.publish import sha256_file, write_checksums
from pipeline.settings import Settings
from pipeline.stages.release import build_release
from pipeline.store import engine as engine_module
from pipeline.store.engine import make_engine

IS_ROOT = os.geteuid() == 0
Entry = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture
def entry(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Entry:
    return monkeypatch, capsys


def one_line(entry: Entry, settings: Settings, command: str, *extra: str) -> str:
    """Run a command that must fail; its one stderr line."""
    code, lines = run_entry(*entry, command_line(settings, command, *extra))
    assert code != 0
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    return lines[0]


@pytest.fixture
def copied(sample_run: SampleRun, tmp_path: Path) -> Settings:
    return copied_run(sample_run, tmp_path)


def work_file(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def raw_documents(settings: Settings) -> int:
    with closing(sqlite3.connect(work_file(settings))) as connection:
        return int(connection.execute("select count(*) from raw_documents").fetchone()[0])


# --- the working database ----------------------------------------------------------------------


def test_full_disk_while_ingesting_is_one_line_and_keeps_the_previous_state(
    copied: Settings, entry: Entry
) -> None:
    before = raw_documents(copied)
    (copied.raw_dir / "big.txt").write_text(
        "NAIROBI — " + " ".join(secrets.token_hex(8) for _ in range(200_000)), encoding="utf-8"
    )
    real_pragmas = engine_module.set_pragmas

    def small_disk(dbapi_connection: Any, record: Any) -> None:
        real_pragmas(dbapi_connection, record)
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 20}")

    entry[0].setattr(engine_module, "set_pragmas", small_disk)
    line = one_line(entry, copied, "ingest")
    assert "the disk is full" in line and str(work_file(copied)) in line and "changed nothing" in line
    entry[0].undo()
    assert raw_documents(copied) == before


def test_garbage_working_database_is_one_line(copied: Settings, entry: Entry) -> None:
    work_file(copied).write_bytes(secrets.token_bytes(8192))
    line = one_line(entry, copied, "ingest")
    assert "is not a SQLite database" in line


def test_truncated_working_database_is_one_line(copied: Settings, entry: Entry) -> None:
    path = work_file(copied)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 3)
    line = one_line(entry, copied, "ingest")
    assert "damaged" in line or "not a SQLite database" in line
    assert "move it away" in line or "--database-url" in line


def test_unknown_schema_revision_is_one_line(copied: Settings, entry: Entry) -> None:
    with closing(sqlite3.connect(work_file(copied))) as connection, connection:
        connection.execute("update alembic_version set version_num = 'f00dfeed'")
    line = one_line(entry, copied, "ingest")
    assert "f00dfeed" in line and "another (newer?) version" in line
    status = one_line(entry, copied, "status")
    assert "f00dfeed" in status


def test_database_path_that_is_a_folder_is_one_line(tmp_path: Path, entry: Entry) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "work.db").mkdir()
    settings = Settings(raw_dir=tmp_path / "raw", database_url=f"sqlite:///{tmp_path / 'work.db'}")
    assert "is a folder, not a database file" in one_line(entry, settings, "ingest")


def test_status_answers_while_a_writer_holds_the_database(copied: Settings, entry: Entry) -> None:
    writer = sqlite3.connect(work_file(copied), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("delete from rejections")
        code, lines = run_entry(*entry, command_line(copied, "status"))
        assert (code, lines) == (0, [])
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_second_run_through_a_symlinked_path_meets_the_same_lock(copied: Settings, entry: Entry) -> None:
    link = copied.raw_dir.parent / "link.db"
    os.symlink(work_file(copied), link)
    through_link = copied.model_copy(update={"database_url": f"sqlite:///{link}"})
    with FileLock(f"{work_file(copied).resolve()}.lock"):
        line = one_line(entry, through_link, "ingest")
    assert "already running" in line


# --- read-only means read-only (19.10) -----------------------------------------------------------


def test_status_on_the_release_changes_not_one_byte(copied: Settings, entry: Entry) -> None:
    before = folder_bytes(copied.dist_dir)
    on_release = copied.model_copy(update={"database_url": f"sqlite:///{copied.release_path}"})
    line = one_line(entry, on_release, "status")
    assert "not a pipeline working database" in line
    assert folder_bytes(copied.dist_dir) == before


@pytest.mark.parametrize("command", ["ingest", "clean", "release"])
def test_a_writing_command_pointed_at_the_release_changes_not_one_byte(
    copied: Settings, entry: Entry, command: str
) -> None:
    before = folder_bytes(copied.dist_dir)
    on_release = copied.model_copy(update={"database_url": f"sqlite:///{copied.release_path}"})
    line = one_line(entry, on_release, command)
    assert "is not a pipeline working database" in line and "nothing was changed" in line
    assert folder_bytes(copied.dist_dir) == before


def test_status_does_not_migrate_or_create(tmp_path: Path, entry: Entry) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'none.db'}", dist_dir=tmp_path / "dist")
    assert "no working database" in one_line(entry, settings, "status")
    assert not (tmp_path / "none.db").exists()


# --- the release folder --------------------------------------------------------------------------


@pytest.fixture
def read_only_dist(copied: Settings) -> Iterator[Path]:
    """`dist/` that cannot be written: by permissions, or (as root, who ignores them) a read-only mount."""
    dist = copied.dist_dir
    if not IS_ROOT:
        dist.chmod(0o555)
        yield dist
        dist.chmod(0o755)
        return
    saved = folder_bytes(dist)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(dist)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot make a read-only folder here (root without mount)")
    try:
        yield dist
    finally:
        subprocess.run(["umount", str(dist)], check=True)
        assert folder_bytes(dist) == saved


def test_read_only_dist_is_one_line(copied: Settings, read_only_dist: Path, entry: Entry) -> None:
    before = folder_bytes(read_only_dist)
    if IS_ROOT:  # a fresh read-only mount hides the release: the folder is empty, so release builds
        assert before == {}
    line = one_line(entry, copied, "release")
    assert f"cannot write the release into {read_only_dist}" in line
    assert "previous release is untouched" in line
    assert folder_bytes(read_only_dist) == before


def test_a_folder_where_sha256sums_goes_is_refused_and_nothing_moves(copied: Settings, entry: Entry) -> None:
    (copied.checksums_path).unlink()
    copied.checksums_path.mkdir()
    before = folder_bytes(copied.dist_dir)
    line = one_line(entry, copied, "release")
    assert "SHA256SUMS is a folder" in line and "remove it" in line
    assert folder_bytes(copied.dist_dir) == before
    assert not (copied.dist_dir / publish_module.PUBLISHING).exists()
    copied.checksums_path.rmdir()
    code, _lines = run_entry(*entry, command_line(copied, "release"))
    assert code == 0
    assert run_entry(*entry, command_line(copied, "verify"))[0] == 0


def test_two_publishers_into_one_dist_take_turns(copied: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish_module, "PUBLISH_WAIT_S", 0.2)
    before = folder_bytes(copied.dist_dir)
    engine = make_engine(copied.database_url)
    try:
        lock = FileLock(f"{copied.dist_dir.resolve()}.lock")
        with lock, pytest.raises(ReleaseError, match="another run has been publishing"):
            build_release(engine, copied, "another-model")
        assert folder_bytes(copied.dist_dir) == before
        assert not build_release(engine, copied, "another-model").unchanged
    finally:
        engine.dispose()


# --- 19.11: verify catches tampering ---------------------------------------------------------------


def rewrite_checksums(settings: Settings, names: tuple[str, ...]) -> None:
    dist = settings.dist_dir
    write_checksums(settings.checksums_path, {name: sha256_file(dist / name) for name in names})


def test_a_file_dropped_from_sha256sums_fails_verify(copied: Settings, entry: Entry) -> None:
    metadata = copied.dist_dir / "datasette-metadata.json"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("news", "olds"), encoding="utf-8")
    rewrite_checksums(copied, ("news.db",))
    code, lines = run_entry(*entry, command_line(copied, "verify"))
    assert code == 1
    assert "problem: checksums: datasette-metadata.json is not listed in SHA256SUMS" in lines
    assert (
        "problem: checksums: datasette-metadata.json is in the release folder but not listed in SHA256SUMS"
        in lines
    )


def test_an_extra_file_in_the_release_folder_fails_verify(copied: Settings, entry: Entry) -> None:
    (copied.dist_dir / "notes.txt").write_text("added later", encoding="utf-8")
    code, lines = run_entry(*entry, command_line(copied, "verify"))
    assert code == 1
    assert "problem: checksums: notes.txt is in the release folder but not listed in SHA256SUMS" in lines


def test_deleted_full_text_rows_fail_verify(copied: Settings, entry: Entry) -> None:
    with closing(sqlite3.connect(copied.release_path)) as connection, connection:
        (rowid,) = connection.execute("select rowid from articles order by rowid limit 1").fetchone()
        connection.execute("delete from articles_fts where rowid = ?", (rowid,))
    rewrite_checksums(copied, ("news.db", "datasette-metadata.json"))
    code, lines = run_entry(*entry, command_line(copied, "verify"))
    assert code == 1
    assert any(line.startswith("problem: full-text search: articles_fts does not match") for line in lines)


# --- 19.13: Ctrl-C says what the README says -------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_during_a_run_says_the_next_run_picks_up(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "raw")
    settings = settings_for(tmp_path)
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", *cli_args(settings)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert run.stderr is not None
    assert run.stderr.readline().startswith("ingest:")
    run.send_signal(signal.SIGINT)
    rest = run.stderr.read()
    run.wait(timeout=120)
    assert run.returncode == 130
    assert rest.splitlines()[-1] == "interrupted; the next run picks up where this one stopped"
    assert "Traceback" not in rest and "Aborted" not in rest
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "interrupted; the next run picks up where this one stopped" in readme
