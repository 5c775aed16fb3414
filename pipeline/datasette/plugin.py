"""Datasette hooks: reading pages for articles and entities, labels for untitled articles, table order.

The hooks stay thin: `pages` reads the release, `text` turns text into HTML, the templates lay it out.
They act only on a database that has the release's tables (`pages.is_news_release`), so installing
the package changes nothing for any other database Datasette serves.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs

from datasette import hookimpl as datasette_hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup, escape

from pipeline.datasette import downloads, pages
from pipeline.datasette.search import (
    SEARCH_TERMS,
    body_snippet,
    fts_query,
    hit_pattern,
    marked,
    snippet_html,
)
from pipeline.datasette.text import article_label

Hook = TypeVar("Hook", bound=Callable[..., Any])
hookimpl = cast(Callable[[Hook], Hook], datasette_hookimpl)
CellRenderer = Callable[[], Awaitable[Markup | None]]

PLUGIN_NAME = "pipeline.datasette"
CSS_FILE = "news.css"
# Readers' tables first, then the working tables (audit and provenance); anything else after them.
TABLE_ORDER = (
    "articles",
    "entities",
    "mentions",
    "quotes",
    "entity_aliases",
    "entity_roles",
    "removed_segments",
    "dropped_spans",
    "extraction_rules",
    "rejections",
    "dataset_info",
)
ARTICLE_LABEL_CACHE_SIZE = 10_000
FTS_QUERY_FUNCTION = "news_fts_query"
# Columns of the canned queries' results that hold an id, and the table it is the key of.
ID_COLUMNS = {
    "article_id": "articles",
    "entity_id": "entities",
    "source_id": "entities",
    "target_id": "entities",
}


def table_rank(name: str) -> tuple[int, str]:
    """Sort key putting the published tables in reading order."""
    try:
        return (TABLE_ORDER.index(name), name)
    except ValueError:
        return (len(TABLE_ORDER), name)


def order_tables(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The database page's table list in reading order, hidden tables still last."""
    return sorted(tables, key=lambda t: (bool(t.get("hidden")), table_rank(t["name"])))


