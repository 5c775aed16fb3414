"""Release: working database -> `dist/news.db` (published tables, full-text search) and checksums.

The release is migrated with the same Alembic scripts as the working database, filled in primary
key order (so the same content gives the same bytes), and published atomically with its checksums
(see "publishing" below); an unchanged release is not rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text

from pipeline.errors import ConfigurationError, ReleaseError
from pipeline.outputs.files import CHECKSUMS_FILE, METADATA_FILE, RELEASE_FILE, release_files
from pipeline.outputs.publish import (
    STAGING_PREFIX,
    check_targets,
    dist_lock,
    finish_interrupted_publish,
    publish,
    publishing_errors,
    read_checksums,
    sha256_file,
    write_checksums,
)
from pipeline.outputs.sqlite_release import build_database, release_facts
from pipeline.outputs.verify import VerificationFailed, verify_release
from pipeline.schema.describe import render_metadata
from pipeline.schema.models import (
    Article,
    Rejection,
    WorkArticleInput,
    WorkStageState,
    copied_tables,
    published_tables,
)
from pipeline.settings import Settings
from pipeline.stages import clean as clean_stage
from pipeline.stages import enrich as enrich_stage
from pipeline.stages import resolve as resolve_stage
from pipeline.store.engine import sqlite_path
from pipeline.store.state import finished_with, record_finished_with

RELEASE_STAGE = "release"
FINGERPRINT_BATCH_ROWS = 5000


@dataclass
class ReleaseReport:
    """Where the release went and what it holds."""

    path: Path
    sha256: str
    counts: dict[str, int]
    content_sha256: str
    unchanged: bool = False
    """True when the release in `dist/` already held this content and was left as it was."""


def current_release_facts(settings: Settings, metadata_text: str) -> dict[str, str] | None:
    """The `dataset_info` of the release in `dist/`, if its files are intact and its metadata current.

    Returns:
        The facts, or None when there is no release, a file does not match SHA256SUMS, the metadata
        would be different now, or the release cannot be read.
    """
    sums = read_checksums(settings.checksums_path)
    metadata_sha = hashlib.sha256(metadata_text.encode("utf-8")).hexdigest()
    if set(sums) != set(release_files(published_tables())) or sums[METADATA_FILE] != metadata_sha:
        return None
    files = {name: settings.dist_dir / name for name in sums}
    if any(not path.is_file() or sha256_file(path) != sums[name] for name, path in files.items()):
        return None
    try:
        connection = sqlite3.connect(f"file:{settings.release_path}?mode=ro", uri=True)
        try:
            return dict(connection.execute("select key, value from dataset_info"))
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def stale_stages(connection: Connection, settings: Settings) -> list[str]:
    """What in the working database is out of date, one phrase per stage; empty when nothing is.

    A release built from stale rows disagrees with itself (entity counts against mentions, say),
    so `build_release` refuses it rather than publish what `pipeline verify` would reject.
    """
    unclean = clean_stage.stale_count(connection)
    stale = [f"{unclean} files not cleaned since they changed"] if unclean else []
    unenriched = len(enrich_stage.pending_articles(connection, settings))
    if unenriched:
        stale.append(f"{unenriched} articles not enriched since they changed")
    resolved = finished_with(connection, resolve_stage.STAGE)
    if not unenriched and resolved != resolve_stage.corpus_fingerprint(connection):
        stale.append("entities not resolved since the mentions changed")
    return stale


def _refuse_stale(connection: Connection, settings: Settings) -> None:
    stale = stale_stages(connection, settings)
    if stale:
        raise ReleaseError(
            f"the working database is not up to date ({'; '.join(stale)}); run `pipeline run` "
            "(or the missing stages), then release again; nothing was published"
        )


def _work_counts(connection: Connection) -> dict[str, int]:
    return {
        name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
        for name in copied_tables()
    }


def work_fingerprint(connection: Connection) -> str:
    """What the published rows of the working database were built from, hashed cheaply.

    Every published row is a function of these: each article's path and the input hashes its clean
    and enrich stages recorded, the stages' corpus fingerprints (entity resolution) and the
    rejections. Hashing them takes milliseconds where hashing the 700,000 rows of a 10,000-article
    corpus takes seconds, and it runs on every `pipeline run`.
    """
    digest = hashlib.sha256()
    queries = (
        select(
            Article.id,
            Article.source_path,
            WorkArticleInput.clean_input_hash,
            WorkArticleInput.enrich_input_hash,
        )
        .outerjoin(WorkArticleInput, WorkArticleInput.article_id == Article.id)
        .order_by(Article.id),
        select(WorkStageState.stage, WorkStageState.fingerprint)
        .where(WorkStageState.stage != RELEASE_STAGE)
        .order_by(WorkStageState.stage),
        select(
            Rejection.id, Rejection.source_path, Rejection.sha256, Rejection.stage, Rejection.reason
        ).order_by(Rejection.id),
    )
    # Row by row from a streaming cursor: the articles' rows alone were 90 MB at 100,000 articles.
    streaming = connection.execution_options(yield_per=FINGERPRINT_BATCH_ROWS)
    for query in queries:
        for row in streaming.execute(query):
            digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def _release_state(work_fingerprint: str, content_sha256: str) -> str:
    """Binds a working database's state to the release content built from it."""
    return hashlib.sha256(f"{work_fingerprint}:{content_sha256}".encode()).hexdigest()


