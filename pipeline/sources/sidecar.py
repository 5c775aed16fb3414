"""The optional `NAME.json` beside an article file: what the scraper knew about the page.

A sidecar is read strictly: each field is text or absent. A sidecar that is not a JSON object, or
has a field of another type (a list, a number, `true`, `Infinity`), is set aside with its reason
and the article is built without it; nothing is ever published as a Python repr. A numeric date
whose day and month could be swapped (`02/03/2024`) is not guessed: it is left out, and said so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import RejectedInput

SIDECAR_SUFFIX = ".json"
KEPT = "the article is kept without it"
FIELDS = ("url", "outlet", "published", "author")
_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*")


class Sidecar(BaseModel):
    """Optional `NAME.json` beside an article: what the scraper knew about the page."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class SidecarReading:
    """A sidecar as read: the metadata kept, and one sentence per thing set aside."""

    sidecar: Sidecar | None
    problems: list[str] = field(default_factory=list)


def sidecar_path(path: str) -> str:
    """The one sidecar name of an article file: its exact stem plus `.json` (`a.b.txt` -> `a.b.json`)."""
    return str(PurePosixPath(path).with_suffix(SIDECAR_SUFFIX))


def article_stem(path: str) -> str:
    """The stem a file's sidecar shares with it (only the last suffix of the last part goes)."""
    return str(PurePosixPath(path).with_suffix(""))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _type_name(value: Any) -> str:
    return {list: "a list", dict: "an object", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def ambiguous_date(text: str) -> str | None:
    """Why a numeric date cannot be read without a convention, or None when it can."""
    match = _NUMERIC_DATE.fullmatch(text)
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first == second or first > 12 or second > 12:
        return None
    return (
        f"published {text.strip()!r} is ambiguous (day {first} of month {second}, or month {first} "
        f"day {second}); write it as YYYY-MM-DD; the date is left out"
    )


def read_sidecar(text: str | None) -> SidecarReading:
    """The sidecar's metadata, strictly typed; problems say what was set aside and why."""
    try:
        data = json.loads(text or "", parse_constant=_reject_constant)
    except ValueError as error:
        return SidecarReading(None, [f"sidecar is not valid JSON ({error}); {KEPT}"])
    if not isinstance(data, dict):
        return SidecarReading(None, [f"sidecar is {_type_name(data)}, not a JSON object; {KEPT}"])
    wrong = [
        f"{name} is {_type_name(data[name])}, not text"
        for name in FIELDS
        if data.get(name) is not None and not isinstance(data[name], str)
    ]
    if wrong:
        return SidecarReading(None, [f"sidecar {'; '.join(wrong)}; {KEPT}"])
    values = {name: data[name] for name in FIELDS if data.get(name) is not None}
    problems = []
    published = values.get("published")
    if published is not None and (reason := ambiguous_date(published)) is not None:
        problems.append(f"sidecar {reason}")
        del values["published"]
    try:
        return SidecarReading(Sidecar.model_validate(values), problems)
    except ValidationError as error:  # not reached with the checks above; kept as the last word
        return SidecarReading(None, [f"sidecar does not validate ({error.error_count()} errors)"])


def parse_sidecar(text: str | None) -> Sidecar:
    """The sidecar's metadata; raises RejectedInput when any of it had to be set aside."""
    reading = read_sidecar(text)
    if reading.sidecar is None or reading.problems:
        raise RejectedInput("; ".join(reading.problems))
    return reading.sidecar
