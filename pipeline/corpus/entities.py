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


class Neighbours(NamedTuple):
    """What the cross-article rules read about one name: the corpus' names around it."""

    full_names: frozenset[str]
    """The person names of two words or more that end with this name."""
    other_types: frozenset[str]
    """The types other than PERSON some mention gives this name."""
    expansions: frozenset[tuple[str, str]]
    """The (type, long name) this name was written for as an acronym."""


def surname_of(label: str, name: str) -> str | None:
    """The last word of a person's name of two words or more: what a bare surname is matched to."""
    parts = tokens(name)
    return parts[-1] if label == "PERSON" and len(parts) >= 2 else None


def expands(form: NameForm) -> bool:
    """Whether a mention writes its name of two words or more as an acronym ("KRA")."""
    return form.text.isupper() and form.text != form.name and len(tokens(form.name)) >= 2


def resolve_name(label: str, name: str, neighbours: Neighbours) -> tuple[str, str, str | None]:
    """The (type, canonical name, reason) of the entity a (type, name) of the corpus is."""
    if (
        label == "PERSON"
        and len(tokens(name)) == 1
        and len(neighbours.full_names) == 1
        and not neighbours.other_types
    ):
        full = next(iter(neighbours.full_names))
        return ("PERSON", full, f"surname of the one {full} in the corpus")
    if name.isupper() and len(neighbours.expansions) == 1:
        long_label, long_name = next(iter(neighbours.expansions))
        if long_label == label:
            return (long_label, long_name, f"acronym of {long_name}, defined in another article")
    return (label, name, None)


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

    The whole corpus at once, in memory: the statement of the rules the incremental resolution
    (pipeline/corpus/resolution.py) keeps to, name by name.
    """
    mentions = list(mentions)
    keys = {(mention.label, mention.name) for mention in mentions}
    by_surname: dict[str, set[str]] = defaultdict(set)
    other_types: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        surname = surname_of(label, name)
        if surname is not None:
            by_surname[surname].add(name)
        if label != "PERSON":
            other_types[name].add(label)
    expansions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if expands(mention):
            expansions[mention.text].add((mention.label, mention.name))
    return {
        (label, name): resolve_name(
            label,
            name,
            Neighbours(
                frozenset(by_surname.get(name, ())),
                frozenset(other_types.get(name, ())),
                frozenset(expansions.get(name, ())),
            ),
        )
        for label, name in keys
    }
