"""Scale benchmarks with the fast profile (our own overhead, not the model's): stores, cluster, updates.

Run with `.venv/bin/pytest tests/benchmarks/test_bench_scale.py --benchmark-only`. Sizes come from
`BENCH_SCALE_SIZES` (default "1000,10000"; add 100000 for the +100 figure of the issue, whose
first, untimed setup run takes a long while); the store comparison runs the first size, with the
profile `BENCH_SCALE_PROFILE` ("fast" by default, "accurate" for the real model). Figures are
recorded in build/bench/results.json.

- `test_whole_run_by_store`: one whole run on SQLite, on PostgreSQL, and on PostgreSQL with a
  2-worker local Dask cluster, each as a ratio to the bare model (of the profile) over the same
  texts; `BENCH_SCALE_WORDS=190` cuts the articles short.
- `test_plus_100`: 100 new files beside a finished corpus, or in a new folder of it; time, how many
  articles enrich and resolve took again, and the client's peak memory.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench_support import BENCH, COMPLETE_MARKER, MIB, CliRun, corpus, record, run_cli, short_corpus
from support.postgres import PostgresServer, postgres_bin, start_server

from pipeline.extract.ner import chunks, load_model
from pipeline.schema.models import ARTICLE_FIELDS
from pipeline.settings import Settings

PROFILE = os.environ.get("BENCH_SCALE_PROFILE", "fast")
"""The whole-run comparison's profile: "fast" (our overhead) or "accurate" (the real model)."""
BY_STORE_WORDS = int(os.environ.get("BENCH_SCALE_WORDS", "0"))
"""The store comparison's articles cut after this many words (`bench_support.short_corpus`); 0
keeps them whole. With the accurate model, 10,000 short articles take minutes a store, whole ones
a quarter of an hour."""
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


def scale_settings(
    state: Path, raw: Path, database_url: str | None = None, profile: str = "fast", processes: int = 1
) -> Settings:
    return Settings(
        raw_dir=raw,
        dist_dir=state / "dist",
        database_url=database_url or f"sqlite:///{state / 'work.db'}",
        profile=profile,
        processes=processes,
        progress=False,
    )


def bare_model_seconds(settings: Settings) -> tuple[float, int]:
    """The model alone (2 processes) over the texts a run gives it (read back from the release)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
    columns = ", ".join(ARTICLE_FIELDS)
    rows = connection.execute(f"SELECT {columns}, word_count FROM articles").fetchall()
    connection.close()
    texts = [piece for row in rows for value in row[:-1] for _offset, piece in chunks(value or "")]
    nlp = load_model(settings.model, settings.excluded_components)
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=2):
        pass
    return time.perf_counter() - started, sum(row[-1] for row in rows)


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("count", scale_sizes()[:1])
def test_whole_run_by_store(benchmark: Any, postgres: PostgresServer, count: int, store: str) -> None:
    raw = short_corpus(count, BY_STORE_WORDS) if BY_STORE_WORDS else corpus(count)
    state = BENCH / f"scale-{PROFILE}-{store}-{raw.name}"
    runs: list[CliRun] = []

    def setup() -> None:
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        url = postgres.database() if store.startswith("postgres") else None
        setup_settings.append(scale_settings(state, raw, url, PROFILE, processes=2))

    setup_settings: list[Settings] = []
    profile = ("--profile", PROFILE)
    extra = (*profile, "--cluster", "local:2") if store.endswith("dask") else profile
    benchmark.pedantic(
        lambda: runs.append(run_cli(setup_settings[-1], extra=extra)), setup=setup, rounds=1, iterations=1
    )
    settings = setup_settings[-1]
    model_seconds, words = bare_model_seconds(settings)
    seconds = runs[-1].seconds
    figures = {
        "articles": count,
        "corpus": raw.name,
        "words": words,
        "seconds": round(seconds, 1),
        "bare_model_seconds": round(model_seconds, 1),
        "ratio_to_bare_model": round(model_seconds / seconds, 3),
        "peak_rss_mib": round(runs[-1].peak_rss / MIB),
    }
    benchmark.extra_info.update(figures)
    record(f"scale_whole_run_{PROFILE}_{store}_{raw.name}", **figures)


def finished_fast_run(count: int) -> Path:
    """A complete fast-profile run over the `count` corpus on SQLite (untimed, cached; on both
    cores, which gives the same state as one)."""
    state = BENCH / f"fast-state-{count}"
    if not (state / COMPLETE_MARKER).exists():
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        run_cli(scale_settings(state, corpus(count), processes=2), extra=FAST)
        (state / COMPLETE_MARKER).touch()
    return state


PLACEMENTS = {"beside": "", "new-folder": "batch2"}
"""Where the 100 new files go: beside the others (the same site, so clean's furniture counts
change for every page of it), or in a folder of their own (a new site: only they are new)."""


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("count", scale_sizes())
def test_plus_100(benchmark: Any, count: int, placement: str) -> None:
    source = finished_fast_run(count)
    state = BENCH / f"fast-plus-{count}-{placement}"
    settings = scale_settings(state, corpus(count, extra=NEW_ARTICLES, extra_folder=PLACEMENTS[placement]))
    runs: list[CliRun] = []

    def setup() -> None:
        shutil.rmtree(state, ignore_errors=True)
        shutil.copytree(source, state)

    benchmark.pedantic(
        lambda: runs.append(run_cli(settings, extra=FAST)), setup=setup, rounds=1, iterations=1
    )
    last = runs[-1]
    enriched = last.number(r"enrich: (\d+) of")
    assert enriched == NEW_ARTICLES or placement == "beside"
    figures = {
        "articles": count,
        "enriched": enriched,
        "resolved": last.number(r"\(([\d,]+) articles? counted again\)"),
        "seconds": round(last.seconds, 1),
        "peak_rss_mib": round(last.peak_rss / MIB),
    }
    benchmark.extra_info.update(figures)
    record(f"scale_plus_{NEW_ARTICLES}_{count}_{placement}", **figures)


TEMPLATE_PAGES = 20_000


def template_pages() -> Path:
    """Issue 19's case: 20,000 tiny files from one template (every pair a near-duplicate)."""
    folder = BENCH / f"template-{TEMPLATE_PAGES}"
    if not (folder / COMPLETE_MARKER).exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index in range(TEMPLATE_PAGES):
            (folder / f"page{index:05d}.txt").write_text(
                f"Archive page {index}\n\nThis page is part of the archive of the Daily Example. "
                f"Nothing else is on page {index}.\n",
                encoding="utf-8",
            )
        (folder / COMPLETE_MARKER).touch()
    return folder


def test_template_pages_clean(benchmark: Any) -> None:
    """Clean's time and peak memory (all processes) when every article nearly duplicates every other."""
    state = BENCH / "template-state"
    settings = scale_settings(state, template_pages())
    runs: list[CliRun] = []

    def setup() -> None:
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        run_cli(settings, "ingest")

    benchmark.pedantic(lambda: runs.append(run_cli(settings, "clean")), setup=setup, rounds=1, iterations=1)
    assert runs[-1].number(r"clean: (\d+) articles") == TEMPLATE_PAGES
    figures = {"seconds": round(runs[-1].seconds, 1), "peak_rss_mib": round(runs[-1].peak_rss / MIB)}
    benchmark.extra_info.update(figures)
    record("template_pages_clean", **figures)
