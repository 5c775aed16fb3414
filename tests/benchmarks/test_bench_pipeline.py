"""Whole-run benchmarks: `pipeline run` against the bare spaCy model, re-runs, new articles, memory.

Run with `.venv/bin/pytest tests/benchmarks --benchmark-only` (add `-k 1k` or `-k 10k` for one size).
The bare model runs first in each size so the whole run's words/s can be set against it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from bench_support import (
    BENCH,
    COMPLETE_MARKER,
    MIB,
    PROCESSES,
    CliRun,
    copy_state,
    corpus,
    finished_run,
    record,
    recorded,
    reset_state,
    run_cli,
    settings_in,
    sizes,
    whole_run_rounds,
)

from pipeline.enrich import chunks
from pipeline.models import ARTICLE_FIELDS
from pipeline.settings import Settings

SIZES = sizes()
NEW_ARTICLES = 100


def cleaned_texts(count: int) -> tuple[list[str], int]:
    """The texts the pipeline gives the model (title, dateline, author, body pieces) and the words.

    Read from a cached ingest + clean of the same corpus, so the bare model sees exactly them.
    """
    state = BENCH / f"clean-{count}"
    if not (state / COMPLETE_MARKER).exists():
        reset_state(state)
        settings = settings_in(state, corpus(count))
        run_cli(settings, "ingest")
        run_cli(settings, "clean")
        (state / COMPLETE_MARKER).touch()
    connection = sqlite3.connect(f"file:{state / 'work.db'}?mode=ro", uri=True)
    try:
        columns = ", ".join(ARTICLE_FIELDS)
        rows = connection.execute(f"SELECT {columns}, word_count FROM articles ORDER BY id").fetchall()
    finally:
        connection.close()
    texts = [piece for row in rows for value in row[:-1] for _offset, piece in chunks(value or "")]
    return texts, sum(row[-1] for row in rows)


def median(benchmark: Any) -> float:
    return benchmark.stats.stats.median


@pytest.mark.parametrize("count", SIZES)
def test_bare_model(benchmark: Any, count: int) -> None:
    """spaCy alone: `nlp.pipe` over the cleaned texts, same components and processes as the pipeline."""
    import spacy

    settings = Settings()
    texts, words = cleaned_texts(count)
    nlp = spacy.load(settings.model, exclude=list(settings.excluded_components))

    def run_model() -> int:
        return sum(
            len(doc.ents) for doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=PROCESSES)
        )

    entities = benchmark.pedantic(run_model, rounds=whole_run_rounds(count), iterations=1)
    assert entities > count
    seconds = median(benchmark)
    benchmark.extra_info.update(
        articles=count,
        texts=len(texts),
        words=words,
        words_per_s=round(words / seconds),
        pipes=nlp.pipe_names,
        processes=PROCESSES,
    )
    record(f"bare_model_{count}", median_s=seconds, words=words, words_per_s=words / seconds)


@pytest.mark.parametrize("count", SIZES)
def test_whole_run(benchmark: Any, count: int) -> None:
    """`pipeline run` from an empty working database: ingest, clean, enrich, release."""
    state = BENCH / f"state-{count}"
    settings = settings_in(state, corpus(count))
    runs: list[CliRun] = []

    def fresh_state() -> None:
        (state / COMPLETE_MARKER).unlink(missing_ok=True)
        reset_state(state)

    benchmark.pedantic(
        lambda: runs.append(run_cli(settings)),
        setup=fresh_state,
        rounds=whole_run_rounds(count),
        iterations=1,
    )
    (state / COMPLETE_MARKER).touch()
    last = runs[-1]
    assert last.number(r"enrich: (\d+) of \d+ articles") == count
    words = last.number(r"\(([\d,]+) words")
    seconds = median(benchmark)
    figures: dict[str, Any] = {
        "articles": count,
        "words": words,
        "words_per_s": round(words / seconds),
        "peak_rss_mib": round(max(run.peak_rss for run in runs) / MIB),
        "peak_pss_mib": round(max(run.peak_pss for run in runs) / MIB),
        "round_seconds": [round(run.seconds, 1) for run in runs],
    }
    bare = recorded(f"bare_model_{count}")
    if bare is not None and bare["words"] == words:
        figures["bare_model_words_per_s"] = round(bare["words_per_s"])
        figures["ratio_vs_bare_model"] = round((words / seconds) / bare["words_per_s"], 3)
    benchmark.extra_info.update(figures)
    record(f"whole_run_{count}", median_s=seconds, **figures)


@pytest.mark.parametrize("count", SIZES)
def test_rerun_unchanged(benchmark: Any, count: int) -> None:
    """`pipeline run` again over the same corpus: nothing goes through the model."""
    source = finished_run(count)
    state = BENCH / f"rerun-{count}"
    settings = settings_in(state, corpus(count))
    runs: list[CliRun] = []
    benchmark.pedantic(
        lambda: runs.append(run_cli(settings)),
        setup=lambda: copy_state(source, state),
        rounds=3,
        iterations=1,
    )
    assert runs[-1].number(r"enrich: (\d+) of \d+ articles") == 0
    assert runs[-1].number(r"(\d+) new contents") == 0
    seconds = median(benchmark)
    figures: dict[str, Any] = {"articles": count, "peak_rss_mib": round(max(r.peak_rss for r in runs) / MIB)}
    full = recorded(f"whole_run_{count}")
    if full is not None:
        figures["percent_of_full_run"] = round(100 * seconds / full["median_s"], 2)
    benchmark.extra_info.update(figures)
    record(f"rerun_{count}", median_s=seconds, **figures)


@pytest.mark.parametrize("count", SIZES)
def test_new_articles_only(benchmark: Any, count: int) -> None:
    """100 new files beside a finished corpus: only they are cleaned and go through the model."""
    source = finished_run(count)
    state = BENCH / f"plus-{count}"
    settings = settings_in(state, corpus(count, extra=NEW_ARTICLES))
    runs: list[CliRun] = []
    benchmark.pedantic(
        lambda: runs.append(run_cli(settings)),
        setup=lambda: copy_state(source, state),
        rounds=3,
        iterations=1,
    )
    last = runs[-1]
    assert last.number(r"(\d+) new contents") == NEW_ARTICLES
    assert last.number(r"\((\d+) cleaned") == NEW_ARTICLES
    assert last.number(r"enrich: (\d+) of") == NEW_ARTICLES
    assert last.number(r"enrich: \d+ of (\d+) articles") == count + NEW_ARTICLES
    seconds = median(benchmark)
    benchmark.extra_info.update(
        articles=count, new=NEW_ARTICLES, peak_rss_mib=round(max(r.peak_rss for r in runs) / MIB)
    )
    record(f"plus_{NEW_ARTICLES}_{count}", median_s=seconds)
