"""The reading pages at scale: article and entity pages, search and canned queries (target < 100 ms).

Median of 30 requests through Datasette's in-process client, over the release of a finished run of
the generated corpus (10,000 articles by default: `BENCH_SIZES`), with the plugin's pages, after a
few warm-up requests. Skipped in the default run (`--benchmark-skip`); run with
`pytest tests/benchmarks/test_bench_pages.py --benchmark-enable -p no:cacheprovider`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any
from urllib.parse import quote

import pytest
from bench_support import corpus, finished_run, record, settings_in, sizes

from pipeline.outputs.datasette import make_datasette

TARGET_MS = 100
ROUNDS = 30


def page_paths(release: sqlite3.Connection) -> dict[str, str]:
    """A real path of each page: the heaviest entity and article, and the queries a reader runs."""
    entity, name = release.execute(
        "select id, name from entities order by mention_count desc, id limit 1"
    ).fetchone()
    (median_entity,) = release.execute(
        "select id from entities where type = 'PERSON' order by mention_count desc, id"
        " limit 1 offset (select count(*) / 2 from entities where type = 'PERSON')"
    ).fetchone()
    (article,) = release.execute(
        "select article_id from mentions group by article_id order by count(*) desc, article_id limit 1"
    ).fetchone()
    word = quote(name.split()[-1].lower())
    return {
        "entity-top": f"/news/entities/{entity}",
        "entity-median": f"/news/entities/{median_entity}",
        "article-most-mentions": f"/news/articles/{article}",
        "search-query": f"/news/search_articles?q={quote(name)}",
        "entity-profile": f"/news/entity_profile?entity={word}",
        "co-mention-network": "/news/co_mention_network?type=person&entity=",
    }


@pytest.fixture(scope="module", params=sizes())
def served(request: pytest.FixtureRequest) -> Iterator[tuple[int, Any, dict[str, str]]]:
    count = request.param
    settings = settings_in(finished_run(count), corpus(count))
    with closing(sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)) as release:
        paths = page_paths(release)
    yield count, make_datasette(settings), paths


@pytest.mark.parametrize(
    "page",
    [
        "entity-top",
        "entity-median",
        "article-most-mentions",
        "search-query",
        "entity-profile",
        "co-mention-network",
    ],
)
def test_reading_page(benchmark: Any, served: tuple[int, Any, dict[str, str]], page: str) -> None:
    count, datasette, paths = served
    loop = asyncio.new_event_loop()

    def fetch() -> int:
        return loop.run_until_complete(datasette.client.get(paths[page])).status_code

    try:
        statuses = {fetch() for _ in range(3)}
        statuses.add(benchmark.pedantic(fetch, rounds=ROUNDS, iterations=1))
    finally:
        loop.close()
    assert statuses == {200}
    milliseconds = benchmark.stats.stats.median * 1000
    benchmark.extra_info.update(articles=count, path=paths[page], median_ms=round(milliseconds, 1))
    record(f"page_{page}_{count}", median_ms=milliseconds, path=paths[page], target_ms=TARGET_MS)
