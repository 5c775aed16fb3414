"""The whole pipeline over the two sample articles: what a new user must find in the release."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from conftest import SAMPLES, SampleRun, run_pipeline, settings_for

SECOND_TITLE = (
    "Details Of President William Ruto’s Closed Door Meetings With Foreign Spy And Intelligence "
    "Agency Leaders Emerge"
)


def entity_rows(release: sqlite3.Connection, name: str) -> list[sqlite3.Row]:
    return release.execute("select * from entities where name = ?", (name,)).fetchall()


def test_release_files_exist(sample_run: SampleRun) -> None:
    dist = sample_run.settings.dist_dir
    assert (dist / "news.db").stat().st_size > 0
    sums = (dist / "SHA256SUMS").read_text().splitlines()
    assert any(line.endswith("  news.db") for line in sums)


def raw_texts(sample_run: SampleRun) -> dict[str, str]:
    """Each article's decoded raw document, from the working database (raw offsets index into it)."""
    work = sqlite3.connect(sample_run.settings.database_url.removeprefix("sqlite:///"))
    try:
        query = "select a.id, r.text from articles a join raw_documents r on r.sha256 = a.source_sha256"
        return dict(work.execute(query).fetchall())
    finally:
        work.close()


def test_two_articles_with_title_section_and_dateline(release: sqlite3.Connection) -> None:
    articles = release.execute("select * from articles order by source_path").fetchall()
    assert len(articles) == 2
    first, second = articles
    assert second["title"] == SECOND_TITLE
    assert second["section"] == "Governance"
    assert first["dateline_place"].casefold() == "nairobi"
    assert first["dateline"] == "NAIROBI, Kenya, Jan 22"
    assert first["title"] is None, "the first sample has no headline; none may be invented"
    assert first["published_date"] is None, "no year is printed, so none may be guessed"


def test_boilerplate_removed_and_recorded(release: sqlite3.Connection) -> None:
    for article in release.execute("select title, body from articles"):
        for column in (article["title"] or "", article["body"]):
            assert "Leave a Reply" not in column
            assert "Home »" not in column
        assert not article["body"].rstrip().endswith("Featured")
        assert "\n\n\n" not in article["body"]
    reasons = {row[0] for row in release.execute("select reason from removed_segments")}
    assert {"breadcrumb", "comment form", "trailing label"} <= reasons


def test_subheading_kept_as_paragraph(release: sqlite3.Connection) -> None:
    body = release.execute("select body from articles where dateline is not null").fetchone()[0]
    assert "\n\nStrategic diplomacy\n\n" in body


def test_william_ruto_is_one_person_in_both_articles(release: sqlite3.Connection) -> None:
    rows = entity_rows(release, "William Ruto")
    assert [row["type"] for row in rows] == ["PERSON"]
    assert rows[0]["article_count"] == 2
    assert entity_rows(release, "Ruto") == []
    assert entity_rows(release, "President William Ruto") == []
    roles = {
        row[0] for row in release.execute("select role from mentions where entity_id = ?", (rows[0]["id"],))
    }
    assert "President" in roles


def test_gachagua_surname_mentions_attached(release: sqlite3.Connection) -> None:
    rows = entity_rows(release, "Rigathi Gachagua")
    assert [row["type"] for row in rows] == ["PERSON"]
    surname_mentions = release.execute(
        "select count(*) from mentions where entity_id = ? and text = 'Gachagua'", (rows[0]["id"],)
    ).fetchone()[0]
    assert surname_mentions >= 5
    assert entity_rows(release, "Gachagua") == []


def test_named_entities_present(release: sqlite3.Connection) -> None:
    for name in ("Richard Moore", "Neil Wigan"):
        assert [row["type"] for row in entity_rows(release, name)] == ["PERSON"]
    kenya, mt_kenya = entity_rows(release, "Kenya"), entity_rows(release, "Mt. Kenya")
    assert len(kenya) == 1 and len(mt_kenya) == 1
    assert kenya[0]["id"] != mt_kenya[0]["id"]
    for name in ("Nairobi", "African Union", "Al-Shabaab"):
        assert entity_rows(release, name), f"{name} should be an entity"


def test_every_mention_offset_is_exact(sample_run: SampleRun, release: sqlite3.Connection) -> None:
    raw_text = raw_texts(sample_run)
    articles = {row["id"]: row for row in release.execute("select * from articles")}
    mentions = release.execute("select * from mentions").fetchall()
    assert len(mentions) > 50
    for mention in mentions:
        column = articles[mention["article_id"]][mention["field"]]
        assert column[mention["start"] : mention["end"]] == mention["text"], dict(mention)
        raw = raw_text[mention["article_id"]]
        assert raw[mention["raw_start"] : mention["raw_end"]] == mention["text"], dict(mention)


