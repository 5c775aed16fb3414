"""The HTML source: article text and metadata out of pages of several site layouts, mapped into the raw page.

Every page here is invented; none is copied from a real site.
"""

# ruff: noqa: E501 (the fixtures are HTML pages, one element a line as sites print them)

from __future__ import annotations

import gzip
import html
import re

import pytest

from pipeline.errors import RejectedInput
from pipeline.sources import html as html_source
from pipeline.sources.base import SourceDocument, to_raw_offset
from pipeline.sources.compression import decompress, is_compressed, uncompressed_name
from pipeline.sources.html import headline, read_page
from pipeline.sources.html_align import Aligner

ENTITY_LIKE = re.compile(r"\b[A-Z][\w’'-]*(?: +[A-Z][\w’'-]*)*")

WORDPRESS_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>County opens new maternity wing in Nakuru &#8211; Rift Valley Times</title>
<meta property="og:site_name" content="Rift Valley Times">
<meta property="og:title" content="County opens new maternity wing in Nakuru">
<meta name="author" content="Wanjiku Kamau">
<meta property="article:published_time" content="2024-03-05T08:30:00+03:00">
<link rel="canonical" href="https://riftvalleytimes.example/2024/03/05/maternity-wing-nakuru/">
<style>body { font-family: Georgia, "Times New Roman", serif; }</style>
<script>var dataLayer = [{"page": "Nakuru Maternity"}];</script>
</head>
<body class="post-template-default single single-post">
<header id="masthead"><div class="site-branding"><a href="/">Rift Valley Times</a></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/politics/">Politics</a></li>
<li><a href="/business/">Business</a></li><li><a href="/sports/">Sports</a></li><li><a href="/contact/">Contact Us</a></li>
</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article id="post-1042" class="post-1042 post type-post status-publish">
<header class="entry-header">
<span class="cat-links"><a href="/category/health/" rel="category tag">Health</a></span>
<h1 class="entry-title">County opens new maternity wing in Nakuru</h1>
<div class="entry-meta"><span class="byline">By <a class="url fn n" href="/author/wkamau/">Wanjiku Kamau</a></span>
<time class="entry-date published" datetime="2024-03-05T08:30:00+03:00">March 5, 2024</time></div>
</header>
<div class="entry-content">
<p>The County Government of Nakuru on Tuesday opened a new maternity wing at the Nakuru Level Five Hospital, adding 120 beds for mothers and newborns in a facility that has long been overcrowded.</p>
<p>Governor Susan Chebet said the wing, built at a cost of Sh450 million, would cut waiting times for expectant mothers from across the Rift Valley region &amp; neighbouring counties.</p>
<p>&ldquo;No mother should share a bed with another mother again,&rdquo; Chebet told residents who gathered at the hospital grounds. She said the county would hire forty more nurses by June.</p>
<p>Health officials said the old ward, opened in 1978, had handled up to three times its capacity during peak months, with some women discharged hours after delivery to free up space.</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a class="share-facebook" href="#">Facebook</a></li><li><a class="share-twitter" href="#">Twitter</a></li><li><a class="share-whatsapp" href="#">WhatsApp</a></li></ul></div>
</div>
<footer class="entry-footer"><span class="tags-links">Tagged <a href="/tag/health/" rel="tag">Health</a>, <a href="/tag/nakuru/" rel="tag">Nakuru</a></span></footer>
</article>
<div class="jp-relatedposts"><h3>Related Posts</h3><ul>
<li><a href="/a">Nakuru traders protest new market fees</a></li>
<li><a href="/b">Doctors call off strike after deal with county</a></li>
<li><a href="/c">Lake Nakuru water levels rise again</a></li></ul></div>
<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts on &ldquo;County opens new maternity wing in Nakuru&rdquo;</h2>
<ol class="comment-list"><li class="comment"><div class="comment-author">Otieno Brian</div><p>About time! My sister gave birth there last year and it was terrible.</p></li>
<li class="comment"><div class="comment-author">Mama Njeri</div><p>Congratulations to the governor, but we need more doctors too.</p></li></ol>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform"><p class="comment-notes">Your email address will not be published.</p><textarea id="comment" name="comment"></textarea></form></div></div>
</main></div>
<footer id="colophon" class="site-footer"><p>&copy; 2024 Rift Valley Times. All rights reserved.</p><a href="/privacy/">Privacy Policy</a></footer>
</body></html>
"""

NEWS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Port strike enters second week | Coast Daily News</title>
<meta property="og:title" content="Port strike enters second week">
<meta property="og:site_name" content="Coast Daily News">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Port strike enters second week","author":{"@type":"Person","name":"Hassan Mwinyi"},"datePublished":"2024-06-11T06:00:00Z","articleSection":"Business"}</script>
</head><body>
<div class="top-bar"><a href="/subscribe">Subscribe</a> | <a href="/login">Log in</a></div>
<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/business">Business</a> &rsaquo; Port strike enters second week</nav>
<main><article class="story">
<h1 class="story-headline">Port strike enters second week</h1>
<div class="story-byline">By <span class="author-name">Hassan Mwinyi</span> &middot; <time datetime="2024-06-11">June 11, 2024</time></div>
<figure class="lead-image"><img src="/img/port.jpg" alt="Cranes at the port"><figcaption>Idle cranes at the container terminal on Monday. Photo: Coast Daily News/File</figcaption></figure>
<div class="story-body">
<p>MOMBASA &mdash; Dock workers at the Port of Mombasa stayed off the job for an eighth day on Tuesday, leaving more than forty ships waiting at anchor off Likoni as talks with the Kenya Ports Authority stalled.</p>
<p>The Dock Workers Union says its members have not received a pay rise since 2019. Its secretary general, Simon Sang, said the union would not return to the table until the authority put a written offer on it.</p>
<aside class="read-more"><p>Read more: <a href="/x">Shipping lines add surcharge as backlog grows</a></p></aside>
<p>Importers warned that perishable goods were spoiling in containers. The Kenya Association of Manufacturers said its members were losing about Sh2 billion a day.</p>
<p>Transport Cabinet Secretary Davis Chirchir called on both sides to end the standoff, saying the delays were hurting trade with Uganda, Rwanda and South Sudan.</p>
</div>
<div class="author-box"><img src="/img/hm.jpg" alt=""><p><strong>Hassan Mwinyi</strong> is the business correspondent of Coast Daily News. He covers shipping and trade.</p></div>
</article></main>
<section class="most-popular"><h2>Most Popular</h2><ol><li><a href="/1">Ferry services resume at Likoni</a></li><li><a href="/2">Tourism numbers up in Diani</a></li></ol></section>
<footer><p>Coast Daily News &copy; 2024</p></footer>
</body></html>
"""

