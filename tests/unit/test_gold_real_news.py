"""The hand-made gold files tests/gold/real_news.jsonl and tests/gold/kenya.jsonl are sound.

real_news.jsonl annotates the ``articleBody`` of English pages of the shared
``real-pages-dev`` folder, which is not in the repository: it is found beside the
clone (``<repo>/../shared/real-pages-dev``) or through ``REAL_PAGES_DEV``. If it is
missing these tests fail (they do not skip): without it the gold cannot be checked.
See tests/gold/GUIDE.md.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import json
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "gold"
REAL_GOLD = GOLD / "real_news.jsonl"
KENYA_GOLD = GOLD / "kenya.jsonl"
KENYA_DIR = GOLD / "kenya"

NAME_TYPES = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
MIN_SPANS = 800
MIN_REAL_PAGES = 25
MIN_KENYA_FILES = 10

# Names whose final 's is part of the name, not a possessive.
NAMES_ENDING_IN_S = frozenset({"Lowe’s"})

# The last token of a span that ends in a full stop must be an abbreviation:
# "Jr.", "Minn.", "Calif.", "U.S.", "W.Va.", "P.D.", "D.C.".
ABBREVIATION = re.compile(r"(?:[A-Za-z]{1,5}\.)+")


def shared_dir() -> Path:
    override = os.environ.get("REAL_PAGES_DEV")
    if override:
        return Path(override)
    return REPO.parent / "shared" / "real-pages-dev"


def _records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_real_news_gold", GOLD / "build_real_news_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REAL = _records(REAL_GOLD)
KENYA = _records(KENYA_GOLD)
REAL_IDS = [record["id"][:12] for record in REAL]
KENYA_IDS = [record["file"] for record in KENYA]
ALL = [("real", record) for record in REAL] + [("kenya", record) for record in KENYA]
ALL_IDS = REAL_IDS + KENYA_IDS


MISSING_SHARED = (
    "the shared real-pages-dev folder is missing: {path} does not exist. "
    "tests/gold/real_news.jsonl cannot be checked without it; put shared/real-pages-dev "
    "beside the repository clone or set REAL_PAGES_DEV to its path."
)


@functools.cache
def _load_bodies() -> dict[str, str] | None:
    path = shared_dir() / "ground-truth.json"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {page_id: record["articleBody"] for page_id, record in data.items()}


def bodies() -> dict[str, str]:
    """``{page id: articleBody}`` from the shared folder; the calling test FAILS if it is missing."""
    loaded = _load_bodies()
    if loaded is None:
        pytest.fail(MISSING_SHARED.format(path=shared_dir() / "ground-truth.json"), pytrace=False)
    return loaded


def _text(kind: str, record: dict[str, Any]) -> str:
    if kind == "real":
        pages = bodies()
        assert record["id"] in pages, f"page {record['id']} is not in ground-truth.json"
        return pages[record["id"]]
    with open(GOLD / record["file"], encoding="utf-8", newline="") as handle:
        return handle.read()


def test_shared_folder_present() -> None:
    assert bodies()


def test_enough_gold() -> None:
    total = sum(len(record["entities"]) for _, record in ALL)
    assert total >= MIN_SPANS, f"only {total} spans in all"
    assert len({record["id"] for record in REAL}) == len(REAL) >= MIN_REAL_PAGES
    assert len(set(KENYA_IDS)) == len(KENYA) >= MIN_KENYA_FILES


def test_kenyan_files_exist() -> None:
    on_disk = sorted(f"kenya/{path.name}" for path in KENYA_DIR.glob("*.txt"))
    assert len(on_disk) >= MIN_KENYA_FILES, on_disk
    assert sorted(KENYA_IDS) == on_disk, "every Kenyan article is annotated, and only those"
    for name in KENYA_IDS:
        assert re.fullmatch(r"kenya/\d\d_[a-z0-9_]+\.txt", name), name


@pytest.mark.parametrize("record", REAL, ids=REAL_IDS)
def test_real_record_shape(record: dict[str, Any]) -> None:
    assert set(record) == {"id", "sha256", "entities"}


@pytest.mark.parametrize("record", KENYA, ids=KENYA_IDS)
def test_kenya_record_shape(record: dict[str, Any]) -> None:
    assert set(record) == {"file", "sha256", "entities"}


@pytest.mark.parametrize(("kind", "record"), ALL, ids=ALL_IDS)
def test_text_unchanged_and_spans_match(kind: str, record: dict[str, Any]) -> None:
    text = _text(kind, record)
    assert _sha256(text) == record["sha256"], "the annotated text changed since the gold was built"
    for entity in record["entities"]:
        assert set(entity) == {"start", "end", "label", "text"}, entity
        start, end = entity["start"], entity["end"]
        assert type(start) is int and type(end) is int, entity
        assert 0 <= start < end <= len(text), entity
        assert text[start:end] == entity["text"], entity


@pytest.mark.parametrize(("kind", "record"), ALL, ids=ALL_IDS)
def test_labels_are_name_types(kind: str, record: dict[str, Any]) -> None:
    labels = {entity["label"] for entity in record["entities"]}
    assert labels <= NAME_TYPES, labels - NAME_TYPES


@pytest.mark.parametrize(("kind", "record"), ALL, ids=ALL_IDS)
def test_spans_sorted_and_not_overlapping(kind: str, record: dict[str, Any]) -> None:
    spans = [(entity["start"], entity["end"]) for entity in record["entities"]]
    assert spans == sorted(spans), "entities must be sorted by start"
    for (_, previous_end), (start, _) in itertools.pairwise(spans):
        assert start >= previous_end, f"span starting at {start} overlaps the previous one"


@pytest.mark.parametrize(("kind", "record"), ALL, ids=ALL_IDS)
def test_span_boundaries(kind: str, record: dict[str, Any]) -> None:
    for entity in record["entities"]:
        text = entity["text"]
        assert text[0].isalnum(), f"starts with whitespace or punctuation: {entity}"
        if not text[-1].isalnum():
            last_token = re.split(r"[\s\-]", text)[-1]
            assert text[-1] == "." and ABBREVIATION.fullmatch(last_token), (
                f"ends with whitespace or punctuation that is not an abbreviation's full stop: {entity}"
            )
        assert not text.startswith(("the ", "The ")), f"leading 'the': {entity}"
        if text not in NAMES_ENDING_IN_S:
            assert not text.endswith(("'s", "’s")), f"possessive: {entity}"


@pytest.mark.parametrize(("kind", "record"), ALL, ids=ALL_IDS)
def test_every_occurrence_of_an_annotated_name_is_annotated(kind: str, record: dict[str, Any]) -> None:
    """Whole-word repeats of an annotated surface form are inside a span, bar listed exceptions."""
    builder = _builder()
    text = _text(kind, record)
    key = record["id"] if kind == "real" else record["file"].removeprefix("kenya/")
    allowed = {surface: count for surface, count, _ in builder.EXCEPTIONS.get(key, [])}
    spans = [(entity["start"], entity["end"]) for entity in record["entities"]]
    for surface in {entity["text"] for entity in record["entities"]} | set(allowed):
        uncovered = [
            position
            for position in builder.occurrences(text, surface)
            if not any(s <= position and position + len(surface) <= e for s, e in spans)
        ]
        assert len(uncovered) == allowed.get(surface, 0), (
            f"{surface!r} occurs outside every gold span at {uncovered}"
        )
