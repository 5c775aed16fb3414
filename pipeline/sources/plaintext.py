"""Plain-text pages (`.txt`): title, section, dateline, byline and body out of any site's page text.

A scraper that keeps "the page's text" gives one block per line: menus, breadcrumbs, share bars,
bylines, captions, the article, related links, comments and footers. The article is found by
text density, not by one site's words:

1. every line is read for its shape: running prose (long, punctuated, not Title Case), a short
   sentence, a data row, a link-like short line, a boilerplate line (share bar, cookie notice,
   copyright, newsletter box, caption credit) or a heading that opens a list of other pages
   ("Related", "Most popular", "Comments");
2. the article block is the stretch of lines with the most prose once link-like lines cost a
   little and list headings a lot (a maximum-sum run, as in boilerplate detectors): a menu of
   twenty items separates two blocks, one subheading or one "Comments" share link does not;
3. inside the block, lists of links, share bars, captions and their credits are removed; above
   it (or at its start), the headline is the line sharing most words with the page's <title>
   line when the page starts with one (a byline under it counts for it, the site name is cut
   off); the byline is read under the headline and in the article's first lines, its name kept
   only when it is a person's (`bylines.py`); the section is read above; the dateline is read
   from the first line of the article;
4. every removed line is kept with its reason, and a cut that would remove most of the page's
   prose is refused: the text is kept and the refusal reported in `PageText.refused`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.errors import RejectedInput
from pipeline.patterns import MONTH
from pipeline.sources.base import (
    PARAGRAPH_SEPARATOR,
    CleanedArticle,
    FieldBuilder,
    Line,
    RemovedPiece,
    SourceDocument,
    split_lines,
)
from pipeline.sources.bylines import is_person_name, name_words, parses_as_person
from pipeline.sources.furniture import FURNITURE_REASON, normalise_line
from pipeline.sources.normalise import detect_language, parse_partial_date, place_name
from pipeline.sources.sidecar import Sidecar

# --- what lines look like -------------------------------------------------------------------------

BREADCRUMB = re.compile(r"^(?:Home|News|Start)\s*(?:»|›|>>|>|/|\|)\s*(?P<trail>.+)$", re.IGNORECASE)
BREADCRUMB_TRAIL = re.compile(r"^\S.{0,60}?(?:\s*(?:»|›|>>|>|/)\s*\S.{0,60}?){2,}$")
CRUMB_SEPARATOR = re.compile(r"^(?:»|›|>>|>|/|\|)$")
SECTION_LABELS = frozenset(
    label.casefold()
    for label in (
        "Africa", "Business", "Counties", "County News", "Crime", "Economy", "Education",
        "Entertainment", "Environment", "Featured", "Governance", "Health", "Kenya", "Latest",
        "Latest News", "Lifestyle", "Local News", "National", "National News", "News", "Opinion",
        "Politics", "Security", "Sports", "Technology", "Top Stories", "World", "World News",
    )
)  # fmt: skip
SHARE_BAR = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?(?: on [\w+ ]+| via \w+)?|share all sharing options.*|"
    r"share this on \w+|tweet(?: this)?|pin(?: it)?|e-?mail(?: this)?|print(?: this)?|whatsapp|"
    r"facebook|twitter|linkedin|reddit|pinterest|telegram|flipboard|pocket|tumblr|messenger|"
    r"google\+|blogger|copy link|copy url|get short url|click to (?:share|print|email).*|"
    r"(?:follow|like) us(?: on .*)?|follow \S+(?: \S+){0,3} on \w+|\d+ shares?|shares?|"
    r"sharing is caring)\W*$",
    re.IGNORECASE,
)
COOKIE_NOTICE = re.compile(r"\bcookies?\b.*\b(?:use|uses|using|accept|consent|policy|privacy|agree)\b", re.I)
COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s|copyright\b)|\ball rights reserved\b|\bterms of (?:use|service)\b", re.I
)
NEWSLETTER = re.compile(
    r"\b(?:sign up|subscribe|newsletter|your inbox|log ?in|log ?out|sign in|sign out|register now|"
    r"create an? account|account settings|my account|"
    r"already a subscriber|unsubscribe|email address)\b",
    re.IGNORECASE,
)
ADVERTISEMENT = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored|story continues below(?: advertisement)?|"
    r"continue reading(?: below| the main story)?|skip (?:to content|advertisement)|"
    r"scroll to continue.*)\W*$",
    re.IGNORECASE,
)
LIST_HEADING = re.compile(
    r"^(?:related(?: articles| posts| stories| news| content| coverage| links| topics)?|"
    r"more (?:from|on|in|stories|news|articles|like this|to explore)\b.*|"
    r"most (?:popular|read|viewed|shared|commented|recent)\b.*|popular(?: posts| now| stories| articles)?|"
    r"recommended(?: for you| stories| articles| videos)?|you (?:may|might) (?:also )?(?:like|enjoy)\b.*|"
    r"(?:read|watch) (?:more|next|also)\b.*|also read|see also|trending(?: now| stories)?|top stories|"
    r"latest(?: news| stories| articles| posts| videos)?|next up\b.*|up next:?|further reading|"
    r"recent posts|sponsored(?: content| stories| links)?|promoted(?: stories| content)?|around the web|"
    r"from (?:our|the) (?:partners|web)\b.*|editor[’']?s picks?|what to read next|"
    r"in case you missed it|more headlines|tags?|topics?|"
    r"comments?(?: \(\d+\))?|\d+ comments?|\[ ?\d+ comments? ?\]|"
    r"(?:top rated|recent|show|view|load) comments|"
    r"leave a (?:reply|comment)|post a comment|add a comment|join the (?:conversation|discussion)|"
    r"leia (?:também|mais)|veja (?:também|mais)|lesen sie (?:auch|mehr)|mehr zum thema|"
    r"weitere artikel|читайте также|похожие (?:статьи|новости)|baca juga|artikel terkait|"
    r"lire aussi|à lire aussi|sur le même sujet|leer más|lee también|noticias relacionadas)\W*$",
    re.IGNORECASE,
)
COMMENT_FORM_START = re.compile(
    r"^(?:Leave a (?:Reply|Comment)|Post a Comment|Add a Comment|Comments?|\d+ Comments?|"
    r"Join the (?:conversation|discussion)|Your email address will not be published.*)\W*$",
    re.IGNORECASE,
)
COMMENT_FORM_FIELD = re.compile(
    r"^(?:name\*?|e-?mail\*?|website|comment\*?|post comment|submit(?: comment)?|cancel reply|"
    r"notify me of .*|save my name.*|your email address will not be published.*|"
    r"required fields are marked.*|you must be logged in.*|log in to (?:reply|comment).*|"
    r"(?:sign|log) in to comment.*|logged in as .*|\w+ says:?|reply)\W*$",
    re.IGNORECASE,
)
TRAILING_LABELS = re.compile(
    r"^(?:Featured|Trending|Editor[’']?s Picks?|Top Stories|Breaking(?: News)?|Exclusive|Sponsored|"
    r"Share(?: this(?: article)?)?:?|Share on \w+|Related(?: (?:Articles|Posts|News))?:?|"
    r"Read (?:more|also)(?::.*)?|Tags?:.*|Filed under:?.*|Click to share.*|Follow us on .*|"
    r"Subscribe.*|Advertisement|Sponsored Content|Continue reading|Print|Email|Facebook|Twitter|"
    r"WhatsApp|Telegram|LinkedIn)$",
    re.IGNORECASE,
)
TAG_LINE = re.compile(r"^(?:tags?|tagged|filed (?:under|to)|topics?|categories|category|keywords)\s*:", re.I)
CREDIT = re.compile(
    r"^(?:(?:photo|image|picture|video|graphic|illustration|foto|bild|imagem)s?(?: credit)?\s*(?::|/|by\b)|"
    r"credits?\s*:|source\s*:|©|\(c\)\s)|"
    r"\b(?:getty images|shutterstock|istock(?:photo)?|afp|ap photo|reuters|epa|dpa|associated press|"
    r"via getty|handout|file photo)\b",
    re.IGNORECASE,
)
CAPTION_START = re.compile(r"^(?:above|below|left|right|top|pictured|photo|image|caption)\s*:", re.IGNORECASE)
NAME_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.’'-]*"
PARTICLE = r"(?:de|da|del|dos|du|van|von|der|den|ter|al|bin|le|la)"
ONE_NAME = rf"{NAME_WORD}(?:\s+(?:{PARTICLE}\s+){{0,2}}{NAME_WORD}){{0,4}}"
NAMES = rf"{ONE_NAME}(?:(?:\s*,\s*{ONE_NAME})*,?\s+(?:and|&|und|y|e|et)\s+{ONE_NAME})?"
"""One name, or a list of names ending with "and NAME" ("A, B and C"): "A, CNN Business" is one name."""
BYLINE = re.compile(
    r"^(?:(?:(?:analysis|opinion|commentary|column|written|story|words|posted|reporting) by|by|von|por|par|"
    r"di|door|автор)\s*:?|(?:text|texto|текст|autor|author|auteur)\s*:)\s+"
    rf"(?P<author>(?-i:{NAMES}))"  # the names themselves are capitalised: "By subject" is a menu
    # after the names: a separator, a lower-case word ("on Monday", "publiziert am"), a handle or a date
    r"(?:\s*(?:\||,|-|–|—|•|·|\(|/)\s*.*|\s+(?-i:[a-zß-öø-ÿа-яё]).*|\s+[@\d].*|\s*)$",
    re.IGNORECASE,
)
NAME_AND_LABEL = re.compile(rf"^(?P<author>{ONE_NAME})\s*(?:\||•|·|–|—)\s*(?P<label>\S.{{0,80}})$")
"""A name, a bar or a dot, then what it is joined to: the outlet, a role or a date."""
BY_ALONE = re.compile(r"^(?:by|written by|von|por|par|автор)\s*:?$", re.IGNORECASE)
TRAILING_BYLINE = re.compile(r"\bby\s+(?P<author>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){1,3})\s*$")
NAME_LINE = re.compile(
    r"^(?P<author>[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]*\.?(?:\s+(?:[A-ZÀ-ÖØ-ÞА-ЯЁ]\.|(?:de|da|van|von|der|al|bin)\b|"
    r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]+)){1,3}?)"
    r"(?P<suffix>\s+@\w+|,?\s+(?i:(?:senior|staff|chief|contributing|special)\s+)?"
    r"(?i:contributor|writer|reporter|correspondent|editor|columnist))?$"
)
DATE_LIKE = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{MONTH}|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\b\.?)?\b|\b(?:updated|published|posted)\b|"
    r"\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?:19|20)\d{2}")
YEAR_LINE_WORDS = 3
ROLE_LINE = re.compile(
    r"\b(?:reporter|correspondent|editor|writer|contributor|columnist|staff|journalist|"
    r"bureau|analyst|producer|biography)\b|^@\w+$|^\S+@\S+\.\w+$",
    re.IGNORECASE,
)
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-Z][A-Z'’.-]+(?:[ -][A-Z][A-Z'’.-]+)*)"
    r"(?:,\s*[A-Z][A-Za-z'’.-]+(?:\s[A-Z][A-Za-z'’.-]+)*)?"
    rf"(?:,\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z .]+)\))?)"
    r"\s*(?P<separator>[—–-]{1,2}|:)\s+"
)
NEWS_LABELS = frozenset(
    label.casefold()
    for label in (
        "Breaking", "Breaking News", "Update", "Updated", "Exclusive", "Watch", "Video", "Live",
        "Analysis", "Opinion", "Editorial", "Note", "Editor's Note", "Photos", "Alert", "News Alert",
        "Flash", "Urgent", "Just In", "Developing", "Review", "Interview", "Comment", "Podcast",
        "Sponsored", "Advertisement", "Correction", "Read", "Listen", "Warning", "FAQ", "Q", "A",
    )
)  # fmt: skip
QUOTE_OPENERS = "\"'“‘«„‚"
TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|--|::|»|·|•)\s+")
TITLE_END = re.compile(r"[.;,:]$")
SENTENCE_PUNCTUATION = re.compile(r"[.!?。！？…;:,](?:\s|$)|[。！？、，]")
SENTENCE_END = re.compile(r"(?:[.!?。！？…]|[.!?][\"”’»)\]]|[:;])$")
WIDE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
MAX_TITLE_WORDS = 30
HEADER_WINDOW = 40
BYLINE_LINES = 8
"""How many lines above the article block are read for its headline, byline and section."""
OPENING_LINES = 3
"""The article block's first lines may still be its headline (the block starts at the headline)."""
MIN_TITLE_OVERLAP = 0.3
MIN_SHARED_WORDS = 2
"""A line repeats the page's <title> when it shares this share of its words, and at least two."""
NEAR_BLOCK = 12
FAR_TITLE_OVERLAP = 0.6
"""Farther above the article block than NEAR_BLOCK lines, a line sharing fewer of the title's words
than FAR_TITLE_OVERLAP is the headline only with a byline under it (else it is a teaser)."""
BYLINE_BONUS = 0.25
BYLINE_GAP = 3
"""A byline within this many lines under a candidate headline counts for it."""

