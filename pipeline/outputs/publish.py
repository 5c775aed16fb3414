"""Publishing: `dist/` only ever holds a complete release whose files match SHA256SUMS.

The release is built in `dist/.staging-<pid>/` (news.db, metadata, SHA256SUMS). Once every file is
complete and on disk, the folder is renamed to `dist/.publishing` in one atomic step: from then on
the new release is committed. Its files are then moved over the old ones with os.replace, SHA256SUMS
last. A crash before the rename leaves the old release untouched (the staging folder is removed by
the next run); a crash after it is finished by the next run before anything else, so a reader only
ever sees news.db out of step with SHA256SUMS between two renames of an interrupted publish.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy.exc import DBAPIError

from pipeline.errors import ReleaseError
from pipeline.outputs.files import CHECKSUMS_FILE
from pipeline.store.sqlite import explain

STAGING_PREFIX = ".staging-"
PUBLISHING = ".publishing"
PUBLISH_WAIT_S = 120
"""How long a run waits for another run publishing into the same `dist/` (publishing takes ms)."""


@contextmanager
def publishing_errors(dist: Path) -> Iterator[None]:
    """Turn what the file system or SQLite refuses while a release is written into one `ReleaseError`.

    A read-only or full `dist/` is the user's to fix; the previous release is untouched either way.
    """
    try:
        yield
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ReleaseError(
            f"cannot write the release into {dist}: {error.strerror or error}{where}; "
            "the previous release is untouched"
        ) from None
    except DBAPIError as error:
        explained = explain(str(error.orig), dist)
        if explained is None:
            raise
        raise ReleaseError(f"{explained}; the previous release is untouched") from None


@contextmanager
def dist_lock(dist: Path) -> Iterator[None]:
    """Hold `dist/` for one publish: two working databases may release into the same folder.

    The lock file sits beside the folder (under its real path, so every way of naming the folder
    meets the same lock), because `dist/` holds the release's files and nothing else.
    """
    lock = FileLock(f"{os.path.realpath(dist)}.lock")
    try:
        lock.acquire(timeout=PUBLISH_WAIT_S)
    except Timeout:
        raise ReleaseError(
            f"another run has been publishing into {dist} for {PUBLISH_WAIT_S} s; "
            "wait for it to finish, then release again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def publish_order(folder: Path) -> list[str]:
    """The folder's files in name order, SHA256SUMS last: until it is replaced, the old checksums
    still describe the old files."""
    names = sorted(path.name for path in folder.iterdir() if path.is_file() and path.name != CHECKSUMS_FILE)
    return [*names, CHECKSUMS_FILE] if (folder / CHECKSUMS_FILE).exists() else names


def check_targets(dist: Path, names: list[str]) -> None:
    """Refuse, before anything moves, when a release file's place in `dist/` holds something else."""
    for name in names:
        target = dist / name
        if target.exists() and not target.is_file():
            raise ReleaseError(
                f"{target} is a folder (or not a regular file) where the release's {name} goes; "
                "remove it, then release again; nothing was published"
            )


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so that a rename never publishes unwritten data."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (whoever owns it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def finish_interrupted_publish(dist: Path) -> bool:
    """Complete a publish that a crash interrupted, and remove abandoned staging folders.

    Returns:
        True when an interrupted publish was completed.
    """
    for staging in dist.glob(f"{STAGING_PREFIX}*"):
        pid = staging.name.removeprefix(STAGING_PREFIX)
        if not pid.isdigit() or int(pid) == os.getpid() or not process_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
    publishing = dist / PUBLISHING
    if not publishing.is_dir():
        return False
    names = publish_order(publishing)
    check_targets(dist, names)
    for name in names:
        os.replace(publishing / name, dist / name)
    _fsync(dist)
    shutil.rmtree(publishing)
    return True


def publish(staging: Path, dist: Path) -> None:
    for name in publish_order(staging):
        _fsync(staging / name)
    _fsync(staging)
    os.replace(staging, dist / PUBLISHING)  # the commit point
    _fsync(dist)
    finish_interrupted_publish(dist)


def read_checksums(path: Path) -> dict[str, str]:
    """`{file name: sha256}` from a `sha256sum` file; empty when it is missing or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    sums = {}
    for line in lines:
        sha, _, name = line.partition("  ")
        if len(sha) == 64 and name:
            sums[name] = sha
    return sums


def write_checksums(path: Path, files: dict[str, str]) -> None:
    """A `sha256sum -c` compatible file, replaced atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(f"{sha}  {name}\n" for name, sha in sorted(files.items())))
    os.replace(temporary, path)
