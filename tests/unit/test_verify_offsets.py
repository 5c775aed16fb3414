"""`check_offsets` reads the offset rows beside the articles in id order, one article's text at a
time: it finds what a check holding every article's text in a dict finds."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.outputs.verify import MAX_LISTED, check_offsets
from pipeline.schema.models import ARTICLE_FIELDS

IDS = st.sampled_from(["a1", "a2", "b", "b0", "é", "z"])  # non-ASCII ids sort after ASCII in both
Row = tuple[str, str, str, str, int, int, str]
"""(table, id, article id, field, start, end, text)"""
TEXTS = st.text(alphabet="ab é\U0001f600", max_size=12)


def reference(articles: dict[str, dict[str, str | None]], rows: list[Row]) -> tuple[int, set[str]]:
    """The check as a dict of every article's text: the problems as a set (order aside)."""
    found = set()
    for table, row_id, article_id, column, start, end, text in rows:
        article = articles.get(article_id)
        if article is None or column not in article:
            found.add(f"{table} {row_id}: no column {column!r} of article {article_id}")
            continue
        value = article[column] or ""
        if not (0 <= start <= end <= len(value)) or value[start:end] != text:
            found.add(f"{table} {row_id}")
    return len(rows), found


def database(articles: dict[str, dict[str, str | None]], rows: list[Row]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"create table articles (id text primary key, {', '.join(ARTICLE_FIELDS)})")
    for table in ("mentions", "quotes", "dropped_spans"):
        connection.execute(
            f"create table {table} (id text primary key, article_id text, field text,"
            ' start int, "end" int, text text)'
        )
    marks = ", ".join("?" for _ in ARTICLE_FIELDS)
    for article_id, fields in articles.items():
        connection.execute(
            f"insert into articles values (?, {marks})", (article_id, *(fields[f] for f in ARTICLE_FIELDS))
        )
    for table, *row in rows:
        connection.execute(f"insert into {table} values (?, ?, ?, ?, ?, ?)", row)
    return connection


@st.composite
def releases(draw: st.DrawFn) -> tuple[dict[str, dict[str, str | None]], list[Row]]:
    articles = {
        article_id: {field: draw(st.one_of(st.none(), TEXTS)) for field in ARTICLE_FIELDS}
        for article_id in draw(st.sets(IDS, max_size=4))
    }
    rows: list[Row] = []
    for number in range(draw(st.integers(0, 12))):
        article_id = draw(IDS)
        column = draw(st.sampled_from([*ARTICLE_FIELDS, "subtitle"]))
        value = (articles.get(article_id) or {}).get(column) or ""
        start = draw(st.integers(0, len(value) + 1))
        end = draw(st.integers(start, len(value) + 2))
        text = value[start:end] if draw(st.booleans()) else draw(TEXTS)
        table = draw(st.sampled_from(["mentions", "quotes", "dropped_spans"]))
        rows.append((table, f"r{number:02d}", article_id, column, start, end, text))
    return articles, rows


@settings(max_examples=300, deadline=None)
@given(releases())
def test_offsets_read_beside_the_articles_find_what_a_dict_of_them_finds(
    release: tuple[dict[str, dict[str, str | None]], list[Row]],
) -> None:
    articles, rows = release
    with closing(database(articles, rows)) as connection:
        checked, problems = check_offsets(connection)
    expected_count, expected = reference(articles, rows)
    assert checked == expected_count
    named = {problem.split(": ", 1)[1] for problem in problems if not problem.endswith("more")}
    named = {p if "no column" in p else p.split(":", 1)[0] for p in named}
    if len(expected) <= MAX_LISTED:
        assert named == expected
