"""Verify a release: its checksums, SQLite's own checks, and the invariants users rely on.

`verify_release` looks at `dist/` only (never the working database), so anyone who downloaded
`news.db` and `SHA256SUMS` can run it. Every problem found is collected, none stops the others.
Raw offsets (`mentions.raw_start`/`raw_end`) cannot be checked here: the release does not carry
the raw text they index into.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from pipeline.errors import ReleaseError
from pipeline.outputs.files import CHECKSUMS_FILE, METADATA_FILE, RELEASE_FILE
from pipeline.outputs.publish import sha256_file
from pipeline.outputs.sqlite_release import content_hash
from pipeline.schema.models import ARTICLE_FIELDS
from pipeline.settings import Settings

MAX_LISTED = 20
"""Per check, list at most this many problems (then say how many more there are)."""

_CHECKSUM_LINE = re.compile(r"^(?P<sha>[0-9a-f]{64}) [ *](?P<name>.+)$")
_OFFSET_TABLES = ("mentions", "quotes", "dropped_spans")
_FTS5_TABLE = "CREATE VIRTUAL TABLE%USING fts5%"


class VerificationFailed(ReleaseError):
    """The release does not verify.

    Attributes:
        problems: One sentence per problem found.
    """

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{path} does not verify: {len(problems)} {noun} (listed above)")
        self.problems = problems


@dataclass
class VerifyReport:
    """What was checked in a release that verified."""

    path: Path
    files: list[str] = field(default_factory=list)
    offsets: int = 0
    entities: int = 0
    counts: int = 0
    content_sha256: str = ""


class _Problems(list[str]):
    """Problems of one check, capped at MAX_LISTED with a closing "... and N more"."""

    def __init__(self, check: str) -> None:
        super().__init__()
        self.check = check
        self.hidden = 0

    def add(self, problem: str) -> None:
        if len(self) < MAX_LISTED:
            self.append(f"{self.check}: {problem}")
        else:
            self.hidden += 1

    def listed(self) -> list[str]:
        more = [f"{self.check}: ... and {self.hidden} more"] if self.hidden else []
        return [*self, *more]


def check_checksums(dist: Path) -> tuple[list[str], list[str]]:
    """Compare `SHA256SUMS` with the files beside it.

    Returns:
        The names checked, and the problems (missing list, missing or changed files).
    """
    problems = _Problems("checksums")
    sums = dist / CHECKSUMS_FILE
    if not sums.is_file():
        problems.add(f"{sums} is missing")
        return [], problems.listed()
    names = []
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        match = _CHECKSUM_LINE.match(line)
        if match is None:
            problems.add(f"line {number} of SHA256SUMS is not '<sha256>  <file>': {line!r}")
            continue
        name = match.group("name")
        names.append(name)
        path = dist / name
        if not path.is_file():
            problems.add(f"{name} is listed but missing")
        elif sha256_file(path) != match.group("sha"):
            problems.add(f"{name} does not match its SHA-256 (changed or partly written)")
    for required in (RELEASE_FILE, METADATA_FILE):
        if required not in names:
            problems.add(f"{required} is not listed in SHA256SUMS")
    listed = {*names, CHECKSUMS_FILE}
    for path in sorted(dist.iterdir()):
        # Hidden names are the publisher's and the server's own (staging folders, server links).
        if not path.name.startswith(".") and path.name not in listed:
            problems.add(f"{path.name} is in the release folder but not listed in SHA256SUMS")
    return names, problems.listed()


@contextmanager
def _private_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A writable connection to a private copy of the release, which is only ever opened read-only.

    Two checks need one: FTS5's `integrity-check` is a write statement, and SQLite's integrity
    checks skip the CHECK constraints on a database opened read-only.
    """
    with tempfile.TemporaryDirectory(prefix="verify-") as folder:
        copy = Path(folder) / RELEASE_FILE
        shutil.copyfile(path, copy)
        with closing(sqlite3.connect(copy)) as connection:
            yield connection


