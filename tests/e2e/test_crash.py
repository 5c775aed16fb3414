"""Crashes: `pipeline run` killed (SIGKILL) inside every stage, then re-run, gives the same release.

One uninterrupted run over a 40-article synthetic corpus is the reference; it also times each stage
(as seen from the stage lines on stderr), so that the killed runs can be stopped at fractions of a
stage. The killed runs share one working database and dist folder, in stage order, so every kill
interrupts work that no earlier run finished. After every kill `dist/` must be consistent; after a
final run the release must be byte-identical to the reference and pass `pipeline verify`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, cli_args, settings_for
from support.synthetic import generate_corpus

from pipeline.outputs.publish import PUBLISHING, read_checksums, sha256_file
from pipeline.outputs.verify import verify_release
from pipeline.settings import Settings

ARTICLES = 40
SEED = 11
STAGES = ("ingest", "clean", "enrich", "release")

pytestmark = pytest.mark.slow


@dataclass
class Run:
    """A `pipeline run` subprocess and its stderr lines, with when each arrived."""

    process: subprocess.Popen[str]
    started: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.arrived:
                self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))
                self.arrived.notify_all()
        with self.arrived:
            self.arrived.notify_all()

    def wait_for(self, prefix: str) -> float | None:
        """Seconds from the start until a line starting with `prefix`; None if the run ended first."""
        with self.arrived:
            while True:
                for seconds, line in self.lines:
                    if line.startswith(prefix):
                        return seconds
                if self.process.poll() is not None and not self.reader_alive():
                    return None
                self.arrived.wait(timeout=0.05)

    def reader_alive(self) -> bool:
        return self.reader.is_alive()

    def stage_reached(self) -> str:
        """The stage the run was in: the one after the last stage line printed."""
        done = [stage for stage in STAGES if any(line.startswith(f"{stage}") for _, line in self.lines)]
        return "finished" if len(done) == len(STAGES) else STAGES[len(done)]


def start(settings: Settings) -> Run:
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", *cli_args(settings)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    run = Run(process, time.monotonic())
    run.reader = threading.Thread(target=run.read, daemon=True)
    run.reader.start()
    return run


def finish(run: Run) -> Run:
    assert run.process.wait(timeout=300) == 0, "\n".join(line for _, line in run.lines)
    run.reader.join(timeout=10)
    return run


def kill_after(settings: Settings, marker: str | None, delay: float) -> Run:
    """Start a run, wait for a stage line (or the start), then `delay` seconds, then SIGKILL it."""
    run = start(settings)
    if marker is not None:
        run.wait_for(marker)
    time.sleep(delay)
    if run.process.poll() is None:
        os.kill(run.process.pid, signal.SIGKILL)
    run.process.wait(timeout=60)
    run.reader.join(timeout=10)
    return run


def assert_dist_consistent(dist: Path, context: str) -> None:
    """No news.db out of step with SHA256SUMS, unless a committed publish awaits the next run."""
    if not (dist / "news.db").exists() or (dist / PUBLISHING).is_dir():
        return
    sums = read_checksums(dist / "SHA256SUMS")
    assert sums.get("news.db") == sha256_file(dist / "news.db"), context
    for name, sha in sums.items():
        assert sha256_file(dist / name) == sha, (context, name)


def assert_sqlite_clean(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def content_sha256(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return connection.execute("select value from dataset_info where key = 'content_sha256'").fetchone()[0]


def test_killed_runs_then_a_rerun_give_the_uninterrupted_release(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, ARTICLES, seed=SEED)
    reference = settings_for(tmp_path / "reference", raw_dir=raw)
    timed = finish(start(reference))
    marks = {stage: timed.wait_for(f"{stage}:") for stage in STAGES}
    assert all(seconds is not None for seconds in marks.values()), timed.lines
    durations = {
        "ingest": marks["ingest"],
        "clean": marks["clean"] - marks["ingest"],
        "enrich": marks["enrich"] - marks["clean"],
        "release": marks["release"] - marks["enrich"],
    }

    crashed = settings_for(tmp_path / "crashed", raw_dir=raw)
    plan = [
        (None, 0.5 * durations["ingest"]),
        (None, 0.9 * durations["ingest"]),
        ("ingest:", 0.3 * durations["clean"]),
        ("ingest:", 0.7 * durations["clean"]),
        ("clean:", 0.2 * durations["enrich"]),
        ("clean:", 0.6 * durations["enrich"]),
        ("clean:", 0.9 * durations["enrich"]),
        ("enrich:", 0.2 * durations["release"]),
        ("enrich:", 0.6 * durations["release"]),
    ]
    landed = []
    for marker, delay in plan:
        run = kill_after(crashed, marker, delay)
        landed.append(run.stage_reached())
        print(marker, delay, run.process.returncode, run.lines)
        assert_dist_consistent(crashed.dist_dir, f"after a kill in {landed[-1]}")
    assert len(set(landed) - {"finished"}) >= 3, landed  # the kills spread over the stages

    finish(start(crashed))
    assert_sqlite_clean(crashed.release_path)
    assert_sqlite_clean(Path(crashed.database_url.removeprefix("sqlite:///")))
    assert content_sha256(crashed.release_path) == content_sha256(reference.release_path)
    assert crashed.release_path.read_bytes() == reference.release_path.read_bytes()
    assert verify_release(crashed).content_sha256 == content_sha256(reference.release_path)
    assert not any(path.name.startswith(".") for path in crashed.dist_dir.iterdir())

    # With a release in place, a kill while the next one is built leaves a complete release.
    previous = content_sha256(crashed.release_path)
    generate_corpus(raw, 3, seed=SEED, start_index=ARTICLES)
    run = kill_after(crashed, "enrich:", 0.5 * durations["release"])
    assert_dist_consistent(crashed.dist_dir, f"after a kill in {run.stage_reached()} with a release in place")
    if not (crashed.dist_dir / PUBLISHING).exists():
        assert content_sha256(crashed.release_path) in {previous, verify_release(crashed).content_sha256}
