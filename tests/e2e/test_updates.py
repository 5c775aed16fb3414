"""Updates cost what changed and give what a build from nothing gives (issue 18, item 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import settings_for
from support.synthetic import generate_corpus

from pipeline import api
from pipeline.outputs.files import NOTES_FILE
from pipeline.settings import Settings
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
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nRichard Moore met Demi Moore in Nairobi on Monday.\n",
        encoding="utf-8",
    )
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
