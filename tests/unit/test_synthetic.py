"""The synthetic benchmark corpus: deterministic, distinct, realistic enough for the real pipeline."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from conftest import run_pipeline, settings_for
from support.synthetic import MAX_WORDS, MIN_WORDS, generate_corpus, main

from pipeline.sources.plaintext import clean_text


def corpus_bytes(folder: Path, count: int, seed: int, start_index: int = 0) -> list[bytes]:
    return [path.read_bytes() for path in generate_corpus(folder, count, seed, start_index)]


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    assert corpus_bytes(tmp_path / "a", 8, seed=3) == corpus_bytes(tmp_path / "b", 8, seed=3)


def test_different_seed_gives_different_articles(tmp_path: Path) -> None:
    first = corpus_bytes(tmp_path / "a", 8, seed=1)
    second = corpus_bytes(tmp_path / "b", 8, seed=2)
    assert all(one != other for one, other in zip(first, second, strict=True))


def test_extending_a_corpus_keeps_the_existing_articles(tmp_path: Path) -> None:
    whole = corpus_bytes(tmp_path / "whole", 6, seed=0)
    assert corpus_bytes(tmp_path / "tail", 2, seed=0, start_index=4) == whole[4:]


def test_every_article_is_distinct(tmp_path: Path) -> None:
    contents = corpus_bytes(tmp_path, 60, seed=0)
    assert len({hashlib.sha256(content).hexdigest() for content in contents}) == 60


def test_cleaned_articles_have_words_in_range_and_the_sample_layout(tmp_path: Path) -> None:
    for path in generate_corpus(tmp_path, 40, seed=5):
        article = clean_text(path.read_text(encoding="utf-8"))
        assert MIN_WORDS <= article.word_count <= MAX_WORDS, path.name
        assert article.title and article.dateline and article.dateline_place, path.name
        assert "Leave a Reply" not in article.body
        assert not article.body.rstrip().endswith(("Featured", "Trending"))


def test_command_line_writes_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([str(tmp_path / "out"), "--count", "3", "--seed", "9"])
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "000000.txt",
        "000001.txt",
        "000002.txt",
    ]
    assert "wrote 3 articles" in capsys.readouterr().out


@pytest.mark.slow
def test_pipeline_run_over_generated_articles(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    generate_corpus(settings.raw_dir, 5, seed=11)
    output = run_pipeline(settings)
    assert "5 articles" in output
    connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
    try:
        articles = connection.execute("SELECT title, dateline, dateline_place FROM articles").fetchall()
        labels = {label for (label,) in connection.execute("SELECT DISTINCT type FROM entities")}
        mentions = connection.execute("SELECT count(*) FROM mentions").fetchone()[0]
    finally:
        connection.close()
    assert len(articles) == 5
    assert all(title and dateline and place for title, dateline, place in articles)
    assert {"PERSON", "ORG"} <= labels
    assert mentions >= 5 * 10
