"""SQLite specifics of the working store: connection pragmas and the one-run-at-a-time file lock."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from pipeline.errors import AlreadyRunning

READ_BUSY_TIMEOUT_MS = 2000
"""How long a read-only command waits for a writer's lock before it says so (WAL readers rarely wait)."""

FAULTS = (
    ("database or disk is full", "the disk is full (or the database hit its size limit)", "free space"),
    ("disk i/o error", "the disk reported an input/output error", "check the disk"),
    (
        "database disk image is malformed",
        "is damaged (database disk image is malformed)",
        "move it away and run again to rebuild it from the raw folder",
    ),
    (
        "file is not a database",
        "is not a SQLite database",
        "point --database-url at the working database, or move the file away to start a new one",
    ),
    (
        "unable to open database file",
        "cannot be opened (a folder, or in a folder that cannot be written?)",
        "point --database-url at a file",
    ),
    ("readonly database", "cannot be written (read-only file or folder)", "check its permissions"),
    ("database is locked", "is locked by another program", "wait for it to finish, then try again"),
)
"""SQLite's messages for what a user can fix, each as (message part, what it means, what to do)."""


def explain(message: str, database: Path | str) -> str | None:
    """One sentence for a SQLite error a user can act on, or None for a bug (shown as it is)."""
    lowered = message.lower()
    for part, meaning, advice in FAULTS:
        if part in lowered:
            subject = "" if meaning.startswith("the ") else f"{database} "
            return f"{subject}{meaning} ({database}); {advice}"
    return None


def set_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Pragmas for a connection that only reads: no journal-mode switch, nothing written."""
    dbapi_connection.execute("PRAGMA query_only=ON")
    dbapi_connection.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")


def read_only_url(database: Path) -> str:
    """A SQLAlchemy URL that opens `database` read-only, never creating or converting it."""
    return f"sqlite:///file:{database.resolve()}?mode=ro&uri=true"


def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Pragmas for every connection to the working database."""
    cursor = dbapi_connection.cursor()
    # WAL lets Datasette or a status query read while a stage writes; NORMAL is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


class RunLock:
    """An exclusive lock beside the database file, held for one command."""

    def __init__(self, database: Path) -> None:
        self.database = database
        # The real path: a second run through a symbolic link or another relative path must meet
        # the same lock file.
        self._lock = FileLock(f"{os.path.realpath(database)}.lock")

    def acquire(self) -> None:
        """Take the lock at once, or raise `AlreadyRunning`."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise AlreadyRunning(
                f"a pipeline run is already running on {self.database}; wait for it to finish, then try again"
            ) from None

    def release(self) -> None:
        """Let the next run in."""
        if self._lock.is_locked:
            self._lock.release()
