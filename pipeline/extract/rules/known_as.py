"""Aliases written out: "X, commonly known as Y"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from pipeline.extract.candidate import Candidate, SpanIndex, tokens
from pipeline.extract.gazetteer import lookup as gazetteer_lookup
from pipeline.extract.rules.spans import trim_span

KNOWN_AS = re.compile(
    r",?\s*\(?(?:(?:commonly|popularly|also|better|otherwise|locally|widely|simply)\s+)?"
    r"(?:known|referred\s+to|abbreviated)\s+as\s+(?:the\s+)?"
    r"(?P<alias>[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,5})"
)


def link_known_as(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """ "X, commonly known as Y": Y is another name of X; the article's mentions of both become one.

    The entity is named by the gazetteer's name when either form is in it, else by X. Only the
    gazetteer's type retypes a mention; otherwise each keeps the model's type (and mentions of
    different types stay different entities).
    """
    renames: dict[str, tuple[str, str, str]] = {}
    indexes = {field: SpanIndex(c for c in candidates if c.field == field) for field in fields}
    removed: set[int] = set()
    added: list[Candidate] = []
    done: set[tuple[str, int, int]] = set()
    for candidate in candidates:
        if candidate.label == "PERSON" and len(tokens(candidate.name)) < 2:
            continue
        text = fields[candidate.field]
        match = KNOWN_AS.match(text, candidate.end)
        if not match:
            continue
        alias_start, alias_end = trim_span(text, match.start("alias"), match.end("alias"))
        alias_text = text[alias_start:alias_end]
        if not alias_text or (candidate.field, alias_start, alias_end) in done:
            continue
        done.add((candidate.field, alias_start, alias_end))
        existing = [
            c for c in indexes[candidate.field].overlapping(alias_start, alias_end) if id(c) not in removed
        ]
        alias_name = " ".join(alias_text.split())
        name, label, typed = _alias_entity(candidate, existing, alias_name)
        reason = f"alias in article: {candidate.text} known as {alias_text}"
        removed.update(id(c) for c in existing)
        added.append(
            Candidate(
                candidate.field,
                alias_start,
                alias_end,
                alias_text,
                label,
                existing[0].model_label if existing else None,
                "known as",
                name=name,
                resolution=reason,
            )
        )
        renames[candidate.name] = (name, label if typed else "", reason)
        renames[alias_name] = (name, label if typed else "", reason)
    kept = [*(c for c in candidates if id(c) not in removed), *added]
    return sorted(_renamed(kept, renames), key=lambda c: (c.field, c.start, c.end))


def _alias_entity(candidate: Candidate, existing: list[Candidate], alias_name: str) -> tuple[str, str, bool]:
    """(name, type, whether the gazetteer gave the type) of the entity X and its alias Y are."""
    alias_entry = gazetteer_lookup(alias_name)
    from_gazetteer = [c for c in existing if c.resolution.startswith("gazetteer")]
    if from_gazetteer:
        return from_gazetteer[0].name, from_gazetteer[0].label, True
    if alias_entry is not None:
        return alias_entry.name, alias_entry.label, True
    # An alias retypes nothing by itself: the alias keeps the model's reading of it.
    own = next((c.label for c in existing if c.origin == "model"), None)
    return candidate.name, own or candidate.label, False


def _renamed(candidates: list[Candidate], renames: Mapping[str, tuple[str, str, str]]) -> list[Candidate]:
    """Every mention of either form takes the entity's name (and the gazetteer's type, if any)."""
    renamed = []
    for candidate in candidates:
        if candidate.name in renames and candidate.origin != "known as":
            name, label, reason = renames[candidate.name]
            label = label or candidate.label  # only the gazetteer's type is evidence to retype
            if (name, label) != (candidate.name, candidate.label):
                role = candidate.role if label == "PERSON" else None
                candidate = replace(candidate, name=name, label=label, resolution=reason, role=role)
        renamed.append(candidate)
    return renamed
