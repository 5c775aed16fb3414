"""The release as users see it: a real Datasette app with our metadata, through its test client."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from typing import Any
from urllib.parse import quote

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


@pytest.mark.parametrize(
    "typed", ["Al-Shabaab", "al shabaab", "Ruto's", "Ruto’s", '"foreign spy"', "Gachagua"]
)
def test_search_takes_what_people_type(datasette: Any, release: sqlite3.Connection, typed: str) -> None:
    words = re.findall(r"\w+", typed.lower())
    expected = {
        row["id"]
        for row in release.execute("select id, title, body from articles")
        if re.search(r"\W+".join(words), f"{row['title'] or ''} {row['body']}".lower())
    }
    assert expected, typed
    table = rows(datasette, f"/news/articles.json?_search={quote(typed)}&_col=title")
    assert {row["id"] for row in table} == expected
    found = rows(datasette, f"/news/search_articles.json?q={quote(typed)}")
    assert {row["article_id"] for row in found} == expected
    assert all("\x02" in row["snippet"] and "\x03" in row["snippet"] for row in found)
    html = get(datasette, f"/news/search_articles?q={quote(typed)}").text
    assert '<mark class="search-hit">' in html and "\x02" not in html
    assert f'href="/news/articles/{found[0]["article_id"]}"' in html
    table_html = get(datasette, f"/news/articles?_search={quote(typed)}").text
    assert '<mark class="search-hit">' in table_html


def test_search_syntax_is_never_an_error(datasette: Any) -> None:
    for typed in ['"', "NEAR(", "x OR", "title:", "a AND (b", "*", "-"]:
        assert rows(datasette, f"/news/search_articles.json?q={quote(typed)}") is not None
        assert rows(datasette, f"/news/articles.json?_search={quote(typed)}") is not None


def test_canned_queries_match_partial_names_in_any_case_and_through_aliases(
    datasette: Any, release: sqlite3.Connection
) -> None:
    ruto = entity_id(release, "William Ruto")
    for typed in ("ruto", "WILLIAM", "william ruto"):
        [profile] = [
            r
            for r in rows(datasette, f"/news/entity_profile.json?entity={quote(typed)}")
            if r["entity_id"] == ruto
        ]
        assert profile["name"] == "William Ruto" and "Ruto" in profile["aliases"].split("; ")
        articles = rows(datasette, f"/news/articles_mentioning_entity.json?entity={quote(typed)}&type=person")
        assert {r["article_id"] for r in articles if r["entity_id"] == ruto} == {
            r[0]
            for r in release.execute("select distinct article_id from mentions where entity_id = ?", (ruto,))
        }
    # an alias that is not part of the canonical name still finds the entity
    alias = release.execute(
        "select alias, entity_id from entity_aliases a join entities e on e.id = a.entity_id"
        " where instr(lower(e.name), lower(a.alias)) = 0 limit 1"
    ).fetchone()
    if alias is not None:
        found = rows(datasette, f"/news/entity_profile.json?entity={quote(alias[0].lower())}")
        assert alias[1] in {r["entity_id"] for r in found}
    assert rows(datasette, "/news/articles_mentioning_entity.json?entity=ruto&type=org") == [] or all(
        r["type"] == "ORG"
        for r in rows(datasette, "/news/articles_mentioning_entity.json?entity=ruto&type=org")
    )
    people = rows(datasette, "/news/top_entities_by_type.json?type=person")
    assert people and all(r["type"] == "PERSON" for r in people)


def test_new_canned_queries(datasette: Any, release: sqlite3.Connection) -> None:
    gachagua = entity_id(release, "Rigathi Gachagua")
    pairs = rows(datasette, "/news/co_mention_network.json?entity=gachagua")
    assert pairs and all(gachagua in (p["source_id"], p["target_id"]) for p in pairs)
    assert all(p["source_id"] < p["target_id"] and p["shared_articles"] >= 1 for p in pairs)
    network = rows(datasette, "/news/co_mention_network.json?type=person")
    assert {p["source"] for p in network} | {p["target"] for p in network} >= {
        "William Ruto",
        "Rigathi Gachagua",
    }
    places = rows(datasette, "/news/articles_by_place.json?place=nairobi")
    expected = {
        r[0]
        for r in release.execute(
            "select m.article_id from mentions m join entities e on e.id = m.entity_id"
            " where e.type in ('GPE', 'LOC', 'FAC') and lower(e.name) like '%nairobi%'"
            " union select id from articles where lower(dateline_place) like '%nairobi%'"
        )
    }
    assert {r["article_id"] for r in places} == expected and expected
    timeline = rows(datasette, "/news/entity_timeline.json?entity=ruto")
    dated = release.execute(
        "select count(*) from mentions m join articles a on a.id = m.article_id join entities e"
        " on e.id = m.entity_id where e.name = 'William Ruto' and length(a.published_date) >= 7"
    ).fetchone()[0]
    assert sum(r["mentions"] for r in timeline if r["name"] == "William Ruto") == dated
    html = get(datasette, "/news/entity_profile?entity=gachagua").text
    assert f'<a href="/news/entities/{gachagua}">{gachagua}</a>' in html


def test_sentence_of_a_mention_without_sql(datasette: Any, release: sqlite3.Connection) -> None:
    mention = release.execute(
        "select m.*, a.body from mentions m join articles a on a.id = m.article_id"
        " where field = 'body' limit 1"
    ).fetchone()
    [row] = rows(datasette, f"/news/mention_sentences.json?id={mention['id']}")
    assert row["sentence"] == mention["body"][mention["sentence_start"] : mention["sentence_end"]]
    assert mention["text"] in row["sentence"]
