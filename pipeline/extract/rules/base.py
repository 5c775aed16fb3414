"""What a rule is: a named step from an article's candidate mentions to new candidates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from pipeline.extract.candidate import Candidate


@dataclass(frozen=True)
class ArticleText:
    """What the rules may read of an article: its columns and the names its metadata gives.

    Attributes:
        fields: the article's columns that mentions point into, by name.
        known_names: names the article's metadata gives, such as the dateline's place.
    """

    fields: Mapping[str, str]
    known_names: tuple[str, ...] = ()


RuleFunction = Callable[[ArticleText, list[Candidate]], list[Candidate]]


@dataclass(frozen=True)
class Rule:
    """One step of extraction after the model, in the order of `RULES`.

    Attributes:
        module: the module that holds the rule's code.
        name: short name, used in docs/extraction.md and in `pipeline evaluate --by-rule`.
        summary: one sentence on what the rule does, for the documentation table.
        apply: candidates in, candidates out; a changed candidate says why in its `resolution`.
    """

    module: ModuleType
    name: str
    summary: str
    apply: RuleFunction = field(repr=False)


@dataclass(frozen=True)
class RuleChange:
    """What one rule did to one mention: added, removed, retyped, re-bounded or renamed it."""

    rule: str
    kind: str
    before: Candidate | None
    after: Candidate | None
