"""Ingest: every file under the raw folder -> raw documents stored verbatim, by content hash.

Content is stored once per SHA-256; paths are versioned, so a changed file keeps its old content,
and the same bytes under two names are one document with both paths. A gzipped file is stored as
its compressed bytes and decoded from what it unpacks to. A WARC archive is streamed record by
record: each HTML response's payload is stored as a document of its own under the archive's path
plus `#` and the record's byte offset (`crawl.warc.gz#40960`); every other record is a rejection.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, update

from pipeline.errors import RejectedInput
from pipeline.ids import chunked, utc_now
from pipeline.schema.models import RawDocument, RawDocumentPath, Rejection
from pipeline.settings import Settings
from pipeline.sources import warc
from pipeline.sources.base import SourceRecord
from pipeline.sources.compression import decompress
from pipeline.sources.decoding import decode_raw
from pipeline.sources.discover import Discovery, FoundFile, own_outputs, read_error
from pipeline.stages.base import rejection_row
from pipeline.store.engine import sqlite_path

STAGE = "ingest"
HASH_CHUNK_BYTES = 1 << 20


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


def _file_sha256(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file read in chunks, so an archive is never held whole."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _Ingest:
    """One ingest run's view of the stored paths and contents, and the rows it adds."""

    def __init__(self, connection: Connection, settings: Settings) -> None:
        self.connection = connection
        self.settings = settings
        self.now = utc_now()
        self.report = IngestReport()
        self.known = {
            row.sha256: row.decode_error
            for row in connection.execute(select(RawDocument.sha256, RawDocument.decode_error))
        }
        self.current = {
            row.path: (row.id, row.sha256, row.record_of)
            for row in connection.execute(
                select(
                    RawDocumentPath.id,
                    RawDocumentPath.path,
                    RawDocumentPath.sha256,
                    RawDocumentPath.record_of,
                ).where(RawDocumentPath.is_current)
            )
        }
        self.latest_version = dict(
            connection.execute(
                select(RawDocumentPath.path, RawDocumentPath.version).order_by(RawDocumentPath.version)
            ).all()
        )
        self.seen: set[str] = set()
        self.unchanged_ids: list[int] = []
        self.rejections: list[dict[str, object]] = []

    def reject(self, path: str, sha256: str | None, reason: str, record: str | None = None) -> None:
        self.report.rejections.append((f"{path} ({record})" if record else path, reason))
        self.rejections.append(rejection_row(path, sha256, reason, STAGE, record))

    def store_content(self, sha256: str, content: bytes | None, size: int, decode_from: str | None) -> None:
        """Store content not seen before, with its decoded text when `decode_from` names its kind."""
        if sha256 in self.known:
            return
        text = encoding = repairs = problem = None
        if decode_from is not None and content is not None:
            try:
                unpacked = decompress(decode_from, content, max_bytes=self.settings.max_file_bytes)
                decoded = decode_raw(unpacked, max_bytes=self.settings.max_file_bytes)
            except RejectedInput as rejected:
                problem = rejected.reason
            else:
                text, encoding = decoded.text, decoded.encoding
                repairs = "\n".join(decoded.repairs) or None
        self.connection.execute(
            insert(RawDocument).values(
                sha256=sha256,
                size=size,
                content=content,
                encoding=encoding,
                text=text,
                decode_repairs=repairs,
                decode_error=problem,
                first_seen_at=self.now,
            )
        )
        self.known[sha256] = problem
        self.report.new_documents += 1

    def record_path(self, path: str, sha256: str, **record: object) -> bool:
        """Make `sha256` the current content of `path`; False when it already was."""
        self.seen.add(path)
        previous = self.current.get(path)
        if previous is not None and previous[1] == sha256:
            self.unchanged_ids.append(previous[0])
            self.report.unchanged += 1
            return False
        if previous is not None:
            self.connection.execute(
                update(RawDocumentPath).where(RawDocumentPath.id == previous[0]).values(is_current=False)
            )
        self.connection.execute(
            insert(RawDocumentPath).values(
                path=path,
                version=self.latest_version.get(path, 0) + 1,
                sha256=sha256,
                is_current=True,
                first_seen_at=self.now,
                last_seen_at=self.now,
                **record,
            )
        )
        self.report.new_versions += 1
        return True

    def add_file(self, found: FoundFile) -> None:
        self.report.files += 1
        if found.location is not None:
            self.add_archive(found.path, found.location)
            return
        if found.content is None:
            self.seen.add(found.path)
            self.reject(found.path, None, found.error or "cannot be read")
            return
        sha256 = hashlib.sha256(found.content).hexdigest()
        self.store_content(sha256, found.content, len(found.content), decode_from=found.path)
        problem = self.known[sha256]
        if problem is not None:
            self.reject(found.path, sha256, problem)
        self.record_path(found.path, sha256)

    def add_archive(self, path: str, location: Path) -> None:
        """Store an archive (whole when within the size limit) and each of its HTML responses."""
        try:
            sha256, size = _file_sha256(location)
        except OSError as error:
            self.seen.add(path)
            self.reject(path, None, read_error(location, error))
            return
        within_limit = size <= self.settings.max_file_bytes
        if sha256 not in self.known:
            self.store_content(sha256, location.read_bytes() if within_limit else None, size, None)
        if not self.record_path(path, sha256):
            self.keep_records(path)
            return
        try:
            records = warc.records_from_path(location, max_bytes=self.settings.max_file_bytes, payloads=True)
            for record in records:
                self.add_record(path, sha256, record)
        except RejectedInput as rejected:
            self.reject(path, sha256, rejected.reason)
        except OSError as error:
            self.reject(path, sha256, read_error(location, error))

    def keep_records(self, archive: str) -> None:
        """An unchanged archive keeps its stored records: they are marked seen, not read again."""
        members = [(member, row_id) for member, (row_id, _sha, of) in self.current.items() if of == archive]
        for member, row_id in members:
            self.seen.add(member)
            self.unchanged_ids.append(row_id)
        previous = self.connection.execute(
            select(Rejection.sha256, Rejection.reason, Rejection.record).where(
                Rejection.stage == STAGE, Rejection.source_path == archive
            )
        ).all()
        for sha256, reason, record in previous:
            self.reject(archive, sha256, reason, record)

    def add_record(self, archive: str, archive_sha256: str, record: SourceRecord) -> None:
        if record.payload is None:
            self.reject(archive, archive_sha256, record.rejection or "not an article", record.key)
            return
        sha256 = hashlib.sha256(record.payload).hexdigest()
        self.store_content(sha256, record.payload, len(record.payload), decode_from=".html")
        problem = self.known[sha256]
        if problem is not None:
            self.reject(archive, sha256, problem, record.key)
            return
        self.record_path(
            f"{archive}#{record.byte_start}",
            sha256,
            record_of=archive,
            record_key=record.key,
            byte_start=record.byte_start,
            byte_end=record.byte_end,
            record_url=record.url,
            fetched_at=record.fetched,
        )

    def finish(self) -> IngestReport:
        for ids in chunked(self.unchanged_ids):
            self.connection.execute(
                update(RawDocumentPath).where(RawDocumentPath.id.in_(ids)).values(last_seen_at=self.now)
            )
        gone = [row_id for path, (row_id, _sha, _of) in self.current.items() if path not in self.seen]
        for ids in chunked(gone):
            self.connection.execute(
                update(RawDocumentPath).where(RawDocumentPath.id.in_(ids)).values(is_current=False)
            )
        self.report.removed_paths = len(gone)
        self.connection.execute(delete(Rejection).where(Rejection.stage == STAGE))
        if self.rejections:
            self.connection.execute(insert(Rejection), self.rejections)
        return self.report


def ingest(connection: Connection, settings: Settings) -> IngestReport:
    """Store every file under the raw folder; record versions, removals and rejections.

    Runs inside the caller's transaction so a crash leaves the previous state intact.
    """
    run = _Ingest(connection, settings)
    database = sqlite_path(settings.database_url)
    discovery = Discovery(
        settings.raw_dir, own_outputs(settings.dist_dir, database), streamed_suffixes=warc.WARC_SUFFIXES
    )
    for found in discovery.files():
        run.add_file(found)
    run.report.own_outputs = discovery.own_outputs
    return run.finish()
