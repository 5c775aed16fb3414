"""Running the real entry point (`pipeline.cli.main`, as the console script does) inside a test."""

from __future__ import annotations

import sys

import pytest
from conftest import cli_args

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
