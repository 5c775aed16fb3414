"""A live server under a rebuild and hostile requests (issue 19.5, 19.6, 19.13; issue 17.7).

Each test runs the real `pipeline serve` (uvicorn and Datasette in their own process) over a copy
of the sample release, and talks to it over HTTP as a browser or a script would.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from conftest import REPO, SampleRun, settings_for

from pipeline.outputs.datasette import DATABASE_NAME, SWITCH_CHECK_S, Snapshot, install, new_datasette
from pipeline.outputs.files import METADATA_FILE
from pipeline.outputs.publish import publish, sha256_file, write_checksums
from pipeline.settings import Settings


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    settings: Settings
    port: int
    process: subprocess.Popen[str]

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{self.port}"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def sql(self, sql: str) -> tuple[int, dict[str, object]]:
        from urllib.parse import urlencode

        status, body = self.get(f"/news.json?{urlencode({'sql': sql, '_shape': 'objects'})}")
        return status, json.loads(body)

    def count(self) -> int:
        status, body = self.sql("select count(*) as n from articles")
        assert status == 200, body
        rows = body["rows"]
        assert isinstance(rows, list)
        return int(rows[0]["n"])


def start_server(settings: Settings, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--dist", str(settings.dist_dir), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a child of a non-interactive shell may inherit SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.fixture
def server(sample_run: SampleRun, tmp_path: Path) -> Iterator[Server]:
    settings = settings_for(tmp_path)
    shutil.copytree(sample_run.settings.dist_dir, settings.dist_dir)
    port = free_port()
    process = start_server(settings, port)
    served = Server(settings, port, process)
    deadline = time.monotonic() + 60
    while True:
        try:
            served.get("/")
            break
        except OSError:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
    yield served
    process.terminate()
    process.wait(timeout=30)


def publish_release_without(settings: Settings, articles_kept: int) -> int:
    """Publish into dist/ a release holding only the first `articles_kept` articles; their count."""
    staging = settings.dist_dir / ".staging-test"
    staging.mkdir()
    shutil.copy(settings.release_path, staging / "news.db")
    shutil.copy(settings.dist_dir / METADATA_FILE, staging / METADATA_FILE)
    with closing(sqlite3.connect(staging / "news.db")) as connection, connection:
        connection.execute(
            "delete from articles where id not in (select id from articles order by id limit ?)",
            (articles_kept,),
        )
    names = ("news.db", METADATA_FILE)
    write_checksums(staging / "SHA256SUMS", {name: sha256_file(staging / name) for name in names})
    publish(staging, settings.dist_dir)
    return articles_kept


# --- 19.5 and 17.7: one release at a time, a new one without a restart ---------------------------


def test_every_thread_answers_from_one_release_and_all_switch_together(server: Server) -> None:
    with ThreadPoolExecutor(8) as pool:
        before = list(pool.map(lambda _: server.count(), range(24)))  # every server thread connects
        assert set(before) == {2}
        publish_release_without(server.settings, 1)
        batches: list[list[int]] = []
        deadline = time.monotonic() + SWITCH_CHECK_S + 10
        while time.monotonic() < deadline and (not batches or batches[-1] != [1] * 8):
            batches.append(list(pool.map(lambda _: server.count(), range(8))))
            time.sleep(0.05)
        after = list(pool.map(lambda _: server.count(), range(24)))
    assert set(after) == {1}, "some threads still answer from the old release"
    # Requests already under way when the server switched may answer from the old release; every
    # request after them answers from the new one, whichever thread takes it.
    switched = next(index for index, batch in enumerate(batches) if 1 in batch)
    assert all(set(batch) == {1} for batch in batches[switched + 1 :]), (
        f"the old release came back: {batches}"
    )
    assert server.process.poll() is None
    leftovers = [path.name for path in server.settings.dist_dir.iterdir() if path.name.startswith(".")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".serving-"), leftovers  # only the current


def test_busy_port_is_one_clear_line(sample_run: SampleRun, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    shutil.copytree(sample_run.settings.dist_dir, settings.dist_dir)
    with closing(socket.socket()) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = start_server(settings, port)
        _out, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.splitlines() == [
        f"error: port {port} on 127.0.0.1 cannot be used (Address already in use); "
        "another server may be running there: choose another with --port"
    ]


def test_port_out_of_range_is_a_usage_error(sample_run: SampleRun, tmp_path: Path) -> None:
    process = start_server(sample_run.settings, 70000)
    _out, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Traceback" not in stderr and "70000 is not in the range 1<=x<=65535" in stderr


def test_corrupt_metadata_is_one_clear_line(sample_run: SampleRun, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    shutil.copytree(sample_run.settings.dist_dir, settings.dist_dir)
    (settings.dist_dir / METADATA_FILE).write_text('{"title": "cut off', encoding="utf-8")
    names = ("news.db", METADATA_FILE)
    write_checksums(settings.checksums_path, {name: sha256_file(settings.dist_dir / name) for name in names})
    process = start_server(settings, free_port())
    _out, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    (line,) = stderr.splitlines()
    assert line.startswith(f"error: {settings.dist_dir / METADATA_FILE} is not valid JSON")


# --- 19.6: one request cannot take the server down ----------------------------------------------


def test_a_normal_page_answers_while_a_heavy_query_runs(server: Server) -> None:
    heavy = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(server.sql, heavy)
        time.sleep(0.3)
        normal = server.count()
        assert not slow.done(), "the heavy query ended before the normal page was asked"
        status, body = slow.result(timeout=60)
    assert normal == 2
    assert status == 400 and "took too long" in str(body["error"])


@pytest.mark.parametrize(
    "sql",
    [
        "select length(printf('%.*c', 900000000, 'x')) as n",
        "select length(format('%900000000d', 1)) as n",
        "select length(randomblob(900000000)) as n",
        "select length(zeroblob(900000000)) as n",
        "select length(replace(hex(zeroblob(10000000)), '0', 'ab')) as n",
    ],
)
def test_a_query_that_would_take_gigabytes_fails_at_once(server: Server, sql: str) -> None:
    status, body = server.sql(sql)
    assert status == 400, body
    assert "too big" in str(body["error"]) or "refused" in str(body["error"])
    assert psutil.Process(server.process.pid).memory_info().rss < 800 * 1024 * 1024
    assert server.count() == 2


def test_printf_still_works_for_ordinary_widths(server: Server) -> None:
    status, body = server.sql("select printf('%5.2f|%-4s|%d', 3.14159, 'ab', 7) as s")
    assert status == 200, body
    assert body["rows"] == [{"s": " 3.14|ab  |7"}]


# --- 19.13: nothing of the machine leaks ---------------------------------------------------------


def test_no_server_path_is_shown(server: Server) -> None:
    status, body = server.sql("select * from pragma_database_list")
    assert status == 200
    assert str(server.settings.dist_dir) not in json.dumps(body)
    assert server.get("/-/databases.json")[0] == 404


def test_a_foreign_host_header_is_refused(server: Server) -> None:
    assert server.get("/news.json", host="attacker.example")[0] == 421
    assert server.get("/news.json", host=f"localhost:{server.port}")[0] == 200


def test_missing_pages_do_not_grow_the_log(server: Server) -> None:
    for number in range(5):
        assert server.get(f"/news/no_such_table_{number}")[0] == 404
    server.process.terminate()
    _out, stderr = server.process.communicate(timeout=30)
    assert len(stderr) < 500, stderr[:2000]


def test_ctrl_c_stops_the_server_cleanly(server: Server) -> None:
    server.process.send_signal(signal.SIGINT)
    _out, stderr = server.process.communicate(timeout=30)
    assert server.process.returncode == 0
    assert stderr.splitlines()[-1] == "stopped serving"
    assert not [path for path in server.settings.dist_dir.iterdir() if path.name.startswith(".serving-")]


def test_a_request_begun_before_a_switch_reads_the_new_release_and_brings_no_file_back(
    sample_run: SampleRun, tmp_path: Path
) -> None:
    """Datasette's `?immutable=1` alone lets SQLite create a missing file; the old link stays gone."""
    old_link, new_link = tmp_path / ".serving-1.db", tmp_path / ".serving-2.db"
    shutil.copy(sample_run.settings.release_path, old_link)
    shutil.copy(sample_run.settings.release_path, new_link)
    with closing(sqlite3.connect(new_link)) as connection, connection:
        connection.execute("delete from articles where id not in (select id from articles limit 1)")
    datasette = new_datasette({})
    install(datasette, Snapshot(old_link, (0, 1), {}, private=True))
    begun = datasette.databases[DATABASE_NAME]  # what a request resolved before the switch
    install(datasette, Snapshot(new_link, (0, 2), {}, private=True))
    old_link.unlink()
    result = asyncio.run(begun.execute("select count(*) from articles"))
    assert result.first()[0] == 1
    assert not old_link.exists()
