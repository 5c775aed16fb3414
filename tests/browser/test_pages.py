"""Reading pages in a real browser: an article with its mentions, an entity with its sentences."""

from __future__ import annotations

import asyncio
import re

MAX_PAGE_HEIGHT = 8000  # px: the old article page was 10,000 px of squeezed table cell


def article_ids(release, untitled: bool | None = None) -> list[str]:
    where = ""
    if untitled is True:
        where = "where title is null or trim(title) = ''"
    elif untitled is False:
        where = "where trim(title) != ''"
    return [r["id"] for r in release.query(f"select id from articles {where} order by id")]


def body_mentions(release, article_id: str) -> int:
    sql = "select count(*) from mentions where article_id = ? and field = 'body'"
    return release.query(sql, (article_id,))[0][0]


def page_height(tab) -> int:
    return tab.evaluate("document.documentElement.scrollHeight")


def test_article_page_highlights_every_body_mention(page, served_release, screenshot):
    for n, article_id in enumerate(article_ids(served_release)):
        page.goto(served_release.url(f"/news/articles/{article_id}"))
        highlighted = page.locator(".article-body .mention")
        assert highlighted.count() == body_mentions(served_release, article_id)
        assert page.locator(".legend li").count() >= 1
        assert page.locator(".article-entities .entity-list li").count() >= 1
        # each highlighted mention reads exactly the text the mentions table records
        expected = sorted(
            r["text"]
            for r in served_release.query(
                "select text from mentions where article_id = ? and field = 'body'", (article_id,)
            )
        )
        assert sorted(highlighted.all_inner_texts()) == expected
        assert page_height(page) < MAX_PAGE_HEIGHT
        screenshot(page, f"article-{n + 1}")
    assert not page.log.errors
    assert not page.log.external


def test_article_page_shows_quotes_and_folds_the_audit(page, served_release):
    article_id = served_release.query(
        "select article_id from quotes where speaker_entity_id is not null order by article_id limit 1"
    )[0][0]
    page.goto(served_release.url(f"/news/articles/{article_id}"))
    assert (
        page.locator(".quotes blockquote").count()
        == served_release.query("select count(*) from quotes where article_id = ?", (article_id,))[0][0]
    )
    assert page.locator(".quotes .attribution a.mention").count() >= 1
    audit = page.locator("details.audit")
    assert audit.get_attribute("open") is None
    removed = served_release.query(
        "select count(*) from removed_segments where article_id = ?", (article_id,)
    )
    audit.locator("summary").click()
    assert audit.locator("tbody tr").count() == removed[0][0]


def test_article_page_folds_the_names_the_rules_dropped(page, served_release):
    article_id, dropped = served_release.query(
        "select article_id, count(*) from dropped_spans group by article_id order by article_id limit 1"
    )[0]
    page.goto(served_release.url(f"/news/articles/{article_id}"))
    drops = page.locator("details.drops")
    assert drops.get_attribute("open") is None
    drops.locator("summary").click()
    rows = drops.locator("tbody tr")
    assert rows.count() == dropped
    rule, description = served_release.query(
        "select d.rule, r.description from dropped_spans d join extraction_rules r on r.name = d.rule"
        " where d.article_id = ? order by d.field, d.start limit 1",
        (article_id,),
    )[0]
    assert rows.first.locator("td").first.inner_text() == rule
    assert rows.first.locator("td").first.get_attribute("title") == description


def test_clicking_a_mention_opens_its_entity_with_the_sentence(page, served_release, screenshot):
    article_id = article_ids(served_release, untitled=False)[0]
    page.goto(served_release.url(f"/news/articles/{article_id}"))
    mention = page.locator(".article-body a.mention.t-PERSON").first
    name = mention.inner_text()
    mention.click()
    page.wait_for_load_state()
    match = re.search(r"/news/entities/([0-9a-f]+)$", page.url)
    assert match, page.url
    entity_id = match.group(1)
    entity = served_release.query("select * from entities where id = ?", (entity_id,))[0]
    assert page.locator("h1").inner_text().startswith(entity["name"])
    assert name in [
        r[0] for r in served_release.query("select text from mentions where entity_id = ?", (entity_id,))
    ]
    items = page.locator(".kwic-list li")
    assert items.count() == min(20, entity["article_count"])
    first = items.first
    hit = first.locator("mark.kwic-hit")
    assert hit.count() == 1
    context = first.locator(".kwic-context").inner_text()
    assert hit.inner_text() in context and len(context) > len(hit.inner_text()) + 20
    # the context is one sentence: it does not run on past a full stop followed by more text
    assert not re.search(r"[.!?]\s+\S", context.split(hit.inner_text())[-1].rstrip(" …").rstrip(".!?")), (
        context
    )
    assert page.locator(".co-mentioned .entity-list li").count() >= 1
    assert page_height(page) < MAX_PAGE_HEIGHT
    screenshot(page, "entity-person")
    assert not page.log.errors
    assert not page.log.external


