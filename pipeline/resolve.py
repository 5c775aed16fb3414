"""Turn raw NER spans into clean, resolved mentions: within an article, then across articles.

Pure functions over plain data, so each rule is tested on small texts of its own. The order of the
rules matters and is the order of `resolve_article`: clean each span, link short names to the full
name in the same article, vote on types, then find the occurrences the model missed.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from pipeline.gazetteer import PACKAGE_SOURCES, GazetteerEntry
from pipeline.gazetteer import lookup as gazetteer_lookup
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
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
CALENDAR_DATE = re.compile(
    rf"(?i:{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH},?\s+\d{{4}})"
)
"""A date such as "Jun 22", "22 June 2024" or "January 2024": the model sometimes calls one a
person, most often the date at the end of a dateline ("WAJIR, Kenya, Jun 22")."""
ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Z]\.)+|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|Bros|St|Mt)\.)$")
ORG_HEADS = re.compile(
    r"\b(?:Service|Agency|Ministry|Commission|Council|Party|Authority|Office|Court|Courts|Bank|"
    r"Union|Association|Institute|University|Company|Corporation|Committee|Department|Board|"
    r"Assembly|Parliament|Senate|Forces|Police|Army|Fund|Foundation|Organisation|Organization|"
    r"Group|Bureau|Secretariat|Tribunal|Directorate|Network|Alliance|Movement|Front)$"
)

LAW_HEADS = re.compile(
    r"\b(?:Act|Bill|Agenda|Policy|Plan|Programme|Program|Strategy|Treaty|Accord|Agreement|Charter|"
    r"Constitution|Framework|Initiative|Protocol|Convention|Regulations|Code)$"
)
LAW_NOUNS = frozenset({"Bill", "Act"})
"""The head words of a law's name that the model, seeing a capital letter, takes for a person."""
CAPITALISED_RUN_BEFORE = re.compile(r"(?:[A-Z][\w-]*\s(?:(?:of|and|for|on)\s)?)+$")
YEAR_AFTER = re.compile(r",?\s\d{4}\b")
ROLE_WORDS = frozenset(
    word.casefold()
    for title in TITLES
    for word in title.replace("-", " ").split()
    if len(word) > 2 and word not in {"Mr.", "Mrs", "Mrs.", "Miss", "Dr.", "Hon.", "Sir", "Lord", "Dame"}
) | frozenset(
    [
        "chief",
        "head",
        "leader",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chair",
        "chairwoman",
        "member",
        "officer",
        "commander",
        "envoy",
        "representative",
        "advocate",
        "lawyer",
        "lecturer",
        "analyst",
        "clerk",
        "registrar",
        "controller",
        "manager",
        "founder",
        "co-founder",
        "deputy",
        "vice",
        "boss",
        "coach",
        "editor",
        "economist",
        "activist",
        "official",
        "secretary",
        "executive",
        "president",
        "minister",
        "governor",
        "senator",
        "ambassador",
        "commissioner",
        "director",
    ]
)
APPOSITIVE_ROLE = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?(?P<role>[A-Za-z][^,.;:()\[\]“”\"\n]{1,120}?)"
    r"(?=\s*(?:,|\.(?:\s|$)|;|:|\)|$)|\s+(?:who|which|said|says|told)\b)"
)
ROLE_PREPOSITION = re.compile(r"\s+(?:of|to|at|for|in|with|from|on|and)\s+")
KNOWN_AS = re.compile(
    r",?\s*\(?(?:(?:commonly|popularly|also|better|otherwise|locally|widely|simply)\s+)?"
    r"(?:known|referred\s+to|abbreviated)\s+as\s+(?:the\s+)?"
    r"(?P<alias>[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,5})"
)
ACRONYM_DEFINITION = re.compile(
    r"(?P<long>(?:[A-Z][\w’'-]*(?:\s+(?:of|and|for|the|on|in|to|de|du|des|la|&)\s+|\s+))*[A-Z][\w’'-]*)"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&.-]{1,11})\)"
)

