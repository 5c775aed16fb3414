"""Descriptions are written once, in the models; the committed Datasette metadata must follow them."""

from __future__ import annotations

import json

from conftest import REPO

from pipeline.schema.describe import QUERIES, build_metadata, render_metadata
from pipeline.schema.models import Base, published_tables


def test_committed_metadata_is_current() -> None:
    committed = (REPO / "datasette-metadata.json").read_text(encoding="utf-8")
    assert committed == render_metadata(), "run `pipeline metadata` to regenerate datasette-metadata.json"


def test_every_table_and_column_is_described() -> None:
    for table in Base.metadata.sorted_tables:
        assert table.comment, f"{table.name} has no description"
        for column in table.columns:
            assert column.comment, f"{table.name}.{column.name} has no description"


def test_metadata_covers_published_tables_only() -> None:
    tables = build_metadata()["databases"]["news"]["tables"]
    for name in published_tables():
        assert tables[name]["description"]
        assert set(tables[name]["columns"]) == {c.name for c in Base.metadata.tables[name].columns}
    assert not any(name.startswith(("raw_", "work_")) for name in tables)


def test_metadata_has_licence_source_facets_and_queries() -> None:
    metadata = json.loads(render_metadata())
    assert metadata["license"] and metadata["source"] and metadata["title"]
    database = metadata["databases"]["news"]
    assert "type" in database["tables"]["entities"]["facets"]
    assert "section" in database["tables"]["articles"]["facets"]
    assert database["tables"]["articles"]["fts_table"] == "articles_fts"
    assert set(database["queries"]) == set(QUERIES)
    for query in database["queries"].values():
        assert query["sql"].lstrip().startswith(("select", "with"))  # read-only
