"""Whole-run benchmarks: `pipeline run` against the bare spaCy model, re-runs, new articles, memory.

Run with `.venv/bin/pytest tests/benchmarks --benchmark-only` (add `-k 1k` or `-k 10k` for one size).
Each round of the whole run is paired with a round of the bare model, run just before it.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path
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
    short_corpus,
    sizes,
    whole_run_rounds,
)

from pipeline.extract.ner import chunks
from pipeline.schema.models import ARTICLE_FIELDS
from pipeline.settings import Settings

SIZES = sizes()
NEW_ARTICLES = 100


def cleaned_texts(raw: Path) -> tuple[list[str], int]:
    """The texts the pipeline gives the model (title, dateline, author, body pieces) and the words.

    Read from a cached ingest + clean of the same corpus, so the bare model sees exactly them.
    """
    state = BENCH / f"clean-{raw.name}"
    if not (state / COMPLETE_MARKER).exists():
        reset_state(state)
        settings = settings_in(state, raw)
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


class BareModel:
    """spaCy alone: `nlp.pipe` over the cleaned texts, same NER components and processes as the pipeline."""

    def __init__(self, raw: Path) -> None:
        import spacy

        settings = Settings()
        self.texts, self.words = cleaned_texts(raw)
        self.batch_size = settings.batch_size
        self.nlp = spacy.load(settings.model, exclude=list(settings.excluded_components))
        self.rounds: list[float] = []

    def run(self) -> int:
        started = time.perf_counter()
        entities = sum(
            len(doc.ents)
            for doc in self.nlp.pipe(self.texts, batch_size=self.batch_size, n_process=PROCESSES)
        )
        self.rounds.append(time.perf_counter() - started)
        return entities


def paired_whole_runs(benchmark: Any, raw: Path, state: Path, count: int, rounds: int) -> dict[str, Any]:
    """Rounds of (the bare model, then `pipeline run` from an empty working database); the figures.

    The two are measured in pairs, the bare model just before each round of the whole run, so
    both see the same machine: on a shared virtual machine the speed of the cores drifts by
    ±15% over minutes, more than the difference being measured. The headline ratio is the
    median of the pairs' ratios.
    """
    settings = settings_in(state, raw)
    bare = BareModel(raw)
    runs: list[CliRun] = []

    def bare_model_then_fresh_state() -> None:
        assert bare.run() > count
        (state / COMPLETE_MARKER).unlink(missing_ok=True)
        reset_state(state)

    benchmark.pedantic(
        lambda: runs.append(run_cli(settings)), setup=bare_model_then_fresh_state, rounds=rounds, iterations=1
    )
    (state / COMPLETE_MARKER).touch()
    last = runs[-1]
    assert last.number(r"enrich: (\d+) of \d+ articles") == count
    words = last.number(r"\(([\d,]+) words")
    assert words == bare.words, "the bare model and the pipeline must see the same words"
    seconds = median(benchmark)
    bare_seconds = statistics.median(bare.rounds)
    pair_ratios = [model / run.seconds for model, run in zip(bare.rounds, runs, strict=True)]
    return {
        "articles": count,
        "words": words,
        "words_per_s": round(words / seconds),
        "bare_model_s": round(bare_seconds, 1),
        "bare_model_words_per_s": round(words / bare_seconds),
        "bare_model_round_seconds": [round(model, 1) for model in bare.rounds],
        "round_seconds": [round(run.seconds, 1) for run in runs],
        "pair_ratios": [round(ratio, 3) for ratio in pair_ratios],
        "ratio_vs_bare_model": round(statistics.median(pair_ratios), 3),
        "processes": PROCESSES,
        "peak_rss_mib": round(max(run.peak_rss for run in runs) / MIB),
        "peak_pss_mib": round(max(run.peak_pss for run in runs) / MIB),
    }


def reruns(benchmark: Any, raw: Path, source: Path, state: Path) -> tuple[float, list[CliRun]]:
    """Three unchanged `pipeline run`s, each from a copy of the finished run in `source`."""
    settings = settings_in(state, raw)
    runs: list[CliRun] = []
    benchmark.pedantic(
        lambda: runs.append(run_cli(settings)),
        setup=lambda: copy_state(source, state),
        rounds=3,
        iterations=1,
    )
    assert runs[-1].number(r"enrich: (\d+) of \d+ articles") == 0
    assert runs[-1].number(r"(\d+) new contents") == 0
    return median(benchmark), runs


@pytest.mark.parametrize("count", SIZES)
def test_whole_run(benchmark: Any, count: int) -> None:
    """`pipeline run` from nothing (ingest, clean, enrich, release) against the bare model."""
    figures = paired_whole_runs(
        benchmark, corpus(count), BENCH / f"state-{count}", count, whole_run_rounds(count)
    )
    benchmark.extra_info.update(figures)
    record(f"whole_run_{count}", median_s=median(benchmark), **figures)


SHORT_COUNT = 1000


def test_whole_run_short_articles(benchmark: Any) -> None:
    """The whole run against the bare model on 1,000 short articles (~190 words each), where the
    run's fixed costs (start-up, ingest, clean, the release) weigh most; five pairs."""
    raw = short_corpus(SHORT_COUNT)
    figures = paired_whole_runs(benchmark, raw, BENCH / "state-short", SHORT_COUNT, 5)
    benchmark.extra_info.update(figures)
    record("whole_run_short", median_s=median(benchmark), **figures)


def test_rerun_unchanged_short_articles(benchmark: Any) -> None:
    """An unchanged re-run of the short corpus, as a share of its whole run (measured just before)."""
    raw = short_corpus(SHORT_COUNT)
    source = BENCH / "state-short"
    if not (source / COMPLETE_MARKER).exists():
        reset_state(source)
        run_cli(settings_in(source, raw))
        (source / COMPLETE_MARKER).touch()
    seconds, runs = reruns(benchmark, raw, source, BENCH / "rerun-short")
    figures: dict[str, Any] = {
        "articles": SHORT_COUNT,
        "peak_rss_mib": round(max(r.peak_rss for r in runs) / MIB),
    }
    full = recorded("whole_run_short")
    if full is not None:
        figures["percent_of_full_run"] = round(100 * seconds / full["median_s"], 2)
    benchmark.extra_info.update(figures)
    record("rerun_short", median_s=seconds, **figures)


@pytest.mark.parametrize("count", SIZES)
def test_rerun_unchanged(benchmark: Any, count: int) -> None:
    """`pipeline run` again over the same corpus: nothing goes through the model."""
    seconds, runs = reruns(benchmark, corpus(count), finished_run(count), BENCH / f"rerun-{count}")
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
