"""Occurrences the model missed of names the article already has."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import accumulate

from pipeline.extract.candidate import Candidate, tokens
from pipeline.extract.rules.headings import lower_case_words
from pipeline.extract.rules.titles import title_before

NAME_GOES_ON = re.compile(r"[ \t]+[A-Z][a-z]")
"""A capitalised word right after an occurrence: it is part of a longer name, not this one."""


def _cut_forms(fields: Mapping[str, str], candidates: list[Candidate]) -> set[str]:
    """Names other than people's whose every mention runs on into a capitalised word: the model cut
    a longer name ("Beachbody Performance" of "... Hydrate", "... Recover"), so where the name
    goes on again it is that longer name, not this one."""
    goes_on: dict[str, bool] = {}
    for c in candidates:
        if c.label != "PERSON":
            runs_on = bool(NAME_GOES_ON.match(fields.get(c.field, ""), c.end))
            goes_on[c.text] = goes_on.get(c.text, True) and runs_on
    return {form for form, always in goes_on.items() if always}


def propagate_names(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """Add the later (or earlier) occurrences of names the model found once but missed elsewhere.

    Only names that are safe to search for are propagated: full names, the surname of a full
    person name, and other names the model found at least twice or that have several words.
    """
    forms: dict[str, tuple[str, str, str]] = {}
    label_counts = Counter((c.text, c.label) for c in candidates if c.origin == "model")
    for candidate in candidates:
        name_parts = tokens(candidate.name)
        if candidate.label == "PERSON":
            if len(name_parts) >= 2:
                forms.setdefault(candidate.name, (candidate.name, "PERSON", "alias in article"))
                if any(character.isalpha() for character in name_parts[-1]):
                    forms.setdefault(name_parts[-1], (candidate.name, "PERSON", "surname in article"))
        elif len(name_parts) >= 2 or label_counts[(candidate.text, candidate.label)] >= 2:
            forms.setdefault(candidate.text, (candidate.name, candidate.label, "alias in article"))
    owners: dict[str, set[str]] = defaultdict(set)
    for candidate in candidates:
        if candidate.label == "PERSON" and len(tokens(candidate.name)) >= 2:
            owners[tokens(candidate.name)[-1]].add(candidate.name)
    surnames = Counter({surname: len(names) for surname, names in owners.items()})
    added = list(candidates)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for candidate in candidates:
        taken[candidate.field].append((candidate.start, candidate.end))
    # a one-word name spelt like a word the article writes in lower case, or a function word
    # ("He" of "He Jianxiong" is also the pronoun at every sentence start) is not searched for
    common = lower_case_words(fields)
    cut = _cut_forms(fields, candidates)
    searchable = sorted(
        (
            form
            for form in forms
            if surnames[form] <= 1 and len(form) >= 2 and (" " in form or form.casefold() not in common)
        ),
        key=lambda f: (-len(f), f),
    )
    if not searchable:
        return added
    for field, text in fields.items():
        spans = sorted(taken[field])
        starts = [start for start, _ in spans]
        # reach[k]: the furthest end of the first k spans, so one lookup says whether any span
        # overlaps a match (matches never overlap each other, see `occurrences`).
        reach = list(accumulate((end for _, end in spans), max, initial=-1))
        for span, form in occurrences(text, searchable):
            if reach[bisect_left(starts, span[1])] > span[0]:
                continue
            name, label, origin = forms[form]
            if form in cut and NAME_GOES_ON.match(text, span[1]):
                # "Beachbody Performance" inside "Beachbody Performance Hydrate": a longer name
                continue
            added.append(
                Candidate(
                    field=field,
                    start=span[0],
                    end=span[1],
                    text=form,
                    label=label,
                    model_label=None,
                    origin=origin,
                    name=name,
                    role=title_before(text, span[0]) if label == "PERSON" else None,
                    resolution=origin,
                )
            )
    return added


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands as a name: no word, full stop or hyphen runs into it before,
    no word or hyphen after."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_.-") and not (after.isalnum() or after in "_-")


def occurrences(text: str, forms: list[str]) -> list[tuple[tuple[int, int], str]]:
    """Where the forms are written as names, leftmost first and, at one place, the longest; none
    overlaps another (what one regex alternation of the forms, longest first, finds).

    Each form is looked for with `str.find`: compiling an alternation of an article's names took
    longer than the search, and it is new for every article.
    """
    found = []
    for form in forms:
        at = text.find(form)
        while at != -1:
            if _bounded(text, at, at + len(form)):
                found.append((at, -len(form), form))
            at = text.find(form, at + 1)
    chosen, free_from = [], 0
    for start, negative_length, form in sorted(found):
        if start >= free_from:
            chosen.append(((start, start - negative_length), form))
            free_from = start - negative_length
    return chosen
