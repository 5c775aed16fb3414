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
    """
    mentions = list(mentions)
    keys = {(mention.label, mention.name) for mention in mentions}
    by_surname: dict[str, set[str]] = defaultdict(set)
    other_types: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        if label == "PERSON" and is_person_shaped(name):
            by_surname[tokens(name)[-1]].add(name)
        elif label != "PERSON":
            other_types[name].add(label)
    expansions = _acronym_expansions(mentions)
    resolution = CorpusResolution()
    for label, name in sorted(keys):
        target: Target = (label, name, None)
        if label == "PERSON" and len(tokens(name)) == 1 and by_surname.get(name):
            target = (label, name, _kept_apart(name, sorted(by_surname[name]), sorted(other_types[name])))
            if len(by_surname[name]) == 1 and not other_types.get(name):
                resolution.pending[name] = next(iter(by_surname[name]))
        elif name.isupper() and len(expansions.get(name, ())) == 1:
            long_label, long_name = next(iter(expansions[name]))
            if long_label == label:
                target = (label, long_name, f"acronym of {long_name}, defined in another article")
        resolution.names[(label, name)] = target
    return resolution


def _acronym_expansions(mentions: Sequence[NameForm]) -> dict[str, set[tuple[str, str]]]:
    """Acronym as written -> the (type, long name)s some article wrote it for."""
    expansions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if mention.text.isupper() and mention.text != mention.name and len(tokens(mention.name)) >= 2:
            expansions[mention.text].add((mention.label, mention.name))
    return expansions


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
