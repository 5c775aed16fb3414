"""Release notes: what changed since the release that was in `dist/` before this one.

Articles are matched by id (added, removed, changed: other source bytes or body) and entities by
id (new, gone). Mentions keep their ids across releases (article, column, offsets), so a mention
that moved from one entity to another tells a merge (mentions of several old entities now point to
one) or a split (mentions of one old entity now point to several). The notes depend only on the two
releases, so the same inputs over the same previous release give the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES = 10
DATABASES = ("main", "old")


@dataclass
class Changes:
    """What differs between two releases, by id, each list sorted."""

    previous_version: str | None = None
    articles_added: list[str] = field(default_factory=list)
    articles_removed: list[str] = field(default_factory=list)
    articles_changed: list[str] = field(default_factory=list)
    entities_new: list[str] = field(default_factory=list)
    entities_gone: list[str] = field(default_factory=list)
    merged: list[tuple[str, list[str]]] = field(default_factory=list)
    """(new entity, the old entities whose mentions it now holds)."""
    split: list[tuple[str, list[str]]] = field(default_factory=list)
    """(old entity, the new entities its mentions now point to)."""
    names: dict[str, str] = field(default_factory=dict)


def _ids(connection: sqlite3.Connection, sql: str) -> set[str]:
    return {row[0] for row in connection.execute(sql)}


def _moves(connection: sqlite3.Connection) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(old entity -> new entities, new entity -> old entities) over the mentions both releases have."""
    forward: dict[str, set[str]] = defaultdict(set)
    backward: dict[str, set[str]] = defaultdict(set)
    # One pass over the new mentions in table order, each old one looked up by its key: the
    # planner's own choice (the entity index, then both tables at random) took 10 of the 58 s of a
    # 10,000-article release; the unary `+` keeps it off the entity index, CROSS JOIN fixes the order.
    for old, new in connection.execute(
        "SELECT o.entity_id, n.entity_id FROM main.mentions n CROSS JOIN old.mentions o ON o.id = n.id"
        " WHERE +o.entity_id IS NOT NULL AND +n.entity_id IS NOT NULL GROUP BY 1, 2"
    ):
        forward[old].add(new)
        backward[new].add(old)
    return forward, backward


def compare(previous: Path, current: Path) -> Changes:
    """The changes from the release at `previous` to the one at `current`."""
    with closing(sqlite3.connect(f"file:{current}?mode=ro", uri=True)) as connection:
        connection.execute("ATTACH DATABASE ? AS old", (f"file:{previous}?mode=ro",))
        changes = Changes()
        version = connection.execute("SELECT value FROM old.dataset_info WHERE key = 'release_version'")
        changes.previous_version = next((row[0] for row in version), None)
        new_articles, old_articles = (
            _ids(connection, f"SELECT id FROM {db}.articles") for db in ("main", "old")
        )
        changes.articles_added = sorted(new_articles - old_articles)
        changes.articles_removed = sorted(old_articles - new_articles)
        changes.articles_changed = sorted(
            _ids(
                connection,
                "SELECT n.id FROM main.articles n JOIN old.articles o ON o.id = n.id"
                " WHERE o.source_sha256 != n.source_sha256 OR o.body != n.body",
            )
        )
        new_entities, old_entities = (
            _ids(connection, f"SELECT id FROM {db}.entities") for db in ("main", "old")
        )
        changes.entities_new = sorted(new_entities - old_entities)
        changes.entities_gone = sorted(old_entities - new_entities)
        forward, backward = _moves(connection)
        changes.merged = sorted((new, sorted(olds)) for new, olds in backward.items() if len(olds) > 1)
        changes.split = sorted((old, sorted(news)) for old, news in forward.items() if len(news) > 1)
        for db in ("old", "main"):
            changes.names.update(
                connection.execute(f"SELECT id, name || ' (' || type || ')' FROM {db}.entities")
            )
    return changes


def _list(title: str, ids: list[str], names: dict[str, str]) -> list[str]:
    lines = [f"- {title}: {len(ids)}"]
    lines += [f"  - `{i}` {names.get(i, '')}".rstrip() for i in ids[:EXAMPLES]]
    if len(ids) > EXAMPLES:
        lines.append(f"  - ... and {len(ids) - EXAMPLES} more")
    return lines


def _moved(title: str, moves: list[tuple[str, list[str]]], names: dict[str, str]) -> list[str]:
    lines = [f"- {title}: {len(moves)}"]
    for one, several in moves[:EXAMPLES]:
        lines.append(f"  - {names.get(one, one)}: " + ", ".join(names.get(i, i) for i in several))
    if len(moves) > EXAMPLES:
        lines.append(f"  - ... and {len(moves) - EXAMPLES} more")
    return lines


def render_notes(version: str, changes: Changes | None, problem: str | None = None) -> str:
    """The notes as Markdown; `changes` is None for a first release (or an unreadable previous one)."""
    lines = [f"# Release notes: {version}", ""]
    if changes is None:
        lines.append(problem or "The first release: there is no previous release to compare with.")
        return "\n".join(lines) + "\n"
    names = changes.names
    lines += [f"Compared with the previous release, {changes.previous_version or 'of unknown version'}.", ""]
    lines += ["## Articles", ""]
    lines += _list("added", changes.articles_added, {})
    lines += _list("removed", changes.articles_removed, {})
    lines += _list("changed (other source bytes or body)", changes.articles_changed, {})
    lines += ["", "## Entities", ""]
    lines += _list("new", changes.entities_new, names)
    lines += _list("gone", changes.entities_gone, names)
    lines += _moved("merged (mentions of several earlier entities now point to one)", changes.merged, names)
    lines += _moved("split (mentions of one earlier entity now point to several)", changes.split, names)
    return "\n".join(lines) + "\n"


def write_notes(previous: Path | None, current: Path, version: str, path: Path) -> None:
    """Write the notes for the release at `current` against the one at `previous` (if any)."""
    changes, problem = None, None
    if previous is not None and previous.is_file():
        try:
            changes = compare(previous, current)
        except sqlite3.DatabaseError as error:
            problem = f"The previous release could not be compared ({error}); these notes list no changes."
    path.write_text(render_notes(version, changes, problem), encoding="utf-8")
