"""`datapackage.json`: the release as a Frictionless Data Package (v2), from the models' descriptions.

Each published table is a tabular resource over its Parquet file, with its schema (types,
descriptions, required columns, primary and foreign keys); `news.db` is a resource of its own.
Every file has its size and SHA-256. Nothing in it depends on a clock, so it is as stable as the data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.outputs.files import RELEASE_FILE, parquet_file
from pipeline.outputs.publish import sha256_file
from pipeline.schema.describe import (
    DESCRIPTION,
    LICENSE,
    LICENSE_URL,
    ColumnFacts,
    column_facts,
    table_description,
)
from pipeline.schema.models import published_tables

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "news-entities"
LICENSE_ID = "CC-BY-4.0"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
SQLITE_MEDIATYPE = "application/vnd.sqlite3"


def _field(column: ColumnFacts) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.data_type, "description": column.description}
    constraints: dict[str, Any] = {"required": True} if column.required else {}
    if column.values is not None:
        constraints["enum"] = list(column.values)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: str) -> dict[str, Any]:
    """The Table Schema of one published table."""
    columns = column_facts(table)
    schema: dict[str, Any] = {
        "fields": [_field(column) for column in columns],
        "primaryKey": [column.name for column in columns if column.primary_key],
    }
    foreign_keys = []
    for column in columns:
        if column.references is None:
            continue
        target, target_column = column.references
        reference: dict[str, Any] = {"fields": [target_column]}
        if target != table:  # a reference to the same resource leaves `resource` out
            reference = {"resource": target, **reference}
        foreign_keys.append({"fields": [column.name], "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _file(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    return {"path": name, "bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def build_datapackage(folder: Path, facts: dict[str, str]) -> dict[str, Any]:
    """The descriptor for the release files in `folder`, whose `dataset_info` is `facts`."""
    resources: list[dict[str, Any]] = [
        {
            "name": "news-db",
            "title": "The whole release as one SQLite database (with full-text search and views)",
            **_file(folder, RELEASE_FILE),
            "mediatype": SQLITE_MEDIATYPE,
        }
    ]
    for table in published_tables():
        resources.append(
            {
                "name": table,
                "type": "table",
                "description": table_description(table),
                **_file(folder, parquet_file(table)),
                "format": "parquet",
                "mediatype": PARQUET_MEDIATYPE,
                "schema": table_schema(table),
            }
        )
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": facts["title"],
        "description": DESCRIPTION,
        "version": facts["release_version"],
        "licenses": [{"name": LICENSE_ID, "path": LICENSE_URL, "title": LICENSE}],
        "sources": [{"title": facts["source"]}],
        "keywords": ["news", "named entities", "NER", "quotations"],
        "content_sha256": facts["content_sha256"],
        "pipeline_version": facts["pipeline_version"],
        "ner_model": facts["ner_model"],
        "resources": resources,
    }


def write_datapackage(folder: Path, facts: dict[str, str], name: str) -> None:
    text = json.dumps(build_datapackage(folder, facts), indent=2, ensure_ascii=False) + "\n"
    (folder / name).write_text(text, encoding="utf-8")
