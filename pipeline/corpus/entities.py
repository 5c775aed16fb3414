"""Names across articles: which (type, name) pairs are one entity, and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from pipeline.extract.candidate import tokens


class NameForm(NamedTuple):
    """One distinct way the corpus writes a name: all cross-article resolution looks at."""

    label: str
    name: str
    text: str


ACROSS_ARTICLES = "; across articles: "


def resolve_corpus(
    mentions: Iterable[NameForm],
) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """Map each (type, name) in the corpus to the (type, canonical name, reason) of its entity.

    The same type and name are one entity everywhere (no reason needed). A one-word person name
    with no full name in its own article joins the one full name in the corpus that ends with it;
    when two full names end with it ("Moore" with Richard Moore and Demi Moore), or the corpus
    also gives the name another type ("Ford" as a company), it stays on its own, because a
    wrong merge is worse than a missed one. An acronym on its own joins the one long form of its
    type some article defined it as ("BETA" = Bottom-Up Economic Transformation Agenda).
    Mentions of different types never merge.
    """
    mentions = list(mentions)
    keys = {(mention.label, mention.name) for mention in mentions}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        parts = tokens(name)
        if label == "PERSON" and len(parts) >= 2:
            by_surname[parts[-1]].add(name)
    # A name some mention gives another type ("Ford" the carmaker) is shared by a person and
    # something else: a bare "Ford" elsewhere stays apart, a wrong merge being worse than none.
    other_types: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        if label != "PERSON":
            other_types[name].add(label)
    expansions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if mention.text.isupper() and mention.text != mention.name and len(tokens(mention.name)) >= 2:
            expansions[mention.text].add((mention.label, mention.name))
    mapping: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for label, name in keys:
        target: tuple[str, str, str | None] = (label, name, None)
        if (
            label == "PERSON"
            and len(tokens(name)) == 1
            and len(by_surname.get(name, ())) == 1
            and not other_types.get(name)
        ):
            full = next(iter(by_surname[name]))
            target = ("PERSON", full, f"surname of the one {full} in the corpus")
        elif (
            name.isupper() and len(expansions.get(name, ())) == 1 and next(iter(expansions[name]))[0] == label
        ):
            long_label, long_name = next(iter(expansions[name]))
            target = (long_label, long_name, f"acronym of {long_name}, defined in another article")
        mapping[(label, name)] = target
    return mapping
