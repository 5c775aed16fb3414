"""Helpers for the benchmarks: cached corpora and runs under build/bench/, the real CLI, peak RSS.

Everything heavy is cached under `build/bench/` (git-ignored) so a benchmark's setup is cheap
after its first use; delete the folder to start from nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from conftest import cli_args
from support.synthetic import generate_corpus

from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "build" / "bench"
RESULTS = BENCH / "results.json"
SEED = 0
PROCESSES = 2
COMPLETE_MARKER = ".complete"  # hidden, so ingest never sees it
MIB = 1024 * 1024


def corpus(count: int, extra: int = 0, extra_folder: str = "") -> Path:
    """The folder of `count` generated articles (plus `extra` more, in `extra_folder` if given),
    generated once and cached.

    The extended corpus hard-links the base corpus' files, so they are the same bytes.
    """
    name = f"raw-{count}" if not extra else f"raw-{count}-plus{extra}{extra_folder and '-' + extra_folder}"
    folder = BENCH / name
    if (folder / COMPLETE_MARKER).exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    if extra:
        base = corpus(count)
        folder.mkdir(parents=True)
        for path in sorted(base.glob("*.txt")):
            os.link(path, folder / path.name)
        generate_corpus(folder / extra_folder, extra, SEED, start_index=count)
    else:
        generate_corpus(folder, count, SEED)
    (folder / COMPLETE_MARKER).touch()
    return folder


SHORT_WORDS = 190
"""A short article: a generated one cut after its first lines of at least this many words (~1 KB)."""


def short_corpus(count: int, words: int = SHORT_WORDS) -> Path:
    """`count` generated articles, each cut after the first of its lines that bring it to `words`
    words: the size of a short news item, where the run's fixed costs weigh most."""
    folder = BENCH / f"raw-{count}-short{words}"
    if (folder / COMPLETE_MARKER).exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in sorted(corpus(count).glob("*.txt")):
        kept: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            kept.append(line)
            if sum(len(part.split()) for part in kept) >= words:
                break
        (folder / path.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    (folder / COMPLETE_MARKER).touch()
    return folder


def settings_in(state: Path, raw_dir: Path) -> Settings:
    """Settings keeping a run's working database and release under `state`."""
    return Settings(
        raw_dir=raw_dir,
        dist_dir=state / "dist",
        database_url=f"sqlite:///{state / 'work.db'}",
        processes=PROCESSES,
        progress=False,
    )


def reset_state(state: Path) -> None:
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)


def copy_state(source: Path, target: Path) -> None:
    """A copy of a finished run's working database (and release), to run on from the same state."""
    reset_state(target)
    for path in source.glob("work.db*"):
        if not path.name.endswith(".lock"):
            shutil.copy2(path, target / path.name)
    if (source / "dist").is_dir():
        shutil.copytree(source / "dist", target / "dist")


class PeakRss:
    """Samples the memory of a process and all its descendants on a thread; keeps the peak sums.

    `peak` sums RSS, as the target is stated. Forked workers share copy-on-write pages with their
    parent (the model, the interpreter), so that sum counts shared pages once per process: an upper
    bound. `peak_pss` sums the proportional set size, which splits each shared page between the
    processes sharing it: what the tree really holds.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _tree_memory(self) -> tuple[int, int]:
        rss = pss = 0
        try:
            members = [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return 0, 0
        for member in members:
            try:
                info = member.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += info.pss
        return rss, pss

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss, pss = self._tree_memory()
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class CliRun:
    """One `pipeline` command in a subprocess: what it printed, how long it took, its peak RSS."""

    output: str
    seconds: float
    peak_rss: int
    peak_pss: int

    def number(self, pattern: str) -> int:
        """An integer the command printed, found by a regex with one group (commas allowed)."""
        match = re.search(pattern, self.output)
        assert match, f"{pattern!r} not in output:\n{self.output}"
        return int(match.group(1).replace(",", ""))


def run_cli(settings: Settings, command: str = "run", extra: tuple[str, ...] = ()) -> CliRun:
    """The real CLI (`python -m pipeline`) in a subprocess, as users run it (`extra`: more options)."""
    # only the options `command` takes: ingest has no --processes, clean no --dist
    arguments = [sys.executable, "-m", "pipeline", command, *cli_args(settings, command), *extra]
    started = time.perf_counter()
    process = subprocess.Popen(
        arguments, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with PeakRss(process.pid) as rss:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    assert process.returncode == 0, output
    return CliRun(output, seconds, rss.peak, rss.peak_pss)


def record(name: str, **figures: object) -> None:
    """Keep figures across benchmark sessions (e.g. the full run's time for the re-run ratio)."""
    BENCH.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = figures
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True))


def recorded(name: str) -> dict[str, object] | None:
    if not RESULTS.exists():
        return None
    return json.loads(RESULTS.read_text()).get(name)


def finished_run(count: int) -> Path:
    """State folder of a complete run over the `count` corpus; runs it (untimed) when missing."""
    state = BENCH / f"state-{count}"
    if not (state / COMPLETE_MARKER).exists():
        reset_state(state)
        run_cli(settings_in(state, corpus(count)))
        (state / COMPLETE_MARKER).touch()
    return state


def size_id(count: int) -> str:
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def sizes() -> list[Any]:
    """Corpus sizes to measure: `BENCH_SIZES` (comma separated), by default 1,000 and 10,000."""
    import pytest

    counts = [int(part) for part in os.environ.get("BENCH_SIZES", "1000,10000").split(",") if part.strip()]
    return [pytest.param(count, id=size_id(count)) for count in counts]


def whole_run_rounds(count: int) -> int:
    """Pairs of rounds (bare model, whole run): five for small corpora, one for 10,000 articles.

    A pair over 10,000 articles takes about 18 minutes on two cores.
    """
    return 1 if count >= 10_000 else 5
