"""The WARC source: HTML responses become articles, every other record a rejection; it streams.

The archives are written with warcio in the tests; the pages are invented.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.errors import RejectedInput
from pipeline.sources import warc
from pipeline.sources.base import SourceDocument, has_records, to_raw_offset

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Floods displace families in Kisumu - Lake Region Times</title>
<meta property="og:site_name" content="Lake Region Times"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Floods displace families in Kisumu</h1><p class="byline">By Achieng Odhiambo</p>
<p>Heavy rain in Kisumu County displaced hundreds of families on Tuesday after the Nyando River
burst its banks near Ahero, county officials said.</p>
<p>The Kenya Red Cross Society said it had opened three camps at Ahero and Awasi and was handing out
food, blankets and water purification tablets to those affected.</p>
<p>The Kenya Meteorological Department has warned of more rain around Lake Victoria this week.</p>
</article><footer>&copy; Lake Region Times</footer></body></html>"""


def write_archive(path: Path, *, gzip: bool = True, pages: int = 1, image: bool = True) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-crawler/1.0"}))
        for number in range(pages):
            uri = f"https://lakeregion.example/floods-{number}"
            request = StatusAndHeaders(
                "GET /floods HTTP/1.1", [("Host", "lakeregion.example")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(PAGE.encode("utf-8")), http_headers=headers
                )
            )
        jpeg = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://lakeregion.example/a.jpg",
                "response",
                http_headers=jpeg,
                payload=io.BytesIO(b"\xff\xd8\xff\xe0" if image else b"JFIF"),
            )
        )
        empty = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://lakeregion.example/empty", "response", payload=io.BytesIO(b""), http_headers=empty
            )
        )
        moved = StatusAndHeaders("301 Moved Permanently", [("Location", "/floods-0")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://lakeregion.example/old", "response", payload=io.BytesIO(b""), http_headers=moved
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://lakeregion.example/floods-0",
                "metadata",
                payload=io.BytesIO(b"outlinks: 12"),
                warc_content_type="application/warc-fields",
            )
        )


@pytest.mark.parametrize("gzip", [True, False])
def test_html_responses_are_articles_and_other_records_rejections(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_archive(path, gzip=gzip)
    records = list(warc.records_from_path(path))
    outcomes = [(record.article is not None, record.rejection) for record in records]
    assert outcomes[0] == (False, "a warcinfo record (about the archive itself), not an HTML response")
    assert outcomes[1] == (False, "a request record (what the crawler sent), not an HTML response")
    assert outcomes[2] == (True, None)
    assert outcomes[3] == (False, "response is image/jpeg, not HTML")
    assert outcomes[4] == (False, "response has no payload")
    assert outcomes[5] == (False, "HTTP 301 response, not a page")
    assert outcomes[6] == (False, "a metadata record, not an HTML response")
    assert len(records) == 7

    record = records[2]
    article = record.article
    assert article.url == "https://lakeregion.example/floods-0"
    assert article.title == "Floods displace families in Kisumu"
    assert article.author == "Achieng Odhiambo"
    assert article.published_date == record.fetched[:10]
    assert "Home" not in article.body and "Lake Region Times" not in article.body
    assert record.key == f"record at byte {record.byte_start}"
    assert records[1].byte_end <= record.byte_start < record.byte_end <= records[3].byte_start
    # offsets point into the record's decoded payload
    assert record.raw_text == PAGE
    runs = article.offset_map["body"]
    for match in re.finditer(r"\b[A-Z]\w*(?: [A-Z]\w*)*", article.body):
        span = to_raw_offset(runs, match.start(), match.end())
        assert span is not None and html.unescape(PAGE[span[0] : span[1]]) == match.group()


def test_truncated_archive_reports_the_cut_record(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_archive(path, pages=3)
    data = path.read_bytes()
    cut = tmp_path / "cut-short.warc.gz"
    cut.write_bytes(data[: len(data) - 150])
    records = list(warc.records_from_path(cut))
    assert sum(record.article is not None for record in records) == 3
    assert records[-1].rejection is not None
    assert "truncated" in records[-1].rejection


def test_not_a_warc_is_rejected(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"<html><body>This is not an archive</body></html>")
    with pytest.raises(RejectedInput, match="not a readable WARC"):
        list(warc.records_from_path(path))


def test_source_shape(tmp_path):
    assert warc.SOURCE.accepts("crawls/2024-06.warc.gz") and warc.SOURCE.accepts("x.WARC")
    assert not warc.SOURCE.accepts("page.html.gz")
    assert has_records(warc.SOURCE)
    path = tmp_path / "small.warc"
    write_archive(path, gzip=False, image=False)
    text = path.read_bytes().decode("utf-8")
    records = list(warc.SOURCE.records(SourceDocument(str(path), text, None, 100_000)))
    assert sum(record.article is not None for record in records) == 1
    with pytest.raises(RejectedInput, match="record by record"):
        warc.SOURCE.article(SourceDocument(str(path), text, None, 100_000))


def test_a_large_archive_streams_with_flat_memory(tmp_path):
    tracemalloc = pytest.importorskip("tracemalloc")
    path = tmp_path / "big.warc.gz"
    write_archive(path, pages=120)
    tracemalloc.start()
    articles = 0
    for record in warc.records_from_path(path):
        articles += record.article is not None
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert articles == 120
    assert peak < 20_000_000  # far less than holding every record's page and article at once
