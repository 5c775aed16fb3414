"""The models' descriptions rendered for readers: Datasette metadata and the column facts that the
data dictionary, the data package and the Parquet schemas are built from, so none can disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer

from pipeline.schema.models import FULL_TEXT_SEARCH, Base, published_tables
from pipeline.schema.views import VIEWS

DATABASE_NAME = "news"
TITLE = "News entities: articles, named entities and every mention"
DESCRIPTION = (
    "Scraped news articles cleaned of site boilerplate, with the people, organisations and places "
    "they name (spaCy NER plus resolution rules) and every mention's exact character offsets into "
    "both the cleaned article and the raw file. Built by the `pipeline` tool."
)
LICENSE = "CC BY 4.0 for the derived data; article texts remain the copyright of their publishers"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "Scraped Kenyan political news (sample corpus), processed by pipeline"

TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "articles": {
        "label_column": "title",
        # Every default facet re-runs a full-text search; section is the one readers filter by.
        # Others are a click away (`?_facet=language`).
        "facets": ["section"],
        # Bodies run to thousands of characters: 20 to a page keeps a page (and a search) quick.
        "size": 20,
        "searchmode": "raw",
    },
    "entities": {
        "label_column": "name",
        "facets": ["type", "country_code"],
        "sort_desc": "mention_count",
    },
    "mentions": {"facets": ["label", "field", "origin"], "sort": "article_id"},
    "entity_aliases": {"sort_desc": "mention_count"},
    "entity_roles": {"sort_desc": "mention_count"},
    "quotes": {"facets": ["verb"], "sort": "article_id"},
    "removed_segments": {"facets": ["reason"]},
    "rejections": {"facets": ["stage"]},
    "dataset_info": {},
    "data_dictionary": {"facets": ["table_name"], "sort": "table_name", "size": 200},
}

QUERIES = {
    "articles_mentioning_entity": {
        "title": "Articles mentioning an entity",
        "description": "Articles that name the entity (exact canonical name), most mentions first.",
        "sql": (
            "select a.id, a.title, a.section, a.published_date, count(*) as mentions\n"
            "from entities e\n"
            "join mentions m on m.entity_id = e.id\n"
            "join articles a on a.id = m.article_id\n"
            "where e.name = :entity\n"
            "group by a.id\n"
            "order by mentions desc, a.id"
        ),
    },
    "entities_mentioned_with": {
        "title": "Entities mentioned together with an entity",
        "description": "Entities that appear in the same articles as the given one, by shared articles.",
        "sql": (
            "select other.id, other.name, other.type, count(distinct m2.article_id) as shared_articles\n"
            "from entities e\n"
            "join mentions m1 on m1.entity_id = e.id\n"
            "join mentions m2 on m2.article_id = m1.article_id and m2.entity_id != e.id\n"
            "join entities other on other.id = m2.entity_id\n"
            "where e.name = :entity\n"
            "group by other.id\n"
            "order by shared_articles desc, other.name\n"
            "limit 100"
        ),
    },
    "quotes_by_speaker": {
        "title": "Quotations by a speaker",
        "description": "What the articles quote the entity as saying, with the attribution verb.",
        "sql": (
            "select q.text, q.verb, a.title, a.published_date, q.article_id\n"
            "from entities e\n"
            "join quotes q on q.speaker_entity_id = e.id\n"
            "join articles a on a.id = q.article_id\n"
            "where e.name = :entity\n"
            "order by a.published_date, q.article_id, q.start"
        ),
    },
    "top_entities_by_type": {
        "title": "Top entities by type",
        "description": "The most mentioned entities of one type (PERSON, ORG, GPE, LOC, NORP, ...).",
        "sql": (
            "select id, name, type, mention_count, article_count\n"
            "from entities\n"
            "where type = :type\n"
            "order by mention_count desc, name\n"
            "limit 50"
        ),
    },
}


def table_metadata(name: str) -> dict[str, Any]:
    """One table's description, column descriptions and Datasette options."""
    table = Base.metadata.tables[name]
    search = [fts for fts, (content, _columns) in FULL_TEXT_SEARCH.items() if content == name]
    return {
        "description": table.comment or "",
        "columns": {column.name: column.comment or "" for column in table.columns},
        **TABLE_OPTIONS.get(name, {}),
        **({"fts_table": search[0]} if search else {}),
    }


def view_metadata() -> dict[str, dict[str, Any]]:
    """The sentence views' descriptions, from their definitions."""
    return {view.name: {"description": view.description, "columns": dict(view.columns)} for view in VIEWS}


def build_metadata() -> dict[str, Any]:
    """The whole `datasette-metadata.json` document."""
    tables = {name: table_metadata(name) for name in published_tables()}
    tables.update(view_metadata())
    tables.update({name: {"hidden": True} for name in FULL_TEXT_SEARCH})
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": SOURCE,
        "databases": {
            DATABASE_NAME: {
                "title": TITLE,
                "description": DESCRIPTION,
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }


def render_metadata() -> str:
    """The metadata as the JSON text written to `datasette-metadata.json`."""
    return json.dumps(build_metadata(), indent=2, ensure_ascii=False) + "\n"


def write_metadata(path: Path) -> None:
    """Write the metadata file (the committed one, or the release's)."""
    path.write_text(render_metadata(), encoding="utf-8")


@dataclass(frozen=True)
class ColumnFacts:
    """One published column as every export describes it."""

    name: str
    data_type: str
    """string, integer, number or boolean: Frictionless field types, mapped one to one to Arrow's."""
    required: bool
    primary_key: bool
    references: tuple[str, str] | None
    description: str


def data_type(column: Column[Any]) -> str:
    """The column's values as a Frictionless field type."""
    if isinstance(column.type, Boolean):
        return "boolean"
    if isinstance(column.type, Integer):
        return "integer"
    if isinstance(column.type, Float):
        return "number"
    return "string"


def column_facts(table: str) -> list[ColumnFacts]:
    """Every column of a published table, in table order, with its type, keys and description."""
    facts = []
    for column in Base.metadata.tables[table].columns:
        targets = [(fk.column.table.name, fk.column.name) for fk in column.foreign_keys]
        facts.append(
            ColumnFacts(
                name=column.name,
                data_type=data_type(column),
                required=not column.nullable,
                primary_key=column.primary_key,
                references=targets[0] if targets else None,
                description=column.comment or "",
            )
        )
    return facts


def table_description(table: str) -> str:
    return Base.metadata.tables[table].comment or ""
