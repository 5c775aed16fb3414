"""Entity resolution by delta: what the articles changed since the last resolution add or remove.

The working tables (migration 0009) hold what resolution counted: each article's mentions grouped
by (type, name, text, role), each distinct name with its count and entity, the acronyms, which
articles mention which entity, and the (article, bare surname)s whose article gives evidence that
the surname is the one full name of another article that ends with it. An update subtracts the
changed articles' old groups, adds their new ones, re-resolves only the names whose neighbours
changed (a name that appeared or went, the bare surname of a full name, a person name another
type shares, the names an acronym's long forms changed for), decides again the joins of the bare
surnames it touched (in every article naming them), and moves the rows of the names and the
(article, surname)s whose entity changed. The entity, alias and role counts change by the same
deltas, so an update costs what it touched, and gives the rows a resolution from nothing gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, case, delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from pipeline.corpus.entities import (
    ACROSS_ARTICLES,
    ArticleNames,
    NameForm,
    Neighbours,
    expands,
    join_surnames,
    resolve_name,
    surname_of,
)
from pipeline.errors import PipelineError
from pipeline.extract.candidate import tokens
from pipeline.extract.gazetteer import lookup as gazetteer_lookup
from pipeline.extract.places import locate
from pipeline.ids import chunked, entity_id
from pipeline.schema.models import (
    Entity,
    EntityAlias,
    EntityRole,
    Mention,
    Quote,
    WorkArticleInput,
    WorkEntityArticle,
    WorkJoinedSurname,
    WorkResolvedAcronym,
    WorkResolvedArticle,
    WorkResolvedForm,
    WorkResolvedName,
)
from pipeline.schema.vocab import PLACE_TYPES
from pipeline.store.functions import text_position
from pipeline.store.upsert import insert_rows, upsert

ARTICLES_PER_STEP = 500
"""Changed articles read and counted at a time: memory stays flat however many changed."""
NAMES_PER_QUERY = 500

Name = tuple[str, str]
"""(type, name) of the corpus."""


class Form(NamedTuple):
    """One article's mentions of one (type, name, text, role), and how many there are."""

    article_id: str
    label: str
    name: str
    text: str
    role: str
    mentions: int


@dataclass(frozen=True)
class Resolved:
    """The entity a name resolved to, and why (empty reason: the name is its own entity)."""

    entity_id: str
    label: str
    name: str
    reason: str | None


WORKING_TABLES = (
    WorkEntityArticle,
    WorkJoinedSurname,
    WorkResolvedAcronym,
    WorkResolvedArticle,
    WorkResolvedForm,
    WorkResolvedName,
)
RESOLVED_TABLES = (EntityRole, EntityAlias, Entity)


def forget(connection: Connection) -> None:
    """Empty the working tables and the entities built from them: the next update starts from nothing.

    Before anything was resolved there is nothing to empty but the placeholders no mention points
    at: the mentions keep enrich's, as new articles' mentions do in any update, which re-points
    them all (setting every mention's entity to null first cost PostgreSQL a new version of each
    row, 0.7 s at 1,000 short articles, for the update to write each one again).
    """
    if not resolved_anything(connection):
        connection.execute(delete(Entity).where(~exists().where(Mention.entity_id == Entity.id)))
        return
    connection.execute(update(Mention).where(Mention.entity_id.is_not(None)).values(entity_id=None))
    for table in (*WORKING_TABLES, *RESOLVED_TABLES):
        connection.execute(delete(table))


def resolved_anything(connection: Connection) -> bool:
    """Whether any working or resolved row is there but enrich's placeholder entities (no mention counted)."""
    for table in (*WORKING_TABLES, EntityRole, EntityAlias):
        if connection.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
            return True
    counted = select(Entity.id).where(Entity.mention_count > 0).limit(1)
    return connection.execute(counted).first() is not None


def changed_articles(connection: Connection) -> list[str]:
    """Articles whose enrich input differs from the one resolution last counted, or that came or went."""
    inputs = WorkArticleInput
    now = {
        key: value for key, value in connection.execute(select(inputs.article_id, inputs.enrich_input_hash))
    }
    counted = WorkResolvedArticle
    then = {
        key: value for key, value in connection.execute(select(counted.article_id, counted.enrich_input_hash))
    }
    changed = {key for key, value in now.items() if key not in then or then[key] != value}
    changed.update(key for key in then if key not in now)
    return sorted(changed)


