"""Publication: Datasette over the release, read-only, with the generated metadata."""

from __future__ import annotations

import json
from typing import Any

from pipeline.errors import ConfigurationError
from pipeline.outputs.files import METADATA_FILE
from pipeline.schema.describe import build_metadata
from pipeline.settings import Settings

SQL_TIME_LIMIT_MS = 2000


def datasette_settings() -> dict[str, Any]:
    """Limits that keep a public instance responsive whatever SQL a visitor writes."""
    return {
        "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
        "max_returned_rows": 1000,
        "allow_download": True,
        # suggesting facets runs a query per column on every table page: too slow on a big release
        "suggest_facets": False,
    }


def release_metadata(settings: Settings) -> dict[str, Any]:
    """The metadata shipped with the release, or freshly generated when it is missing."""
    path = settings.dist_dir / METADATA_FILE
    if path.is_file():
        metadata: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return metadata
    return build_metadata()


def make_datasette(settings: Settings) -> Any:
    """A Datasette app serving the release immutably (its test client is used by the tests)."""
    from datasette.app import Datasette

    if not settings.release_path.is_file():
        raise ConfigurationError(f"no release at {settings.release_path}; run `pipeline run` first")
    return Datasette(
        immutables=[str(settings.release_path)],
        metadata=release_metadata(settings),
        settings=datasette_settings(),
    )


def serve_release(settings: Settings, port: int) -> None:
    """Run Datasette on 127.0.0.1 until interrupted."""
    import uvicorn

    datasette = make_datasette(settings)
    uvicorn.run(datasette.app(), host="127.0.0.1", port=port, log_level="warning")
