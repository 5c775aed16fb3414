"""Finding the input files under the raw folder: what may be read, under which name, and why not.

Three promises live here. A file is only read when its real path (every symbolic link followed) is
inside the raw folder, so `raw/passwd.txt -> /etc/passwd` is rejected, never published. The pipeline
never reads its own outputs (the release folder, the working database and its companions) when they
sit inside the raw folder. Every name the operating system allows is kept: bytes that are not UTF-8
are stored as `\\xNN` (and a backslash as `\\\\`), so the stored name is text, readable, and maps back
to exactly one name on disk.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConfigurationError

OUTSIDE = "links outside the raw folder (to {target}); not read"
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock")
"""The working database's own files: SQLite's journals and our run lock."""


@dataclass(frozen=True)
class FoundFile:
    """A file under the raw folder: its stored name and its bytes, or why they cannot be read.

    A file that is streamed (an archive, maybe larger than memory) is not read here: `content`
    and `error` are None and `location` is its checked real path.
    """

    path: str
    content: bytes | None
    error: str | None = None
    location: Path | None = None


def stored_name(relative: str) -> str:
    """The name as stored: UTF-8 text, with undecodable bytes as `\\xNN` and `\\` as `\\\\`.

    `relative` is what `os.walk` gives: undecodable bytes are surrogate escapes (PEP 383).
    """
    return os.fsencode(relative).replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def name_on_disk(stored: str) -> bytes:
    """The file name's bytes a stored name stands for (the inverse of `stored_name`)."""
    out = bytearray()
    index = 0
    while index < len(stored):
        char = stored[index]
        if char == "\\" and stored[index + 1 : index + 2] == "\\":
            out += b"\\"
            index += 2
        elif char == "\\" and stored[index + 1 : index + 2] == "x":
            out.append(int(stored[index + 2 : index + 4], 16))
            index += 4
        else:
            out += char.encode("utf-8")
            index += 1
    return bytes(out)


def shown(name: str) -> str:
    """A name as printed in one output line: quoted, control characters escaped.

    A newline in a file name must not start a line of its own that looks like the pipeline's.
    """
    if name.isprintable() and " " not in name and "'" not in name:
        return name
    return repr(name)


@dataclass
class Discovery:
    """The walk over one raw folder; `own_outputs` lists what was left alone as ours."""

    raw_dir: Path
    own: tuple[Path, ...] = ()
    own_outputs: list[str] = field(default_factory=list)
    streamed_suffixes: tuple[str, ...] = ()
    """Names ending so are checked but not read: their source streams them from `location`."""

    def files(self) -> Iterator[FoundFile]:
        """Files in a stable order; hidden files and folders, and our own outputs, are skipped."""
        if not self.raw_dir.is_dir():
            raise ConfigurationError(f"raw folder {self.raw_dir} does not exist or is not a folder")
        root = self.raw_dir.resolve()
        for folder, subfolders, files in os.walk(self.raw_dir, followlinks=False):
            base = Path(folder)
            kept = []
            for name in sorted(subfolders):
                path = base / name
                if name.startswith(".") or self._is_own(path):
                    continue
                if path.is_symlink():
                    yield FoundFile(self._name(path), None, "is a symbolic link to a folder, not followed")
                    continue
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                path = base / name
                if name.startswith("."):
                    continue
                try:
                    real: str | OSError = os.path.realpath(path, strict=True)
                except OSError as error:
                    real = error
                if self._is_own(path, real if isinstance(real, str) else None):
                    continue
                streamed = name.lower().endswith(self.streamed_suffixes) if self.streamed_suffixes else False
                yield read_found(path, self._name(path), root, streamed=streamed, real=real)

    def _name(self, path: Path) -> str:
        return stored_name(path.relative_to(self.raw_dir).as_posix())

    def _is_own(self, path: Path, real: str | None = None) -> bool:
        real = real or os.path.realpath(path)
        if any(real == own or real.startswith(own + os.sep) for own in map(str, self.own)):
            self.own_outputs.append(self._name(path))
            return True
        return False


def own_outputs(dist_dir: Path, database: Path | None) -> tuple[Path, ...]:
    """The real paths of everything the pipeline writes, never to be read back as input."""
    paths = [dist_dir.resolve()]
    if database is not None:
        paths += [Path(f"{database.resolve()}{suffix}") for suffix in DATABASE_COMPANIONS]
    return tuple(paths)


def read_found(
    path: Path, name: str, root: Path, *, streamed: bool = False, real: str | OSError | None = None
) -> FoundFile:
    """The file's bytes when its real path is inside `root`; otherwise, or unreadable, why not.

    With `streamed`, the checks are made but the bytes are left for the source to stream. `real`
    is the path's strict `realpath` (or the error it raised), when the caller has it already.
    """
    if real is None:
        try:
            real = os.path.realpath(path, strict=True)
        except OSError as error:
            real = error
    if isinstance(real, OSError):
        return FoundFile(name, None, read_error(path, real))
    target = Path(real)
    if not target.is_relative_to(root):
        return FoundFile(name, None, OUTSIDE.format(target=shown(str(target))))
    try:
        # O_NOFOLLOW: the real path was checked above, a link swapped in since is not followed;
        # O_NONBLOCK: a named pipe must not wait for a writer.
        descriptor = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return FoundFile(name, None, "is not a regular file (a device, socket or pipe); not read")
            if streamed:
                return FoundFile(name, None, location=target)
            return FoundFile(name, handle.read())
    except OSError as error:
        return FoundFile(name, None, read_error(path, error))


def read_error(path: Path, error: OSError) -> str:
    """Why a file could not be read, in words."""
    if error.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if error.errno == errno.ENOENT:
        if path.is_symlink():
            return "is a broken symbolic link"
        return "disappeared while the raw folder was read (deleted or moved during ingest)"
    return f"cannot be read: {error.strerror or error}"
