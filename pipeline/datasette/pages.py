"""What the article and entity pages show, read from the release with indexed, parameterised queries.

Each page is a handful of small queries, all through `Database.execute` with bound parameters, each
using an index (`mentions.article_id`, `mentions.entity_id`, `quotes.article_id`, ...) and each
list paged or limited, so a page costs the same on a 300-article and a 10,000-article release.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from markupsafe import Markup, escape

from pipeline.datasette.text import (
    TYPE_NAMES,
    TYPE_ORDER,
    Span,
    article_label,
    highlight,
    map_svg,
    paragraphs,
    sentence_context,
    timeline_svg,
    type_class,
)

ARTICLES_PER_PAGE = 20
QUOTES_SHOWN = 20
CO_MENTIONED = 10
# The co-mention count looks at this many of the entity's articles (the most recent): enough for a
# stable top ten, and it keeps the page fast for an entity named in every article.
CO_MENTION_ARTICLES = 200
ALIASES_SHOWN = 30
ARTICLE_FIELDS = ("title", "dateline", "author", "body")

REQUIRED_TABLES = {"articles", "entities", "mentions"}


async def is_news_release(db: Any) -> bool:
    """Whether a database has this project's published tables (the pages apply to nothing else)."""
    cached = getattr(db, "_news_pages_release", None)
    if cached is None:
        names = set(await db.table_names())
        cached = names >= REQUIRED_TABLES and "body" in await db.table_columns("articles")
        db._news_pages_release = cached
    return cached


async def release_facts(db: Any) -> dict[str, str]:
    """The release's `dataset_info` (version, content hash, ...), empty when it has none."""
    if not await has_table(db, "dataset_info"):
        return {}
    return {r[0]: r[1] for r in (await db.execute("select key, value from dataset_info")).rows}


async def has_table(db: Any, table: str) -> bool:
    return table in await db.table_names()