def counted_forms(connection: Connection, article_ids: Sequence[str]) -> list[Form]:
    """The groups resolution counted for these articles (last time, or just now)."""
    table = WorkResolvedForm
    rows = connection.execute(
        select(table.article_id, table.label, table.name, table.text, table.role, table.mention_count).where(
            table.article_id.in_(article_ids)
        )
    )
    return [Form(*row) for row in rows]


def current_forms(connection: Connection, article_ids: Sequence[str]) -> list[Form]:
    """The articles' mentions as they are now, grouped."""
    role = func.coalesce(Mention.role, "")
    rows = connection.execute(
        select(Mention.article_id, Mention.label, Mention.name, Mention.text, role, func.count())
        .where(Mention.article_id.in_(article_ids))
        .group_by(Mention.article_id, Mention.label, Mention.name, Mention.text, role)
    )
    return [Form(*row) for row in rows]


def record_forms(connection: Connection, article_ids: Sequence[str], forms: list[Form]) -> None:
    """Replace what resolution counted for these articles with `forms` and their enrich inputs."""
    connection.execute(delete(WorkResolvedForm).where(WorkResolvedForm.article_id.in_(article_ids)))
    connection.execute(delete(WorkResolvedArticle).where(WorkResolvedArticle.article_id.in_(article_ids)))
    insert_rows(connection, WorkResolvedForm, [form_row(form) for form in forms])
    inputs = connection.execute(
        select(WorkArticleInput.article_id, WorkArticleInput.enrich_input_hash).where(
            WorkArticleInput.article_id.in_(article_ids)
        )
    ).all()
    if inputs:
        connection.execute(
            insert(WorkResolvedArticle), [{"article_id": a, "enrich_input_hash": h} for a, h in inputs]
        )


def form_row(form: Form) -> dict[str, Any]:
    return {
        "article_id": form.article_id,
        "label": form.label,
        "name": form.name,
        "text": form.text,
        "role": form.role,
        "mention_count": form.mentions,
    }


def stored_names(connection: Connection, names: Iterable[Name]) -> dict[Name, tuple[Any, ...]]:
    """(label, name) -> (mention count, entity id, reason) of the names resolution knows."""
    wanted = set(names)
    found: dict[Name, tuple[Any, ...]] = {}
    table = WorkResolvedName
    for batch in chunked(sorted({name for _label, name in wanted}), NAMES_PER_QUERY):
        rows = connection.execute(
            select(table.label, table.name, table.mention_count, table.entity_id, table.reason).where(
                table.name.in_(batch)
            )
        )
        for label, name, count, key, reason in rows:
            if (label, name) in wanted:
                found[(label, name)] = (count, key, reason)
    return found


def entity_of(connection: Connection, names: Iterable[Name]) -> dict[Name, str]:
    """The entity each name resolved to (every name of a counted form has one)."""
    return {name: values[1] for name, values in stored_names(connection, names).items()}


Joins = dict[tuple[str, str], tuple[str, str]]
"""(article id, bare surname) -> (entity id, reason) of the person the surname joins in that article."""


@dataclass(frozen=True)
class Entities:
    """The entity each counted form is under: its name's, or, where its article gives evidence for
    a bare surname, the entity of the full name the surname joins there."""

    names: dict[Name, str]
    joins: Joins

    def of(self, form: Form) -> str:
        joined = self.joins.get((form.article_id, form.name)) if form.label == "PERSON" else None
        return joined[0] if joined else self.names[(form.label, form.name)]


def entities_of(connection: Connection, forms: Iterable[Form], joins: Joins) -> Entities:
    """The stored entity of each form's name, with `joins` over them."""
    return Entities(entity_of(connection, {(form.label, form.name) for form in forms}), joins)


