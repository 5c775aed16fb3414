"""Stable ids, content hashes, time stamps and batching: the small helpers every stage shares."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")

ID_SEPARATOR = "\x1f"


def stable_id(*parts: str) -> str:
    """A 16-hex-digit id derived from content, so reruns give the same ids."""
    return hashlib.sha256(ID_SEPARATOR.join(parts).encode()).hexdigest()[:16]


def sha256_hex(*parts: str) -> str:
    """The full SHA-256 of the parts joined by the id separator: a cache key or fingerprint."""
    return hashlib.sha256(ID_SEPARATOR.join(parts).encode()).hexdigest()


def utc_now() -> str:
    """The current time in UTC, to the second, as ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def chunked(items: Sequence[T], size: int = 5000) -> Iterator[Sequence[T]]:
    """Slices of `items`, small enough for SQLite's limit on bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def entity_id(label: str, name: str) -> str:
    """Stable id of the entity with this type and canonical name."""
    return stable_id("entity", label, name)


def mention_id(article_id: str, field: str, start: int, end: int) -> str:
    """Stable id of a mention: its article, column and offsets."""
    return stable_id(article_id, field, str(start), str(end))


def quote_id(article_id: str, field: str, start: int, end: int) -> str:
    """Stable id of a quotation: its article, column and offsets."""
    return stable_id("quote", article_id, field, str(start), str(end))


def dropped_span_id(article_id: str, field: str, start: int, end: int) -> str:
    """Stable id of a span the rules dropped: its article, column and offsets."""
    return stable_id("dropped", article_id, field, str(start), str(end))
