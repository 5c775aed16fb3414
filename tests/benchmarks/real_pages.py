"""Benchmark: our HTML source on the real dev pages, side by side with trafilatura alone.

Runs `pipeline.sources.html.read_page` over `html/<id>.html.gz` of the shared dev pages, scores
the bodies with the benchmark's own `score.py` beside trafilatura 2.3.1's stored output, and
prints:

- body F1 / precision / recall (ours and trafilatura's);
- the aligned share: of every capitalised word sequence in the bodies (entity-like spans), the
  share whose raw offsets come out with `html.unescape(raw[a:b]) == text`;
- the author share: pages whose HTML names an author (meta author, article:author, JSON-LD)
  where we found that author;
- the title share: pages where our title equals the page's headline (og:title or <h1>, without
  the site name), with the reference of `page_text.py` so both modes measure the same thing.

Importing this module does nothing; `run_html()` returns the figures. A `--text` mode for the
page-text cleaner can be added beside `--html` (see `page_text.py`).

Example:
    .venv/bin/python tests/benchmarks/real_pages.py --html [--pages DIR] [--show]
"""

from __future__ import annotations

import argparse
import gzip
import html as html_module
import importlib.util
import inspect
import json
import re
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO.parent / "shared" / "real-pages-dev"
PREDICTIONS = Path("/tmp/real_pages_html_predictions.json")
ENTITY_LIKE = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]*(?: +[A-ZÀ-ÖØ-ÞА-ЯЁ][\w’'-]*)*")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def split_by_markup(runs: list[Any], raw: str, start: int, end: int) -> bool:
    """Whether every character of the span maps into the raw page, but a tag lies between two of them."""
    from pipeline.sources.base import to_raw_offset

    first = to_raw_offset(runs, start, start + 1)
    last = to_raw_offset(runs, end - 1, end)
    return first is not None and last is not None and "<" in raw[first[1] : last[0]]


def aligned_share(article: Any, raw: str) -> tuple[int, int, int, list[str]]:
    """(aligned, split by markup, total, misses) over the entity-like spans of the body and title.

    A span split by markup (`The <em>New York Times</em>`) has no raw offsets by design.
    """
    from pipeline.sources.base import to_raw_offset

    aligned = split = total = 0
    misses: list[str] = []
    for column in ("body", "title"):
        text = getattr(article, column) or ""
        runs = article.offset_map.get(column, [])
        for match in ENTITY_LIKE.finditer(text):
            total += 1
            span = to_raw_offset(runs, match.start(), match.end())
            if span is not None and html_module.unescape(raw[span[0] : span[1]]) == match.group():
                aligned += 1
            elif span is None and split_by_markup(runs, raw, match.start(), match.end()):
                split += 1
            else:
                misses.append(match.group())
                if span is not None:  # a wrong offset is worse than none: always show it
                    misses[-1] += f"  (WRONG: {raw[span[0] : span[1]]!r})"
    return aligned, split, total, misses


def _reference(page_text: ModuleType, raw: str, text_path: Path, url: str) -> Any:
    """The page's headline and author as `page_text.py` reads them, so both modes measure alike."""
    from urllib.parse import urlsplit

    parameters = inspect.signature(page_text.reference).parameters
    if len(parameters) == 1:
        return page_text.reference(raw)
    text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
    return page_text.reference(raw, text, urlsplit(url).hostname or "")


def run_html(pages: Path = PAGES, show: bool = False) -> dict[str, Any]:
    """Read every page with our HTML source, score it beside trafilatura and return the figures."""
    sys.path.insert(0, str(REPO))
    from pipeline.errors import RejectedInput
    from pipeline.sources.html import read_page

    score = _load("real_pages_score", pages / "score.py")
    page_text = _load("real_pages_page_text", Path(__file__).with_name("page_text.py"))
    truth = score.load_gt(str(pages / "ground-truth.json"))
    trafilatura_output = json.loads((pages / "trafilatura-2.3.1.json").read_text(encoding="utf-8"))
    trafilatura_predictions = {
        page: {"articleBody": trafilatura_output.get(page, {}).get("articleBody") or ""} for page in truth
    }

    predictions: dict[str, dict[str, str]] = {}
    aligned = split = total = 0
    named = found = titled = headlines = 0
    wrong: list[str] = []
    started = time.perf_counter()
    for page in sorted(truth):
        raw = gzip.decompress((pages / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", "replace")
        try:
            article = read_page(raw).article
        except RejectedInput as error:
            print(f"{page[:12]}: rejected: {error.reason}")
            predictions[page] = {"articleBody": ""}
            continue
        predictions[page] = {"articleBody": article.body}
        page_aligned, page_split, page_total, misses = aligned_share(article, raw)
        aligned += page_aligned
        split += page_split
        total += page_total
        wrong.extend(f"{page[:12]}: {miss}" for miss in misses if "WRONG" in miss)
        if show and misses:
            print(f"  unaligned {page[:12]}: {misses[:8]}")
        ref = _reference(page_text, raw, pages / "text" / f"{page}.txt", truth[page].get("url") or "")
        if ref.author:
            named += 1
            ok = page_text.same_author(article.author, ref.author)
            found += ok
            if show and not ok:
                print(f"  author {page[:12]}: ours {article.author!r} page {ref.author!r}")
        if ref.headline:
            headlines += 1
            ok = page_text.same_title(article.title, ref.headline)
            titled += ok
            if show and not ok:
                print(f"  title {page[:12]}: ours {article.title!r} page {ref.headline!r}")
    elapsed = time.perf_counter() - started
    PREDICTIONS.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")

    ours = score.evaluate(truth, predictions, n_bootstrap=100)
    theirs = score.evaluate(truth, trafilatura_predictions, n_bootstrap=100)
    print(f"pages: {len(truth)}  predictions: {PREDICTIONS}  ({elapsed:.1f} s)")
    print(score.fmt("html source (ours)", ours))
    print(score.fmt("trafilatura 2.3.1 alone", theirs))
    if show:
        ours_pages, theirs_pages = (
            score.per_page(truth, predictions),
            score.per_page(truth, trafilatura_predictions),
        )
        for page in sorted(truth, key=lambda p: ours_pages[p]["f1"] - theirs_pages[p]["f1"]):
            delta = ours_pages[page]["f1"] - theirs_pages[page]["f1"]
            if abs(delta) > 0.005 or ours_pages[page]["f1"] < 0.8:
                print(
                    f"  {page[:12]} ours {ours_pages[page]['f1']:.3f} "
                    f"trafilatura {theirs_pages[page]['f1']:.3f}"
                )
    print(
        f"aligned entity-like spans: {aligned}/{total} ({aligned / max(total, 1):.2%}); "
        f"split by markup (no offsets by design): {split}; "
        f"aligned where not split: {aligned / max(total - split, 1):.2%}; wrong offsets: {len(wrong)}"
    )
    for line in wrong[:20]:
        print(f"  {line}")
    print(f"author: {found}/{named} pages whose HTML names one ({found / max(named, 1):.0%})")
    print(f"title = headline: {titled}/{headlines} ({titled / max(headlines, 1):.0%})")
    return {
        "body": ours,
        "trafilatura": theirs,
        "aligned_share": aligned / max(total, 1),
        "aligned_share_not_split": aligned / max(total - split, 1),
        "wrong_offsets": len(wrong),
        "author_share": found / max(named, 1),
        "title_share": titled / max(headlines, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", action="store_true", help="our HTML source on html/*.html.gz")
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--show", action="store_true", help="print each miss and each page that differs")
    arguments = parser.parse_args()
    if not arguments.html:
        parser.error("say which input to measure: --html")
    run_html(arguments.pages, arguments.show)


if __name__ == "__main__":
    main()
