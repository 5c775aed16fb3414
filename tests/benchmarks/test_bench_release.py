"""Release and serving benchmarks: building dist/news.db, Datasette pages, bulk mention inserts."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from bench_support import BENCH, corpus, finished_run, record, settings_in, sizes
from sqlalchemy import delete, insert, select

from pipeline.outputs.datasette import make_datasette
from pipeline.schema.models import Mention
from pipeline.stages.release import build_release
from pipeline.store.engine import make_engine

SIZES = sizes()
TARGET_MS = 50


@pytest.mark.parametrize("count", SIZES)
def test_release_build(benchmark: Any, count: int) -> None:
    """`build_release` from a finished working database into an empty dist folder."""
    source = finished_run(count)
    settings = settings_in(source, corpus(count)).model_copy(update={"dist_dir": BENCH / f"release-{count}"})
    engine = make_engine(settings.database_url)

    def empty_dist() -> None:
        shutil.rmtree(settings.dist_dir, ignore_errors=True)

    try:
        report = benchmark.pedantic(
            lambda: build_release(engine, settings, "bench-model"), setup=empty_dist, rounds=3, iterations=1
        )
    finally:
        engine.dispose()
    assert report.counts["articles"] == count
    size_mib = settings.release_path.stat().st_size / 2**20
    benchmark.extra_info.update(
        articles=count, mentions=report.counts["mentions"], size_mib=round(size_mib, 1)
    )
    record(f"release_{count}", median_s=benchmark.stats.stats.median, size_mib=size_mib)


@pytest.fixture(scope="module", params=SIZES)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[int, Any, dict[str, str]]]:
    """A Datasette app over a finished run's release, and a real path of each kind of page."""
    count = request.param
    state = finished_run(count)
    settings = settings_in(state, corpus(count))
    connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
    try:
        entity = connection.execute(
            "SELECT id FROM entities ORDER BY mention_count DESC, id LIMIT 1"
        ).fetchone()[0]
        article = connection.execute(
            "SELECT id FROM articles ORDER BY word_count DESC, id LIMIT 1"
        ).fetchone()[0]
        # The worst case: the most-mentioned place, a word in most articles.
        term = connection.execute(
            "SELECT name FROM entities WHERE type = 'GPE' ORDER BY mention_count DESC LIMIT 1"
        ).fetchone()[0]
        # A typical search: a person's full name that finds about one article in a hundred (the
        # entity's article count alone can pick a model error such as "Bill In", a common phrase).
        candidates = connection.execute(
            "SELECT name FROM entities WHERE type = 'PERSON' AND name LIKE '% %'"
            " ORDER BY abs(article_count - ? / 100.0), id LIMIT 20",
            (count,),
        ).fetchall()
        person = min(
            (name for (name,) in candidates),
            key=lambda name: abs(
                connection.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (f'"{name}"',)
                ).fetchone()[0]
                - count / 100
            ),
        )
    finally:
        connection.close()
    paths = {
        "entity": f"/news/entities/{entity}",
        "article": f"/news/articles/{article}",
        "search": f"/news/articles?_search={term.split()[0]}",
        "search-name": f"/news/articles?_search=%22{quote(person)}%22",
    }
    yield count, make_datasette(settings), paths


@pytest.mark.parametrize("page", ["entity", "article", "search", "search-name"])
def test_datasette_page(benchmark: Any, served: tuple[int, Any, dict[str, str]], page: str) -> None:
    """Median response time of one Datasette page through its test client (target < 50 ms)."""
    count, datasette, paths = served
    loop = asyncio.new_event_loop()

    def request() -> int:
        return loop.run_until_complete(datasette.client.get(paths[page])).status_code

    try:
        statuses = {request() for _ in range(3)}  # warm the caches a first visitor pays for
        statuses.add(benchmark.pedantic(request, rounds=30, iterations=1))
    finally:
        loop.close()
    assert statuses == {200}
    milliseconds = benchmark.stats.stats.median * 1000
    benchmark.extra_info.update(
        articles=count,
        path=paths[page],
        median_ms=round(milliseconds, 1),
        target_met=milliseconds < TARGET_MS,
    )
    record(f"datasette_{page}_{count}", median_ms=milliseconds, path=paths[page])


def test_bulk_mention_inserts(benchmark: Any, tmp_path: Any) -> None:
    """Mentions of the 1,000-article run written back with one Core executemany in one transaction."""
    source = finished_run(min(param.values[0] for param in SIZES))
    shutil.copy2(source / "work.db", tmp_path / "work.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'work.db'}")
    with engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(select(Mention.__table__)).mappings()]

    def no_mentions() -> None:
        with engine.begin() as connection:
            connection.execute(delete(Mention))

    def insert_all() -> None:
        with engine.begin() as connection:
            connection.execute(insert(Mention), rows)

    try:
        benchmark.pedantic(insert_all, setup=no_mentions, rounds=5, iterations=1)
        with engine.connect() as connection:
            assert connection.execute(select(Mention.id)).all().__len__() == len(rows)
    finally:
        engine.dispose()
    per_second = len(rows) / benchmark.stats.stats.median
    benchmark.extra_info.update(rows=len(rows), rows_per_s=round(per_second))
    record("bulk_mention_inserts", rows=len(rows), rows_per_s=per_second)