CONFIDENCE = {
    "model": 0.8,
    "dateline": 0.9,
    "gazetteer": 0.9,
    "acronym definition": 0.9,
    "known as": 0.85,
    "alias in article": 0.85,
    "acronym in article": 0.85,
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
        if not any(character.isalpha() for character in text) or CALENDAR_DATE.fullmatch(text):
            continue
        if label == "PERSON" and role is None:
            role = title_before(field_text, piece_start)
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


def name_laws(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A span that ends in "Bill" or "Act" is a law named by the capitalised words before it.

    The small model reads "the Finance Bill" as a person "Bill": the span grows to "Finance Bill"
    (and a year after it, "Finance Act, 2023") and becomes a LAW. A lone "Bill" after "the" is no
    name at all; one without either ("Bill said") stays a person.
    """
    named = []
    for candidate in candidates:
        parts = tokens(candidate.name)
        if not parts or parts[-1] not in LAW_NOUNS:
            named.append(candidate)
            continue
        text = fields[candidate.field]
        window_start = max(0, candidate.start - 120)
        run = CAPITALISED_RUN_BEFORE.search(text, window_start, candidate.start)
        start = candidate.start
        if run:
            words = [
                word for word in re.finditer(r"\S+", run.group()) if word.group() not in {"The", "A", "An"}
            ]
            if words:
                start = run.start() + words[0].start()
        if start == candidate.start and len(parts) == 1:
            if text[max(0, start - 4) : start].casefold() == "the ":
                continue
            named.append(candidate)
            continue
        year = YEAR_AFTER.match(text, candidate.end)
        end = year.end() if year else candidate.end
        if (start, end, candidate.label) == (candidate.start, candidate.end, "LAW"):
            named.append(candidate)  # the model already named the law as written
            continue
        named.append(
            replace(
                candidate,
                start=start,
                end=end,
                text=text[start:end],
                name=" ".join(text[start:end].split()),
                label="LAW",
                role=None,
                resolution=f"law name: the {candidate.label} {candidate.text!r} ends in {parts[-1]!r}",
            )
        )
    return named


def drop_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the first of overlapping mentions in reading order, longer ones first."""
    kept: list[Candidate] = []
    ends: dict[str, int] = defaultdict(lambda: -1)
    for candidate in sorted(candidates, key=lambda c: (c.field, c.start, -c.end)):
        if candidate.start >= ends[candidate.field]:
            kept.append(candidate)
            ends[candidate.field] = candidate.end
    return kept


def merge_gazetteer(
    model_spans: Iterable[Candidate], gazetteer_spans: Iterable[Candidate]
) -> list[Candidate]:
    """Model spans plus the gazetteer's, the curated span winning where it is the longer one.

    A gazetteer match inside a longer model span ("Kenya" in "Kenya Foreign Policy") is dropped;
    one that contains or crosses a model span ("Mt. Kenya" over "Kenya") replaces it; one with the
    same boundaries adds nothing here (its type and name come from `apply_gazetteer`).
    """
    model = list(model_spans)
    curated = sorted(gazetteer_spans, key=lambda c: (c.field, c.start, c.end))
    kept_model = [
        span
        for span in model
        if not any(not (span.start <= g.start and g.end <= span.end) for g in _overlapping(curated, span))
    ]
    ordered_model = sorted(kept_model, key=lambda c: (c.field, c.start, c.end))
    kept_curated = [g for g in curated if not _overlapping(ordered_model, g)]
    return kept_model + kept_curated


def _overlapping(ordered: list[Candidate], span: Candidate) -> list[Candidate]:
    """Members of `ordered` (sorted by field, start) that overlap `span`."""
    index = bisect_right(ordered, (span.field, span.end), key=lambda c: (c.field, c.start))
    found = []
    for other in reversed(ordered[max(0, index - 8) : index]):
        if other.field == span.field and other.start < span.end and span.start < other.end:
            found.append(other)
    return found


def is_contextual(form: str, entry: GazetteerEntry) -> bool:
    """A one-word organisation form ("Cabinet", "Senate") means the national one only in its country."""
    return (
        entry.country_code is not None
        and entry.label in {"ORG", "FAC"}
        and len(form.split()) == 1
        and not form.isupper()
    )


def article_countries(candidates: Iterable[Candidate]) -> set[str]:
    """Countries an article names (directly or through a place the gazetteer knows)."""
    codes = set()
    for candidate in candidates:
        entry = gazetteer_lookup(candidate.name)
        if entry is not None and entry.label in {"GPE", "LOC"} and entry.country_code:
            codes.add(entry.country_code)
    return codes


def apply_gazetteer(candidates: list[Candidate]) -> list[Candidate]:
    """Names the gazetteer knows take its canonical name and type; the model's label is kept apart."""
    countries = article_countries(candidates)
    applied = []
    for candidate in candidates:
        entry = gazetteer_lookup(candidate.name)
        if entry is not None and is_contextual(candidate.name, entry) and entry.country_code not in countries:
            if candidate.origin == "gazetteer":
                continue
            entry = None
        if (
            entry is not None
            and entry.source in PACKAGE_SOURCES
            and candidate.label == "PERSON"
            and candidate.origin == "model"
        ):
            # A place list knows nothing of people: "Hamilton said" stays a person.
            entry = None
        if entry is not None and (entry.name, entry.label) != (candidate.name, candidate.label):
            reason = f"gazetteer ({entry.source})"
            if entry.label != candidate.label:
                reason += f": type {entry.label}, model said {candidate.label}"
            candidate = replace(
                candidate,
                name=entry.name,
                label=entry.label,
                role=candidate.role if entry.label == "PERSON" else None,
                resolution=reason,
            )
        applied.append(candidate)
    return applied


def _initials(words: Sequence[str]) -> str:
    return "".join(part[0] for word in words for part in word.split("-") if part and part[0].isupper())


def acronym_of(long_form: str, short: str) -> str | None:
    """The trailing words of `long_form` that `short` abbreviates, or None.

    The acronym's letters must appear in order among the capitals of those words, starting with
    the first, with at most one capital left over ("Bottom-Up Economic Transformation Agenda" for
    "BETA").
    """
    letters = "".join(character for character in short if character.isalpha()).upper()
    words = long_form.split()
    if len(letters) < 2:
        return None
    for size in range(len(words), 0, -1):
        tail = words[-size:]
        if not tail[0][0].isupper():
            continue
        initials = _initials(tail)
        if (
            initials
            and initials[0] == letters[0]
            and len(initials) - len(letters) <= 1
            and _is_subsequence(list(letters), list(initials))
        ):
            return " ".join(tail)
    return None


def _label_for_name(name: str, fallback: str | None) -> str:
    if LAW_HEADS.search(name):
        return "LAW"
    if fallback:
        return fallback
    return "ORG"


def define_acronyms(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """ "Long Name (ACR)": both are mentions of one entity, named by the long form.

    The long form is found also where the model missed it; a model span inside it gives way to
    the whole name.
    """
    result = list(candidates)
    for field, text in fields.items():
        for match in ACRONYM_DEFINITION.finditer(text):
            short = match.group("short")
            long_form = acronym_of(match.group("long"), short)
            if long_form is None:
                continue
            long_end = match.start("long") + len(match.group("long"))
            long_start = long_end - len(long_form)
            short_span = (match.start("short"), match.end("short"))
            covering = [c for c in result if c.field == field and c.start < long_end and long_start < c.end]
            if any(c.start < long_start or c.end > long_end for c in covering):
                continue
            existing = next((c for c in covering if (c.start, c.end) == (long_start, long_end)), None)
            model_label = existing.label if existing else next((c.label for c in covering), None)
            if existing is not None and (
                existing.origin == "gazetteer" or existing.resolution.startswith("gazetteer")
            ):
                name, label = existing.name, existing.label
            else:
                name, label = " ".join(long_form.split()), _label_for_name(long_form, model_label)
            result = [
                c
                for c in result
                if not (c.field == field and c.start < long_end and long_start < c.end)
                and not (c.field == field and c.start < short_span[1] and short_span[0] < c.end)
            ]
            origin = existing.origin if existing else "acronym definition"
            result.append(
                Candidate(
                    field,
                    long_start,
                    long_end,
                    text[long_start:long_end],
                    label,
                    existing.model_label if existing else None,
                    origin,
                    name=name,
                    resolution=f"long form of {short}" if existing is None else existing.resolution,
                )
            )
            result.append(
                Candidate(
                    field,
                    *short_span,
                    short,
                    label,
                    None,
                    "acronym definition",
                    name=name,
                    resolution=f"acronym defined in article: {short} = {long_form}",
                )
            )
    return sorted(result, key=lambda c: (c.field, c.start, c.end))


def link_known_as(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """ "X, commonly known as Y": Y is another name of X; the article's mentions of both become one.

    The entity is named by the gazetteer's name when either form is in it, else by X.
    """
    renames: dict[str, tuple[str, str, str]] = {}
    result = list(candidates)
    for candidate in candidates:
        if candidate.label == "PERSON" and len(tokens(candidate.name)) < 2:
            continue
        text = fields[candidate.field]
        match = KNOWN_AS.match(text, candidate.end)
        if not match:
            continue
        alias_start, alias_end = trim_span(text, match.start("alias"), match.end("alias"))
        alias_text = text[alias_start:alias_end]
        if not alias_text:
            continue
        existing = [
            c for c in result if c.field == candidate.field and c.start < alias_end and alias_start < c.end
        ]
        alias_name = " ".join(alias_text.split())
        alias_entry = gazetteer_lookup(alias_name)
        from_gazetteer = [c for c in existing if c.resolution.startswith("gazetteer")]
        if from_gazetteer:
            name, label = from_gazetteer[0].name, from_gazetteer[0].label
        elif alias_entry is not None:
            name, label = alias_entry.name, alias_entry.label
        else:
            name, label = candidate.name, candidate.label
        reason = f"alias in article: {candidate.text} known as {alias_text}"
        result = [c for c in result if c not in existing]
        result.append(
            Candidate(
                candidate.field,
                alias_start,
                alias_end,
                alias_text,
                label,
                existing[0].model_label if existing else None,
                "known as",
                name=name,
                resolution=reason,
            )
        )
        renames[candidate.name] = (name, label, reason)
        renames[alias_name] = (name, label, reason)
    renamed = []
    for candidate in result:
        if candidate.name in renames and candidate.origin != "known as":
            name, label, reason = renames[candidate.name]
            if (name, label) != (candidate.name, candidate.label):
                candidate = replace(candidate, name=name, label=label, resolution=reason, role=None)
        renamed.append(candidate)
    return sorted(renamed, key=lambda c: (c.field, c.start, c.end))


def drop_common_words(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """A one-word "person" the article also writes in lower case ("Missions" / "missions") is a noun."""
    lowered = {field: set(re.findall(r"\b[a-z][\w-]*\b", text)) for field, text in fields.items()}
    words = set().union(*lowered.values()) if lowered else set()
    return [
        c
        for c in candidates
        if not (
            c.label == "PERSON"
            and c.origin == "model"
            and len(tokens(c.name)) == 1
            and c.name.casefold() in words
            and c.name[0].isupper()
        )
    ]


def appositive_role(text: str, end: int) -> str | None:
    """The role in ", the British High Commissioner to Kenya," right after a name, if there is one."""
    match = APPOSITIVE_ROLE.match(text, end)
    if not match:
        return None
    role = " ".join(match.group("role").split())
    head = ROLE_PREPOSITION.split(role, maxsplit=1)[0].split()
    if not head or head[-1].casefold().strip("’'") not in ROLE_WORDS or len(role.split()) > 12:
        return None
    return role


def add_appositive_roles(fields: Mapping[str, str], candidates: list[Candidate]) -> list[Candidate]:
    """Persons without a title before the name take the role written after it."""
    with_roles = []
    for candidate in candidates:
        if candidate.label == "PERSON" and candidate.role is None:
            role = appositive_role(fields[candidate.field], candidate.end)
            if role:
                candidate = replace(candidate, role=role)
        with_roles.append(candidate)
    return with_roles


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
                if any(character.isalpha() for character in name_parts[-1]):
                    forms.setdefault(name_parts[-1], (candidate.name, "PERSON", "surname in article"))
        elif len(name_parts) >= 2 or label_counts[(candidate.text, candidate.label)] >= 2:
            forms.setdefault(candidate.text, (candidate.name, candidate.label, "alias in article"))
    owners: dict[str, set[str]] = defaultdict(set)
    for candidate in candidates:
        if candidate.label == "PERSON" and len(tokens(candidate.name)) >= 2:
            owners[tokens(candidate.name)[-1]].add(candidate.name)
    surnames = Counter({surname: len(names) for surname, names in owners.items()})
    added = list(candidates)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for candidate in candidates:
        taken[candidate.field].append((candidate.start, candidate.end))
    searchable = sorted(
        (form for form in forms if surnames[form] <= 1 and len(form) >= 2), key=lambda f: (-len(f), f)
    )
    if not searchable:
        return added
    # One pass per column: longer forms first, so "William Ruto" wins over "Ruto" at one position.
    pattern = re.compile(rf"(?<![\w.-])(?:{'|'.join(map(re.escape, searchable))})(?![\w-])")
    for field, text in fields.items():
        spans = sorted(taken[field])
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            index = bisect_right(spans, (span[1], span[1]))
            if any(s < span[1] and span[0] < e for s, e in spans[max(0, index - 3) : index]) or any(
                s < span[1] and span[0] < e for s, e in spans if e - s > 60
            ):
                continue
            insort(spans, span)
            name, label, origin = forms[match.group()]
            added.append(
                Candidate(
                    field=field,
                    start=span[0],
                    end=span[1],
                    text=match.group(),
                    label=label,
                    model_label=None,
                    origin=origin,
                    name=name,
                    role=title_before(text, span[0]) if label == "PERSON" else None,
                    resolution=origin,
                )
            )
    return added


def title_before(text: str, start: int) -> str | None:
    """The title written right before a name ("former Deputy President "), if any."""
    preceding = PRECEDING_TITLE.search(text, max(0, start - 60), start)
    if preceding and preceding.end() == start:
        return preceding.group("role")
    return None


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
    fields: Mapping[str, str],
    model_spans: Iterable[Candidate],
    known_names: Iterable[str] = (),
    gazetteer_spans: Iterable[Candidate] = (),
) -> list[Candidate]:
    """All the rules, in order, for one article; returns mentions sorted by column and offset.

    Args:
        fields: the article's columns by name.
        model_spans: what the model (or a rule such as the dateline) found, uncleaned.
        known_names: names the article's metadata gives, such as the dateline's place.
        gazetteer_spans: matches of the curated gazetteer (origin "gazetteer").
    """
    spans = merge_gazetteer(model_spans, gazetteer_spans)
    cleaned = [piece for span in spans for piece in clean_candidate(fields[span.field], span)]
    cased = unify_case(drop_overlaps(drop_common_words(fields, name_laws(fields, cleaned))), known_names)
    named = link_known_as(fields, define_acronyms(fields, apply_gazetteer(cased)))
    resolved = propagate_names(fields, vote_types(link_short_names(named)))
    return sorted(add_appositive_roles(fields, resolved), key=lambda c: (c.field, c.start, c.end))


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
    text: str = ""
    resolution: str = ""


class NameForm(NamedTuple):
    """One distinct way the corpus writes a name: all cross-article resolution looks at."""

    label: str
    name: str
    text: str


ACROSS_ARTICLES = "; across articles: "


def in_article_resolution(resolution: str) -> str:
    """The part of a mention's resolution that its own article decided."""
    return resolution.split(ACROSS_ARTICLES)[0]


def resolve_corpus(
    mentions: Iterable[CorpusMention | NameForm],
) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """Map each (type, name) in the corpus to the (type, canonical name, reason) of its entity.

    The same type and name are one entity everywhere (no reason needed). A one-word person name
    with no full name in its own article joins the one full name in the corpus that ends with it;
    when two full names end with it ("Moore" with Richard Moore and Demi Moore) it stays on its
    own, because a wrong merge is worse than a missed one. An acronym on its own joins the one
    long form some article defined it as ("BETA" = Bottom-Up Economic Transformation Agenda).
    """
    mentions = list(mentions)
    keys = {(mention.label, mention.name) for mention in mentions}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for label, name in keys:
        parts = tokens(name)
        if label == "PERSON" and len(parts) >= 2:
            by_surname[parts[-1]].add(name)
    expansions: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention in mentions:
        if mention.text.isupper() and mention.text != mention.name and len(tokens(mention.name)) >= 2:
            expansions[mention.text].add((mention.label, mention.name))
    mapping: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for label, name in keys:
        target: tuple[str, str, str | None] = (label, name, None)
        if label == "PERSON" and len(tokens(name)) == 1 and len(by_surname.get(name, ())) == 1:
            full = next(iter(by_surname[name]))
            target = ("PERSON", full, f"surname of the one {full} in the corpus")
        elif name.isupper() and len(expansions.get(name, ())) == 1:
            long_label, long_name = next(iter(expansions[name]))
            target = (long_label, long_name, f"acronym of {long_name}, defined in another article")
        mapping[(label, name)] = target
    return mapping