def test_every_dropped_span_is_where_it_says_and_named_by_a_rule(
    sample_run: SampleRun, release: sqlite3.Connection
) -> None:
    """What a rule dropped of the model's names is published: at its exact offsets, no mention over
    it, and the rule that dropped it described in extraction_rules."""
    from pipeline.extract.rules import RULES

    raw_text = raw_texts(sample_run)
    rules = [
        tuple(row)
        for row in release.execute("select name, description from extraction_rules order by position")
    ]
    assert rules == [(rule.name, rule.summary) for rule in RULES]
    articles = {row["id"]: row for row in release.execute("select * from articles")}
    dropped = release.execute("select * from dropped_spans").fetchall()
    assert dropped, "the sample articles have a span the rules drop (a common word the model read as a name)"
    for span in dropped:
        column = articles[span["article_id"]][span["field"]]
        assert column[span["start"] : span["end"]] == span["text"], dict(span)
        if span["raw_start"] is not None:
            raw = raw_text[span["article_id"]]
            assert raw[span["raw_start"] : span["raw_end"]] == span["text"], dict(span)
        assert span["rule"] in dict(rules)
        covering = release.execute(
            'select count(*) from mentions where article_id = ? and field = ? and start < ? and "end" > ?',
            (span["article_id"], span["field"], span["end"], span["start"]),
        ).fetchone()[0]
        assert covering == 0, dict(span)


def test_no_numeric_entity_types(release: sqlite3.Connection) -> None:
    types = {row[0] for row in release.execute("select distinct type from entities")}
    assert types.isdisjoint({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"})
    assert "PERSON" in types and "GPE" in types


def test_entity_counts_match_mentions(release: sqlite3.Connection) -> None:
    mismatches = release.execute(
        """
        select e.id from entities e
        left join (select entity_id, count(*) n, count(distinct article_id) a
                   from mentions group by entity_id) m on m.entity_id = e.id
        where e.mention_count != coalesce(m.n, 0) or e.article_count != coalesce(m.a, 0)
        """
    ).fetchall()
    assert mismatches == []
    orphans = release.execute("select count(*) from mentions where entity_id is null").fetchone()[0]
    assert orphans == 0


def test_full_text_index_finds_articles(release: sqlite3.Connection) -> None:
    hits = release.execute(
        "select a.id from articles_fts join articles a on a.rowid = articles_fts.rowid "
        "where articles_fts match 'Gachagua'"
    ).fetchall()
    assert len(hits) == 1


def test_foreign_keys_indexed_and_clean(release: sqlite3.Connection) -> None:
    assert release.execute("pragma foreign_key_check").fetchall() == []
    for (table,) in release.execute("select name from sqlite_master where type = 'table'").fetchall():
        indexed = {
            release.execute(f"pragma index_info('{index[1]}')").fetchone()[2]
            for index in release.execute(f"pragma index_list('{table}')")
        }
        for foreign_key in release.execute(f"pragma foreign_key_list('{table}')"):
            assert foreign_key["from"] in indexed, f"{table}.{foreign_key['from']} has no index"


def test_release_has_only_published_tables(release: sqlite3.Connection) -> None:
    tables = {row[0] for row in release.execute("select name from sqlite_master where type = 'table'")}
    assert {"articles", "entities", "entity_aliases", "mentions", "rejections", "dataset_info"} <= tables
    assert not any(name.startswith(("raw_", "work_", "alembic")) for name in tables)


def published_rows(path: Path) -> dict[str, set[tuple]]:
    connection = sqlite3.connect(path)
    tables = ("articles", "entities", "entity_aliases", "mentions", "removed_segments")
    rows = {table: set(connection.execute(f"select * from {table}").fetchall()) for table in tables}
    connection.close()
    return rows


def test_rerun_changes_nothing_and_edit_changes_one_article(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "raw")
    settings = settings_for(tmp_path)
    run_pipeline(settings)
    before = published_rows(settings.release_path)
    output = run_pipeline(settings)
    assert "enrich: 0 of 2 articles through the model" in output
    assert published_rows(settings.release_path) == before

    edited = tmp_path / "raw" / "000_c56b1a229dccd951.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Tuesday", "Wednesday"), encoding="utf-8")
    run_pipeline(settings)
    after = published_rows(settings.release_path)
    untouched_id = next(row[0] for row in before["articles"] if row[1].startswith("001_"))
    for table in ("articles", "mentions", "removed_segments"):
        article_column = 0 if table == "articles" else 1
        old = {row for row in before[table] if row[article_column] == untouched_id}
        new = {row for row in after[table] if row[article_column] == untouched_id}
        assert old and old == new, f"{table} rows of the unedited article changed"
    # the edited article keeps its id (it comes from the file's path), so links to it still work
    assert {row[0] for row in after["articles"]} == {row[0] for row in before["articles"]}
    edited_id = next(row[0] for row in before["articles"] if row[1].startswith("000_"))
    body_of = {row[0]: row for row in after["articles"]}
    assert body_of[edited_id] not in before["articles"]


def test_renamed_file_is_an_article_under_its_new_path(tmp_path: Path) -> None:
    """An article's id comes from its path: a rename gives the new path's id, same entities."""
    shutil.copytree(SAMPLES, tmp_path / "raw")
    settings = settings_for(tmp_path)
    run_pipeline(settings)
    before = published_rows(settings.release_path)
    (tmp_path / "raw" / "000_c56b1a229dccd951.txt").rename(tmp_path / "raw" / "zz renamed.txt")
    output = run_pipeline(settings)
    assert "(1 cleaned, 1 removed)" in output and "enrich: 1 of 2 articles through the model" in output
    after = published_rows(settings.release_path)
    paths = {row[0]: row[1] for row in after["articles"]}
    assert sorted(paths.values()) == ["001_cbcf5bba73f6f14e.txt", "zz renamed.txt"]
    assert len(set(paths) & {row[0] for row in before["articles"]}) == 1
    for table in ("entities", "entity_aliases"):
        assert after[table] == before[table], f"{table} changed on a rename"
    assert {row[3:] for row in after["mentions"]} == {row[3:] for row in before["mentions"]}
