"""Stored LSH bands: bounded work for thousands of pages from one template, the same flags as
comparing every pair for real near-duplicates, and only new articles signed again."""

from __future__ import annotations

import random

from conftest import article_row
from sqlalchemy import Engine, func, insert, select
from support.synthetic import article_text

from pipeline.corpus import near_duplicates
from pipeline.corpus.near_duplicates import (
    MAX_BUCKET_PEERS,
    THRESHOLD,
    flag_near_duplicates,
    similarity,
    store_bands,
    stored_candidate_pairs,
)
from pipeline.schema.models import Article, WorkNearDuplicateBand


def stored_flags(engine: Engine) -> dict[str, tuple[str, float]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Article.id, Article.near_duplicate_of, Article.near_duplicate_similarity).where(
                Article.near_duplicate_of.is_not(None)
            )
        )
        return {key: (original, score) for key, original, score in rows}


def test_pages_from_one_template_give_bounded_pairs_and_are_all_flagged(migrated_engine: Engine) -> None:
    count = 2000
    bodies = [f"Page {index} of the archive. Nothing else is on this page." for index in range(count)]
    with migrated_engine.begin() as connection:
        connection.execute(insert(Article), [article_row(f"{i:016x}", b) for i, b in enumerate(bodies)])
        flagged = flag_near_duplicates(connection)
        pairs = sum(1 for _ in stored_candidate_pairs(connection))
    # all 2 million pairs collide; each page is compared with its nearest lower ids only, so the
    # work grows with the pages, not with their pairs
    assert pairs <= count * MAX_BUCKET_PEERS * near_duplicates.BANDS
    assert similarity(bodies[1], bodies[2]) >= THRESHOLD
    assert flagged == count - 1  # the lowest id is the original, every other page a copy


def near_duplicate_corpus(seed: int) -> dict[str, str]:
    """Stories in groups of one to four versions, each version a word or two different."""
    chooser = random.Random(seed)
    bodies: dict[str, str] = {}
    for story in range(40):
        text = article_text(seed, story)
        for version in range(chooser.randint(1, 4)):
            words = text.split()
            for _ in range(version):
                words[chooser.randrange(len(words))] = chooser.choice(["also", "then", "now"])
            bodies[f"{chooser.getrandbits(64):016x}"] = " ".join(words)
    return bodies


def exhaustive_flags(bodies: dict[str, str]) -> dict[str, tuple[str, float]]:
    """Every pair compared: the definition the stored bands must reproduce."""
    flags: dict[str, tuple[str, float]] = {}
    ordered = sorted(bodies)
    for index, copy in enumerate(ordered):
        scores = [(similarity(bodies[original], bodies[copy]), original) for original in ordered[:index]]
        good = [(-score, original) for score, original in scores if score >= THRESHOLD]
        if good:
            score, original = min(good)
            flags[copy] = (original, -score)
    return flags


def test_stored_bands_give_the_same_flags_as_comparing_every_pair(migrated_engine: Engine) -> None:
    bodies = near_duplicate_corpus(seed=3)
    with migrated_engine.begin() as connection:
        connection.execute(insert(Article), [article_row(key, body) for key, body in sorted(bodies.items())])
        flag_near_duplicates(connection)
    expected = exhaustive_flags(bodies)
    assert len(expected) > 10
    assert stored_flags(migrated_engine) == expected


def test_only_new_articles_are_signed_again(migrated_engine: Engine) -> None:
    bodies = near_duplicate_corpus(seed=4)
    keys = sorted(bodies)
    first, later = keys[: len(keys) // 2], keys[len(keys) // 2 :]
    with migrated_engine.begin() as connection:
        connection.execute(insert(Article), [article_row(key, bodies[key]) for key in first])
        assert store_bands(connection) == len(first)
        assert store_bands(connection) == 0
        connection.execute(insert(Article), [article_row(key, bodies[key]) for key in later])
        flag_near_duplicates(connection)
        stored = connection.execute(
            select(func.count(WorkNearDuplicateBand.article_id.distinct()))
        ).scalar_one()
    assert stored == len(keys)
    assert stored_flags(migrated_engine) == exhaustive_flags(bodies)
