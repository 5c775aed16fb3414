"""Laws: "the Finance Bill" is a law, not a person named Bill."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from pipeline.extract.candidate import Candidate, tokens

LAW_HEADS = re.compile(
    r"\b(?:Act|Bill|Agenda|Policy|Plan|Programme|Program|Strategy|Treaty|Accord|Agreement|Charter|"
    r"Constitution|Framework|Initiative|Protocol|Convention|Regulations|Code)$"
)


LAW_NOUNS = frozenset({"Bill", "Act"})
"""The head words of a law's name that the model, seeing a capital letter, takes for a person."""


CAPITALISED_RUN_BEFORE = re.compile(r"(?:[A-Z][\w-]{0,40}\s(?:(?:of|and|for|on)\s)?){1,12}$")


YEAR_AFTER = re.compile(r",?\s\d{4}\b")


def name_laws(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A span that ends in "Bill" or "Act" is a law named by the capitalised words before it.

    The small model reads "the Finance Bill" as a person "Bill": the span grows to "Finance Bill"
    (and a year after it, "Finance Act, 2023") and becomes a LAW. A lone "Bill" after "the" is no
    name at all; one without either ("Bill said") stays a person.
    """
    named = []
    for candidate in candidates:
        parts = tokens(candidate.name)
        if not parts or parts[-1] not in LAW_NOUNS:
            named.append(candidate)
            continue
        text = fields[candidate.field]
        window_start = max(0, candidate.start - 120)
        run = CAPITALISED_RUN_BEFORE.search(text, window_start, candidate.start)
        start = candidate.start
        if run:
            words = [
                word for word in re.finditer(r"\S+", run.group()) if word.group() not in {"The", "A", "An"}
            ]
            if words:
                start = run.start() + words[0].start()
        if start == candidate.start and len(parts) == 1:
            if text[max(0, start - 4) : start].casefold() == "the ":
                continue
            named.append(candidate)
            continue
        year = YEAR_AFTER.match(text, candidate.end)
        end = year.end() if year else candidate.end
        if (start, end, candidate.label) == (candidate.start, candidate.end, "LAW"):
            named.append(candidate)  # the model already named the law as written
            continue
        named.append(
            replace(
                candidate,
                start=start,
                end=end,
                text=text[start:end],
                name=" ".join(text[start:end].split()),
                label="LAW",
                role=None,
                resolution=f"law name: the {candidate.label} {candidate.text!r} ends in {parts[-1]!r}",
            )
        )
    return named


LAW_WORDS = re.compile(
    r"\b(?:Act|Acts|Bill|Bills|Law|Laws|Amendment|Amendments|Agenda|Policy|Plan|Programme|Program|"
    r"Strategy|Treaty|Accord|Accords|Agreement|Charter|Constitution|Framework|Initiative|Protocol|"
    r"Convention|Regulation|Regulations|Code|Rule|Rules|Order|Resolution|Doctrine|Declaration|"
    r"Directive|Roadmap|Statute|Ordinance|Pact|Deal|Compact|Reform|Guidelines)\b"
)
"""Words a law's or a plan's own name holds ("First Amendment", "Logan Act", "SunShot Initiative")."""


def drop_wordless_laws(candidates: list[Candidate]) -> list[Candidate]:
    """A LAW the model found with no law's word in it ("Touch Bar", "Phase 1") is no law, and the
    model's reading is the only evidence it is a name: dropped. An acronym ("BETA", defined by a
    law's long form elsewhere) and what the gazetteer knows stay."""
    return [
        c
        for c in candidates
        if not (
            c.label == "LAW"
            and c.origin == "model"
            and not c.typed_by_gazetteer
            and not c.name.isupper()
            and not LAW_WORDS.search(c.name)
        )
    ]
