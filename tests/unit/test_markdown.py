"""Markdown pages: headings and emphasis read, not kept; offsets still map into the raw text."""

from __future__ import annotations

from pipeline.sources.base import to_raw_offset
from pipeline.sources.markdown import SOURCE, clean_markdown

PAGE = """# The *river* bridge reopens after **two years**

_By Amara Osei_

> HARBOURTOWN, Westland — The old river bridge reopened on Monday after two years of repairs, the city's
> transport office said, and the first buses crossed it before dawn.

## What changed

The deck was rebuilt with **steel beams** and a wider footpath, and the [city council](https://example.org/c)
paid for most of the work from its own budget, according to the office's yearly report.

- Buses now cross every ten minutes during the morning, the operator said in a short statement.
- Cyclists get a lane of their own on the northern side, separated from the road by a kerb.

![a photo of the bridge](https://example.org/bridge.jpg)

Residents said the long detour had cost them an hour a day, and shopkeepers near the bridge hope to win back
the customers they lost while it was closed to traffic.
"""


def _raw(article, field, text):
    runs = article.offset_map[field]
    return [PAGE[raw : raw + length] for _column, raw, length in runs]


def test_headings_and_emphasis_never_reach_title_or_body() -> None:
    article = clean_markdown(PAGE).article
    assert article.title == "The river bridge reopens after two years"
    for column in (article.title, article.body):
        for mark in ("#", "**", "_", ">", "](", "!["):
            assert mark not in column
    assert "What changed" in article.body
    assert "city council paid" in article.body.replace("\n", " ")
    assert "a photo of the bridge" not in article.body
    assert article.author == "Amara Osei"


def test_offsets_map_into_the_raw_markdown() -> None:
    article = clean_markdown(PAGE).article
    for field in ("title", "body", "author"):
        column = getattr(article, field)
        for column_start, raw_start, length in article.offset_map[field]:
            assert column[column_start : column_start + length] == PAGE[raw_start : raw_start + length]
    start = article.body.index("steel beams")
    span = to_raw_offset(article.offset_map["body"], start, start + len("steel beams"))
    assert span is not None and PAGE[span[0] : span[1]] == "steel beams"


def test_dateline_inside_a_quote_block() -> None:
    article = clean_markdown(PAGE).article
    assert article.dateline == "HARBOURTOWN, Westland"
    assert article.body.startswith("The old river bridge reopened")


def test_markup_is_listed_as_removed() -> None:
    article = clean_markdown(PAGE).article
    reasons = {piece.reason for piece in article.removed}
    assert "markdown markup" in reasons
    assert "markdown image" in reasons
    assert any(piece.text.startswith("#") for piece in article.removed)
    for piece in article.removed:
        assert PAGE[piece.raw_start : piece.raw_end] == piece.text


def test_the_source_reads_md_files_only() -> None:
    assert SOURCE.accepts("notes/story.md")
    assert SOURCE.accepts("STORY.MARKDOWN")
    assert not SOURCE.accepts("story.txt")
