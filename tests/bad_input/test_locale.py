"""The release is byte-identical under any locale (issue 19.12): a Turkish `I` changed SQLite's header."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, SampleRun, cli_args, settings_for

LOCALE = "tr_TR.UTF-8"


def compiled_locale(folder: Path) -> Path:
    """The Turkish locale compiled from the system's locale sources (nothing is downloaded)."""
    if shutil.which("localedef") is None:
        pytest.skip("localedef is not installed")
    folder.mkdir()
    done = subprocess.run(
        ["localedef", "-i", "tr_TR", "-f", "UTF-8", str(folder / LOCALE)], capture_output=True, check=False
    )
    if not (folder / LOCALE).is_dir():
        pytest.skip(f"cannot compile {LOCALE}: {done.stderr.decode(errors='replace').strip()}")
    return folder


@pytest.mark.slow
def test_release_is_byte_identical_under_a_turkish_locale(sample_run: SampleRun, tmp_path: Path) -> None:
    locales = compiled_locale(tmp_path / "locales")
    shutil.copytree(SAMPLES, tmp_path / "raw")
    settings = settings_for(tmp_path)
    environment = {**os.environ, "LOCPATH": str(locales), "LC_ALL": LOCALE, "LANG": LOCALE}
    probe = subprocess.run(
        [sys.executable, "-c", "import locale; print(locale.setlocale(locale.LC_CTYPE, ''))"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.stdout.strip() == LOCALE, probe.stderr
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", *cli_args(settings)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert settings.release_path.read_bytes() == sample_run.settings.release_path.read_bytes()
