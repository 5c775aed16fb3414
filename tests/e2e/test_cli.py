"""The command line as a user meets it: help, documentation, errors and paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import REPO, SAMPLES

from pipeline.cli import cli

COMMANDS = sorted(cli.commands)


def run_module(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name: str) -> None:
    command = cli.commands[name]
    assert isinstance(command, click.Command)
    assert command.help and "Example: pipeline " in command.help
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert command.help.splitlines()[0] in " ".join(result.output.split())


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"pipeline {name}" in readme


def test_missing_raw_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = run_module(
        "run",
        "--raw",
        str(tmp_path / "nope"),
        "--database-url",
        f"sqlite:///{tmp_path / 'w.db'}",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: raw folder {tmp_path / 'nope'} does not exist or is not a folder"]
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    result = run_module("status", "--database-url", "mysql://x/y", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: only SQLite and PostgreSQL databases are supported")
    assert "Traceback" not in result.stderr


def test_run_from_another_directory_touches_only_given_paths(tmp_path: Path) -> None:
    raw, dist, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "cwd"
    shutil.copytree(SAMPLES, raw)
    elsewhere.mkdir()
    database = tmp_path / "state" / "work.db"
    result = run_module(
        "run",
        "--raw",
        str(raw),
        "--dist",
        str(dist),
        cwd=elsewhere,
        env={"PIPELINE_DATABASE_URL": f"sqlite:///{database}"},
    )
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == []
    assert (dist / "news.db").is_file() and (dist / "SHA256SUMS").is_file()
    assert database.is_file()
    assert "release:" in result.stderr
    status = run_module(
        "status", "--dist", str(dist), cwd=elsewhere, env={"PIPELINE_DATABASE_URL": f"sqlite:///{database}"}
    )
    assert status.returncode == 0
    assert any(
        line.split()[:1] == ["articles"] and line.split()[-1] == "2" for line in status.stdout.splitlines()
    )


def test_quiet_when_not_on_a_terminal(sample_run) -> None:
    assert "\r" not in sample_run.output
    assert "enrich: 2 of 2 articles" in sample_run.output
