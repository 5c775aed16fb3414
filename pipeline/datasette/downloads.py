"""The release's files (Parquet, data package, card, notes, checksums) served beside its database.

Only files listed in the SHA256SUMS next to the served `news.db` are served, so nothing else in
that folder can be fetched, and the database page lists them with their sizes and hashes to cite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.datasette import pages
from pipeline.outputs.files import CHECKSUMS_FILE
from pipeline.outputs.publish import read_checksums

ROUTE = r"^/-/release/(?P<name>[^/]+)$"
CONTENT_TYPES = {
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".db": "application/vnd.sqlite3",
}


def release_folder(db: Any) -> Path | None:
    """The folder of a file-backed database, where its release files are."""
    path = getattr(db, "path", None)
    return Path(path).resolve().parent if path else None


def listed_files(folder: Path) -> dict[str, str]:
    """{file: sha256} of the release in `folder`, SHA256SUMS itself included (without a hash)."""
    sums = read_checksums(folder / CHECKSUMS_FILE)
    return {**sums, CHECKSUMS_FILE: ""} if sums else {}


async def downloads(datasette: Any, database: str) -> list[dict[str, Any]]:
    """The release's files for the database page: name, link, size and SHA-256."""
    folder = release_folder(datasette.get_database(database))
    if folder is None:
        return []
    rows = []
    for name, sha in sorted(listed_files(folder).items()):
        path = folder / name
        if path.is_file():
            href = datasette.urls.path(f"/-/release/{name}")
            rows.append({"name": name, "href": href, "bytes": path.stat().st_size, "sha256": sha})
    return rows


async def release_file(datasette: Any, request: Any, send: Any) -> Any:
    """Send one listed file of a served release, or 404."""
    from datasette.utils.asgi import NotFound, asgi_send_file

    name = request.url_vars["name"]
    for db in datasette.databases.values():
        folder = release_folder(db)
        if folder is None or not await pages.is_news_release(db) or name not in listed_files(folder):
            continue
        path = folder / name
        if path.is_file():
            content_type = CONTENT_TYPES.get(path.suffix, "text/plain; charset=utf-8")
            return await asgi_send_file(send, str(path), filename=name, content_type=content_type)
    raise NotFound(f"{name} is not a file of a served release")
