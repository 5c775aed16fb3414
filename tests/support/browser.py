"""Browser fixtures: one served release and one headless Chromium for the whole session.

`served_release` is the one seam: it serves whatever `release_dir` holds. `release_dir` copies the
release of the session's real pipeline run over the samples.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 60


@dataclass(frozen=True)
class ServedRelease:
    """A Datasette server over a release: where it listens and the file it serves."""

    base_url: str
    db_path: Path
    database: str = "news"

    def url(self, path: str) -> str:
        return self.base_url + path

    def query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        """Read the served file directly, to know what a page should show."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def release_dir(sample_run: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the release the session's real pipeline run built over the samples."""
    target = tmp_path_factory.mktemp("release") / "dist"
    shutil.copytree(sample_run.settings.dist_dir, target)
    return target


@pytest.fixture(scope="session")
def served_release(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedRelease]:
    """A real `datasette serve` subprocess on 127.0.0.1 over the release, with this package's plugin."""
    with serve(release_dir, tmp_path_factory) as served:
        yield served


@contextmanager
def serve(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedRelease]:
    """Serve `release_dir`'s news.db (and its metadata) with `datasette serve` until the block ends."""
    port = free_port()
    db_path = release_dir / "news.db"
    command = [sys.executable, "-m", "datasette", "serve", "-i", str(db_path), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--setting", "suggest_facets", "off"]
    if (release_dir / "datasette-metadata.json").is_file():
        command += ["-m", str(release_dir / "datasette-metadata.json")]
    log = (tmp_path_factory.mktemp("server") / "datasette.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=release_dir)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"datasette exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(base_url + "/-/plugins.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"datasette did not answer within {SERVER_START_SECONDS}s; see {log.name}")
            time.sleep(0.2)
        plugins = httpx.get(base_url + "/-/plugins.json").json()
        assert any("render_cell" in p["hooks"] and p["templates"] for p in plugins), plugins
        yield ServedRelease(base_url=base_url, db_path=db_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


class BrowserThread:
    """Playwright's sync API confined to one worker thread.

    The sync API runs an asyncio loop inside a greenlet and leaves it marked as running in the thread
    that started it. Started in the main thread, that loop outlives the browser tests and every later
    `asyncio.run` there (Datasette's in-process client) fails with "cannot be called from a running
    event loop". Here the loop lives and dies in this thread; the tests call through `Remote`.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Any = None
        self.browser: Any = None

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `function` in the browser thread and return its result (exceptions re-raised here)."""
        return self._executor.submit(function, *args, **kwargs).result()

    def start(self) -> Remote:
        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self.browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        self.call(launch)
        return Remote(self, self.browser)

    def stop(self) -> None:
        def close() -> None:
            if self.browser is not None:
                self.browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self.call(close)
        finally:
            self._executor.shutdown(wait=True)


class Remote:
    """A playwright object used from the main thread: every call runs in the browser thread.

    Results that are playwright objects (pages, locators, ...) come back wrapped too; plain values
    (strings, lists, numbers) come back as they are. Attributes set on a `Remote` stay on it.
    """

    def __init__(self, thread: BrowserThread, target: Any) -> None:
        self._thread = thread
        self._target = target

    def in_browser_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run `function(target, *args)` in the browser thread, for APIs used as context managers."""
        return self._thread.call(function, self._target, *args)

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("playwright."):
            return Remote(self._thread, value)
        return value

    def __getattr__(self, name: str) -> Any:
        value = self._thread.call(getattr, self._target, name)
        if not callable(value) or isinstance(value, type):
            return self._wrap(value)

        def method(*args: Any, **kwargs: Any) -> Any:
            args = tuple(a._target if isinstance(a, Remote) else a for a in args)
            return self._wrap(self._thread.call(value, *args, **kwargs))

        return method


@pytest.fixture(scope="session")
def browser() -> Iterator[Remote]:
    """Debian's headless Chromium driven by playwright, in its own thread (see `BrowserThread`)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    thread = BrowserThread()
    try:
        yield thread.start()
    finally:
        thread.stop()


@dataclass
class PageLog:
    """What a page said on its console and which requests left 127.0.0.1 (all are blocked)."""

    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser, served_release: ServedRelease):
    """A fresh tab, offline but for the server, recording console errors and page exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log = PageLog()

    def route(route):
        if route.request.url.startswith(served_release.base_url):
            route.continue_()
        else:
            log.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: log.errors.append(f"uncaught: {exc}"))
    tab.log = log
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot():
    """Save a full-page screenshot under build/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot
