"""Turn raw NER spans into clean, resolved mentions: within an article, then across articles.

Pure functions over plain data, so each rule is tested on small texts of its own. The order of the
rules matters and is the order of `resolve_article`: clean each span, link short names to the full
name in the same article, vote on types, then find the occurrences the model missed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.ingest import stable_id

MODIFIERS = r"(?:(?:the\s+)?(?:[Ff]ormer|[Ll]ate|[Aa]cting|[Oo]utgoing|[Ii]ncoming|[Ii]nterim|[Ee]x-)\s*)"
TITLES = sorted(
    {
        "Deputy President",
        "President",
        "Vice President",
        "Vice-President",
        "Prime Minister",
        "Deputy Prime Minister",
        "Cabinet Secretary",
        "Principal Secretary",
        "Chief Justice",
        "Deputy Chief Justice",
        "Attorney General",
        "Attorney-General",
        "Solicitor General",
        "Inspector General",
        "Inspector-General",
        "Auditor General",
        "Auditor-General",
        "Speaker",
        "Majority Leader",
        "Minority Leader",
        "Governor",
        "Deputy Governor",
        "Senator",
        "Sen.",
        "MP",
        "MCA",
        "Hon.",
        "Honourable",
        "Dr.",
        "Dr",
        "Mr.",
        "Mr",
        "Mrs.",
        "Mrs",
        "Ms.",
        "Ms",
        "Miss",
        "Prof.",
        "Prof",
        "Professor",
        "Rev.",
        "Reverend",
        "Gen.",
        "General",
        "Lt. Gen.",
        "Maj. Gen.",
        "Major General",
        "Lieutenant General",
        "Brigadier",
        "Col.",
        "Colonel",
        "Capt.",
        "Captain",
        "Judge",
        "Justice",
        "Lady Justice",
        "Chief Magistrate",
        "Magistrate",
        "Minister",
        "Foreign Minister",
        "Finance Minister",
        "Defence Minister",
        "Interior Minister",
        "Ambassador",
        "High Commissioner",
        "Commissioner",
        "Chairman",
        "Chairperson",
        "Secretary-General",
        "Secretary General",
        "Director-General",
        "Director General",
        "Director",
        "CEO",
        "Chief Executive",
        "Managing Director",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "Cardinal",
        "Archbishop",
        "Bishop",
        "Sheikh",
        "Imam",
        "Pastor",
        "Sir",
        "Dame",
        "Lord",
        "Mayor",
        "Chancellor",
        "Sultan",
        "Emir",
        "CS",
        "PS",
        "DP",
        "Detective",
        "Inspector",
        "Sergeant",
        "Sgt.",
        "Corporal",
        "Spokesperson",
        "Senior Counsel",
    },
    key=len,
    reverse=True,
)
_TITLE_ALTERNATION = "|".join(re.escape(title) for title in TITLES)
LEADING_TITLE = re.compile(rf"^(?P<role>{MODIFIERS}?(?:{_TITLE_ALTERNATION}))(?:\s+|(?<=\.))(?=[A-Z])")
PRECEDING_TITLE = re.compile(rf"(?P<role>{MODIFIERS}?(?:{_TITLE_ALTERNATION}))\s+$")
LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
POSSESSIVE_INSIDE = re.compile(r"[’']s?\s+")
TRAILING_POSSESSIVE = re.compile(r"(?:[’']s|(?<=s)[’'])$")
EDGE_PUNCTUATION = "\"“”‘’'()[]{},;:!?*•–—-"
ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|Bros|St|Mt)\.)$")
ORG_HEADS = re.compile(
    r"\b(?:Service|Agency|Ministry|Commission|Council|Party|Authority|Office|Court|Courts|Bank|"
    r"Union|Association|Institute|University|Company|Corporation|Committee|Department|Board|"
    r"Assembly|Parliament|Senate|Forces|Police|Army|Fund|Foundation|Organisation|Organization|"
    r"Group|Bureau|Secretariat|Tribunal|Directorate|Network|Alliance|Movement|Front)$"
)

CONFIDENCE = {
    "model": 0.8,
    "dateline": 0.9,
    "alias in article": 0.85,
    "surname in article": 0.8,
}


@dataclass(frozen=True)
class Candidate:
    """A mention on its way to the database: where it is, what it is and how we know."""

    field: str
    start: int
    end: int
    text: str
    label: str
    model_label: str | None
    origin: str
    name: str = ""
    role: str | None = None
    resolution: str = "exact"

    @property
    def confidence(self) -> float:
        return CONFIDENCE.get(self.origin, 0.7)


def tokens(name: str) -> list[str]:
    return name.split()


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading "the", edge punctuation, spaces and a trailing possessive."""
    changed = True
    while changed and start < end:
        changed = False
        span = text[start:end]
        article = LEADING_ARTICLE.match(span)
        if article:
            start += article.end()
            changed = True
            continue
        possessive = TRAILING_POSSESSIVE.search(span)
        if possessive and possessive.start() > 0:
            end = start + possessive.start()
            changed = True
            continue
        if span[0] in EDGE_PUNCTUATION or span[0].isspace():
            start += 1
            changed = True
        elif span[-1] in EDGE_PUNCTUATION or span[-1].isspace() or _loose_full_stop(span):
            end -= 1
            changed = True
    return start, end