# weights of the maximum-sum run that finds the article block
LINK_COST = 30.0
BOILERPLATE_COST = 60.0
LIST_HEADING_COST = 250.0
SHORT_SENTENCE_GAIN = 0.4
DATA_GAIN = 0.3
"""A table row (mostly digits) is content: a results table is the article on some pages."""
REFUSE_SHARE = 0.5
"""A cut that would remove more than this share of the page's prose is refused."""


# --- lines with verbatim segments ----------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One line as the cleaner reads it: its text and the verbatim raw slices it is made of.

    For plain text a line is one slice; a Markdown line drops its markup (`#`, `**`, `>`), so it is
    several slices, and the text is their concatenation.
    """

    segments: tuple[tuple[int, str], ...]
    raw_start: int
    raw_end: int

    @classmethod
    def from_line(cls, line: Line) -> TextLine:
        return cls(((line.start, line.text),), line.start, line.end)

    @property
    def text(self) -> str:
        return "".join(piece for _start, piece in self.segments)

    def slice(self, start: int, end: int | None = None) -> TextLine:
        """The part of the line from text offset `start` to `end`, still verbatim slices."""
        end = len(self.text) if end is None else end
        kept: list[tuple[int, str]] = []
        position = 0
        for raw_start, piece in self.segments:
            low, high = max(start, position), min(end, position + len(piece))
            if low < high:
                kept.append((raw_start + low - position, piece[low - position : high - position]))
            position += len(piece)
        if not kept:
            return TextLine((), self.raw_start, self.raw_start)
        last_start, last_piece = kept[-1]
        return TextLine(tuple(kept), kept[0][0], last_start + len(last_piece))

    def strip(self) -> TextLine:
        text = self.text
        left = len(text) - len(text.lstrip())
        return self.slice(left, len(text.rstrip()))

    def add_to(self, builder: FieldBuilder, separator: str = "") -> None:
        for index, (raw_start, piece) in enumerate(self.segments):
            if piece:
                builder.add(raw_start, piece, separator if index == 0 else "")


@dataclass(frozen=True)
class RefusedCut:
    """A removal the cleaner did not make because it would have taken most of the page's prose."""

    rule: str
    raw_start: int
    raw_end: int
    prose_chars_removed: int
    prose_chars_total: int

    def describe(self) -> str:
        share = self.prose_chars_removed / max(self.prose_chars_total, 1)
        return f"{self.rule} refused: it would remove {share:.0%} of the page's prose"


