"""The dataset card, `dist/README.md`: what the release holds, how it was made, its limits, its licence.

Every figure is read from the built `news.db` and every description from the models, so the card
is as deterministic as the release and cannot drift from it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from pipeline.outputs.files import DATAPACKAGE_FILE, NOTES_FILE, RELEASE_FILE, parquet_file
from pipeline.schema.describe import DESCRIPTION, LICENSE, LICENSE_URL, table_description
from pipeline.schema.models import published_tables
from pipeline.settings import DEFAULT_SOURCE, DEFAULT_TITLE

TOP_ROWS = 15

Rows = list[tuple[str, int]]


def _rows(connection: sqlite3.Connection, sql: str) -> Rows:
    return [(str(key) if key not in (None, "") else "(none)", int(n)) for key, n in connection.execute(sql)]


def _one(connection: sqlite3.Connection, sql: str) -> int:
    return int(connection.execute(sql).fetchone()[0] or 0)


def _table(header: tuple[str, str], rows: Rows) -> list[str]:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | ---: |"]
    return lines + [f"| {key} | {n:,} |" for key, n in rows]


def _coverage(connection: sqlite3.Connection) -> list[str]:
    outlets = _rows(
        connection, f"select outlet, count(*) from articles group by 1 order by 2 desc, 1 limit {TOP_ROWS}"
    )
    years = _rows(
        connection, "select substr(published_date, 1, 4), count(*) from articles group by 1 order by 1"
    )
    languages = _rows(connection, "select language, count(*) from articles group by 1 order by 2 desc, 1")
    types = _rows(connection, "select type, count(*) from entities group by 1 order by 2 desc, 1")
    lines = [
        "## Coverage",
        "",
        "By outlet (the most frequent):",
        "",
        *_table(("outlet", "articles"), outlets),
    ]
    lines += ["", "By year of publication:", "", *_table(("year", "articles"), years)]
    lines += ["", "By language:", "", *_table(("language", "articles"), languages)]
    return [*lines, "", "Entities by type:", "", *_table(("type", "entities"), types), ""]


LIMITS = (
    ("Articles without a headline", "articles", "title is null or trim(title) = ''"),
    ("Articles without a publication date", "articles", "published_date is null"),
    (
        "Near-duplicate articles (kept, flagged in `near_duplicate_of`)",
        "articles",
        "near_duplicate_of is not null",
    ),
    ("Mentions not tied to an entity", "mentions", "entity_id is null"),
    ("Quotations without a named speaker", "quotes", "speaker_entity_id is null"),
)
"""(what, table, condition): each limit as a count out of the table's rows."""


def _limitations(connection: sqlite3.Connection) -> list[str]:
    lines = [
        "## Known limitations",
        "",
        "- Entities are found by a statistical model (spaCy) plus rules: some names are missed or"
        " mistyped, and two different people with the same name are one entity.",
        "- Places are geocoded by name (GeoNames; countries and regions at their centroid); an"
        " ambiguous name gets its most populous match.",
    ]
    for what, table, condition in LIMITS:
        total = _one(connection, f"select count(*) from {table}")
        n = _one(connection, f"select count(*) from {table} where {condition}")
        share = f" ({100 * n / total:.1f}%)" if total else ""
        lines.append(f"- {what}: {n:,} of {total:,}{share}.")
    rejected = _one(connection, "select count(*) from rejections")
    return [*lines, f"- Input files set aside, with the reason (table `rejections`): {rejected:,}.", ""]


def _contents(connection: sqlite3.Connection) -> list[str]:
    lines = ["## What is in it", "", "| table | rows | file | what it holds |", "| --- | ---: | --- | --- |"]
    for table in published_tables():
        n = _one(connection, f'select count(*) from "{table}"')
        lines.append(f"| `{table}` | {n:,} | `{parquet_file(table)}` | {table_description(table)} |")
    return [
        *lines,
        "",
        f"`{RELEASE_FILE}` holds every table (with full-text search, the views `mention_sentences` and"
        " `quote_sentences`, and `data_dictionary`, which describes every column);"
        f" `{DATAPACKAGE_FILE}` describes the files as a Frictionless Data Package with each column's"
        f" type and description; `{NOTES_FILE}` says what changed since the previous release.",
        "",
    ]


def _made(facts: dict[str, str]) -> list[str]:
    return [
        "## How it was made",
        "",
        f"Source: {facts.get('source', DEFAULT_SOURCE)}. Each raw file is decoded, cleaned of site"
        " boilerplate (every removed piece"
        " is kept in `removed_segments` with the reason), run through the named-entity model"
        f" `{facts.get('ner_model', '')}` and the project's rules, and resolved into entities across"
        " all articles. Every mention and quotation keeps its exact offsets into the cleaned text and"
        " the raw file, and its sentence's offsets.",
        "",
        f"- pipeline version: {facts.get('pipeline_version', '')}",
        f"- schema revision: {facts.get('schema_revision', '')}",
        f"- NER model: {facts.get('ner_model', '')}",
        "",
    ]


def render_card(release: Path) -> str:
    """The card for the release database at `release`."""
    with closing(sqlite3.connect(f"file:{release}?mode=ro", uri=True)) as connection:
        facts = dict(connection.execute("select key, value from dataset_info"))
        version, content = facts.get("release_version", ""), facts.get("content_sha256", "")
        lines = [
            f"# {facts.get('title', DEFAULT_TITLE)}",
            "",
            DESCRIPTION,
            "",
            f"Version **{version}**; content SHA-256 `{content}`.",
            "",
        ]
        lines += _contents(connection) + _coverage(connection) + _made(facts) + _limitations(connection)
    lines += [
        "## Licence",
        "",
        f"{LICENSE} ({LICENSE_URL}).",
        "",
        "## Personal data",
        "",
        "The articles name real people, mostly public figures, and quote them. The data repeats what"
        " was published, with its source, and adds no information about anyone; do not use it to"
        " profile private individuals, and honour a named person's request to correct or remove data.",
        "",
        "## Cite and load",
        "",
        f"Cite the version and the content hash above (`dataset_info` in `{RELEASE_FILE}` holds both);"
        " `SHA256SUMS` pins every file's bytes.",
        "",
        "```python",
        "import pandas as pd; mentions = pd.read_parquet('mentions.parquet')",
        "import duckdb; duckdb.sql(\"select type, count(*) from 'entities.parquet' group by type\").show()",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_card(release: Path, path: Path) -> None:
    path.write_text(render_card(release), encoding="utf-8")