def legend(labels: Counter[str]) -> list[dict[str, Any]]:
    """The colour legend: the types present, in a fixed order, with their counts."""
    order = {label: i for i, label in enumerate(TYPE_ORDER)}
    return [
        {"label": label, "css": type_class(label), "name": TYPE_NAMES.get(label, label.lower()), "count": n}
        for label, n in sorted(labels.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    ]


def entity_link(urls: Any, database: str, entity_id: str | None) -> str | None:
    return urls.row(database, "entities", entity_id) if entity_id else None


async def _row(db: Any, table: str, key: str) -> dict[str, Any] | None:
    rows = (await db.execute(f"select * from {table} where id = :id", {"id": key})).rows
    return dict(rows[0]) if rows else None


ARTICLE_MENTIONS_SQL = (
    'select m.id, m.entity_id, m.field, m.start, m."end", m.text, m.label, m.name, m.role,'
    " e.name as entity_name, e.type as entity_type"
    " from mentions m left join entities e on e.id = m.entity_id"
    " where m.article_id = :id order by m.field, m.start"
)


class ArticleMentions:
    """An article's mentions as spans to highlight per column, its entities with counts, its types."""

    def __init__(self, urls: Any, database: str) -> None:
        self.urls, self.database = urls, database
        self.spans: dict[str, list[Span]] = {field: [] for field in ARTICLE_FIELDS}
        self.entities: dict[str, dict[str, Any]] = {}
        self.labels: Counter[str] = Counter()
        self.count = 0

    def add(self, m: Any) -> None:
        label = m["entity_type"] or m["label"]
        href = entity_link(self.urls, self.database, m["entity_id"])
        self.labels[label] += 1
        self.count += 1
        title = f"{TYPE_NAMES.get(label, label)}: {m['entity_name'] or m['name']}"
        if m["role"]:
            title += f" ({m['role']})"
        self.spans.setdefault(m["field"], []).append(Span(m["start"], m["end"], label, href, title, m["id"]))
        entry = self.entities.setdefault(
            m["entity_id"] or f"unresolved:{m['name']}",
            {"name": m["entity_name"] or m["name"], "type": label, "css": type_class(label), "href": href},
        )
        entry["count"] = entry.get("count", 0) + 1
        roles = entry.setdefault("roles", [])
        if m["role"] and m["role"] not in roles:
            roles.append(m["role"])

    def ranked(self) -> list[dict[str, Any]]:
        return sorted(self.entities.values(), key=lambda e: (-e["count"], e["name"]))


async def _article_quotes(datasette: Any, database: str, article_id: str) -> list[dict[str, Any]]:
    db = datasette.get_database(database)
    if not await has_table(db, "quotes"):
        return []
    rows = (
        await db.execute(
            "select q.id, q.text, q.verb, q.speaker_entity_id, e.name as speaker, e.type as speaker_type"
            " from quotes q left join entities e on e.id = q.speaker_entity_id"
            " where q.article_id = :id order by q.field, q.start",
            {"id": article_id},
        )
    ).rows
    return [
        {
            "text": q["text"],
            "verb": q["verb"],
            "speaker": q["speaker"],
            "css": type_class(q["speaker_type"]),
            "href": entity_link(datasette.urls, database, q["speaker_entity_id"]),
        }
        for q in rows
    ]


async def _removed(db: Any, article_id: str) -> list[dict[str, Any]]:
    if not await has_table(db, "removed_segments"):
        return []
    sql = (
        "select raw_start, raw_end, text, reason from removed_segments"
        " where article_id = :id order by raw_start"
    )
    return [dict(r) for r in (await db.execute(sql, {"id": article_id})).rows]


async def _dropped(db: Any, article_id: str) -> list[dict[str, Any]]:
    """The spans the model found that a rule dropped, with the rule's description when published."""
    if not await has_table(db, "dropped_spans"):
        return []
    described = await has_table(db, "extraction_rules")
    sql = (
        'select d.field, d.start, d."end", d.text, d.label, d.origin, d.rule, '
        + ("r.description" if described else "null")
        + " as description from dropped_spans d"
        + (" left join extraction_rules r on r.name = d.rule" if described else "")
        + ' where d.article_id = :id order by d.field, d.start, d."end"'
    )
    return [dict(r) for r in (await db.execute(sql, {"id": article_id})).rows]


async def _duplicate(datasette: Any, database: str, article: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier article this one nearly duplicates, labelled and linked."""
    if not article.get("near_duplicate_of"):
        return None
    other = await _row(datasette.get_database(database), "articles", article["near_duplicate_of"])
    if other is None:
        return None
    return {
        "href": datasette.urls.row(database, "articles", other["id"]),
        "label": article_label(other["title"], other["body"]),
        "similarity": article.get("near_duplicate_similarity"),
    }


async def article_page(datasette: Any, database: str, article_id: str) -> dict[str, Any] | None:
    """Everything the article page shows beyond the row itself."""
    db = datasette.get_database(database)
    article = await _row(db, "articles", article_id)
    if article is None:
        return None
    mentions = ArticleMentions(datasette.urls, database)
    for m in (await db.execute(ARTICLE_MENTIONS_SQL, {"id": article_id})).rows:
        mentions.add(m)
    body = article["body"] or ""
    fields = {
        field: highlight(article[field], mentions.spans.get(field, []))
        for field in ("title", "dateline", "author")
        if article.get(field)
    }
    return {
        "article": article,
        "label": article_label(article.get("title"), body),
        "untitled": not (article.get("title") or "").strip(),
        "fields": fields,
        "paragraphs": paragraphs(body, mentions.spans.get("body", [])),
        "body_mentions": len(mentions.spans.get("body", [])),
        "mention_count": mentions.count,
        "legend": legend(mentions.labels),
        "entities": mentions.ranked(),
        "quotes": await _article_quotes(datasette, database, article_id),
        "removed": await _removed(db, article_id),
        "dropped": await _dropped(db, article_id),
        "duplicate": await _duplicate(datasette, database, article),
    }


def _page_number(request: Any) -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except (TypeError, ValueError):
        return 1


async def _ranked(db: Any, table: str, column: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """An entity's aliases or roles, most used first."""
    if not await has_table(db, table):
        return []
    sql = (
        f"select {column}, mention_count from {table} where entity_id = :id"
        f" order by mention_count desc, {column} limit :n"
    )
    return [dict(r) for r in (await db.execute(sql, {**params, "n": ALIASES_SHOWN})).rows]


FIELD_TEXT = (
    "case h.field when 'body' then a.body when 'title' then a.title"
    " when 'dateline' then a.dateline when 'author' then a.author end"
)
# One row per article, newest first: its first mention of the entity (the body first) and that
# mention's sentence, cut in SQL from the release's sentence offsets. Only the page's twenty
# articles read a mention row and a slice of a body. Which articles are on the page is found one
# of two ways: for an entity in many articles, by walking the articles newest first (index on
# published_date, id) and probing each in the covering index on mentions(entity_id, article_id, ...),
# which stops after the page; for one in few, from its articles' ids (that index) sorted by date.
WALK_FROM_ARTICLES = 1000
MENTIONS_OF = "from mentions m where m.entity_id = :id and m.article_id = {article}"
FIRST_KEY = "(m.field != 'body') * 1000000000 + m.start"
NEWEST = "order by a.published_date desc, a.id desc"
WALKED = f"select a.id from articles a where exists (select 1 {MENTIONS_OF.format(article='a.id')}) {NEWEST}"
SORTED = (
    "select a.id from (select distinct article_id from mentions where entity_id = :id) h"
    f" join articles a on a.id = h.article_id {NEWEST}"
)


def entity_articles(article_count: int, limit: str) -> str:
    """SQL for the ids of the entity's articles, newest first, `limit` (a LIMIT clause) of them."""
    return f"{WALKED if article_count >= WALK_FROM_ARTICLES else SORTED} {limit}"


def kwic_sql(article_count: int) -> str:
    return (
        f"with page as ({entity_articles(article_count, 'limit :limit offset :offset')}),"
        " counted as ("
        f" select p.id as article_id, (select count(*) {MENTIONS_OF.format(article='p.id')}) as n,"
        f" (select min({FIRST_KEY}) {MENTIONS_OF.format(article='p.id')}) as first_key from page p),"
        " firsts as ("
        f" select c.*, (select m.id {MENTIONS_OF.format(article='c.article_id')}"
        f" and {FIRST_KEY} = c.first_key) as mention_id from counted c)"
        ' select f.article_id, f.n, a.title, a.published_date, a.outlet, h.field, h.start, h."end",'
        " h.text, substr(a.body, 1, 200) as head, h.sentence_start as cut_from,"
        f" substr({FIELD_TEXT}, h.sentence_start + 1, h.sentence_end - h.sentence_start) as around"
        f" from firsts f join mentions h on h.id = f.mention_id join articles a on a.id = f.article_id"
        f" {NEWEST}"
    )


async def _kwic(
    datasette: Any, database: str, entity: dict[str, Any], css: str, page: int
) -> list[dict[str, Any]]:
    """The entity's articles on one page, each with the sentence of its first mention, name marked."""
    db = datasette.get_database(database)
    offset = (page - 1) * ARTICLES_PER_PAGE
    params = {"id": entity["id"], "limit": ARTICLES_PER_PAGE, "offset": offset}
    hits = []
    for r in (await db.execute(kwic_sql(entity.get("article_count") or 0), params)).rows:
        ctx = sentence_context(r["around"] or "", r["start"] - r["cut_from"], r["end"] - r["cut_from"])
        hits.append(
            {
                "href": datasette.urls.row(database, "articles", r["article_id"]),
                "label": article_label(r["title"], r["head"]),
                "untitled": not (r["title"] or "").strip(),
                "date": r["published_date"],
                "outlet": r["outlet"],
                "count": r["n"],
                "field": r["field"],
                "context": ctx.html(lambda hit: f'<mark class="kwic-hit mention {css}">{escape(hit)}</mark>'),
            }
        )
    return hits


async def _speaker_quotes(datasette: Any, database: str, entity_id: str) -> tuple[list[dict[str, Any]], int]:
    """The entity's quotations (the most recent first) and how many there are."""
    db = datasette.get_database(database)
    if not await has_table(db, "quotes"):
        return [], 0
    params = {"id": entity_id, "n": QUOTES_SHOWN}
    total = (await db.execute("select count(*) from quotes where speaker_entity_id = :id", params)).rows[0][0]
    rows = (
        await db.execute(
            "select q.text, q.verb, q.article_id, a.title, a.published_date,"
            " substr(a.body, 1, 200) as head"
            " from quotes q join articles a on a.id = q.article_id where q.speaker_entity_id = :id"
            " order by a.published_date desc, q.article_id, q.start limit :n",
            params,
        )
    ).rows
    quotes = [
        {
            "text": q["text"],
            "verb": q["verb"],
            "href": datasette.urls.row(database, "articles", q["article_id"]),
            "label": article_label(q["title"], q["head"]),
            "date": q["published_date"],
        }
        for q in rows
    ]
    return quotes, total


def co_mention_sql(article_count: int) -> str:
    """The entities most often in the entity's most recent articles: counted from the covering
    index on mentions(article_id, entity_id), only the top ones joined to their names."""
    return (
        f"with mine as ({entity_articles(article_count, 'limit :articles')}),"
        " counted as ("
        " select o.entity_id, count(distinct o.article_id) as shared, count(*) as mentions"
        " from mine join mentions o on o.article_id = mine.id"
        " where o.entity_id != :id group by o.entity_id"
        " order by shared desc, mentions desc, o.entity_id limit :n)"
        " select e.id, e.name, e.type, c.shared, c.mentions from counted c"
        " join entities e on e.id = c.entity_id order by c.shared desc, c.mentions desc, e.id"
    )


async def _co_mentioned(datasette: Any, database: str, entity: dict[str, Any]) -> list[dict[str, Any]]:
    db = datasette.get_database(database)
    params = {"id": entity["id"], "articles": CO_MENTION_ARTICLES, "n": CO_MENTIONED}
    return [
        {
            "href": datasette.urls.row(database, "entities", r["id"]),
            "name": r["name"],
            "type": r["type"],
            "css": type_class(r["type"]),
            "shared": r["shared"],
            "mentions": r["mentions"],
        }
        for r in (await db.execute(co_mention_sql(entity.get("article_count") or 0), params)).rows
    ]


async def _months(db: Any, entity_id: str) -> dict[str, int]:
    """Mentions per month of the articles' published dates."""
    rows = (
        await db.execute(
            "with per as (select article_id, count(*) as n from mentions where entity_id = :id"
            " group by article_id)"
            " select substr(a.published_date, 1, 7) as month, sum(per.n) as n"
            " from per join articles a on a.id = per.article_id"
            " where length(a.published_date) >= 7"
            " group by month order by month",
            {"id": entity_id},
        )
    ).rows
    return {r["month"]: r["n"] for r in rows}


async def entity_page(datasette: Any, database: str, entity_id: str, request: Any) -> dict[str, Any] | None:
    """Everything the entity page shows beyond the row itself."""
    db = datasette.get_database(database)
    urls = datasette.urls
    entity = await _row(db, "entities", entity_id)
    if entity is None:
        return None
    params = {"id": entity_id}
    article_total = entity.get("article_count")
    if article_total is None:
        sql = "select count(distinct article_id) from mentions where entity_id = :id"
        article_total = (await db.execute(sql, params)).rows[0][0]
    pages = max(1, -(-article_total // ARTICLES_PER_PAGE))
    page = min(_page_number(request), pages)
    css = type_class(entity["type"])
    quotes, quote_total = await _speaker_quotes(datasette, database, entity_id)
    timeline = await _months(db, entity_id)
    lat, lon = entity.get("latitude"), entity.get("longitude")
    located = isinstance(lat, int | float) and isinstance(lon, int | float)
    return {
        "entity": entity,
        "css": css,
        "type_name": TYPE_NAMES.get(entity["type"], entity["type"]),
        "aliases": await _ranked(db, "entity_aliases", "alias", params),
        "roles": await _ranked(db, "entity_roles", "role", params),
        "hits": await _kwic(datasette, database, entity, css, page),
        "page": page,
        "per_page": ARTICLES_PER_PAGE,
        "pages": pages,
        "article_total": article_total,
        "page_href": lambda n: urls.row(database, "entities", entity_id) + (f"?page={n}" if n > 1 else ""),
        "quotes": quotes,
        "quote_total": quote_total,
        "co_mentioned": await _co_mentioned(datasette, database, entity),
        "co_mention_capped": article_total > CO_MENTION_ARTICLES,
        "co_mention_articles": CO_MENTION_ARTICLES,
        "timeline": timeline_svg(timeline),
        "timeline_months": len(timeline),
        "map": map_svg(float(lat), float(lon))
        if located and lat is not None and lon is not None
        else Markup(""),
        "located": located,
    }
