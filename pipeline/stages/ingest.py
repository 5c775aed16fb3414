"""Ingest: every file under the raw folder -> raw documents stored verbatim, by content hash.

Content is stored once per SHA-256; paths are versioned, so a changed file keeps its old content,
and the same bytes under two names are one document with both paths.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select, update

from pipeline.errors import RejectedInput
from pipeline.ids import chunked, utc_now
from pipeline.schema.models import RawDocument, RawDocumentPath, Rejection
from pipeline.settings import Settings
from pipeline.sources.decoding import decode_raw
from pipeline.sources.discover import Discovery, own_outputs
from pipeline.stages.base import rejection_row
from pipeline.store.engine import sqlite_path

STAGE = "ingest"


@dataclass
class IngestReport:
    """What one ingest run did, for the CLI and the tests."""

    files: int = 0
    new_documents: int = 0
    new_versions: int = 0
    unchanged: int = 0
    removed_paths: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)
    own_outputs: list[str] = field(default_factory=list)
    """The pipeline's own outputs found inside the raw folder, and not read."""


def _store_content(
    connection: Connection, sha256: str, content: bytes, settings: Settings, now: str
) -> str | None:
    """Store new content with its decoded text; returns the decoding problem, if any."""
    try:
        decoded = decode_raw(content, max_bytes=settings.max_file_bytes)
    except RejectedInput as rejected:
        text: str | None = None
        encoding: str | None = None
        repairs: str | None = None
        problem: str | None = rejected.reason
    else:
        text, encoding, problem = decoded.text, decoded.encoding, None
        repairs = "\n".join(decoded.repairs) or None
    connection.execute(
        insert(RawDocument).values(
            sha256=sha256,
            size=len(content),
            content=content,
            encoding=encoding,
            text=text,
            decode_repairs=repairs,
            decode_error=problem,
            first_seen_at=now,
        )
    )
    return problem


def ingest(connection: Connection, settings: Settings) -> IngestReport:
    """Store every file under the raw folder; record versions, removals and rejections.

    Runs inside the caller's transaction so a crash leaves the previous state intact.
    """
    report = IngestReport()
    now = utc_now()
    known = {
        row.sha256: (row.decode_error is not None, row.decode_error)
        for row in connection.execute(select(RawDocument.sha256, RawDocument.decode_error))
    }
    current = {
        row.path: (row.id, row.sha256, row.version)
        for row in connection.execute(
            select(
                RawDocumentPath.id, RawDocumentPath.path, RawDocumentPath.sha256, RawDocumentPath.version
            ).where(RawDocumentPath.is_current)
        )
    }
    latest_version = dict(
        connection.execute(
            select(RawDocumentPath.path, RawDocumentPath.version).order_by(RawDocumentPath.version)
        ).all()
    )
    connection.execute(delete(Rejection).where(Rejection.stage == STAGE))
    seen: set[str] = set()
    unchanged_ids: list[int] = []
    rejections: list[dict[str, object]] = []
    database = sqlite_path(settings.database_url)
    discovery = Discovery(settings.raw_dir, own_outputs(settings.dist_dir, database))
    for found in discovery.files():
        report.files += 1
        seen.add(found.path)
        if found.content is None:
            reason = found.error or "cannot be read"
            report.rejections.append((found.path, reason))
            rejections.append(rejection_row(found.path, None, reason, STAGE))
            continue
        sha256 = hashlib.sha256(found.content).hexdigest()
        if sha256 not in known:
            problem = _store_content(connection, sha256, found.content, settings, now)
            known[sha256] = (problem is not None, problem)
            report.new_documents += 1
        undecodable, problem = known[sha256]
        if undecodable:
            reason = problem or "could not be decoded as text"
            report.rejections.append((found.path, reason))
            rejections.append(rejection_row(found.path, sha256, reason, STAGE))
        previous = current.get(found.path)
        if previous is not None and previous[1] == sha256:
            unchanged_ids.append(previous[0])
            report.unchanged += 1
            continue
        if previous is not None:
            connection.execute(
                update(RawDocumentPath).where(RawDocumentPath.id == previous[0]).values(is_current=False)
            )
        connection.execute(
            insert(RawDocumentPath).values(
                path=found.path,
                version=latest_version.get(found.path, 0) + 1,
                sha256=sha256,
                is_current=True,
                first_seen_at=now,
                last_seen_at=now,
            )
        )
        report.new_versions += 1
    for ids in chunked(unchanged_ids):
        connection.execute(
            update(RawDocumentPath).where(RawDocumentPath.id.in_(ids)).values(last_seen_at=now)
        )
    gone = [row_id for path, (row_id, _sha, _version) in current.items() if path not in seen]
    if gone:
        connection.execute(
            update(RawDocumentPath).where(RawDocumentPath.id.in_(gone)).values(is_current=False)
        )
        report.removed_paths = len(gone)
    if rejections:
        connection.execute(insert(Rejection), rejections)
    report.own_outputs = discovery.own_outputs
    return report
