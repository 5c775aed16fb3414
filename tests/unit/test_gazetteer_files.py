"""The curated gazetteer CSV files in pipeline/data/gazetteer/ are well-formed."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "pipeline" / "data" / "gazetteer"
HEADER = ["name", "label", "aliases", "country_code", "note"]
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
EXPECTED_FILES = {
    "regions.csv",
    "kenya_counties.csv",
    "international_bodies.csv",
    "kenya_institutions.csv",
    "intelligence_and_security.csv",
}
CSV_FILES = sorted(GAZETTEER_DIR.glob("*.csv"))


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader)
        assert header == HEADER, f"{path.name}: header is {header}"
        rows = []
        for line_number, values in enumerate(reader, start=2):
            assert len(values) == len(HEADER), f"{path.name}:{line_number}: {values}"
            rows.append(dict(zip(HEADER, values, strict=True)))
    return rows


def _surfaces(row: dict[str, str]) -> list[str]:
    aliases = row["aliases"].split("|") if row["aliases"] else []
    return [row["name"], *aliases]


def test_expected_files_present() -> None:
    assert {path.name for path in CSV_FILES} >= EXPECTED_FILES
    assert (GAZETTEER_DIR / "README.md").is_file()


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_file_parses_with_header_and_rows(path: Path) -> None:
    rows = _rows(path)
    assert rows, f"{path.name} has no rows"


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_rows_are_clean(path: Path) -> None:
    for number, row in enumerate(_rows(path), start=2):
        where = f"{path.name}:{number}"
        assert row["name"].strip(), f"{where}: empty name"
        assert row["label"] in NAME_TYPES, f"{where}: label {row['label']!r}"
        assert re.fullmatch(r"[A-Z]{2}|", row["country_code"]), f"{where}: country"
        for surface in _surfaces(row):
            assert surface, f"{where}: empty alias (stray '|')"
            assert surface == surface.strip(), f"{where}: whitespace around {surface!r}"
            assert "  " not in surface, f"{where}: double space in {surface!r}"
            assert not surface.lower().startswith("the "), f"{where}: {surface!r}"
        for key in ("name", "label", "aliases", "country_code", "note"):
            assert "\n" not in row[key], f"{where}: newline in {key}"


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_no_duplicate_names_within_file(path: Path) -> None:
    names = [row["name"] for row in _rows(path)]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"{path.name}: duplicate names {duplicates}"


def _surface_index() -> dict[str, set[tuple[str, str, str]]]:
    """Map each case-folded name or alias to the (file, row name, label) using it."""
    index: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for path in CSV_FILES:
        for row in _rows(path):
            for surface in _surfaces(row):
                index[surface.casefold()].add((path.name, row["name"], row["label"]))
    return index


def test_no_conflicting_labels_across_files() -> None:
    conflicts = {
        surface: sorted(uses)
        for surface, uses in _surface_index().items()
        if len({label for _, _, label in uses}) > 1
    }
    assert not conflicts, f"same name with different labels: {conflicts}"


def test_no_surface_form_names_two_entries() -> None:
    """Stricter than labels: one name or alias must point to exactly one row."""
    ambiguous = {
        surface: sorted(uses)
        for surface, uses in _surface_index().items()
        if len({(file, name) for file, name, _ in uses}) > 1
    }
    assert not ambiguous, f"name or alias used by several rows: {ambiguous}"


def test_kenya_counties_are_the_47_counties() -> None:
    rows = _rows(GAZETTEER_DIR / "kenya_counties.csv")
    assert len(rows) == 47
    assert {row["label"] for row in rows} == {"GPE"}
    assert {row["country_code"] for row in rows} == {"KE"}
    names = {row["name"] for row in rows}
    assert {"Nairobi", "Mombasa", "Kisumu", "Tharaka-Nithi", "Elgeyo-Marakwet"} <= names
    for row in rows:
        assert f"{row['name']} County" in _surfaces(row), row["name"]


def test_regions_are_locations() -> None:
    rows = _rows(GAZETTEER_DIR / "regions.csv")
    assert {row["label"] for row in rows} == {"LOC"}


def test_brief_examples_are_present() -> None:
    index = _surface_index()

    def label_of(surface: str) -> str:
        (_, _, label), *rest = sorted(index[surface.casefold()])
        assert not rest, surface
        return label

    assert label_of("MI6") == "ORG"
    assert label_of("Mt. Kenya") == "LOC"
    assert label_of("IEBC") == "ORG"
    assert label_of("State House") == "FAC"
    assert label_of("African Union") == "ORG"
    assert label_of("Nairobi County") == "GPE"
