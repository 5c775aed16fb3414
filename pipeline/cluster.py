"""Enrich on a Dask cluster: the client schedules batches of article ids, the workers do the rest.

Each worker loads the model once (a worker plugin) and opens its own engine on the working
database; a task reads its batch's articles from the store, runs the model and every rule, and
writes the batch's rows in one transaction. The client only sends ids and counts what comes back.

A batch's write replaces everything the batch's articles had (delete, then insert), so a task that
runs twice (its worker died after committing, before reporting) writes the same rows again: a dead
worker costs the retry of its batches and nothing else, and the release is the same.

With SQLite the workers write the same file: WAL lets them read while one writes, the busy timeout
queues the writers, and a batch's write (milliseconds) is small next to its model time (seconds).
Sending the rows back for the client to write would instead make the client's CPU and the network
the bottleneck, and need a second code path for PostgreSQL, where workers on other machines must
write themselves. A remote cluster therefore needs a database its workers can reach: PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from distributed import WorkerPlugin

from pipeline.errors import ConfigurationError
from pipeline.ids import chunked
from pipeline.settings import Settings

PLUGIN_NAME = "pipeline-enrich"
SCHEDULER_TIMEOUT = "30s"
"""How long to keep trying to reach a scheduler before giving up."""
BATCH_ARTICLES = 32
"""Articles per task: enough to keep the model's batches full, small enough that a lost worker
costs little and the corpus spreads evenly over the workers."""


class EnrichPlugin(WorkerPlugin):
    """Loads the model and opens the store once per worker process (a Dask worker plugin)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nlp: Any = None
        self.engine: Any = None

    def setup(self, worker: Any) -> None:
        from pipeline.extract.ner import load_model
        from pipeline.store.engine import make_engine

        self.nlp = load_model(self.settings.model, self.settings.excluded_components)
        self.engine = make_engine(self.settings.database_url)

    def teardown(self, worker: Any) -> None:
        if self.engine is not None:
            self.engine.dispose()


def enrich_batch(batch: Sequence[tuple[str, str]]) -> tuple[int, int, int]:
    """On a worker: analyse and store one batch of (article id, new input hash).

    Returns:
        (articles, words, mentions) written.
    """
    from distributed import get_worker

    from pipeline.stages.enrich import analyse, load_articles, write_extractions

    plugin = cast(EnrichPlugin, get_worker().plugins[PLUGIN_NAME])
    ids = [article_id for article_id, _ in batch]
    extractions = analyse(plugin.nlp, list(load_articles(plugin.engine, ids)), plugin.settings)
    with plugin.engine.connect() as connection:
        mentions = write_extractions(connection, extractions, dict(batch), plugin.settings.model)
        connection.commit()
    return len(ids), sum(item.words for item in extractions), mentions


@contextmanager
def cluster_client(settings: Settings) -> Iterator[Any]:
    """A Dask client on the scheduler the settings name, or on a LocalCluster they start."""
    from distributed import Client, LocalCluster

    workers = settings.local_workers
    if workers is None:
        try:
            client = Client(settings.scheduler, timeout=SCHEDULER_TIMEOUT)  # type: ignore[no-untyped-call]
        except OSError as error:
            raise ConfigurationError(
                f"cannot reach the Dask scheduler {settings.scheduler}: {error}"
            ) from error
        with client:
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def worker_settings(settings: Settings) -> Settings:
    """The settings as a worker needs them: a SQLite file named by its absolute path.

    A worker process need not share the client's working directory.
    """
    from pipeline.store.engine import sqlite_path

    path = sqlite_path(settings.database_url)
    if path is None or path.is_absolute():
        return settings
    return settings.model_copy(update={"database_url": f"sqlite:///{path.resolve()}"})


def enrich_on_cluster(
    settings: Settings, pending: Sequence[tuple[str, str]], progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Enrich the pending articles on the cluster; returns (words, mentions) written."""
    from distributed import as_completed

    words = mentions = 0
    with cluster_client(settings) as client:
        client.register_plugin(EnrichPlugin(worker_settings(settings)), name=PLUGIN_NAME)
        batches = [list(batch) for batch in chunked(pending, BATCH_ARTICLES)]
        # pure=False: a batch sent again in a later run must run again, not come from a cache.
        futures = client.map(enrich_batch, batches, pure=False)
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            articles, batch_words, batch_mentions = future.result()
            words += batch_words
            mentions += batch_mentions
            if progress:
                progress(articles)
    return words, mentions
