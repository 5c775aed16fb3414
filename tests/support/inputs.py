"""Real-shaped inputs of every kind the pipeline reads, written by the tests (no text from the web).

Each article is invented, in the style of the sample corpus. `write_inputs(folder)` writes them all
and returns what each file should become, so the end-to-end tests can check fields and rejections:

- three HTML pages in different site layouts (a WordPress blog with menus, sidebar and a comment
  form; a news site with `<article>`, JSON-LD and a related list; a bare page), one gzipped;
- a news-please JSON file and a trafilatura JSON file;
- a JSONL export of many records with one broken line and one record without text;
- a WARC written with warcio: HTML responses, a request record, a 404 and an image;
- a Markdown article; a German page (no model for German); a truncated gzip.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path

ARTICLES = {
    "water": (
        "Nakuru residents protest over water rationing",
        "Wanjiru Kamau",
        "2024-03-14",
        [
            "Hundreds of residents of Nakuru town marched to the county offices on Wednesday to protest"
            " against a water rationing schedule that has left some estates without supply for a week.",
            "Governor Susan Kihika said the county was working with the Nakuru Water and Sanitation"
            " Services Company to repair two broken pumps at the Baharini wells.",
            "“We ask residents to be patient as the engineers finish the work,” Kihika said, adding that"
            " water bowsers would be sent to the worst affected estates by Friday.",
        ],
    ),
    "budget": (
        "Treasury defends new fuel levy before Senate committee",
        "Otieno Ochieng",
        "2024-05-02",
        [
            "Treasury Cabinet Secretary Njuguna Ndung'u on Tuesday defended a proposed increase in the"
            " fuel levy before the Senate Finance Committee, saying it would fund rural roads.",
            "Senators from Kisumu and Mombasa counties said the levy would raise the cost of transport"
            " for traders who depend on matatus to move their goods to market.",
            "The committee chair, Senator Ali Roba, said the Senate would hold public hearings in"
            " Eldoret and Garissa before voting on the proposal next month.",
        ],
    ),
    "schools": (
        "Teachers' union threatens strike over delayed promotions",
        "Achieng Odhiambo",
        "2024-01-22",
        [
            "The Kenya National Union of Teachers has given the Teachers Service Commission fourteen"
            " days to promote more than 20,000 teachers or face a national strike.",
            "Union secretary general Collins Oyuu told reporters in Nairobi that the commission had"
            " ignored a return-to-work agreement signed in 2023.",
            "The commission said in a statement that promotions would be announced in March, once the"
            " National Treasury released the money set aside in the budget.",
        ],
    ),
    "port": (
        "Mombasa port handles record cargo in the first quarter",
        "Hassan Mwinyi",
        "2024-04-09",
        [
            "The Kenya Ports Authority said on Monday that the port of Mombasa handled 9.8 million"
            " tonnes of cargo between January and March, the most for any quarter.",
            "Managing director William Ruto Kipkorir credited the new container terminal and faster"
            " clearance at the Inland Container Depot in Nairobi.",
            "Shippers from Uganda and Rwanda accounted for almost a third of the transit cargo, the"
            " authority said.",
        ],
    ),
    "health": (
        "Kisumu hospital opens new cancer wing",
        "Akinyi Were",
        "2024-02-28",
        [
            "Health Cabinet Secretary Susan Nakhumicha on Thursday opened a cancer treatment wing at"
            " the Jaramogi Oginga Odinga Teaching and Referral Hospital in Kisumu.",
            "The wing has two radiotherapy machines and will serve patients from Siaya, Homa Bay and"
            " Migori counties, who until now travelled to Nairobi for treatment.",
            "Governor Anyang' Nyong'o said the county would train more nurses to staff the wing.",
        ],
    ),
}

GERMAN = (
    "Stadtrat beschließt neuen Radweg am Fluss",
    [
        "Der Stadtrat hat am Dienstag mit großer Mehrheit beschlossen, entlang des Flusses einen neuen"
        " Radweg zu bauen, der die beiden Ufer der Altstadt verbinden soll.",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern, teilte die Verwaltung"
        " mit. Anwohner hatten sich seit langem für eine sichere Verbindung eingesetzt.",
        "Kritik kam von Händlern, die den Verlust von Parkplätzen vor ihren Geschäften befürchten.",
    ],
)


@dataclass(frozen=True)
class Expected:
    """What one input should give: its articles' titles (and authors), or a rejection's words."""

    titles: tuple[str, ...] = ()
    authors: tuple[str | None, ...] = ()
    kind: str | None = None
    rejections: tuple[str, ...] = ()


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "\n".join(
        f"<p>{p.replace('’', '&rsquo;').replace('“', '&ldquo;').replace('”', '&rdquo;')}</p>"
        for p in paragraphs
    )


def wordpress_page(key: str) -> str:
    """A blog theme: a menu, breadcrumbs, the post, share buttons, a sidebar and a comment form."""
    title, author, date, paragraphs = ARTICLES[key]
    menu = "".join(
        f'<li><a href="/{w.lower()}">{w}</a></li>'
        for w in ("Home", "News", "Politics", "Business", "Sports", "Contact")
    )
    sidebar = "".join(
        f'<li><a href="/p/{i}">Another story about county budgets number {i}</a></li>' for i in range(6)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} &#8211; Rift Valley Times</title>
<meta property="og:title" content="{title}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T08:30:00+03:00">
<link rel="canonical" href="https://riftvalleytimes.example/{key}/">
<style>body {{ font-family: Georgia, serif; }}</style></head>
<body><header><nav><ul class="menu">{menu}</ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &raquo; <a href="/news">News</a> &raquo; {title}</div>
<main><article class="post"><h1 class="entry-title">{title}</h1>
<div class="entry-meta">By <a rel="author" href="/author/x">{author}</a> | {date}</div>
<div class="entry-content">{_paragraphs_html(paragraphs)}</div>
<div class="share">Share this: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a></div>
</article>
<aside class="widget"><h3>Most popular</h3><ul>{sidebar}</ul></aside>
<div id="comments"><h3>Leave a Reply</h3><form><label>Name*</label><input name="author">
<label>Email*</label><input name="email"><textarea name="comment"></textarea>
<button>Post Comment</button></form></div></main>
<footer><p>&copy; 2024 Rift Valley Times. All rights reserved.</p></footer>
<script>var tracking = {{"site": "rvt"}};</script></body></html>
"""