def check_staged(staging: Path, settings: Settings, digest: str) -> None:
    """Verify the release built in `staging` as `pipeline verify` will, before it is published.

    All but the content hash, which the build just computed over the same rows (`digest`; `VACUUM
    INTO` copies them): hashing the 700,000 rows of 10,000 articles again took a quarter of the
    release. `pipeline verify` recomputes it from the published file. SQLite's check is its
    `quick_check` (pages and b-trees, not each index against its table): what stands between a
    torn or corrupt file and the atomic switch; `pipeline verify` runs the full `integrity_check`.
    """
    try:
        verify_release(settings.model_copy(update={"dist_dir": staging}), hashed=digest)
    except VerificationFailed as failed:
        shown = "; ".join(failed.problems[:3]) + ("; ..." if len(failed.problems) > 3 else "")
        raise ReleaseError(
            f"the release built does not verify ({len(failed.problems)} problems: {shown}); "
            "nothing was published"
        ) from None


def _stage_and_publish(
    work: Path | Engine,
    settings: Settings,
    stated: dict[str, str],
    counts: dict[str, int],
    metadata_text: str,
) -> tuple[str, str]:
    """Build every file in `dist/.staging-<pid>/`, verify it, publish it; (file SHA-256, content hash)."""
    dist = settings.dist_dir
    staging = dist / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        # pyarrow and the exports load only when a release is built, not on an unchanged re-run
        from pipeline.outputs.exports import write_exports
        from pipeline.outputs.parquet import table_writers

        copied, digest = build_database(staging / RELEASE_FILE, work, stated, table_writers(staging))
        if copied != counts:
            raise ReleaseError(
                f"the release holds {copied} rows, the working database {counts}; nothing was published"
            )
        (staging / METADATA_FILE).write_text(metadata_text, encoding="utf-8")
        previous = settings.release_path if settings.release_path.is_file() else None
        write_exports(staging, previous, frozenset(copied))
        names = release_files(published_tables())
        sums = {name: sha256_file(staging / name) for name in names}
        release_sha = sums[RELEASE_FILE]
        write_checksums(staging / CHECKSUMS_FILE, sums)
        check_staged(staging, settings, digest)
        with dist_lock(dist):
            check_targets(dist, [*names, CHECKSUMS_FILE])
            publish(staging, dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return release_sha, digest


def _release_source(work_engine: Engine) -> Path | Engine:
    """What the release copies from: the SQLite file (attached), or the server's engine (streamed)."""
    if work_engine.dialect.name == "postgresql":
        return work_engine
    work_file = sqlite_path(work_engine.url.render_as_string(hide_password=False))
    if work_file is None:
        raise ConfigurationError("the working database must be a file to build a release from")
    with work_engine.connect() as connection:
        # Fold the write-ahead log in so the attached copy sees every committed row.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(work_file.resolve())


def build_release(
    work_engine: Engine, settings: Settings, model: str, *, force: bool = False
) -> ReleaseReport:
    """Build the release in a staging folder, then publish it into `dist/` atomically.

    Nothing is rebuilt when the release in `dist/` is intact (its files match SHA256SUMS), has
    today's versions, model, metadata and counts, and this working database recorded building its
    content (its content hash) from the inputs it holds now (`work_fingerprint`).

    Args:
        work_engine: the working database (already enriched).
        settings: where the release goes.
        model: the NER model and version, recorded in `dataset_info`.
        force: rebuild even when the release is unchanged.
    """
    work = _release_source(work_engine)
    dist = settings.dist_dir
    with publishing_errors(dist):
        dist.mkdir(parents=True, exist_ok=True)
        with dist_lock(dist):
            finish_interrupted_publish(dist)
        metadata_text = render_metadata(settings.dataset_title, settings.dataset_source)
        stated = {"ner_model": model, **settings.described}
        with work_engine.connect() as connection:
            _refuse_stale(connection, settings)
            counts = _work_counts(connection)
            fingerprint = work_fingerprint(connection)
            recorded_state = finished_with(connection, RELEASE_STAGE)
            without_model = enrich_stage.without_model_counts(connection)
        current = current_release_facts(settings, metadata_text)
        # The release in dist/ is current when this working database recorded building exactly it
        # (its content hash) from exactly these inputs, and its versions, model and counts are today's.
        if (
            not force
            and current is not None
            and recorded_state == _release_state(fingerprint, current.get("content_sha256", ""))
            and current == release_facts(counts, current["content_sha256"], stated, without_model)
        ):
            release_sha = read_checksums(settings.checksums_path)[RELEASE_FILE]
            return ReleaseReport(
                settings.release_path, release_sha, counts, current["content_sha256"], unchanged=True
            )
        names = release_files(published_tables())
        check_targets(dist, [*names, CHECKSUMS_FILE])
        release_sha, digest = _stage_and_publish(work, settings, stated, counts, metadata_text)
    # Recorded only once published: a run killed before this rebuilds the same bytes next time.
    with work_engine.connect() as connection:
        record_finished_with(connection, RELEASE_STAGE, _release_state(fingerprint, digest))
        connection.commit()
    return ReleaseReport(settings.release_path, release_sha, counts, digest)
