"""Site furniture counted by difference equals the one-pass count, round after round of changes."""

from __future__ import annotations

import hashlib
import random

import pytest
from sqlalchemy import Engine, insert, select

from pipeline.corpus.site_lines import Page, site_furniture
from pipeline.schema.models import RawDocument, WorkSitePage
from pipeline.sources.furniture import furniture_by_site
from pipeline.store.upsert import insert_missing

MENU = (
    "Home | News | Politics | Sport",
    "Subscribe to our newsletter",
    "Share on WhatsApp",
    "Related Stories",
)


@pytest.fixture
def engine(store_engine: Engine) -> Engine:
    return store_engine


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def page_text(rng: random.Random, number: int) -> str:
    """Some of the site's menu lines (in other spacing and case now and then) around lines of its own."""
    menu = [line.upper() if rng.random() < 0.1 else line for line in MENU if rng.random() < 0.7]
    own = [f"Paragraph {number}-{k} of a story about the county budget." for k in range(rng.randint(1, 4))]
    return "\n".join([*menu[:2], *own, *menu[2:], "  Share   on WhatsApp  " if rng.random() < 0.2 else ""])


def site_of(page: Page, sidecar_text: str | None) -> str:
    return f"outlet:{sidecar_text}" if sidecar_text else "folder:" + page.path.rpartition("/")[0]


def test_counts_kept_by_difference_find_what_counting_every_page_finds(engine: Engine) -> None:
    rng = random.Random(7)
    pages: dict[str, Page] = {}
    texts: dict[str, str] = {}
    number = 0
    for round_number in range(12):
        # new pages in a few folders, some with an outlet sidecar (two outlets)
        for _ in range(rng.randint(3, 12)):
            number += 1
            text = page_text(rng, number)
            sidecar = rng.choice([None, None, "Daily Courier", "Evening Post"])
            page = Page(sha(text), f"{rng.choice('abc')}/{number:04d}.txt", sha(sidecar) if sidecar else None)
            pages[page.sha256], texts[page.sha256] = page, text
            if sidecar:
                texts[sha(sidecar)] = sidecar
        for victim in rng.sample(sorted(pages), k=min(len(pages), rng.randint(0, 3))):
            del pages[victim]  # a file deleted
        for moved in rng.sample(sorted(pages), k=min(len(pages), rng.randint(0, 2))):
            page = pages[moved]  # a file moved to another folder, or its sidecar changed
            if rng.random() < 0.5:
                pages[moved] = Page(
                    page.sha256, f"{rng.choice('abcd')}/{page.path.rpartition('/')[2]}", page.sidecar_sha256
                )
            else:
                pages[moved] = Page(
                    page.sha256, page.path, None if page.sidecar_sha256 else sha("Evening Post")
                )
                texts[sha("Evening Post")] = "Evening Post"
        current = [pages[key] for key in sorted(pages)]
        with engine.begin() as connection:
            rows = [
                {"sha256": key, "size": len(text), "text": text, "first_seen_at": "now"}
                for key, text in texts.items()
            ]
            insert_missing(connection, RawDocument, rows, ("sha256",))
            found = site_furniture(connection, current, site_of, "v1", min_pages=3, min_share=0.2)
        sidecar_text = {page.sha256: texts.get(page.sidecar_sha256 or "") for page in current}
        expected_sites = {page.sha256: site_of(page, sidecar_text[page.sha256]) for page in current}
        expected = furniture_by_site(
            ((expected_sites[p.sha256], texts[p.sha256]) for p in current), min_pages=3, min_share=0.2
        )
        assert found.site_of == expected_sites, round_number
        assert found.lines == {site: frozenset(lines) for site, lines in expected.items() if lines}, (
            round_number
        )
    assert any(found.lines.values())
    with engine.connect() as connection:
        assert len(connection.execute(select(WorkSitePage.sha256)).all()) == len(pages)


def test_another_code_version_counts_every_page_again(migrated_engine: Engine) -> None:
    texts = {sha(f"{MENU[0]}\nStory {n}."): f"{MENU[0]}\nStory {n}." for n in range(4)}
    pages = [Page(key, f"x/{n}.txt", None) for n, key in enumerate(sorted(texts))]
    with migrated_engine.begin() as connection:
        rows = [
            {"sha256": key, "size": len(text), "text": text, "first_seen_at": "now"}
            for key, text in texts.items()
        ]
        connection.execute(insert(RawDocument), rows)
        first = site_furniture(connection, pages, site_of, "v1")
        # counted with v1 only by v2's lights would be wrong: v2 starts over and finds the same
        again = site_furniture(connection, pages, site_of, "v2")
    assert first == again
    assert first.lines == {"folder:x": frozenset({MENU[0].casefold()})}


def test_a_table_grown_in_one_transaction_is_planned_by_its_size(engine: Engine) -> None:
    # On PostgreSQL the table's statistics are refreshed as it grows inside the transaction (the
    # planner otherwise keeps the plans of an empty table); SQLite keeps none and needs none.
    from collections import Counter

    from sqlalchemy import text

    from pipeline.corpus.site_lines import _apply

    deltas = Counter({("site.example", f"a line of furniture {n:06d}"): 1 for n in range(25_000)})
    with engine.connect() as connection:
        _apply(connection, deltas)
        if engine.dialect.name == "postgresql":
            estimate = connection.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'work_site_lines'")
            ).scalar_one()
            assert estimate >= 10_000
        else:
            analysed = connection.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            )
            assert analysed.scalar_one() == 0
        stored = connection.execute(text("SELECT count(*) FROM work_site_lines")).scalar_one()
        assert stored == 25_000
        connection.rollback()