def test_untitled_articles_never_show_none(page, served_release, screenshot):
    untitled = article_ids(served_release, untitled=True)
    assert untitled, "the release has no untitled article to check"
    for article_id in untitled:
        page.goto(served_release.url(f"/news/articles/{article_id}"))
        heading = page.locator("h1").inner_text().strip()
        assert heading and heading != "None"
        assert "None" not in page.locator("section.content").inner_text()
        assert "None" not in page.title()
        screenshot(page, "article-untitled")
        # where other tables label the article by its id
        for table in ("mentions", "quotes", "removed_segments"):
            page.goto(served_release.url(f"/news/{table}?article_id={article_id}"))
            assert "None" not in page.locator("table.rows-and-columns").inner_text(), table
        page.goto(served_release.url("/news/articles"))
        assert "None" not in page.locator("table.rows-and-columns").inner_text()


def test_entity_without_a_place_has_no_map_and_no_script_error(page, served_release):
    entity_id = served_release.query(
        "select id from entities where latitude is null and type = 'PERSON'"
        " order by mention_count desc limit 1"
    )[0][0]
    page.goto(served_release.url(f"/news/entities/{entity_id}"))
    page.wait_for_load_state("networkidle")
    assert page.locator(".place-map").count() == 0
    assert not page.log.errors
    assert not page.log.external


def test_entity_with_a_place_shows_it_without_tiles(page, served_release, screenshot):
    rows = served_release.query(
        "select id from entities where latitude is not null and longitude is not null"
        " order by mention_count desc"
    )
    page.goto(served_release.url(f"/news/entities/{rows[0][0]}"))
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.place-map circle.dot").count() == 1
    screenshot(page, "entity-place")
    assert not page.log.errors
    assert not page.log.external


def test_home_and_database_pages_list_articles_first(page, served_release, screenshot):
    page.goto(served_release.url("/"))
    links = page.locator('section.content p a[href^="/news/"]').all_inner_texts()
    assert links[:4] == ["articles", "entities", "mentions", "quotes"], links
    page.goto(served_release.url("/news"))
    tables = page.locator("section.content h3 a").all_inner_texts()
    assert tables[:4] == ["articles", "entities", "mentions", "quotes"], tables
    screenshot(page, "database")


def test_entity_search_without_places_has_no_script_error(page, served_release):
    page.goto(served_release.url("/news/entities?_search=Ruto"))
    page.wait_for_load_state("networkidle")
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    assert not [e for e in page.log.errors if "Failed to load resource" not in e], page.log.errors


def test_the_browser_leaves_no_event_loop_in_the_main_thread(page, served_release):
    """Later tests run Datasette's in-process client with asyncio.run in this thread."""
    page.goto(served_release.url("/news"))
    assert page.locator("h1").count() == 1

    async def answer() -> int:
        return 42

    assert asyncio.run(answer()) == 42


def test_a_table_page_opens_on_its_rows_with_the_column_descriptions_folded(page, served_release, screenshot):
    page.goto(served_release.url("/news/articles"))
    folded = page.locator("details.column-descriptions")
    assert folded.count() == 1 and folded.get_attribute("open") is None
    assert re.fullmatch(r"What each column holds \(\d+ columns\)", folded.locator("summary").inner_text())
    assert not page.locator("dl.column-descriptions dt").first.is_visible()
    first_row = page.locator("table.rows-and-columns tbody tr").first
    assert first_row.bounding_box()["y"] < 900, "the rows start on the first screen"
    folded.locator("summary").click()
    assert page.locator("dl.column-descriptions dt").first.inner_text() == "id"
    screenshot(page, "articles-table")
