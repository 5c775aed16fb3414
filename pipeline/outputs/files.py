"""The names of the files a release is made of, written once."""

from __future__ import annotations

RELEASE_FILE = "news.db"
METADATA_FILE = "datasette-metadata.json"
CHECKSUMS_FILE = "SHA256SUMS"
DATAPACKAGE_FILE = "datapackage.json"
CARD_FILE = "README.md"
NOTES_FILE = "RELEASE_NOTES.md"
PARQUET_SUFFIX = ".parquet"


def parquet_file(table: str) -> str:
    """The Parquet file of one published table."""
    return f"{table}{PARQUET_SUFFIX}"


def release_files(tables: list[str]) -> list[str]:
    """Every file of a release but SHA256SUMS (which lists them all), given the published tables."""
    return sorted(
        [RELEASE_FILE, METADATA_FILE, DATAPACKAGE_FILE, CARD_FILE, NOTES_FILE, *map(parquet_file, tables)]
    )
