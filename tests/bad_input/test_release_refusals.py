"""Stages run out of order never publish (issue 19.7): release refuses stale work, verifies what it built."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import SampleRun
from entry import command_line, copied_run, run_entry

from pipeline.errors import ReleaseError
from pipeline.settings import Settings
from pipeline.stages import release as release_module
from pipeline.stages.release import build_release
from pipeline.store.engine import make_engine


def dist_bytes(settings: Settings) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(settings.dist_dir.iterdir())}


def test_release_after_clean_without_enrich_is_refused(
    sample_run: SampleRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = copied_run(sample_run, tmp_path)

    def command(settings: Settings, name: str) -> tuple[int, list[str]]:
        return run_entry(monkeypatch, capsys, command_line(settings, name))

    before = dist_bytes(settings)
    article = sorted(settings.raw_dir.glob("*.txt"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Ruto", "Raila Odinga", 3), encoding="utf-8")
    assert command(settings, "ingest")[0] == 0
    assert command(settings, "clean")[0] == 0
    code, (line,) = command(settings, "release")
    assert code == 1
    assert line.startswith("error: the working database is not up to date")
    assert "not enriched" in line and "nothing was published" in line
    assert dist_bytes(settings) == before
    assert command(settings, "verify")[0] == 0


def test_release_after_ingest_without_clean_is_refused(
    sample_run: SampleRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = copied_run(sample_run, tmp_path)
    (settings.raw_dir / "new.txt").write_text("NAIROBI, Kenya — Amina Mohamed spoke.\n" * 3)
    assert run_entry(monkeypatch, capsys, command_line(settings, "ingest"))[0] == 0
    code, (line,) = run_entry(monkeypatch, capsys, command_line(settings, "release"))
    assert code == 1 and "not cleaned" in line


def test_a_release_that_does_not_verify_is_never_published(
    sample_run: SampleRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = copied_run(sample_run, tmp_path)
    before = dist_bytes(settings)
    real_build = release_module.build_database

    def miscounting(
        path: Path, work_file: Path, model: str, *rest: dict[str, str]
    ) -> tuple[dict[str, int], str]:
        counts, digest = real_build(path, work_file, model, *rest)
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("update entities set mention_count = mention_count + 1")
        return counts, digest

    monkeypatch.setattr(release_module, "build_database", miscounting)
    engine = make_engine(settings.database_url)
    try:
        with pytest.raises(ReleaseError, match=r"does not verify .*entity counts"):
            build_release(engine, settings, "another-model")
    finally:
        engine.dispose()
    assert dist_bytes(settings) == before
    assert not any(path.name.startswith(".") for path in settings.dist_dir.iterdir())