@dataclass
class Tally:
    """Signed changes to the entities' counts, aliases, roles and article incidence."""

    mentions: Counter[str] = field(default_factory=Counter)
    aliases: Counter[tuple[str, str]] = field(default_factory=Counter)
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)
    incidence: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, forms: Iterable[Form], entities: Entities, sign: int) -> None:
        """Count `forms` (sign +1) or take them away (-1), each under the entity it maps to."""
        seen: set[tuple[str, str, str]] = set()
        for form in forms:
            key = entities.of(form)
            self.mentions[key] += sign * form.mentions
            if form.text:
                self.aliases[(key, form.text)] += sign * form.mentions
            if form.role:
                self.roles[(key, form.role)] += sign * form.mentions
            if (form.article_id, form.label, form.name) not in seen:
                seen.add((form.article_id, form.label, form.name))
                self.incidence[(form.article_id, key)] += sign


class NameChanges(NamedTuple):
    """What an update did to the corpus' set of names: the input of the neighbourhood."""

    appeared: set[Name]
    gone: set[Name]
    acronyms: set[str]
    """Acronyms whose set of long forms changed."""


def count_keys(
    connection: Connection,
    table: Any,
    columns: tuple[str, ...],
    deltas: Counter[Any],
    count: str = "mention_count",
) -> tuple[set[Any], set[Any]]:
    """Apply count changes to the rows of `table` keyed by `columns` (the first one indexed); a row
    is there while its count is above zero. Returns the keys that appeared and those that went.
    """
    keys = [table.__table__.c[column] for column in columns]
    count_column = table.__table__.c[count]
    stored: dict[Any, int] = {}
    for batch in chunked(sorted({key[0] for key in deltas}), NAMES_PER_QUERY):
        for *key, value in connection.execute(select(*keys, count_column).where(keys[0].in_(batch))):
            stored[tuple(key)] = value
    appeared: set[Any] = set()
    gone: set[Any] = set()
    counted: list[dict[str, Any]] = []
    for key, delta in sorted(deltas.items()):
        before = stored.get(key, 0)
        after = before + delta
        if after < 0:
            raise PipelineError(f"entity resolution's working tables are off: {count} of {key} is {after}")
        if after and not before:
            appeared.add(key)
        if before and not after:
            gone.add(key)
        elif delta:
            counted.append({**dict(zip(columns, key, strict=True)), count: after})
    if table is WorkResolvedName:
        counted = [{**row, "surname": surname_of(row["label"], row["name"])} for row in counted]
    upsert(connection, table, counted, columns)
    if gone:
        where = [column == bindparam(f"key_{column.name}") for column in keys]
        connection.execute(
            delete(table).where(*where),
            [{f"key_{c}": v for c, v in zip(columns, key, strict=True)} for key in sorted(gone)],
        )
    return appeared, gone


def count_names(
    forms: Iterable[Form], sign: int, names: Counter[Name], acronyms: Counter[tuple[str, str, str]]
) -> None:
    """Add (or take away) the forms' mentions to the counts per name (type first, as stored:
    name first) and per acronym."""
    for form in forms:
        names[(form.name, form.label)] += sign * form.mentions
        if expands(NameForm(form.label, form.name, form.text)):
            acronyms[(form.text, form.label, form.name)] += sign * form.mentions


def neighbourhood(connection: Connection, changes: NameChanges) -> set[Name]:
    """The names whose resolution may differ now: those that appeared, the bare surname of a full name
    that came or went, the person name a name of another type shares, and the names written as an
    acronym whose long forms changed. Only names still in the corpus."""
    wanted: set[Name] = set(changes.appeared)
    for label, name in changes.appeared | changes.gone:
        surname = surname_of(label, name)
        if surname is not None:
            wanted.add(("PERSON", surname))
        if label != "PERSON":
            wanted.add(("PERSON", name))
    strings = {name for _label, name in wanted} | changes.acronyms
    found: set[Name] = set()
    table = WorkResolvedName
    for batch in chunked(sorted(strings), NAMES_PER_QUERY):
        for label, name in connection.execute(select(table.label, table.name).where(table.name.in_(batch))):
            if (label, name) in wanted or name in changes.acronyms:
                found.add((label, name))
    return found


