"""Settings for the fast profile, the working database's dialect and the Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.cluster import worker_settings
from pipeline.errors import ConfigurationError
from pipeline.settings import DEFAULT_MODEL, FAST_MODEL, Settings
from pipeline.store.engine import backend


def test_the_profile_picks_the_model_unless_one_is_given() -> None:
    assert Settings().model == DEFAULT_MODEL
    assert Settings(profile="fast").model == FAST_MODEL
    assert Settings(profile="fast", model="my_model").model == "my_model"


def test_cluster_settings_are_checked() -> None:
    assert Settings(cluster="local:3").local_workers == 3
    assert Settings(scheduler="tcp://h:8786").distributed
    assert not Settings().distributed
    for bad in ({"cluster": "local:0"}, {"cluster": "3"}, {"scheduler": "h:8786"}):
        with pytest.raises(ValidationError):
            Settings(**bad)
    with pytest.raises(ValidationError, match="not both"):
        Settings(cluster="local:2", scheduler="tcp://h:8786")


def test_workers_get_the_sqlite_file_by_its_absolute_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = Settings(database_url="sqlite:///build/work.db")
    assert worker_settings(relative).database_url == f"sqlite:///{tmp_path / 'build' / 'work.db'}"
    server = Settings(database_url="postgresql+psycopg://u@h/db")
    assert worker_settings(server) == server


def test_only_sqlite_and_postgres_through_psycopg() -> None:
    assert backend("sqlite:///x.db") == "sqlite"
    assert backend("postgresql+psycopg://u@h/db") == "postgresql"
    with pytest.raises(ConfigurationError, match="psycopg"):
        backend("postgresql+psycopg2://u@h/db")
    with pytest.raises(ConfigurationError, match="only SQLite and PostgreSQL"):
        backend("mysql://u@h/db")
