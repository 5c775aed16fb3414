"""Publication: Datasette over the release, read-only, one release at a time, with query limits.

Three promises live here.
- *One release at a time.* The server reads a private hard link to the `news.db` it opened
  (`dist/.serving-<pid>-<n>.db`), so every thread sees the same file however often `dist/` is
  republished. When a new release is published (and `SHA256SUMS` vouches for it), the next request
  switches the whole server to it at once: a new link, new connections, its metadata.
- *Limits on every query.* Each connection caps the size of any value (so `randomblob(900000000)`
  or `printf('%.*c', 900000000, 'x')` fail at once instead of taking gigabytes), caps `printf`
  widths, caps LIKE patterns and SQLite's heap; Datasette's time limit stops the rest.
- *Nothing of the machine leaks.* `pragma_database_list` shows no path, `/-/databases` is not
  served, a Host header other than this server's is refused (DNS rebinding), and a 404 logs nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.database import Database

from pipeline.errors import ConfigurationError
from pipeline.outputs.files import METADATA_FILE, RELEASE_FILE
from pipeline.outputs.publish import process_alive, read_checksums, sha256_file
from pipeline.schema.describe import build_metadata
from pipeline.settings import Settings

SQL_TIME_LIMIT_MS = 2000
DATABASE_NAME = "news"
MAX_VALUE_BYTES = 32 * 1024 * 1024
"""The largest string or blob any query may make or read (the largest article is far smaller)."""
MAX_PRINTF_WIDTH = 100_000
"""`printf`'s width and precision: SQLite fills them in one step no time limit can interrupt."""
MAX_LIKE_PATTERN = 1000
HEAP_LIMIT_BYTES = 1024 * 1024 * 1024
"""SQLite's memory for the whole server; a query past it fails with "out of memory"."""
SWITCH_CHECK_S = 1.0
"""How often (at most) a request looks for a newly published release."""
SNAPSHOT_PREFIX = ".serving-"


def datasette_settings() -> dict[str, Any]:
    """Limits that keep a public instance responsive whatever SQL a visitor writes."""
    return {
        "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
        "max_returned_rows": 1000,
        "allow_download": True,
        # suggesting facets runs a query per column on every table page: too slow on a big release
        "suggest_facets": False,
    }


# --- limits on every connection ------------------------------------------------------------------

_PRINTF_SPEC = re.compile(r"%[-+ 0#,!]{0,8}(\d{1,12}|\*)?(?:\.(\d{1,12}|\*))?")


def _checked_printf(checker: sqlite3.Connection) -> Callable[..., Any]:
    """SQLite's own `printf`, run on a private connection after its widths are checked."""

    def printf(*arguments: Any) -> Any:
        if not arguments:
            return None
        form, *args = arguments
        if isinstance(form, str):
            numbers = [int(n) for spec in _PRINTF_SPEC.findall(form) for n in spec if n.isdigit()]
            if "*" in form:
                numbers += [abs(a) for a in args if isinstance(a, int)]
            if any(n > MAX_PRINTF_WIDTH for n in numbers):
                # OverflowError reaches the visitor as SQLite's own "string or blob too big".
                raise OverflowError(f"printf width or precision over {MAX_PRINTF_WIDTH:,}")
        marks = ", ".join("?" for _ in range(len(args) + 1))
        return checker.execute(f"SELECT printf({marks})", (form, *args)).fetchone()[0]

    return printf


def _authorize(action: int, first: str | None, second: str | None, _db: str | None, _t: str | None) -> int:
    """Hide the server's file paths: `PRAGMA database_list` and its table-valued form answer nothing."""
    if action == sqlite3.SQLITE_PRAGMA and first == "database_list":
        return sqlite3.SQLITE_IGNORE
    if action == sqlite3.SQLITE_READ and first == "pragma_database_list" and second == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def limit_connection(connection: sqlite3.Connection) -> None:
    """Bound what one query on this connection can cost, whatever SQL it runs."""
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN)
    connection.execute(f"PRAGMA hard_heap_limit={HEAP_LIMIT_BYTES}")
    checker = sqlite3.connect(":memory:", check_same_thread=False)
    checker.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    for name in ("printf", "format"):
        connection.create_function(name, -1, _checked_printf(checker), deterministic=True)
    connection.set_authorizer(_authorize)


@hookimpl  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Datasette's plugin hook: `limit_connection` on every connection it opens."""
    limit_connection(conn)


