"""Tests for pipeline.sources.decoding: every bad-input case, and the decoding rules one by one."""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import importlib.util
import io
import os
import sys
import unicodedata
import zipfile
from pathlib import Path
from types import ModuleType

import charset_normalizer
import pytest

from pipeline.errors import RejectedInput
from pipeline.sources.decoding import DecodedText, binary_kind, decode_raw, describe_size

BAD_INPUT = Path(__file__).resolve().parents[1] / "bad_input"


def _load_make_corpus() -> ModuleType:
    """Import tests/bad_input/make_corpus.py by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_corpus", BAD_INPUT / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", module)
    spec.loader.exec_module(module)
    return module


make_corpus = _load_make_corpus()


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The bad-input corpus written into tmp_path, with its expected outcomes."""
    return tmp_path, make_corpus.write_bad_inputs(tmp_path)


def _decode_file(folder: Path, name: str) -> DecodedText:
    return decode_raw((folder / name).read_bytes())


def _reason(data: bytes, **kwargs: int) -> str:
    with pytest.raises(RejectedInput) as caught:
        decode_raw(data, **kwargs)
    return caught.value.reason


# --- the corpus: every case has its defined outcome --------------------------------


def test_every_case_has_its_defined_outcome(corpus: tuple[Path, dict[str, str]]):
    folder, outcomes = corpus
    texts = make_corpus.expected_texts()
    assert sorted(os.listdir(folder)) == sorted(outcomes)
    for name, outcome in outcomes.items():
        data = (folder / name).read_bytes()
        if outcome == "accepted":
            assert decode_raw(data).text == texts[name], name
        else:
            assert outcome.startswith("rejected: "), name
            assert outcome.removeprefix("rejected: ") in _reason(data), name


def test_corpus_has_both_good_and_bad_files(corpus: tuple[Path, dict[str, str]]):
    _, outcomes = corpus
    accepted = [name for name, outcome in outcomes.items() if outcome == "accepted"]
    assert len(accepted) >= 10
    assert len(outcomes) - len(accepted) >= 5
    assert sum(name.startswith("normal_") for name in accepted) >= 3


def test_rejection_reasons_are_one_sentence_without_the_file_name(
    corpus: tuple[Path, dict[str, str]],
):
    folder, outcomes = corpus
    rejected = [name for name, outcome in outcomes.items() if outcome != "accepted"]
    for name in rejected:
        reason = _reason((folder / name).read_bytes())
        assert reason and reason == reason.strip(), name
        assert "\n" not in reason and "\r" not in reason, name
        assert name not in reason and ".txt" not in reason, name
        assert len(reason) < 160, name


def test_decoding_is_deterministic(corpus: tuple[Path, dict[str, str]]):
    folder, outcomes = corpus
    for name, outcome in outcomes.items():
        if outcome != "accepted":
            continue
        data = (folder / name).read_bytes()
        first = decode_raw(data)
        again = decode_raw(bytes(bytearray(data)))
        assert first == again, name
        assert hash(first) == hash(again), name


def test_committed_corpus_files_are_small():
    for path in BAD_INPUT.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert path.stat().st_size < 2_000_000, path


