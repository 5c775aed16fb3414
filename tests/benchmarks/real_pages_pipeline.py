"""Benchmark: the real dev pages through the whole pipeline (`pipeline run`), beside trafilatura.

For each input kind (the pages' HTML as `.html.gz`, their whole-page text as `.txt`), the pages
are copied into one raw folder, the real CLI runs over it into a scratch working database and
release, and the released bodies are scored with the benchmark's own `score.py`, in the same run
as trafilatura's stored output. Also printed, per kind: the author share (pages whose HTML names
an author), the title share (title equal to the page's headline), the share of mentions and
quotes with raw offsets (`pipeline verify`), and the mentions on pages that are not in English
(goal: none, since no model reads them).

Example:
    .venv/bin/python tests/benchmarks/real_pages_pipeline.py [--pages DIR] [--kind html|text]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO.parent / "shared" / "real-pages-dev"
KINDS = {"html": ("html", ".html.gz"), "text": ("text", ".txt")}


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_kind(kind: str, pages: Path, work: Path) -> dict[str, Any]:
    """Run the pipeline over one kind of the pages; returns per-page articles and verify's output."""
    folder, suffix = KINDS[kind]
    raw = work / kind / "raw"
    raw.mkdir(parents=True)
    for source in sorted((pages / folder).glob(f"*{suffix}")):
        shutil.copy(source, raw / source.name)
    database = f"sqlite:///{work / kind / 'work.db'}"
    command = [sys.executable, "-m", "pipeline"]
    run = subprocess.run(
        [*command, "run", "--raw", str(raw), "--dist", str(work / kind / "dist"), "--database-url", database],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"pipeline run failed ({run.returncode}):\n{run.stderr[-2000:]}")
    verify = subprocess.run(
        [*command, "verify", "--dist", str(work / kind / "dist"), "--database-url", database],
        capture_output=True,
        text=True,
        check=False,
    )
    connection = sqlite3.connect(work / kind / "dist" / "news.db")
    connection.row_factory = sqlite3.Row
    articles = {
        row["source_path"].split(".")[0]: dict(row)
        for row in connection.execute(
            "select a.*, (select count(*) from mentions m where m.article_id = a.id) as mentions "
            "from articles a"
        )
    }
    connection.close()
    return {"articles": articles, "verify": verify.stderr.strip().splitlines()[-1:], "run": run.stderr}


def report(kind: str, result: dict[str, Any], pages: Path, score: ModuleType, page_text: ModuleType) -> None:
    truth = score.load_gt(str(pages / "ground-truth.json"))
    articles = result["articles"]
    predictions = {page: {"articleBody": (articles.get(page) or {}).get("body") or ""} for page in truth}
    print(score.fmt(f"pipeline run on {KINDS[kind][0]}/", score.evaluate(truth, predictions)))
    under_half = [
        page
        for page, figures in score.per_page(truth, predictions).items()
        if figures["r"] is not None and figures["r"] < 0.5
    ]
    print(f"  pages with less than half the true body kept: {len(under_half)} {[p[:12] for p in under_half]}")
    named = found = titled = headlines = 0
    for page in truth:
        html = gzip.decompress((pages / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", "replace")
        text = (pages / "text" / f"{page}.txt").read_text(encoding="utf-8", errors="replace")
        ref = page_text.reference(html, text, "")
        article = articles.get(page) or {}
        if ref.author:
            named += 1
            found += page_text.same_author(article.get("author"), ref.author)
        if ref.headline:
            headlines += 1
            titled += page_text.same_title(article.get("title"), ref.headline)
    print(f"  author: {found}/{named} pages whose HTML names one ({found / max(named, 1):.0%})")
    print(f"  title = headline: {titled}/{headlines} ({titled / max(headlines, 1):.0%})")
    foreign = {page: a for page, a in articles.items() if a.get("language") not in (None, "en")}
    languages = sorted({a["language"] for a in foreign.values()})
    print(
        f"  not English: {len(foreign)} pages ({', '.join(languages)}), "
        f"{sum(a['mentions'] for a in foreign.values())} mentions from them"
    )
    print(f"  verify: {' '.join(result['verify'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--kind", choices=sorted(KINDS), action="append")
    arguments = parser.parse_args()
    score = _load("pipeline_pages_score", arguments.pages / "score.py")
    page_text = _load("pipeline_pages_text", Path(__file__).with_name("page_text.py"))
    truth = score.load_gt(str(arguments.pages / "ground-truth.json"))
    stored = json.loads((arguments.pages / "trafilatura-2.3.1.json").read_text(encoding="utf-8"))
    trafilatura = {page: {"articleBody": (stored.get(page) or {}).get("articleBody") or ""} for page in truth}
    print(score.fmt("trafilatura 2.3.1 alone (html/)", score.evaluate(truth, trafilatura)))
    nothing = {
        page: {"articleBody": (arguments.pages / "text" / f"{page}.txt").read_text(encoding="utf-8")}
        for page in truth
    }
    print(score.fmt("nothing removed (text/)", score.evaluate(truth, nothing)))
    with tempfile.TemporaryDirectory() as scratch:
        for kind in arguments.kind or sorted(KINDS):
            report(kind, run_kind(kind, arguments.pages, Path(scratch)), arguments.pages, score, page_text)


if __name__ == "__main__":
    main()
