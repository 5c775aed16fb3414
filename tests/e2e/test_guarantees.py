"""Guarantees around runs: one run at a time, serving during a build, byte-identical releases,
migrations that keep data, and a publication nobody can write to."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, SampleRun, cli_args, run_pipeline, settings_for
from filelock import FileLock
from sqlalchemy import inspect
from support.synthetic import generate_corpus

from pipeline.outputs.datasette import SQL_TIME_LIMIT_MS, make_datasette
from pipeline.settings import Settings
from pipeline.store.engine import downgrade, make_engine, sqlite_path, upgrade

SECOND_TITLE = "Details Of President William Ruto’s Closed Door Meetings"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_samples(base: Path) -> Settings:
    shutil.copytree(SAMPLES, base / "raw")
    return settings_for(base)


def pipeline_process(settings: Settings, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *arguments, *cli_args(settings, arguments[0])],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- one run at a time ---------------------------------------------------------------------------


def test_run_while_another_holds_the_database_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    settings = copy_samples(tmp_path)
    run_pipeline(settings)
    (settings.raw_dir / "new.txt").write_text("NAIROBI, Kenya, Jan 3 – Amina Mohamed spoke.\n" * 3)
    before = tree_bytes(tmp_path)
    database = sqlite_path(settings.database_url)
    with FileLock(f"{database}.lock"):
        refused = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", *cli_args(settings)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert refused.returncode != 0
    assert "already running" in refused.stderr
    assert "Traceback" not in refused.stderr
    after = tree_bytes(tmp_path)
    assert after.keys() == before.keys()
    assert all(after[name] == before[name] for name in before if not name.endswith(".lock"))


@pytest.mark.slow
def test_second_real_run_during_a_run_is_refused(tmp_path: Path) -> None:
    settings = copy_samples(tmp_path)
    first = pipeline_process(settings, "run")
    assert first.stderr is not None
    first_line = first.stderr.readline()  # the first stage line comes after the lock is taken
    assert first_line.startswith("ingest"), first_line
    second = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", *cli_args(settings)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    _out, rest = first.communicate(timeout=300)
    assert first.returncode == 0, rest
    assert second.returncode != 0
    assert "already running" in second.stderr
    assert "Traceback" not in second.stderr
    run_pipeline(settings, "verify")


# --- serving during a build ----------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def titles(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/news/articles.json?_shape=array&_col=title&_sort=id"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return sorted(row["title"] or "" for row in json.loads(response.read()))


@pytest.mark.slow
def test_serve_keeps_serving_the_previous_release_while_a_new_one_is_built(tmp_path: Path) -> None:
    settings = copy_samples(tmp_path)
    run_pipeline(settings)
    port = free_port()
    server = pipeline_process(settings, "serve", "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                served = titles(port)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert any(title.startswith(SECOND_TITLE) for title in served)
        sample = next(p for p in sorted(settings.raw_dir.glob("*.txt")) if SECOND_TITLE[:20] in p.read_text())
        sample.write_text(sample.read_text(encoding="utf-8").replace("Closed Door", "Private"), "utf-8")
        build = pipeline_process(settings, "run")
        during = []
        while build.poll() is None:
            during.append(titles(port))
            time.sleep(0.1)
        assert build.returncode == 0, build.stderr.read() if build.stderr else ""
        assert len(during) >= 5, "the build finished before the server could be asked"
        release = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
        with closing(release):
            new_titles = sorted(row[0] or "" for row in release.execute("select title from articles"))
        assert new_titles != served and any("Private Meetings" in title for title in new_titles)
        # The old release is served until the new one is moved into place (the run still records
        # its state after that), then the new one: never an error, a mix or a half-built file.
        assert during[0] == served
        switched = next((index for index, response in enumerate(during) if response != served), len(during))
        assert all(response == new_titles for response in during[switched:])
        assert switched >= len(during) // 2, "the new release was served long before the build ended"
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- determinism ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_clean_runs_give_byte_identical_releases(sample_run: SampleRun, tmp_path: Path) -> None:
    """A second run elsewhere (other folders, another working database) gives the same bytes."""
    other = copy_samples(tmp_path)
    run_pipeline(other)
    ours, theirs = sample_run.settings.dist_dir, other.dist_dir
    assert (ours / "news.db").read_bytes() == (theirs / "news.db").read_bytes()
    assert (ours / "SHA256SUMS").read_text() == (theirs / "SHA256SUMS").read_text()
    assert tree_bytes(ours).keys() == tree_bytes(theirs).keys()


# --- migrations with data ------------------------------------------------------------------------


def table_rows(connection: sqlite3.Connection, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    return {
        table: sorted(
            connection.execute(f"select {', '.join(f'[{c}]' for c in names)} from [{table}]").fetchall(),
            key=repr,
        )
        for table, names in columns.items()
    }


def test_upgrading_a_first_revision_database_with_data_loses_nothing(
    sample_run: SampleRun, tmp_path: Path
) -> None:
    """The sample run's working database, taken back to revision 0001, then brought to head."""
    source = sqlite3.connect(sqlite_path(sample_run.settings.database_url))
    copy = sqlite3.connect(tmp_path / "old.db")
    with closing(source), closing(copy):
        source.backup(copy)
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        downgrade(engine, "0001")
        schema = inspect(engine)
        first_revision = {
            table: [column["name"] for column in schema.get_columns(table)]
            for table in schema.get_table_names()
            if table != "alembic_version"
        }
        with closing(sqlite3.connect(tmp_path / "old.db")) as connection:
            before = table_rows(connection, first_revision)
        assert sum(len(rows) for rows in before.values()) > 100
        assert before["mentions"] and before["raw_documents"]
        upgrade(engine)
        with closing(sqlite3.connect(tmp_path / "old.db")) as connection:
            after = table_rows(connection, first_revision)
            version = connection.execute("select version_num from alembic_version").fetchone()[0]
            assert connection.execute("pragma foreign_key_check").fetchall() == []
        assert version != "0001"
        assert after == before
    finally:
        engine.dispose()


