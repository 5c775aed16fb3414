"""A region's entity page shows its centroid on the map, says it is a centroid, and raises no error.

This module serves its own release, built by the real pipeline from two invented articles naming
Kenyan regions and a US state (tests/support/places.py); `page` follows it, since it asks for
`served_release` and this module's fixture of that name is the nearer one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import run_pipeline, settings_for
from support.browser import ServedRelease, serve
from support.places import write_region_articles


@pytest.fixture(scope="module")
def served_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedRelease]:
    base = tmp_path_factory.mktemp("regions")
    write_region_articles(base / "raw")
    settings = settings_for(base)
    run_pipeline(settings)
    with serve(settings.dist_dir, tmp_path_factory) as served:
        yield served


@pytest.mark.parametrize("name", ["Rift Valley", "Texas"])
def test_a_region_page_shows_its_centroid(page, served_release: ServedRelease, name: str, screenshot):
    ((entity_id, latitude, longitude),) = served_release.query(
        "select id, latitude, longitude from entities"
        " where name = ? and coordinate_source = 'region centroid'",
        (name,),
    )
    page.goto(served_release.url(f"/news/entities/{entity_id}"))
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.place-map circle.dot").count() == 1
    caption = page.locator("figure.map figcaption").inner_text()
    assert f"{latitude:.2f}, {longitude:.2f}" in caption and "region centroid" in caption
    screenshot(page, f"entity-region-{name.lower().replace(' ', '-')}")
    assert not page.log.errors
    assert not page.log.external


def test_the_table_of_places_maps_regions_without_a_script_error(page, served_release: ServedRelease):
    page.goto(served_release.url("/news/entities?coordinate_source=region+centroid"))
    page.wait_for_load_state("networkidle")
    rows = served_release.query("select count(*) from entities where coordinate_source = 'region centroid'")
    assert page.locator("table.rows-and-columns tbody tr").count() == rows[0][0] >= 2
    assert page.locator(".leaflet-container .leaflet-marker-icon").count() >= 1
    # the cluster map's background tiles are the one thing fetched from outside, and blocked here
    assert page.log.external and all(".tile.openstreetmap.org/" in url for url in page.log.external)
    assert [error for error in page.log.errors if not error.startswith("Failed to load resource")] == []