@dataclass(frozen=True)
class PageText:
    """What `clean_page` returns: the article and the cuts it refused (for the clean stage to record)."""

    article: CleanedArticle
    refused: tuple[RefusedCut, ...] = ()


@dataclass
class _Reading:
    """The per-line reading of one page."""

    lines: list[TextLine]
    kinds: list[str]
    reasons: dict[int, str] = field(default_factory=dict)


# --- measuring lines -----------------------------------------------------------------------------


def normalise_spaces(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> int:
    return len(text.split()) + len(WIDE_SCRIPT.findall(text)) // 2


def _weight(text: str) -> int:
    """Characters, with a CJK character counted as three (it carries about a word)."""
    return len(text) + 2 * len(WIDE_SCRIPT.findall(text))


def _title_case_share(text: str) -> float:
    tokens: list[str] = [token for token in re.findall(r"[^\W\d_][\w’'-]*", text) if len(token) > 3]
    if not tokens:
        return 0.0
    return sum(token[0].isupper() for token in tokens) / len(tokens)


def _lower_share(text: str) -> float:
    """Share of words that start in lower case: running text has its small words ("in", "on")."""
    tokens: list[str] = re.findall(r"[^\W\d_][\w’'-]*", text)
    if not tokens:
        return 0.0
    return sum(token[0].islower() for token in tokens) / len(tokens)


def _digit_share(text: str) -> float:
    visible = [char for char in text if not char.isspace()]
    return sum(char.isdigit() for char in visible) / max(len(visible), 1)


def looks_like_title(line: Line | TextLine) -> bool:
    """A headline is short and does not end like a sentence of running text."""
    text = line.text
    return (
        2 <= _words(text) <= MAX_TITLE_WORDS
        and not TITLE_END.search(text)
        and _boilerplate_reason(text) is None
    )


def _boilerplate_reason(text: str) -> str | None:
    """Why a line is site boilerplate wherever it stands, or None."""
    words = _words(text)
    if ADVERTISEMENT.match(text):
        return "advertisement"
    if COMMENT_FORM_START.match(text) and not text.casefold().startswith("comment"):
        # the heading alone; what follows is cut only when it has the form's shape
        return "comment form heading"
    if SHARE_BAR.match(text):
        return "share bar"
    if words <= 60 and COOKIE_NOTICE.search(text):
        return "cookie notice"
    if words <= 40 and COPYRIGHT.search(text):
        return "footer (copyright, terms)"
    if words <= 25 and NEWSLETTER.search(text) and not SENTENCE_END.search(text.rstrip("!")):
        return "newsletter or sign-in prompt"
    if words <= 25 and NEWSLETTER.search(text) and words <= 14:
        return "newsletter or sign-in prompt"
    if TAG_LINE.match(text) and words <= 30:
        return "tag list"
    trail = words <= 20 and BREADCRUMB_TRAIL.match(text) and "/" not in text[:8]
    if BREADCRUMB.match(text) or (trail and not SENTENCE_END.search(text)):
        return "breadcrumb"
    return None


def _kind(text: str) -> str:
    """The shape of one line: prose, sentence, data, link, boilerplate or list heading."""
    if LIST_HEADING.match(text):
        return "heading"
    if _boilerplate_reason(text):
        return "boilerplate"
    words = _words(text)
    weight = _weight(text)
    punctuated = bool(SENTENCE_PUNCTUATION.search(text))
    ends = bool(SENTENCE_END.search(text))
    if (
        weight >= 70
        and words >= 6
        and punctuated
        and (ends or weight >= 150)
        # a sentence full of names ("Hearings continue in Homa Bay on Friday.") is still prose
        and (_title_case_share(text) < 0.7 or weight >= 200 or (ends and _lower_share(text) >= 0.35))
    ):
        return "prose"
    if _digit_share(text) >= 0.3:
        return "data"
    if (
        SENTENCE_END.search(text)
        and words >= 4
        and (_title_case_share(text) < 0.8 or _lower_share(text) >= 0.35)
    ):
        return "sentence"
    if words >= 7 and _title_case_share(text) < 0.4:
        return "sentence"  # a list item in running words
    return "link"


def _score(kind: str, text: str) -> float:
    if kind == "prose":
        return float(_weight(text))
    if kind == "sentence":
        return SHORT_SENTENCE_GAIN * _weight(text)
    if kind == "data":
        return DATA_GAIN * _weight(text)
    if kind == "heading":
        return -LIST_HEADING_COST
    if kind == "boilerplate":
        return -BOILERPLATE_COST
    return -LINK_COST


def _best_block(scores: Sequence[float]) -> tuple[int, int]:
    """The run [start, end) with the largest sum (Kadane); (0, 0) when no score is positive."""
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for index, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, index
        total += score
        if total > best:
            best, best_start, best_end = total, start, index + 1
    return best_start, best_end


# --- the cleaner ---------------------------------------------------------------------------------


def _strip_site_name(text: str, outlet: str | None) -> tuple[int, int]:
    """The span of `text` that is the headline, without " | Site" / " - Site" parts."""
    pieces: list[tuple[int, int]] = []
    position = 0
    for match in TITLE_SEPARATOR.finditer(text):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, len(text)))
    if len(pieces) == 1:
        return 0, len(text)
    if outlet:
        site = normalise_spaces(outlet)
        kept = [piece for piece in pieces if normalise_spaces(text[piece[0] : piece[1]]) != site]
        if (kept and len(kept) < len(pieces) and kept == pieces[: len(kept)]) or (
            kept and len(kept) < len(pieces) and kept == pieces[-len(kept) :]
        ):
            pieces = kept
    # a site name is a short last part ("... | World | News | Express.co.uk")
    while len(pieces) > 1:
        last = text[pieces[-1][0] : pieces[-1][1]]
        rest = text[pieces[0][0] : pieces[-2][1]]
        quoted = last[:1] in QUOTE_OPENERS  # "... – 'The plague is coming'" is the headline's
        if _words(last) <= 5 and len(last) < len(rest) and not SENTENCE_END.search(last) and not quoted:
            pieces.pop()
        else:
            break
    return pieces[0][0], pieces[-1][1]