def _loose_full_stop(span: str) -> bool:
    """A full stop that ends a sentence, not an abbreviation such as "U.S." or "Ltd."."""
    return span.endswith(".") and not ABBREVIATION_END.search(span)


def clean_candidate(field_text: str, candidate: Candidate) -> list[Candidate]:
    """A model span made into zero, one or two clean mentions.

    Titles move into `role`; a possessive inside a span ends a person's name ("Ruto’s Cabinet")
    and splits an organisation from its owner ("the United Kingdom’s Foreign Intelligence Service").
    """
    start, end = trim_span(field_text, candidate.start, candidate.end)
    role = candidate.role
    title = LEADING_TITLE.match(field_text[start:end])
    if title and candidate.label == "PERSON":
        role = title.group("role")
        start, end = trim_span(field_text, start + title.end(), end)
    pieces: list[tuple[int, int, str]] = [(start, end, candidate.label)]
    inside = POSSESSIVE_INSIDE.search(field_text, start, end)
    if inside:
        left = (start, inside.start(), candidate.label)
        right_start, right_end = trim_span(field_text, inside.end(), end)
        right_text = field_text[right_start:right_end]
        pieces = [left]
        if candidate.label != "PERSON" and ORG_HEADS.search(right_text):
            pieces = [(start, inside.start(), "GPE" if candidate.label == "GPE" else candidate.label)]
            pieces.append((right_start, right_end, "ORG"))
    cleaned = []
    for piece_start, piece_end, label in pieces:
        piece_start, piece_end = trim_span(field_text, piece_start, piece_end)
        text = field_text[piece_start:piece_end]
        if not any(character.isalpha() for character in text):
            continue
        if label == "PERSON" and role is None:
            preceding = PRECEDING_TITLE.search(field_text, 0, piece_start)
            if preceding and preceding.end() == piece_start:
                role = preceding.group("role")
        cleaned.append(
            replace(
                candidate,
                start=piece_start,
                end=piece_end,
                text=text,
                name=" ".join(text.split()),
                label=label,
                role=role if label == "PERSON" else None,
            )
        )
    return cleaned


def drop_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the first of overlapping mentions in reading order, longer ones first."""
    kept: list[Candidate] = []
    ends: dict[str, int] = defaultdict(lambda: -1)
    for candidate in sorted(candidates, key=lambda c: (c.field, c.start, -c.end)):
        if candidate.start >= ends[candidate.field]:
            kept.append(candidate)
            ends[candidate.field] = candidate.end
    return kept


def link_short_names(candidates: list[Candidate]) -> list[Candidate]:
    """Attach a surname (or other part of a name) to the one full name in the article it belongs to.

    "Ruto" becomes William Ruto when the article names William Ruto and no other Ruto; a part
    that fits two full names stays as it is. A part the model typed as a place or organisation
    ("Gachagua" as GPE) is a person when it is the surname of a person in the same article.
    """
    full_names = sorted(
        {c.name for c in candidates if c.label == "PERSON" and len(tokens(c.name)) >= 2},
        key=lambda name: (-len(tokens(name)), name),
    )
    linked = []
    for candidate in candidates:
        parts = tokens(candidate.name)
        if candidate.name in full_names or len(parts) > 3:
            linked.append(candidate)
            continue
        surname_of = [
            full
            for full in full_names
            if full != candidate.name
            and tokens(full)[-1] == parts[-1]
            and _is_subsequence(parts, tokens(full))
        ]
        part_of = [
            full for full in full_names if full != candidate.name and _is_subsequence(parts, tokens(full))
        ]
        matches = surname_of or part_of
        if len(matches) != 1 or (candidate.label != "PERSON" and not surname_of):
            linked.append(candidate)
            continue
        full = matches[0]
        reason = "surname in article" if surname_of else "part of name in article"
        if candidate.label != "PERSON":
            reason = f"relabelled from {candidate.label}: surname of {full} in article"
        linked.append(
            replace(
                candidate,
                name=full,
                label="PERSON",
                resolution=reason,
                role=candidate.role if candidate.label == "PERSON" else None,
            )
        )
    return linked


def _is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    iterator = iter(whole)
    return all(token in iterator for token in part)


def vote_types(candidates: list[Candidate]) -> list[Candidate]:
    """One type per name in an article: the majority of what the model said, first seen on a tie."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for candidate in candidates:
        votes[candidate.name][candidate.label] += 1
    voted = []
    for candidate in candidates:
        counts = votes[candidate.name]
        winner, top = counts.most_common(1)[0]
        if winner != candidate.label and top > counts[candidate.label]:
            total = sum(counts.values())
            candidate = replace(
                candidate,
                label=winner,
                role=None if winner != "PERSON" else candidate.role,
                resolution=f"type by majority in article ({top} of {total} said {winner})",
            )
        voted.append(candidate)
    return voted


