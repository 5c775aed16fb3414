"""Whether a byline names a person: "By Jill Disis" does; "By subject", "By Staff", "By Vortex" do not.

Page text prints bylines beside menus that look like them ("By subject", "By topic"), agency and
desk credits ("By Staff", "By admin") and the site's own name. A byline's name is kept as the
article's author only when it reads as a person's name: capitalised words that nameparser reads
with a first name, none of them a desk's word, not all of them the site's words.
"""

from __future__ import annotations

import re
from collections.abc import Set

from nameparser import HumanName

ORGANISATION_WORDS = frozenset(
    {
        "admin", "administrator", "contributors", "desk", "editorial", "editors", "guest", "newsroom",
        "staff", "team", "webmaster",
    }
)  # fmt: skip
"""Words of a desk or a generic account: a byline made of them names no person. An agency ("By
Reuters", "By Associated Press") stays: the page names it as the author, as its HTML does."""
CONNECTORS = frozenset({"and", "&", "und", "y", "e", "et"})
_LIST_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:and|&|und|y|e|et)\s+")


def name_words(name: str) -> set[str]:
    """The name's words, case folded, without the "and" of a list or its punctuation."""
    words = {word.strip(".,’'").casefold() for word in name.split()}
    words.discard("")
    return words - CONNECTORS


def parses_as_person(name: str) -> bool:
    """nameparser reads the (first) name with a one-word first name: "The Impeachment Clock" and
    "Staff Writer" it does not (it reads "The Impeachment" as a first name, "Staff" as a title)."""
    first = _LIST_SEPARATOR.split(name.strip(), maxsplit=1)[0]
    parsed = HumanName(first)
    return bool(parsed.first) and " " not in parsed.first


def is_person_name(name: str, site_words: Set[str], not_names: Set[str] = frozenset()) -> bool:
    """Whether a byline's name is a person's.

    Args:
        name: the name as the byline prints it ("Ann Lee, Bo Tran and Cy Diaz").
        site_words: the words of the site's name (its <title> line's site part, outlet, URL host).
        not_names: further words no name is made of alone (section labels, menu words).
    """
    words = name_words(name)
    if not words or words & ORGANISATION_WORDS:
        return False
    if words <= set(site_words) | set(not_names):
        return False
    return parses_as_person(name)
