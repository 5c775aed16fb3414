"""Ingest: every file under the raw folder -> raw documents stored verbatim, by content hash.

Content is stored once per SHA-256; paths are versioned, so a changed file keeps its old content,
and the same bytes under two names are one document with both paths.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, update

from pipeline.errors import ConfigurationError, RejectedInput
from pipeline.ids import chunked, utc_now
from pipeline.schema.models import RawDocument, RawDocumentPath, Rejection
from pipeline.settings import Settings
from pipeline.sources.decoding import decode_raw
from pipeline.stages.base import rejection_row

STAGE = "ingest"


@dataclass(frozen=True)
class FoundFile:
    """A file under the raw folder: its relative path and its bytes, or why they cannot be read."""

    path: str
    content: bytes | None
    error: str | None = None


@dataclass
class IngestReport:
    """What one ingest run did, for the CLI and the tests."""

    files: int = 0
    new_documents: int = 0
    new_versions: int = 0
    unchanged: int = 0
    removed_paths: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)


def _read_error(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if error.errno == errno.ENOENT:
        return "is a broken symbolic link"
    return f"cannot be read: {error.strerror or error}"


def walk_raw(raw_dir: Path) -> Iterator[FoundFile]:
    """Files under `raw_dir` in a stable order; hidden files and folders are skipped.

    Symbolic links to files are read; links to folders are not followed, which keeps link loops
    from walking forever.
    """
    if not raw_dir.is_dir():
        raise ConfigurationError(f"raw folder {raw_dir} does not exist or is not a folder")
    for folder, subfolders, files in os.walk(raw_dir, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        base = Path(folder)
        for name in sorted(subfolders):
            if (base / name).is_symlink():
                relative = (base / name).relative_to(raw_dir).as_posix()
                yield FoundFile(relative, None, "is a symbolic link to a folder, not followed")
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = base / name
            relative = path.relative_to(raw_dir).as_posix()
            try:
                content = path.read_bytes()
            except OSError as error:
                yield FoundFile(relative, None, _read_error(error))
                continue
            yield FoundFile(relative, content)


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
    for found in walk_raw(settings.raw_dir):
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
    return report
