"""Search, canned queries and downloads in a real browser, as a new user would try them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from pipeline.outputs.publish import read_checksums
from pipeline.schema.describe import QUERIES

# What a user might type into each canned query's form: lower case, part of a name.
TYPED = {
    "search_articles": {"q": "al-shabaab"},
    "entity_profile": {"entity": "ruto", "type": "person"},
    "articles_mentioning_entity": {"entity": "gachagua", "type": ""},
    "entities_mentioned_with": {"entity": "rigathi", "type": "person"},
    "co_mention_network": {"entity": "ruto", "type": ""},
    "articles_by_place": {"place": "nairobi"},
    "entity_timeline": {"entity": "ruto", "type": ""},
    "quotes_by_speaker": {"entity": "william"},
    "top_entities_by_type": {"type": "person"},
}


def test_every_canned_query_has_typed_input() -> None:
    assert set(TYPED) == set(QUERIES)


@pytest.mark.parametrize("typed", ["Al-Shabaab", "Ruto's"])
def test_the_search_box_takes_what_people_type(page, served_release, screenshot, typed: str) -> None:
    page.goto(served_release.url("/news/articles"))
    page.fill('input[name="_search"]', typed)
    page.press('input[name="_search"]', "Enter")
    page.wait_for_load_state()
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() >= 1
    assert page.locator("table.rows-and-columns mark.search-hit").count() >= 1
    assert "Invalid SQL" not in page.content()
    screenshot(page, "search-" + "".join(c for c in typed.lower() if c.isalnum()))
    assert not page.log.errors
    assert not page.log.external


def expected_rows(served_release, name: str, params: dict[str, str]) -> int:
    query = "&".join(f"{key}={quote(value)}" for key, value in params.items())
    response = httpx.get(served_release.url(f"/news/{name}.json?{query}&_shape=objects"), timeout=30)
    assert response.status_code == 200, response.text[:300]
    return len(response.json()["rows"])


@pytest.mark.parametrize("name", sorted(TYPED))
def test_each_canned_query_with_a_lower_case_partial_name(
    page, served_release, screenshot, name: str
) -> None:
    params = TYPED[name]
    page.goto(served_release.url(f"/news/{name}"))
    for key, value in params.items():
        page.fill(f'form input[name="{key}"]', value)
    page.locator('form input[type="submit"]').first.click()
    page.wait_for_load_state()
    expected = expected_rows(served_release, name, params)
    if name != "entity_timeline":  # the samples carry no publication dates
        assert expected >= 1, name
    assert page.locator("table.rows-and-columns tbody tr").count() == expected
    links = page.locator(
        'table.rows-and-columns td a[href^="/news/entities/"], td a[href^="/news/articles/"]'
    )
    if expected and name != "entity_timeline":
        assert links.count() >= 1, "the ids are links to the reading pages"
    assert "None" not in page.locator("section.content").inner_text()
    screenshot(page, f"query-{name}")
    assert not page.log.errors
    assert not page.log.external


def _download(tab, selector: str) -> bytes:
    with tab.expect_download() as info:
        tab.click(selector)
    return Path(info.value.path()).read_bytes()


def test_the_database_and_the_parquet_files_download(page, served_release, screenshot) -> None:
    sums = read_checksums(served_release.db_path.parent / "SHA256SUMS")
    page.goto(served_release.url("/news"))
    listed = page.locator(".news-downloads a").all_inner_texts()
    assert set(sums) <= set(listed)
    version = served_release.query("select value from dataset_info where key = 'release_version'")[0][0]
    assert version in page.locator(".news-downloads").inner_text()
    screenshot(page, "downloads")
    wanted = ["news.db", *sorted(name for name in sums if name.endswith(".parquet"))]
    assert len(wanted) > 5
    for name in wanted:
        # a fresh page for each: Chromium blocks a page's many automatic downloads after the first few
        page.goto(served_release.url("/news"))
        data = page.in_browser_thread(_download, f'.news-downloads a:text-is("{name}")')
        assert hashlib.sha256(data).hexdigest() == sums[name], name
    assert not page.log.errors