INLINE_PAGE = """<html><head><title>Court rules on land case</title></head><body>
<article><h1>Court rules on land case</h1>
<p>The <a href="/t/elc">Environment and Land Court</a> in <b>Eldoret</b> ruled on Friday that the
   Kapseret land belongs to the <em>Uasin Gishu County</em> government, ending a dispute with
   Mr. Kiprono Langat&#8217;s family that had lasted eleven years.</p>
<p>Justice Mary Odero said the family&rsquo;s papers were &ldquo;not genuine&rdquo; and ordered the
   <a href="/t/nlc">National Land Commission</a> to revoke the title deed. Caf&eacute; owners and
   traders near Kapseret&nbsp;Market welcomed the ruling.</p>
<p>Lawyers for the Langat family said they would appeal at the Court of Appeal in Nakuru. The
   <span class="hl">Law Society of <i>Kenya</i></span> has asked for calm.</p>
</article></body></html>
"""


def mention_spans(text: str):
    return [(match.start(), match.end(), match.group()) for match in ENTITY_LIKE.finditer(text)]


def assert_mapped(article, raw: str, column: str = "body") -> tuple[int, int]:
    """Every entity-like span either maps to a raw slice that unescapes to it, or has no offsets."""
    text = getattr(article, column) or ""
    runs = article.offset_map.get(column, [])
    mapped = missing = 0
    for start, end, span in mention_spans(text):
        raw_span = to_raw_offset(runs, start, end)
        if raw_span is None:
            missing += 1
            continue
        assert html.unescape(raw[raw_span[0] : raw_span[1]]) == span, (span, raw[raw_span[0] : raw_span[1]])
        mapped += 1
    return mapped, missing


