"""The hand-checked gold file tests/gold/samples.jsonl is well-formed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = ROOT / "tests" / "gold" / "samples.jsonl"
RAW_DIR = ROOT / "raw"

NAME_TYPES = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)


def _records() -> list[dict[str, Any]]:
    with open(GOLD_PATH, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _decoded(name: str) -> str:
    with open(RAW_DIR / name, encoding="utf-8", newline="") as handle:
        return handle.read()


RECORDS = _records()
IDS = [str(record.get("file")) for record in RECORDS]


def test_gold_file_has_records() -> None:
    assert RECORDS, "tests/gold/samples.jsonl is empty"
    files = [record["file"] for record in RECORDS]
    assert len(files) == len(set(files)), "a file is annotated twice"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_record_shape(record: dict[str, Any]) -> None:
    assert set(record) == {"file", "entities"}
    assert isinstance(record["file"], str)
    assert isinstance(record["entities"], list)
    for entity in record["entities"]:
        assert set(entity) == {"start", "end", "label", "text"}, entity
        assert type(entity["start"]) is int and type(entity["end"]) is int, entity
        assert isinstance(entity["label"], str) and isinstance(entity["text"], str), entity


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_file_exists_under_raw(record: dict[str, Any]) -> None:
    path = RAW_DIR / record["file"]
    assert Path(record["file"]).name == record["file"], "file must be a bare name under raw/"
    assert path.is_file(), f"{path} does not exist"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_span_text_equals_raw_slice(record: dict[str, Any]) -> None:
    decoded = _decoded(record["file"])
    for entity in record["entities"]:
        start, end = entity["start"], entity["end"]
        assert 0 <= start < end <= len(decoded), entity
        assert decoded[start:end] == entity["text"], entity
        assert entity["text"] == entity["text"].strip(), f"surrounding whitespace: {entity}"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_labels_are_name_types(record: dict[str, Any]) -> None:
    labels = {entity["label"] for entity in record["entities"]}
    assert labels <= NAME_TYPES, labels - NAME_TYPES


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_spans_sorted_and_not_overlapping(record: dict[str, Any]) -> None:
    spans = [(entity["start"], entity["end"]) for entity in record["entities"]]
    assert spans == sorted(spans), "entities must be sorted by start"
    for (_, previous_end), (start, _) in itertools.pairwise(spans):
        assert start >= previous_end, f"span starting at {start} overlaps the previous one"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_span_conventions(record: dict[str, Any]) -> None:
    for entity in record["entities"]:
        text = entity["text"]
        assert not text.lower().startswith("the "), f"leading 'the': {entity}"
        assert not text.endswith(("'s", "\u2019s")), f"possessive: {entity}"
        assert text[-1] not in ',;:!?"\u201d)', f"trailing punctuation: {entity}"


@pytest.mark.parametrize("record", RECORDS, ids=IDS)
def test_every_occurrence_of_an_annotated_name_is_annotated(
    record: dict[str, Any],
) -> None:
    """An annotated surface form is covered wherever it appears as a whole word."""
    decoded = _decoded(record["file"])
    spans = [(entity["start"], entity["end"]) for entity in record["entities"]]
    for surface in {entity["text"] for entity in record["entities"]}:
        position = decoded.find(surface)
        while position != -1:
            end = position + len(surface)
            before = decoded[position - 1] if position else " "
            after = decoded[end] if end < len(decoded) else " "
            if not (before.isalnum() or after.isalnum()):
                assert any(s <= position and end <= e for s, e in spans), (
                    f"{surface!r} at {position} is not inside any gold span"
                )
            position = decoded.find(surface, position + 1)
