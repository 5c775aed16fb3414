"""Input kinds: each module reads one kind of file into articles; `sources()` are tried in order.

To add a kind, write a module with a `SOURCE` object (`name`, `accepts`, `article`, and `records`
for files of many articles; see `base.Source`) and add it to `sources()` before the plain-text
fallback.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.sources.base import Source

# Markup this early in a file no other source claims means a saved web page, whatever its name.
SNIFFED_CHARS = 2_000


@cache
def sources() -> tuple[Source, ...]:
    """The sources in the order they are tried (imported on first use: a run with nothing to
    clean never loads the readers and the parsers behind them)."""
    from pipeline.sources import html, markdown, plaintext, records, warc

    return (html.SOURCE, warc.SOURCE, records.SOURCE, markdown.SOURCE, plaintext.SOURCE)


def source_for(path: str, text: str | None = None) -> Source:
    """The first source that reads the file at `path`; plain text reads anything.

    With the text at hand, a page saved under another name (`page.txt` holding HTML) is read as
    HTML rather than as text with tags in it.
    """
    from pipeline.sources import html, plaintext

    source = next(source for source in sources() if source.accepts(path))
    if source is plaintext.SOURCE and text is not None and html.looks_like_html(text[:SNIFFED_CHARS]):
        return html.SOURCE
    return source