def test_wordpress_page_keeps_the_article_and_drops_the_furniture():
    article = read_page(WORDPRESS_PAGE).article
    assert article.title == "County opens new maternity wing in Nakuru"
    assert article.author == "Wanjiku Kamau"
    assert article.published_date == "2024-03-05"
    assert article.outlet == "Rift Valley Times"
    assert article.url == "https://riftvalleytimes.example/2024/03/05/maternity-wing-nakuru/"
    assert article.language == "en"
    assert article.body.startswith("The County Government of Nakuru on Tuesday opened")
    assert "Rift Valley region & neighbouring counties" in article.body
    for furniture in (
        "Contact Us",
        "Share this",
        "WhatsApp",
        "Related Posts",
        "Lake Nakuru water levels",
        "About time",
        "Leave a Reply",
        "Your email address",
        "All rights reserved",
        "Georgia",
    ):
        assert furniture not in article.body, furniture
    mapped, missing = assert_mapped(article, WORDPRESS_PAGE)
    assert missing == 0 and mapped >= 10
    assert assert_mapped(article, WORDPRESS_PAGE, "title") == (2, 0)
    author = to_raw_offset(article.offset_map["author"], 0, len(article.author))
    assert author is not None and WORDPRESS_PAGE[author[0] : author[1]] == "Wanjiku Kamau"


def test_news_page_with_byline_caption_read_more_and_author_box():
    article = read_page(NEWS_PAGE).article
    assert article.title == "Port strike enters second week"
    assert article.author == "Hassan Mwinyi"
    assert article.outlet == "Coast Daily News"
    assert "Dock workers at the Port of Mombasa" in article.body
    assert "South Sudan" in article.body
    for furniture in (
        "Read more",
        "Shipping lines add surcharge",
        "Most Popular",
        "Ferry services",
        "Log in",
    ):
        assert furniture not in article.body, furniture
    assert "By Hassan Mwinyi" not in article.body
    assert assert_mapped(article, NEWS_PAGE)[1] == 0


def test_entities_and_inline_tags_map_back_into_the_raw_page():
    article = read_page(INLINE_PAGE).article
    body = article.body
    runs = article.offset_map["body"]
    for name in (
        "Environment and Land Court",
        "Eldoret",
        "Uasin Gishu County",
        "Kiprono Langat’s",
        "Mary Odero",
        "National Land Commission",
        "Café",
        "Court of Appeal",
        "Nakuru",
    ):
        start = body.index(name)
        raw_span = to_raw_offset(runs, start, start + len(name))
        assert raw_span is not None, name
        assert html.unescape(INLINE_PAGE[raw_span[0] : raw_span[1]]) == name
    # split by markup or by a raw line break: no offsets rather than wrong ones
    for split in ("Law Society of Kenya", "Kapseret Market"):
        start = body.index(split)
        assert to_raw_offset(runs, start, start + len(split)) is None, split
    mapped, _missing = assert_mapped(article, INLINE_PAGE)
    assert mapped >= 12


def test_aligner_decodes_references_whole_and_maps_them_only_whole():
    raw = "<p>AT&amp;T and Caf&eacute; Nairobi&#8217;s</p>"
    runs = Aligner(raw).align("AT&T and Café Nairobi’s")
    text = "AT&T and Café Nairobi’s"
    assert to_raw_offset(runs, 0, 4) == (3, 11)
    assert to_raw_offset(runs, 2, 3) == (5, 10)  # "&" is all of "&amp;"
    span = to_raw_offset(runs, 9, len(text))
    assert html.unescape(raw[span[0] : span[1]]) == "Café Nairobi’s"


