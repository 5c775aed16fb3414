"""Pure text-to-HTML helpers for the reading pages: highlighting, paragraphs, keyword in context, labels.

Everything here takes plain strings and offsets and returns `markupsafe.Markup`; every piece of
article text passes through `escape`, so a page cannot be broken (or scripted) by what an article says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
FALLBACK_WORDS = 10
KWIC_WINDOW = 200

# One colour per entity type (OntoNotes labels); types not listed share the last one.
TYPE_ORDER = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
)
TYPE_NAMES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country, city, state",
    "LOC": "other place",
    "NORP": "nationality, group",
    "FAC": "building, facility",
    "EVENT": "event",
    "LAW": "law",
    "PRODUCT": "product",
    "WORK_OF_ART": "work of art",
}


@dataclass(frozen=True)
class Span:
    """A stretch of a text to highlight: offsets into it, its type and where it links."""

    start: int
    end: int
    label: str
    href: str | None = None
    title: str = ""
    key: str = ""


def type_class(label: str | None) -> str:
    """CSS class of an entity type, e.g. `t-PERSON`; unknown types get `t-OTHER`."""
    return f"t-{label}" if label in TYPE_NAMES else "t-OTHER"


def clean_spans(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans sorted, clipped to the text and without overlaps (the first of two overlapping wins).

    Mentions never overlap in a release, but a page must not garble a text if one day they do.
    """
    kept: list[Span] = []
    last_end = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(span.start, 0), min(span.end, length)
        if start >= end or start < last_end:
            continue
        kept.append(span if (start, end) == (span.start, span.end) else _moved(span, start, end))
        last_end = end
    return kept


def _moved(span: Span, start: int, end: int) -> Span:
    return Span(start, end, span.label, span.href, span.title, span.key)


def _mark(text: str, span: Span) -> str:
    attrs = f' class="mention {type_class(span.label)}" data-type="{escape(span.label)}"'
    if span.key:
        attrs += f' data-mention="{escape(span.key)}"'
    if span.title:
        attrs += f' title="{escape(span.title)}"'
    inner = escape(text)
    if span.href:
        return f'<a href="{escape(span.href)}"{attrs}>{inner}</a>'
    return f"<mark{attrs}>{inner}</mark>"


