"""HTML pages (`.html`, `.htm`, gzipped or not): the article's text and metadata, mapped into the page.

trafilatura finds the main text and the metadata (title, author, date, site name, canonical URL,
categories, tags). Our own rules then remove what it keeps and a dataset does not want (the
headline repeated as the first paragraph, share lines, "Read more" links, photo credits, a
byline printed as a paragraph), and every paragraph is aligned back into the HTML source
(`pipeline.sources.html_align`) so that mentions keep raw offsets into the decoded page:
`html.unescape(raw[raw_start:raw_end]) == text` wherever the text is not split by markup.

The ingest stage gunzips `.gz` files before decoding (`pipeline.sources.compression`), so the raw
text here is always the page's HTML.
"""

from __future__ import annotations

import bisect
import html as html_module
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import RejectedInput
from pipeline.sources.base import (
    PARAGRAPH_SEPARATOR,
    CleanedArticle,
    FieldBuilder,
    RemovedPiece,
    Run,
    SourceDocument,
    slice_runs,
    to_raw_offset,
)
from pipeline.sources.html_align import Aligner
from pipeline.sources.normalise import detect_language, parse_partial_date, place_name
from pipeline.sources.sidecar import Sidecar

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|article|meta|title)\b", re.IGNORECASE)
# A whole saved page, not text that merely mentions a tag: how a file of another name is sniffed.
PAGE_START = re.compile(
    r"\A\ufeff?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head)\b",
    re.I | re.S,
)
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/{1,2})\s+|\s*:\s+")
# lines the extractor keeps that are page furniture, not article text (whole paragraph only)
FURNITURE = re.compile(
    r"^(?:"
    r"share(?: this(?: article| story| post)?)?(?: on \w+)?:?|share via:?.*|click to (?:share|print|email).*|"
    r"(?:read|see) (?:more|also|next)(?:\s*[:>»].*)?|"
    r"related(?: articles?| stories| story| posts?| content| reading| coverage| links?)?(?::.*)?|"
    r"you (?:may|might) also (?:like|enjoy|be interested in).{0,60}|don[’']t miss:?.{0,100}|explore further|"
    r"filed under:?.*|click here to (?:subscribe|sign up|register)\b.{0,100}|(?:\(|\[)?reporting by .{0,200}|"
    r"[\w .,’'-]{2,80} contributed (?:reporting|to this report).{0,80}|"
    r"follow .{0,80}\bat https?://\S+|"
    r"more on this (?:story|topic):?|recommended(?: for you)?:?|"
    r"follow (?:us|me) on .{0,60}|sign up (?:for|to) our .{0,80}|subscribe(?: now| to .{0,60})?[.!]?|"
    r"advertisement|sponsored(?: content)?|story continues below(?: advertisement)?|"
    r"(?:photo|image|picture|video|graphic)s? ?(?:credit)?:? .{0,80}"
    r"\b(?:getty|reuters|ap|afp|shutterstock|epa|file)\b.{0,40}|"
    r"(?:skip|back) to (?:top|content|main content)|print(?: this)?|email(?: this)?|comments?|"
    r"(?:all rights reserved|copyright ©?|©).{0,100}|"
    r"thanks? (?:you )?for (?:signing up|subscribing)[.!]?.{0,80}|keep an eye on your inbox.{0,80}|"
    r"there was an error processing your (?:subscription|request).{0,40}|"
    r"an error (?:has )?occurred.{0,40}try again.{0,20}|sorry[.!]?|"
    r"this copy is for your personal,? non-commercial use only\b.*|"
    r"(?:order|buy) reprints?|print (?:this )?article|"
    r"write to .{2,80} at \S+@\S+|"
    r"(?:get|sign up for) (?:our|the) .{0,40}newsletter.{0,80}|.{0,40}\bnewsletter sign[- ]?up.{0,40}"
    r")$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:By|Written by|Story by|Von|Par|Por|Di)\s+"
    r"(?P<author>[A-ZÀ-Ý][\w.’'-]*(?:\s+(?:and\s+|&\s+)?[A-ZÀ-Ý][\w.’'-]*){0,6})"
    r"(?:\s*(?:\||,|-|–|—|\bon\b|\bfor\b).*)?$"
)
LINK_LABEL_CHARS = 25
MIN_LABELS_CHARS = 120
"""A page whose text is only a few paragraphs of a few words each is a menu, not an article."""
LINK = re.compile(r"<a\b[^>]*>(?:(?!</?a\b).){0,5000}</a\s*>", re.IGNORECASE | re.DOTALL)
LINK_LIST_SHARE = 0.7
LINK_ITEM_SHARE = 0.3
MIN_LINK_PARAGRAPHS = 2
MIN_LINK_ITEMS = 3
"""Two paragraphs in a row that are mostly link text, or three list items with links, are a link list."""
OPENING_TAG = re.compile(r"<([A-Za-z][\w-]*)(\s[^>]*)?>")
INLINE_TAGS = frozenset(
    {"a", "span", "strong", "b", "em", "i", "u", "small", "font", "time", "abbr", "br", "img"}
)
STANDFIRST_CLASS = re.compile(
    r"""class\s*=\s*["'][^"']*\b(?:sub-?head(?:line)?|sub-?line|dek|standfirst|sub-?title|summary|teaser|intro)\b""",
    re.IGNORECASE,
)
CAPTION_CLASS = re.compile(r"""class\s*=\s*["'][^"']*(?:caption|credit)""", re.IGNORECASE)
MAX_CAPTION_CHARS = 400
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
IMAGE_ALT = re.compile(r"""<img\b[^>]*?\balt\s*=\s*(["'])([^"'<>]{0,1000})\1""", re.IGNORECASE)
MIN_ALT_CHARS = 12
MIN_ALT_WORDS = 4
"""Shorter alt texts ("photo", a name) could equal a line of the article by chance."""
ANY_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s[^>]*)?/?)>")
VOID_TAGS = frozenset(
    {
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "source",
        "wbr",
        "col",
        "area",
        "base",
        "embed",
        "param",
        "track",
    }
)
AUTHOR_LABEL = re.compile(
    r"^(?:(?:analysis|commentary|opinion|story|text|words|written|reported|photos?)\s+)?"
    r"(?:by|von|par|por|di|текст|автор)[:\s]+",
    re.IGNORECASE,
)
AUTHOR_JOB = re.compile(
    r"\s+(?:is|was)\s+(?:a|an|the|our)\b.*$|,\s+(?:staff|senior|chief)\b.*$", re.IGNORECASE
)
DATE_WORDS = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "updated",
        "published",
    }
)
DESK = re.compile(r"\b(?:staff|desk|newsroom|team)(?: writers?| reporters?)?$", re.IGNORECASE)
GENERIC_AUTHORS = frozenset({"administrator", "editor", "editors", "staff", "webmaster", "guest", "user"})
PUBLIC_SUFFIX_LABELS = frozenset(
    {"com", "org", "net", "gov", "edu", "co", "ac", "info", "biz", "news", "int"}
)
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,3})"
    r"(?:,\s*[A-Z][A-Za-z'’.]+(?:\s[A-Z][A-Za-z'’.]+){0,3})?"
    r"(?:\s*\((?P<agency>[A-Za-z .]+)\))?)"
    r"\s*(?P<separator>[—–]|-{1,2})\s+(?=\S)"
)
"""A dateline opening the first paragraph: "SIOUX FALLS, S.D. – ", "MOMBASA (Reuters) — "."""
NOT_PLACES = frozenset(
    {
        "breaking",
        "update",
        "updated",
        "exclusive",
        "watch",
        "live",
        "video",
        "photos",
        "opinion",
        "analysis",
        "editorial",
        "new",
        "news",
        "alert",
        "urgent",
    }
)
HEADER_PARAGRAPHS = 4
"""Bylines and repeated headlines are looked for among the first few paragraphs only."""

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
logging.getLogger("courlan").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class HtmlPage:
    """One page read: the article, and the metadata that has no article column (yet)."""

    article: CleanedArticle
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    sitename: str | None = None
    hostname: str | None = None


