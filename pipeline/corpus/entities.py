"""Names across articles: which (type, name) pairs are one entity, and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline.extract.candidate import tokens
from pipeline.extract.rules.short_names import is_person_shaped


class NameForm(NamedTuple):
    """One distinct way the corpus writes a name: all cross-article resolution looks at."""

    label: str
    name: str
    text: str


class ArticleNames(NamedTuple):
    """What a cross-article join looks at in one article: its names and the roles they carry."""

    article_id: str
    names: frozenset[tuple[str, str]]
    """(type, name) of the article's mentions, as resolved within the article."""
    roles: frozenset[tuple[str, str]]
    """(name, role case-folded) of the article's mentions that carry a role."""


Target = tuple[str, str, str | None]
"""(type, canonical name, reason) of the entity a name resolves to."""


@dataclass(frozen=True)
class CorpusResolution:
    """What resolution decides from the corpus' distinct names alone, and what needs the articles."""

    names: dict[tuple[str, str], Target] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    """Bare surname -> the one full name it may join in an article that gives evidence for it."""


ACROSS_ARTICLES = "; across articles: "

EVIDENCE_TYPES = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
"""Names specific enough that two articles sharing one are about the same story; places and
nationalities ("Nairobi", "Kenyan") are shared by most articles of a corpus and say nothing."""


class Neighbours(NamedTuple):
    """What the cross-article rules read about one name: the corpus' names around it."""

    full_names: frozenset[str]
    """The person-shaped person names that end with this name."""
    other_types: frozenset[str]
    """The types other than PERSON some mention gives this name."""
    expansions: frozenset[tuple[str, str]]
    """The (type, long name)s this name was written for as an acronym."""


def surname_of(label: str, name: str) -> str | None:
    """The last word of a person-shaped person name: what a bare surname is matched to."""
    return tokens(name)[-1] if label == "PERSON" and is_person_shaped(name) else None


def expands(form: NameForm) -> bool:
    """Whether a mention writes its name of two words or more as an acronym ("KRA")."""
    return form.text.isupper() and form.text != form.name and len(tokens(form.name)) >= 2


def resolve_name(label: str, name: str, neighbours: Neighbours) -> tuple[Target, str | None]:
    """The entity a (type, name) of the corpus is, and the one full name it may join in an article
    that gives evidence for it (None when it may join none)."""
    if label == "PERSON" and len(tokens(name)) == 1 and neighbours.full_names:
        full_names, other_types = sorted(neighbours.full_names), sorted(neighbours.other_types)
        pending = full_names[0] if len(full_names) == 1 and not other_types else None
        return (label, name, _kept_apart(name, full_names, other_types)), pending
    if name.isupper() and len(neighbours.expansions) == 1:
        long_label, long_name = next(iter(neighbours.expansions))
        if long_label == label:
            return (label, long_name, f"acronym of {long_name}, defined in another article"), None
    return (label, name, None), None


def resolve_corpus(mentions: Iterable[NameForm]) -> CorpusResolution:
    """The entity of each (type, name) in the corpus, and the bare surnames that need evidence.

    The same type and name are one entity everywhere. A one-word person name with no full name
    in its own article may be the one person-shaped full name in the corpus that ends with it,
    but only where its article says so (:func:`join_surnames`); when two full names end with it
    ("Moore" with Richard Moore and Demi Moore), or the corpus also gives the name another type
    ("Ford" as a company), it stays apart everywhere, because a wrong merge is worse than a
    missed one. An acronym on its own joins the one long form of its type some article defined
    it as ("BETA" = Bottom-Up Economic Transformation Agenda). Mentions of different types never
    merge.

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
        elif label != "PERSON":
            other_types[name].add(label)
    expansions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if expands(mention):
            expansions[mention.text].add((mention.label, mention.name))
    resolution = CorpusResolution()
    for label, name in sorted(keys):
        around = Neighbours(
            frozenset(by_surname.get(name, ())),
            frozenset(other_types.get(name, ())),
            frozenset(expansions.get(name, ())),
        )
        resolution.names[(label, name)], pending = resolve_name(label, name, around)
        if pending is not None:
            resolution.pending[name] = pending
    return resolution


def _kept_apart(name: str, full_names: Sequence[str], other_types: Sequence[str]) -> str:
    """Why a bare surname stays its own entity (unless its article gives evidence for a join)."""
    if other_types:
        return f"{name} is also typed {' and '.join(other_types)} in the corpus: kept apart"
    if len(full_names) > 1:
        shown = ", ".join(full_names[:3]) + (", ..." if len(full_names) > 3 else "")
        return f"surname shared by {len(full_names)} people in the corpus ({shown}): kept apart"
    return f"no evidence it is the {full_names[0]} of another article: kept apart"


def join_surnames(
    pending: Mapping[str, str], articles: Iterable[ArticleNames]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(article id, bare surname) -> (full name, reason) where the article gives evidence.

    Evidence is a specific name (a person, organisation, product...) the article shares with an
    article that names the person in full, or a role the surname carries there too ("Chairman
    Schiff" and "Chairman Adam Schiff"). Articles are read in id order, so the reason given is
    the same on every run.
    """
    articles = sorted(articles)
    naming: dict[str, list[ArticleNames]] = defaultdict(list)
    for article in articles:
        for label, name in article.names:
            if label == "PERSON":
                naming[name].append(article)
    joins: dict[tuple[str, str], tuple[str, str]] = {}
    for bare, full in sorted(pending.items()):
        for article in naming.get(bare, ()):
            reason = _evidence(bare, full, article, naming.get(full, ()))
            if reason:
                joins[(article.article_id, bare)] = (full, f"surname of {full}, {reason}")
    return joins


def _evidence(bare: str, full: str, article: ArticleNames, others: Sequence[ArticleNames]) -> str | None:
    """Why `bare` in `article` is the `full` of one of `others`, or None when nothing says so."""
    specific = {key for key in article.names if key[0] in EVIDENCE_TYPES and key[1] not in (bare, full)}
    roles = {role for name, role in article.roles if name == bare}
    for other in others:
        if other.article_id == article.article_id:
            continue
        shared = sorted(specific & other.names)
        if shared:
            return f"co-mentioned with {shared[0][1]} in an article naming {full}"
        same_roles = sorted(roles & {role for name, role in other.roles if name == full})
        if same_roles:
            return f"the same role ({same_roles[0]}) as {full} in another article"
    return None