def propagate_names(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """Add the later (or earlier) occurrences of names the model found once but missed elsewhere.

    Only names that are safe to search for are propagated: full names, the surname of a full
    person name, and other names the model found at least twice or that have several words.
    """
    forms: dict[str, tuple[str, str, str]] = {}
    label_counts = Counter((c.text, c.label) for c in candidates if c.origin == "model")
    for candidate in candidates:
        name_parts = tokens(candidate.name)
        if candidate.label == "PERSON":
            if len(name_parts) >= 2:
                forms.setdefault(candidate.name, (candidate.name, "PERSON", "alias in article"))
                forms.setdefault(name_parts[-1], (candidate.name, "PERSON", "surname in article"))
        elif len(name_parts) >= 2 or label_counts[(candidate.text, candidate.label)] >= 2:
            forms.setdefault(candidate.text, (candidate.name, candidate.label, "alias in article"))
    surnames = Counter(form for form, (_n, label, origin) in forms.items() if origin == "surname in article")
    added = list(candidates)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for candidate in candidates:
        taken[candidate.field].append((candidate.start, candidate.end))
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        name, label, origin = forms[form]
        if surnames[form] > 1 or len(form) < 2:
            continue
        pattern = re.compile(rf"(?<![\w.-]){re.escape(form)}(?![\w-])")
        for field, text in fields.items():
            for match in pattern.finditer(text):
                span = (match.start(), match.end())
                if any(s < span[1] and span[0] < e for s, e in taken[field]):
                    continue
                taken[field].append(span)
                role = None
                if label == "PERSON":
                    preceding = PRECEDING_TITLE.search(text, 0, span[0])
                    if preceding and preceding.end() == span[0]:
                        role = preceding.group("role")
                added.append(
                    Candidate(
                        field=field,
                        start=span[0],
                        end=span[1],
                        text=form,
                        label=label,
                        model_label=None,
                        origin=origin,
                        name=name,
                        role=role,
                        resolution=origin,
                    )
                )
    return added


def unify_case(candidates: list[Candidate], known_names: Iterable[str] = ()) -> list[Candidate]:
    """An all-capitals name ("NAIROBI" in a dateline) takes the usual spelling seen in the article."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in known_names:
        spellings[name.casefold()][name] += 1
    for candidate in candidates:
        if not candidate.name.isupper():
            spellings[candidate.name.casefold()][candidate.name] += 1
    unified = []
    for candidate in candidates:
        usual = spellings.get(candidate.name.casefold())
        if candidate.name.isupper() and usual:
            candidate = replace(
                candidate, name=usual.most_common(1)[0][0], resolution="same name in capitals"
            )
        unified.append(candidate)
    return unified


def resolve_article(
    fields: Mapping[str, str], model_spans: Iterable[Candidate], known_names: Iterable[str] = ()
) -> list[Candidate]:
    """All the rules, in order, for one article; returns mentions sorted by column and offset.

    Args:
        fields: the article's columns by name.
        model_spans: what the model (or a rule such as the dateline) found, uncleaned.
        known_names: names the article's metadata gives, such as the dateline's place.
    """
    cleaned = [piece for span in model_spans for piece in clean_candidate(fields[span.field], span)]
    cased = unify_case(drop_overlaps(cleaned), known_names)
    resolved = propagate_names(fields, vote_types(link_short_names(cased)))
    return sorted(resolved, key=lambda c: (c.field, c.start, c.end))


def sentence_index(sentence_starts: Sequence[int], offset: int) -> int:
    """Index of the sentence that contains `offset`, given the sorted sentence start offsets."""
    return max(0, bisect_right(sentence_starts, offset) - 1)


def entity_id(label: str, name: str) -> str:
    """Stable id of the entity with this type and canonical name."""
    return stable_id("entity", label, name)


@dataclass(frozen=True)
class CorpusMention:
    """What cross-article resolution needs to know about one mention."""

    mention_id: str
    article_id: str
    label: str
    name: str


def resolve_corpus(mentions: Iterable[CorpusMention]) -> dict[tuple[str, str], tuple[str, str]]:
    """Map each (type, name) in the corpus to the (type, canonical name) of its entity.

    The same type and name are one entity everywhere. A one-word person name with no full name in
    its own article joins the one full name in the corpus that ends with it; when two full names
    end with it ("Moore" with Richard Moore and Demi Moore) it stays on its own, because a wrong
    merge is worse than a missed one.
    """
    keys = {(mention.label, mention.name) for mention in mentions}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        parts = tokens(name)
        if label == "PERSON" and len(parts) >= 2:
            by_surname[parts[-1]].add(name)
    mapping = {}
    for label, name in keys:
        target = (label, name)
        if label == "PERSON" and len(tokens(name)) == 1 and len(by_surname.get(name, ())) == 1:
            target = ("PERSON", next(iter(by_surname[name])))
        mapping[(label, name)] = target
    return mapping
