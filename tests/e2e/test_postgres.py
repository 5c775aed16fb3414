"""PostgreSQL as the working store: every stage on a real server, the same release as SQLite's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, cli_args, generated_raw, run_pipeline, settings_for
from sqlalchemy import func, select
from support.synthetic import generate_corpus

from pipeline import api
from pipeline.errors import AlreadyRunning, StoreError
from pipeline.outputs.verify import verify_release
from pipeline.schema.models import WorkArticleInput
from pipeline.settings import Settings
from pipeline.store.store import open_store


def corpus_with_near_duplicates(folder: Path, count: int) -> Path:
    """Generated articles, two real samples, and a near-copy of one of them."""
    generate_corpus(folder, count, seed=7)
    for path in sorted(SAMPLES.iterdir()):
        shutil.copy(path, folder / path.name)
    first = sorted(SAMPLES.glob("*.txt"))[0]
    (folder / "near-copy.txt").write_text(
        first.read_text(encoding="utf-8") + "\nExtra line.\n", encoding="utf-8"
    )
    return folder


def both_stores(
    tmp_path: Path, raw: Path, postgres_url: str, **overrides: object
) -> tuple[Settings, Settings]:
    on_sqlite = settings_for(tmp_path / "sqlite", raw_dir=raw, **overrides)
    on_postgres = settings_for(tmp_path / "postgres", raw_dir=raw, **overrides).model_copy(
        update={"database_url": postgres_url}
    )
    return on_sqlite, on_postgres


def test_postgres_release_is_byte_identical_to_sqlite(tmp_path: Path, postgres_url: str) -> None:
    raw = corpus_with_near_duplicates(tmp_path / "raw", 40)
    on_sqlite, on_postgres = both_stores(tmp_path, raw, postgres_url, profile="fast")
    api.run(on_sqlite)
    report = api.run(on_postgres)
    assert report.clean.articles == 43
    released = on_postgres.release_path.read_bytes()
    assert released == on_sqlite.release_path.read_bytes()
    assert (on_postgres.checksums_path.read_text()) == on_sqlite.checksums_path.read_text()


def test_postgres_rerun_is_unchanged_and_change_is_picked_up(tmp_path: Path, postgres_url: str) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    settings = settings_for(tmp_path, raw_dir=raw).model_copy(update={"database_url": postgres_url})
    first = run_pipeline(settings)
    assert "enrich: 2 of 2 articles" in first
    second = run_pipeline(settings)
    assert "enrich: 0 of 2 articles" in second
    assert "release unchanged" in second
    before = settings.release_path.read_bytes()
    sample = sorted(raw.glob("*.txt"))[0]
    # a line in the article's middle (one after it is footer: the text, and so enrich, would not change)
    lines = sample.read_text(encoding="utf-8").split("\n")
    lines.insert(len(lines) // 2, "Nairobi County said so.")
    sample.write_text("\n".join(lines), encoding="utf-8")
    third = run_pipeline(settings)
    assert "enrich: 1 of 2 articles" in third
    assert settings.release_path.read_bytes() != before


def test_postgres_run_lock_is_an_advisory_lock(tmp_path: Path, postgres_url: str) -> None:
    with (
        open_store(postgres_url),
        pytest.raises(AlreadyRunning, match="already running"),
        open_store(postgres_url),
    ):
        pass
    with open_store(postgres_url) as store:  # released with the first store
        assert store.article_count() == 0


# more than enrich's ARTICLES_PER_TRANSACTION (200), so a kill can fall between two commits
ARTICLES = 260


def enriched(database_url: str) -> int:
    """Articles whose mentions are committed (read without the run lock); 0 before the schema is."""
    try:
        with open_store(database_url, exclusive=False) as store, store.engine.connect() as connection:
            query = select(func.count()).where(WorkArticleInput.enrich_input_hash.is_not(None))
            return int(connection.execute(query).scalar_one())
    except StoreError:  # the run has not migrated the new database yet
        return 0


@pytest.mark.slow
def test_postgres_run_killed_in_enrich_recovers_the_same_release(tmp_path: Path, postgres_url: str) -> None:
    raw = generated_raw(tmp_path, ARTICLES, seed=13)
    on_sqlite, on_postgres = both_stores(tmp_path, raw, postgres_url, profile="fast", processes=1)
    api.run(on_sqlite)
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", *cli_args(on_postgres)], cwd=REPO, stderr=subprocess.DEVNULL
    )
    done = 0
    while done == 0 and run.poll() is None:  # kill it inside enrich, once a batch is committed
        time.sleep(0.05)
        done = enriched(postgres_url)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    done = enriched(postgres_url)
    assert 0 < done < ARTICLES, "the run was not killed inside enrich"
    output = run_pipeline(on_postgres)
    assert f"enrich: {ARTICLES - done} of {ARTICLES} articles" in output
    assert on_postgres.release_path.read_bytes() == on_sqlite.release_path.read_bytes()
    verify_release(on_postgres)