def newsroom_page(key: str) -> str:
    """A news site: JSON-LD metadata, `<article>` with a standfirst and a figure, related stories."""
    title, author, date, paragraphs = ARTICLES[key]
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{date}T06:00:00Z",
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": "Coast Daily"},
        }
    )
    related = "".join(
        f'<li><a href="/r/{i}">Related: traders count the cost of delays, part {i}</a></li>' for i in range(4)
    )
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{title} | Coast Daily</title><script type="application/ld+json">{ld}</script>
<meta name="description" content="{paragraphs[0][:80]}"></head>
<body><div class="top-bar"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div>
<nav class="sections"><a href="/">Home</a> <a href="/kenya">Kenya</a> <a href="/africa">Africa</a> <a href="/opinion">Opinion</a></nav>
<article><header><h1>{title}</h1><p class="byline">By {author}</p><time datetime="{date}">{date}</time></header>
<figure><img src="/img/{key}.jpg" alt="A photo"><figcaption>File photo. Photo: Coast Daily</figcaption></figure>
<div class="article-body">{_paragraphs_html(paragraphs)}</div></article>
<section class="related"><h2>Related stories</h2><ul>{related}</ul></section>
<div class="cookie">We use cookies to improve your experience. By using this site you accept our cookie policy.</div>
</body></html>
"""


def bare_page(key: str) -> str:
    """A page with no template at all: a title, a heading and paragraphs."""
    title, _author, _date, paragraphs = ARTICLES[key]
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>\n{_paragraphs_html(paragraphs)}\n</body></html>\n"


def news_please(key: str) -> str:
    title, author, date, paragraphs = ARTICLES[key]
    record = {
        "authors": [author],
        "date_download": "2024-06-01 10:00:00",
        "date_publish": f"{date} 07:15:00",
        "description": paragraphs[0][:90],
        "language": "en",
        "maintext": "\n\n".join(paragraphs),
        "source_domain": "www.lakeside.example",
        "title": title,
        "url": f"https://www.lakeside.example/news/{key}",
    }
    return json.dumps(record, indent=4, ensure_ascii=True)


def trafilatura_json(key: str) -> str:
    title, author, date, paragraphs = ARTICLES[key]
    record = {
        "title": title,
        "author": author,
        "hostname": "highlands.example",
        "date": date,
        "categories": "Education",
        "tags": "teachers;strike",
        "text": "\n".join(paragraphs),
        "url": f"https://highlands.example/{key}",
        "source": f"https://highlands.example/{key}",
    }
    return json.dumps(record, ensure_ascii=False)


def jsonl_export() -> str:
    """Records of several shapes, one line that is not JSON, one record with no text."""
    lines = []
    for key in ("water", "budget", "port"):
        title, author, date, paragraphs = ARTICLES[key]
        lines.append(
            json.dumps(
                {
                    "id": f"rec-{key}",
                    "title": title,
                    "author": author,
                    "published": date,
                    "url": f"https://export.example/{key}",
                    "text": "\n\n".join(paragraphs),
                }
            )
        )
    lines.insert(2, '{"id": "rec-broken", "title": "Cut off in the middle", "text": "The export stop')
    lines.append(json.dumps({"id": "rec-empty", "title": "A record with no text"}))
    return "\n".join(lines) + "\n"


def markdown_article(key: str) -> str:
    title, author, date, paragraphs = ARTICLES[key]
    body = "\n\n".join(paragraphs).replace("cancer treatment wing", "**cancer treatment wing**")
    return f"# {title}\n\n*By {author}* · {date}\n\n{body}\n\n> Quoted from the county's statement.\n"


def german_page() -> str:
    title, paragraphs = GERMAN
    return f"<!DOCTYPE html><html lang=de><head><title>{title}</title></head><body><article><h1>{title}</h1>{_paragraphs_html(paragraphs)}</article></body></html>"


def warc_bytes() -> bytes:
    """A gzipped WARC: two HTML responses, a request record, a 404 page and a JPEG image."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)

    def response(url: str, status: str, content_type: str, payload: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-06-02T09:00:00Z"},
        )
        writer.write_record(record)

    response(
        "https://crawl.example/schools",
        "200 OK",
        "text/html; charset=utf-8",
        newsroom_page("schools").encode(),
    )
    request_headers = StatusAndHeaders(
        "GET /schools HTTP/1.1", [("Host", "crawl.example")], is_http_request=True
    )
    writer.write_record(
        writer.create_warc_record(
            "https://crawl.example/schools", "request", payload=io.BytesIO(b""), http_headers=request_headers
        )
    )
    response(
        "https://crawl.example/missing", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"
    )
    response("https://crawl.example/photo.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0 not really a jpeg")
    response("https://crawl.example/health", "200 OK", "text/html", wordpress_page("health").encode())
    return stream.getvalue()