# --- read-only publication -----------------------------------------------------------------------


def test_served_release_is_immutable_and_time_limited(sample_run: SampleRun) -> None:
    datasette = make_datasette(sample_run.settings)
    database = datasette.get_database("news")
    assert database.is_mutable is False
    assert datasette.setting("sql_time_limit_ms") == SQL_TIME_LIMIT_MS

    async def attempts() -> tuple[list, list]:
        writes = []
        for sql in ("delete from articles", "update entities set name = 'x'", "drop table mentions"):
            response = await datasette.client.get("/news.json", params={"sql": sql})
            writes.append((response.status_code, response.json()))
        posted = await datasette.client.post("/news/-/query", data={"sql": "delete from articles"})
        slow_sql = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
        slow = await datasette.client.get("/news.json", params={"sql": slow_sql})
        return writes, [posted.status_code, slow.status_code, slow.json()]

    writes, (posted_status, slow_status, slow_body) = asyncio.run(attempts())
    for status, body in writes:
        assert status == 400 and body["ok"] is False
        assert "SELECT" in body["error"] or "select" in body["error"]
    assert posted_status in {403, 404, 405}
    assert slow_status == 400 and "took too long" in slow_body["error"]
    with closing(sample_run.connect()) as release:
        assert release.execute("select count(*) from articles").fetchone()[0] == 2

    def write_directly(connection: sqlite3.Connection) -> None:
        connection.execute("delete from articles")

    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute_fn(write_directly))


# --- resolution always follows extraction --------------------------------------------------------


@pytest.mark.slow
def test_articles_extracted_again_are_resolved_again(tmp_path: Path) -> None:
    """Mentions re-extracted with the same inputs (as after a crash and a revert) end up resolved.

    The synthetic corpus has acronyms defined in one article and used alone in others.
    """
    generate_corpus(tmp_path / "raw", 40, seed=11)
    settings = settings_for(tmp_path)
    run_pipeline(settings)
    published = settings.release_path.read_bytes()
    with closing(sqlite3.connect(sqlite_path(settings.database_url))) as work:
        work.execute("update work_article_inputs set enrich_input_hash = null")
        work.commit()
    output = run_pipeline(settings)
    assert "enrich: 40 of 40 articles through the model" in output
    assert "release unchanged" in output
    assert settings.release_path.read_bytes() == published
