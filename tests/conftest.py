"""Shared fixtures: settings in tmp_path, a migrated database, and one real run over the samples."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from pipeline.cli import cli
from pipeline.settings import Settings
from pipeline.store.engine import make_engine, upgrade

# The browser fixtures (a served release, headless Chromium) live in tests/support/browser.py.
pytest_plugins = ["support.browser"]

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "raw"


def settings_for(base: Path, raw_dir: Path | None = None, **overrides: object) -> Settings:
    """Settings that keep every file of a test under `base`."""
    return Settings(
        raw_dir=raw_dir or base / "raw",
        dist_dir=base / "dist",
        database_url=f"sqlite:///{base / 'work.db'}",
        progress=False,
        **overrides,
    )


def generated_raw(base: Path, count: int, seed: int) -> Path:
    """A raw folder under `base` holding `count` synthetic articles."""
    from support.synthetic import generate_corpus

    generate_corpus(base / "raw", count, seed=seed)
    return base / "raw"


def article_row(article_id: str, body: str) -> dict[str, object]:
    """An `articles` row with just a body, for tests of corpus-wide steps."""
    return {
        "id": article_id,
        "source_path": f"{article_id}.txt",
        "source_sha256": article_id * 4,
        "body": body,
        "word_count": len(body.split()),
    }


def cli_args(settings: Settings, command: str = "run") -> list[str]:
    """The options `command` takes that point it at these settings' folders and database."""
    accepted = {parameter.name for parameter in cli.commands[command].params}
    options = {
        "raw_dir": ["--raw", str(settings.raw_dir)],
        "dist_dir": ["--dist", str(settings.dist_dir)],
        "database_url": ["--database-url", settings.database_url],
        "progress": ["--no-progress"],
        "profile": ["--profile", settings.profile],
        "processes": ["--processes", str(settings.processes)] if settings.processes else [],
    }
    return [argument for name, arguments in options.items() if name in accepted for argument in arguments]


def run_pipeline(settings: Settings, command: str = "run") -> str:
    """Run one CLI command in-process and return what it printed; fails the test on an error."""
    result = CliRunner().invoke(cli, [command, *cli_args(settings, command)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@dataclass(frozen=True)
class SampleRun:
    """The session's one real run of the whole pipeline over the two sample articles."""

    settings: Settings
    output: str

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(f"file:{self.settings.release_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        return connection


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    base = tmp_path_factory.mktemp("sample-run")
    shutil.copytree(SAMPLES, base / "raw")
    settings = settings_for(base)
    return SampleRun(settings, run_pipeline(settings))


@pytest.fixture
def release(sample_run: SampleRun) -> Iterator[sqlite3.Connection]:
    connection = sample_run.connect()
    yield connection
    connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "raw").mkdir()
    return settings_for(tmp_path)


@pytest.fixture
def migrated_engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_engine(request: pytest.FixtureRequest, migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated, empty working database on each store: a SQLite file, then a PostgreSQL server's."""
    if request.param == "sqlite":
        yield migrated_engine
        return
    other = make_engine(request.getfixturevalue("postgres_url"))
    upgrade(other)
    yield other
    other.dispose()


@pytest.fixture
def copied_work(sample_run: SampleRun, tmp_path: Path) -> Iterator[Engine]:
    """A copy of the sample run's working database, free to change."""
    source = Path(str(make_engine(sample_run.settings.database_url).url.database))
    copy = tmp_path / "work-copy.db"
    shutil.copy2(source, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """A real PostgreSQL server for the session (see tests/support/postgres.py)."""
    from support.postgres import postgres_bin, start_server

    if postgres_bin() is None:
        if os.environ.get("PIPELINE_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is not installed, and PIPELINE_REQUIRE_POSTGRES says the tests need it")
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql); .ci/run installs it")
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: object) -> str:
    """The URL of a fresh, empty PostgreSQL database for one test."""
    return postgres_server.database()  # type: ignore[attr-defined, no-any-return]
