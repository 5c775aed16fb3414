"""The `pipeline` command: thin click commands over `pipeline.api`.

Library code raises `PipelineError`s; only this module turns them into one-line messages.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from pipeline import __version__, api
from pipeline.errors import PipelineError
from pipeline.settings import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, Settings
from pipeline.sources.discover import shown
from pipeline.stages.clean import CleanReport
from pipeline.stages.enrich import EnrichReport, Progress, describe_without_model
from pipeline.stages.ingest import IngestReport
from pipeline.stages.release import ReleaseReport
from pipeline.stages.resolve import ResolveReport
from pipeline.store.store import open_store

F = TypeVar("F", bound=Callable[..., Any])

RAW_OPTION = click.option(
    "--raw",
    "raw_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("raw"),
    show_default=True,
    help="Folder of input articles (read recursively).",
)
DIST_OPTION = click.option(
    "--dist",
    "dist_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Folder the release is written to.",
)
DATABASE_OPTION = click.option(
    "--database-url",
    envvar=DATABASE_URL_ENV,
    default=DEFAULT_DATABASE_URL,
    show_default=True,
    help=(
        "Working database: a SQLite URL, or postgresql+psycopg://USER@HOST/DB; "
        f"also read from ${DATABASE_URL_ENV}."
    ),
)
MODEL_OPTION = click.option(
    "--model", default=None, help="Installed spaCy model package for NER of English articles."
)


def _language_models(
    _context: click.Context, _parameter: click.Parameter, values: tuple[str, ...]
) -> dict[str, str] | None:
    pairs = {}
    for value in values:
        language, _, package = value.partition("=")
        if not language.strip() or not package.strip():
            raise click.BadParameter(f"{value!r} is not LANG=PACKAGE, e.g. de=de_core_news_sm")
        pairs[language.strip().lower()] = package.strip()
    return pairs or None


LANGUAGE_MODEL_OPTION = click.option(
    "--language-model",
    "language_models",
    multiple=True,
    callback=_language_models,
    metavar="LANG=PACKAGE",
    help="NER package for another language (repeatable), e.g. de=de_core_news_sm; articles in a "
    "language without one get no entities.",
)
PROCESSES_OPTION = click.option(
    "--processes", type=click.IntRange(min=1), default=None, help="NER processes (default: one per core)."
)
PROFILE_OPTION = click.option(
    "--profile",
    type=click.Choice(["accurate", "fast"]),
    default=None,
    help="accurate: the statistical model (default); fast: a cheap, deterministic entity ruler.",
)
SCHEDULER_OPTION = click.option(
    "--scheduler",
    default=None,
    help="Run clean and enrich on a Dask cluster: its scheduler, tcp://HOST:8786.",
)
CLUSTER_OPTION = click.option(
    "--cluster", default=None, help="Run clean and enrich on a local Dask cluster: local:N worker processes."
)
PROGRESS_OPTION = click.option(
    "--progress/--no-progress", default=None, help="Show progress bars (default: only on a terminal)."
)
STRICT_OPTION = click.option(
    "--strict", is_flag=True, help="Exit with status 1 when any file is set aside (rejected)."
)

TITLE_OPTION = click.option(
    "--title", "dataset_title", default=None, help="The release's title (default: a generic one)."
)
SOURCE_OPTION = click.option(
    "--source",
    "dataset_source",
    default=None,
    help="What the articles are and where they come from, for the dataset card, datapackage.json and "
    "Datasette, e.g. 'Kenyan political news from five outlets, 2024-2025'.",
)
DESCRIBE_OPTIONS = (TITLE_OPTION, SOURCE_OPTION)
STORE_OPTIONS = (RAW_OPTION, DIST_OPTION, DATABASE_OPTION)
MODEL_OPTIONS = (
    PROFILE_OPTION,
    MODEL_OPTION,
    LANGUAGE_MODEL_OPTION,
    PROCESSES_OPTION,
    SCHEDULER_OPTION,
    CLUSTER_OPTION,
    PROGRESS_OPTION,
)
SETTINGS_KEYS = (
    "raw_dir",
    "dist_dir",
    "database_url",
    "profile",
    "model",
    "language_models",
    "processes",
    "scheduler",
    "cluster",
    "progress",
    "dataset_title",
    "dataset_source",
)


def settings_options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Bundle the given options into one `Settings` argument, as sqlite-utils bundles its options."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> Any:
            values = {key: kwargs.pop(key) for key in SETTINGS_KEYS if key in kwargs}
            try:
                settings = Settings(**{key: value for key, value in values.items() if value is not None})
            except ValidationError as error:
                raise click.UsageError(error.errors()[0]["msg"].removeprefix("Value error, ")) from None
            return function(settings, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


def say(message: str) -> None:
    click.echo(message, err=True)


def show_progress(settings: Settings) -> bool:
    return settings.progress if settings.progress is not None else sys.stderr.isatty()


def report_rejections(rejections: list[tuple[str, str]]) -> None:
    for path, reason in rejections:
        say(f"skipped {shown(path)}: {reason}")


def show(report: api.Report) -> None:
    """One line per stage report (and one per rejected file)."""
    if isinstance(report, IngestReport):
        report_rejections(report.rejections)
        if report.own_outputs:
            names = ", ".join(shown(name) for name in report.own_outputs)
            say(f"ingest: not read, the pipeline's own outputs inside the raw folder: {names}")
        say(
            f"ingest: {report.files} files, {report.new_documents} new contents, "
            f"{report.new_versions} new or changed paths, {report.removed_paths} gone"
        )
    elif isinstance(report, CleanReport):
        report_rejections(report.rejections)
        say(f"clean: {report.articles} articles ({report.cleaned} cleaned, {report.removed} removed)")
    elif isinstance(report, EnrichReport):
        say(
            f"enrich: {report.through_model} of {report.articles} articles through the model "
            f"({report.words:,} words, {report.mentions:,} mentions)"
        )
        if report.without_model:
            say(f"enrich: {describe_without_model(report.without_model)}")
    elif isinstance(report, ResolveReport):
        counted = f"{report.articles:,} article{'' if report.articles == 1 else 's'} counted again"
        done = f" ({counted})" if report.resolved else " (unchanged)"
        say(f"resolve: {report.entities:,} entities{done}")
    elif isinstance(report, ReleaseReport):
        state = "release unchanged" if report.unchanged else "release"
        say(
            f"{state}: {report.path} ({report.counts.get('articles', 0)} articles, "
            f"{report.counts.get('entities', 0)} entities, {report.counts.get('mentions', 0)} mentions)"
        )


def run_with_progress(settings: Settings, work: Callable[[Progress | None], Any], total: int) -> Any:
    """`work(progress)` with a progress bar over `total` articles when bars are wanted."""
    if not show_progress(settings):
        return work(None)
    with click.progressbar(length=total, label="enrich", file=sys.stderr) as bar:
        return work(bar.update)


class ArticleCounter:
    """Progress for a run, whose article count is known only once clean has run."""

    def __init__(self) -> None:
        self.done = 0

    def __call__(self, articles: int) -> None:
        self.done += articles
        click.echo(f"\renrich: {self.done:,} articles", err=True, nl=False)


@click.group()
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """Turn a folder of scraped news articles into a SQLite dataset of entities and mentions."""


@cli.command()
@settings_options(*STORE_OPTIONS, *MODEL_OPTIONS, *DESCRIBE_OPTIONS)
@STRICT_OPTION
def run(settings: Settings, strict: bool) -> None:
    """Run every stage and build the release in the dist folder.

    Exit status 0 unless --strict is given and a file was set aside, or no file became an article.

    Example: pipeline run --raw raw --dist dist
    """
    api.run(
        settings,
        strict=strict,
        on_report=show,
        progress=ArticleCounter() if show_progress(settings) else None,
    )


@cli.command()
@settings_options(*STORE_OPTIONS)
def ingest(settings: Settings) -> None:
    """Store every file under the raw folder verbatim, by content hash.

    The release folder and the working database are never read as input, even inside the raw folder.

    Example: pipeline ingest --raw raw
    """
    with open_store(settings.database_url) as store:
        show(api.ingest(settings, store))


@cli.command()
@settings_options(DATABASE_OPTION)
def clean(settings: Settings) -> None:
    """Build articles from the stored files: title, section, dateline, body; boilerplate removed.

    Example: pipeline clean
    """
    with open_store(settings.database_url) as store:
        show(api.clean(settings, store))


@cli.command()
@settings_options(DATABASE_OPTION, *MODEL_OPTIONS)
def enrich(settings: Settings) -> None:
    """Find named entities and their mentions in changed articles, then resolve entities.

    Example: pipeline enrich --processes 2
    """
    with open_store(settings.database_url) as store:
        show(run_with_progress(settings, lambda bar: api.enrich(settings, store, bar), store.article_count()))
        show(api.resolve(settings, store))


@cli.command()
@settings_options(DATABASE_OPTION)
def resolve(settings: Settings) -> None:
    """Tie mentions to entities across all articles (run by enrich too; cheap when nothing changed).

    Example: pipeline resolve
    """
    with open_store(settings.database_url) as store:
        show(api.resolve(settings, store))


@cli.command()
@settings_options(DIST_OPTION, DATABASE_OPTION, PROFILE_OPTION, MODEL_OPTION, *DESCRIBE_OPTIONS)
def release(settings: Settings) -> None:
    """Write dist/news.db, its Datasette metadata and SHA256SUMS from the working database.

    Example: pipeline release --dist dist
    """
    with open_store(settings.database_url) as store:
        show(api.release(settings, store))


@cli.command()
@settings_options(DIST_OPTION, DATABASE_OPTION)
def status(settings: Settings) -> None:
    """Show how many rows each stage has produced.

    Example: pipeline status
    """
    counts, without_model = api.status(settings)
    for label, count in counts.items():
        click.echo(f"{label:28} {count:>10,}")
    if without_model:
        click.echo(f"{'without a model':28} {describe_without_model(without_model)}")
    release_path = settings.release_path
    click.echo(f"{'release':28} {release_path if release_path.exists() else '(not built)'}")


@cli.command()
@settings_options(DIST_OPTION)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port on 127.0.0.1."
)
def serve(settings: Settings, port: int) -> None:
    """Serve the release with Datasette and its metadata on 127.0.0.1.

    A release published into the same dist folder meanwhile is served from the next request on
    (the whole server switches at once); queries are time- and size-limited.

    Example: pipeline serve --port 8001
    """
    from pipeline.outputs.datasette import serve_release

    try:
        serve_release(settings, port, say)
    except KeyboardInterrupt:
        say("stopped serving")  # Ctrl-C is how a server is meant to stop: not a failure


@cli.command()
@settings_options(DIST_OPTION, DATABASE_OPTION)
def verify(settings: Settings) -> None:
    """Check the release against SHA256SUMS and its invariants (offsets, foreign keys, counts).

    With the working database at hand, every raw offset is checked against the raw text too.

    Example: pipeline verify --dist dist
    """
    from pipeline.outputs.verify import VerificationFailed, verify_release

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
    raw = api.verify_raw_offsets(settings)
    if raw is None:
        say("raw offsets not checked: no working database (they index into the raw files it holds)")
        return
    for problem in raw.problems:
        say(f"problem: {problem}")
    if raw.problems:
        raise VerificationFailed(settings.database_url, raw.problems)
    say(
        f"verified {raw.checked:,} raw offsets against the working database; "
        f"{raw.without_raw:,} mentions, quotes and dropped spans have none "
        "(markup splits them in the source); "
        f"{raw.aligned_share:.2%} of {raw.mentions:,} mentions aligned"
    )


@cli.command()
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@settings_options(RAW_OPTION, MODEL_OPTION)
@click.option("--map", "label_map", default=None, help='Map labels before scoring, e.g. "GPE=LOC,FAC=LOC".')
@click.option("--bare", is_flag=True, help="Score the spaCy model alone (no rules, no gazetteer).")
@click.option(
    "--by-rule",
    is_flag=True,
    help="Per rule: what it added, removed, retyped, re-bounded or merged, and how much was right.",
)
@click.option(
    "--bodies",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Article bodies of the gold's pages ({id: {articleBody}}), e.g. real-pages-dev/ground-truth.json.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(
    settings: Settings,
    gold: Path,
    label_map: str | None,
    bare: bool,
    by_rule: bool,
    bodies: Path | None,
    as_json: bool,
) -> None:
    """Score the extraction against gold entity spans: precision, recall, F1 per type.

    Example: pipeline evaluate tests/gold/samples.jsonl --map GPE=LOC,FAC=LOC

    Example: pipeline evaluate tests/gold/real_news.jsonl --by-rule
    --bodies ../shared/real-pages-dev/ground-truth.json
    """
    import json

    from pipeline import evaluate as evaluation
    from pipeline.extract.rules.effects import effects_as_dict, format_effects

    gold_spans = evaluation.load_gold(gold)
    texts = evaluation.load_bodies(bodies) if bodies is not None else None
    documents = evaluation.gold_documents(list(gold_spans), settings.raw_dir, settings, texts)
    if by_rule:
        effects = evaluation.rule_effects(documents, gold_spans, settings)
        table = json.dumps(effects_as_dict(effects), indent=2) + "\n" if as_json else format_effects(effects)
        click.echo(table, nl=False)
        return
    predict = evaluation.bare_model_spans if bare else evaluation.pipeline_spans
    mapping = evaluation.parse_label_map(label_map)
    report = evaluation.score(gold_spans, predict(documents, settings), mapping)
    if as_json:
        click.echo(json.dumps(evaluation.report_as_dict(report), indent=2))
    else:
        click.echo(evaluation.format_report(report), nl=False)


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
    from pipeline.schema.describe import write_metadata

    write_metadata(output)
    say(f"wrote {output}")


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("docs/extraction.md"),
    show_default=True,
    help="The extraction document whose rule table is regenerated.",
)
def docs(output: Path) -> None:
    """Regenerate the rule table in docs/extraction.md from the rules registry.

    Example: pipeline docs
    """
    from pipeline.extract.rules.docs import write_rule_table

    write_rule_table(output)
    say(f"wrote {output}")


def main() -> None:
    """Entry point: turns library errors into one line and a non-zero exit."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        say("interrupted; the next run picks up where this one stopped")
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except PipelineError as error:
        say(f"error: {error}")
        sys.exit(1)
    except OSError as error:
        # The file system refused something outside our control (full disk, permissions, a folder
        # where a file should be): one line with the path, never a traceback.
        where = f" ({error.filename})" if error.filename else ""
        say(f"error: {error.strerror or error}{where}; nothing was published by the failed step")
        sys.exit(1)
    except KeyboardInterrupt:
        say("interrupted; the next run picks up where this one stopped")
        sys.exit(130)