def _comment_form(lines: list[TextLine]) -> tuple[int, int] | None:
    """Where a comment form is, by its shape: a start line followed closely by form fields."""
    for index, line in enumerate(lines):
        if not COMMENT_FORM_START.match(line.text):
            continue
        fields = [
            other
            for other in range(index + 1, min(len(lines), index + 12))
            if COMMENT_FORM_FIELD.match(lines[other].text)
        ]
        if len(fields) >= 2:
            return index, fields[-1] + 1
    return None


class _Cleaner:
    """One page's cleaning: keeps the lines, their kinds and what was removed."""

    def __init__(self, lines: list[TextLine], sidecar: Sidecar, furniture: Collection[str] | None) -> None:
        self.lines = lines
        self.sidecar = sidecar
        self.furniture = furniture or frozenset()
        self.kinds = [_kind(line.text) for line in lines]
        self.removed: list[RemovedPiece] = []
        self.refused: list[RefusedCut] = []
        self.gone: set[int] = set()
        prose = [_weight(line.text) for line, kind in zip(lines, self.kinds, strict=True) if kind == "prose"]
        self.prose_total = sum(prose)

    # removal bookkeeping
    def remove(self, index: int, reason: str) -> None:
        if index in self.gone:
            return
        self.gone.add(index)
        self.cut(self.lines[index], reason)

    def cut(self, part: TextLine, reason: str) -> None:
        """Record a removed piece of a line; `remove` records a whole one."""
        self.removed.append(
            RemovedPiece(raw_start=part.raw_start, raw_end=part.raw_end, text=part.text, reason=reason)
        )

    def prose_in(self, indexes: range | list[int]) -> int:
        return sum(_weight(self.lines[i].text) for i in indexes if self.kinds[i] == "prose")

    def allowed(self, rule: str, indexes: range | list[int]) -> bool:
        """Whether a cut of these lines keeps most of the page's prose; records a refusal if not."""
        cut = self.prose_in(indexes)
        if self.prose_total and cut > REFUSE_SHARE * self.prose_total:
            lines = [self.lines[i] for i in indexes]
            self.refused.append(
                RefusedCut(rule, lines[0].raw_start, lines[-1].raw_end, cut, self.prose_total)
            )
            return False
        return True

    def run(self) -> tuple[int, int]:
        """Remove furniture, boilerplate and the comment form; return the article block [start, end)."""
        lines, kinds = self.lines, self.kinds
        for index, line in enumerate(lines):
            if normalise_line(line.text) in self.furniture:
                self.remove(index, FURNITURE_REASON)
                kinds[index] = "boilerplate"
        form = _comment_form(lines)
        if form and self.allowed("comment form cut", range(form[0], len(lines))):
            for index in range(form[0], form[1]):
                self.remove(index, "comment form")
                kinds[index] = "heading" if index == form[0] else "boilerplate"
        scores = [_score(kind, line.text) for kind, line in zip(kinds, lines, strict=True)]
        start, end = _best_block(scores)
        if end == 0:
            # no prose at all: keep every line that is not boilerplate
            start, end = 0, len(lines)
        outside = [i for i in range(len(lines)) if not start <= i < end and i not in self.gone]
        if not self.allowed("cut outside the article block", outside):
            start, end = 0, len(lines)
        return start, end


def _header_reason(kind: str, text: str) -> str:
    reason = _boilerplate_reason(text)
    if reason:
        return reason
    if kind == "heading":
        return "list heading (related, popular, comments)"
    if kind == "prose":
        return "prose outside the article block (teasers, comments, notices)"
    return "navigation and page furniture above the article"


def _footer_reason(kind: str, text: str) -> str:
    if COMMENT_FORM_START.match(text):
        return "comment form"
    if TRAILING_LABELS.match(text):
        return "trailing label"
    reason = _boilerplate_reason(text)
    if reason:
        return reason
    if kind == "heading":
        return "list heading (related, popular, comments)"
    if kind == "prose":
        return "prose outside the article block (teasers, comments, notices)"
    return "related links and footer below the article"


def _is_date_line(text: str) -> bool:
    """A short line that prints a date or a time ("Monday 6:30PM", "Updated Nov. 19, 2019").

    A year alone makes a date line only of a line of a few words: "Milan Design Week 2018 | ..."
    is a headline.
    """
    words = _words(text)
    if words > 14 or SENTENCE_END.search(text.rstrip(".")):
        return False
    found = [match.group() for match in DATE_LIKE.finditer(text)]
    if found and all(YEAR.fullmatch(piece) for piece in found):
        return words <= YEAR_LINE_WORDS
    return bool(found)


@dataclass
class _Page:
    """One page being cleaned: its lines, the cleaner's reading and what was found so far."""

    cleaner: _Cleaner
    sidecar: Sidecar
    start: int
    end: int
    # fixed before the block start moves: the headline search and the header clean-up read the same lines
    header: range
    title_index: int | None = None
    title_span: tuple[int, int] | None = None
    author: tuple[TextLine, str] | None = None
    section: str | None = None
    published: str | None = None
    site_words: frozenset[str] = frozenset()

    @property
    def lines(self) -> list[TextLine]:
        return self.cleaner.lines

    @property
    def kinds(self) -> list[str]:
        return self.cleaner.kinds


