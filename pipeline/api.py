"""The library's front door: one function per stage and `run`, what the CLI and the tests call.

Every stage takes the settings and a store, owns its transactions, and returns a typed report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from pipeline.errors import PipelineError
from pipeline.outputs.verify_raw import RawOffsetReport, check_raw_offsets
from pipeline.schema.models import (
    Article,
    Entity,
    EntityAlias,
    Mention,
    RawDocument,
    RawDocumentPath,
    Rejection,
)
from pipeline.settings import Settings
from pipeline.stages import clean as clean_stage
from pipeline.stages import enrich as enrich_stage
from pipeline.stages import ingest as ingest_stage
from pipeline.stages import release as release_stage
from pipeline.stages import resolve as resolve_stage
from pipeline.stages.clean import CleanReport
from pipeline.stages.enrich import EnrichReport, Progress, without_model_counts
from pipeline.stages.ingest import IngestReport
from pipeline.stages.release import ReleaseReport
from pipeline.stages.resolve import ResolveReport
from pipeline.store.engine import sqlite_path
from pipeline.store.store import Store, open_store
from pipeline.versions import model_version

Report = IngestReport | CleanReport | EnrichReport | ResolveReport | ReleaseReport
ReportSink = Callable[[Report], None]


def ingest(settings: Settings, store: Store) -> IngestReport:
    """Store every file under the raw folder verbatim (one transaction)."""
    with store.engine.begin() as connection:
        return ingest_stage.ingest(connection, settings)


def clean(settings: Settings, store: Store) -> CleanReport:
    """Build the articles whose raw files changed (one transaction)."""
    with store.engine.begin() as connection:
        return clean_stage.clean(connection, settings)


def enrich(settings: Settings, store: Store, progress: Progress | None = None) -> EnrichReport:
    """Find the mentions of changed articles (committed in batches)."""
    return enrich_stage.enrich(store.engine, settings, progress)


def resolve(settings: Settings, store: Store) -> ResolveReport:
    """Tie mentions to entities across the corpus (one transaction)."""
    return resolve_stage.resolve(store.engine)


def release(settings: Settings, store: Store) -> ReleaseReport:
    """Build `dist/` from the working database and publish it atomically."""
    return release_stage.build_release(store.engine, settings, model_version(settings.model))


@dataclass
class RunReport:
    """What a whole run did, stage by stage."""

    ingest: IngestReport
    clean: CleanReport
    reports: list[Report] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Files set aside by ingest or clean."""
        return len(self.ingest.rejections) + len(self.clean.rejections)


def check_outcome(settings: Settings, report: RunReport, strict: bool) -> None:
    """Fail when nothing became an article, or under `strict` when any file was set aside."""
    if report.clean.articles == 0:
        raise PipelineError(
            f"nothing could be processed: none of the {report.ingest.files} files under "
            f"{settings.raw_dir} became an article"
        )
    if strict and report.rejected:
        files = "1 file was" if report.rejected == 1 else f"{report.rejected} files were"
        raise PipelineError(f"--strict: {files} set aside (listed above as 'skipped')")


def run(
    settings: Settings,
    *,
    strict: bool = False,
    on_report: ReportSink | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Every stage in order, then the release; raises `PipelineError` for the exit-code policy.

    The release is built even under `strict`: the rejections are in it, for the user to read.
    """

    def told(report: Report) -> None:
        if on_report is not None:
            on_report(report)

    with open_store(settings.database_url) as store:
        ingested = ingest(settings, store)
        told(ingested)
        cleaned = clean(settings, store)
        told(cleaned)
        result = RunReport(ingested, cleaned)
        if cleaned.articles == 0:
            check_outcome(settings, result, strict)
        result.reports.append(enrich(settings, store, progress))
        told(result.reports[-1])
        result.reports.append(resolve(settings, store))
        told(result.reports[-1])
        result.reports.append(release(settings, store))
        told(result.reports[-1])
    check_outcome(settings, result, strict)
    return result


STATUS_COUNTS = {
    "raw files (current paths)": select(func.count())
    .select_from(RawDocumentPath)
    .where(RawDocumentPath.is_current),
    "raw contents stored": select(func.count()).select_from(RawDocument),
    "articles": select(func.count()).select_from(Article),
    "mentions": select(func.count()).select_from(Mention),
    "entities": select(func.count()).select_from(Entity),
    "entity aliases": select(func.count()).select_from(EntityAlias),
    "rejections": select(func.count()).select_from(Rejection),
}


def status(settings: Settings) -> tuple[dict[str, int], dict[str, int]]:
    """Row counts per stage, and the articles no model read per language; without the run lock."""
    with open_store(settings.database_url, exclusive=False) as store, store.engine.connect() as connection:
        counts = {label: connection.execute(query).scalar_one() for label, query in STATUS_COUNTS.items()}
        return counts, without_model_counts(connection)


def verify_raw_offsets(settings: Settings) -> RawOffsetReport | None:
    """Check every raw offset in the working database; None when there is no working database."""
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        return None
    with open_store(settings.database_url, exclusive=False) as store, store.engine.connect() as connection:
        return check_raw_offsets(connection)
