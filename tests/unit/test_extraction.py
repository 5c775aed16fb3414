"""Extraction quality on the two sample articles, and `pipeline evaluate` against the committed gold."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_pipeline, settings_for

from pipeline.cli import cli

GOLD = Path(__file__).resolve().parents[1] / "gold" / "samples.jsonl"
RAW = Path(__file__).resolve().parents[2] / "raw"


def entity(release: sqlite3.Connection, name: str) -> sqlite3.Row:
    (row,) = release.execute("select * from entities where name = ?", (name,)).fetchall()
    return row


def test_every_ruto_in_titles_and_bodies_is_william_ruto(release: sqlite3.Connection) -> None:
    ruto = entity(release, "William Ruto")["id"]
    occurrences = attached = 0
    for article in release.execute("select id, title, body from articles"):
        for field in ("title", "body"):
            for match in re.finditer(r"\bRuto\b", article[field] or ""):
                occurrences += 1
                attached += release.execute(
                    "select count(*) from mentions where article_id = ? and field = ? and start <= ? "
                    "and end >= ? and entity_id = ?",
                    (article["id"], field, match.start(), match.end(), ruto),
                ).fetchone()[0]
    assert occurrences == 18
    assert attached == occurrences


def test_mi6_is_an_organisation_alias_of_the_foreign_intelligence_service(
    release: sqlite3.Connection,
) -> None:
    rows = release.execute(
        "select e.id, e.type from entities e join entity_aliases a on a.entity_id = e.id "
        "where a.alias = 'MI6'"
    ).fetchall()
    assert [row["type"] for row in rows] == ["ORG"]
    aliases = {
        row[0]
        for row in release.execute("select alias from entity_aliases where entity_id = ?", (rows[0]["id"],))
    }
    assert "Foreign Intelligence Service" in aliases
    assert (
        release.execute("select count(*) from mentions where text = 'MI6' and label != 'ORG'").fetchone()[0]
        == 0
    )


def test_gachagua_is_never_a_place(release: sqlite3.Connection) -> None:
    labels = {row[0] for row in release.execute("select label from mentions where text like '%Gachagua%'")}
    assert labels == {"PERSON"}


def test_beta_is_an_alias_of_the_agenda(release: sqlite3.Connection) -> None:
    agenda = entity(release, "Bottom-Up Economic Transformation Agenda")
    aliases = {
        row[0]
        for row in release.execute("select alias from entity_aliases where entity_id = ?", (agenda["id"],))
    }
    assert "BETA" in aliases


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("William Ruto", "President"),
        ("Rigathi Gachagua", "former Deputy President"),
        ("Richard Moore", "Chief of the United Kingdom’s Foreign Intelligence Service"),
        ("Neil Wigan", "British High Commissioner to Kenya"),
    ],
)
def test_people_carry_their_roles(release: sqlite3.Connection, name: str, role: str) -> None:
    roles = {
        row[0]
        for row in release.execute(
            "select role from entity_roles where entity_id = ?", (entity(release, name)["id"],)
        )
    }
    assert role in roles


def test_nairobi_has_coordinates(release: sqlite3.Connection) -> None:
    nairobi = entity(release, "Nairobi")
    assert nairobi["country_code"] == "KE"
    assert nairobi["latitude"] == pytest.approx(-1.28, abs=0.05)
    assert nairobi["longitude"] == pytest.approx(36.82, abs=0.05)
    assert nairobi["geonames_id"] == 184745


def test_quotes_have_william_ruto_as_speaker_and_exact_offsets(release: sqlite3.Connection) -> None:
    ruto = entity(release, "William Ruto")["id"]
    quotes = release.execute("select * from quotes").fetchall()
    assert sum(quote["speaker_entity_id"] == ruto for quote in quotes) >= 2
    articles = {row["id"]: row for row in release.execute("select * from articles")}
    for quote in quotes:
        assert articles[quote["article_id"]][quote["field"]][quote["start"] : quote["end"]] == quote["text"]


def test_every_mention_says_where_it_came_from(release: sqlite3.Connection) -> None:
    origins = {row[0] for row in release.execute("select distinct origin from mentions")}
    assert {"model", "surname in article", "acronym definition"} <= origins
    assert (
        release.execute(
            "select count(*) from mentions where resolution = '' or confidence <= 0 or confidence > 1"
        ).fetchone()[0]
        == 0
    )


def test_a_surname_in_another_article_joins_the_full_name_only_with_evidence(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(
        "Spy chief visits Nairobi\n\nNAIROBI, Kenya, Jan 5 – Richard Moore, the head of MI6, visited "
        "Nairobi on Monday. Richard Moore met officials of the National Intelligence Service.\n",
        encoding="utf-8",
    )
    (raw / "b.txt").write_text(
        "Spy chief returns home\n\nLONDON, UK, Jan 9 – Officials of the National Intelligence Service "
        "said Moore flew back to London on Friday. Moore told reporters the talks had gone well.\n",
        encoding="utf-8",
    )
    (raw / "c.txt").write_text(
        "Coach names squad\n\nNAIROBI, Kenya, Jan 11 – Gor Mahia coach Moore said on Sunday that the "
        "team would travel to Mombasa. Moore added that two players were injured.\n",
        encoding="utf-8",
    )
    settings = settings_for(tmp_path, raw_dir=raw)
    run_pipeline(settings)
    with sqlite3.connect(settings.release_path) as release:
        rows = release.execute(
            "select a.source_path, e.name, m.resolution from mentions m "
            "join entities e on e.id = m.entity_id join articles a on a.id = m.article_id "
            "where m.name = 'Moore' and m.label = 'PERSON'"
        ).fetchall()
    by_article = {
        path: {(name, resolution) for _, name, resolution in rows if _ == path} for path, *_ in rows
    }
    joined = (
        "; across articles: surname of Richard Moore, co-mentioned with National Intelligence Service "
        "in an article naming Richard Moore"
    )
    assert by_article["b.txt"] and all(
        name == "Richard Moore" and resolution.endswith(joined) for name, resolution in by_article["b.txt"]
    ), by_article
    apart = "; across articles: no evidence it is the Richard Moore of another article: kept apart"
    assert by_article["c.txt"] and all(
        name == "Moore" and resolution.endswith(apart) for name, resolution in by_article["c.txt"]
    ), by_article


def evaluate(*options: str) -> dict:
    result = CliRunner().invoke(
        cli, ["evaluate", str(GOLD), "--raw", str(RAW), "--json", *options], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_pipeline_beats_the_bare_model_on_the_gold() -> None:
    ours, bare = evaluate(), evaluate("--bare")
    assert ours["files"] == bare["files"] == 2
    assert ours["micro"]["f1"] > bare["micro"]["f1"]
    assert ours["per_type"]["PERSON"]["recall"] > bare["per_type"]["PERSON"]["recall"]


def test_a_label_map_merges_types_before_scoring() -> None:
    mapped = evaluate("--map", "GPE=LOC,FAC=LOC")
    assert "GPE" not in mapped["per_type"] and "FAC" not in mapped["per_type"]
    assert mapped["per_type"]["LOC"]["support"] >= 26


def test_evaluate_prints_a_table_and_rejects_a_bad_map() -> None:
    table = CliRunner().invoke(cli, ["evaluate", str(GOLD), "--raw", str(RAW)])
    assert table.exit_code == 0
    assert re.search(r"^micro\s+\d\.\d{3}", table.output, re.MULTILINE)
    bad = CliRunner().invoke(cli, ["evaluate", str(GOLD), "--raw", str(RAW), "--map", "GPE"])
    assert bad.exit_code != 0


def test_sentence_bounds_give_the_sentence_around_an_offset_without_spaces() -> None:
    from pipeline.extract.article import sentence_bounds

    text = "First one here.\n\nSecond sentence, Ruto said. Third."
    starts = [0, 15, 45]
    assert text[slice(*sentence_bounds(starts, text, text.index("Ruto")))] == "Second sentence, Ruto said."
    assert text[slice(*sentence_bounds(starts, text, 0))] == "First one here."
    assert text[slice(*sentence_bounds(starts, text, len(text) - 2))] == "Third."
    assert sentence_bounds([], text, 5) == (0, len(text))
