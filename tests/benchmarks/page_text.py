"""Benchmark: the page-text cleaner (`clean_text`) on whole-page text of real pages from many sites.

Runs `pipeline.sources.plaintext.clean_text` over `text/<id>.txt` of the shared dev pages (no
sidecar, no furniture: every page is from a different site), writes the predicted bodies to
`/tmp/page_text_predictions.json`, scores them with the benchmark's own `score.py`, and prints:

- body F1 / precision / recall, beside the removing-nothing baseline;
- the pages where the article was in the text but less than half of it reached the body;
- the author share: pages whose HTML names an author that the page text prints, and where
  `clean_text` found that author;
- the title share: pages where the title equals the page's headline (og:title or <h1> of the
  HTML, without the site name);
- refused cuts and datelines found.

Example:
    .venv/bin/python tests/benchmarks/page_text.py [--pages DIR] [--show]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO.parent / "shared" / "real-pages-dev"
PREDICTIONS = Path("/tmp/page_text_predictions.json")
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•)\s+")


def load_scorer(pages: Path) -> ModuleType:
    """The benchmark's `score.py`, imported from the pages folder."""
    spec = importlib.util.spec_from_file_location("page_text_score", pages / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def _meta(html: str, attribute: str, name: str) -> str | None:
    for tag in re.finditer(r"<meta\b[^>]*>", html, re.IGNORECASE):
        text = tag.group()
        if re.search(rf"""{attribute}\s*=\s*["']{re.escape(name)}["']""", text, re.IGNORECASE):
            content = re.search(r"""content\s*=\s*(["'])(.*?)\1""", text, re.IGNORECASE | re.DOTALL)
            if content and content.group(2).strip():
                return _unescape(content.group(2))
    return None


def _unescape(text: str) -> str:
    import html as html_module

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def strip_site(title: str, site: str | None) -> str:
    """The title without a site-name part ("Headline | Site", "Site - Headline")."""
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site:
        kept = [part for part in parts if words(part) != words(site)]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    # the site name is the short end part
    if len(parts[-1].split()) <= 4 and len(parts[-1]) < len(" ".join(parts[:-1])):
        return strip_site(" - ".join(parts[:-1]), site) if len(parts) > 2 else parts[0]
    return title


@dataclass(frozen=True)
class Reference:
    """What the HTML says about the page: the headline and the author, when it names one."""

    headline: str | None
    author: str | None


def reference(html: str, text: str, host: str) -> Reference:
    """The page's headline and author as its HTML states them.

    The headline is the first of the <h1>s, og:title and <title> (site name stripped) that the
    page text prints as a line; the author is a person named by the author meta tag or JSON-LD
    (an outlet like "Reuters" or "BBC News" is not an author).
    """
    site = _meta(html, "property", "og:site_name")
    og = _meta(html, "property", "og:title") or _meta(html, "name", "twitter:title")
    h1s = [_unescape(h1) for h1 in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, re.IGNORECASE | re.DOTALL)]
    title_tag = re.search(r"<title\b[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    candidates = [h1 for h1 in h1s if len(words(h1)) >= 2 and words(h1) != words(site)]
    if og:
        candidates.append(strip_site(og, site))
    if title_tag:
        candidates.append(strip_site(_unescape(title_tag.group(1)), site))
    printed = {tuple(words(line)) for line in text.splitlines()}
    headline = next((c for c in candidates if tuple(words(c)) in printed), None)
    if headline is None and og:
        headline = strip_site(og, site)
    author = _meta(html, "name", "author") or _meta(html, "property", "article:author")
    if author and ("/" in author or ("." in author.split()[0] and len(author.split()) == 1)):
        author = None  # a profile URL or a domain, not a name
    if not author:
        for block in re.findall(
            r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", html, re.IGNORECASE | re.DOTALL
        ):
            found = re.search(r'"author"\s*:\s*[\[{]?[^]}]*?"name"\s*:\s*"([^"]+)"', block)
            if found:
                author = _unescape(found.group(1))
                break
    if author:
        author = re.sub(r"^.*?\bby\s+", "", author, flags=re.IGNORECASE).split(",")[0].strip()
        outlet = set(words(site)) | set(re.findall(r"[a-z]+", host.casefold())) | {"news", "staff"}
        if len(author.split()) < 2 or set(words(author)) & outlet or set(words(author)) <= set(words(host)):
            author = None
    return Reference(headline=headline, author=author or None)


def same_title(ours: str | None, theirs: str | None) -> bool:
    return bool(ours) and words(ours) == words(theirs)


def same_author(ours: str | None, theirs: str) -> bool:
    """Ours names the reference's person: every word of the shorter is in the longer."""
    a, b = set(words(ours)), set(words(theirs))
    return bool(a) and bool(b) and (a <= b or b <= a)


def run(pages: Path = PAGES, show: bool = False) -> dict[str, object]:
    """Clean every page, score the bodies and return the figures (also printed)."""
    sys.path.insert(0, str(REPO))
    from pipeline.errors import RejectedInput
    from pipeline.sources.plaintext import clean_text

    score = load_scorer(pages)
    truth = score.load_gt(str(pages / "ground-truth.json"))
    predictions: dict[str, dict[str, str]] = {}
    baseline: dict[str, dict[str, str]] = {}
    articles = {}
    for page in sorted(truth):
        text = (pages / "text" / f"{page}.txt").read_text(encoding="utf-8")
        baseline[page] = {"articleBody": text}
        try:
            article = clean_text(text)
        except RejectedInput as error:
            print(f"{page[:12]}: rejected: {error}")
            predictions[page] = {"articleBody": ""}
            continue
        articles[page] = article
        predictions[page] = {"articleBody": article.body}
    PREDICTIONS.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")

    ours = score.evaluate(truth, predictions, n_bootstrap=100)
    nothing = score.evaluate(truth, baseline, n_bootstrap=100)
    per_page = score.per_page(truth, predictions)
    print(f"pages: {len(truth)}  predictions: {PREDICTIONS}")
    print(score.fmt("clean_text on text/", ours))
    print(score.fmt("nothing removed", nothing))

    nothing_pages = score.per_page(truth, baseline)
    under_half = [
        page
        for page, figures in per_page.items()
        if figures["r"] is not None and figures["r"] < 0.5 and (nothing_pages[page]["r"] or 0) >= 0.5
    ]
    print(f"pages with less than half the true body kept: {len(under_half)}")
    for page in under_half:
        print(f"  {page[:12]} recall {per_page[page]['r']:.2f}")

    named = found = titled = headlines = datelines = refused = 0
    for page in sorted(truth):
        html = gzip.decompress((pages / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", "replace")
        page_text = (pages / "text" / f"{page}.txt").read_text(encoding="utf-8")
        text_words = set(words(page_text))
        ref = reference(html, page_text, urlsplit(truth[page].get("url", "")).hostname or "")
        article = articles.get(page)
        if ref.author and set(words(ref.author)) <= text_words:
            named += 1
            ok = article is not None and same_author(article.author, ref.author)
            found += ok
            if show and not ok:
                print(f"  author {page[:12]}: ours {article and article.author!r} page {ref.author!r}")
        if ref.headline:
            headlines += 1
            ok = article is not None and same_title(article.title, ref.headline)
            titled += ok
            if show and not ok:
                print(f"  title {page[:12]}: ours {article and article.title!r} page {ref.headline!r}")
        if article is not None and article.dateline:
            datelines += 1
            if show:
                print(f"  dateline {page[:12]}: {article.dateline!r} -> {article.dateline_place!r}")
        refusals = getattr(article, "refused", None) if article is not None else None
        if refusals:
            refused += 1
            if show:
                print(f"  refused {page[:12]}: {refusals}")
    print(f"author: {found}/{named} pages whose page names one ({found / max(named, 1):.0%})")
    print(f"title = headline: {titled}/{headlines} ({titled / max(headlines, 1):.0%})")
    print(f"datelines found: {datelines}; pages with a refused cut: {refused}")
    return {
        "body": ours,
        "nothing_removed": nothing,
        "under_half": under_half,
        "author_share": found / max(named, 1),
        "title_share": titled / max(headlines, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--show", action="store_true", help="print each miss")
    arguments = parser.parse_args()
    run(arguments.pages, arguments.show)


if __name__ == "__main__":
    main()
