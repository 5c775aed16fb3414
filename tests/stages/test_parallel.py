"""Enrich over several processes: the same release as one process, and no worker outlives its run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from conftest import REPO, cli_args, run_pipeline, settings_for
from support.synthetic import generate_corpus

from pipeline.cli import cli
from pipeline.settings import Settings

pytestmark = pytest.mark.slow

ARTICLES = 24


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("parallel") / "raw"
    generate_corpus(raw, ARTICLES, seed=5)
    return raw


def run_with(settings: Settings, processes: int) -> str:
    arguments = ["run", *cli_args(settings), "--processes", str(processes)]
    result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_two_processes_give_the_same_release_as_one(corpus: Path, tmp_path: Path) -> None:
    one = settings_for(tmp_path / "one", raw_dir=corpus)
    two = settings_for(tmp_path / "two", raw_dir=corpus)
    run_with(one, 1)
    output = run_with(two, 2)
    assert f"enrich: {ARTICLES} of {ARTICLES} articles" in output
    assert one.release_path.read_bytes() == two.release_path.read_bytes()


def test_killing_a_run_kills_its_workers_and_frees_the_database(corpus: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, raw_dir=corpus)
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", *cli_args(settings), "--processes", "2"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    for line in run.stderr:
        if line.startswith("clean:"):
            break
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 60
    while len(parent.children()) < 2:  # the enrich workers have forked
        assert run.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
    workers = parent.children()
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
    output = run_pipeline(settings)  # would fail with "already running" if a worker held the lock
    assert f"of {ARTICLES} articles through the model" in output
    assert settings.release_path.is_file()
    run_pipeline(settings, "verify")
