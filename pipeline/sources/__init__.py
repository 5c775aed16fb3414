"""Input kinds: each module reads one kind of file into articles; `SOURCES` is tried in order.

To add a kind, write a module with a `SOURCE` object (`name`, `accepts`, `article`, and `records`
for files of many articles; see `base.Source`) and add it to `SOURCES` before the plain-text
fallback.
"""

from __future__ import annotations

from pipeline.sources import html, markdown, plaintext, records, warc
from pipeline.sources.base import Source

SOURCES: tuple[Source, ...] = (html.SOURCE, warc.SOURCE, records.SOURCE, markdown.SOURCE, plaintext.SOURCE)
# Markup this early in a file no other source claims means a saved web page, whatever its name.
SNIFFED_CHARS = 2_000


def source_for(path: str, text: str | None = None) -> Source:
    """The first source that reads the file at `path`; plain text reads anything.

    With the text at hand, a page saved under another name (`page.txt` holding HTML) is read as
    HTML rather than as text with tags in it.
    """
    source = next(source for source in SOURCES if source.accepts(path))
    if source is plaintext.SOURCE and text is not None and html.looks_like_html(text[:SNIFFED_CHARS]):
        return html.SOURCE
    return source
