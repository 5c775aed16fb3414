"""Scale benchmarks with the fast profile (our own overhead, not the model's): stores, cluster, updates.

Run with `.venv/bin/pytest tests/benchmarks/test_bench_scale.py --benchmark-only`. Sizes come from
`BENCH_SCALE_SIZES` (default "1000,10000"; add 100000 for the +100 figure of the issue, whose
first, untimed setup run takes a long while). Figures are recorded in build/bench/results.json.

- `test_whole_run_by_store`: one whole run on SQLite, on PostgreSQL, and on PostgreSQL with a
  2-worker local Dask cluster, each as a ratio to the bare fast model over the same texts.
- `test_plus_100`: 100 new files beside a finished corpus; time and the client's peak memory.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench_support import BENCH, COMPLETE_MARKER, MIB, CliRun, corpus, record, run_cli
from support.postgres import PostgresServer, postgres_bin, start_server

from pipeline.extract.ner import chunks, load_model
from pipeline.schema.models import ARTICLE_FIELDS
from pipeline.settings import Settings

FAST = ("--profile", "fast")
STORES = ("sqlite", "postgres", "postgres+dask")
NEW_ARTICLES = 100


def scale_sizes() -> list[int]:
    return [int(size) for size in os.environ.get("BENCH_SCALE_SIZES", "1000,10000").split(",")]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed")
    server = start_server()
    yield server
    server.stop()


def scale_settings(state: Path, raw: Path, database_url: str | None = None) -> Settings:
    return Settings(
        raw_dir=raw,
        dist_dir=state / "dist",
        database_url=database_url or f"sqlite:///{state / 'work.db'}",
        profile="fast",
        processes=1,
        progress=False,
    )


def bare_fast_model_seconds(settings: Settings) -> tuple[float, int]:
    """The fast model alone over the texts a run gives it (read back from the run's release)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
    columns = ", ".join(ARTICLE_FIELDS)
    rows = connection.execute(f"SELECT {columns}, word_count FROM articles").fetchall()
    connection.close()
    texts = [piece for row in rows for value in row[:-1] for _offset, piece in chunks(value or "")]
    nlp = load_model(settings.model, settings.excluded_components)
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=settings.batch_size):
        pass
    return time.perf_counter() - started, sum(row[-1] for row in rows)


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("count", scale_sizes()[:1])
def test_whole_run_by_store(benchmark: Any, postgres: PostgresServer, count: int, store: str) -> None:
    raw = corpus(count)
    state = BENCH / f"scale-{store}-{count}"
    runs: list[CliRun] = []

    def setup() -> None:
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        url = postgres.database() if store.startswith("postgres") else None
        setup_settings.append(scale_settings(state, raw, url))

    setup_settings: list[Settings] = []
    extra = (*FAST, "--cluster", "local:2") if store.endswith("dask") else FAST
    benchmark.pedantic(
        lambda: runs.append(run_cli(setup_settings[-1], extra=extra)), setup=setup, rounds=1, iterations=1
    )
    settings = setup_settings[-1]
    model_seconds, words = bare_fast_model_seconds(settings)
    seconds = runs[-1].seconds
    figures = {
        "articles": count,
        "words": words,
        "seconds": round(seconds, 1),
        "bare_model_seconds": round(model_seconds, 1),
        "ratio_to_bare_model": round(model_seconds / seconds, 3),
        "peak_rss_mib": round(runs[-1].peak_rss / MIB),
    }
    benchmark.extra_info.update(figures)
    record(f"scale_whole_run_{store}_{count}", **figures)


def finished_fast_run(count: int) -> Path:
    """A complete fast-profile run over the `count` corpus on SQLite (untimed, cached)."""
    state = BENCH / f"fast-state-{count}"
    if not (state / COMPLETE_MARKER).exists():
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        run_cli(scale_settings(state, corpus(count)), extra=FAST)
        (state / COMPLETE_MARKER).touch()
    return state


@pytest.mark.parametrize("count", scale_sizes())
def test_plus_100(benchmark: Any, count: int) -> None:
    source = finished_fast_run(count)
    state = BENCH / f"fast-plus-{count}"
    settings = scale_settings(state, corpus(count, extra=NEW_ARTICLES))
    runs: list[CliRun] = []

    def setup() -> None:
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(source, state)

    benchmark.pedantic(
        lambda: runs.append(run_cli(settings, extra=FAST)), setup=setup, rounds=1, iterations=1
    )
    last = runs[-1]
    assert last.number(r"enrich: (\d+) of") == NEW_ARTICLES
    figures = {
        "articles": count,
        "seconds": round(last.seconds, 1),
        "peak_rss_mib": round(last.peak_rss / MIB),
    }
    benchmark.extra_info.update(figures)
    record(f"scale_plus_{NEW_ARTICLES}_{count}", **figures)