def neighbours(connection: Connection, names: set[Name]) -> dict[Name, Neighbours]:
    """What the cross-article rules read about each of `names`, from the stored names and acronyms."""
    persons = sorted({name for label, name in names if label == "PERSON"})
    capitals = sorted({name for _label, name in names if name.isupper()})
    full: dict[str, set[str]] = {}
    others: dict[str, set[str]] = {}
    expansions: dict[str, set[tuple[str, str]]] = {}
    table = WorkResolvedName
    for batch in chunked(persons, NAMES_PER_QUERY):
        query_full = select(table.name, table.surname).where(table.surname.in_(batch))
        for name, surname in connection.execute(query_full):
            full.setdefault(surname or "", set()).add(name)
        query = select(table.label, table.name).where(table.name.in_(batch), table.label != "PERSON")
        for label, name in connection.execute(query):
            others.setdefault(name, set()).add(label)
    acronym = WorkResolvedAcronym
    for batch in chunked(capitals, NAMES_PER_QUERY):
        query_long = select(acronym.acronym, acronym.label, acronym.name).where(acronym.acronym.in_(batch))
        for text, label, name in connection.execute(query_long):
            expansions.setdefault(text, set()).add((label, name))
    return {
        (label, name): Neighbours(
            frozenset(full.get(name, ())),
            frozenset(others.get(name, ())),
            frozenset(expansions.get(name, ())),
        )
        for label, name in names
    }


def reresolve(connection: Connection, names: set[Name]) -> tuple[dict[Name, Resolved], dict[Name, str]]:
    """Resolve `names` again and store what changed; returns the names whose entity or reason changed
    (with what they resolve to now) and, of those, the entity each had before."""
    stored = stored_names(connection, names)
    around = neighbours(connection, names)
    changed: dict[Name, Resolved] = {}
    previous: dict[Name, str] = {}
    for name in sorted(names):
        (label, canonical, reason), _pending = resolve_name(*name, around[name])
        resolved = Resolved(entity_id(label, canonical), label, canonical, reason)
        _count, before, before_reason = stored[name]
        if (before, before_reason) != (resolved.entity_id, reason):
            changed[name] = resolved
            if before is not None:
                previous[name] = before
    table = WorkResolvedName
    if changed:
        connection.execute(
            update(table)
            .where(table.label == bindparam("key_label"), table.name == bindparam("key_name"))
            .values(entity_id=bindparam("key_entity"), reason=bindparam("key_reason")),
            [
                {"key_label": n[0], "key_name": n[1], "key_entity": r.entity_id, "key_reason": r.reason}
                for n, r in sorted(changed.items())
            ],
        )
    return changed, previous


ENTITY_COLUMNS = (
    "id",
    "name",
    "type",
    "mention_count",
    "article_count",
    "country_code",
    "latitude",
    "longitude",
    "geonames_id",
    "coordinate_source",
)


PlaceColumns = tuple[str | None, float | None, float | None, int | None, str | None]


def place_columns(name: str, label: str) -> PlaceColumns:
    """Country, coordinates, GeoNames id and what the coordinates are, of a place entity; empty otherwise."""
    if label not in PLACE_TYPES:
        return (None, None, None, None, None)
    entry = gazetteer_lookup(name)
    place = locate(name, entry.country_code if entry else None)
    if place is None:
        return (None, None, None, None, None)
    return (place.country_code, place.latitude, place.longitude, place.geonames_id, place.coordinate_source)


def apply_tally(connection: Connection, tally: Tally, targets: dict[str, tuple[str, str]]) -> set[str]:
    """Change the entities, aliases, roles and article incidence by `tally`; returns the entities
    left with no mention (deleted at the end, once nothing points at them)."""
    appeared, gone = count_keys(
        connection, WorkEntityArticle, ("article_id", "entity_id"), tally.incidence, "name_count"
    )
    articles: Counter[str] = Counter()
    articles.update(key for _article, key in appeared)
    articles.subtract(key for _article, key in gone)
    emptied = count_entities(connection, tally.mentions, articles, targets)
    count_keys(connection, EntityAlias, ("entity_id", "alias"), tally.aliases)
    count_keys(connection, EntityRole, ("entity_id", "role"), tally.roles)
    return emptied


