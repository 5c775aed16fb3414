"""The files written beside `news.db` once it is built: Parquet, release notes, data package, card.

EXPORTERS is the seam: adding an output file is one module and one line here. They run in order
over the staging folder (the data package lists the Parquet files, so it comes after them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pipeline.outputs.card import write_card
from pipeline.outputs.datapackage import write_datapackage
from pipeline.outputs.files import CARD_FILE, DATAPACKAGE_FILE, NOTES_FILE, RELEASE_FILE
from pipeline.outputs.notes import write_notes
from pipeline.outputs.parquet import write_parquet


@dataclass(frozen=True)
class ExportContext:
    """Where the new release is being built, and the release it replaces (if any)."""

    staging: Path
    previous: Path | None
    written: frozenset[str] = frozenset()
    """The tables whose Parquet file the build wrote already (in its hashing pass)."""

    @property
    def release(self) -> Path:
        return self.staging / RELEASE_FILE

    def facts(self) -> dict[str, str]:
        with closing(sqlite3.connect(f"file:{self.release}?mode=ro", uri=True)) as connection:
            return dict(connection.execute("select key, value from dataset_info"))


def _parquet(context: ExportContext) -> None:
    write_parquet(context.release, context.staging, context.written)


def _notes(context: ExportContext) -> None:
    version = context.facts()["release_version"]
    write_notes(context.previous, context.release, version, context.staging / NOTES_FILE)


def _datapackage(context: ExportContext) -> None:
    write_datapackage(context.staging, context.facts(), DATAPACKAGE_FILE)


def _card(context: ExportContext) -> None:
    write_card(context.release, context.staging / CARD_FILE)


EXPORTERS: tuple[Callable[[ExportContext], None], ...] = (_parquet, _notes, _datapackage, _card)


def write_exports(staging: Path, previous: Path | None, written: frozenset[str] = frozenset()) -> None:
    """Write every export of the release in `staging`; `previous` is the release it replaces
    (its `news.db`), `written` the tables whose Parquet file the build wrote already."""
    context = ExportContext(staging, previous, written)
    for exporter in EXPORTERS:
        exporter(context)
