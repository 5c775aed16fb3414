"""Hostile raw folders (issue 19): links out, our own outputs inside, names the OS allows, sidecars.

Each case is built in the test (links, odd names, files deleted mid-walk), run through the real
`pipeline ingest` / `clean` commands on a real SQLite working database, and checked in it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, cli_args, settings_for

from pipeline.cli import cli
from pipeline.settings import Settings
from pipeline.sources.discover import Discovery, name_on_disk, shown, stored_name

ARTICLE = "NAIROBI, Kenya — The county assembly passed the budget on Tuesday after a long debate.\n"


def invoke(settings: Settings, command: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [command, *cli_args(settings, command)])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def work(settings: Settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))


def rejections(settings: Settings) -> dict[str, str]:
    with closing(work(settings)) as connection:
        return dict(connection.execute("select source_path, reason from rejections"))


def stored_contents(settings: Settings) -> list[bytes]:
    with closing(work(settings)) as connection:
        return [row[0] for row in connection.execute("select content from raw_documents")]


@pytest.fixture
def raw(settings: Settings) -> Path:
    (settings.raw_dir / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return settings.raw_dir


# --- 19.4: links out of the raw folder, our own outputs --------------------------------------


def test_link_to_a_file_outside_the_raw_folder_is_rejected_and_never_read(
    settings: Settings, raw: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 3, encoding="utf-8")
    os.symlink(secret, raw / "passwd.txt")
    (raw / "inside").mkdir()
    os.symlink("../good.txt", raw / "inside" / "alias.txt")  # a link that stays inside is read
    code, stderr = invoke(settings, "ingest")
    assert code == 0
    reason = rejections(settings)["passwd.txt"]
    assert reason.startswith("links outside the raw folder")
    assert "skipped passwd.txt: links outside the raw folder" in stderr
    assert all(b"root:x:0:0" not in content for content in stored_contents(settings))
    with closing(work(settings)) as connection:
        paths = {row[0] for row in connection.execute("select path from raw_document_paths")}
    assert paths == {"good.txt", "inside/alias.txt"}


def test_link_to_a_folder_outside_is_not_followed(settings: Settings, raw: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text("PRIVATE " * 20, encoding="utf-8")
    os.symlink(outside, raw / "elsewhere")
    invoke(settings, "ingest")
    assert all(b"PRIVATE" not in content for content in stored_contents(settings))
    assert "elsewhere" in rejections(settings)


def test_release_and_working_database_inside_the_raw_folder_are_never_ingested(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "dist").mkdir()
    (raw / "dist" / "SHA256SUMS").write_text("0" * 64 + "  news.db\n", encoding="utf-8")
    settings = Settings(
        raw_dir=raw,
        dist_dir=raw / "dist",
        database_url=f"sqlite:///{raw / 'work.db'}",
        progress=False,
    )
    sizes = []
    for _ in range(3):
        code, stderr = invoke(settings, "ingest")
        assert code == 0
        sizes.append((raw / "work.db").stat().st_size)
        with closing(work(settings)) as connection:
            paths = [row[0] for row in connection.execute("select path from raw_document_paths")]
        assert paths == ["good.txt"]
    (line,) = [line for line in stderr.splitlines() if "own outputs" in line]
    assert line.startswith(
        "ingest: not read, the pipeline's own outputs inside the raw folder: dist, work.db"
    )
    assert sizes[0] == sizes[-1], "the working database grew by storing itself"
    assert rejections(settings) == {}


# --- 19.3 and 19.13: names the OS allows -------------------------------------------------------


def test_invalid_utf8_name_is_kept_losslessly_and_the_run_goes_on(settings: Settings, raw: Path) -> None:
    bad = os.fsencode(raw) + b"/bad\xff\xfename.txt"
    with open(bad, "wb") as handle:
        handle.write(ARTICLE.replace("budget", "levy").encode())
    assert invoke(settings, "ingest")[0] == 0
    assert invoke(settings, "clean")[0] == 0
    with closing(work(settings)) as connection:
        sources = sorted(row[0] for row in connection.execute("select source_path from articles"))
    assert sources == ["bad\\xff\\xfename.txt", "good.txt"]
    assert name_on_disk(sources[0]) == b"bad\xff\xfename.txt"


@pytest.mark.parametrize(
    "name",
    [b"plain.txt", b"bad\xff.txt", b"back\\slash.txt", b"back\\xff.txt", "Nairobi côte.txt".encode()],
)
def test_stored_names_map_back_to_exactly_one_name_on_disk(name: bytes) -> None:
    stored = stored_name(os.fsdecode(name))
    stored.encode("utf-8")  # always storable text
    assert name_on_disk(stored) == name


def test_newline_in_a_name_cannot_forge_an_output_line(settings: Settings, raw: Path) -> None:
    forged = "x.txt\nskipped good.txt: forged"
    (raw / forged).write_bytes(b"")
    code, stderr = invoke(settings, "ingest")
    assert code == 0
    lines = stderr.splitlines()
    assert not any(line.startswith("skipped good.txt") for line in lines)
    assert f"skipped {shown(forged)}: empty file (0 bytes)" in lines
    assert forged in rejections(settings)  # stored exactly


def test_file_deleted_during_the_walk_is_reported_as_deleted(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    found = []
    for item in Discovery(tmp_path).files():
        found.append(item)
        if item.path == "a.txt":
            (tmp_path / "b.txt").unlink()
    assert [(item.path, item.error) for item in found] == [
        ("a.txt", None),
        ("b.txt", "disappeared while the raw folder was read (deleted or moved during ingest)"),
    ]


def test_broken_link_is_still_called_a_broken_link(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    (item,) = Discovery(tmp_path).files()
    assert item.error == "is a broken symbolic link"


def test_named_pipe_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (item,) = Discovery(tmp_path).files()
    assert item.content is None and item.error is not None and "not a regular file" in item.error


def test_samples_still_walk_in_order(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, raw_dir=SAMPLES)
    names = [item.path for item in Discovery(settings.raw_dir).files()]
    assert names == sorted(path.name for path in SAMPLES.iterdir() if not path.name.startswith("."))
