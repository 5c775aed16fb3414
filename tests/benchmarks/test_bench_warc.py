"""Benchmark: ingest streams a WARC archive, so its memory stays flat as the archive grows.

Two gzipped archives of invented HTML responses (each padded to about 200 KB, as pages with
inline scripts are) are written once under build/bench/, 10 times apart in size; `pipeline ingest`
reads each into a fresh working database in a subprocess while its peak RSS is sampled. Flat
means the larger archive's peak is within 50 MiB of the smaller's.

Example:
    .venv/bin/python -m pytest tests/benchmarks/test_bench_warc.py --benchmark-only -s
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bench_support import BENCH, COMPLETE_MARKER, MIB, REPO, PeakRss, record, reset_state
from support.inputs import ARTICLES, wordpress_page

SIZES_MB = (40, 400)
PADDING = 200_000


def archive(size_mb: int) -> Path:
    """A gzipped WARC of about `size_mb` MB of distinct HTML responses, written once."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = BENCH / f"warc-{size_mb}"
    path = folder / "crawl.warc.gz"
    if (folder / COMPLETE_MARKER).exists():
        return folder
    reset_state(folder)
    keys = sorted(ARTICLES)
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for index in range(size_mb * 1_000_000 // PADDING):
            page = wordpress_page(keys[index % len(keys)]).replace(
                "</body>", f"<script>/* {index} {'x' * PADDING} */</script></body>"
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://crawl.example/{index}",
                    "response",
                    payload=io.BytesIO(page.encode()),
                    http_headers=headers,
                )
            )
    (folder / COMPLETE_MARKER).touch()
    return folder


def ingest(raw: Path, state: Path) -> tuple[float, int, str]:
    reset_state(state)
    command = [sys.executable, "-m", "pipeline", "ingest", "--raw", str(raw)]
    command += ["--database-url", f"sqlite:///{state / 'work.db'}"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakRss(process.pid) as rss:
        output, _ = process.communicate()
    assert process.returncode == 0, output
    return time.perf_counter() - started, rss.peak, output


@pytest.mark.parametrize("size_mb", SIZES_MB)
def test_ingest_streams_a_warc(benchmark: Any, size_mb: int) -> None:
    raw = archive(size_mb)
    runs: list[tuple[float, int, str]] = []
    benchmark.pedantic(
        lambda: runs.append(ingest(raw, BENCH / f"warc-state-{size_mb}")), rounds=1, iterations=1
    )
    seconds, peak, output = runs[-1]
    records = size_mb * 1_000_000 // PADDING
    assert f"{records + 1} new contents" in output.replace(",", "")
    figures = {
        "archive_mb": size_mb,
        "records": records,
        "peak_rss_mib": round(peak / MIB),
        "seconds": round(seconds, 1),
    }
    benchmark.extra_info.update(figures)
    record(f"warc_ingest_{size_mb}", **figures)
    smaller = record_of(SIZES_MB[0])
    if size_mb != SIZES_MB[0] and smaller is not None:
        assert peak / MIB - smaller <= 50, (
            f"peak {peak / MIB:.0f} MiB vs {smaller} MiB for a 10x smaller archive"
        )


def record_of(size_mb: int) -> int | None:
    from bench_support import recorded

    figures = recorded(f"warc_ingest_{size_mb}")
    return int(figures["peak_rss_mib"]) if figures else None  # type: ignore[call-overload]