def _plain(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>\n")


def highlight(text: str, spans: Iterable[Span], offset: int = 0) -> Markup:
    """`text` as HTML with each span wrapped in a link (or <mark>) coloured by its type.

    Args:
        text: The text, or a slice of a longer text.
        spans: Offsets into the longer text; those outside this slice are dropped, those across its
            edges clipped.
        offset: Where `text` starts in the longer text the spans count in.
    """
    local = [_moved(s, s.start - offset, s.end - offset) for s in spans]
    out: list[str] = []
    pos = 0
    for span in clean_spans(local, len(text)):
        out.append(_plain(text[pos : span.start]))
        out.append(_mark(text[span.start : span.end], span))
        pos = span.end
    out.append(_plain(text[pos:]))
    return Markup("".join(out))


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: the text split on blank lines, empty paragraphs dropped."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        ranges.append((pos, brk.start()))
        pos = brk.end()
    ranges.append((pos, len(text)))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def paragraphs(text: str, spans: Sequence[Span]) -> list[Markup]:
    """The text as highlighted paragraphs (each a Markup to put inside <p>)."""
    kept = clean_spans(spans, len(text))
    return [
        highlight(text[s:e], [sp for sp in kept if sp.end > s and sp.start < e], s)
        for s, e in paragraph_ranges(text)
    ]


def fallback_title(body: str | None, words: int = FALLBACK_WORDS) -> str:
    """A label for an untitled article: the first words of its body and an ellipsis."""
    tokens = (body or "").split()
    if not tokens:
        return "(untitled, empty article)"
    head = " ".join(tokens[:words])
    return head + ("…" if len(tokens) > words else "")


def article_label(title: str | None, body: str | None) -> str:
    """An article's title, or the first words of its body when it has none: never "None" or blank."""
    if title and title.strip():
        return title.strip()
    return fallback_title(body)


@dataclass(frozen=True)
class Context:
    """A mention with the words around it: `before` + `hit` + `after` is a stretch of the text."""

    before: str
    hit: str
    after: str
    cut_left: bool
    cut_right: bool

    def html(self, mark: Callable[[str], str] | None = None) -> Markup:
        hit = mark(self.hit) if mark else f'<mark class="kwic-hit">{escape(self.hit)}</mark>'
        left = ("… " if self.cut_left else "") + str(escape(self.before))
        right = str(escape(self.after)) + (" …" if self.cut_right else "")
        return Markup(f"{left}{hit}{right}")


def sentence_context(sentence: str, start: int, end: int, window: int = KWIC_WINDOW) -> Context:
    """The mention at sentence[start:end] in its sentence, trimmed to `window` characters each side.

    The release records each mention's sentence (`sentence_start`, `sentence_end`), so the context
    is exactly one sentence; only a very long one is cut, at a space, and marked with an ellipsis.
    """
    start, end = max(0, min(start, len(sentence))), max(0, min(end, len(sentence)))
    before, after = sentence[:start], sentence[end:]
    cut_left = len(before) > window
    if cut_left:
        before = before[-window:]
        before = before[before.find(" ") + 1 :] if " " in before else before
    cut_right = len(after) > window
    if cut_right:
        after = after[:window]
        after = after[: after.rfind(" ")] if " " in after else after
    return Context(before.lstrip(), sentence[start:end], after.rstrip(), cut_left, cut_right)


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive, as YYYY-MM."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


MAX_BAR_WIDTH = 24.0
"""A month's bar is never wider than this: a name mentioned in one month is a bar, not a wall."""


def timeline_svg(counts: dict[str, int], width: int = 640, height: int = 120) -> Markup:
    """A small bar chart of mentions per month (YYYY-MM keys); empty when there are no dated mentions."""
    if not counts:
        return Markup("")
    months = month_range(min(counts), max(counts))
    top = max(counts.values())
    label_h, axis_y = 16, height - 18  # the scale above the bars, the months below: never on a bar
    bar_w = min(width / len(months), MAX_BAR_WIDTH)
    bars = []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        if not n:
            continue
        h = max(1.0, (axis_y - label_h) * n / top)
        bars.append(
            f'<rect x="{i * bar_w + 0.5:.1f}" y="{axis_y - h:.1f}" width="{max(bar_w - 1, 1):.1f}"'
            f' height="{h:.1f}"><title>{month}: {n} mention{"s" if n != 1 else ""}</title></rect>'
        )
    span = bar_w * len(months)
    last = (
        ""
        if len(months) == 1
        else (f'<text x="{max(span, 120):.1f}" y="{height - 4}" text-anchor="end">{months[-1]}</text>')
    )
    return Markup(
        f'<svg class="timeline" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-label="Mentions per month, {months[0]} to {months[-1]}, at most {top} in a month">'
        f'<line x1="0" y1="{axis_y}" x2="{span:.1f}" y2="{axis_y}" class="axis"/>'
        + "".join(bars)
        + f'<text x="0" y="{height - 4}">{months[0]}</text>{last}'
        f'<text x="0" y="11">at most {top} mention{"s" if top != 1 else ""} a month</text></svg>'
    )


def map_svg(latitude: float, longitude: float, width: int = 360, height: int = 180) -> Markup:
    """A world box (equirectangular graticule) with a dot at the place: no tiles, no script."""
    x = (longitude + 180.0) / 360.0 * width
    y = (90.0 - latitude) / 180.0 * height
    xs = [(lon + 180) / 360 * width for lon in range(-150, 180, 30)]
    ys = [(90 - lat) / 180 * height for lat in range(-60, 90, 30)]
    lines = [f'<line x1="{v:.1f}" y1="0" x2="{v:.1f}" y2="{height}"/>' for v in xs]
    lines += [f'<line x1="0" y1="{v:.1f}" x2="{width}" y2="{v:.1f}"/>' for v in ys]
    dot = f'cx="{x:.1f}" cy="{y:.1f}"'
    return Markup(
        f'<svg class="place-map" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-label="Location {latitude:.4f}, {longitude:.4f}">'
        f'<rect width="{width}" height="{height}" class="sea"/><g class="graticule">{"".join(lines)}</g>'
        f'<circle {dot} r="9" class="halo"/><circle {dot} r="4" class="dot"/></svg>'
    )