def clean_lines(
    lines: list[TextLine],
    *,
    sidecar: Sidecar | None = None,
    furniture: Collection[str] | None = None,
    removed: Sequence[RemovedPiece] = (),
    title_hint: int | None = None,
) -> PageText:
    """Clean a page given as lines of verbatim slices (the plain-text and Markdown sources share this).

    Args:
        lines: the page's non-blank lines, in order.
        sidecar: metadata the scraper stored beside the file, if any.
        furniture: the normalised lines printed on many pages of the site (see `furniture.py`).
        removed: pieces the caller already removed (e.g. Markdown markup), kept in the result.
        title_hint: index of a line the source knows is the headline (a Markdown `#` heading).

    Raises:
        RejectedInput: nothing usable is left.
    """
    sidecar = sidecar or Sidecar()
    cleaner = _Cleaner(lines, sidecar, furniture)
    cleaner.removed.extend(removed)
    start, end = cleaner.run()
    refused_block = bool(cleaner.refused) and (start, end) == (0, len(lines))
    page = _Page(cleaner, sidecar, start, end, header=range(max(0, start - HEADER_WINDOW), start))
    page.site_words = _site_words(lines, sidecar)
    page.title_index = _find_title(page, title_hint)
    if page.title_index is not None:
        page.title_span = _strip_site_name(lines[page.title_index].text, sidecar.outlet)
    page.author = _find_author(page)
    _clean_header(page)
    _clean_above_block(page)
    _clean_footer(page)
    body_indexes = _clean_article_block(page, refused_block)
    return PageText(article=_article(page, body_indexes), refused=tuple(cleaner.refused))


# --- the headline ---------------------------------------------------------------------------------


def _site_words(lines: Sequence[TextLine], sidecar: Sidecar) -> frozenset[str]:
    """The words of the site's name: the outlet, the URL's host and the parts of the page's first
    (<title>) line that `_strip_site_name` takes for the site's ("| The Valley Courier")."""
    names = [sidecar.outlet or "", urlsplit(sidecar.url).hostname or "" if sidecar.url else ""]
    if lines:
        text = lines[0].text
        low, high = _strip_site_name(text, sidecar.outlet)
        names += [text[:low], text[high:]]
    return frozenset(_word_set(" ".join(names)) - HOST_WORDS)


HOST_WORDS = frozenset({"www", "com", "org", "net", "co", "uk", "news", "the"})


def _find_title(page: _Page, title_hint: int | None) -> int | None:
    """The headline's line: the first of the ways below that finds one, best evidence first."""
    found = title_hint
    for finder in (
        _title_by_breadcrumb,
        _title_by_page_title,
        _title_above_byline,
        _title_above_block,
        _title_at_top,
    ):
        if found is None:
            found = finder(page)
    if found is not None and (
        not _can_open_headline(page.lines[found].text) or _boilerplate_reason(page.lines[found].text)
    ):
        return None  # "Leave a Reply" twice is no headline, even where the page's title says so
    return found


def _can_open_headline(text: str) -> bool:
    """A headline has letters and starts with a word, a number or an opening quote or bracket
    (not "." or "—": that is the tail of a sentence or an attribution)."""
    return any(char.isalpha() for char in text) and (text[0].isalnum() or text[0] in HEADLINE_OPENERS)


HEADLINE_OPENERS = QUOTE_OPENERS + "([¿¡$€£#"


def _title_candidate(page: _Page, index: int) -> bool:
    text = page.lines[index].text
    return (
        index not in page.cleaner.gone
        and page.kinds[index] in ("link", "sentence", "prose", "data")
        and 2 <= _words(text) <= MAX_TITLE_WORDS + 10
        and not BYLINE.match(text)
        and not _is_date_line(text)
        and not CREDIT.search(text)
        and not DATELINE.match(text)
        and "@" not in text
        and _can_open_headline(text)
        # two or three capitalised words alone are a name (an author's, the site's), not a headline;
        # "The Impeachment Clock" is no name
        and not (_words(text) <= 3 and NAME_LINE.match(text) and parses_as_person(text))
    )


def _headline_like(page: _Page, index: int) -> bool:
    return (
        _title_candidate(page, index)
        and looks_like_title(page.lines[index])
        and _words(page.lines[index].text) >= 3
    )


def _title_by_breadcrumb(page: _Page) -> int | None:
    """The header line repeating the last step of the (last) breadcrumb trail."""
    trail: str | None = None
    for index in page.header:
        crumb = BREADCRUMB.match(page.lines[index].text)
        if crumb:
            trail = normalise_spaces(crumb.group("trail").split("»")[-1])
    if not trail:
        return None
    return next((i for i in reversed(page.header) if normalise_spaces(page.lines[i].text) == trail), None)


def _title_by_page_title(page: _Page) -> int | None:
    """The line near the article that repeats the page's <title> line (its first line) most closely.

    The <title> and the printed headline often differ ("Why you can't trust ..." above "Why you just
    can't trust ..."), and teasers and menus may repeat a few of its words: the headline is the
    candidate sharing the largest part of the title's words, a byline under it counting for it, the
    nearest to the article among equals. With no such line, the title line itself when it is a
    headline.
    """
    lines = page.lines
    if not lines or page.start == 0 or BREADCRUMB.match(lines[0].text):
        return None
    best: tuple[float, int] | None = None
    found: int | None = None
    for index, exact_only in _headline_window(page):
        if index in page.cleaner.gone or page.kinds[index] in ("boilerplate", "heading"):
            continue
        similarity = _title_similarity(page, lines[0].text, lines[index].text)
        # the article's first sentence often repeats the headline's words: inside the article
        # block, a line ending like a sentence is the headline only when it is the title itself
        lede = index >= page.start and TITLE_END.search(lines[index].text) is not None
        if similarity < 1.0 and (
            exact_only or lede or similarity < MIN_TITLE_OVERLAP or not _title_candidate(page, index)
        ):
            continue
        byline = _byline_follows(page, index)
        far = page.start - index > NEAR_BLOCK
        if far and similarity < FAR_TITLE_OVERLAP and not byline:
            continue  # a teaser far above the article that shares a few of the title's words
        key = (similarity + BYLINE_BONUS * byline, -abs(index - page.start))
        if best is None or key > best:
            best, found = key, index
    if found is None and 0 in page.header and _title_candidate(page, 0):
        return 0
    return found


