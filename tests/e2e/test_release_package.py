"""The citable release: data package, Parquet files, dataset card, release notes, data dictionary."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import SampleRun
from sqlalchemy import Engine

from pipeline.outputs.files import CARD_FILE, DATAPACKAGE_FILE, NOTES_FILE, release_files
from pipeline.outputs.parquet import arrow_schema
from pipeline.outputs.publish import read_checksums, sha256_file
from pipeline.schema.describe import column_facts
from pipeline.schema.models import Base, published_tables
from pipeline.schema.views import VIEWS
from pipeline.settings import Settings
from pipeline.stages import release as release_module
from pipeline.stages.release import build_release

MODEL = "test-model"
NULL = "\\N"


@pytest.fixture(scope="module")
def dist(sample_run: SampleRun) -> Path:
    return sample_run.settings.dist_dir


@pytest.fixture(scope="module")
def package(dist: Path) -> dict[str, Any]:
    return json.loads((dist / DATAPACKAGE_FILE).read_text(encoding="utf-8"))


def test_sha256sums_covers_every_file(dist: Path) -> None:
    sums = read_checksums(dist / "SHA256SUMS")
    files = sorted(path.name for path in dist.iterdir() if path.name != "SHA256SUMS")
    assert sorted(sums) == files == release_files(published_tables())
    assert all(sha256_file(dist / name) == sha for name, sha in sums.items())


def test_datapackage_describes_every_table_from_the_models(package: dict[str, Any], dist: Path) -> None:
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    with closing(sqlite3.connect(dist / "news.db")) as connection:
        facts = dict(connection.execute("select key, value from dataset_info"))
    assert package["version"] == facts["release_version"]
    assert package["content_sha256"] == facts["content_sha256"]
    assert package["licenses"] and package["sources"]
    tables = {r["name"]: r for r in package["resources"] if r.get("type") == "table"}
    assert list(tables) == published_tables()
    for name, resource in tables.items():
        table = Base.metadata.tables[name]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.name for c in table.columns]
        assert [f["description"] for f in fields] == [c.comment for c in table.columns]
        assert resource["description"] == table.comment
        assert resource["schema"]["primaryKey"] == [c.name for c in table.primary_key.columns]
        keys = {fk["fields"][0] for fk in resource["schema"].get("foreignKeys", [])}
        assert keys == {c.name for c in table.columns if c.foreign_keys}
    for resource in package["resources"]:
        path = dist / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == "sha256:" + sha256_file(path)


def _as_csv(parquet: Path, target: Path) -> None:
    """A CSV copy in which a null (written as \\N) and an empty string stay different."""
    table = pq.read_table(parquet)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.column_names)
        for row in table.to_pylist():
            writer.writerow(
                NULL if v is None else ("true" if v else "false") if isinstance(v, bool) else v
                for v in row.values()
            )


def test_frictionless_validate_passes(package: dict[str, Any], dist: Path, tmp_path: Path) -> None:
    """`frictionless validate` over the package: the descriptor against the v2 profile, news.db's size
    and hash, and every table's rows against its schema (types, required, primary and foreign keys).

    frictionless reads Parquet through pandas, which turns a null integer into NaN (a type error)
    and counts no bytes, so the rows are checked through an exact CSV copy of each Parquet file;
    the Parquet files' own sizes and hashes are checked above.
    """
    shutil.copy2(dist / "news.db", tmp_path / "news.db")
    copy = json.loads(json.dumps(package))
    for resource in copy["resources"]:
        if resource.get("type") != "table":
            continue
        csv_name = resource["path"].replace(".parquet", ".csv")
        _as_csv(dist / resource["path"], tmp_path / csv_name)
        resource.update(path=csv_name, format="csv", mediatype="text/csv")
        del resource["bytes"], resource["hash"]
        resource["schema"]["missingValues"] = [NULL]
    (tmp_path / DATAPACKAGE_FILE).write_text(json.dumps(copy), encoding="utf-8")
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", "--json", DATAPACKAGE_FILE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    errors = [e["message"] for task in report["tasks"] for e in task["errors"]] + [
        e["message"] for e in report.get("errors", [])
    ]
    assert report["valid"], errors[:10]
    assert result.returncode == 0
    assert {task["name"] for task in report["tasks"]} == {r["name"] for r in package["resources"]}


def test_parquet_files_keep_types_and_rows(dist: Path) -> None:
    with closing(sqlite3.connect(dist / "news.db")) as connection:
        for table in published_tables():
            parquet = pq.read_table(dist / f"{table}.parquet")
            assert parquet.schema.equals(arrow_schema(table), check_metadata=True), table
            columns = [c.name for c in column_facts(table)]
            order = ", ".join(f'"{c.name}"' for c in column_facts(table) if c.primary_key)
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = connection.execute(f'select {quoted} from "{table}" order by {order}').fetchall()
            assert parquet.num_rows == len(rows), table
            booleans = {c.name for c in column_facts(table) if c.data_type == "boolean"}
            expected = [
                tuple(
                    bool(v) if c in booleans and v is not None else v
                    for c, v in zip(columns, row, strict=True)
                )
                for row in rows
            ]
            assert [tuple(r.values()) for r in parquet.to_pylist()] == expected, table
    mentions = pq.read_table(dist / "mentions.parquet").schema
    assert str(mentions.field("start").type) == "int64" and not mentions.field("start").nullable
    assert mentions.field("start").metadata[b"description"].startswith(b"Start offset")


def test_data_dictionary_describes_every_column(release: sqlite3.Connection) -> None:
    rows = {(r["table_name"], r["column_name"]): r for r in release.execute("select * from data_dictionary")}
    for table in published_tables():
        assert rows[(table, "")]["description"] == Base.metadata.tables[table].comment
        for position, column in enumerate(Base.metadata.tables[table].columns, start=1):
            row = rows[(table, column.name)]
            assert (row["description"], row["position"]) == (column.comment, position)
    assert rows[("mentions", "entity_id")]["references"] == "entities.id"
    assert rows[("mentions", "start")]["data_type"] == "integer"
    for view in VIEWS:
        assert rows[(view.name, "")]["description"] == view.description
        assert {c for t, c in rows if t == view.name} - {""} == {name for name, _ in view.columns}


def test_dataset_card_has_the_figures(dist: Path, release: sqlite3.Connection) -> None:
    card = (dist / CARD_FILE).read_text(encoding="utf-8")
    facts = dict(release.execute("select key, value from dataset_info").fetchall())
    assert facts["release_version"] in card and facts["content_sha256"] in card
    for table in published_tables():
        (count,) = release.execute(f'select count(*) from "{table}"').fetchone()
        assert f"| `{table}` | {count:,} |" in card
    untitled = release.execute("select count(*) from articles where title is null").fetchone()[0]
    assert f"Articles without a headline: {untitled:,} of" in card
    for heading in (
        "## Coverage",
        "## How it was made",
        "## Known limitations",
        "## Licence",
        "## Personal data",
    ):
        assert heading in card
    assert facts["ner_model"] in card


def test_sentences_contain_their_mentions_and_quotes(release: sqlite3.Connection) -> None:
    checked = 0
    for table in ("mention_sentences", "quote_sentences"):
        for row in release.execute(f"select * from {table}"):
            assert row["sentence_start"] <= row["start"] < row["end"] <= row["sentence_end"]
            local = row["start"] - row["sentence_start"]
            assert row["sentence"][local : local + len(row["text"])] == row["text"]
            assert row["sentence"] == row["sentence"].strip()
            checked += 1
    assert (
        checked
        == release.execute(
            "select (select count(*) from mentions) + (select count(*) from quotes)"
        ).fetchone()[0]
    )


# --- release notes and determinism, over copies of the working database ---------------------------


def _settings(sample_run: SampleRun, dist: Path) -> Settings:
    return sample_run.settings.model_copy(update={"dist_dir": dist})


def test_the_same_work_gives_byte_identical_files(
    copied_work: Engine, sample_run: SampleRun, tmp_path: Path
) -> None:
    first, second = _settings(sample_run, tmp_path / "a"), _settings(sample_run, tmp_path / "b")
    build_release(copied_work, first, MODEL)
    build_release(copied_work, second, MODEL, force=True)
    names = [*release_files(published_tables()), "SHA256SUMS"]
    for name in names:
        assert (first.dist_dir / name).read_bytes() == (second.dist_dir / name).read_bytes(), name


def test_release_notes_list_what_changed(
    copied_work: Engine, sample_run: SampleRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the working database is edited by hand below, as no stage would: release's staleness check
    # must let it be
    monkeypatch.setattr(release_module, "stale_stages", lambda _connection, _settings: [])
    target = _settings(sample_run, tmp_path / "dist")
    build_release(copied_work, target, MODEL)
    assert "first release" in (target.dist_dir / NOTES_FILE).read_text()
    with copied_work.begin() as connection:
        removed = connection.exec_driver_sql("select id from articles order by id limit 1").scalar_one()
        # two entities named in the article that stays: one is merged into the other
        people = connection.exec_driver_sql(
            "select e.id from entities e where exists (select 1 from mentions m"
            " where m.entity_id = e.id and m.article_id != ?) order by e.mention_count desc, e.id limit 2",
            (removed,),
        ).all()
        (keep,), (gone,) = people
        connection.exec_driver_sql("update mentions set entity_id = ? where entity_id = ?", (keep, gone))
        connection.exec_driver_sql(
            "update quotes set speaker_entity_id = ? where speaker_entity_id = ?", (keep, gone)
        )
        for table in ("entity_aliases", "entity_roles"):
            connection.exec_driver_sql(f"delete from {table} where entity_id = ?", (gone,))
        connection.exec_driver_sql("delete from entities where id = ?", (gone,))
        for table in ("mentions", "quotes", "removed_segments", "work_article_inputs"):
            connection.exec_driver_sql(f"delete from {table} where article_id = ?", (removed,))
        connection.exec_driver_sql(
            "update articles set near_duplicate_of = null where near_duplicate_of = ?", (removed,)
        )
        connection.exec_driver_sql("delete from articles where id = ?", (removed,))
        # the counts follow the edited mentions, as resolve keeps them (verify checks them)
        connection.exec_driver_sql(
            "update entities set"
            " mention_count = (select count(*) from mentions m where m.entity_id = entities.id),"
            " article_count = (select count(distinct m.article_id) from mentions m"
            " where m.entity_id = entities.id)"
        )
        connection.exec_driver_sql(
            "delete from entity_aliases where entity_id in (select id from entities where mention_count = 0)"
        )
        connection.exec_driver_sql(
            "delete from entity_roles where entity_id in (select id from entities where mention_count = 0)"
        )
        connection.exec_driver_sql(
            "update quotes set speaker_entity_id = null"
            " where speaker_entity_id in (select id from entities where mention_count = 0)"
        )
        connection.exec_driver_sql("delete from entities where mention_count = 0")
    build_release(copied_work, target, MODEL, force=True)
    notes = (target.dist_dir / NOTES_FILE).read_text()
    assert "Compared with the previous release, 0.1.0+" in notes
    assert "- removed: 1\n" in notes and f"`{removed}`" in notes
    assert "- gone: " in notes and f"`{gone}`" in notes
    assert "- merged (mentions of several earlier entities now point to one): 1" in notes


def test_the_release_describes_its_own_corpus(
    copied_work: Engine, sample_run: SampleRun, tmp_path: Path
) -> None:
    """A user's corpus is not our samples: the title and source they give are said everywhere."""
    title, source = "Coast county news, 2025", "Articles from three Mombasa outlets, scraped in 2025"
    settings = _settings(sample_run, tmp_path / "dist").model_copy(
        update={"dataset_title": title, "dataset_source": source}
    )
    build_release(copied_work, settings, MODEL)
    dist = settings.dist_dir
    with closing(sqlite3.connect(dist / "news.db")) as connection:
        facts = dict(connection.execute("select key, value from dataset_info"))
    assert (facts["title"], facts["source"]) == (title, source)
    package = json.loads((dist / DATAPACKAGE_FILE).read_text(encoding="utf-8"))
    assert package["title"] == title and package["sources"] == [{"title": source}]
    metadata = json.loads((dist / "datasette-metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == metadata["databases"]["news"]["title"] == title
    assert metadata["source"] == source
    card = (dist / CARD_FILE).read_text(encoding="utf-8")
    assert card.startswith(f"# {title}\n") and f"Source: {source}." in card
    # a release with another description is not "unchanged": it is rebuilt
    renamed = settings.model_copy(update={"dataset_source": "Articles from four Mombasa outlets"})
    assert not build_release(copied_work, renamed, MODEL).unchanged
    assert build_release(copied_work, renamed, MODEL).unchanged