def site_label(hostname: str | None) -> str:
    """The name part of a host: "edition.cnn.com" -> "cnn", "www.bbc.co.uk" -> "bbc"."""
    labels = [label for label in (hostname or "").casefold().split(".") if label]
    while len(labels) > 1 and (labels[-1] in PUBLIC_SUFFIX_LABELS or len(labels[-1]) == 2):
        labels.pop()
    return labels[-1] if labels else ""


def _fold(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def headline(title: str | None, *, sitename: str | None, hostname: str | None, h1s: list[str]) -> str | None:
    """The headline in a page title: "Storm hits coast - The Daily Bugle" -> "Storm hits coast".

    A part at either end of the title is the site's name when it matches the site name or the
    host ("WSJ" for wsj.com), or when the rest of the title is the page's `<h1>`.
    """
    if not title:
        return None
    title = " ".join(title.split())
    folded_h1s = {_fold(h1) for h1 in h1s if h1.strip()}
    if _fold(title) in folded_h1s:
        return title
    parts = TITLE_SEPARATORS.split(title)
    separators = TITLE_SEPARATORS.findall(title)
    if len(parts) < 2:
        return title
    host = _fold(site_label(hostname))
    site = _fold(sitename or "")

    def is_site(part: str) -> bool:
        folded = _fold(part)
        if not folded:
            return True
        return bool(
            (site and (folded == site or folded in site or site in folded))
            or (host and (folded == host or folded in host or host in folded) and len(folded) >= 2)
        )

    for first in range(len(parts)):
        for last in range(len(parts), first, -1):
            candidate = _rejoin(parts[first:last], separators[first : last - 1])
            if (first or last < len(parts)) and _fold(candidate) in folded_h1s:
                return candidate
    first, last = 0, len(parts)
    while last - first > 1 and is_site(parts[last - 1]):
        last -= 1
    while last - first > 1 and is_site(parts[first]):
        first += 1
    return _rejoin(parts[first:last], separators[first : last - 1])


def printed_headline(
    title: str | None, *, sitename: str | None, hostname: str | None, h1s: list[str]
) -> str | None:
    """The headline as the page prints it: its `<h1>` when that is about the same story as the title.

    Social titles (og:title) are often a shorter or older version of the printed headline; the
    `<h1>` is what readers see. An `<h1>` that is the site's name, one word, or shares too little
    with the page title (a section heading) is passed over for the title without the site name.
    """
    meta = headline(title, sitename=sitename, hostname=hostname, h1s=h1s)
    site = _fold(sitename or "")
    best: tuple[float, str] | None = None
    for h1 in h1s:
        h1_words = _words(h1)
        if not h1 or _fold(h1) == site or (len(h1_words) < 2 and len(h1) < 8) or len(h1_words) > 40:
            continue
        if meta is None or (len(_words(meta)) < 2 and len(meta) < 8):
            score = 1.0
        else:
            shared = len(set(h1_words) & set(_words(meta)))
            shorter = min(len(set(h1_words)), len(set(_words(meta)))) or 1
            score = shared / shorter
            if shared < 2 and score < 0.5:
                continue
        if score >= 0.3 and (best is None or score > best[0]):
            best = (score, h1)
    return best[1] if best else meta


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _rejoin(parts: list[str], separators: list[str]) -> str:
    text = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        text += separator + part
    return text


def _h1_texts(raw: str) -> list[str]:
    texts = []
    for match in re.finditer(r"<h1\b[^>]*>(.{0,3000}?)</h1\s*>", raw, re.IGNORECASE | re.DOTALL):
        inner = re.sub(r"<[^>]+>", " ", match.group(1))
        texts.append(" ".join(html_module.unescape(inner).split()))
    return texts


def _extract(raw: str, url: str | None) -> Any:
    """trafilatura's reading of the page (a `trafilatura.settings.Document`), or None."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            raw,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as error:  # trafilatura/lxml raise many kinds on broken markup
        raise RejectedInput(f"HTML could not be parsed ({type(error).__name__}: {error})") from error


@dataclass
class _Reading:
    """One page being read: trafilatura's document, the aligner into the raw page and what was cut."""

    raw: str
    document: Any
    aligner: Aligner
    sidecar: Sidecar
    title_text: str | None
    author_text: str | None
    removed: list[RemovedPiece] = field(default_factory=list)


# a paragraph, its runs into the raw page and why it goes (None: it is kept)
_Piece = tuple[str, list[Run], str | None]


def read_page(
    raw: str,
    *,
    url: str | None = None,
    fetched: str | None = None,
    sidecar: Sidecar | None = None,
) -> HtmlPage:
    """Read one decoded HTML page into an article whose columns map into `raw`.

    Args:
        raw: the decoded page source; every offset of the article indexes into it.
        url: the page's address when known from outside (WARC target URI, sidecar).
        fetched: when the page was fetched (ISO 8601), the published-date fallback.
        sidecar: metadata the scraper stored beside the file; it fills what the page lacks.

    Returns:
        The article and the page metadata without an article column.

    Raises:
        RejectedInput: the text is not HTML, cannot be parsed, or has no article text.
    """
    sidecar = sidecar or Sidecar()
    document = _document(raw, url or sidecar.url)
    page = _Reading(
        raw=raw,
        document=document,
        aligner=Aligner(raw),
        sidecar=sidecar,
        title_text=printed_headline(
            document.title, sitename=document.sitename, hostname=document.hostname, h1s=_h1_texts(raw)
        ),
        author_text=clean_author(document.author, sitename=document.sitename, hostname=document.hostname),
    )
    links = _LinkSpans(raw)
    kept = _kept_paragraphs(page, _mark_link_lists(_pieces(page), links))
    categories = [c.strip() for c in document.categories or [] if c.strip()]
    return HtmlPage(
        article=_article(page, kept, categories=categories, url=url, fetched=fetched),
        categories=categories,
        tags=[t.strip() for tag in document.tags or [] for t in tag.split(",") if t.strip()],
        description=document.description,
        sitename=document.sitename,
        hostname=document.hostname,
    )


def _document(raw: str, url: str | None) -> Any:
    """trafilatura's reading of a page that is HTML and has some text."""
    if not LOOKS_LIKE_HTML.search(raw[:20_000]):
        raise RejectedInput("not an HTML page: no <html>, <head>, <body> or <p> markup in it")
    document = _extract(raw, url)
    if document is None or not (document.text or "").strip():
        raise RejectedInput("no article text found in the HTML page")
    return document


def _pieces(page: _Reading) -> list[_Piece]:
    """Every paragraph trafilatura kept, aligned into the page, with the reason it goes if it does."""
    raw = page.raw
    paragraphs = [line.strip() for line in page.document.text.split("\n") if line.strip()]
    image_texts = {
        folded
        for alt in IMAGE_ALT.findall(raw)
        if len(folded := _fold(html_module.unescape(alt[1]))) >= MIN_ALT_CHARS
    }
    pieces: list[_Piece] = []
    for index, paragraph in enumerate(paragraphs):
        runs = page.aligner.align(paragraph)
        reason = _furniture(paragraph, index, page.title_text)
        if reason is None and _is_caption(raw, runs, paragraph, image_texts):
            reason = "photo caption or credit"
        # the header is the first paragraphs while every one before was cut
        header = index < HEADER_PARAGRAPHS and all(piece[2] is not None for piece in pieces)
        if reason is None and header:
            reason = _header_reason(page, paragraph, runs)
        pieces.append((paragraph, runs, reason))
    return pieces


def _header_reason(page: _Reading, paragraph: str, runs: list[Run]) -> str | None:
    """A byline (its author kept when the metadata names none) or the standfirst goes."""
    document = page.document
    byline = BYLINE.match(paragraph)
    if byline and len(paragraph.split()) <= 12:
        if page.author_text is None:
            page.author_text = clean_author(
                byline.group("author"), sitename=document.sitename, hostname=document.hostname
            )
        return "byline (kept as author)"
    if _is_standfirst(page.raw, runs, paragraph, document.description):
        return "standfirst (the summary under the headline)"
    return None


def _kept_paragraphs(page: _Reading, pieces: list[_Piece]) -> list[tuple[str, list[Run]]]:
    """The paragraphs that stay; the others are recorded as removed where they map into the page."""
    kept: list[tuple[str, list[Run]]] = []
    for paragraph, runs, reason in pieces:
        if reason is None:
            kept.append((paragraph, runs))
            continue
        raw_span = to_raw_offset(runs, 0, len(paragraph)) if runs else None
        if raw_span is None and runs:
            raw_span = (runs[0][1], runs[-1][1] + (runs[-1][3] if len(runs[-1]) > 3 else runs[-1][2]))
        if raw_span is not None:
            page.removed.append(
                RemovedPiece(raw_start=raw_span[0], raw_end=raw_span[1], text=paragraph, reason=reason)
            )
    if not kept:
        raise RejectedInput("no article text is left after removing site furniture from the HTML page")
    if all(len(paragraph) <= LINK_LABEL_CHARS for paragraph, _runs in kept) and (
        sum(len(paragraph) for paragraph, _runs in kept) < MIN_LABELS_CHARS
    ):
        raise RejectedInput("no article text found in the HTML page: only a few link labels")
    return kept


def _dateline(page: _Reading, kept: list[tuple[str, list[Run]]]) -> tuple[FieldBuilder, str | None]:
    """The dateline opening the first paragraph and its place; the paragraph keeps what follows it."""
    dateline = FieldBuilder.empty()
    paragraph, runs = kept[0]
    found = DATELINE.match(paragraph)
    if not (found and found.group("place").casefold() not in NOT_PLACES and found.end() < len(paragraph)):
        return dateline, None
    dateline.add_mapped(found.group("dateline"), slice_runs(runs, 0, found.end("dateline")))
    separator = to_raw_offset(runs, found.start("separator"), found.end("separator"))
    if separator is not None:
        page.removed.append(
            RemovedPiece(
                raw_start=separator[0],
                raw_end=separator[1],
                text=found.group("separator"),
                reason="dateline separator",
            )
        )
    kept[0] = (paragraph[found.end() :], slice_runs(runs, found.end(), len(paragraph)))
    return dateline, place_name(found.group("place"))


def _in_attributes(aligner: Aligner, text: str | None) -> FieldBuilder:
    """A column printed in the page's markup or attributes (title, author), mapped where found."""
    column = FieldBuilder.empty()
    if text:
        column.add_mapped(text, aligner.align(text, in_attributes=True, move=False))
    return column


def _published(page: _Reading, fetched: str | None) -> str | None:
    """The page's date, else the sidecar's, else when it was fetched."""
    sidecar = page.sidecar
    published = _date(page.document.date) or (
        parse_partial_date(sidecar.published) if sidecar.published else None
    )
    if published is None and fetched:
        published = _date(fetched)
    return published


def _article(
    page: _Reading,
    kept: list[tuple[str, list[Run]]],
    *,
    categories: list[str],
    url: str | None,
    fetched: str | None,
) -> CleanedArticle:
    """The article's columns from the kept paragraphs and the page's metadata."""
    document, sidecar = page.document, page.sidecar
    dateline, dateline_place = _dateline(page, kept)
    body = FieldBuilder.empty()
    for paragraph, runs in kept:
        body.add_mapped(paragraph, runs, PARAGRAPH_SEPARATOR)
    title = _in_attributes(page.aligner, page.title_text)
    author = _in_attributes(page.aligner, page.author_text)
    author_text = page.author_text
    if not author_text and sidecar.author:
        author_text = sidecar.author.strip()
    body_text = body.value() or ""
    fields = (("title", title), ("dateline", dateline), ("author", author), ("body", body))
    return CleanedArticle(
        title=title.value(),
        section=categories[0] if categories else None,
        dateline=dateline.value(),
        dateline_place=dateline_place,
        published_date=_published(page, fetched),
        author=author.value() or author_text,
        url=document.url or url or sidecar.url,
        outlet=document.sitename or sidecar.outlet or document.hostname,
        body=body_text,
        word_count=len(body_text.split()),
        language=detect_language(body_text),
        offset_map={name: builder.runs for name, builder in fields if builder.runs},
        removed=sorted(page.removed, key=lambda piece: piece.raw_start),
    )


def clean_author(text: str | None, *, sitename: str | None, hostname: str | None) -> str | None:
    """The people in an extracted author string, without labels, dates, job titles or the outlet.

    "Analysis by Chris Cillizza; CNN Editor-at-large" -> "Chris Cillizza"; "Carrie Arnold November"
    -> "Carrie Arnold"; "Phil Helsel is a reporter" -> "Phil Helsel"; "Admin" -> None.
    """
    if not text:
        return None
    outlet = {_fold(name) for name in (sitename, site_label(hostname)) if name}
    outlet.discard("")
    people = []
    for part in text.split(";"):
        part = AUTHOR_LABEL.sub("", part.strip())
        part = AUTHOR_JOB.sub("", part).strip(" ,|-–—")
        words = part.split()
        if all(word.strip(",.").casefold() in DATE_WORDS for word in words):
            continue
        while len(words) > 2 and words[-1].strip(",.").casefold() in DATE_WORDS:
            words.pop()  # "Carrie Arnold November": the date printed after the name
        part = " ".join(words)
        folded = _fold(part)
        if not folded or folded.endswith("admin") or folded in GENERIC_AUTHORS or DESK.search(part):
            continue
        part = _without_outlet(part, outlet)
        if not part:
            continue
        if part not in people:
            people.append(part)
    return "; ".join(people) or None


def _without_outlet(part: str, outlet: set[str]) -> str:
    """The part without the outlet's name: "CNN Business" -> "", "Jane Roe Sputnik News" -> "Jane Roe"."""
    words = part.split()
    for cut in range(len(words)):
        tail = _fold(" ".join(words[cut:]))
        if any(len(name) >= 3 and (tail.startswith(name) or name.startswith(tail)) for name in outlet):
            return " ".join(words[:cut])
    return part


def _date(text: str | None) -> str | None:
    if not text:
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", text)
    return match.group() if match else parse_partial_date(text)


class _LinkSpans:
    """Where the page's links (`<a>...</a>`) are, to tell how much of a paragraph is link text."""

    def __init__(self, raw: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for match in LINK.finditer(raw):
            self.starts.append(match.start())
            self.ends.append(match.end())

    def share(self, runs: list[Run]) -> float:
        """The share of the paragraph's mapped characters that lie inside a link."""
        inside = total = 0
        for run in runs:
            raw_start, length = run[1], run[3] if len(run) > 3 else run[2]
            total += run[2]
            index = bisect.bisect_right(self.starts, raw_start) - 1
            if index >= 0 and self.ends[index] >= raw_start + length:
                inside += run[2]
        return inside / total if total else 0.0


def _mark_link_lists(
    pieces: list[tuple[str, list[Run], str | None]], links: _LinkSpans
) -> list[tuple[str, list[Run], str | None]]:
    """Runs of paragraphs that are mostly link text ("Related", "Most popular", teaser lists)."""
    dense = [
        reason is None
        and bool(runs)
        and (
            links.share(runs) >= LINK_LIST_SHARE
            or (paragraph.startswith("- ") and links.share(runs) >= LINK_ITEM_SHARE)
        )
        for paragraph, runs, reason in pieces
    ]
    marked = list(pieces)
    index = 0
    while index < len(pieces):
        if not dense[index]:
            index += 1
            continue
        end = index
        while end < len(pieces) and dense[end]:
            end += 1
        items = [pieces[k][0] for k in range(index, end)]
        bullets = all(item.startswith("- ") for item in items)
        if end - index >= (MIN_LINK_ITEMS if bullets else MIN_LINK_PARAGRAPHS) and (
            bullets or all(links.share(pieces[k][1]) >= LINK_LIST_SHARE for k in range(index, end))
        ):
            for k in range(index, end):
                marked[k] = (pieces[k][0], pieces[k][1], "link list (related or popular stories)")
        index = end
    return marked


def _enclosing_block(raw: str, runs: list[Run]) -> tuple[str, str] | None:
    """The name and attributes of the innermost block element still open where the paragraph starts."""
    if not runs:
        return None
    start = runs[0][1]
    closed: dict[str, int] = {}
    for tag in reversed(list(ANY_TAG.finditer(raw, max(0, start - 1500), start))):
        name = tag.group(2).lower()
        if name in INLINE_TAGS or tag.group(3).endswith("/"):
            continue
        if tag.group(1):
            closed[name] = closed.get(name, 0) + 1
        elif closed.get(name):
            closed[name] -= 1
        elif name not in VOID_TAGS:
            return name, tag.group(3) or ""
    return None


def _is_caption(raw: str, runs: list[Run], paragraph: str, image_texts: set[str]) -> bool:
    """A photo caption or credit: in a `<figcaption>`, a caption-classed block or a `<figure>`, or
    the same words as an image's alt text."""
    if len(paragraph) > MAX_CAPTION_CHARS:
        return False
    block = _enclosing_block(raw, runs)
    if block is not None and block[0] in HEADINGS:
        return False  # a subheading that happens to repeat an image's alt text
    if len(paragraph.split()) >= MIN_ALT_WORDS and _fold(paragraph) in image_texts:
        return True
    if block is None:
        return False
    name, attributes = block
    if name == "figcaption" or CAPTION_CLASS.search(attributes):
        return True
    start = runs[0][1]
    opened = raw.rfind("<figure", max(0, start - 3000), start)
    return opened >= 0 and raw.rfind("</figure", opened, start) < 0


def _is_standfirst(raw: str, runs: list[Run], paragraph: str, description: str | None) -> bool:
    """A summary printed under the headline in a heading or "dek" element, before the article text."""
    block = _enclosing_block(raw, runs)
    if block is None:
        return False
    name, attributes = block
    in_heading = name in HEADINGS - {"h1"}
    dek_class = bool(STANDFIRST_CLASS.search(attributes))
    matches_summary = bool(description) and _fold(paragraph) == _fold(description or "")
    return (in_heading and (matches_summary or dek_class)) or (dek_class and matches_summary)


def _furniture(paragraph: str, index: int, title: str | None) -> str | None:
    """Why a paragraph the extractor kept is not article text, or None when it is."""
    folded = _fold(paragraph)
    if index < HEADER_PARAGRAPHS and title and folded == _fold(title):
        return "headline (kept as title)"
    if len(paragraph) <= 200 and FURNITURE.match(paragraph):
        return "share line, link list or credit"
    return None


def looks_like_html(text: str) -> bool:
    """Whether a text is a saved web page (it opens with a doctype, `<html>` or `<head>`)."""
    return PAGE_START.match(text) is not None


def clean_html(document: SourceDocument) -> CleanedArticle:
    """The article of a stored HTML page (the `Source.article` of HTML files)."""
    return read_page(document.text, sidecar=document.sidecar).article


class HtmlSource:
    """HTML pages as browsers and crawlers save them."""

    name = "html"

    def accepts(self, path: str) -> bool:
        return path.lower().endswith(HTML_SUFFIXES)

    def article(self, document: SourceDocument) -> CleanedArticle:
        return clean_html(document)


SOURCE = HtmlSource()
