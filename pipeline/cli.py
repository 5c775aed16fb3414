"""The `pipeline` command: thin click commands over the stage functions.

Library code raises `PipelineError`s; only this module turns them into one-line messages.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from filelock import FileLock, Timeout
from sqlalchemy import Engine, func, select

from pipeline import __version__
from pipeline.clean import CleanReport
from pipeline.clean import clean as clean_stage
from pipeline.db import make_engine, sqlite_path, upgrade
from pipeline.enrich import enrich as enrich_stage
from pipeline.enrich import model_version
from pipeline.errors import AlreadyRunning, PipelineError
from pipeline.ingest import IngestReport
from pipeline.ingest import ingest as ingest_stage
from pipeline.metadata import write_metadata
from pipeline.models import Article, Entity, EntityAlias, Mention, RawDocument, RawDocumentPath, Rejection
from pipeline.release import build_release
from pipeline.settings import DATABASE_URL_ENV, Settings

F = TypeVar("F", bound=Callable[..., Any])


def common_options(function: F) -> F:
    """Options every stage command takes, bundled as sqlite-utils does."""

    @click.option(
        "--raw",
        "raw_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("raw"),
        show_default=True,
        help="Folder of input articles (read recursively).",
    )
    @click.option(
        "--dist",
        "dist_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("dist"),
        show_default=True,
        help="Folder the release is written to.",
    )
    @click.option(
        "--database-url",
        envvar=DATABASE_URL_ENV,
        default="sqlite:///build/work.db",
        show_default=True,
        help=f"Working database (SQLite URL); also read from ${DATABASE_URL_ENV}.",
    )
    @click.option("--model", default=None, help="Installed spaCy model package for NER.")
    @click.option(
        "--processes", type=click.IntRange(min=1), default=None, help="NER processes (default: one per core)."
    )
    @click.option(
        "--progress/--no-progress", default=None, help="Show progress bars (default: only on a terminal)."
    )
    @functools.wraps(function)
    def wrapper(**kwargs: Any) -> Any:
        options = {
            "raw_dir": kwargs.pop("raw_dir"),
            "dist_dir": kwargs.pop("dist_dir"),
            "database_url": kwargs.pop("database_url"),
            "processes": kwargs.pop("processes"),
            "progress": kwargs.pop("progress"),
        }
        model = kwargs.pop("model")
        if model:
            options["model"] = model
        return function(Settings(**options), **kwargs)

    return wrapper  # type: ignore[return-value]


def say(message: str) -> None:
    click.echo(message, err=True)


def show_progress(settings: Settings) -> bool:
    return settings.progress if settings.progress is not None else sys.stderr.isatty()


@contextmanager
def working_database(settings: Settings) -> Iterator[Engine]:
    """The migrated working database, held exclusively for the duration of the command."""
    path = sqlite_path(settings.database_url)
    engine = make_engine(settings.database_url)
    lock = FileLock(f"{path}.lock") if path is not None else None
    try:
        if lock is not None:
            try:
                lock.acquire(timeout=0)
            except Timeout:
                raise AlreadyRunning(
                    f"a pipeline run is already running on {path}; wait for it to finish, then try again"
                ) from None
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if lock is not None and lock.is_locked:
            lock.release()


def report_rejections(rejections: list[tuple[str, str]]) -> None:
    for path, reason in rejections:
        say(f"skipped {path}: {reason}")


def run_ingest(engine: Engine, settings: Settings) -> IngestReport:
    with engine.begin() as connection:
        report = ingest_stage(connection, settings)
    report_rejections(report.rejections)
    say(
        f"ingest: {report.files} files, {report.new_documents} new contents, "
        f"{report.new_versions} new or changed paths, {report.removed_paths} gone"
    )
    return report


def run_clean(engine: Engine, settings: Settings) -> CleanReport:
    with engine.begin() as connection:
        report = clean_stage(connection, settings)
    report_rejections(report.rejections)
    say(f"clean: {report.articles} articles ({report.cleaned} cleaned, {report.removed} removed)")
    return report


def check_outcome(settings: Settings, ingested: IngestReport, cleaned: CleanReport, strict: bool) -> None:
    """Fail when nothing became an article, or under `--strict` when any file was set aside."""
    if cleaned.articles == 0:
        raise PipelineError(
            f"nothing could be processed: none of the {ingested.files} files under "
            f"{settings.raw_dir} became an article"
        )
    rejected = len(ingested.rejections) + len(cleaned.rejections)
    if strict and rejected:
        files = "1 file was" if rejected == 1 else f"{rejected} files were"
        raise PipelineError(f"--strict: {files} set aside (listed above as 'skipped')")


def strict_option(function: F) -> F:
    return click.option(
        "--strict", is_flag=True, help="Exit with status 1 when any file is set aside (rejected)."
    )(function)


def run_enrich(engine: Engine, settings: Settings) -> None:
    if show_progress(settings):
        with engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(Article)).scalar_one()
        with click.progressbar(length=total, label="enrich", file=sys.stderr) as bar:
            report = enrich_stage(engine, settings, bar.update)
    else:
        report = enrich_stage(engine, settings)
    say(
        f"enrich: {report.enriched} of {report.articles} articles through the model "
        f"({report.words:,} words, {report.mentions:,} mentions), {report.entities:,} entities"
    )


def run_release(engine: Engine, settings: Settings) -> None:
    report = build_release(engine, settings, model_version(settings))
    state = "release unchanged" if report.unchanged else "release"
    say(
        f"{state}: {report.path} ({report.counts.get('articles', 0)} articles, "
        f"{report.counts.get('entities', 0)} entities, {report.counts.get('mentions', 0)} mentions)"
    )


@click.group()
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """Turn a folder of scraped news articles into a SQLite dataset of entities and mentions."""


@cli.command()
@common_options
@strict_option
def run(settings: Settings, strict: bool) -> None:
    """Run every stage and build the release in the dist folder.

    Exit status 0 unless --strict is given and a file was set aside, or no file became an article.

    Example: pipeline run --raw raw --dist dist
    """
    with working_database(settings) as engine:
        ingested = run_ingest(engine, settings)
        cleaned = run_clean(engine, settings)
        if cleaned.articles == 0:
            check_outcome(settings, ingested, cleaned, strict)
        run_enrich(engine, settings)
        run_release(engine, settings)
    # The release is built even under --strict: the rejections are in it, for the user to read.
    check_outcome(settings, ingested, cleaned, strict)


@cli.command()
@common_options
def ingest(settings: Settings) -> None:
    """Store every file under the raw folder verbatim, by content hash.

    Example: pipeline ingest --raw raw
    """
    with working_database(settings) as engine:
        run_ingest(engine, settings)


@cli.command()
@common_options
def clean(settings: Settings) -> None:
    """Build articles from the stored files: title, section, dateline, body; boilerplate removed.

    Example: pipeline clean
    """
    with working_database(settings) as engine:
        run_clean(engine, settings)


@cli.command()
@common_options
def enrich(settings: Settings) -> None:
    """Find named entities and their mentions in changed articles, then resolve entities.

    Example: pipeline enrich --processes 2
    """
    with working_database(settings) as engine:
        run_enrich(engine, settings)


@cli.command()
@common_options
def release(settings: Settings) -> None:
    """Write dist/news.db, its Datasette metadata and SHA256SUMS from the working database.

    Example: pipeline release --dist dist
    """
    with working_database(settings) as engine:
        run_release(engine, settings)


@cli.command()
@common_options
def status(settings: Settings) -> None:
    """Show how many rows each stage has produced.

    Example: pipeline status
    """
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            counts = {
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
            for label, query in counts.items():
                click.echo(f"{label:28} {connection.execute(query).scalar_one():>10,}")
    finally:
        engine.dispose()
    release_path = settings.release_path
    click.echo(f"{'release':28} {release_path if release_path.exists() else '(not built)'}")


@cli.command()
@common_options
@click.option("--port", type=int, default=8001, show_default=True, help="Port on 127.0.0.1.")
def serve(settings: Settings, port: int) -> None:
    """Serve the release with Datasette and its metadata on 127.0.0.1.

    Example: pipeline serve --port 8001
    """
    from pipeline.serve import serve_release

    serve_release(settings, port)


@cli.command()
@common_options
def verify(settings: Settings) -> None:
    """Check the release against SHA256SUMS and its invariants (offsets, foreign keys, counts).

    Example: pipeline verify --dist dist
    """
    from pipeline.verify import VerificationFailed, verify_release

    try:
        report = verify_release(settings)
    except VerificationFailed as failed:
        for problem in failed.problems:
            say(f"problem: {problem}")
        raise
    say(
        f"verified {report.path}: checksums of {', '.join(report.files)}, integrity, foreign keys, "
        f"{report.offsets:,} offsets, {report.entities:,} entity counts, {report.counts} table counts, "
        f"content_sha256 {report.content_sha256}"
    )


@cli.command()
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--raw",
    "raw_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("raw"),
    show_default=True,
    help="Folder the gold file's paths are relative to.",
)
@click.option("--model", default=None, help="Installed spaCy model package for NER.")
@click.option("--map", "label_map", default=None, help='Map labels before scoring, e.g. "GPE=LOC,FAC=LOC".')
@click.option("--bare", is_flag=True, help="Score the spaCy model alone (no rules, no gazetteer).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(
    gold: Path, raw_dir: Path, model: str | None, label_map: str | None, bare: bool, as_json: bool
) -> None:
    """Score the extraction against gold entity spans: precision, recall, F1 per type.

    Example: pipeline evaluate tests/gold/samples.jsonl --map GPE=LOC,FAC=LOC
    """
    import json

    from pipeline.evaluate import (
        bare_model_spans,
        format_report,
        load_gold,
        parse_label_map,
        pipeline_spans,
        report_as_dict,
        score,
    )

    mapping = parse_label_map(label_map)
    gold_spans = load_gold(gold)
    settings = Settings(raw_dir=raw_dir, **({"model": model} if model else {}))
    predict = bare_model_spans if bare else pipeline_spans
    report = score(gold_spans, predict(list(gold_spans), raw_dir, settings), mapping)
    if as_json:
        click.echo(json.dumps(report_as_dict(report), indent=2))
    else:
        click.echo(format_report(report), nl=False)


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("datasette-metadata.json"),
    show_default=True,
    help="File to write.",
)
def metadata(output: Path) -> None:
    """Write the Datasette metadata generated from the models' descriptions.

    Example: pipeline metadata --output datasette-metadata.json
    """
    write_metadata(output)
    say(f"wrote {output}")


def main() -> None:
    """Entry point: turns library errors into one line and a non-zero exit."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        say("aborted")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except PipelineError as error:
        say(f"error: {error}")
        sys.exit(1)
    except KeyboardInterrupt:
        say("interrupted; the next run picks up where this one stopped")
        sys.exit(130)
