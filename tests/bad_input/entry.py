"""Running the real entry point (`pipeline.cli.main`, as the console script does) inside a test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import SampleRun, cli_args, settings_for

from pipeline.cli import main
from pipeline.settings import Settings


def run_entry(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
) -> tuple[int, list[str]]:
    """The exit code and the stderr lines of `pipeline ARGUMENTS`; fails on any traceback."""
    monkeypatch.setattr(sys, "argv", ["pipeline", *arguments])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr, stderr
    return code, stderr.splitlines()


def command_line(settings: Settings, command: str, *extra: str) -> list[str]:
    """`COMMAND` with the options that point it at these settings."""
    return [command, *cli_args(settings, command), *extra]


def copied_run(sample_run: SampleRun, base: Path) -> Settings:
    """A copy of the sample run's raw folder, working database and release, to change freely."""
    shutil.copytree(sample_run.settings.raw_dir, base / "raw")
    shutil.copytree(sample_run.settings.dist_dir, base / "dist")
    shutil.copy(sample_run.settings.database_url.removeprefix("sqlite:///"), base / "work.db")
    return settings_for(base)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
