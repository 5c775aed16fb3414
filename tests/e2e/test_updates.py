"""Updates cost what changed and give what a build from nothing gives (issue 18, item 3)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from conftest import settings_for
from support.synthetic import generate_corpus

from pipeline import api
from pipeline.outputs.files import NOTES_FILE
from pipeline.settings import Settings
from pipeline.sources.furniture import FURNITURE_REASON
from pipeline.stages.enrich import EnrichReport
from pipeline.stages.resolve import ResolveReport


def articles_redone(settings: Settings) -> tuple[int, int]:
    """Run every stage; returns how many articles went through the model and how many entity
    resolution counted."""
    report = api.run(settings)
    [enriched] = [r for r in report.reports if isinstance(r, EnrichReport)]
    [resolved] = [r for r in report.reports if isinstance(r, ResolveReport)]
    return enriched.through_model, resolved.articles


def one_folder_each(raw: Path) -> None:
    """Each generated file in its own folder: a site of one page, so no page shares furniture lines
    with another and only the files that changed are cleaned again."""
    for path in sorted(raw.glob("*.txt")):
        (raw / path.stem).mkdir()
        path.rename(raw / path.stem / path.name)


def test_an_updated_release_is_byte_identical_to_one_built_from_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, 30, seed=3)
    one_folder_each(raw)
    updated = settings_for(tmp_path / "updated", raw_dir=raw, profile="fast")
    assert articles_redone(updated) == (30, 30)
    # Five new articles, one gone, one edited (a new sentence naming people and a place).
    generate_corpus(raw, 5, seed=4, start_index=30)
    one_folder_each(raw)
    paths = sorted(raw.glob("*/*.txt"))
    paths[0].unlink()
    edited = paths[1]
    # in the middle of the article: a line added after it is footer, and its text stays the same
    paragraphs = edited.read_text(encoding="utf-8").split("\n\n")
    paragraphs.insert(len(paragraphs) // 2, "Richard Moore met Demi Moore in Nairobi on Monday.")
    edited.write_text("\n\n".join(paragraphs), encoding="utf-8")
    # the five new and the edited one through the model; resolution also counts the one gone
    assert articles_redone(updated) == (6, 7)
    fresh_raw = tmp_path / "fresh-raw"
    shutil.copytree(raw, fresh_raw)
    fresh = settings_for(tmp_path / "fresh", raw_dir=fresh_raw, profile="fast")
    assert articles_redone(fresh) == (34, 34)
    assert updated.release_path.read_bytes() == fresh.release_path.read_bytes()
    # Every file the same but the release notes, which say what changed since the release before.
    [updated_sums, fresh_sums] = (
        {line for line in settings.checksums_path.read_text().splitlines() if NOTES_FILE not in line}
        for settings in (updated, fresh)
    )
    assert updated_sums == fresh_sums
    assert len(updated_sums) > 3


SITE_LINES = ("Courier Home | World | Business | Sport", "Get the Courier Daily newsletter in your inbox")


def site_pages(folder: Path, count: int, start: int) -> None:
    """Generated articles in one folder (one site), each between the site's header and footer."""
    for path in generate_corpus(folder, count, seed=3, start_index=start):
        path.write_text(
            f"{SITE_LINES[0]}\n\n{path.read_text(encoding='utf-8')}\n\n{SITE_LINES[1]}\n", encoding="utf-8"
        )


def removed_as_furniture(settings: Settings) -> int:
    with sqlite3.connect(settings.release_path) as release:
        query = "select count(*) from removed_segments where reason = ?"
        return int(release.execute(query, (FURNITURE_REASON,)).fetchone()[0])


def article_texts(settings: Settings) -> dict[str, tuple[str | None, ...]]:
    """What the model reads of each released article (its columns), by id."""
    with sqlite3.connect(settings.release_path) as release:
        rows = release.execute("select id, title, dateline, author, body from articles")
        return {row[0]: tuple(row[1:]) for row in rows}


def test_pages_added_beside_a_site_s_others_cost_only_themselves(tmp_path: Path) -> None:
    """New pages change how many pages print the site's furniture, which is not part of any
    page's input: only the new pages, and the old ones whose text changed (a line that became or
    stopped being furniture with the new counts), go through the model again; a page cleaned
    again to the same text (its sidecar's date changed) keeps its mentions."""
    raw = tmp_path / "raw"
    site_pages(raw / "courier", 30, start=0)
    dated = raw / "courier" / "000002.json"
    dated.write_text(json.dumps({"published": "2026-11-02"}), encoding="utf-8")
    updated = settings_for(tmp_path / "updated", raw_dir=raw, profile="fast")
    assert articles_redone(updated) == (30, 30)
    assert removed_as_furniture(updated) >= 60
    before = article_texts(updated)
    site_pages(raw / "courier", 10, start=30)
    dated.write_text(json.dumps({"published": "2026-11-03"}), encoding="utf-8")
    redone = articles_redone(updated)
    after = article_texts(updated)
    changed = [key for key, text in before.items() if after[key] != text]
    assert len(after) == 40 and len(changed) < 30
    assert redone == (10 + len(changed), 10 + len(changed))
    assert removed_as_furniture(updated) >= 80
    fresh_raw = tmp_path / "fresh-raw"
    shutil.copytree(raw, fresh_raw)
    fresh = settings_for(tmp_path / "fresh", raw_dir=fresh_raw, profile="fast")
    assert articles_redone(fresh) == (40, 40)
    assert updated.release_path.read_bytes() == fresh.release_path.read_bytes()
    # the kept mentions' raw offsets still point at their words in the raw files
    offsets = api.verify_raw_offsets(updated)
    assert offsets is not None and offsets.mentions > 0 and not offsets.problems


def test_site_furniture_reads_only_the_pages_that_changed(tmp_path: Path, monkeypatch) -> None:
    """The furniture counts are kept: a run reads each page's lines once, a run over unchanged
    files reads none (nor does the release's staleness check), and a changed page is read twice,
    its old text taken away and its new one added."""
    from pipeline.sources import furniture

    read: list[int] = []
    real = furniture.page_lines

    def reading(text: str) -> set[str]:
        read.append(1)
        return real(text)

    monkeypatch.setattr(furniture, "page_lines", reading)
    raw = tmp_path / "raw"
    site_pages(raw / "courier", 8, start=0)
    settings = settings_for(tmp_path / "work", raw_dir=raw, profile="fast")
    api.run(settings)
    assert len(read) == 8
    assert removed_as_furniture(settings) > 0
    release = settings.release_path.read_bytes()
    api.run(settings)
    assert len(read) == 8
    assert settings.release_path.read_bytes() == release
    page = sorted((raw / "courier").glob("*.txt"))[3]
    page.write_text(
        page.read_text(encoding="utf-8").replace("\n\n", "\n\nA new paragraph.\n\n", 1), encoding="utf-8"
    )
    api.run(settings)
    assert len(read) == 10