def count_entities(
    connection: Connection,
    mentions: Counter[str],
    articles: Counter[str],
    targets: dict[str, tuple[str, str]],
) -> set[str]:
    """Change the entities' mention and article counts; a new entity gets its name, type and place."""
    touched = sorted(key for key in set(mentions) | set(articles) if mentions[key] or articles[key])
    existing: dict[str, tuple[Any, ...]] = {}
    for batch in chunked(touched, NAMES_PER_QUERY):
        query = select(*(Entity.__table__.c[c] for c in ENTITY_COLUMNS)).where(Entity.id.in_(batch))
        existing.update((row[0], tuple(row)) for row in connection.execute(query))
    rows, emptied = [], set()
    for key in touched:
        if key in existing:
            _key, name, label, mention_count, article_count, *place = existing[key]
            if not mention_count:
                # enrich's placeholder for a new name: resolution gives it its place
                place = list(place_columns(name, label))
        elif key in targets:
            name, label = targets[key]
            mention_count, article_count, place = 0, 0, list(place_columns(name, label))
        else:
            raise PipelineError(f"entity resolution's working tables are off: no entity {key}")
        values = (key, name, label, mention_count + mentions[key], article_count + articles[key], *place)
        if values[3] == 0:
            emptied.add(key)
        rows.append(dict(zip(ENTITY_COLUMNS, values, strict=True)))
    upsert(connection, Entity, rows, ["id"])
    return emptied


def forms_of_names(connection: Connection, names: Iterable[Name], skip: set[str]) -> list[Form]:
    """Every counted form of these names, but those of the articles in `skip`."""
    table = WorkResolvedForm
    forms: list[Form] = []
    columns = (table.article_id, table.label, table.name, table.text, table.role, table.mention_count)
    for label, name in sorted(names):
        rows = connection.execute(select(*columns).where(table.label == label, table.name == name))
        forms.extend(Form(*row) for row in rows if row[0] not in skip)
    return forms


def placeholders(connection: Connection, article_ids: Sequence[str]) -> set[str]:
    """The entities the articles' mentions point at now: enrich's placeholders for their names, to
    delete at the end if the names resolve to other entities."""
    query = select(Mention.entity_id).where(
        Mention.article_id.in_(article_ids), Mention.entity_id.is_not(None)
    )
    return {key for key in connection.execute(query.distinct()).scalars() if key is not None}


# --- bare surnames joined by their article's evidence ----------------------------------------------
# A join of (article, surname) depends on other articles: every article naming the full name, and
# what they share with the surname's article. It can change only when an article mentioning the
# surname or its full name changed, or when the surname was resolved again (its full name, or
# whether it has just one, changed): those surnames' joins are decided again, in every article
# that mentions them, and no other's.


def surnames_touched(forms: Iterable[Form], resolved: Iterable[Name]) -> set[str]:
    """The bare surnames whose joins may differ now: the person names of the changed articles' forms
    (old and new) and the surnames of their full names, and the person names resolved again."""
    touched = {name for label, name in resolved if label == "PERSON"}
    for form in forms:
        if form.label == "PERSON":
            touched.add(form.name)
            touched.add(surname_of(form.label, form.name) or form.name)
    return touched


def pending_surnames(connection: Connection, surnames: Iterable[str]) -> dict[str, str]:
    """Of `surnames`, those that may join a full name -> the one person-shaped full name that ends
    with it (a one-word person name that no mention gives another type: resolve_name's pending)."""
    bare, full, other = aliased(WorkResolvedName), aliased(WorkResolvedName), aliased(WorkResolvedName)
    pending: dict[str, str] = {}
    for batch in chunked(sorted(surnames), NAMES_PER_QUERY):
        query = (
            select(bare.name, func.min(full.name))
            .select_from(bare)
            .join(full, full.surname == bare.name)
            .where(bare.label == "PERSON", bare.name.in_(batch))
            .where(~exists().where(other.name == bare.name, other.label != "PERSON"))
            .group_by(bare.name)
            .having(func.count() == 1)
        )
        pending.update((name, whole) for name, whole in connection.execute(query) if len(tokens(name)) == 1)
    return pending


def article_names(connection: Connection, pending: Mapping[str, str]) -> list[ArticleNames]:
    """The names and roles of the articles that mention a pending surname or its full name."""
    table = WorkResolvedForm
    article_ids: set[str] = set()
    for batch in chunked(sorted(set(pending) | set(pending.values())), NAMES_PER_QUERY):
        mentioning = select(table.article_id).where(table.label == "PERSON", table.name.in_(batch))
        article_ids.update(connection.execute(mentioning.distinct()).scalars())
    names: dict[str, set[tuple[str, str]]] = defaultdict(set)
    roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for batch in chunked(sorted(article_ids), ARTICLES_PER_STEP):
        query = select(table.article_id, table.label, table.name, table.role).where(
            table.article_id.in_(batch)
        )
        for article_id, label, name, role in connection.execute(query.distinct()):
            names[article_id].add((label, name))
            if role:
                roles[article_id].add((name, role.casefold()))
    return [ArticleNames(key, frozenset(names[key]), frozenset(roles[key])) for key in sorted(article_ids)]


