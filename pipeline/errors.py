"""The error types a user can see. The library raises these; only the CLI turns them into messages."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class for every error the pipeline raises on purpose."""


class ConfigurationError(PipelineError):
    """A setting, path or database URL cannot be used."""


class RejectedInput(PipelineError):
    """One input file cannot become an article; the reason is recorded and the run goes on.

    Attributes:
        reason: one human-readable sentence, without the file name (the caller adds it).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadyRunning(PipelineError):
    """Another pipeline run holds the lock on the same working database."""


class StoreError(PipelineError):
    """The working database cannot be used as it is (damaged, full, unknown schema, not a file)."""


class ReleaseError(PipelineError):
    """A release could not be built or does not verify."""
