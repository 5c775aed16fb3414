"""Rebuild ``tests/gold/samples.jsonl`` from the hand-written span lists below.

Each file's spans are listed in reading order as ``(text, label)`` pairs. A pair is
resolved to the first whole-word occurrence of ``text`` that starts at or after the
end of the previous span, so the list reads like the article itself. After
resolving, the script checks that every whole-word occurrence of every annotated
surface form in the file lies inside some gold span (so a forgotten repeat of a
name is an error, not a silent omission).

Run from the repository root::

    .venv/bin/python tests/gold/build_gold.py

The guidelines and every judgement call are in ``tests/gold/README.md``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
OUT = Path(__file__).resolve().parent / "samples.jsonl"

SPANS: dict[str, list[tuple[str, str]]] = {
    "000_c56b1a229dccd951.txt": [
        # Line 1: dateline and lead.
        ("NAIROBI", "GPE"),
        ("Kenya", "GPE"),
        ("William Ruto", "PERSON"),
        ("Kenya", "GPE"),
        # Line 2.
        ("Ruto", "PERSON"),
        ("Cabinet", "ORG"),
        ("Kenya Foreign Policy 2024", "LAW"),
        # Line 3.
        ("Foreign Office", "ORG"),
        ("Kenya", "GPE"),
        # Line 4.
        ("Kenya", "GPE"),
        # Line 5.
        ("Kenya", "GPE"),
        # Line 6.
        ("African Union", "ORG"),
        # Line 7.
        ("Ruto", "PERSON"),
        ("Foreign Policy", "LAW"),
        ("Kenya", "GPE"),
        # Line 9.
        ("Foreign Policy Consultative Forum", "EVENT"),
        ("Nairobi", "GPE"),
        ("Ruto", "PERSON"),
        ("Kenya", "GPE"),
        # Line 11.
        ("Bottom-Up Economic Transformation Agenda", "LAW"),
        ("BETA", "LAW"),
        ("Ruto", "PERSON"),
        # Line 12.
        ("Ruto", "PERSON"),
        ("Kenya", "GPE"),
        # Line 13.
        ("Kenyan", "NORP"),
    ],
    "001_cbcf5bba73f6f14e.txt": [
        # Line 1: breadcrumb.
        ("William Ruto", "PERSON"),
        # Line 4: title.
        ("William Ruto", "PERSON"),
        # Line 6.
        ("Kenya", "GPE"),
        ("Rigathi Gachagua", "PERSON"),
        ("William Ruto", "PERSON"),
        ("State House", "FAC"),
        ("Nairobi", "GPE"),
        # Line 8.
        ("Kenya", "GPE"),
        ("Gachagua", "PERSON"),
        # Line 10.
        ("Rigathi Gachagua", "PERSON"),
        ("Ruto", "PERSON"),
        ("Milimani Law Courts", "FAC"),
        ("Nairobi", "GPE"),
        # Line 12.
        ("Mt. Kenya", "LOC"),
        # Line 14.
        ("Gachagua", "PERSON"),
        # Line 16.
        ("Gachagua", "PERSON"),
        ("Ruto", "PERSON"),
        # Line 18.
        ("Richard Moore", "PERSON"),
        ("United Kingdom", "GPE"),
        ("Foreign Intelligence Service", "ORG"),
        ("MI6", "ORG"),
        ("Neil Wigan", "PERSON"),
        ("British", "NORP"),
        ("Kenya", "GPE"),
        # Line 20.
        ("Ruto", "PERSON"),
        ("Kenya", "GPE"),
        ("United Kingdom", "GPE"),
        # Line 22.
        ("Kenya", "GPE"),
        # Line 24.
        ("Kenya", "GPE"),
        ("United Kingdom", "GPE"),
        ("Ruto", "PERSON"),
        ("Twitter", "ORG"),
        # Line 26.
        ("Eastern African", "LOC"),
        # Line 28.
        ("Kenya", "GPE"),
        ("Al-Shabaab", "ORG"),
        # Line 30.
        ("Ruto", "PERSON"),
        ("UK", "GPE"),
        # Line 32.
        ("Gachagua", "PERSON"),
        ("Ruto", "PERSON"),
        ("Kenya", "GPE"),
        # Line 34.
        ("Ruto", "PERSON"),
        ("Kenyans", "NORP"),
        # Line 36.
        ("Gachagua", "PERSON"),
        # Line 38.
        ("Milimani Law Courts", "FAC"),
        ("Mt. Kenya", "LOC"),
        # Line 40.
        ("Ruto", "PERSON"),
        # Line 42.
        ("Ruto", "PERSON"),
        ("Kenya", "GPE"),
        ("Ruto", "PERSON"),
        # Line 44.
        ("Kenya", "GPE"),
        ("Gachagua", "PERSON"),
    ],
}


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_word_at(text: str, start: int, end: int) -> bool:
    before_ok = start == 0 or not _is_word_char(text[start - 1])
    after_ok = end == len(text) or not _is_word_char(text[end])
    return before_ok and after_ok


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    pos = text.find(needle)
    while pos != -1:
        if _whole_word_at(text, pos, pos + len(needle)):
            found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def resolve(decoded: str, pairs: list[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Turn ordered (text, label) pairs into (start, end, label, text) tuples."""
    entities: list[tuple[int, int, str, str]] = []
    cursor = 0
    for surface, label in pairs:
        candidates = [p for p in _occurrences(decoded, surface) if p >= cursor]
        if not candidates:
            raise SystemExit(f"cannot place {surface!r} after offset {cursor}")
        start = candidates[0]
        end = start + len(surface)
        entities.append((start, end, label, surface))
        cursor = end
    return entities


def check_coverage(name: str, decoded: str, entities: list[tuple[int, int, str, str]]) -> None:
    """Fail if a whole-word occurrence of an annotated surface form is uncovered."""
    for surface in sorted({text for _, _, _, text in entities}):
        for pos in _occurrences(decoded, surface):
            end = pos + len(surface)
            if not any(s <= pos and end <= e for s, e, _, _ in entities):
                raise SystemExit(f"{name}: {surface!r} at {pos} is not annotated")


def main() -> int:
    """Write the gold file and report how many spans it holds."""
    lines = []
    for name in sorted(SPANS):
        with open(RAW / name, encoding="utf-8", newline="") as handle:
            decoded = handle.read()
        entities = resolve(decoded, SPANS[name])
        check_coverage(name, decoded, entities)
        record = {
            "file": name,
            "entities": [
                {"start": start, "end": end, "label": label, "text": text}
                for start, end, label, text in entities
            ],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({sum(len(v) for v in SPANS.values())} spans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