def decide_joins(connection: Connection, surnames: set[str]) -> tuple[Joins, dict[str, tuple[str, str]]]:
    """The joins of these surnames, from the forms counted now; and the entities their mentions may
    move to: the full name's, and the surname's own (gone while every mention of it was joined)."""
    pending = pending_surnames(connection, surnames)
    decided = join_surnames(pending, article_names(connection, pending))
    joins = {key: (entity_id("PERSON", full), reason) for key, (full, reason) in decided.items()}
    targets = {entity_id("PERSON", name): (name, "PERSON") for pair in pending.items() for name in pair}
    return joins, targets


def stored_joins(connection: Connection, column: str, values: Iterable[str]) -> Joins:
    """The joins stored for these articles (`column` "article_id") or surnames ("name")."""
    table = WorkJoinedSurname
    joins: Joins = {}
    for batch in chunked(sorted(set(values)), NAMES_PER_QUERY):
        query = select(table.article_id, table.name, table.entity_id, table.reason)
        rows = connection.execute(query.where(table.__table__.c[column].in_(batch)))
        joins.update(((article, name), (key, reason)) for article, name, key, reason in rows)
    return joins


def record_joins(connection: Connection, old: Joins, new: Joins) -> set[tuple[str, str]]:
    """Store `new` in place of `old`; returns the (article, surname)s whose join or reason changed."""
    differing = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    table = WorkJoinedSurname
    gone = [{"key_article": a, "key_name": n} for a, n in sorted(differing) if (a, n) in old]
    if gone:
        where = (table.article_id == bindparam("key_article"), table.name == bindparam("key_name"))
        connection.execute(delete(table).where(*where), gone)
    rows = [
        {"article_id": a, "name": n, "entity_id": new[(a, n)][0], "reason": new[(a, n)][1]}
        for a, n in sorted(differing)
        if (a, n) in new
    ]
    if rows:
        connection.execute(insert(table), rows)
    return differing


def forms_of_joins(connection: Connection, keys: set[tuple[str, str]], skip: set[str]) -> list[Form]:
    """The counted forms of these (article, bare surname)s, but those of the articles in `skip`."""
    table = WorkResolvedForm
    columns = (table.article_id, table.label, table.name, table.text, table.role, table.mention_count)
    forms: list[Form] = []
    for batch in chunked(sorted({article for article, _name in keys} - skip), ARTICLES_PER_STEP):
        rows = connection.execute(
            select(*columns).where(table.article_id.in_(batch), table.label == "PERSON")
        )
        forms.extend(Form(*row) for row in rows if (row[0], row[2]) in keys)
    return forms


def point_mentions(connection: Connection, article_ids: Sequence[str]) -> None:
    """Point each mention of these articles at its entity, with the reason (where they differ): the
    joined bare surnames first, then every other mention by its name."""
    resolved, joined = WorkResolvedName, WorkJoinedSurname
    same_join = (
        joined.article_id == Mention.article_id,
        joined.name == Mention.name,
        Mention.label == "PERSON",
    )
    speaker = select(Mention.entity_id).where(Mention.id == Quote.speaker_mention_id).scalar_subquery()
    for batch in chunked(article_ids, ARTICLES_PER_STEP):
        here = Mention.article_id.in_(batch)
        connection.execute(pointing(joined.entity_id, joined.reason).where(*same_join, here))
        connection.execute(
            pointing(resolved.entity_id, resolved.reason)
            .where(resolved.label == Mention.label, resolved.name == Mention.name, here)
            .where(~exists().where(*same_join))
        )
        connection.execute(
            update(Quote)
            .where(Quote.speaker_mention_id.is_not(None), Quote.article_id.in_(batch))
            .values(speaker_entity_id=speaker)
        )


