"""Unit tests for pipeline.evaluate on small hand-made spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ConfigurationError
from pipeline.evaluate import (
    EvaluationReport,
    Scores,
    Span,
    format_report,
    load_gold,
    parse_label_map,
    report_as_dict,
    score,
)

GOLD = {
    "a.txt": [
        Span(0, 7, "GPE", "NAIROBI"),
        Span(20, 32, "PERSON", "William Ruto"),
        Span(40, 45, "LOC", "Coast"),
    ],
}


def test_perfect_match_scores_one() -> None:
    report = score(GOLD, {"a.txt": list(GOLD["a.txt"])})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (3, 0, 0)
    assert report.micro.precision == report.micro.recall == report.micro.f1 == 1.0
    assert report.boundary.f1 == 1.0
    assert set(report.per_type) == {"GPE", "PERSON", "LOC"}
    assert report.per_type["PERSON"].tp == 1
    assert report.files == 1


def test_prediction_text_is_ignored_for_matching() -> None:
    predicted = {"a.txt": [Span(s.start, s.end, s.label) for s in GOLD["a.txt"]]}
    assert score(GOLD, predicted).micro.tp == 3


def test_wrong_type_is_fp_and_fn_but_boundary_tp() -> None:
    predicted = {
        "a.txt": [
            Span(0, 7, "GPE"),
            Span(20, 32, "ORG"),  # right span, wrong type
            Span(40, 45, "LOC"),
        ]
    }
    report = score(GOLD, predicted)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 1, 1)
    assert (report.per_type["PERSON"].tp, report.per_type["PERSON"].fn) == (0, 1)
    assert (report.per_type["ORG"].tp, report.per_type["ORG"].fp) == (0, 1)
    assert report.per_type["ORG"].support == 0
    assert (report.boundary.tp, report.boundary.fp, report.boundary.fn) == (3, 0, 0)
    assert report.micro.precision == pytest.approx(2 / 3)
    assert report.micro.recall == pytest.approx(2 / 3)


def test_boundary_mismatch_is_fp_and_fn_everywhere() -> None:
    predicted = {"a.txt": [Span(0, 7, "GPE"), Span(28, 32, "PERSON"), Span(40, 45, "LOC")]}
    report = score(GOLD, predicted)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (2, 1, 1)
    assert (report.boundary.tp, report.boundary.fp, report.boundary.fn) == (2, 1, 1)


def test_label_map_merges_gpe_and_loc() -> None:
    gold = {"a.txt": [Span(0, 5, "GPE"), Span(10, 15, "LOC")]}
    predicted = {"a.txt": [Span(0, 5, "LOC"), Span(10, 15, "GPE")]}
    unmapped = score(gold, predicted)
    assert unmapped.micro.tp == 0
    assert (unmapped.micro.fp, unmapped.micro.fn) == (2, 2)

    mapped = score(gold, predicted, parse_label_map("GPE=LOC"))
    assert (mapped.micro.tp, mapped.micro.fp, mapped.micro.fn) == (2, 0, 0)
    assert set(mapped.per_type) == {"LOC"}


def test_unmapped_labels_stay_as_they_are() -> None:
    gold = {"a.txt": [Span(0, 5, "PERSON"), Span(10, 15, "FAC")]}
    predicted = {"a.txt": [Span(0, 5, "PERSON"), Span(10, 15, "LOC")]}
    report = score(gold, predicted, {"FAC": "LOC"})
    assert set(report.per_type) == {"PERSON", "LOC"}
    assert report.per_type["PERSON"].tp == 1
    assert report.per_type["LOC"].tp == 1


def test_missing_file_counts_as_false_negatives() -> None:
    gold = {
        "a.txt": [Span(0, 5, "GPE")],
        "b.txt": [Span(0, 4, "PERSON"), Span(6, 9, "ORG")],
    }
    predicted = {"a.txt": [Span(0, 5, "GPE")]}
    report = score(gold, predicted)
    assert report.files == 2
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 2)
    assert report.per_type["PERSON"].fn == 1
    assert report.boundary.fn == 2
    assert report.micro.recall == pytest.approx(1 / 3)


def test_predicted_files_not_in_gold_are_ignored() -> None:
    predicted = {"a.txt": list(GOLD["a.txt"]), "extra.txt": [Span(0, 3, "ORG")]}
    report = score(GOLD, predicted)
    assert report.micro.fp == 0
    assert "ORG" not in report.per_type
    assert report.files == 1


def test_duplicates_count_once() -> None:
    gold = {"a.txt": [Span(0, 5, "GPE", "Kenya"), Span(0, 5, "GPE", "Kenya")]}
    predicted = {
        "a.txt": [
            Span(0, 5, "GPE"),
            Span(0, 5, "GPE"),
            Span(8, 9, "ORG"),
            Span(8, 9, "ORG"),
        ]
    }
    report = score(gold, predicted)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 1, 0)
    assert (report.boundary.tp, report.boundary.fp) == (1, 1)


def test_duplicates_created_by_label_map_count_once() -> None:
    gold = {"a.txt": [Span(0, 5, "LOC")]}
    predicted = {"a.txt": [Span(0, 5, "GPE"), Span(0, 5, "LOC")]}
    report = score(gold, predicted, {"GPE": "LOC"})
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 0)


def test_scores_are_zero_when_undefined() -> None:
    empty = Scores()
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)
    only_fp = Scores(tp=0, fp=3, fn=0)
    assert only_fp.precision == 0.0
    assert only_fp.f1 == 0.0
    mixed = Scores(tp=1, fp=1, fn=3)
    assert mixed.precision == 0.5
    assert mixed.recall == 0.25
    assert mixed.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_parse_label_map() -> None:
    assert parse_label_map(None) == {}
    assert parse_label_map("") == {}
    assert parse_label_map("  ") == {}
    assert parse_label_map("GPE=LOC, FAC = LOC,LOC=LOC") == {
        "GPE": "LOC",
        "FAC": "LOC",
        "LOC": "LOC",
    }


@pytest.mark.parametrize("spec", ["GPE", "GPE=", "=LOC", "GPE=LOC,,FAC=LOC", "GPE=LOC=X", "GPE=LOC,GPE=ORG"])
def test_parse_label_map_rejects_malformed(spec: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_label_map(spec)


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_gold_reads_and_sorts(tmp_path: Path) -> None:
    record = {
        "file": "x.txt",
        "entities": [
            {"start": 10, "end": 14, "label": "PERSON", "text": "Ruto"},
            {"start": 0, "end": 5, "label": "GPE", "text": "Kenya"},
        ],
    }
    path = _write_lines(
        tmp_path / "gold.jsonl",
        [json.dumps(record), "", json.dumps({"file": "y.txt", "entities": []})],
    )
    gold = load_gold(path)
    assert gold == {
        "x.txt": [Span(0, 5, "GPE", "Kenya"), Span(10, 14, "PERSON", "Ruto")],
        "y.txt": [],
    }


@pytest.mark.parametrize(
    "bad_line",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"entities": []}),
        json.dumps({"file": "b.txt"}),
        json.dumps({"file": "b.txt", "entities": [{"start": "0", "end": 3, "label": "ORG"}]}),
        json.dumps({"file": "b.txt", "entities": [{"start": 5, "end": 3, "label": "ORG"}]}),
        json.dumps({"file": "b.txt", "entities": [{"start": 0, "end": 3}]}),
        json.dumps({"file": "b.txt", "entities": [{"start": True, "end": 3, "label": "ORG"}]}),
        json.dumps({"file": "a.txt", "entities": []}),  # duplicate of line 1
    ],
)
def test_load_gold_malformed_line_names_file_and_line(tmp_path: Path, bad_line: str) -> None:
    good = json.dumps({"file": "a.txt", "entities": [{"start": 0, "end": 1, "label": "ORG"}]})
    path = _write_lines(tmp_path / "broken.jsonl", [good, "", bad_line])
    with pytest.raises(ConfigurationError) as excinfo:
        load_gold(path)
    message = str(excinfo.value)
    assert "broken.jsonl" in message
    assert "line 3" in message


def test_load_gold_missing_file_is_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"nowhere\.jsonl"):
        load_gold(tmp_path / "nowhere.jsonl")


def test_format_report_layout() -> None:
    predicted = {"a.txt": [Span(0, 7, "GPE"), Span(20, 32, "ORG")]}
    text = format_report(score(GOLD, predicted))
    lines = text.splitlines()
    assert lines[0].split() == [
        "type",
        "precision",
        "recall",
        "F1",
        "support",
        "tp",
        "fp",
        "fn",
    ]
    first_column = [line.split()[0] for line in lines if line and not line.startswith("-")]
    assert first_column == [
        "type",
        "GPE",
        "LOC",
        "ORG",
        "PERSON",
        "micro",
        "boundary",
        "files:",
    ]
    gpe = next(line for line in lines if line.startswith("GPE"))
    assert gpe.split() == ["GPE", "1.000", "1.000", "1.000", "1", "1", "0", "0"]
    micro = next(line for line in lines if line.startswith("micro"))
    assert micro.split() == ["micro", "0.500", "0.333", "0.400", "3", "1", "1", "2"]
    boundary = next(line for line in lines if line.startswith("boundary"))
    assert boundary.split() == [
        "boundary",
        "1.000",
        "0.667",
        "0.800",
        "3",
        "2",
        "0",
        "1",
    ]
    table = [line for line in lines if not line.startswith(("-", "files:"))]
    assert len({len(line) for line in table}) == 1, "rows of a fixed-width table have equal width"


def test_report_as_dict_is_json_ready() -> None:
    report = score(GOLD, {"a.txt": [Span(0, 7, "GPE")]})
    data = json.loads(json.dumps(report_as_dict(report)))
    assert data["files"] == 1
    assert list(data["per_type"]) == ["GPE", "LOC", "PERSON"]
    assert data["per_type"]["GPE"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 1,
        "tp": 1,
        "fp": 0,
        "fn": 0,
    }
    assert data["micro"]["fn"] == 2
    assert data["boundary"]["tp"] == 1


def test_empty_report_formats() -> None:
    text = format_report(EvaluationReport())
    assert "micro" in text
    assert "boundary" in text