def order_databases(
    databases: list[dict[str, Any]], news_tables: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The home page's databases with each release's tables all listed, in reading order."""
    ordered = []
    for database in databases:
        tables = news_tables.get(database["name"])
        if tables is not None:
            database = {**database, "tables_and_views_truncated": tables, "tables_and_views_more": False}
        ordered.append(database)
    return ordered


STATIC_DIR = Path(__file__).resolve().parent / "static"


@functools.cache
def static_name() -> str:
    """The name Datasette serves our static folder under: the distribution's, or the module's."""
    from datasette.plugins import get_plugins

    for plugin in get_plugins():
        if plugin["static_path"] and Path(plugin["static_path"]).resolve() == STATIC_DIR:
            return str(plugin["name"])
    return PLUGIN_NAME


NO_MAP_SCRIPT = """
document.addEventListener("DOMContentLoaded", () => {
  const valid = (cell, limit) => {
    const value = parseFloat(cell ? cell.textContent : "");
    return !isNaN(value) && Math.abs(value) <= limit;
  };
  const rows = document.querySelectorAll("table.rows-and-columns tbody tr");
  const located = Array.prototype.some.call(rows, (row) =>
    valid(row.querySelector("td.col-latitude"), 90) && valid(row.querySelector("td.col-longitude"), 180));
  if (!located) {
    window.DATASETTE_CLUSTER_MAP_LATITUDE_COLUMN = "no map: no located row";
    window.DATASETTE_CLUSTER_MAP_LONGITUDE_COLUMN = "no map: no located row";
  }
});
"""
"""Runs before datasette-cluster-map (an inline script's listener is added before a module's): a
page without one located row gets no map, where the cluster map would fit itself to no points
("Bounds are not valid") and leave an empty map and a script error."""


FOLDED_COLUMNS_SCRIPT = """
document.addEventListener("DOMContentLoaded", () => {
  for (const list of document.querySelectorAll("dl.column-descriptions")) {
    const folded = document.createElement("details");
    folded.className = "column-descriptions";
    const summary = document.createElement("summary");
    summary.textContent = `What each column holds (${list.querySelectorAll("dt").length} columns)`;
    list.replaceWith(folded);
    folded.append(summary, list);
  }
});
"""
"""A table page opens on its rows: the column descriptions (two dozen lines for `articles`) fold
away under one line. Without scripts they stay as Datasette shows them."""


@hookimpl
def extra_body_script(
    database: str | None, columns: list[str] | None, view_name: str, datasette: Any
) -> Callable[[], Awaitable[str]]:
    async def inner() -> str:
        if view_name != "table" or not database:
            return ""
        if not await pages.is_news_release(datasette.get_database(database)):
            return ""
        located = {"latitude", "longitude"} <= set(columns or ())
        return FOLDED_COLUMNS_SCRIPT + (NO_MAP_SCRIPT if located else "")

    return inner


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(downloads.ROUTE, downloads.release_file)]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(static_name(), CSS_FILE)]


@hookimpl
def extra_template_vars(
    database: str | None, table: str | None, view_name: str, request: Any, datasette: Any
) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def inner() -> dict[str, Any]:
        if view_name == "index":
            return {
                "news_tables": await _index_tables(datasette, request),
                "news_order_databases": order_databases,
            }
        if not database or database not in datasette.databases:
            return {}
        db = datasette.get_database(database)
        if not await pages.is_news_release(db):
            return {}
        if view_name == "database":
            return {
                "news_order_tables": order_tables,
                "news_downloads": await downloads.downloads(datasette, database),
                "news_release": await pages.release_facts(db),
            }
        if view_name != "row" or request is None or "pks" not in request.url_vars:
            return {}
        pk_values = urlsafe_components(request.url_vars["pks"])
        if len(pk_values) != 1:
            return {}
        if table == "articles":
            return {"news_article": await pages.article_page(datasette, database, pk_values[0])}
        if table == "entities":
            return {"news_entity": await pages.entity_page(datasette, database, pk_values[0], request)}
        return {}

    return inner


async def _index_tables(datasette: Any, request: Any) -> dict[str, list[dict[str, Any]]]:
    """Per release database, its visible tables in reading order with their row counts."""
    result = {}
    for name, db in datasette.databases.items():
        if not await pages.is_news_release(db):
            continue
        hidden = set(await db.hidden_table_names())
        counts = await db.table_counts(10) if not db.is_mutable else {}
        tables = []
        for table in sorted(await db.table_names(), key=table_rank):
            if table in hidden:
                continue
            visible, private = await datasette.check_visibility(
                request.actor if request else None, "view-table", (name, table)
            )
            if visible:
                tables.append({"name": table, "count": counts.get(table), "private": private})
        result[name] = tables
    return result


@functools.partial(datasette_hookimpl, trylast=True)
def prepare_connection(conn: Any) -> None:
    """`news_fts_query(text)`: free text as a safe FTS5 query, for the search canned query.

    On a release it also replaces Datasette's `escape_fts` (table search), which sends a lone `"`
    to FTS5 as an empty query, a syntax error; `trylast` so ours is registered after Datasette's.
    """
    conn.create_function(FTS_QUERY_FUNCTION, 1, fts_query, deterministic=True)
    found = conn.execute("select 1 from sqlite_master where name = 'articles_fts'").fetchone()
    if found:
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Remember each request's `_search`, so the articles table can show a snippet around the hit."""

    def wrap(app: Any) -> Any:
        async def with_search(scope: dict[str, Any], receive: Any, send: Any) -> None:
            terms = None
            if scope.get("type") == "http":
                terms = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("_search", [None])[0]
            token = SEARCH_TERMS.set(terms)
            try:
                await app(scope, receive, send)
            finally:
                SEARCH_TERMS.reset(token)

        return with_search

    return wrap


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> CellRenderer | None:
    """Labels for untitled articles, short bodies with the search hit, links and snippets in queries."""
    if table is None:
        return _query_cell(value, column, database, datasette)
    if table == "articles" and column == "body" and isinstance(value, str):
        return _release_only(database, datasette, lambda: body_snippet(value, SEARCH_TERMS.get()))
    pattern = hit_pattern(SEARCH_TERMS.get() or "")
    if table == "articles" and column == "title" and pattern and isinstance(value, str) and value.strip():
        return _release_only(database, datasette, lambda: marked(value, pattern))
    if table == "articles" and column == "title" and not (value or "").strip():
        return _untitled_cell(row, database, datasette)
    if isinstance(value, dict) and "label" in value and not (value.get("label") or "").strip():
        return _fallback_link(value["value"], column, table, database, datasette)
    return None


def _release_only(database: str, datasette: Any, render: Callable[[], Markup]) -> CellRenderer:
    async def inner() -> Markup | None:
        if not await pages.is_news_release(datasette.get_database(database)):
            return None
        return render()

    return inner


def _query_cell(value: Any, column: str, database: str, datasette: Any) -> CellRenderer | None:
    """In a query's results: a snippet's hits marked, an id a link to its article or entity page."""
    if column == "snippet" and isinstance(value, str):
        return _release_only(database, datasette, lambda: snippet_html(value))
    target = ID_COLUMNS.get(column)
    if target is None or not isinstance(value, str) or not value:
        return None

    def link() -> Markup:
        href = datasette.urls.row(database, target, tilde_encode(value))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')

    return _release_only(database, datasette, link)


def _untitled_cell(row: Any, database: str, datasette: Any) -> CellRenderer:
    async def inner() -> Markup | None:
        db = datasette.get_database(database)
        if not await pages.is_news_release(db):
            return None
        keys = row.keys() if hasattr(row, "keys") else []
        body = row["body"] if "body" in keys else None
        if body is None and "id" in keys:
            body = await _article_head(datasette, database, row["id"])
        return Markup(f'<span class="untitled">{escape(article_label(None, body))}</span>')

    return inner


def _fallback_link(article_id: Any, column: str, table: str, database: str, datasette: Any) -> CellRenderer:
    async def inner() -> Markup | None:
        db = datasette.get_database(database)
        if not await pages.is_news_release(db):
            return None
        targets = {fk["column"]: fk["other_table"] for fk in await db.foreign_keys_for_table(table)}
        if targets.get(column) != "articles":
            return None
        label = article_label(None, await _article_head(datasette, database, article_id))
        href = datasette.urls.table(database, "articles") + "/" + tilde_encode(str(article_id))
        return Markup(
            f'<a href="{escape(href)}" class="untitled">{escape(label)}</a>'
            f' <em class="fk-id">{escape(article_id)}</em>'
        )

    return inner


async def _article_head(datasette: Any, database: str, article_id: Any) -> str | None:
    """The start of an article's body, cached: the release is read-only while it is served."""
    db = datasette.get_database(database)
    cache: dict[Any, str | None] = db.__dict__.setdefault("_news_pages_heads", {})
    if article_id not in cache:
        rows = (
            await db.execute("select substr(body, 1, 200) from articles where id = :id", {"id": article_id})
        ).rows
        if len(cache) >= ARTICLE_LABEL_CACHE_SIZE:
            cache.clear()
        cache[article_id] = rows[0][0] if rows else None
    return cache[article_id]
