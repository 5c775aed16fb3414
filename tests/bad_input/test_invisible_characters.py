"""Invisible format characters inside names (issue 19.13): "Ru\u200bto" is Ruto, offsets stay exact."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import SAMPLES, run_pipeline, settings_for
from hypothesis import given
from hypothesis import strategies as st

from pipeline.sources.base import FieldBuilder, to_raw_offset
from pipeline.sources.normalise import INVISIBLE, drop_invisible

ZWSP = "\u200b"


DROPPABLE = ["\u00ad", "\u2060", "\u200c", "\ufeff", ZWSP]


def written_as(column: str, raw: str) -> bool:
    """`raw` is `column` with only droppable characters added around its characters."""
    position = 0
    for char in column:
        while position < len(raw) and raw[position] != char:
            if raw[position] not in DROPPABLE:
                return False
            position += 1
        if position == len(raw):
            return False
        position += 1
    return all(found in DROPPABLE for found in raw[position:])


@given(st.text(alphabet=st.sampled_from(["a", "b", " ", *DROPPABLE])))
def test_every_visible_character_maps_back_to_itself(text: str) -> None:
    builder = FieldBuilder.empty()
    builder.add(7, text)
    column = builder.value() or ""
    raw = "x" * 7 + text
    assert INVISIBLE.search(column) is None
    for index, char in enumerate(column):
        span = to_raw_offset(builder.runs, index, index + 1)
        assert span is not None
        assert written_as(char, raw[span[0] : span[1]])
    if column:
        whole = to_raw_offset(builder.runs, 0, len(column))
        assert whole is not None and written_as(column, raw[whole[0] : whole[1]])


def test_text_without_invisible_characters_keeps_one_verbatim_run() -> None:
    assert drop_invisible("William Ruto", 10) is None
    builder = FieldBuilder.empty()
    builder.add(10, "William Ruto")
    assert builder.runs == [(0, 10, 12)]


def test_a_zero_width_space_inside_a_name_makes_no_second_entity(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "raw")
    article = next(path for path in sorted((tmp_path / "raw").glob("*.txt")) if "Ruto" in path.read_text())
    text = article.read_text(encoding="utf-8")
    position = text.rindex("Ruto")
    article.write_text(text[:position] + "Ru" + ZWSP + "to" + text[position + 4 :], encoding="utf-8")
    settings = settings_for(tmp_path)
    run_pipeline(settings)
    with closing(sqlite3.connect(settings.release_path)) as release:
        names = [row[0] for row in release.execute("select name from entities")]
        body = release.execute("select body from articles where source_path = ?", (article.name,)).fetchone()[
            0
        ]
        mentions = release.execute(
            "select m.text, m.raw_start, m.raw_end from mentions m join articles a on a.id = m.article_id "
            "where a.source_path = ? and m.text like '%Ruto%'",
            (article.name,),
        ).fetchall()
    assert ZWSP not in body
    assert not any(ZWSP in name for name in names)
    raw = text[:position] + "Ru" + ZWSP + "to" + text[position + 4 :]
    as_written = [raw[start:end] for _text, start, end in mentions]
    assert any(ZWSP in written for written in as_written), as_written
    assert all(
        written_as(text, written) for (text, _s, _e), written in zip(mentions, as_written, strict=True)
    )
