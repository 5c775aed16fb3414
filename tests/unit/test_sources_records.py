"""The JSON/JSONL source: news-please, trafilatura and plain records, with offsets into the file's text.

Every record here is invented.
"""

from __future__ import annotations

import json
import re

import pytest

from pipeline.errors import RejectedInput
from pipeline.sources import records as records_source
from pipeline.sources.base import SourceDocument, SourceRecord, has_records, to_raw_offset
from pipeline.sources.records import decode_string, is_article_json

ENTITY_LIKE = re.compile(r"\b[A-ZÀ-Ý][\w’'-]*(?: +[A-ZÀ-Ý][\w’'-]*)*")

NEWS_PLEASE = {
    "authors": ["Amina Yusuf", "Peter Kariuki"],
    "date_download": "2024-04-02 09:15:00",
    "date_modify": None,
    "date_publish": "2024-04-01 18:40:00",
    "description": "Traders in Garissa say the new levy will push prices up.",
    "filename": "https%3A%2F%2Fnortheastern.example%2Fgarissa-levy.json",
    "image_url": "https://northeastern.example/img/garissa.jpg",
    "language": "en",
    "localpath": None,
    "maintext": (
        "Traders at Garissa\u2019s main market shut their stalls on Monday to protest a new county levy.\n"
        '"We cannot pay twice for the same space," said Abdi Hussein, who sells camel milk near the '
        "Tana River bridge.\nThe County Assembly of Garissa passed the Finance Bill last week. "
        "Governor Nathif Jama said the levy would fund street lighting in the caf\u00e9 district."
    ),
    "source_domain": "northeastern.example",
    "title": 'Garissa traders strike over "double" levy',
    "title_page": None,
    "title_rss": None,
    "url": "https://northeastern.example/garissa-levy",
}

TRAFILATURA = {
    "title": "Mount Kenya farmers switch to avocado",
    "author": "Grace Njeri; John Mwangi",
    "hostname": "highlands.example",
    "date": "2024-02-14",
    "fingerprint": "c2f1a9b0e3d4",
    "id": None,
    "license": None,
    "comments": "",
    "raw_text": "",
    "text": (
        "Farmers in Murang\u2019a and Nyeri are uprooting coffee bushes to plant Hass avocado.\n"
        "The Agriculture and Food Authority says exports to the Netherlands doubled in two years.\n"
        "- Prices at the farm gate rose to Sh15 a fruit\n- Cooperatives in Othaya added cold rooms"
    ),
    "language": "en",
    "image": None,
    "pagetype": "article",
    "source": "https://highlands.example/avocado",
    "source-hostname": "Highlands Farmer",
    "excerpt": "Coffee gives way to avocado.",
    "categories": "Agriculture,Business",
    "tags": "avocado,coffee",
    "url": "https://highlands.example/avocado",
}

PLAIN = {
    "id": "k-77",
    "title": "Ferry resumes at Likoni",
    "body": "The Kenya Ferry Services said the MV Jambo was back in service at Likoni channel after repairs.",
    "published": "2024-05-09",
    "author": "Said Omar",
    "url": "https://coast.example/ferry",
}


def document(path: str, text: str) -> SourceDocument:
    return SourceDocument(path=path, text=text, sidecar=None, max_line_chars=100_000)


def assert_every_span_maps(article, raw: str) -> int:
    """Every entity-like span of each column maps to raw text that decodes (as JSON) to it."""
    checked = 0
    for column in ("title", "author", "body"):
        text = getattr(article, column) or ""
        runs = article.offset_map.get(column, [])
        for match in ENTITY_LIKE.finditer(text):
            span = to_raw_offset(runs, match.start(), match.end())
            assert span is not None, (column, match.group())
            assert json.loads('"' + raw[span[0] : span[1]] + '"') == match.group()
            checked += 1
    return checked


def test_news_please_record_is_one_article():
    raw = json.dumps(NEWS_PLEASE, indent=2)
    article = records_source.SOURCE.article(document("garissa.json", raw))
    assert article.title == 'Garissa traders strike over "double" levy'
    assert article.author == "Amina Yusuf, Peter Kariuki"
    assert article.published_date == "2024-04-01"
    assert article.url == "https://northeastern.example/garissa-levy"
    assert article.outlet == "northeastern.example"
    assert article.language == "en"
    assert article.body.split("\n\n")[0].startswith("Traders at Garissa’s main market")
    assert article.body.count("\n\n") == 2
    assert assert_every_span_maps(article, raw) >= 10


