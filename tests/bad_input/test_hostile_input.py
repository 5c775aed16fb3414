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


# --- 19.8: sidecars --------------------------------------------------------------------------------


def article_row(settings: Settings, path: str) -> dict[str, object]:
    with closing(work(settings)) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "select url, outlet, author, published_date from articles where source_path = ?", (path,)
        ).fetchone()
    assert row is not None, f"no article for {path}"
    return dict(row)


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [
        ('{"url": ["http://a", "http://b"]}', "url is a list, not text"),
        ('{"outlet": true}', "outlet is true/false, not text"),
        ('{"url": Infinity}', "Infinity is not a JSON number"),
        ('{"author": 12}', "author is a number, not text"),
        ("[1, 2]", "not a JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_sidecar_of_the_wrong_type_is_set_aside_and_the_article_kept(
    settings: Settings, raw: Path, sidecar: str, reason: str
) -> None:
    (raw / "good.json").write_text(sidecar, encoding="utf-8")
    assert invoke(settings, "ingest")[0] == 0
    code, stderr = invoke(settings, "clean")
    assert code == 0
    assert article_row(settings, "good.txt") == {
        "url": None,
        "outlet": None,
        "author": None,
        "published_date": None,
    }
    found = rejections(settings)["good.json"]
    assert reason in found and "the article is kept without it" in found
    assert "skipped good.json: sidecar" in stderr


def test_a_good_sidecar_still_flows_into_the_article(settings: Settings, raw: Path) -> None:
    (raw / "good.json").write_text(
        '{"url": "https://example.com/a", "outlet": "The Star", "published": "2024-03-02"}', encoding="utf-8"
    )
    invoke(settings, "ingest")
    invoke(settings, "clean")
    row = article_row(settings, "good.txt")
    assert (row["url"], row["outlet"], row["published_date"]) == (
        "https://example.com/a",
        "The Star",
        "2024-03-02",
    )
    assert rejections(settings) == {}


def test_ambiguous_numeric_date_is_left_out_and_said(settings: Settings, raw: Path) -> None:
    (raw / "good.json").write_text('{"outlet": "The Star", "published": "02/03/2024"}', encoding="utf-8")
    (raw / "other.txt").write_text(ARTICLE.replace("budget", "levy"), encoding="utf-8")
    (raw / "other.json").write_text('{"published": "25/03/2024"}', encoding="utf-8")
    invoke(settings, "ingest")
    invoke(settings, "clean")
    row = article_row(settings, "good.txt")
    assert (row["outlet"], row["published_date"]) == ("The Star", None)
    assert "'02/03/2024' is ambiguous" in rejections(settings)["good.json"]
    assert article_row(settings, "other.txt")["published_date"] == "2024-03-25"  # only one reading


def test_sidecar_is_matched_by_its_exact_stem(settings: Settings, raw: Path) -> None:
    (raw / "v1.2").mkdir()
    (raw / "v1.2" / "article").write_text(ARTICLE.replace("budget", "bill"), encoding="utf-8")
    (raw / "v1.json").write_text('{"outlet": "Wrong Outlet"}', encoding="utf-8")
    invoke(settings, "ingest")
    invoke(settings, "clean")
    assert article_row(settings, "v1.2/article")["outlet"] is None
    assert "no article file of the same name" in rejections(settings)["v1.json"]


def test_sidecar_of_a_second_identical_file_is_used_or_reported(settings: Settings, raw: Path) -> None:
    (raw / "zcopy.txt").write_text(ARTICLE, encoding="utf-8")  # same bytes as good.txt
    (raw / "zcopy.json").write_text('{"outlet": "The Standard"}', encoding="utf-8")
    invoke(settings, "ingest")
    invoke(settings, "clean")
    assert article_row(settings, "good.txt")["outlet"] == "The Standard"
    (raw / "good.json").write_text('{"outlet": "The Star"}', encoding="utf-8")
    invoke(settings, "ingest")
    invoke(settings, "clean")
    assert article_row(settings, "good.txt")["outlet"] == "The Star"
    assert "is not used: its article has the same content as good.txt" in rejections(settings)["zcopy.json"]
