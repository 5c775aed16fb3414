"""What each stage (or corpus-wide step) last finished with: one fingerprint a row of `work_stage_state`."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from pipeline.ids import utc_now
from pipeline.schema.models import WorkStageState


def finished_with(connection: Connection, stage: str) -> str | None:
    """The fingerprint of the inputs `stage` last finished with, if it ever did."""
    return connection.execute(
        select(WorkStageState.fingerprint).where(WorkStageState.stage == stage)
    ).scalar()


def record_finished_with(connection: Connection, stage: str, fingerprint: str) -> None:
    """Record (in the caller's transaction) that `stage` finished with inputs of `fingerprint`."""
    connection.execute(delete(WorkStageState).where(WorkStageState.stage == stage))
    connection.execute(
        insert(WorkStageState).values(stage=stage, fingerprint=fingerprint, finished_at=utc_now())
    )
