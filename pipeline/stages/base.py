"""What every stage shares: the rows it writes for rejected input."""

from __future__ import annotations

from pipeline.ids import stable_id


def rejection_row(path: str, sha256: str | None, reason: str, stage: str) -> dict[str, object]:
    """A `rejections` row: the file, its content hash, the stage that set it aside and why."""
    return {
        "id": stable_id(stage, path, sha256 or ""),
        "source_path": path,
        "sha256": sha256,
        "stage": stage,
        "reason": reason,
    }
