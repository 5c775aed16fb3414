"""The optional `NAME.json` beside an article file: what the scraper knew about the page."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import RejectedInput


class Sidecar(BaseModel):
    """Optional `NAME.json` beside an article: what the scraper knew about the page."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


def parse_sidecar(text: str | None) -> Sidecar:
    """The sidecar's metadata; raises RejectedInput when it is not a JSON object."""
    try:
        data = json.loads(text or "")
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return Sidecar.model_validate({key: str(value) for key, value in data.items() if value is not None})
    except (ValueError, ValidationError) as error:
        raise RejectedInput(
            f"sidecar is not a JSON object with url/outlet/published/author: {error}"
        ) from error
