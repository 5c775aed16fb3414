"""SQLite specifics of the working store: connection pragmas and the one-run-at-a-time file lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from pipeline.errors import AlreadyRunning


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
        self._lock = FileLock(f"{database}.lock")

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
