"""Enrich on a real Dask LocalCluster of worker processes: the same release, also when a worker dies."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import cli_args, generated_raw, settings_for
from distributed import LocalCluster, default_client

from pipeline import api, cluster
from pipeline.cli import cli
from pipeline.errors import ConfigurationError
from pipeline.settings import Settings

ARTICLES = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_raw(tmp_path_factory.mktemp("dask-corpus"), ARTICLES, seed=11)


@pytest.fixture(scope="module")
def in_process_release(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    settings = settings_for(
        tmp_path_factory.mktemp("in-process"), raw_dir=corpus, profile="fast", processes=1
    )
    api.run(settings)
    return settings.release_path.read_bytes()


def on_cluster(base: Path, corpus: Path, database_url: str | None = None) -> Settings:
    settings = settings_for(base, raw_dir=corpus, profile="fast", cluster="local:2")
    return settings.model_copy(update={"database_url": database_url}) if database_url else settings


def test_local_cluster_release_is_identical_to_in_process(
    tmp_path: Path, corpus: Path, in_process_release: bytes
) -> None:
    settings = on_cluster(tmp_path, corpus)
    report = api.run(settings)
    enriched = report.reports[0]
    assert enriched.enriched == ARTICLES and enriched.mentions > 0
    assert settings.release_path.read_bytes() == in_process_release


def test_a_worker_killed_mid_run_costs_a_retry(
    tmp_path: Path, corpus: Path, in_process_release: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 15 batches over 2 workers: when the first is done, each worker is busy with one of the rest.
    monkeypatch.setattr(cluster, "BATCH_ARTICLES", 4)
    settings = on_cluster(tmp_path, corpus)
    killed: list[int] = []
    workers_after: list[set[int]] = []

    def kill_a_busy_worker(_articles: int) -> None:
        # a worker that died but is not yet known to be dead must not fail the callback
        pids = set(default_client().run(os.getpid, on_error="ignore").values())
        if not killed:
            killed.append(min(pids))
            os.kill(killed[0], signal.SIGKILL)
        else:
            workers_after.append(pids)

    report = api.run(settings, progress=kill_a_busy_worker)
    assert killed and workers_after, "the worker was not killed mid-run"
    assert killed[0] not in workers_after[-1], "the killed worker still answers"
    assert report.reports[0].enriched == ARTICLES
    assert settings.release_path.read_bytes() == in_process_release


def test_postgres_with_local_cluster(
    tmp_path: Path, corpus: Path, in_process_release: bytes, postgres_url: str
) -> None:
    settings = on_cluster(tmp_path, corpus, postgres_url)
    api.run(settings)
    assert settings.release_path.read_bytes() == in_process_release


def test_cli_runs_on_a_scheduler_it_is_given(tmp_path: Path, in_process_release: bytes, corpus: Path) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as running:
        settings = settings_for(tmp_path, raw_dir=corpus, profile="fast")
        arguments = ["run", *cli_args(settings), "--scheduler", running.scheduler_address]
        result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"enrich: {ARTICLES} of {ARTICLES} articles" in result.output
    assert settings.release_path.read_bytes() == in_process_release


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "SCHEDULER_TIMEOUT", "2s")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("Nairobi County said the road would open.\n", encoding="utf-8")
    settings = settings_for(tmp_path, profile="fast", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigurationError, match=r"cannot reach the Dask scheduler tcp://127\.0\.0\.1:9"):
        api.run(settings)
