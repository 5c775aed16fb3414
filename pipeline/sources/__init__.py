"""Input kinds: each module reads one kind of file into an article; `SOURCES` is tried in order.

To add a kind, copy `plaintext.py` (a `SOURCE` object with `accepts` and `article`) and add it to
`SOURCES` before the plain-text fallback.
"""

from __future__ import annotations

from pipeline.sources import plaintext
from pipeline.sources.base import Source

SOURCES: tuple[Source, ...] = (plaintext.SOURCE,)


def source_for(path: str) -> Source:
    """The first source that reads the file at `path`; plain text reads anything."""
    return next(source for source in SOURCES if source.accepts(path))