def _headline_window(page: _Page) -> list[tuple[int, bool]]:
    """Where the headline may be: the lines above the article block and its first lines up to the
    first paragraph of prose (that one only when it repeats the title exactly)."""
    window = [(index, False) for index in page.header if index > 0]
    for index in range(page.start, min(page.end, page.start + OPENING_LINES)):
        prose = page.kinds[index] == "prose"
        window.append((index, prose))
        if prose:
            break
    return window


def _title_similarity(page: _Page, page_title: str, text: str) -> float:
    """1.0 for the title line (with or without its site name), else the share of words in common."""
    low, high = _strip_site_name(page_title, page.sidecar.outlet)
    core = page_title[low:high]
    line = normalise_spaces(text)
    if line in (normalise_spaces(page_title), normalise_spaces(core)):
        return 1.0
    if _words(line) >= 3 and normalise_spaces(page_title).startswith(line + " "):
        return 1.0
    title_words, words = _word_set(core), _word_set(text)
    shared = len(title_words & words)
    if len(title_words) < MIN_SHARED_WORDS + 1 or shared < MIN_SHARED_WORDS:
        return 0.0
    return shared / max(len(title_words), len(words))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in re.findall(r"\w+", text))


def _byline_follows(page: _Page, index: int) -> bool:
    """A byline is among the next lines (after a date line, perhaps): the line above it is the headline."""
    following = page.lines[index + 1 : index + 1 + BYLINE_GAP]
    return any(BYLINE.match(line.text) or BY_ALONE.match(line.text) for line in following)


def _title_above_byline(page: _Page) -> int | None:
    """A byline just above the block: the headline is the headline-like line right above it."""
    bylines = [i for i in range(max(0, page.start - 12), page.start) if BYLINE.match(page.lines[i].text)]
    if not bylines:
        return None
    above = reversed(range(max(0, bylines[-1] - 3), bylines[-1]))
    return next((index for index in above if _headline_like(page, index)), None)


def _title_above_block(page: _Page) -> int | None:
    above = reversed(range(max(0, page.start - 12), page.start))
    return next((index for index in above if _headline_like(page, index)), None)


def _title_at_top(page: _Page) -> int | None:
    """A page that starts with its headline and goes straight into the article."""
    lines = page.lines
    if not (page.start == 0 and len(lines) >= 2 and page.end - page.start >= 2):
        return None
    first = lines[0]
    if (
        looks_like_title(first)
        and page.kinds[0] != "prose"
        and not DATELINE.match(first.text)
        and not BYLINE.match(first.text)
    ):
        page.start = 1  # the headline is not the article's first paragraph
        return 0
    return None


# --- the byline -----------------------------------------------------------------------------------


def _find_author(page: _Page) -> tuple[TextLine, str] | None:
    """The byline's name (and its line's text); the byline line goes."""
    anchor = page.title_index if page.title_index is not None else page.start
    # between headline and block, the block's first lines (the byline may follow a standfirst, a
    # date line, a caption or a newsletter box), then just above the headline: a "By" line above
    # the headline is more often a teaser's
    below = [*range(anchor + 1, page.start), *range(page.start, min(page.end, page.start + BYLINE_LINES))]
    above = list(range(max(0, anchor - 3), min(anchor, page.start)))
    zone = [*below, *above] if page.title_index is not None else [*above, anchor, *below]
    zone = list(dict.fromkeys(index for index in zone if index < len(page.lines)))
    for position, index in enumerate(zone):
        following = zone[position + 1] if position + 1 < len(zone) else None
        author = _byline_at(page, index, following)
        if author is not None:
            return author
    return _name_line_author(page)


def _byline_at(page: _Page, index: int, following: int | None) -> tuple[TextLine, str] | None:
    """The author a byline on this line names ("By X", "By" then a name line, "X | Outlet", "date | X")."""
    lines, cleaner = page.lines, page.cleaner
    text = lines[index].text
    if index == page.title_index or (index in cleaner.gone and not BYLINE.match(text)):
        return None
    match = BYLINE.match(text)
    if match and _words(text) <= 16:
        name_start = match.start("author")
        name_end = _author_end(text, name_start, match.end("author"))
        if not _is_author(page, text[name_start:name_end]):
            if index >= page.start:  # "By Reuters" opening the article: a credit, not the text
                cleaner.remove(index, "byline naming no person (an agency, a desk or the site)")
            return None
        cleaner.remove(index, "byline (kept as author)")
        return lines[index].slice(name_start, name_end), text
    if BY_ALONE.match(text) and following is not None:
        name = NAME_LINE.match(lines[following].text)
        if name and _is_author(page, name.group("author")):
            cleaner.remove(index, "byline (kept as author)")
            cleaner.remove(following, "byline (kept as author)")
            return lines[following].slice(0, name.end("author")), lines[following].text
    return _name_and_label_at(page, index)


def _name_and_label_at(page: _Page, index: int) -> tuple[TextLine, str] | None:
    """A name joined to the outlet, a role or a date on one line ("Jane Roe | The Courier",
    "March 3, 2026 by Jane Roe")."""
    line = page.lines[index]
    text = line.text
    labelled = NAME_AND_LABEL.match(text)
    if labelled and _is_author(page, labelled.group("author")):
        label = labelled.group("label")
        if name_words(label) & (page.site_words - {"the"}) or ROLE_LINE.search(label) or _is_date_line(label):
            page.cleaner.remove(index, "byline (kept as author)")
            return line.slice(0, labelled.end("author")), text
    trailing = TRAILING_BYLINE.search(text)
    if trailing and _is_date_line(text) and _is_author(page, trailing.group("author")):
        page.cleaner.remove(index, "date and byline (kept as author)")
        return line.slice(trailing.start("author"), trailing.end("author")), text
    return None


def _is_author(page: _Page, name: str) -> bool:
    return is_person_name(name, page.site_words, NOT_A_NAME | SECTION_WORDS)


# --- above and below the block --------------------------------------------------------------------


def _clean_header(page: _Page) -> None:
    """Remove the header lines, keeping the section label and the date printed under the headline."""
    for index in page.header:
        if index in page.cleaner.gone or index == page.title_index:
            continue
        text = page.lines[index].text
        if page.section is None and _words(text) <= 3 and text.casefold() in SECTION_LABELS:
            page.section = text
            page.cleaner.remove(index, "section label (kept as section)")
            continue
        reason = _header_line_reason(page.kinds[index], text)
        below_title = page.title_index is not None and index > page.title_index
        if reason == "date line" and page.published is None and below_title:
            page.published = _header_date(text)
        page.cleaner.remove(index, reason)


def _header_line_reason(kind: str, text: str) -> str:
    if BREADCRUMB.match(text):
        return "breadcrumb"
    if _is_date_line(text):
        return "date line"
    if text.casefold() in SECTION_LABELS and _words(text) <= 3:
        return "category label"
    return _header_reason(kind, text)


