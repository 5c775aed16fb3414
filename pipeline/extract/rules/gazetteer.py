"""The curated gazetteer's spans and names: where they win over the model's, and where they do not."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from pipeline.extract.candidate import Candidate
from pipeline.extract.gazetteer import PACKAGE_SOURCES, GazetteerEntry
from pipeline.extract.gazetteer import lookup as gazetteer_lookup

PLACE_LIST_KEEPS = frozenset({"PERSON", "ORG"})
"""Model types a place list does not overrule: a person or an organisation (a team, a
government) may bear a place's name; the list is no evidence against the model's reading."""


def merge_gazetteer(
    model_spans: Iterable[Candidate], gazetteer_spans: Iterable[Candidate]
) -> list[Candidate]:
    """Model spans plus the gazetteer's, the curated span winning where it is the longer one.

    A gazetteer match inside a longer model span ("Kenya" in "Kenya Foreign Policy") is dropped;
    one that contains or crosses a model span ("Mt. Kenya" over "Kenya") replaces it; one with the
    same boundaries adds nothing here (its type and name come from `apply_gazetteer`).
    """
    model = list(model_spans)
    curated = sorted(gazetteer_spans, key=lambda c: (c.field, c.start, c.end))
    kept_model = [
        span
        for span in model
        if not any(not (span.start <= g.start and g.end <= span.end) for g in _overlapping(curated, span))
    ]
    ordered_model = sorted(kept_model, key=lambda c: (c.field, c.start, c.end))
    kept_curated = [g for g in curated if not _overlapping(ordered_model, g)]
    return kept_model + kept_curated


def _overlapping(ordered: list[Candidate], span: Candidate) -> list[Candidate]:
    """Members of `ordered` (sorted by field, start) that overlap `span`."""
    index = bisect_right(ordered, (span.field, span.end), key=lambda c: (c.field, c.start))
    found = []
    for other in reversed(ordered[max(0, index - 8) : index]):
        if other.field == span.field and other.start < span.end and span.start < other.end:
            found.append(other)
    return found


def is_contextual(form: str, entry: GazetteerEntry) -> bool:
    """A one-word organisation form ("Cabinet", "Senate") means the national one only in its country."""
    return (
        entry.country_code is not None
        and entry.label in {"ORG", "FAC"}
        and len(form.split()) == 1
        and not form.isupper()
    )


def article_countries(candidates: Iterable[Candidate]) -> set[str]:
    """Countries an article names (directly or through a place the gazetteer knows)."""
    codes = set()
    for candidate in candidates:
        entry = gazetteer_lookup(candidate.name)
        if entry is not None and entry.label in {"GPE", "LOC"} and entry.country_code:
            codes.add(entry.country_code)
    return codes


def apply_gazetteer(candidates: list[Candidate]) -> list[Candidate]:
    """Names the gazetteer knows take its canonical name and type; the model's label is kept apart."""
    countries = article_countries(candidates)
    applied = []
    for candidate in candidates:
        entry = gazetteer_lookup(candidate.name)
        if entry is not None and is_contextual(candidate.name, entry) and entry.country_code not in countries:
            if candidate.origin == "gazetteer":
                continue
            entry = None
        if (
            entry is not None
            and entry.source in PACKAGE_SOURCES
            and candidate.label in PLACE_LIST_KEEPS
            and candidate.origin == "model"
        ):
            # A place list knows nothing of people or teams: "Hamilton said" stays a person, and
            # "France beat Belgium" stays two teams, where the model read them so.
            entry = None
        if entry is not None and (entry.name, entry.label) != (candidate.name, candidate.label):
            reason = f"gazetteer ({entry.source})"
            if entry.label != candidate.label:
                reason += f": type {entry.label}, model said {candidate.label}"
            candidate = replace(
                candidate,
                name=entry.name,
                label=entry.label,
                role=candidate.role if entry.label == "PERSON" else None,
                resolution=reason,
            )
        applied.append(candidate)
    return applied
