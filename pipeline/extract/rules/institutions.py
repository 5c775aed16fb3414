"""Bare institution names ("the Senate") tied to the one institution of the article they name.

Every country has a Senate, a Parliament and a Supreme Court, so across articles the bare name is
no one thing: the Nigerian Senate of one page and the US Senate of another would be one entity.
Where the article names one institution in full that ends with the bare name ("The Nigerian
Senate"), the bare name is that institution, and its entity is the full name's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from pipeline.extract.candidate import Candidate, tokens

BARE_INSTITUTION = re.compile(
    r"(?:(?:Supreme|High|Constitutional|Federal|National|State)\s+)?"
    r"(?:Senate|Parliament|Congress|Assembly|Cabinet|Government|Police|Army|Navy|Air Force|Treasury|"
    r"Court|Judiciary|Legislature|Ministry|Customs|Electoral Commission)"
)
"""Names every country's institutions share: "Senate", "Supreme Court", "National Assembly"."""


def link_bare_institutions(candidates: list[Candidate]) -> list[Candidate]:
    """A bare institution name joins the one longer organisation name in the article that ends
    with it ("Senate" -> "Nigerian Senate"); with none, or two ("US Senate", "State Senate"), it
    stays as it is."""
    longer: dict[str, set[str]] = defaultdict(set)
    for candidate in candidates:
        parts = tokens(candidate.name)
        if candidate.label != "ORG" or len(parts) < 2:
            continue
        for cut in range(1, len(parts)):
            tail = " ".join(parts[cut:])
            if BARE_INSTITUTION.fullmatch(tail):
                longer[tail].add(candidate.name)
    linked = []
    for candidate in candidates:
        owners = longer.get(candidate.name, set())
        if candidate.label == "ORG" and len(owners) == 1 and BARE_INSTITUTION.fullmatch(candidate.name):
            (full,) = owners
            candidate = replace(
                candidate,
                name=full,
                resolution=f"the one {candidate.name} the article names in full: {full}",
            )
        linked.append(candidate)
    return linked
