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
from pathlib import Path

from pipeline.outputs.files import CHECKSUMS_FILE

STAGING_PREFIX = ".staging-"
PUBLISHING = ".publishing"


def publish_order(folder: Path) -> list[str]:
    """The folder's files in name order, SHA256SUMS last: until it is replaced, the old checksums
    still describe the old files."""
    names = sorted(path.name for path in folder.iterdir() if path.is_file() and path.name != CHECKSUMS_FILE)
    return [*names, CHECKSUMS_FILE] if (folder / CHECKSUMS_FILE).exists() else names


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


def _process_alive(pid: int) -> bool:
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
        if not pid.isdigit() or int(pid) == os.getpid() or not _process_alive(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)
    publishing = dist / PUBLISHING
    if not publishing.is_dir():
        return False
    for name in publish_order(publishing):
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
