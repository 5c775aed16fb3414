"""Alembic environment: targets the ORM metadata and reuses the connection the pipeline hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pipeline.schema.models import Base

target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    from pipeline.settings import default_database_url
    from pipeline.store.engine import make_engine

    url = context.config.get_main_option("sqlalchemy.url") or default_database_url()
    engine = make_engine(url)
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run `pipeline upgrade`")
run()
