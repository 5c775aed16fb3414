"""Guarantees that hold for any text: hypothesis drives the clean stage and the whole extraction.

Arbitrary Unicode finds crashes; news-shaped documents (title, dateline, boilerplate, quotes,
names, typographic punctuation) reach the rules that arbitrary text almost never triggers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.errors import RejectedInput
from pipeline.extract.article import ArticleForExtraction, extract_article
from pipeline.extract.ner import load_model, model_spans
from pipeline.schema.vocab import ARTICLE_FIELDS
from pipeline.settings import Settings
from pipeline.sources.base import CleanedArticle
from pipeline.sources.plaintext import clean_text

NAMES = [
    "William Ruto",
    "President William Ruto",
    "Ruto’s",
    "Rigathi Gachagua",
    "the African Union",
    "Mt. Kenya",
    "Kenya",
    "Nairobi",
    "MI6",
    "Bottom-Up Economic Transformation Agenda (BETA)",
    "Amina Mohamed",
    "Zoë Ngugi-Wambui",
    "Al-Shabaab",
]
WORDS = ["said", "the", "meeting", "on", "Tuesday", "in", "and", "of", "agenda", "—", "–", "“", "”", "’"]
BOILERPLATE = ["Home » News » Politics", "Leave a Reply", "Featured", "Governance", "Share this:"]

word = st.one_of(st.sampled_from(WORDS), st.sampled_from(NAMES), st.text(min_size=1, max_size=8))
sentence = st.lists(word, min_size=1, max_size=25).map(lambda words: " ".join(words) + ".")
quote = st.tuples(sentence, st.sampled_from(NAMES)).map(lambda pair: f"“{pair[0]}” {pair[1]} said.")
paragraph = st.lists(st.one_of(sentence, quote), min_size=1, max_size=4).map(" ".join)
dateline = st.sampled_from(["NAIROBI, Kenya, Jan 22 –", "MOMBASA, Mar 3 —", "Kisumu —", ""])
line = st.one_of(paragraph, st.sampled_from(BOILERPLATE), st.sampled_from(NAMES))
newline = st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\t\n"])


@st.composite
def news_documents(draw: st.DrawFn) -> str:
    """A scraped page: optional breadcrumb and title, a dateline, paragraphs, boilerplate anywhere."""
    lines = draw(st.lists(line, min_size=1, max_size=8))
    opening = draw(dateline)
    if opening:
        lines[0] = f"{opening} {lines[0]}"
    title = draw(st.one_of(st.none(), st.sampled_from(NAMES).map(lambda n: f"{n} Meets Leaders In Nairobi")))
    head = [title] if title else []
    return draw(newline).join([*head, *lines]) + draw(st.sampled_from(["", "\n", "\nLeave a Reply\nName"]))


any_text = st.one_of(st.text(max_size=400), news_documents())


@st.composite
def clean_articles(draw: st.DrawFn) -> str:
    """An article with nothing to remove: an optional headline, a dateline, paragraphs of sentences.

    Its words are words (letters and digits): a random "word" holding a line break or a full stop
    would cut the paragraphs where no article does.
    """
    plain = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=8)
    words = st.one_of(st.sampled_from(WORDS), st.sampled_from(NAMES), plain)
    running = st.lists(words, min_size=6, max_size=25).map(lambda found: " ".join(found) + ".")
    prose = st.lists(running, min_size=2, max_size=4).map(" ".join)
    paragraphs = draw(st.lists(prose, min_size=2, max_size=6))
    opening = draw(dateline)
    if opening:
        paragraphs[0] = f"{opening} {paragraphs[0]}"
    title = draw(st.one_of(st.none(), st.sampled_from(NAMES).map(lambda n: f"{n} Meets Leaders In Nairobi")))
    return draw(newline).join([*([title] if title else []), *paragraphs])


def cleaned_or_none(text: str) -> CleanedArticle | None:
    try:
        return clean_text(text)
    except RejectedInput as rejected:
        assert rejected.reason, "a rejection always says why"
        return None


def assert_offsets_point_into(text: str, article: CleanedArticle) -> None:
    for field, runs in article.offset_map.items():
        value = getattr(article, field)
        assert value is not None, field
        for column_start, raw_start, length, *decoded in runs:
            written = text[raw_start : raw_start + (decoded[0] if decoded else length)]
            # a decoded run is its visible character after invisible (format) ones the column dropped
            dropped = written[: len(written) - length]
            assert all(unicodedata.category(char) == "Cf" for char in dropped), written
            assert value[column_start : column_start + length] == written[len(dropped) :]
    for piece in article.removed:
        assert text[piece.raw_start : piece.raw_end] == piece.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_clean_never_raises_anything_but_a_rejection_and_offsets_are_exact(text: str) -> None:
    article = cleaned_or_none(text)
    if article is not None:
        assert_offsets_point_into(text, article)
        assert article.word_count == len(article.body.split())
        removed = {(piece.raw_start, piece.text) for piece in article.removed}
        for match in re.finditer(r"^[ \t]*(Leave a Reply)[ \t]*$", text, re.MULTILINE):
            assert (match.start(1), "Leave a Reply") in removed


def rendered(article: CleanedArticle) -> str:
    """The article written back out as a page: section label, headline, dateline and paragraphs."""
    paragraphs = article.body.split("\n\n")
    if article.dateline:
        separator = next(p.text for p in article.removed if p.reason == "dateline separator")
        paragraphs[0] = f"{article.dateline} {separator} {paragraphs[0]}"
    # The breadcrumb decides what counts as the title (the line equal to its last crumb), so a page
    # that had one is written back with it.
    breadcrumbs = [piece.text for piece in article.removed if piece.reason == "breadcrumb"]
    header = (breadcrumbs[-1] if breadcrumbs else None, article.section, article.title)
    return "\n\n".join(part for part in (*header, *paragraphs) if part)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_articles())
@example("HOME»0\n0\n0")  # a one-word title, recognised only through its breadcrumb
def test_cleaning_is_idempotent(text: str) -> None:
    """Cleaning an article that is already clean gives it back unchanged, with nothing more removed.

    Drawn from articles: the cleaner reads a page by the shape and position of its lines, and
    a few symbols on three lines (":\nA\n:") or a menu in a dateline have no shape to keep.
    """
    article = cleaned_or_none(text)
    if article is None:
        return
    again = clean_text(rendered(article))
    fields = ("title", "section", "dateline", "dateline_place", "published_date", "body", "word_count")
    assert {f: getattr(again, f) for f in fields} == {f: getattr(article, f) for f in fields}
    expected_removals = {"dateline separator", "section label (kept as section)", "breadcrumb"}
    assert {piece.reason for piece in again.removed} <= expected_removals


def visible(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


@pytest.fixture(scope="module")
def nlp() -> Any:
    defaults = Settings()
    return load_model(defaults.model, defaults.excluded_components)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(news_documents())
def test_every_mention_and_quote_offset_is_exact(nlp: Any, text: str) -> None:
    article = cleaned_or_none(text)
    if article is None:
        return
    fields = {field: getattr(article, field) for field in ARTICLE_FIELDS}
    row = ArticleForExtraction("a", fields, article.dateline_place, article.word_count, article.offset_map)
    results = list(model_spans(nlp, [row], Settings().batch_size))
    assert len(results) == 1
    extraction = extract_article(*results[0])
    for mention in [*extraction.mentions, *extraction.quotes]:
        column = fields[mention.field] or ""
        assert column[mention.start : mention.end] == mention.text
        # the raw text is the name as written: with any invisible (format) characters the column dropped
        assert visible(text[mention.raw_start : mention.raw_end]) == visible(mention.text)
    for mention in extraction.mentions:
        assert mention.text.strip() == mention.text and mention.text
        assert not mention.text.lower().startswith("the ")
        assert not mention.text.endswith(("’s", "'s"))
    assert len({mention.id for mention in extraction.mentions}) == len(extraction.mentions)
