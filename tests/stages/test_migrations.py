"""The Alembic migrations are the schema: they must match the models and go down and up again."""

from __future__ import annotations

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
