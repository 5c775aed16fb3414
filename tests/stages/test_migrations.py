"""The Alembic migrations are the schema: they must match the models and go down and up again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from pipeline.schema.models import Base
from pipeline.store.engine import downgrade, upgrade


def differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    assert differences(migrated_engine) == []


def test_every_model_table_is_created_by_migrations(migrated_engine: Engine) -> None:
    tables = set(inspect(migrated_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_base_and_upgrade_again(migrated_engine: Engine) -> None:
    downgrade(migrated_engine, "base")
    assert set(inspect(migrated_engine).get_table_names()) <= {"alembic_version"}
    upgrade(migrated_engine)
    assert differences(migrated_engine) == []


def test_models_create_all_matches_migrations(migrated_engine: Engine, tmp_path) -> None:
    """Tests of the models themselves may use create_all: it must build what the migrations build."""
    from pipeline.store.engine import make_engine

    scratch = make_engine(f"sqlite:///{tmp_path / 'models.db'}")
    Base.metadata.create_all(scratch)
    migrated, created = inspect(migrated_engine), inspect(scratch)
    for table in Base.metadata.tables:
        assert {c["name"] for c in migrated.get_columns(table)} == {
            c["name"] for c in created.get_columns(table)
        }
    scratch.dispose()


def test_a_migration_that_fails_midway_leaves_no_half_schema(settings, monkeypatch) -> None:
    """pysqlite would commit each CREATE TABLE on its own; ours is one transaction, rolled back."""
    import pytest
    from alembic import command

    from pipeline.store.engine import make_engine

    real_upgrade = command.upgrade

    def upgrade_then_die(config, revision):
        real_upgrade(config, revision)  # every table is created...
        raise RuntimeError("killed")  # ...then the process "dies" before the commit

    monkeypatch.setattr(command, "upgrade", upgrade_then_die)
    engine = make_engine(settings.database_url)
    with pytest.raises(RuntimeError):
        upgrade(engine)
    assert inspect(engine).get_table_names() == []
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    upgrade(engine)
    assert differences(engine) == []
    engine.dispose()


def check_constraints(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    """Every table's CHECK constraints as (name, SQL), as the database reports them."""
    found = inspect(engine)
    return {
        table: {(c["name"], " ".join(c["sqltext"].split())) for c in found.get_check_constraints(table)}
        for table in Base.metadata.tables
    }


def test_migrations_create_the_models_check_constraints(migrated_engine: Engine) -> None:
    """Alembic's comparison does not look at CHECK constraints: compare them here."""
    from sqlalchemy import CheckConstraint

    modelled = {
        name: {
            (str(c.name), " ".join(str(c.sqltext).split()))
            for c in table.constraints
            if isinstance(c, CheckConstraint)
        }
        for name, table in Base.metadata.tables.items()
    }
    assert check_constraints(migrated_engine) == modelled
    assert modelled["mentions"], "mentions have span and vocabulary checks"


def test_the_database_refuses_a_span_that_ends_before_it_starts(migrated_engine: Engine) -> None:
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with migrated_engine.begin() as connection:
        connection.execute(
            text(
                "insert into articles (id, source_path, source_sha256, source_kind, body, word_count) "
                "values ('a', 'a.txt', :sha, 'plaintext', 'Mary Wanjiru spoke.', 3)"
            ),
            {"sha": "0" * 64},
        )
    mention = (
        'insert into mentions (id, article_id, field, start, "end", text, raw_start, raw_end, sentence, '
        "label, name, resolution, origin, confidence) values "
        "(:id, 'a', :field, :start, :end, 'Mary Wanjiru', :raw_start, :raw_end, 0, :label, 'Mary Wanjiru', "
        "'exact', 'model', 0.8)"
    )
    good = {
        "id": "m1",
        "field": "body",
        "start": 0,
        "end": 12,
        "raw_start": 0,
        "raw_end": 12,
        "label": "PERSON",
    }
    with migrated_engine.begin() as connection:
        connection.execute(text(mention), good)
    for bad in (
        {"start": 12, "end": 0},
        {"raw_start": 12, "raw_end": None},
        {"raw_start": None, "raw_end": 12},
        {"raw_start": 12, "raw_end": 3},
        {"field": "footer"},
        {"label": "CARDINAL"},
    ):
        with pytest.raises(IntegrityError), migrated_engine.begin() as connection:
            connection.execute(text(mention), {**good, "id": "m2", **bad})


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    """Runs read the chain without loading Alembic; Alembic's own reading must agree with it."""
    from alembic.script import ScriptDirectory

    from pipeline.store.engine import alembic_config, migration_chain, schema_head

    scripts = ScriptDirectory.from_config(alembic_config())
    assert schema_head() == scripts.get_current_head()
    assert migration_chain() == {script.revision: script.down_revision for script in scripts.walk_revisions()}


def test_a_database_at_the_head_is_not_migrated_again(migrated_engine: Engine, monkeypatch) -> None:
    from alembic import command

    def refuse(*args: object) -> None:
        raise AssertionError("alembic ran on a database already at the head")

    monkeypatch.setattr(command, "upgrade", refuse)
    upgrade(migrated_engine)
    downgrade(migrated_engine, "0008")
    with pytest.raises(AssertionError):
        upgrade(migrated_engine)