def check_full_text(connection: sqlite3.Connection) -> list[str]:
    """FTS5's own `integrity-check` of every full-text index against the table it indexes (a write
    statement: `connection` is to a private copy)."""
    problems = _Problems("full-text search")
    indexes = connection.execute(
        "select name from sqlite_master where type = 'table' and sql like ?", (_FTS5_TABLE,)
    ).fetchall()
    for (name,) in indexes:
        try:
            connection.execute(f'INSERT INTO "{name}"("{name}", rank) VALUES (?, 1)', ("integrity-check",))
        except sqlite3.DatabaseError as error:
            problems.add(f"{name} does not match the rows it indexes ({error})")
    return problems.listed()


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}


def check_sqlite(connection: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's integrity and foreign-key checks: pages, b-trees, NOT NULL and CHECK constraints
    (these only on a database opened writable, so `pipeline verify` runs it on a private copy).

    `quick` runs `PRAGMA quick_check` (every b-tree page, cell and free list, but not each index
    against its table): enough for a file this process has just built and will publish, whose
    indexes SQLite itself wrote from the rows; 14 of the 20 s the staged check took at 10,000
    articles went to the index-against-table pass. `pipeline verify` runs the full check.
    """
    problems = _Problems("sqlite")
    check = "quick_check" if quick else "integrity_check"
    for (message,) in connection.execute(f"PRAGMA {check}"):
        if message != "ok":
            problems.add(f"{check}: {message}")
    for table, rowid, parent, _index in connection.execute("PRAGMA foreign_key_check"):
        problems.add(f"foreign_key_check: {table} row {rowid} points to a missing {parent} row")
    return problems.listed()


def _articles_in_id_order(connection: sqlite3.Connection) -> Iterator[tuple[str, dict[str, str | None]]]:
    columns = ", ".join(ARTICLE_FIELDS)
    for row in connection.execute(f"select id, {columns} from articles order by id"):
        yield row[0], dict(zip(ARTICLE_FIELDS, row[1:], strict=True))


def check_offsets(connection: sqlite3.Connection) -> tuple[int, list[str]]:
    """Every mention, quotation and dropped span: ``articles.<field>[start:end] == text``.

    The rows are read in article order beside the articles, so one article's text is held at a
    time: holding every article's text took about 5 KB an article (half a gigabyte at 100,000).
    SQLite orders text by its UTF-8 bytes, which is the order Python gives code points.

    Returns:
        How many offsets were checked, and the problems.
    """
    problems = _Problems("offsets")
    checked = 0
    tables = _tables(connection)
    for table in _OFFSET_TABLES:
        if table not in tables:
            continue
        rows = connection.execute(
            f'select id, article_id, field, start, "end", text from {table} order by article_id, id'
        )
        articles = _articles_in_id_order(connection)
        current: tuple[str, dict[str, str | None]] | None = next(articles, None)
        for row_id, article_id, column, start, end, text in rows:
            checked += 1
            while current is not None and current[0] < article_id:
                current = next(articles, None)
            article = current[1] if current is not None and current[0] == article_id else None
            if article is None or column not in article:
                problems.add(f"{table} {row_id}: no column {column!r} of article {article_id}")
                continue
            value = article[column] or ""
            if not (0 <= start <= end <= len(value)) or value[start:end] != text:
                found = value[start:end] if 0 <= start <= end <= len(value) else "(out of range)"
                problems.add(
                    f"{table} {row_id}: articles.{column}[{start}:{end}] of {article_id} is "
                    f"{found!r}, not {text!r}"
                )
    return checked, problems.listed()


def check_entity_counts(connection: sqlite3.Connection) -> tuple[int, list[str]]:
    """`entities.mention_count` and `article_count` against the mentions table."""
    problems = _Problems("entity counts")
    rows = connection.execute(
        """
        select e.id, e.mention_count, e.article_count,
               count(m.id), count(distinct m.article_id)
        from entities e left join mentions m on m.entity_id = e.id
        group by e.id order by e.id
        """
    ).fetchall()
    for entity_id, mention_count, article_count, mentions, articles in rows:
        if (mention_count, article_count) != (mentions, articles):
            problems.add(
                f"entity {entity_id} says {mention_count} mentions in {article_count} articles, "
                f"the mentions table has {mentions} in {articles}"
            )
    return len(rows), problems.listed()


def check_dataset_info(connection: sqlite3.Connection) -> tuple[dict[str, str], list[str]]:
    """`dataset_info`'s `<table>_count` facts against the tables."""
    problems = _Problems("dataset_info")
    tables = _tables(connection)
    if "dataset_info" not in tables:
        problems.add("the dataset_info table is missing")
        return {}, problems.listed()
    facts = dict(connection.execute("select key, value from dataset_info"))
    for key, value in sorted(facts.items()):
        if not key.endswith("_count"):
            continue
        table = key.removesuffix("_count")
        if table not in tables:
            problems.add(f"{key} counts a table that is not in the release")
            continue
        (actual,) = connection.execute(f'select count(*) from "{table}"').fetchone()
        if str(actual) != value:
            problems.add(f"{key} is {value}, the table has {actual} rows")
    if "content_sha256" not in facts:
        problems.add("content_sha256 is missing")
    return facts, problems.listed()


def check_content_hash(path: Path, recorded: str | None) -> tuple[str, list[str]]:
    """Recompute `content_sha256` the way the release did and compare."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            digest = content_hash(connection)
    except (SQLAlchemyError, sqlite3.DatabaseError) as error:
        reason = getattr(error, "orig", None) or error
        return "", [f"content hash: cannot be computed ({type(error).__name__}: {reason})"]
    finally:
        engine.dispose()
    if recorded is not None and digest != recorded:
        return digest, [f"content hash: dataset_info says {recorded}, the rows hash to {digest}"]
    return digest, []


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        yield connection


def verify_release(settings: Settings, *, hashed: str | None = None) -> VerifyReport:
    """Check the release in ``settings.dist_dir`` and report every problem at once.

    Args:
        settings: Where the release is (``dist_dir``).
        hashed: the content hash the build just computed over these very rows (a release being
            staged): checked against `dataset_info` instead of hashing every row a second time,
            and SQLite's `quick_check` instead of its full `integrity_check` (see `check_sqlite`).

    Returns:
        What was checked, when everything verified.

    Raises:
        ReleaseError: There is no release to verify.
        VerificationFailed: One or more checks failed; ``problems`` lists them all.
    """
    path = settings.release_path
    if not path.is_file():
        raise ReleaseError(f"no release at {path}; run `pipeline run` first")
    report = VerifyReport(path)
    report.files, problems = check_checksums(settings.dist_dir)
    try:
        with _private_copy(path) as writable, _read_only(path) as connection:
            # A release being staged had its CHECK constraints checked as its rows were copied in.
            problems += check_sqlite(connection if hashed is not None else writable, quick=hashed is not None)
            report.offsets, found = check_offsets(connection)
            problems += found
            report.entities, found = check_entity_counts(connection)
            problems += found
            facts, found = check_dataset_info(connection)
            problems += found
            problems += check_full_text(writable)
    except sqlite3.DatabaseError as error:
        raise VerificationFailed(
            path, [*problems, f"sqlite: not a readable SQLite database ({error})"]
        ) from None
    report.counts = sum(key.endswith("_count") for key in facts)
    if hashed is None:
        report.content_sha256, found = check_content_hash(path, facts.get("content_sha256"))
        problems += found
    elif facts.get("content_sha256") != hashed:
        problems.append(f"content hash: dataset_info says {facts.get('content_sha256')}, the build {hashed}")
    else:
        report.content_sha256 = hashed
    if problems:
        raise VerificationFailed(path, problems)
    return report
