"""What every stage shares: the rows it writes for rejected input."""

from __future__ import annotations

from pipeline.ids import stable_id


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