def test_escapes_map_to_their_raw_escape_sequences():
    raw = json.dumps(NEWS_PLEASE)  # ensure_ascii: ’ and é are \u escapes
    article = records_source.SOURCE.article(document("garissa.json", raw))
    start = article.body.index("Garissa’s")
    span = to_raw_offset(article.offset_map["body"], start, start + len("Garissa’s"))
    assert raw[span[0] : span[1]] == "Garissa\\u2019s"
    start = article.title.index('"double"')
    span = to_raw_offset(article.offset_map["title"], start, start + len('"double"'))
    assert raw[span[0] : span[1]] == '\\"double\\"'


def test_trafilatura_record():
    raw = json.dumps(TRAFILATURA, ensure_ascii=False)
    article = records_source.SOURCE.article(document("avocado.json", raw))
    assert article.title == "Mount Kenya farmers switch to avocado"
    assert article.author == "Grace Njeri; John Mwangi"
    assert article.published_date == "2024-02-14"
    assert article.outlet == "highlands.example"
    assert article.section == "Agriculture"
    assert "Othaya added cold rooms" in article.body
    assert assert_every_span_maps(article, raw) >= 8


def test_plain_record_and_sidecar_are_told_apart():
    assert is_article_json(json.dumps(PLAIN))
    assert is_article_json(json.dumps(NEWS_PLEASE))
    assert not is_article_json(json.dumps({"url": "https://x.example/a", "outlet": "X", "author": "Y"}))
    assert not is_article_json("not json at all")
    assert not is_article_json("[1, 2]")
    article = records_source.SOURCE.article(document("ferry.json", json.dumps(PLAIN)))
    assert article.title == "Ferry resumes at Likoni"
    assert article.author == "Said Omar"
    assert article.published_date == "2024-05-09"


def test_jsonl_of_many_records_with_a_broken_line():
    lines = [
        json.dumps(NEWS_PLEASE),
        '{"title": "cut off',
        json.dumps(TRAFILATURA, ensure_ascii=False),
        "",
        json.dumps({"title": "No text here", "url": "https://x.example"}),
        json.dumps(PLAIN),
        "[1, 2, 3]",
    ]
    raw = "\n".join(lines) + "\n"
    source = records_source.SOURCE
    assert source.accepts("export/2024.jsonl") and has_records(source)
    records = list(source.records(document("export/2024.jsonl", raw)))
    assert [record.key for record in records] == ["line 1", "line 2", "line 3", "line 5", "line 6", "line 7"]
    assert [record.article is not None for record in records] == [True, False, True, False, True, False]
    assert "not a valid JSON object" in records[1].rejection
    assert "no article text" in records[3].rejection
    data = raw.encode("utf-8")
    for record in records:
        # byte ranges are the record's line, without its line break
        line = data[record.byte_start : record.byte_end].decode("utf-8")
        assert line == lines[record.line - 1]
        if record.article is not None:
            assert_every_span_maps(record.article, raw)
    assert records[4].article.title == "Ferry resumes at Likoni"


def test_source_record_holds_an_article_or_a_reason():
    with pytest.raises(ValueError):
        SourceRecord(key="line 1", line=1, byte_start=0, byte_end=1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not a valid JSON object"),
        (json.dumps({"title": "Only a title"}), "no article text"),
        (json.dumps([PLAIN, PLAIN]), "JSON array"),
        (json.dumps(PLAIN) + " trailing", "text after the JSON object"),
        (json.dumps({"text": "   "}), "no article text"),
    ],
)
def test_bad_json_files_are_rejected_with_a_reason(text, reason):
    with pytest.raises(RejectedInput, match=reason):
        records_source.SOURCE.article(document("bad.json", text))


@pytest.mark.parametrize(
    "value",
    ["plain", 'quote " inside', "tab\there\nnewline", "caf\u00e9 \u2019 \U0001f600 \\ / \b\f\r"],
)
def test_decode_string_agrees_with_json(value):
    for raw in (
        json.dumps(value),
        json.dumps(value, ensure_ascii=False),
        json.dumps(value).replace("/", "\\/"),
    ):
        decoded, end = decode_string(raw, 0)
        assert decoded.value == json.loads(raw) and end == len(raw)
        for index, char in enumerate(decoded.value):
            assert json.loads('"' + raw[decoded.starts[index] : decoded.ends[index]] + '"') == char