def _clean_above_block(page: _Page) -> None:
    """Remove every line left above the article, and the site name around the headline."""
    if page.title_index is not None and page.title_index >= page.start:
        # a headline the source marked inside the block (a Markdown heading): the article follows it
        page.start = page.title_index + 1
    for index in range(0, min(page.start, len(page.lines))):
        if index != page.title_index and index not in page.cleaner.gone:
            page.cleaner.remove(index, _header_reason(page.kinds[index], page.lines[index].text))
    if page.title_index is None or page.title_span is None:
        return
    line = page.lines[page.title_index]
    if page.title_span == (0, len(line.text)):
        return
    for low, high in ((0, page.title_span[0]), (page.title_span[1], len(line.text))):
        if high > low:
            page.cleaner.cut(line.slice(low, high), "site name in title")


def _clean_footer(page: _Page) -> None:
    for index in range(page.end, len(page.lines)):
        if index not in page.cleaner.gone:
            page.cleaner.remove(index, _footer_reason(page.kinds[index], page.lines[index].text))


# --- inside the block -----------------------------------------------------------------------------


def _clean_article_block(page: _Page, refused_block: bool) -> list[int]:
    """Remove what is not the article inside the block; return the indexes of the body's lines."""
    lines, kinds, cleaner = page.lines, page.kinds, page.cleaner
    indexes = [i for i in range(page.start, page.end) if i not in cleaner.gone and i != page.title_index]
    while indexes and kinds[indexes[0]] != "prose" and _is_date_line(lines[indexes[0]].text):
        cleaner.remove(indexes.pop(0), "date line")
    if not refused_block:
        _clean_block(cleaner, indexes)
    else:  # the cut was refused, but a line that is boilerplate wherever it stands still goes
        for index in indexes:
            line_reason = _boilerplate_reason(lines[index].text)
            if line_reason:
                cleaner.remove(index, line_reason)
    indexes = [i for i in indexes if i not in cleaner.gone]
    # trailing tag labels and a comment-form word at the block's end
    while indexes and (
        TRAILING_LABELS.match(lines[indexes[-1]].text) or COMMENT_FORM_START.match(lines[indexes[-1]].text)
    ):
        last = indexes.pop()
        reason = "comment form" if COMMENT_FORM_START.match(lines[last].text) else "trailing label"
        cleaner.remove(last, reason)
    return indexes


# --- the columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dateline:
    """The dateline read off the article's first lines."""

    index: int
    match: re.Match[str]


def _find_dateline(page: _Page, indexes: list[int]) -> _Dateline | None:
    """A dateline opens one of the first lines, before any running prose."""
    for index in indexes[:3]:
        text = page.lines[index].text
        match = DATELINE.match(text)
        if match and match.end() < len(text) and _real_dateline(match):
            return _Dateline(index, match)
        if page.kinds[index] == "prose":
            return None
    return None


def _dateline_field(page: _Page, dateline: _Dateline) -> FieldBuilder:
    """The dateline column; the separator after it goes."""
    line, match = page.lines[dateline.index], dateline.match
    column = FieldBuilder.empty()
    column.add(line.slice(0, match.end("dateline")).raw_start, match.group("dateline"))
    page.cleaner.cut(line.slice(match.start("separator"), match.end("separator")), "dateline separator")
    return column


def _body_field(page: _Page, indexes: list[int], dateline: _Dateline | None) -> FieldBuilder:
    body = FieldBuilder.empty()
    for index in indexes:
        line = page.lines[index]
        if dateline is not None and index == dateline.index:
            line = line.slice(dateline.match.end())
        line.add_to(body, PARAGRAPH_SEPARATOR)
    return body


def _published_date(page: _Page, dateline: _Dateline | None) -> str | None:
    """The sidecar's date, else the dateline's, else the date line under the headline."""
    sidecar = page.sidecar
    published = parse_partial_date(sidecar.published) if sidecar.published else None
    if published is None and dateline is not None and dateline.match.group("date"):
        published = parse_partial_date(dateline.match.group("date"))
    if published is None and page.published:
        return page.published
    return published


def _body_text(body: FieldBuilder) -> str:
    text = body.value() or ""
    if not text.strip():
        raise RejectedInput("no article text is left after removing site boilerplate")
    if not any(char.isalnum() for char in text):
        raise RejectedInput("the text left after removing site boilerplate has no words, only symbols")
    return text


def _article(page: _Page, indexes: list[int]) -> CleanedArticle:
    """The article's columns, built from what the phases found and kept."""
    sidecar = page.sidecar
    title = FieldBuilder.empty()
    if page.title_index is not None and page.title_span is not None:
        page.lines[page.title_index].slice(*page.title_span).add_to(title)
    found = _find_dateline(page, indexes)
    dateline = _dateline_field(page, found) if found is not None else FieldBuilder.empty()
    body = _body_field(page, indexes, found)
    author = FieldBuilder.empty()
    if page.author is not None:
        page.author[0].add_to(author)
    body_text = _body_text(body)
    fields = (("title", title), ("dateline", dateline), ("author", author), ("body", body))
    return CleanedArticle(
        title=title.value(),
        section=page.section,
        dateline=dateline.value(),
        dateline_place=place_name(found.match.group("place")) if found is not None else None,
        published_date=_published_date(page, found),
        author=author.value() or (sidecar.author.strip() if sidecar.author else None),
        url=sidecar.url,
        outlet=sidecar.outlet,
        body=body_text,
        word_count=len(body_text.split()),
        language=detect_language(body_text),
        offset_map={name: builder.runs for name, builder in fields if builder.runs},
        removed=sorted(page.cleaner.removed, key=lambda piece: (piece.raw_start, piece.raw_end)),
    )


AFTER_NAME = re.compile(rf"(?i:updated|published|posted|on|at|am|publiziert|le|el|{MONTH})\b")
NOT_A_NAME = frozenset({"menu", "sections", "search", "home", "login", "subscribe", "share", "more", "news"})
SECTION_WORDS = frozenset(word for label in SECTION_LABELS for word in label.split())
NAME_LINE_REACH = 10
"""A name line is looked for this many lines under the headline (past share bars and a date)."""