def _register_plugin() -> None:
    """This module is the Datasette plugin (its one hook is `prepare_connection`)."""
    import sys

    from datasette.plugins import pm

    if pm.get_plugin(__name__) is None:
        pm.register(sys.modules[__name__], name=__name__)
    # Datasette prints a traceback with every local variable for each 404 (about 16 KB a time)
    # when `rich` is installed; a missing page is not worth a line of the log.
    import datasette.handle_exception

    datasette.handle_exception.rich = None


# --- one release at a time -----------------------------------------------------------------------


class ReleaseDatabase(Database):  # type: ignore[misc]
    """An immutable database whose per-thread connections belong to it alone.

    Datasette keeps one connection per thread under the database's *name*; a new release under the
    same name would go on being read through the old file by threads that had connected before.
    """

    def connect(self, write: bool = False) -> sqlite3.Connection:
        # Datasette's `?immutable=1` alone lets SQLite create a missing file: a request begun before
        # a switch would bring the old snapshot's unlinked name back as an empty database.
        assert not write, "a release is never written through the server"
        connection = sqlite3.connect(
            f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        self._all_file_connections.append(connection)
        return connection

    async def execute_fn(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        if self.ds.executor is None:
            return await super().execute_fn(fn)
        local = _connections

        def in_thread() -> Any:
            owner, connection = getattr(local, "slot", (None, None))
            # A request begun before a switch whose thread has no connection to the old snapshot
            # reads the release served now: the old snapshot's link may already be gone.
            database = self if owner is self and connection is not None else self.ds.databases[self.name]
            if owner is not database or connection is None:
                if connection is not None:
                    connection.close()  # this thread's connection to a release no longer served
                connection = database.connect()
                self.ds._prepare_connection(connection, self.name)
                local.slot = (database, connection)
            return fn(connection)

        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)


_connections = threading.local()


@dataclass(frozen=True)
class Snapshot:
    """One published release as a server holds it: its private link, identity and metadata."""

    path: Path
    identity: tuple[int, int]
    metadata: dict[str, Any]
    private: bool


def _load_metadata(path: Path, expected_sha: str | None) -> dict[str, Any] | None:
    """The release's metadata; None while it does not match `SHA256SUMS` (a publish under way)."""
    if not path.is_file():
        return build_metadata() if expected_sha is None else None
    if expected_sha is not None and sha256_file(path) != expected_sha:
        return None
    try:
        metadata: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigurationError(
            f"{path} is not valid JSON ({error}); run `pipeline release` to rebuild it"
        ) from None
    return metadata


def release_metadata(settings: Settings) -> dict[str, Any]:
    """The metadata shipped with the release, or freshly generated when it is missing."""
    metadata = _load_metadata(settings.dist_dir / METADATA_FILE, None)
    return metadata if metadata is not None else build_metadata()


class ServedRelease:
    """Takes snapshots of the release in `dist/`: hard links only this server reads through."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.taken = 0
        _remove_abandoned_snapshots(settings.dist_dir)

    def identity(self) -> tuple[int, int] | None:
        """The published `news.db`'s (device, inode), or None when there is none."""
        try:
            found = os.stat(self.settings.release_path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def take(self) -> Snapshot | None:
        """A snapshot of the published release, or None while `SHA256SUMS` does not vouch for it."""
        sums = read_checksums(self.settings.checksums_path)
        self.taken += 1
        link = self.settings.dist_dir / f"{SNAPSHOT_PREFIX}{os.getpid()}-{self.taken}.db"
        try:
            os.link(self.settings.release_path, link)
        except FileNotFoundError:
            return None
        except OSError:  # a read-only dist/ (a downloaded release): read it in place
            in_place = self.settings.release_path
            return Snapshot(in_place, self.identity() or (0, 0), release_metadata(self.settings), False)
        found = os.stat(link)
        expected = sums.get(RELEASE_FILE)
        metadata = _load_metadata(self.settings.dist_dir / METADATA_FILE, sums.get(METADATA_FILE))
        if expected is None or metadata is None or sha256_file(link) != expected:
            link.unlink()
            return None
        return Snapshot(link, (found.st_dev, found.st_ino), metadata, private=True)


def _remove_abandoned_snapshots(dist: Path) -> None:
    """Links left by servers that were killed: their process is gone."""
    for link in dist.glob(f"{SNAPSHOT_PREFIX}*.db"):
        pid = link.name.removeprefix(SNAPSHOT_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            link.unlink(missing_ok=True)


def install(datasette: Any, snapshot: Snapshot) -> None:
    """Serve `snapshot` from now on: every new request reads it, with its metadata."""
    database = ReleaseDatabase(datasette, path=str(snapshot.path), is_mutable=False)
    database.name = database.route = DATABASE_NAME
    datasette._metadata_local = snapshot.metadata
    datasette.databases = {
        **{name: db for name, db in datasette.databases.items() if name != "_memory"},
        DATABASE_NAME: database,
    }


def new_datasette(metadata: dict[str, Any]) -> Any:
    """A Datasette with our settings and limits and no database yet."""
    from datasette.app import Datasette

    _register_plugin()
    return Datasette(metadata=metadata, settings=datasette_settings())


def make_datasette(settings: Settings) -> Any:
    """A Datasette app serving the release in place, immutably (its test client is used by tests)."""
    if not settings.release_path.is_file():
        raise ConfigurationError(f"no release at {settings.release_path}; run `pipeline run` first")
    path = settings.release_path
    identity = (path.stat().st_dev, path.stat().st_ino)
    snapshot = Snapshot(path, identity, release_metadata(settings), private=False)
    datasette = new_datasette(snapshot.metadata)
    install(datasette, snapshot)
    return datasette


# --- the server ----------------------------------------------------------------------------------


class ReleaseServer:
    """The ASGI app `pipeline serve` runs: Datasette, switched to each new release all at once."""

    def __init__(self, datasette: Any, release: ServedRelease, snapshot: Snapshot, port: int) -> None:
        self.datasette = datasette
        self.app = datasette.app()
        self.release = release
        self.snapshot = snapshot
        self.hosts = {f"{host}:{port}".encode() for host in ("127.0.0.1", "localhost")}
        self.hosts |= {b"127.0.0.1", b"localhost"}
        self.checked = time.monotonic()
        self.switching = asyncio.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"")
            if host not in self.hosts:
                await _refuse(send, 421, "This server answers only to 127.0.0.1 and localhost.")
                return
            if scope["path"].startswith("/-/databases"):
                await _refuse(send, 404, "Not found.")
                return
            await self.follow_new_release()
        await self.app(scope, receive, send)

    async def follow_new_release(self) -> None:
        """Switch to a newly published release, checked at most once a second."""
        if not self.snapshot.private or time.monotonic() - self.checked < SWITCH_CHECK_S:
            return
        self.checked = time.monotonic()
        if self.release.identity() in (None, self.snapshot.identity) or self.switching.locked():
            return
        async with self.switching:
            snapshot = await asyncio.to_thread(self.release.take)
            if snapshot is None:
                return  # still being published; the next check tries again
            old, self.snapshot = self.snapshot, snapshot
            install(self.datasette, snapshot)
            old.path.unlink(missing_ok=True)  # open connections keep reading it until they close

    def close(self) -> None:
        if self.snapshot.private:
            self.snapshot.path.unlink(missing_ok=True)


async def _refuse(send: Any, status: int, message: str) -> None:
    body = message.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def bind(port: int) -> socket.socket:
    """The listening socket on 127.0.0.1, or one clear error when the port is taken."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as error:
        listener.close()
        raise ConfigurationError(
            f"port {port} on 127.0.0.1 cannot be used ({error.strerror}); "
            "another server may be running there: choose another with --port"
        ) from None
    listener.listen(128)
    return listener


def first_snapshot(release: ServedRelease, settings: Settings) -> Snapshot:
    """The release to start with; waits a moment for a publish under way, then says what is wrong."""
    if not settings.release_path.is_file():
        raise ConfigurationError(f"no release at {settings.release_path}; run `pipeline run` first")
    for _attempt in range(20):
        snapshot = release.take()
        if snapshot is not None:
            return snapshot
        time.sleep(0.1)
    raise ConfigurationError(
        f"the release in {settings.dist_dir} does not match its SHA256SUMS; "
        "run `pipeline verify` to see why, or `pipeline release` to rebuild it"
    )


def serve_release(settings: Settings, port: int, on_ready: Callable[[str], None]) -> None:
    """Run Datasette on 127.0.0.1 until interrupted, following each newly published release."""
    import uvicorn

    listener = bind(port)
    release = ServedRelease(settings)
    snapshot = first_snapshot(release, settings)
    datasette = new_datasette(snapshot.metadata)
    install(datasette, snapshot)
    server = ReleaseServer(datasette, release, snapshot, port)
    follows = "" if snapshot.private else "; dist/ is read-only, so a new release needs a restart"
    on_ready(f"Serving {settings.release_path} on http://127.0.0.1:{port}/ (Ctrl-C to stop){follows}")
    try:
        uvicorn.Server(uvicorn.Config(server, log_level="warning", lifespan="on")).run(sockets=[listener])
    finally:
        server.close()
        listener.close()
