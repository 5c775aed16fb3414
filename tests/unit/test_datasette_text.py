"""The pages' text helpers without a browser: escaping, overlapping spans, keyword in context."""

from __future__ import annotations

import re

from pipeline.datasette.text import (
    Span,
    article_label,
    highlight,
    paragraphs,
    sentence_context,
    timeline_svg,
)


def test_highlight_escapes_text_and_links_each_span():
    text = 'Ruto <script>alert("x")</script> met Raila & co.'
    html = str(highlight(text, [Span(0, 4, "PERSON", "/news/entities/a"), Span(37, 42, "PERSON")]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co." in html
    assert html.startswith('<a href="/news/entities/a" class="mention t-PERSON"')
    assert '<mark class="mention t-PERSON" data-type="PERSON">Raila</mark>' in html


def test_overlapping_and_out_of_range_spans_never_garble_the_text():
    text = "William Ruto spoke."
    spans = [Span(0, 12, "PERSON"), Span(8, 12, "PERSON"), Span(15, 99, "ORG"), Span(5, 5, "ORG")]
    html = str(highlight(text, spans))
    assert html.count("<mark") == 2
    assert (
        html.replace('<mark class="mention t-PERSON" data-type="PERSON">', "")
        .replace('<mark class="mention t-ORG" data-type="ORG">', "")
        .replace("</mark>", "")
        == text
    )


def test_paragraphs_split_on_blank_lines_and_keep_spans_in_place():
    text = "First Kenya.\n\n\nSecond Kenya line\nwraps."
    paras = [str(p) for p in paragraphs(text, [Span(6, 11, "GPE"), Span(22, 27, "GPE")])]
    assert len(paras) == 2
    assert all(p.count(">Kenya</mark>") == 1 for p in paras)
    assert "<br>" in paras[1]


def test_untitled_articles_are_labelled_by_their_first_words():
    assert article_label(None, "One two three four five six seven eight nine ten eleven") == (
        "One two three four five six seven eight nine ten…"
    )
    assert article_label("  ", "Short body.") == "Short body."
    assert article_label(None, None) != "None"
    assert article_label("A headline", "body") == "A headline"


def test_sentence_context_is_the_whole_sentence():
    sentence = "Then President Ruto spoke at length, Mt. Kenya behind him."
    start = sentence.index("Ruto")
    ctx = sentence_context(sentence, start, start + 4)
    assert (ctx.before, ctx.hit, ctx.after) == (
        "Then President ",
        "Ruto",
        " spoke at length, Mt. Kenya behind him.",
    )
    assert not ctx.cut_left and not ctx.cut_right


def test_sentence_context_cuts_long_sentences_at_a_word_and_says_so():
    text = "word " * 100 + "Ruto" + " more" * 100
    start = text.index("Ruto")
    ctx = sentence_context(text, start, start + 4, window=50)
    assert ctx.cut_left and ctx.cut_right
    assert ctx.before.startswith("word") and len(ctx.before) <= 50
    assert str(ctx.html()).startswith("… ") and str(ctx.html()).endswith(" …")


def test_timeline_fills_empty_months_and_is_empty_without_dates():
    assert str(timeline_svg({})) == ""
    svg = str(timeline_svg({"2025-11": 2, "2026-02": 5}))
    assert svg.count("<rect") == 2 and "2025-11" in svg and "2026-02" in svg


def test_timeline_of_one_month_is_one_narrow_bar_below_its_scale():
    svg = str(timeline_svg({"2019-11": 30}))
    (bar,) = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    _x, y, width, height = map(float, bar)
    assert width <= 24 and y >= 16 and y + height <= 120 - 18
    assert "at most 30 mentions a month" in svg and svg.count(">2019-11</text>") == 1