def _author_end(text: str, start: int, end: int) -> int:
    """Where a byline's name ends: before "Updated Nov 19", "publiziert am", a repeat of itself."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for position, word in enumerate(words[1:], start=1):
        if AFTER_NAME.fullmatch(word.group().rstrip(".,:")):
            end = start + words[position - 1].end()
            words = words[:position]
            break
    half = len(words) // 2
    if (
        half
        and len(words) % 2 == 0
        and [w.group() for w in words[:half]] == [w.group() for w in words[half:]]
    ):
        end = start + words[half - 1].end()
    return end


def _name_line_author(page: _Page) -> tuple[TextLine, str] | None:
    """A line that is only a name (with a role or a handle), next to a date, role or handle line,
    or alone between the headline and the article's first paragraph.

    Looked for under the headline first, then above it (the headline may be printed twice), and in
    the article's first lines; the line goes as the byline.
    """
    lines, kinds, cleaner = page.lines, page.kinds, page.cleaner
    title_index, start = page.title_index, page.start
    anchor = title_index if title_index is not None else start
    zone = [
        *range(anchor + 1, min(start, anchor + NAME_LINE_REACH)),
        *range(max(0, anchor - 5), min(start, anchor + 1)),
        *range(start, min(page.end, start + 4)),
    ]
    for index in dict.fromkeys(zone):
        text = lines[index].text
        name = NAME_LINE.match(text)
        if (
            index == title_index
            or index in cleaner.gone
            or not name
            or kinds[index] not in ("link", "sentence")
            or BYLINE.match(text)  # a "By" line naming no person, already looked at
        ):
            continue
        if any(word.casefold() in NOT_A_NAME for word in name.group("author").split()):
            continue
        if not _is_author(page, name.group("author")):
            continue
        neighbours = [
            lines[i].text for i in (index - 1, index + 1) if 0 <= i < len(lines) and i != title_index
        ]
        if (
            name.group("suffix")
            or any(_is_date_line(other) or ROLE_LINE.search(other) for other in neighbours)
            or _opens_article(page, index)
        ):
            cleaner.remove(index, "byline (kept as author)")
            return lines[index].slice(0, name.end("author")), text
    return None


def _opens_article(page: _Page, index: int) -> bool:
    """The line stands under the headline, and the next line that is not boilerplate (a share bar)
    is the article's first paragraph of prose."""
    if page.title_index is None or not page.title_index < index < page.start:
        return False
    following = next(
        (
            i
            for i in range(index + 1, page.end)
            if i not in page.cleaner.gone and page.kinds[i] != "boilerplate"
        ),
        None,
    )
    return following == page.start and page.kinds[page.start] == "prose"


def _header_date(text: str) -> str | None:
    """The publication date a header date line prints, when it prints a year."""
    if not re.search(r"\b(?:19|20)\d{2}\b", text):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_partial_date(text)


def _real_dateline(match: re.Match[str]) -> bool:
    """A dateline names a place: "BREAKING NEWS:" or "UPDATE —" is a label, not a dateline."""
    place = match.group("place").strip(" .-'’")
    if place.casefold() in NEWS_LABELS or match.group("dateline").casefold().strip() in NEWS_LABELS:
        return False
    if len(place) < 3 and not match.group("agency"):
        return False
    if match.group("separator") == ":" and not (match.group("date") or match.group("agency")):
        # "ISLAMABAD:" is a dateline only when the place is a known place
        from pipeline.sources.normalise import _place_names

        return place.casefold() in _place_names()
    return True


def _clean_block(cleaner: _Cleaner, indexes: list[int]) -> None:
    """Remove what sits inside the article block but is not the article."""
    lines, kinds = cleaner.lines, cleaner.kinds
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 3:
            for index in run:
                cleaner.remove(index, "list of links inside the article")
        run.clear()

    for position, index in enumerate(indexes):
        text = lines[index].text
        reason = _boilerplate_reason(text)
        if reason or kinds[index] == "heading":
            flush()
            cleaner.remove(index, reason or "list heading (related, popular, comments)")
            continue
        if CREDIT.search(text) and kinds[index] != "prose" and _words(text) <= 12:
            flush()
            cleaner.remove(index, "photo credit")
            previous = indexes[position - 1] if position else None
            if previous is not None and previous not in cleaner.gone and _caption_like(lines[previous].text):
                cleaner.remove(previous, "photo caption")
            continue
        if CAPTION_START.match(text):
            flush()
            cleaner.remove(index, "photo caption")
            continue
        if kinds[index] == "link" and _words(text) <= 12:
            run.append(index)
            continue
        flush()
    flush()


def _caption_like(text: str) -> bool:
    """A caption above its credit: one or two sentences, shorter than a paragraph."""
    return _words(text) <= 40


def refuse_long_lines(longest: int, max_line_chars: int) -> None:
    """Reject a page whose longest line is over the limit: minified markup, base64, a dump."""
    if longest > max_line_chars:
        raise RejectedInput(
            f"has a line of {longest:,} characters, over the {max_line_chars:,} limit: not prose"
        )


def clean_page(
    text: str,
    *,
    sidecar: Sidecar | None = None,
    max_line_chars: int = 100_000,
    furniture: Collection[str] | None = None,
) -> PageText:
    """Clean one decoded page text; like `clean_text` but also returns the refused cuts.

    Args:
        text: the decoded raw text (NFC, newlines untouched).
        sidecar: metadata the scraper stored beside the file, if any.
        max_line_chars: longer lines are not prose and reject the file.
        furniture: the normalised lines printed on many pages of the site (see
            `pipeline.sources.furniture.repeated_lines`); those lines are removed.

    Raises:
        RejectedInput: nothing usable is left, or the text is not prose.
    """
    lines = split_lines(text)
    refuse_long_lines(max((line.end - line.start for line in lines), default=0), max_line_chars)
    return clean_lines([TextLine.from_line(line) for line in lines], sidecar=sidecar, furniture=furniture)


def clean_text(
    text: str,
    *,
    sidecar: Sidecar | None = None,
    max_line_chars: int = 100_000,
    furniture: Collection[str] | None = None,
) -> CleanedArticle:
    """Turn one decoded raw document into an article.

    Args:
        text: the decoded raw text (NFC, newlines untouched).
        sidecar: metadata the scraper stored beside the file, if any.
        max_line_chars: longer lines are not prose and reject the file.
        furniture: the normalised lines printed on many pages of the site; those lines are
            removed with the reason `furniture.FURNITURE_REASON`.

    Returns:
        The article's columns, how they map to `text`, and every removed piece with its reason.
        Refused cuts are only in `clean_page`'s result.

    Raises:
        RejectedInput: nothing usable is left, or the text is not prose.
    """
    return clean_page(text, sidecar=sidecar, max_line_chars=max_line_chars, furniture=furniture).article


class PlainText:
    """Plain text, the fallback source: any file no other source reads."""

    name = "plaintext"

    def accepts(self, path: str) -> bool:
        return True

    def article(self, document: SourceDocument) -> CleanedArticle:
        return clean_text(
            document.text,
            sidecar=document.sidecar,
            max_line_chars=document.max_line_chars,
            furniture=document.furniture,
        )


SOURCE = PlainText()