@pytest.mark.parametrize(
    ("title", "site", "host", "h1s", "expected"),
    [
        (
            "Markets rally on rate cut - WSJ",
            "Wall Street Journal",
            "wsj.com",
            [],
            "Markets rally on rate cut",
        ),
        ("Flood warning issued | CTV News", "CTV News", "ctvnews.ca", [], "Flood warning issued"),
        ("Coast Daily News: Ferry back in service", "Coast Daily News", None, [], "Ferry back in service"),
        (
            "Budget: what it means for you | Money | The Paper",
            None,
            None,
            ["Budget: what it means for you"],
            "Budget: what it means for you",
        ),
        ("Nairobi - Mombasa railway reopens", None, None, [], "Nairobi - Mombasa railway reopens"),
        ("One headline", "Some Site", None, [], "One headline"),
    ],
)
def test_headline_drops_the_site_name(title, site, host, h1s, expected):
    assert headline(title, sitename=site, hostname=host, h1s=h1s) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Just some plain words, no markup at all, though the file is called .html", "not an HTML page"),
        (
            "<html><head><title>Empty</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
            "no article text",
        ),
    ],
)
def test_pages_without_an_article_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(RejectedInput, match=reason):
        read_page(raw)


def test_malformed_html_gives_a_best_effort_article_or_a_reason_never_a_traceback():
    broken = [
        "<html><body><div><p>Unclosed paragraph about the Kisumu port project and the many jobs it brings"
        " to people living around Lake Victoria, officials say.<div><p>Second part <b>bold <i>nested"
        " without closing tags in Homa Bay county</body>",
        "<<<>>><html><p attr='unterminated>text</p></html>",
        "<html><body>"
        + "<div>" * 5000
        + "<p>Deep nesting in Kakamega with a sentence of several words.</p></body></html>",
        "<html>\x00\x01<body><p>Control characters in Nyeri town</p></body></html>",
        "<!-- never closed comment <p>Hidden</p>",
    ]
    for raw in broken:
        try:
            article = read_page(raw).article
        except RejectedInput as error:
            assert error.reason
            continue
        assert article.body.strip()
        assert_mapped(article, raw)


def test_source_reads_html_files_and_gzipped_ones():
    assert html_source.SOURCE.accepts("site/page.html")
    assert html_source.SOURCE.accepts("site/page.HTM.gz")
    assert not html_source.SOURCE.accepts("site/page.txt")
    data = gzip.compress(WORDPRESS_PAGE.encode("utf-8"))
    assert is_compressed("page.html.gz") and not is_compressed("crawl.warc.gz")
    assert uncompressed_name("page.html.gz") == "page.html"
    text = decompress("page.html.gz", data).decode("utf-8")
    article = html_source.SOURCE.article(SourceDocument("page.html.gz", text, None, 100_000))
    assert article.title == "County opens new maternity wing in Nakuru"


@pytest.mark.parametrize(
    "data",
    [
        gzip.compress(b"<html><body><p>Some text</p></body></html>" * 50)[:-20],
        b"\x1f\x8b\x08\x00garbage that is not deflate data",
        b"<html>not gzipped at all</html>",
    ],
)
def test_truncated_or_corrupt_gzip_is_rejected(data):
    with pytest.raises(RejectedInput, match="truncated or corrupt gzip"):
        decompress("page.html.gz", data)


def test_gzip_bomb_is_stopped_at_the_size_limit():
    with pytest.raises(RejectedInput, match="over the"):
        decompress("page.html.gz", gzip.compress(b"a" * 100_000), max_bytes=10_000)