def pointing(entity: Any, reason: Any) -> Any:
    """An UPDATE of the mentions to `entity`, the in-article resolution followed by `reason`."""
    separator = literal(ACROSS_ARTICLES)
    position = text_position(Mention.resolution, separator)
    in_article = case(
        (position > 0, func.substr(Mention.resolution, 1, position - 1)), else_=Mention.resolution
    )
    resolution = in_article + func.coalesce(separator + reason, "")
    return (
        update(Mention)
        .where(Mention.entity_id.is_distinct_from(entity) | (Mention.resolution != resolution))
        .values(entity_id=entity, resolution=resolution)
    )


class TakenAway(NamedTuple):
    """What subtracting the changed articles' old forms leaves to do."""

    names: Counter[tuple[str, str]]
    """Changes to the mention counts per (name, type)."""
    acronyms: Counter[tuple[str, str, str]]
    """Changes to the mention counts per (acronym, type, long form)."""
    emptied: set[str]
    """Entities that may be left with no mention."""
    persons: set[str]
    """The bare surnames the changed articles' person names touch (see surnames_touched)."""


def take_away_changed(connection: Connection, changed: Sequence[str]) -> TakenAway:
    """Subtract what was counted for the changed articles and record their forms as they are now."""
    taken = TakenAway(Counter(), Counter(), set(), set())
    for batch in chunked(changed, ARTICLES_PER_STEP):
        old, new = counted_forms(connection, batch), current_forms(connection, batch)
        taken.emptied.update(placeholders(connection, batch))
        tally = Tally()
        tally.add(old, entities_of(connection, old, stored_joins(connection, "article_id", batch)), -1)
        taken.emptied.update(apply_tally(connection, tally, {}))
        count_names(old, -1, taken.names, taken.acronyms)
        count_names(new, 1, taken.names, taken.acronyms)
        taken.persons.update(surnames_touched([*old, *new], ()))
        record_forms(connection, batch, new)
    return taken


def count_corpus_names(
    connection: Connection, names: Counter[tuple[str, str]], acronyms: Counter[tuple[str, str, str]]
) -> NameChanges:
    """Apply the changes to the name and acronym counts; returns what came and went."""
    appeared, gone = count_keys(connection, WorkResolvedName, ("name", "label"), names)
    new_acronyms, gone_acronyms = count_keys(
        connection, WorkResolvedAcronym, ("acronym", "label", "name"), acronyms
    )
    return NameChanges(
        {(label, name) for name, label in appeared},
        {(label, name) for name, label in gone},
        {text for text, _label, _name in new_acronyms | gone_acronyms},
    )


def update_entities(connection: Connection) -> int:
    """Bring the entities, their aliases, roles and counts and the mentions' entities up to date with
    the articles changed since the last resolution (all of them the first time); returns how many."""
    changed = changed_articles(connection)
    taken = take_away_changed(connection, changed)
    emptied = taken.emptied
    resolved, previous = reresolve(
        connection, neighbourhood(connection, count_corpus_names(connection, taken.names, taken.acronyms))
    )
    surnames = taken.persons | surnames_touched((), resolved)
    old_joins = stored_joins(connection, "name", surnames)
    new_joins, targets = decide_joins(connection, surnames)
    differing = record_joins(connection, old_joins, new_joins)
    targets.update((r.entity_id, (r.name, r.label)) for r in resolved.values())
    # The unchanged articles' forms whose entity may have changed: those of the names resolved
    # again, and those of the surnames whose join in their article changed.
    skip = set(changed)
    moved = forms_of_names(connection, previous, skip)
    moved += [f for f in forms_of_joins(connection, differing, skip) if (f.label, f.name) not in previous]
    now = entities_of(connection, moved, new_joins)
    tally = Tally()
    tally.add(moved, Entities({**now.names, **previous}, old_joins), -1)
    tally.add(moved, now, 1)
    emptied |= apply_tally(connection, tally, targets)
    for batch in chunked(changed, ARTICLES_PER_STEP):
        tally = Tally()
        forms = counted_forms(connection, batch)
        tally.add(forms, entities_of(connection, forms, stored_joins(connection, "article_id", batch)), 1)
        emptied |= apply_tally(connection, tally, targets)
    point_mentions(connection, sorted(skip | {form.article_id for form in moved}))
    for batch in chunked(sorted(emptied), NAMES_PER_QUERY):
        connection.execute(delete(Entity).where(Entity.id.in_(batch), Entity.mention_count == 0))
    return len(changed)
