"""Site furniture counted by difference: how many of each site's pages print each line, kept.

`furniture.furniture_by_site` counts every page of a corpus in one pass. Kept in the working
database (`work_site_pages`, `work_site_lines`), the counts change by what changed: a new page
adds its lines, a page gone (or moved to another site) takes its lines away, and 100 pages added
beside 10,000 read 100 texts, not 10,100. The furniture found is the one-pass count's, line for
line (`tests/stages/test_site_lines.py` holds them equal over rounds of random changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from pipeline.errors import PipelineError
from pipeline.ids import chunked
from pipeline.schema.models import RawDocument, WorkSiteLine, WorkSitePage
from pipeline.sources import furniture
from pipeline.store.state import finished_with, record_finished_with
from pipeline.store.upsert import GrowingTable, upsert

STAGE = "site_lines"
"""The `work_stage_state` row holding the code version the counts were made with."""
TEXTS_PER_FETCH = 200


@dataclass(frozen=True)
class Page:
    """One page text to count: its content, the path its folder site comes from, its sidecar."""

    sha256: str
    path: str
    sidecar_sha256: str | None


SiteOf = Callable[[Page, str | None], str]
"""The site of a page, given its sidecar's text (None without one)."""


@dataclass(frozen=True)
class SiteFurniture:
    """Each page's site and each site's furniture lines (sites with none are left out)."""

    site_of: dict[str, str]
    """Page content hash -> site."""
    lines: dict[str, frozenset[str]]
    """Site -> its furniture lines, normalised."""


def site_furniture(
    connection: Connection,
    pages: Sequence[Page],
    site_of: SiteOf,
    version: str,
    *,
    min_pages: int = furniture.DEFAULT_MIN_PAGES,
    min_share: float = furniture.DEFAULT_MIN_SHARE,
) -> SiteFurniture:
    """Bring the stored counts up to `pages` (the corpus' current page texts) and read the furniture.

    Args:
        connection: the working database, in the caller's transaction.
        pages: every current page text, once each (unique content hashes).
        site_of: computes a new page's site from the page and its sidecar's text.
        version: the code version the counts depend on; another one counts every page again.
        min_pages: as in `furniture.repeated_lines`.
        min_share: as in `furniture.repeated_lines`.
    """
    if finished_with(connection, STAGE) != version:
        connection.execute(delete(WorkSiteLine))
        connection.execute(delete(WorkSitePage))
        record_finished_with(connection, STAGE, version)
    stored = {row.sha256: row for row in connection.execute(select(WorkSitePage))}
    current = {page.sha256: page for page in pages}
    gone = [
        row
        for sha, row in stored.items()
        if sha not in current or Page(sha, row.path, row.sidecar_sha256) != current[sha]
    ]
    gone_shas = {row.sha256 for row in gone}
    new = [page for page in pages if page.sha256 not in stored or page.sha256 in gone_shas]
    deltas: Counter[tuple[str, str]] = Counter()
    for row, text in zip(gone, _texts(connection, [row.sha256 for row in gone]), strict=True):
        deltas.update({(row.site, line): -1 for line in furniture.page_lines(text or "")})
    sites = {sha: row.site for sha, row in stored.items() if sha not in gone_shas}
    added: list[dict[str, object]] = []
    texts = iter(
        _texts(connection, [sha for page in new for sha in (page.sha256, page.sidecar_sha256 or "")])
    )
    for page in new:
        text, sidecar_text = next(texts), next(texts)
        site = sites[page.sha256] = site_of(page, sidecar_text if page.sidecar_sha256 else None)
        deltas.update({(site, line): 1 for line in furniture.page_lines(text or "")})
        added.append(
            {"sha256": page.sha256, "path": page.path, "sidecar_sha256": page.sidecar_sha256, "site": site}
        )
    for batch in chunked(sorted(gone_shas)):
        connection.execute(delete(WorkSitePage).where(WorkSitePage.sha256.in_(batch)))
    for rows in chunked(added):
        connection.execute(insert(WorkSitePage), rows)
    _apply(connection, deltas)
    return SiteFurniture(sites, _furniture_lines(connection, min_pages, min_share))


def _texts(connection: Connection, shas: Sequence[str]) -> Iterator[str | None]:
    """The decoded texts of `shas`, in their order (None for an empty hash or an undecodable one)."""
    for batch in chunked(list(shas), TEXTS_PER_FETCH):
        wanted = {sha for sha in batch if sha}
        query = select(RawDocument.sha256, RawDocument.text).where(RawDocument.sha256.in_(wanted))
        found: dict[str, str | None] = dict(connection.execute(query).all()) if wanted else {}
        yield from (found.get(sha) for sha in batch)


def _apply(connection: Connection, deltas: Counter[tuple[str, str]]) -> None:
    """Add the deltas to the stored page counts; a line no page prints any more is deleted."""
    by_site: dict[str, list[str]] = {}
    for site, line in sorted(key for key, delta in deltas.items() if delta):
        by_site.setdefault(site, []).append(line)
    growing = GrowingTable(connection, WorkSiteLine)
    for site, site_lines in by_site.items():
        for batch in chunked(site_lines, 500):
            # one site and a list of its lines: a search of the key's index for each line (SQLite
            # reads the whole table for a list of (site, line) pairs: quadratic in a big corpus)
            of_site = (WorkSiteLine.site == site, WorkSiteLine.line.in_(batch))
            query = select(WorkSiteLine.line, WorkSiteLine.pages).where(*of_site)
            stored = dict(connection.execute(query).tuples().all())
            after = {line: stored.get(line, 0) + deltas[(site, line)] for line in batch}
            if min(after.values()) < 0:
                raise PipelineError(
                    "site furniture's line counts are off: a page taken away was never counted"
                )
            kept = [{"site": site, "line": line, "pages": n} for line, n in after.items() if n > 0]
            upsert(connection, WorkSiteLine, kept, ("site", "line"))
            growing.wrote(len(kept))
            emptied = [line for line, n in after.items() if n == 0]
            if emptied:
                connection.execute(
                    delete(WorkSiteLine).where(WorkSiteLine.site == site, WorkSiteLine.line.in_(emptied))
                )


def _furniture_lines(connection: Connection, min_pages: int, min_share: float) -> dict[str, frozenset[str]]:
    """Each site's lines printed on at least `max(min_pages, min_share * its pages)` of its pages."""
    totals = connection.execute(
        select(WorkSitePage.site, func.count()).group_by(WorkSitePage.site).having(func.count() >= min_pages)
    ).all()
    lines: dict[str, frozenset[str]] = {}
    for site, total in totals:
        threshold = max(min_pages, min_share * total)
        found = connection.execute(
            select(WorkSiteLine.line).where(WorkSiteLine.site == site, WorkSiteLine.pages >= threshold)
        ).scalars()
        repeated = frozenset(found)
        if repeated:
            lines[site] = repeated
    return lines
