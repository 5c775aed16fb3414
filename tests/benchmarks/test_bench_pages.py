"""The reading pages at scale: article and entity pages, search and canned queries (target < 100 ms).

Median of 30 requests through Datasette's in-process client, over the release of a finished run of
the generated corpus (10,000 articles by default: `BENCH_SIZES`), with the plugin's pages, after a
few warm-up requests. Skipped in the default run (`--benchmark-skip`); run with
`pytest tests/benchmarks/test_bench_pages.py --benchmark-enable -p no:cacheprovider`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from bench_support import BENCH, corpus, finished_run, record, settings_in, sizes

from pipeline.outputs.datasette import make_datasette
from pipeline.outputs.sqlite_release import READING_INDEXES
from pipeline.schema.describe import write_metadata

TARGET_MS = 100
ROUNDS = 30
REPLICATE = os.environ.get("BENCH_PAGES_REPLICATE", "")
"""A size (e.g. 1000): serve that run's release copied until it has `count` articles, when a whole
run at `count` takes too long (ids get a copy number; entities keep theirs, so each entity has
`count / size` times the mentions and articles, as in a real corpus that size)."""
ID_COLUMNS = ("id", "article_id", "near_duplicate_of", "speaker_mention_id")
COPIED_TABLES = ("articles", "removed_segments", "mentions", "quotes")


def replicated_release(source: Path, copies: int, target: Path) -> Path:
    """`source`'s news.db with every article (and its rows) `copies` times; returns the new dist."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "news.db", target / "news.db")
    write_metadata(target / "datasette-metadata.json")  # today's canned queries
    with closing(sqlite3.connect(target / "news.db")) as db:
        last = {
            table: db.execute(f"select max(rowid) from {table}").fetchone()[0] or 0 for table in COPIED_TABLES
        }
        for copy in range(1, copies):
            for table in COPIED_TABLES:
                columns = [row[1] for row in db.execute(f"pragma table_info({table})")]
                values = [
                    f"case when {c} is null then null else substr({c}, 1, 13) || 'x{copy:02x}' end"
                    if c in ID_COLUMNS
                    else f'"{c}"'
                    for c in columns
                ]
                quoted = ", ".join(f'"{c}"' for c in columns)
                select = f"select {', '.join(values)} from {table} where rowid <= ?"
                db.execute(f"insert into {table} ({quoted}) {select}", (last[table],))
        db.execute(f"update entities set mention_count = mention_count * {copies}")
        db.execute(f"update entities set article_count = article_count * {copies}")
        db.execute("insert into articles_fts(articles_fts) values ('rebuild')")
        indexes = {row[0] for row in db.execute("select name from sqlite_master where type = 'index'")}
        for sql in READING_INDEXES:  # a release built today has them all
            if sql.split()[2] not in indexes:
                db.execute(sql)
        db.commit()
        db.execute("analyze")
    return target


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
    if REPLICATE:
        size = int(REPLICATE)
        base = settings_in(finished_run(size), corpus(size))
        dist = replicated_release(base.dist_dir, count // size, BENCH / f"pages-{size}x{count // size}")
        settings = base.model_copy(update={"dist_dir": dist})
    else:
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
