"""The models' descriptions rendered for readers: Datasette metadata and the column facts that the
data dictionary, the data package and the Parquet schemas are built from, so none can disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Float, Integer

from pipeline.schema.models import FULL_TEXT_SEARCH, VALUES, Base, published_tables
from pipeline.schema.views import VIEWS
from pipeline.settings import DEFAULT_SOURCE, DEFAULT_TITLE

DATABASE_NAME = "news"
DESCRIPTION = (
    "Scraped news articles cleaned of site boilerplate, with the people, organisations and places "
    "they name (spaCy NER plus resolution rules) and every mention's exact character offsets into "
    "both the cleaned article and the raw file. Built by the `pipeline` tool."
)
LICENSE = "CC BY 4.0 for the derived data; article texts remain the copyright of their publishers"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "articles": {
        "label_column": "title",
        # Every default facet re-runs a full-text search; section is the one readers filter by.
        # Others are a click away (`?_facet=language`).
        "facets": ["section"],
        # Bodies run to thousands of characters: 20 to a page keeps a page (and a search) quick.
        "size": 20,
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
    "dropped_spans": {"facets": ["rule", "label", "origin"], "sort": "article_id"},
    "extraction_rules": {"sort": "position", "size": 100},
    "rejections": {"facets": ["stage"]},
    "dataset_info": {},
    "data_dictionary": {"facets": ["table_name"], "sort": "table_name", "size": 200},
}


def matching(parameter: str) -> str:
    """SQL for the ids of the entities whose name or any alias contains `:parameter`, any case.

    Empty matches nothing, so an optional parameter left blank filters nothing (see its use).
    """
    like = f"'%' || :{parameter} || '%'"
    return (
        f"select id from entities where :{parameter} != '' and name like {like}"
        f" union select entity_id from entity_aliases where :{parameter} != '' and alias like {like}"
    )


RECENT_ARTICLES = 1000
NETWORK_ENTITIES = 50


def recent_articles(parameter: str) -> str:
    """SQL for the ids of the newest articles naming an entity matching `:parameter`.

    Walks the articles newest first and stops at RECENT_ARTICLES, so an entity named in most
    articles of a large release costs a bounded amount, not a scan of every mention.
    """
    return (
        "select a.id from articles a where exists (select 1 from mentions m\n"
        f"    where m.entity_id in ({matching(parameter)}) and m.article_id = a.id)\n"
        f"  order by a.published_date desc, a.id desc limit {RECENT_ARTICLES}"
    )


TYPE_FILTER = "(:type = '' or {alias}.type = upper(trim(:type)))"
ARTICLE_LABEL = "coalesce(nullif(trim(a.title), ''), substr(a.body, 1, 80) || '…') as title"
"""An untitled article is labelled by the start of its body, never by NULL."""
NAME_HELP = " The name may be any part of the entity's name or of a form it was written as, in any case."
TYPE_HELP = " Type (PERSON, ORG, GPE, ...; any case) may be left blank for every type."

QUERIES = {
    "search_articles": {
        "title": "Search articles",
        "description": "Full-text search of titles and bodies, best matches first, with the hits "
        'highlighted. Type words as you would anywhere (Al-Shabaab, Ruto\'s); a "quoted phrase" '
        "must occur as written.",
        "sql": (
            f"select a.id as article_id, {ARTICLE_LABEL}, a.published_date, a.outlet,\n"
            "  snippet(articles_fts, -1, char(2), char(3), '…', 24) as snippet\n"
            "from articles_fts\n"
            "join articles a on a.rowid = articles_fts.rowid\n"
            "where articles_fts match news_fts_query(:q)\n"
            "order by articles_fts.rank\n"
            "limit 100"
        ),
    },
    "entity_profile": {
        "title": "Entity profile",
        "description": "Who or what an entity is: type, counts, the forms and roles it was written "
        "with, first and last dates it was mentioned and its quotations." + NAME_HELP + TYPE_HELP,
        "sql": (
            "with chosen as (\n"
            "  select * from entities e\n"
            f"  where e.id in ({matching('entity')}) and {TYPE_FILTER.format(alias='e')}\n"
            "  order by e.mention_count desc, e.name limit 50)\n"
            "select e.id as entity_id, e.name, e.type, e.mention_count, e.article_count,\n"
            "  (select group_concat(alias, '; ') from (select alias from entity_aliases"
            " where entity_id = e.id order by mention_count desc, alias limit 20)) as aliases,\n"
            "  (select group_concat(role, '; ') from (select role from entity_roles"
            " where entity_id = e.id order by mention_count desc, role limit 10)) as roles,\n"
            "  (select min(published_date) from articles"
            " where id in (select article_id from mentions where entity_id = e.id)) as first_mentioned,\n"
            "  (select max(published_date) from articles"
            " where id in (select article_id from mentions where entity_id = e.id)) as last_mentioned,\n"
            "  (select count(*) from quotes q where q.speaker_entity_id = e.id) as quotes,\n"
            "  e.country_code, e.latitude, e.longitude, e.coordinate_source\n"
            "from chosen e\n"
            "order by e.mention_count desc, e.name"
        ),
    },
    "articles_mentioning_entity": {
        "title": "Articles mentioning an entity",
        "description": "Articles that name the entity, most mentions first (at most 500)."
        + NAME_HELP
        + TYPE_HELP,
        "sql": (
            "with counted as (\n"
            "  select m.article_id, m.entity_id, count(*) as mentions from mentions m\n"
            "  join entities e on e.id = m.entity_id\n"
            f"  where m.entity_id in ({matching('entity')}) and {TYPE_FILTER.format(alias='e')}\n"
            "  group by m.entity_id, m.article_id\n"
            "  order by mentions desc, m.article_id limit 500)\n"
            f"select c.article_id, {ARTICLE_LABEL}, a.section, a.published_date,\n"
            "  c.entity_id, e.name as entity, e.type, c.mentions\n"
            "from counted c\n"
            "join articles a on a.id = c.article_id\n"
            "join entities e on e.id = c.entity_id\n"
            "order by c.mentions desc, c.article_id"
        ),
    },
    "entities_mentioned_with": {
        "title": "Entities mentioned together with an entity",
        "description": "Entities that appear in the same articles as the given one, by shared "
        f"articles (counted in its {RECENT_ARTICLES:,} most recent articles); the type filters the "
        "other entities." + NAME_HELP + TYPE_HELP,
        "sql": (
            f"with mine as ({recent_articles('entity')}),\n"
            "counted as (\n"
            "  select m.entity_id, count(distinct m.article_id) as shared_articles\n"
            "  from mine join mentions m on m.article_id = mine.id\n"
            f"  where m.entity_id not in ({matching('entity')})\n"
            "  group by m.entity_id)\n"
            "select other.id as entity_id, other.name, other.type, c.shared_articles\n"
            "from counted c\n"
            "join entities other on other.id = c.entity_id\n"
            f"where {TYPE_FILTER.format(alias='other')}\n"
            "order by c.shared_articles desc, other.name\n"
            "limit 100"
        ),
    },
    "co_mention_network": {
        "title": "Co-mention network",
        "description": "Pairs of entities named in the same articles, with the number of articles "
        f"they share: among the {NETWORK_ENTITIES} most mentioned entities (of the type, when given) and "
        "the given entity, in their "
        f"{RECENT_ARTICLES:,} most recent articles, only the pairs with the entity when one is given: "
        "an edge list for a network tool." + NAME_HELP + TYPE_HELP,
        "sql": (
            "with top as (\n"
            f"  select id from (select id from entities e where {TYPE_FILTER.format(alias='e')}\n"
            f"    order by mention_count desc, id limit {NETWORK_ENTITIES})\n"
            f"  union {matching('entity')}),\n"
            "recent as (\n"
            "  select a.id from articles a where exists (select 1 from mentions m\n"
            "    where m.entity_id in (select id from top) and m.article_id = a.id)\n"
            f"  order by a.published_date desc, a.id desc limit {RECENT_ARTICLES}),\n"
            "pairs as (\n"
            "  select distinct m.entity_id, m.article_id from recent\n"
            "  join mentions m on m.article_id = recent.id\n"
            "  where m.entity_id in (select id from top)),\n"
            "counted as (\n"
            "  select p1.entity_id as source_id, p2.entity_id as target_id, count(*) as shared_articles\n"
            "  from pairs p1\n"
            "  join pairs p2 on p2.article_id = p1.article_id and p2.entity_id > p1.entity_id\n"
            f"  where :entity = '' or p1.entity_id in ({matching('entity')})"
            f" or p2.entity_id in ({matching('entity')})\n"
            "  group by p1.entity_id, p2.entity_id\n"
            "  order by shared_articles desc, source_id, target_id limit 500)\n"
            "select c.source_id, s.name as source, c.target_id, t.name as target, c.shared_articles\n"
            "from counted c\n"
            "join entities s on s.id = c.source_id\n"
            "join entities t on t.id = c.target_id\n"
            "order by c.shared_articles desc, c.source_id, c.target_id"
        ),
    },
    "articles_by_place": {
        "title": "Articles by place",
        "description": "Articles that name a place (a country, city, region or other location) or "
        "are datelined there, newest first (at most 500). The place may be any part of its name, "
        "in any case.",
        "sql": (
            "with places as (\n"
            "  select id from entities where type in ('GPE', 'LOC', 'FAC')\n"
            f"  and id in ({matching('place')})),\n"
            "counted as (\n"
            "  select m.article_id, m.entity_id, count(*) as mentions from mentions m\n"
            "  where m.entity_id in (select id from places) group by m.entity_id, m.article_id)\n"
            f"select a.id as article_id, {ARTICLE_LABEL}, a.published_date, a.dateline_place,\n"
            "  c.entity_id, e.name as place, e.type, c.mentions\n"
            "from counted c\n"
            "join articles a on a.id = c.article_id\n"
            "join entities e on e.id = c.entity_id\n"
            "union all\n"
            f"select a.id, {ARTICLE_LABEL}, a.published_date, a.dateline_place, null, a.dateline_place,"
            " 'dateline', 0\n"
            "from articles a\n"
            "where :place != '' and a.dateline_place like '%' || :place || '%'\n"
            "order by published_date desc, article_id\n"
            "limit 500"
        ),
    },
    "entity_timeline": {
        "title": "Entity timeline",
        "description": "Mentions and articles per month of publication (articles without a month "
        "are left out)." + NAME_HELP + TYPE_HELP,
        "sql": (
            "select e.id as entity_id, e.name, substr(a.published_date, 1, 7) as month,"
            " count(*) as mentions, count(distinct a.id) as articles\n"
            "from entities e\n"
            "join mentions m on m.entity_id = e.id\n"
            "join articles a on a.id = m.article_id\n"
            f"where e.id in ({matching('entity')}) and {TYPE_FILTER.format(alias='e')}\n"
            "  and length(a.published_date) >= 7\n"
            "group by e.id, month\n"
            "order by e.mention_count desc, e.id, month"
        ),
    },
    "quotes_by_speaker": {
        "title": "Quotations by a speaker",
        "description": "What the articles quote the entity as saying, with the attribution verb." + NAME_HELP,
        "sql": (
            "select q.text, q.verb, e.name as speaker, e.id as entity_id,"
            f" {ARTICLE_LABEL}, a.published_date, q.article_id\n"
            "from entities e\n"
            "join quotes q on q.speaker_entity_id = e.id\n"
            "join articles a on a.id = q.article_id\n"
            f"where e.id in ({matching('entity')})\n"
            "order by a.published_date, q.article_id, q.start"
        ),
    },
    "top_entities_by_type": {
        "title": "Top entities by type",
        "description": "The most mentioned entities of one type (PERSON, ORG, GPE, LOC, NORP, ...; "
        "any case; blank for every type).",
        "sql": (
            "select id as entity_id, name, type, mention_count, article_count\n"
            "from entities e\n"
            f"where {TYPE_FILTER.format(alias='e')}\n"
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


def build_metadata(title: str = DEFAULT_TITLE, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """The whole `datasette-metadata.json` document, for a release with this title and source."""
    tables = {name: table_metadata(name) for name in published_tables()}
    tables.update(view_metadata())
    tables.update({name: {"hidden": True} for name in FULL_TEXT_SEARCH})
    return {
        "title": title,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": source,
        "databases": {
            DATABASE_NAME: {
                "title": title,
                "description": DESCRIPTION,
                "tables": tables,
                "queries": QUERIES,
            }
        },
    }


def render_metadata(title: str = DEFAULT_TITLE, source: str = DEFAULT_SOURCE) -> str:
    """The metadata as the JSON text written to `datasette-metadata.json`."""
    return json.dumps(build_metadata(title, source), indent=2, ensure_ascii=False) + "\n"


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
    values: tuple[str, ...] | None = None
    """The closed vocabulary the column's values come from, when it has one."""


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
                values=column.info.get(VALUES),
            )
        )
    return facts


def table_description(table: str) -> str:
    return Base.metadata.tables[table].comment or ""