MAGAZINE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Solar farms spread across Turkana | The Northern Review</title>
<meta property="og:site_name" content="The Northern Review">
<meta name="description" content="Three new plants will double the county's power supply by 2026.">
<meta name="author" content="By Lokeno Ekai, Staff Writer">
</head><body>
<main><article>
<h1>Solar farms spread across Turkana</h1>
<h2 class="article-dek">Three new plants will double the county's power supply by 2026.</h2>
<p>LODWAR &ndash; Work has begun on three solar plants outside Lodwar that the Turkana County government says will double the region's electricity supply within two years and bring power to villages that have never had it.</p>
<div class="photo"><img src="/img/panels.jpg" alt="Rows of solar panels outside Lodwar town"><p class="small">Rows of solar panels outside Lodwar town</p></div>
<p>The plants, financed by the African Development Bank and built by a consortium led by Kenya Power, will feed the national grid at Lokichar. Engineers expect the first phase to be connected by March.</p>
<p>Residents of Kakuma and Lokichoggio said they hoped the new supply would end daily blackouts that have forced clinics to run diesel generators through the night.</p>
<ul class="related">
<li><a href="/1">Wind power project stalls at Lake Turkana</a></li>
<li><a href="/2">Oil exports from Lokichar delayed again</a></li>
<li><a href="/3">Drought hits herders in northern Kenya</a></li>
</ul>
</article></main></body></html>
"""


def test_standfirst_dateline_caption_and_link_list_are_told_from_the_article():
    article = read_page(MAGAZINE_PAGE).article
    assert article.title == "Solar farms spread across Turkana"
    assert article.author == "Lokeno Ekai"
    assert article.dateline == "LODWAR" and article.dateline_place == "Lodwar"
    assert article.body.startswith("Work has begun on three solar plants outside Lodwar")
    reasons = {piece.reason for piece in article.removed}
    assert "standfirst (the summary under the headline)" in reasons
    assert "dateline separator" in reasons
    for furniture in (
        "double the county's power supply by 2026",
        "Rows of solar panels",
        "Wind power project",
    ):
        assert furniture not in article.body, furniture
    assert "Residents of Kakuma and Lokichoggio" in article.body
    for piece in article.removed:  # every removed piece points at its text in the raw page
        assert html.unescape(MAGAZINE_PAGE[piece.raw_start : piece.raw_end]).split() == piece.text.split()
    dateline = to_raw_offset(article.offset_map["dateline"], 0, len(article.dateline))
    assert MAGAZINE_PAGE[dateline[0] : dateline[1]] == "LODWAR"
    assert assert_mapped(article, MAGAZINE_PAGE)[1] == 0


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Analysis by Grace Atieno; Daily Mirror Editor-at-large", "Grace Atieno"),
        ("Peter Mutua November", "Peter Mutua"),
        ("Ann Wairimu; John Kibet Monday; November", "Ann Wairimu; John Kibet"),
        ("Joseph Were is a reporter at the Daily Mirror", "Joseph Were"),
        ("admin", None),
        ("Daily Mirror Staff", None),
        ("Chen May", "Chen May"),
        ("Lucy Moraa Daily Mirror", "Lucy Moraa"),
    ],
)
def test_clean_author_keeps_the_people(author, expected):
    assert (
        html_source.clean_author(author, sitename="Daily Mirror", hostname="www.dailymirror.example")
        == expected
    )


def _old_to_raw_offset(runs, start, end):
    """`to_raw_offset` as it was before runs could carry a raw length (3-element runs only)."""
    for column_start, raw_start, length in runs:
        if column_start <= start and end <= column_start + length:
            return raw_start + start - column_start, raw_start + end - column_start
    return None


def test_three_element_runs_map_exactly_as_before():
    from pipeline.sources.base import FieldBuilder

    builder = FieldBuilder.empty()
    for raw_start, text in ((5, "Nairobi County"), (40, "Governor Sakaja"), (90, "said on Monday")):
        builder.add(raw_start, text, "\n\n")
    column = builder.value()
    for start in range(len(column) + 1):
        for end in range(start, len(column) + 1):
            assert to_raw_offset(builder.runs, start, end) == _old_to_raw_offset(builder.runs, start, end)


def test_runs_contiguous_in_column_and_raw_are_joined():
    from pipeline.sources.base import slice_runs

    raw = "<p>Caf&eacute; Java</p>"
    runs = [(0, 3, 3), (3, 6, 1, 8), (4, 14, 5)]  # "Caf" + "é" from "&eacute;" + " Java"
    assert to_raw_offset(runs, 0, 9) == (3, 19)
    assert html.unescape(raw[3:19]) == "Café Java"
    assert to_raw_offset(runs, 5, 9) == (15, 19)
    assert to_raw_offset([(0, 3, 3), (3, 7, 1, 8)], 0, 4) is None  # a gap in the raw text
    assert slice_runs(runs, 2, 9) == [(0, 5, 1), (1, 6, 1, 8), (2, 14, 5)]
    assert slice_runs(runs, 4, 9) == [(0, 14, 5)]
