"""Crawler archives (`.warc`, `.warc.gz`): each HTML response record is one article.

warcio reads the archive record by record from a file object, so a multi-GB WARC streams: only
one record's payload is in memory at a time (and a payload over the size limit is skipped, not
read). Each HTML `response` record's payload is decoded (`decode_raw`) and read by the HTML source
(`pipeline.sources.html.read_page`), with the record's target URI as the URL and its WARC-Date
as the fetch time (the published-date fallback). Every other record (warcinfo, request, metadata,
revisit, a non-HTML or empty response, an HTTP error or redirect) is a rejection with its reason.

Offsets: an article's runs point into that record's decoded HTML payload (`SourceRecord.raw_text`),
not into the WARC file. The record key is the record's byte offset in the (compressed) file.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pipeline.errors import RejectedInput
from pipeline.sources.base import CleanedArticle, SourceDocument, SourceRecord
from pipeline.sources.decoding import DEFAULT_MAX_BYTES, decode_raw, describe_size
from pipeline.sources.html import read_page

if TYPE_CHECKING:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.recordloader import ArcWarcRecord

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
RECORD_END = b"\r\n\r\n"


def _key(offset: int) -> str:
    return f"record at byte {offset}"


def _content_type(record: ArcWarcRecord) -> str:
    if record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type")
        if value:
            return str(value).split(";")[0].strip().lower()
    identified = record.rec_headers.get_header("WARC-Identified-Payload-Type") or ""
    return str(identified).split(";")[0].strip().lower()


def _status(record: ArcWarcRecord) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _read_payload(record: ArcWarcRecord, max_bytes: int) -> bytes:
    stream = record.content_stream()
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RejectedInput(f"response payload is over the {describe_size(max_bytes)} limit: skipped")
    return bytes(data)


def _payload(record: ArcWarcRecord, max_bytes: int) -> bytes:
    """The payload of an HTML response record; raises `RejectedInput` for any other record."""
    kind = record.rec_type
    if kind != "response":
        what = {
            "warcinfo": "a warcinfo record (about the archive itself)",
            "request": "a request record (what the crawler sent)",
            "metadata": "a metadata record",
            "revisit": "a revisit record (a duplicate of an earlier response, no payload)",
            "resource": "a resource record without HTTP headers",
            "conversion": "a conversion record",
        }.get(kind, f"a {kind} record")
        raise RejectedInput(f"{what}, not an HTML response")
    status = _status(record)
    if status is not None and not 200 <= status < 300:
        raise RejectedInput(f"HTTP {status} response, not a page")
    content_type = _content_type(record)
    if content_type and not content_type.startswith(HTML_TYPES):
        raise RejectedInput(f"response is {content_type}, not HTML")
    payload = _read_payload(record, max_bytes)
    if not payload.strip():
        raise RejectedInput("response has no payload")
    return payload


def _article(record: ArcWarcRecord, max_bytes: int) -> dict[str, Any]:
    """The article of one response record and the decoded payload its offsets index into."""
    text = decode_raw(_payload(record, max_bytes), max_bytes=max_bytes).text
    url = record.rec_headers.get_header("WARC-Target-URI")
    fetched = record.rec_headers.get_header("WARC-Date")
    return {"article": read_page(text, url=url, fetched=fetched).article, "raw_text": text}


def _stored(record: ArcWarcRecord, max_bytes: int) -> dict[str, Any]:
    """The payload of one response record as ingest stores it, with its address."""
    return {"payload": _payload(record, max_bytes), "url": record.rec_headers.get_header("WARC-Target-URI")}


def _check_header(stream: IO[bytes]) -> None:
    """Reject a file that does not start with a WARC record header (gzipped or not)."""
    position = stream.tell()
    head = stream.read(4096)
    stream.seek(position)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error as error:
            raise RejectedInput(f"not a readable WARC file: corrupt gzip ({error})") from error
    if not head.lstrip(b"\r\n").startswith(b"WARC/"):
        raise RejectedInput("not a readable WARC file: it does not start with a WARC/1.x record header")


def _member_is_complete(stream: IO[bytes], offset: int, size: int, max_bytes: int) -> bool:
    """Whether the gzip member at `offset` (the last one of the file) ends where a gzip member should."""
    stream.seek(offset)
    data = stream.read(min(size - offset, max_bytes * 2))
    if not data.startswith(b"\x1f\x8b"):
        return True
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        decompressor.decompress(data)
    except zlib.error:
        return False
    return decompressor.eof


@dataclass
class _Progress:
    """How far the archive was read: records seen and the byte where the last one ended."""

    seen: int = 0
    end: int | None = None


def records_from_stream(
    stream: IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    size: int | None = None,
    payloads: bool = False,
) -> Iterator[SourceRecord]:
    """Every record of a WARC read from `stream` (gzipped or not), one at a time.

    Args:
        stream: a seekable binary file object positioned at the start of the archive.
        max_bytes: a response payload larger than this is rejected without being read into memory.
        size: the archive's size in bytes, when known: a cut-off last record and bytes left after
            the last record that could be read are reported as rejections.
        payloads: yield each HTML response's raw payload (for ingest to store) instead of its
            cleaned article.

    Yields:
        One `SourceRecord` per WARC record, in file order: an article (offsets into
        `raw_text`, the record's decoded payload) or the reason it is not one.

    Raises:
        RejectedInput: the file is not a WARC at all.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_header(stream)
    iterator = ArchiveIterator(stream, no_record_parse=False, arc2warc=True)
    progress = _Progress()
    pending: SourceRecord | None = None  # held back one record: the last may turn out cut off
    try:
        for record in _read_records(iterator, max_bytes=max_bytes, payloads=payloads, progress=progress):
            if pending is not None:
                yield pending
            pending = record
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as error:
        # ArchiveLoadFailed: warcio lost the record structure; the others: a truncated or corrupt gzip member
        if pending is not None:
            yield pending
            pending = None
        if isinstance(error, ArchiveLoadFailed):
            reason = f"WARC breaks off after {progress.seen} records: {error}"
        else:
            reason = (
                f"truncated or corrupt WARC after {progress.seen} records ({type(error).__name__}: {error})"
            )
        yield _after_last_record(progress, size, reason)
    if pending is not None:
        yield from _last_records(stream, pending, progress, size=size, max_bytes=max_bytes)


def _read_records(
    iterator: ArchiveIterator, *, max_bytes: int, payloads: bool, progress: _Progress
) -> Iterator[SourceRecord]:
    """Each record warcio reads, as a source record; warcio's errors on a broken archive pass through."""
    for record in iterator:
        fetched = record.rec_headers.get_header("WARC-Date")
        outcome = _outcome(record, max_bytes=max_bytes, payloads=payloads)
        # asked only now: warcio reads (and drops) the rest of the record to answer
        offset, length = iterator.get_record_offset(), iterator.get_record_length()
        missing = getattr(record.raw_stream, "limit", 0) or 0
        if missing > 0:
            reason = f"record is truncated: the file ends {missing:,} bytes before the record does"
            outcome = {"rejection": reason}
        progress.seen += 1
        progress.end = offset + length if length is not None else None
        yield SourceRecord(
            key=_key(offset), line=None, byte_start=offset, byte_end=progress.end, fetched=fetched, **outcome
        )


def _outcome(record: ArcWarcRecord, *, max_bytes: int, payloads: bool) -> dict[str, Any]:
    """The record's article (or payload), or the reason it has none."""
    try:
        return (_stored if payloads else _article)(record, max_bytes)
    except RejectedInput as error:
        return {"rejection": error.reason}
    except Exception as error:  # a broken payload must not stop the archive
        return {"rejection": f"record could not be read ({type(error).__name__}: {error})"}


def _after_last_record(progress: _Progress, size: int | None, reason: str) -> SourceRecord:
    """A rejection for the bytes after the last record that could be read."""
    return SourceRecord(
        key=f"after record {progress.seen}",
        line=None,
        byte_start=progress.end,
        byte_end=size,
        rejection=reason,
    )


def _last_records(
    stream: IO[bytes], pending: SourceRecord, progress: _Progress, *, size: int | None, max_bytes: int
) -> Iterator[SourceRecord]:
    """The last record (a rejection if its gzip member is cut off), then any bytes left after it."""
    if (
        size is not None
        and pending.byte_start is not None
        and not _member_is_complete(stream, pending.byte_start, size, max_bytes)
    ):
        pending = SourceRecord(
            key=pending.key,
            line=None,
            byte_start=pending.byte_start,
            byte_end=size,
            fetched=pending.fetched,
            rejection="record is truncated: its gzip member is cut off (truncated or corrupt gzip)",
        )
    yield pending
    end = progress.end
    # an uncompressed WARC ends each record with two CRLFs that warcio does not count
    if size is not None and end is not None and size - end > len(RECORD_END):
        reason = f"{size - end:,} bytes after the last readable record: truncated or corrupt WARC"
        yield _after_last_record(progress, size, reason)


def records_from_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, payloads: bool = False
) -> Iterator[SourceRecord]:
    """Every record of the WARC file at `path`, streamed from disk (memory stays flat).

    This is how ingest reads WARC files (`payloads=True`): the archive is never held whole, and
    each HTML response's payload is stored as a document of its own, which its article's offsets
    index into.
    """
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        yield from records_from_stream(stream, max_bytes=max_bytes, size=size, payloads=payloads)


class WarcSource:
    """WARC archives from crawlers: one article per HTML response record."""

    name = "warc"

    def accepts(self, path: str) -> bool:
        return path.lower().endswith(WARC_SUFFIXES)

    def article(self, document: SourceDocument) -> CleanedArticle:
        raise RejectedInput(
            "a WARC archive holds many records: it is read record by record (records_from_path)"
        )

    def records(self, document: SourceDocument) -> Iterator[SourceRecord]:
        """Records of a WARC whose text is already in memory (small, uncompressed, UTF-8 archives).

        Prefer `records_from_path`, which streams; this re-encodes the decoded text as UTF-8, so
        byte offsets are those of that encoding.
        """
        data = document.text.encode("utf-8")
        yield from records_from_stream(io.BytesIO(data), size=len(data))


SOURCE = WarcSource()
