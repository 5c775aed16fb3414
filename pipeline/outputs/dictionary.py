"""The data dictionary inside `news.db`: every published table, view and column with its description.

Built from the same column facts as the Datasette metadata and the data package, so a downloaded
`news.db` describes itself in the models' words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from pipeline.schema.describe import column_facts, data_type, table_description
from pipeline.schema.models import Base, DataDictionary, published_tables
from pipeline.schema.views import VIEWS, View


def _table_rows(table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [_own_row(table, table_description(table))]
    for position, column in enumerate(column_facts(table), start=1):
        target = column.references
        rows.append(
            {
                "table_name": table,
                "column_name": column.name,
                "position": position,
                "data_type": column.data_type,
                "required": column.required,
                "primary_key": column.primary_key,
                "references": f"{target[0]}.{target[1]}" if target else None,
                "description": column.description,
            }
        )
    return rows


def _own_row(table: str, description: str) -> dict[str, Any]:
    return {
        "table_name": table,
        "column_name": "",
        "position": 0,
        "data_type": None,
        "required": None,
        "primary_key": None,
        "references": None,
        "description": description,
    }


def _view_type(view: View, column: str) -> str:
    for source in (view.source, "articles"):
        table = Base.metadata.tables[source]
        if column in table.c:
            return data_type(table.c[column])
    return "string"


def _view_rows(view: View) -> list[dict[str, Any]]:
    rows = [_own_row(view.name, view.description)]
    for position, (column, description) in enumerate(view.columns, start=1):
        row = _own_row(view.name, description)
        row.update(column_name=column, position=position, data_type=_view_type(view, column))
        rows.append(row)
    return rows


def dictionary_rows() -> list[dict[str, Any]]:
    """Every row of `data_dictionary`, in key order."""
    rows = [row for table in published_tables() for row in _table_rows(table)]
    rows += [row for view in VIEWS for row in _view_rows(view)]
    return sorted(rows, key=lambda row: (row["table_name"], row["column_name"]))


def write_dictionary(connection: Connection) -> None:
    connection.execute(insert(DataDictionary), dictionary_rows())
    connection.commit()
