"""Every rule, and every pattern that reads input, runs in linear time on hostile text.

Two checks. Structurally, no pattern in pipeline/extract nests an unbounded repeat inside
another repeat (the shape that backtracks: the acronym pattern's nested `(?:[A-Z]\\w*\\s+)*`
took 150 s on one 98,000-character line of hex). Behaviourally, each rule and the quotation
finder get pathological lines of about 100,000 characters, generated here, with candidate spans
on every word; a hang guard fails the test if one does not finish in HANG_SECONDS, far above
the second or so a linear pass takes and far below the minutes the quadratic code took. This
is a guard against hangs, not a speed target (those are benchmarks, tests/benchmarks).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import random
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

import pipeline.extract
import pipeline.extract.rules
from pipeline.extract.candidate import Candidate
from pipeline.extract.ner import MAX_TOKEN_CHARS, mask_long_runs
from pipeline.extract.quotes import find_quotes
from pipeline.extract.rules import RULES, ArticleText, Rule

try:  # Python 3.11 keeps the regex parser here; older ones in sre_parse
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SIZE = 100_000
HANG_SECONDS = 30
REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}


def _patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    for package in (pipeline.extract, pipeline.extract.rules):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    yield f"{module.__name__}.{name}", value


def _children(op: object, argument: object) -> list[object]:
    """The sub-patterns of one parsed regex node (groups, alternatives, lookarounds)."""
    if op == sre_constants.SUBPATTERN:
        return [argument[-1]]  # type: ignore[index]
    if op == sre_constants.BRANCH:
        return list(argument[1])  # type: ignore[index]
    if op in {sre_constants.ASSERT, sre_constants.ASSERT_NOT}:
        return [argument[1]]  # type: ignore[index]
    return []


def _nested_unbounded(items: object, inside: bool) -> bool:
    for op, argument in items:  # type: ignore[attr-defined]
        if op in REPEATS:
            _low, high, sub = argument
            unbounded = high == sre_constants.MAXREPEAT
            if (unbounded and inside) or _nested_unbounded(sub, inside or unbounded):
                return True
        elif any(_nested_unbounded(child, inside) for child in _children(op, argument)):
            return True
    return False


PATTERNS = dict(_patterns())


def test_patterns_are_found() -> None:
    assert "pipeline.extract.rules.acronyms.LONG_FORM" in PATTERNS
    assert len(PATTERNS) > 15


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_unbounded_repeat_inside_a_repeat(name: str) -> None:
    pattern = PATTERNS[name]
    assert not _nested_unbounded(sre_parse.parse(pattern.pattern, pattern.flags), False), (
        f"{name} nests an unbounded repeat in a repeat: it can backtrack for time quadratic or worse"
    )


def test_the_old_acronym_pattern_is_caught() -> None:
    old = r"(?P<long>(?:[A-Z][\w’'-]*(?:\s+(?:of|and)\s+|\s+))*[A-Z][\w’'-]*)\s*\((?P<short>[A-Z]{2,12})\)"
    assert _nested_unbounded(sre_parse.parse(old), False)


def _hex(rng: random.Random) -> str:
    return "Checksum: " + "".join(rng.choice("0123456789ABCDEF") for _ in range(SIZE - 10))


def _words(rng: random.Random, vocabulary: list[str]) -> str:
    words: list[str] = []
    length = 0
    while length < SIZE:
        words.append(rng.choice(vocabulary))
        length += len(words[-1]) + 1
    return " ".join(words)


def hostile_lines() -> dict[str, str]:
    rng = random.Random(0)
    return {
        "hex run": _hex(rng),
        "capitalised words": _words(rng, ["Alpha", "Beta", "Gamma", "Of", "and", "The", "Delta-Echo"]),
        "acronym bait": _words(rng, ["Aa", "Bb", "(AB)", "(ABC)", "Cc", "of"]),
        "initials": "A." * (SIZE // 2),
        "open brackets": "(" * SIZE,
        "nested brackets": "([{" * (SIZE // 6) + "}])" * (SIZE // 6),
        "apostrophes": _words(rng, ["Anyang'", "Nyong'o", "O’Neil’s", "’s", "'"]),
        "quotations": _words(rng, ["“a", "b", "c", "d”", "said", "Ruto", '"', "told"]),
        "titles": _words(rng, ["Mr", "Dr.", "former", "President", "Deputy", "Governor", "Ann"]),
        "known as": _words(rng, ["Xa,", "known", "as", "Yb", "commonly"]),
        "laws": _words(rng, ["Finance", "Bill", "Act", "of", "the", "Water", "2023"]),
        "one author": "Jane " * (SIZE // 5),
        "distinct names": " ".join(f"Ann{i} Bo{i}" for i in range(SIZE // 14)),
    }


@functools.cache
def word_candidates(text: str) -> list[Candidate]:
    """A candidate on every word, one on each third pair of them, and one on the whole line."""
    labels = ("PERSON", "ORG", "GPE", "LAW")
    spans = [(0, len(text), "PERSON")]
    words = list(re.finditer(r"\S+", text))[:20_000]
    for index, word in enumerate(words):
        spans.append((word.start(), word.end(), labels[index % len(labels)]))
        if index % 3 == 0 and index + 1 < len(words):
            spans.append((word.start(), words[index + 1].end(), "PERSON"))
    return [
        Candidate("body", s, e, text[s:e], label, label, "model", name=" ".join(text[s:e].split()))
        for s, e, label in spans
    ]


@contextmanager
def hang_guard(what: str) -> Iterator[None]:
    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"{what} did not finish in {HANG_SECONDS} s: not linear")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


LINES = hostile_lines()


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
@pytest.mark.parametrize("kind", sorted(LINES))
def test_rule_on_hostile_line(rule: Rule, kind: str) -> None:
    text = LINES[kind]
    article = ArticleText({"body": text, "author": text[:SIZE]})
    candidates = list(word_candidates(text))
    with hang_guard(f"{rule.name} on {kind}"):
        result = rule.apply(article, candidates)
    for candidate in result:
        assert text[candidate.start : candidate.end] == candidate.text


@pytest.mark.parametrize("kind", sorted(LINES))
def test_quotes_on_hostile_line(kind: str) -> None:
    text = LINES[kind]
    with hang_guard(f"quotations on {kind}"):
        quotes = find_quotes("body", text, word_candidates(text))
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text


def test_long_runs_are_masked_for_the_model_offsets_kept() -> None:
    text = "Ruto said " + "(" * 5000 + " in Nairobi " + "x" * MAX_TOKEN_CHARS + " end"
    masked = mask_long_runs(text)
    assert len(masked) == len(text)
    assert masked.startswith("Ruto said ") and " in Nairobi " in masked
    assert "(" not in masked and "x" * MAX_TOKEN_CHARS not in masked
    assert mask_long_runs("a" * (MAX_TOKEN_CHARS - 1)) == "a" * (MAX_TOKEN_CHARS - 1)
