"""Search that takes what people type: FTS5 phrases from free text, and highlighted snippets.

FTS5 reads `Al-Shabaab` as a column filter and `Ruto's` as an unterminated string. Each word (or
each "quoted phrase") becomes one FTS5 phrase made only of word characters, so nothing typed can
be read as FTS5 syntax; FTS5 then tokenises the phrase as it tokenised the text, so "Al-Shabaab"
finds "Al-Shabaab", "Al Shabaab" and "al-shabaab".
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from markupsafe import Markup, escape

QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
PHRASE_OR_WORD = re.compile(r'"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")
SNIPPET_START, SNIPPET_END = "\x02", "\x03"
"""What the search query's `snippet()` puts around each hit; render_cell turns them into <mark>."""
SNIPPET_WINDOW = 120

SEARCH_TERMS: ContextVar[str | None] = ContextVar("news_search_terms", default=None)
"""The `_search` of the request being rendered (set by the ASGI wrapper), for the body snippets."""


def phrases(query: str) -> list[list[str]]:
    """The words of each phrase typed: a quoted phrase is one, every other word is one of its own."""
    found = []
    for match in PHRASE_OR_WORD.finditer(query.translate(QUOTES)):
        words = WORD.findall(match.group(1) if match.group(1) is not None else match.group(2))
        if words:
            found.append(words)
    return found


def fts_query(query: str | None) -> str:
    """An FTS5 MATCH expression for free text: every phrase must occur (an empty query matches nothing)."""
    found = phrases(query or "")
    if not found:
        return '""'
    return " ".join('"' + " ".join(words) + '"' for words in found)


def hit_pattern(query: str) -> re.Pattern[str] | None:
    """A regular expression for the phrases in a text, words joined by any non-word characters."""
    found = phrases(query)
    if not found:
        return None
    alternatives = sorted((r"\W+".join(map(re.escape, words)) for words in found), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def marked(text: str, pattern: re.Pattern[str]) -> Markup:
    """`text` escaped, with every hit of `pattern` in <mark>."""
    out, pos = [], 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[pos : match.start()])))
        out.append(f'<mark class="search-hit">{escape(match.group())}</mark>')
        pos = match.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def body_snippet(body: str, query: str | None, window: int = SNIPPET_WINDOW) -> Markup:
    """A short piece of the body: around the first hit of the search, hits marked; else its start."""
    pattern = hit_pattern(query) if query else None
    first = pattern.search(body) if pattern else None
    if first is None:
        head = body[: 2 * window]
        return Markup(escape(head) + ("…" if len(body) > len(head) else ""))
    start, end = max(0, first.start() - window), min(len(body), first.end() + window)
    start = body.find(" ", start) + 1 if start > 0 else 0
    text = body[start:end]
    assert pattern is not None
    left, right = ("…" if start > 0 else ""), ("…" if end < len(body) else "")
    return Markup(left) + marked(text, pattern) + Markup(right)


def snippet_html(value: str) -> Markup:
    """FTS5 `snippet()` output (hits between SNIPPET_START and SNIPPET_END) as escaped HTML."""
    escaped = str(escape(value))
    return Markup(escaped.replace(SNIPPET_START, '<mark class="search-hit">').replace(SNIPPET_END, "</mark>"))