def test_readme_lists_every_case_with_its_outcome(tmp_path: Path):
    outcomes = make_corpus.write_bad_inputs(tmp_path, huge=True)
    outcomes.update(make_corpus.UNREADABLE_DOCUMENTED)
    rows: dict[str, str] = {}
    for line in (BAD_INPUT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3:
            rows[cells[0].strip("`")] = cells[2]
    assert set(rows) == set(outcomes)
    for name, outcome in outcomes.items():
        assert outcome in rows[name], name


# --- the corpus: case by case -------------------------------------------------------


def test_cp1252_with_typographic_quotes(corpus: tuple[Path, dict[str, str]]):
    decoded = _decode_file(corpus[0], "cp1252_typographic_quotes.txt")
    assert decoded.encoding == "cp1252"
    assert decoded.repairs == ("decoded as cp1252",)
    for char in "“”’—":
        assert char in decoded.text


def test_latin1_with_accents(corpus: tuple[Path, dict[str, str]]):
    decoded = _decode_file(corpus[0], "latin1_accents.txt")
    assert decoded.encoding == "latin-1"
    assert decoded.repairs == ("decoded as latin-1",)
    assert "Hélène Dupré" in decoded.text and "Jürgen Müller" in decoded.text


@pytest.mark.parametrize(
    ("name", "encoding", "label"),
    [
        ("utf16le_bom.txt", "utf-16-le", "UTF-16 LE"),
        ("utf16be_bom.txt", "utf-16-be", "UTF-16 BE"),
        ("utf32le_bom.txt", "utf-32-le", "UTF-32 LE"),
    ],
)
def test_utf16_and_utf32_with_bom(corpus: tuple[Path, dict[str, str]], name: str, encoding: str, label: str):
    decoded = _decode_file(corpus[0], name)
    assert decoded.encoding == encoding
    assert decoded.repairs == (f"decoded as {label}", f"{label} BOM removed")
    assert decoded.text == make_corpus.UTF16_TEXT
    assert "\ufeff" not in decoded.text and "\x00" not in decoded.text


def test_utf8_bom_is_removed(corpus: tuple[Path, dict[str, str]]):
    decoded = _decode_file(corpus[0], "utf8_bom.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == ("UTF-8 BOM removed",)
    assert decoded.text.startswith("NYERI")


def test_mojibake_is_repaired_and_quotes_kept(corpus: tuple[Path, dict[str, str]]):
    data = (corpus[0] / "mojibake_utf8.txt").read_bytes()
    assert "President Rutoâ€™s".encode() in data
    decoded = decode_raw(data)
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == ("mojibake repaired (ftfy)",)
    assert "President Ruto’s Cabinet" in decoded.text
    assert "“which proposes institutional changes,”" in decoded.text
    assert "â€" not in decoded.text and "Ã" not in decoded.text
    assert decoded.text.count("\n") == data.count(b"\n")


def test_truncated_utf8_at_end(corpus: tuple[Path, dict[str, str]]):
    data = (corpus[0] / "truncated_utf8_at_end.txt").read_bytes()
    assert data.endswith(b"Speaker\xe2\x80")
    decoded = decode_raw(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("the Speaker\ufffd")
    assert decoded.text.count("\ufffd") == 1
    assert decoded.repairs == (
        f"truncated UTF-8 sequence at end replaced with U+FFFD (byte offset {len(data) - 2})",
    )


def test_isolated_invalid_byte_is_replaced_with_its_offset(
    corpus: tuple[Path, dict[str, str]],
):
    data = (corpus[0] / "utf8_isolated_invalid_byte.txt").read_bytes()
    offset = data.index(b"\xff")
    decoded = decode_raw(data)
    assert decoded.encoding == "utf-8"
    assert "40\ufffd000 people" in decoded.text
    assert "County’s" in decoded.text  # the valid UTF-8 around it is untouched
    assert decoded.repairs == (f"invalid UTF-8 sequence replaced with U+FFFD (byte offset {offset})",)


def test_decomposed_file_is_nfc(corpus: tuple[Path, dict[str, str]]):
    data = (corpus[0] / "decomposed_accents_nfd.txt").read_bytes()
    assert "Co\u0302te".encode() in data
    decoded = decode_raw(data)
    assert unicodedata.is_normalized("NFC", decoded.text)
    assert "Côte d’Ivoire" in decoded.text and "Aïcha Koné" in decoded.text
    assert decoded.repairs == ("text normalised to Unicode NFC",)


def test_crlf_file_keeps_its_line_endings(corpus: tuple[Path, dict[str, str]]):
    data = (corpus[0] / "crlf_line_endings.txt").read_bytes()
    decoded = decode_raw(data)
    assert decoded.text.count("\r\n") == data.count(b"\r\n") > 0
    assert decoded.text.encode("utf-8") == data
    assert decoded.repairs == ()


def test_single_one_mb_line_is_accepted(corpus: tuple[Path, dict[str, str]]):
    data = (corpus[0] / "single_line_1mb.txt").read_bytes()
    assert len(data) == 1_000_000 and b"\n" not in data and b"\r" not in data
    decoded = decode_raw(data)
    assert decoded.encoding == "utf-8" and decoded.repairs == ()
    assert decoded.text.encode("utf-8") == data


def test_huge_file_only_with_huge_and_rejected(tmp_path: Path):
    small = make_corpus.write_bad_inputs(tmp_path / "small")
    assert "huge_50mb.txt" not in small
    assert not (tmp_path / "small" / "huge_50mb.txt").exists()

    outcomes = make_corpus.write_bad_inputs(tmp_path / "big", huge=True)
    assert outcomes["huge_50mb.txt"] == "rejected: over the 10.0 MB limit"
    data = (tmp_path / "big" / "huge_50mb.txt").read_bytes()
    assert len(data) == 50 * 1024 * 1024
    assert _reason(data) == "file is 52.4 MB, over the 10.0 MB limit"
    assert decode_raw(data, max_bytes=len(data)).encoding == "utf-8"


def test_boilerplate_only_is_accepted_verbatim(corpus: tuple[Path, dict[str, str]]):
    decoded = _decode_file(corpus[0], "boilerplate_only.txt")
    lines = decoded.text.splitlines()
    assert {"Home » News", "Leave a Reply", "Featured"} <= set(lines)
    assert decoded.repairs == ()


def test_duplicates(corpus: tuple[Path, dict[str, str]]):
    folder = corpus[0]
    original = (folder / "normal_finance_bill.txt").read_bytes()
    assert (folder / "normal_finance_bill_copy.txt").read_bytes() == original
    near = decode_raw((folder / "normal_finance_bill_near_duplicate.txt").read_bytes())
    text = decode_raw(original).text
    assert near.text != text
    squeezed, near_squeezed = " ".join(text.split()), " ".join(near.text.split())
    assert len(squeezed) == len(near_squeezed)
    differences = [(a, b) for a, b in zip(squeezed, near_squeezed, strict=True) if a != b]
    assert differences == [(".", "!")]


def test_file_name_with_spaces_and_non_ascii_letters(
    corpus: tuple[Path, dict[str, str]],
):
    folder, outcomes = corpus
    name = "Nairobi côte d’ivoire news.txt"
    assert outcomes[name] == "accepted"
    assert name in os.listdir(folder)
    assert "Côte d’Ivoire" in _decode_file(folder, name).text


# --- decoding rules, on inline bytes ------------------------------------------------


def test_nfc_normalises_a_decomposed_e():
    decoded = decode_raw("Cafe\u0301 na chai\n".encode())
    assert decoded.text == "Caf\u00e9 na chai\n"
    assert decoded.repairs == ("text normalised to Unicode NFC",)


@pytest.mark.parametrize("codec", ["utf-8", "cp1252", "utf-16"])
def test_newlines_are_never_changed(codec: str):
    text = "Line one “quoted”\r\nLine two\rLine three\n\r\nLast\r"
    assert decode_raw(text.encode(codec)).text == text


def test_newlines_survive_mojibake_repair():
    text = "Rutoâ€™s plan\r\nwas tabled\rtoday â€” â€œnowâ€\x9d\n"
    decoded = decode_raw(text.encode())
    assert decoded.text == "Ruto’s plan\r\nwas tabled\rtoday — “now”\n"
    assert decoded.repairs == ("mojibake repaired (ftfy)",)


def test_ftfy_keeps_everything_but_mojibake():
    text = "“Quoted” ‘single’ — dash – en, &amp; entity, ﬁ ligature, ＡＢＣ wide…\n"
    decoded = decode_raw(text.encode())
    assert decoded.text == text
    assert decoded.repairs == ()


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_is_removed(bom: bytes, codec: str):
    decoded = decode_raw(bom + "Bunge la Kenya’s\n".encode(codec))
    assert decoded.text == "Bunge la Kenya’s\n"
    assert decoded.encoding == codec
    assert any(repair.endswith("BOM removed") for repair in decoded.repairs)


def test_bom_only_file_is_rejected():
    assert _reason(codecs.BOM_UTF8) == "no text after the byte-order mark"


def test_utf16_with_odd_length_is_repaired():
    data = codecs.BOM_UTF16_LE + "Senate\n".encode("utf-16-le") + b"S"
    decoded = decode_raw(data)
    assert decoded.text == "Senate\n\ufffd"
    assert decoded.repairs[-1] == (
        f"truncated UTF-16 LE sequence at end replaced with U+FFFD (byte offset {len(data) - 1})"
    )


def test_many_invalid_sequences_are_listed_with_a_cap():
    good = "Ruto’s “plan” — café ".encode() * 20
    data = b"\xff".join([good] * 13)
    decoded = decode_raw(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 12
    (repair,) = decoded.repairs
    assert repair.startswith("12 invalid UTF-8 sequences replaced with U+FFFD")
    assert f"byte offsets {len(good)}, " in repair and repair.endswith("and 2 more)")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        (gzip.compress(b"Kenya news " * 10, mtime=0), "GZIP archive"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(8), "ELF executable"),
    ],
)
def test_binary_magic_numbers_are_named(data: bytes, kind: str):
    assert binary_kind(data) == kind
    assert _reason(data) == f"binary data ({kind}), not text"


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def test_zip_and_docx_are_told_apart():
    docx = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
    assert _reason(docx) == "binary data (DOCX Word document), not text"
    plain = _zip({"article.txt": "Kenya news"})
    assert _reason(plain) == "binary data (ZIP archive), not text"


def test_text_is_not_mistaken_for_binary():
    for text in ("BZh, said the MP.", "MZALENDO report", "GIF of the Speaker", "PK"):
        assert binary_kind(text.encode()) is None
        assert decode_raw(text.encode()).text == text


def test_nul_bytes_are_binary_even_after_a_utf8_bom():
    reason = _reason(codecs.BOM_UTF8 + b"Kenya\x00news")
    assert reason == "binary data (contains NUL bytes), not text"


def test_utf16_without_bom_is_rejected_with_a_hint():
    reason = _reason("Bunge la Kenya\n".encode("utf-16-be"))
    assert "looks like UTF-16 BE without a byte-order mark" in reason


def test_cp1252_is_preferred_when_bytes_0x80_to_0x9f_occur():
    decoded = decode_raw(b"Ruto\x92s \x93plan\x94 \x96 caf\xe9\n")
    assert decoded.encoding == "cp1252"
    assert decoded.text == "Ruto’s “plan” – café\n"


def test_cp1252_unassigned_bytes_do_not_crash():
    decoded = decode_raw(b"\x93Quote\x94 and \x81 and \x9d in caf\xe9 news\n")
    assert decoded.encoding == "cp1252"
    assert decoded.text.startswith("“Quote”")


def test_latin1_when_no_bytes_0x80_to_0x9f():
    decoded = decode_raw("Müller and Hélène met in Nairobi.\n".encode("latin-1"))
    assert decoded.encoding == "latin-1"
    assert decoded.text == "Müller and Hélène met in Nairobi.\n"


def test_single_trailing_latin1_byte_is_not_taken_for_truncated_utf8():
    decoded = decode_raw(b"Caf\xe9")
    assert (decoded.text, decoded.encoding) == ("Café", "latin-1")


def test_other_scripts_fall_back_to_a_charset_normalizer_guess():
    text = "Президент Кении встретился с делегацией в Найроби во вторник.\n"
    decoded = decode_raw(text.encode("cp1251"))
    assert decoded.encoding == "cp1251"
    assert decoded.text == text
    assert decoded.repairs == ("decoded as cp1251 (guessed by charset-normalizer)",)


def test_bytes_no_encoding_fits_are_rejected():
    reason = _reason(bytes(range(1, 256)) * 4)
    assert reason == "binary data (no known text encoding fits), not text"


def test_strict_utf8_does_not_run_charset_normalizer(monkeypatch: pytest.MonkeyPatch):
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("charset-normalizer was called")

    monkeypatch.setattr(charset_normalizer, "from_bytes", forbidden)
    assert decode_raw("Ruto’s “plan”\n".encode()).text == "Ruto’s “plan”\n"
    with pytest.raises(AssertionError, match="charset-normalizer was called"):
        decode_raw(b"Ruto\x92s plan\n")


@pytest.mark.parametrize(
    "data",
    [b" \t\r\n", "\u00a0\u200b\u3000\n".encode(), codecs.BOM_UTF16_LE + b" \x00\n\x00"],
)
def test_whitespace_only_is_rejected(data: bytes):
    assert _reason(data).startswith("only whitespace")


def test_mostly_control_characters_are_rejected():
    reason = _reason(b"\x1b\x01\x02\x03\x04 ok")
    assert reason.startswith("too many control characters: 71%")


def test_a_few_control_characters_are_accepted():
    text = "Senate\x0c report \x1b with a form feed and one escape character.\n"
    assert decode_raw(text.encode()).text == text


def test_mostly_replacement_characters_are_rejected():
    reason = _reason(codecs.BOM_UTF8 + b"ok \xff\xfe\xfd\xfc\xfb")
    assert reason.startswith("too many undecodable bytes (U+FFFD)")


def test_size_limit():
    assert _reason(b"x" * 11, max_bytes=10) == "file is 11 bytes, over the 10 bytes limit"
    assert decode_raw(b"x" * 10, max_bytes=10).text == "x" * 10
    reason = _reason(b"x" * 10_000_001)
    assert reason == "file is 10,000,001 bytes, over the 10,000,000 bytes limit"
    with pytest.raises(ValueError, match="max_bytes"):
        decode_raw(b"x", max_bytes=0)


def test_empty_file():
    assert _reason(b"") == "empty file (0 bytes)"


@pytest.mark.parametrize(
    ("size", "described"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (999, "999 bytes"),
        (1_500, "1.5 kB"),
        (999_999, "1.0 MB"),
        (10_000_000, "10.0 MB"),
        (52_428_800, "52.4 MB"),
        (2_000_000_000, "2.0 GB"),
    ],
)
def test_describe_size(size: int, described: str):
    assert describe_size(size) == described


def test_decoded_text_is_frozen():
    decoded = decode_raw(b"Kenya\n")
    assert decoded == DecodedText(text="Kenya\n", encoding="utf-8", repairs=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        decoded.text = "changed"  # type: ignore[misc]