def write_inputs(folder: Path) -> dict[str, Expected]:
    """Write every input into `folder` (created); returns what each file should give."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, Expected]] = {
        "blog/water.html": (
            wordpress_page("water").encode(),
            Expected((ARTICLES["water"][0],), (ARTICLES["water"][1],), "html"),
        ),
        "coast/port.htm": (
            newsroom_page("port").encode(),
            Expected((ARTICLES["port"][0],), (ARTICLES["port"][1],), "html"),
        ),
        "plain/budget.html.gz": (
            gzip.compress(bare_page("budget").encode(), mtime=0),
            Expected((ARTICLES["budget"][0],), (None,), "html"),
        ),
        "saved/health-page.txt": (
            bare_page("health").encode(),
            Expected((ARTICLES["health"][0],), (None,), "html"),
        ),
        "scrapes/water-newsplease.json": (
            news_please("water").encode(),
            Expected((ARTICLES["water"][0],), (ARTICLES["water"][1],), "json"),
        ),
        "scrapes/schools-trafilatura.json": (
            trafilatura_json("schools").encode(),
            Expected((ARTICLES["schools"][0],), (ARTICLES["schools"][1],), "json"),
        ),
        "exports/records.jsonl": (
            jsonl_export().encode(),
            Expected(
                tuple(ARTICLES[k][0] for k in ("water", "budget", "port")),
                tuple(ARTICLES[k][1] for k in ("water", "budget", "port")),
                "jsonl",
                ("line 3", "line 5"),
            ),
        ),
        "crawl/site.warc.gz": (
            warc_bytes(),
            Expected(
                (ARTICLES["schools"][0], ARTICLES["health"][0]),
                (ARTICLES["schools"][1], ARTICLES["health"][1]),
                "warc",
                ("request record", "HTTP 404", "image/jpeg"),
            ),
        ),
        "notes/health.md": (
            markdown_article("health").encode(),
            Expected((ARTICLES["health"][0],), (ARTICLES["health"][1],), "markdown"),
        ),
        "intl/radweg.html": (german_page().encode(), Expected((GERMAN[0],), (None,), "html")),
        "broken/cut.html.gz": (
            gzip.compress(bare_page("port").encode(), mtime=0)[:60],
            Expected(rejections=("truncated or corrupt gzip",)),
        ),
    }
    for name, (content, _expected) in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return {name: expected for name, (_content, expected) in files.items()}
