"""Site furniture: lines that many pages of one site print (menus, footers, newsletter boxes).

A line printed on many pages of the same site is the site's, not the article's. The clean stage
groups a corpus' pages by site (same folder, same outlet or same URL host), asks
`repeated_lines` for each group, and hands the result to `clean_text(..., furniture=...)`, which
removes those lines with the reason `FURNITURE_REASON`.

The reason and the clean stage's input hash name which lines are furniture, never how many pages
print them: a count would change with every page added to the site, and with it every page's
clean input and removed segments, so 100 new pages beside 10,000 would redo all 10,100.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

DEFAULT_MIN_PAGES = 3
"""A line is furniture when at least this many pages of the site print it..."""
DEFAULT_MIN_SHARE = 0.2
"""...and at least this share of the site's pages (so one big site's rare lines stay)."""
MAX_FURNITURE_CHARS = 300
"""Longer lines are prose: a repeated paragraph is a quoted statement, not furniture."""

FURNITURE_REASON = "repeated on many pages of this site"
"""Why a furniture line is removed (the lines of a site's pages that count are `repeated_lines`)."""

_SPACE = re.compile(r"\s+")


def normalise_line(line: str) -> str:
    """The form furniture is compared in: spaces collapsed, case folded."""
    return _SPACE.sub(" ", line).strip().casefold()


def page_lines(text: str) -> set[str]:
    """The distinct normalised non-blank lines of one page, short enough to be furniture."""
    lines = set()
    for raw in text.splitlines():
        line = normalise_line(raw)
        if line and len(line) <= MAX_FURNITURE_CHARS:
            lines.add(line)
    return lines


def repeated_lines(
    texts: Iterable[str],
    *,
    min_pages: int = DEFAULT_MIN_PAGES,
    min_share: float = DEFAULT_MIN_SHARE,
) -> dict[str, int]:
    """The lines a site repeats: normalised line -> the number of the site's pages printing it.

    Args:
        texts: the decoded texts of one site's pages.
        min_pages: a line on fewer pages is not furniture (a setting; 3 by default).
        min_share: nor is a line on less than this share of the site's pages.

    Returns:
        Every normalised line printed on at least `max(min_pages, min_share * pages)` pages;
        empty when the site has fewer than `min_pages` pages.
    """
    counts: Counter[str] = Counter()
    pages = 0
    for text in texts:
        pages += 1
        counts.update(page_lines(text))
    if pages < min_pages:
        return {}
    threshold = max(min_pages, min_share * pages)
    return {line: count for line, count in counts.items() if count >= threshold}


def site_key(path: str, *, outlet: str | None = None, url: str | None = None) -> str:
    """Which site a page belongs to: its URL host, else its outlet, else its folder.

    Args:
        path: the file's path relative to the raw folder.
        outlet: the sidecar's outlet, if any.
        url: the sidecar's URL, if any.
    """
    if url:
        host = urlsplit(url).hostname
        if host:
            return "host:" + host.removeprefix("www.")
    if outlet and outlet.strip():
        return "outlet:" + normalise_line(outlet)
    folder = path.replace("\\", "/").rpartition("/")[0]
    return "folder:" + folder


def furniture_by_site(
    pages: Iterable[tuple[str, str]],
    *,
    min_pages: int = DEFAULT_MIN_PAGES,
    min_share: float = DEFAULT_MIN_SHARE,
) -> dict[str, Mapping[str, int]]:
    """`repeated_lines` for each site, counted in one pass (texts are not kept).

    Args:
        pages: (site key, page text) pairs, the key e.g. from `site_key`.
        min_pages: as in `repeated_lines`.
        min_share: as in `repeated_lines`.
    """
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for key, text in pages:
        counts.setdefault(key, Counter()).update(page_lines(text))
        totals[key] += 1
    result: dict[str, Mapping[str, int]] = {}
    for key, site_counts in counts.items():
        threshold = max(min_pages, min_share * totals[key])
        enough = totals[key] >= min_pages
        result[key] = {line: n for line, n in site_counts.items() if enough and n >= threshold}
    return result
