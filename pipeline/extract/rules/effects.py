"""What each rule does to gold documents: its changes judged right or wrong, and the scores after it.

A change is judged by the gold's exact spans (start, end and type), by its net effect:

* added: right when the new mention is a gold span, wrong otherwise;
* removed: wrong when the mention was a gold span, right otherwise;
* retyped, re-bounded: right when it gains a gold span or loses a wrong one, wrong when it
  loses a gold span or gains a wrong one, neither when it does both or neither;
* merged (a new name: the mention joins another entity) and role (a new role): the span gold
  says nothing about entities or roles, so these are counted, not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.extract.candidate import Candidate
from pipeline.extract.rules import RULES, ArticleText, Rule, RuleChange, diff
from pipeline.sources.base import to_raw_offset

KINDS = ("added", "removed", "retyped", "re-bounded", "merged", "role")

GoldKey = tuple[int, int, str]


@dataclass
class Tally:
    """Counts of one kind of change: all of them, and those the gold says are right or wrong."""

    total: int = 0
    right: int = 0
    wrong: int = 0


@dataclass
class RuleEffect:
    """One rule's changes by kind, and the exact-match counts of the mentions after it ran."""

    rule: str
    kinds: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def right(self) -> int:
        return sum(tally.right for tally in self.kinds.values())

    @property
    def wrong(self) -> int:
        return sum(tally.wrong for tally in self.kinds.values())


@dataclass
class RuleEffects:
    """The scores of the spans before any rule, then each rule's effect, in the rules' order."""

    before: RuleEffect
    rules: list[RuleEffect]


Run = tuple[Mapping[str, Sequence[Sequence[int]]], ArticleText, list[Candidate], Sequence[Any]]
"""One document: its offset map, its text for the rules, its first candidates, its gold spans."""


def _gold_key(offsets: Mapping[str, Sequence[Sequence[int]]], candidate: Candidate | None) -> GoldKey | None:
    if candidate is None:
        return None
    raw = to_raw_offset(offsets.get(candidate.field, []), candidate.start, candidate.end)
    return None if raw is None else (raw[0], raw[1], candidate.label)


def judge(
    change: RuleChange, gold: set[GoldKey], keys: tuple[set[GoldKey], set[GoldKey]], offsets: Any
) -> int:
    """+1 when the gold says the change is right, -1 when wrong, 0 when it cannot say.

    The verdict is the change's net effect on the exact matches: a gold span gained or a wrong
    one lost counts for it, a gold span lost or a wrong one gained against it. `keys` are the
    exact spans of all mentions before and after the rule, so a change that only drops or adds
    a duplicate changes nothing and is judged neither way.
    """
    if change.kind in {"merged", "role"}:
        return 0
    before_keys, after_keys = keys
    was, now = _gold_key(offsets, change.before), _gold_key(offsets, change.after)
    net = 0
    if now is not None and now not in before_keys:
        net += 1 if now in gold else -1
    if was is not None and was not in after_keys:
        net += -1 if was in gold else 1
    return (net > 0) - (net < 0)


def _keys(found: Iterable[Candidate], offsets: Any) -> set[GoldKey]:
    return {key for candidate in found if (key := _gold_key(offsets, candidate)) is not None}


def _count(effect: RuleEffect, keys: set[GoldKey], gold: set[GoldKey]) -> None:
    effect.tp += len(keys & gold)
    effect.fp += len(keys - gold)
    effect.fn += len(gold - keys)


def measure_rules(runs: Iterable[Run], rules: tuple[Rule, ...] = RULES) -> RuleEffects:
    """Every rule in order over every document, each change judged, the scores taken after each."""
    before = RuleEffect("(model and gazetteer spans)")
    effects = [RuleEffect(rule.name) for rule in rules]
    for offsets, text, candidates, gold_spans in runs:
        gold = {(span.start, span.end, span.label) for span in gold_spans}
        current = list(candidates)
        current_keys = _keys(current, offsets)
        _count(before, current_keys, gold)
        for rule, effect in zip(rules, effects, strict=True):
            changed = rule.apply(text, current)
            changed_keys = _keys(changed, offsets)
            for change in diff(rule.name, current, changed):
                tally = effect.kinds[change.kind]
                verdict = judge(change, gold, (current_keys, changed_keys), offsets)
                tally.total += 1
                tally.right += verdict > 0
                tally.wrong += verdict < 0
            current, current_keys = changed, changed_keys
            _count(effect, current_keys, gold)
    return RuleEffects(before, effects)


def _f1(effect: RuleEffect) -> tuple[float, float, float]:
    precision = effect.tp / (effect.tp + effect.fp) if effect.tp + effect.fp else 0.0
    recall = effect.tp / (effect.tp + effect.fn) if effect.tp + effect.fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _cell(tally: Tally) -> str:
    return f"{tally.total} ({tally.right}/{tally.wrong})" if tally.total else "0"


def format_effects(effects: RuleEffects) -> str:
    """A Markdown table: per rule, its changes by kind as `n (right/wrong)`, and P/R/F1 after it."""
    header = ["rule", *KINDS, "right", "wrong", "P", "R", "F1", "ΔF1"]
    rows = [header, ["---"] + ["---:"] * (len(header) - 1)]
    previous = _f1(effects.before)[2]
    first = [f"{value:.3f}" for value in _f1(effects.before)]
    rows.append([effects.before.rule, *[""] * (len(KINDS) + 2), *first, ""])
    for effect in effects.rules:
        precision, recall, f1 = _f1(effect)
        cells = [_cell(effect.kinds[kind]) for kind in KINDS]
        scores = [f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", f"{f1 - previous:+.3f}"]
        rows.append([effect.rule, *cells, str(effect.right), str(effect.wrong), *scores])
        previous = f1
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def effects_as_dict(effects: RuleEffects) -> dict[str, Any]:
    """Plain data for JSON: the scores before any rule, then per rule its changes and scores."""

    def one(effect: RuleEffect) -> dict[str, Any]:
        precision, recall, f1 = _f1(effect)
        kinds = {kind: vars(tally) for kind, tally in effect.kinds.items()}
        return {"rule": effect.rule, "changes": kinds, "precision": precision, "recall": recall, "f1": f1}

    return {"before": one(effects.before), "rules": [one(effect) for effect in effects.rules]}
