"""Where propagation finds an article's names again: `occurrences` against one regex alternation."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.rules.propagate import occurrences


def alternation(text: str, forms: list[str]) -> list[tuple[tuple[int, int], str]]:
    """The search as one regex: forms longest first, no word, full stop or hyphen before, no word or
    hyphen after."""
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    pattern = re.compile(rf"(?<![\w.-])(?:{'|'.join(map(re.escape, ordered))})(?![\w-])")
    return [((m.start(), m.end()), m.group()) for m in pattern.finditer(text)]


def test_the_longest_name_at_a_place_wins_and_bounds_are_whole_words() -> None:
    text = "William Ruto met Ruto's aide. Rutogo, ex-Ruto and Ruto_x are not him; Ruto is."
    found = occurrences(text, ["William Ruto", "Ruto"])
    assert found == [((0, 12), "William Ruto"), ((17, 21), "Ruto"), ((70, 74), "Ruto")]


def test_occurrences_of_one_form_may_not_overlap() -> None:
    assert occurrences("Aa Aa Aa", ["Aa Aa"]) == [((0, 5), "Aa Aa")]


WORDS = st.sampled_from(["Ruto", "William", "Ruto.", "-", "'s", "Kenya", "é", "_", "2", " ", ", ", "\n"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(WORDS, max_size=30).map("".join),
    st.lists(
        st.sampled_from(["Ruto", "William Ruto", "Kenya", "Ruto Ruto", "é Kenya", "Ruto.", "2"]),
        min_size=1,
        unique=True,
    ),
)
def test_occurrences_are_what_the_alternation_finds(text: str, forms: list[str]) -> None:
    assert occurrences(text, sorted(forms, key=lambda f: (-len(f), f))) == alternation(text, forms)
