"""The release as users see it: a real Datasette app with our metadata, through its test client."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from typing import Any

import pytest
from conftest import SampleRun

from pipeline.outputs.datasette import make_datasette


@pytest.fixture(scope="module")
def datasette(sample_run: SampleRun) -> Any:
    return make_datasette(sample_run.settings)


def get(datasette: Any, path: str) -> Any:
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


def rows(datasette: Any, path: str) -> list[dict[str, Any]]:
    separator = "&" if "?" in path else "?"
    return get(datasette, f"{path}{separator}_shape=objects").json()["rows"]


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def entity_id(release: sqlite3.Connection, name: str) -> str:
    return release.execute("select id from entities where name = ?", (name,)).fetchone()[0]


def test_article_page(datasette: Any, release: sqlite3.Connection) -> None:
    article_id = release.execute("select id from articles where section = 'Governance'").fetchone()[0]
    [article] = rows(datasette, f"/news/articles/{article_id}.json")
    assert article["title"].startswith("Details Of President William Ruto")
    html = get(datasette, f"/news/articles/{article_id}").text
    assert "Closed Door Meetings" in html


def test_entity_with_its_mentions(datasette: Any, release: sqlite3.Connection) -> None:
    ruto = entity_id(release, "William Ruto")
    [entity] = rows(datasette, f"/news/entities/{ruto}.json")
    assert entity["type"] == "PERSON"
    mentions = rows(datasette, f"/news/mentions.json?entity_id={ruto}&_size=max")
    assert len(mentions) == entity["mention_count"]
    assert {mention["text"] for mention in mentions} >= {"William Ruto", "Ruto"}
    page = visible_text(get(datasette, f"/news/entities/{ruto}").text)
    assert f"{entity['mention_count']} rows from entity_id in mentions" in page


def test_full_text_search(datasette: Any) -> None:
    found = rows(datasette, "/news/articles.json?_search=Gachagua")
    assert len(found) == 1
    assert "Gachagua" in found[0]["body"]
    assert rows(datasette, "/news/articles.json?_search=zebra") == []


def test_canned_queries(datasette: Any) -> None:
    articles = rows(datasette, "/news/articles_mentioning_entity.json?entity=William+Ruto")
    assert len(articles) == 2
    together = rows(datasette, "/news/entities_mentioned_with.json?entity=Rigathi+Gachagua")
    names = {row["name"] for row in together}
    assert "William Ruto" in names and "Rigathi Gachagua" not in names
    people = rows(datasette, "/news/top_entities_by_type.json?type=PERSON")
    assert people[0]["name"] == "William Ruto"
    assert all(row["type"] == "PERSON" for row in people)


def test_metadata_descriptions_shown(datasette: Any) -> None:
    html = get(datasette, "/news/mentions").text
    assert "Every place an entity is named" in html
    facets = get(datasette, "/news/entities.json?_facet=type").json()["facet_results"]
    assert "type" in facets


def test_database_download_is_the_release(datasette: Any, sample_run: SampleRun) -> None:
    response = get(datasette, "/news.db")
    release_bytes = sample_run.settings.release_path.read_bytes()
    assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(release_bytes).hexdigest()


def test_quotes_by_speaker_query(datasette: Any) -> None:
    quotes = rows(datasette, "/news/quotes_by_speaker.json?entity=William+Ruto")
    assert len(quotes) >= 2
    assert {quote["verb"] for quote in quotes} >= {"said"}


def test_places_are_on_the_map(datasette: Any) -> None:
    plugins = {plugin["name"] for plugin in get(datasette, "/-/plugins.json").json()}
    assert "datasette-cluster-map" in plugins
    located = rows(datasette, "/news/entities.json?latitude__notblank=1&_size=max")
    assert "Nairobi" in {row["name"] for row in located}
    html = get(datasette, "/news/entities?latitude__notblank=1").text
    assert "datasette-cluster-map" in html
