"""Bulk writes (`insert_rows`, `upsert`): COPY on PostgreSQL, executemany on SQLite, the same rows.

Text that COPY's own format must escape (tabs, newlines, backslashes, its null marker), floats
that must come back to the bit, a column filled from the model's Python default and a key whose
row is replaced: each store reads back exactly what was written.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from pipeline.schema.models import Article, Entity, Rejection
from pipeline.store.upsert import insert_rows, upsert

AWKWARD = [
    "tab\there",
    "line\nbreak\r\n",
    "back\\slash",
    "\\N",
    "",
    "quote ' and \"",
    "Nairobi – Kisumu é 😀",
]
FLOATS = [0.1 + 0.2, 1 / 3, 1e-300, -36.817223, 123456.789012345, 2.0**-1074]


@pytest.fixture
def engine(store_engine: Engine) -> Engine:
    return store_engine


def rejection(number: int, reason: str) -> dict[str, object]:
    return {
        "id": f"r{number:03d}",
        "source_path": f"folder/{reason}",
        "sha256": None if number % 2 else "0" * 64,
        "record": None,
        "stage": "ingest",
        "reason": reason,
    }


def entity(number: int, latitude: float | None, count: int) -> dict[str, object]:
    return {
        "id": f"e{number:03d}",
        "name": AWKWARD[number % len(AWKWARD)] or "x",
        "type": "GPE",
        "mention_count": count,
        "article_count": 1,
        "country_code": None,
        "latitude": latitude,
        "longitude": None if latitude is None else -latitude,
        "geonames_id": None,
        "coordinate_source": None,
    }


def test_inserted_rows_read_back_as_written(engine: Engine) -> None:
    rows = [rejection(number, reason) for number, reason in enumerate(AWKWARD)]
    with engine.begin() as connection:
        insert_rows(connection, Rejection, rows)
        insert_rows(connection, Rejection, [])  # nothing to write is not an error
    with engine.connect() as connection:
        stored = connection.execute(select(*Rejection.__table__.columns).order_by(Rejection.id)).mappings()
        assert [{key: row[key] for key in rows[0]} for row in stored] == rows


def test_a_column_left_out_gets_the_model_s_default(engine: Engine) -> None:
    row = {
        "id": "a" * 16,
        "source_path": "one.txt",
        "source_sha256": "1" * 64,
        "title": "A title",
        "body": "A body.",
        "word_count": 2,
    }
    with engine.begin() as connection:
        insert_rows(connection, Article, [row])
    with engine.connect() as connection:
        assert connection.execute(select(Article.source_kind)).scalar_one() == "plaintext"


def test_upserted_rows_replace_their_key_s_row_to_the_bit(engine: Engine) -> None:
    first = [entity(number, latitude, 1) for number, latitude in enumerate([*FLOATS, None])]
    again = [entity(number, latitude, 7) for number, latitude in enumerate(reversed(FLOATS), start=3)]
    with engine.begin() as connection:
        upsert(connection, Entity, first, ["id"])
        upsert(connection, Entity, again, ["id"])
    expected = {row["id"]: row for row in first} | {row["id"]: row for row in again}
    with engine.connect() as connection:
        stored = connection.execute(select(*Entity.__table__.columns).order_by(Entity.id)).mappings().all()
    assert {row["id"]: {key: row[key] for key in first[0]} for row in stored} == expected
    assert [row["latitude"] for row in stored][:3] == FLOATS[:3]
