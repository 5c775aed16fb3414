"""What every stage shares: the rows it writes for rejected input, and what it last finished with."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from pipeline.ids import stable_id, utc_now
from pipeline.schema.models import WorkStageState


def rejection_row(
    path: str, sha256: str | None, reason: str, stage: str, record: str | None = None
) -> dict[str, object]:
    """A `rejections` row: the file (and record), its content hash, the stage and why."""
    return {
        "id": stable_id(stage, path, sha256 or "", *([record] if record else [])),
        "source_path": path,
        "record": record,
        "sha256": sha256,
        "stage": stage,
        "reason": reason,
    }


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
