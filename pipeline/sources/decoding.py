"""Raw bytes -> text: detect the encoding, repair what is safe to repair, reject the rest.

The ingest stage stores every file's bytes verbatim and calls :func:`decode_raw` to get
the text that all later offsets index into. Decoding therefore never touches line breaks
("\\n", "\\r\\n" and "\\r" stay as they are) and records every change it makes as a short
human sentence in :attr:`DecodedText.repairs`. Input that cannot reasonably be text
raises :class:`~pipeline.errors.RejectedInput` with a one-sentence reason that does not
name the file (the caller adds the name).

Decisions, in order:

1. Size: empty files and files over ``max_bytes`` are rejected before anything else.
2. A byte-order mark decides UTF-8, UTF-16 or UTF-32 outright.
3. Known binary formats (PNG, JPEG, PDF, ZIP/DOCX, GZIP, ELF, ...) are rejected by their
   magic numbers, then any NUL byte outside UTF-16/32 text is taken as binary data.
4. Strict UTF-8 is tried first (the fast path: most articles end here).
5. Nearly-valid UTF-8 keeps its UTF-8 reading: a truncated sequence at the end or a few
   isolated invalid bytes become U+FFFD, each with its byte offset in the repairs.
6. Anything else is a legacy 8-bit encoding. The corpus is Kenyan English news, so
   charset-normalizer is first asked whether cp1252/Latin-1 fits; cp1252 is chosen when
   the bytes 0x80-0x9F occur (typographic quotes and dashes), Latin-1 otherwise. Only if
   neither fits does charset-normalizer guess freely; when nothing fits, it is binary.
7. ftfy repairs mojibake ("Rutoâ€™s" -> "Ruto’s") without touching quotes, dashes, line
   breaks, HTML entities or anything else; the text is NFC-normalised.
8. Text that is only whitespace, or too much of it (over 30%) control characters or
   U+FFFD, is rejected.

Everything is deterministic: the same bytes always give the same result.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from pipeline.errors import RejectedInput

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DecodedText",
    "binary_kind",
    "decode_raw",
    "describe_size",
]

DEFAULT_MAX_BYTES = 10_000_000
"""Largest file accepted by default: far above any news article, far below trouble."""

REPLACEMENT_CHARACTER = "\ufffd"

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 little-endian one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

_MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b\x08", "GZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "BZIP2 archive"),  # only with the block magic, checked below
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Microsoft Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"OggS\x00", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
)

_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Names that only appear in the zip directory of one kind of office/e-book file.
_ZIP_MEMBERS: tuple[tuple[bytes, str], ...] = (
    (b"word/document", "DOCX Word document"),
    (b"xl/workbook", "XLSX Excel workbook"),
    (b"ppt/presentation", "PPTX PowerPoint presentation"),
    (b"application/vnd.oasis.opendocument", "OpenDocument file"),
    (b"application/epub+zip", "EPUB e-book"),
)

_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
"""C0 controls except tab, newlines, vertical tab and form feed; DEL; C1 controls."""
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARACTERS)}]")
# Explicit list: str.isspace() also counts the control characters U+001C-U+001F.
_BLANK_CHARACTERS = (
    " \t\n\r\x0b\x0c\u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200C)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_NOT_BLANK = re.compile(f"[^{re.escape(_BLANK_CHARACTERS)}]")

_MAX_REPLACED_SEQUENCES = 1000
"""Past this many invalid sequences the bytes are no longer "nearly valid" Unicode."""

_MAX_LISTED_OFFSETS = 10
_UNREADABLE_SHARE = 0.3
"""Reject when over this share of the non-blank characters are control or U+FFFD."""


def _may_need_ftfy() -> re.Pattern[str]:
    continuation = set(bytes(range(0x80, 0xC0)).decode("latin-1"))
    continuation |= {bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xC0)} - {""}
    lead = "".join(sorted(set(bytes(range(0xC2, 0xF5)).decode("latin-1"))))
    follow = "".join(sorted(continuation))
    return re.compile(f"[{re.escape(lead)}][{re.escape(follow)}]|[\x80-\x9f\ud800-\udfff]")


_MAY_NEED_FTFY = _may_need_ftfy()


@lru_cache(maxsize=1)
def _ftfy_config() -> Any:
    """ftfy's settings: fix mojibake only; keep quotes, dashes, line breaks and every other character.

    ftfy is imported only when a text may need it, which is rare.
    """
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization="NFC",
        explain=False,
    )


@dataclass(frozen=True)
class DecodedText:
    """The text of one raw file and how it was obtained.

    Attributes:
        text: The decoded, repaired, NFC-normalised text; newlines exactly as in the
            file. Offsets into the raw document index into this string.
        encoding: Python codec name the bytes were decoded with, e.g. ``"utf-8"``,
            ``"utf-16-le"``, ``"cp1252"``, ``"latin-1"``.
        repairs: One short sentence per change made on the way, in the order made,
            e.g. ``"UTF-8 BOM removed"`` or ``"mojibake repaired (ftfy)"``. Empty when
            the file was clean UTF-8.
    """

    text: str
    encoding: str
    repairs: tuple[str, ...]


class _Flaw(NamedTuple):
    """One undecodable byte sequence, as absolute byte offsets in the file."""

    start: int
    end: int
    truncated: bool
    """True for an incomplete sequence cut off by the end of the file."""


class _Lenient(NamedTuple):
    """A decoding in which every undecodable sequence became U+FFFD."""

    text: str
    flaws: tuple[_Flaw, ...]


def describe_size(n: int) -> str:
    """Describe a byte count for humans, in decimal units.

    Args:
        n: A number of bytes, zero or more.

    Returns:
        ``"0 bytes"``, ``"1 byte"``, ``"512 bytes"``, ``"1.5 kB"``, ``"52.4 MB"`` or
        ``"1.2 GB"`` (1 kB = 1000 bytes, one decimal).
    """
    if n < 1000:
        return "1 byte" if n == 1 else f"{n} bytes"
    value = float(n)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if round(value, 1) < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of some bytes from their magic number, if known.

    Args:
        data: The start of a file (or all of it; only the start and, for ZIP files,
            the end are looked at).

    Returns:
        A short name such as ``"PNG image"`` or ``"DOCX Word document"``, or None
        when the bytes do not start like a known binary format.
    """
    if data.startswith(_ZIP_SIGNATURES):
        return _zip_kind(data)
    for magic, kind in _MAGIC_NUMBERS:
        if data.startswith(magic):
            if magic == b"BZh" and data[4:10] != b"1AY&SY":
                continue  # "BZh" alone is too common a start for text
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP image"
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "Windows executable"
    return None


def _zip_kind(data: bytes) -> str:
    """Tell office documents and e-books from plain ZIP archives by their members.

    Member names are stored uncompressed in the local headers at the start and in the
    central directory at the end, so looking at both ends is enough.
    """
    ends = data[:4096] + data[-65536:]
    for member, kind in _ZIP_MEMBERS:
        if member in ends:
            return kind
    return "ZIP archive"


def decode_raw(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Decode the raw bytes of one scraped article into repaired text.

    Args:
        data: The complete file content, exactly as read from disk.
        max_bytes: Larger files are rejected without being decoded.

    Returns:
        The text, the codec used and the repairs made.

    Raises:
        RejectedInput: The bytes are empty, too large, binary, only whitespace, or
            decode to too many control or replacement characters. ``reason`` is one
            sentence without the file name.
        ValueError: ``max_bytes`` is not positive.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    _check_size(len(data), max_bytes)
    text, encoding, repairs = _decode(data)
    text, more_repairs = _repair_text(text)
    _check_readable(text, len(data))
    return DecodedText(text=text, encoding=encoding, repairs=repairs + more_repairs)


def _check_size(size: int, max_bytes: int) -> None:
    """Reject empty and oversized files before any work is done on them."""
    if size == 0:
        raise RejectedInput("empty file (0 bytes)")
    if size > max_bytes:
        actual, limit = describe_size(size), describe_size(max_bytes)
        if actual == limit:  # "10.0 MB, over the 10.0 MB limit" would read as a bug
            actual, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
        raise RejectedInput(f"file is {actual}, over the {limit} limit")


def _decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Choose the encoding and decode; returns (text, codec name, repairs)."""
    marked = [entry for entry in _BOMS if data.startswith(entry[0])]
    if marked:
        # "FF FE 00 00" is the UTF-32 LE BOM or a UTF-16 LE BOM and U+0000: prefer the
        # codec whose code units fit the length; a truncated end is repaired anyway.
        fitting = [entry for entry in marked if (len(data) - len(entry[0])) % _unit_size(entry[1]) == 0]
        return _decode_with_bom(data, *(fitting or marked)[0])
    _reject_binary(data)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    return _decode_not_utf8(data)


def _unit_size(codec: str) -> int:
    """Bytes per code unit of a Unicode codec."""
    if codec.startswith("utf-32"):
        return 4
    if codec.startswith("utf-16"):
        return 2
    return 1


def _decode_with_bom(data: bytes, bom: bytes, codec: str, label: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes whose byte-order mark declares the codec; the BOM is dropped."""
    if codec == "utf-8" and b"\x00" in data:
        raise RejectedInput("binary data (contains NUL bytes), not text")
    lenient = _decode_leniently(data, codec, start=len(bom), max_flaws=_MAX_REPLACED_SEQUENCES)
    if lenient is None:
        raise RejectedInput(f"binary data (not valid {label} despite its byte-order mark), not text")
    repairs = [] if codec == "utf-8" else [f"decoded as {label}"]
    repairs.append(f"{label} BOM removed")
    repairs.extend(_describe_flaws(lenient.flaws, label))
    return lenient.text, codec, tuple(repairs)


def _reject_binary(data: bytes) -> None:
    """Reject known binary formats and any NUL byte (not UTF-16/32: no BOM was found)."""
    kind = binary_kind(data)
    if kind is not None:
        raise RejectedInput(f"binary data ({kind}), not text")
    if b"\x00" in data:
        hint = _bomless_utf16_hint(data)
        raise RejectedInput(f"binary data (contains NUL bytes{hint}), not text")


def _bomless_utf16_hint(data: bytes) -> str:
    """Say so when NUL bytes look like UTF-16 saved without a byte-order mark."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return ""
    for order, nul_lane, text_lane in (("LE", 1, 0), ("BE", 0, 1)):
        nuls = sample[nul_lane::2].count(0)
        if nuls >= 0.9 * half and sample[text_lane::2].count(0) <= 0.1 * half:
            return f"; looks like UTF-16 {order} without a byte-order mark"
    return ""


def _decode_not_utf8(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes that are not strictly valid UTF-8 (and carry no BOM)."""
    lenient = _decode_leniently(data, "utf-8", start=0, max_flaws=_MAX_REPLACED_SEQUENCES)
    if lenient is not None and _is_nearly_utf8(lenient):
        return lenient.text, "utf-8", tuple(_describe_flaws(lenient.flaws, "UTF-8"))
    return _decode_legacy(data)


def _decode_leniently(data: bytes, codec: str, *, start: int, max_flaws: int) -> _Lenient | None:
    """Decode ``data[start:]``, replacing each undecodable sequence with U+FFFD.

    Like ``errors="replace"`` (one U+FFFD per maximal invalid subpart), but the byte
    offset of every replacement is kept so that it can be reported.

    Returns:
        The text and its flaws, or None once more than ``max_flaws`` are found
        (this also bounds the work spent on binary data).
    """
    decoder = codecs.getdecoder(codec)
    view = memoryview(data)
    parts: list[str] = []
    flaws: list[_Flaw] = []
    pos = start
    while True:
        try:
            parts.append(decoder(view[pos:])[0])
            return _Lenient("".join(parts), tuple(flaws))
        except UnicodeDecodeError as exc:
            bad_start, bad_end = pos + exc.start, pos + exc.end
            parts.append(decoder(view[pos:bad_start])[0])
            parts.append(REPLACEMENT_CHARACTER)
            truncated = bad_end == len(data) and exc.reason in (
                "unexpected end of data",
                "truncated data",
            )
            flaws.append(_Flaw(bad_start, bad_end, truncated))
            if len(flaws) > max_flaws:
                return None
            pos = bad_end


def _is_nearly_utf8(lenient: _Lenient) -> bool:
    """Decide whether UTF-8 with a few flaws is a better reading than an 8-bit codec.

    Valid multi-byte sequences are strong evidence for UTF-8: cp1252/Latin-1 text
    almost never forms them by chance. A lone incomplete sequence at the very end of
    otherwise ASCII bytes counts too when it is at least two bytes long (a single
    trailing 0xE9 is more likely a Latin-1 "é").
    """
    non_ascii = _count_non_ascii(lenient.text) - len(lenient.flaws)
    inner = [flaw for flaw in lenient.flaws if not flaw.truncated]
    if not inner:
        (flaw,) = lenient.flaws  # only the last sequence can be truncated
        return non_ascii > 0 or flaw.end - flaw.start >= 2
    return non_ascii > 0 and 4 * len(inner) <= non_ascii


def _count_non_ascii(text: str) -> int:
    """Count the characters above U+007F (including any U+FFFD)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _describe_flaws(flaws: tuple[_Flaw, ...], label: str) -> list[str]:
    """Turn replaced sequences into repair sentences with their byte offsets."""
    repairs: list[str] = []
    inner = [flaw.start for flaw in flaws if not flaw.truncated]
    if len(inner) == 1:
        repairs.append(f"invalid {label} sequence replaced with U+FFFD (byte offset {inner[0]})")
    elif inner:
        listed = ", ".join(str(offset) for offset in inner[:_MAX_LISTED_OFFSETS])
        extra = len(inner) - _MAX_LISTED_OFFSETS
        more = f" and {extra} more" if extra > 0 else ""
        repairs.append(
            f"{len(inner)} invalid {label} sequences replaced with U+FFFD (byte offsets {listed}{more})"
        )
    for flaw in flaws:
        if flaw.truncated:
            repairs.append(
                f"truncated {label} sequence at end replaced with U+FFFD (byte offset {flaw.start})"
            )
    return repairs


def _decode_legacy(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode with an 8-bit codec: cp1252/Latin-1 when they fit, else a free guess."""
    # The five bytes cp1252 leaves unassigned would make both codecs look chaotic;
    # as stray bytes in Western text they should not tip the guess to another script.
    import charset_normalizer  # only for bytes that are not UTF-8: a fraction of a second to import

    probe = data.translate(_UNASSIGNED_CP1252_TO_QUESTION_MARK)
    western = charset_normalizer.from_bytes(probe, cp_isolation=["cp1252", "latin_1"])
    if western.best() is not None:
        if _C1_BYTES.search(data):
            return _decode_cp1252(data), "cp1252", ("decoded as cp1252",)
        return data.decode("latin-1"), "latin-1", ("decoded as latin-1",)
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise RejectedInput("binary data (no known text encoding fits), not text")
    codec = codecs.lookup(guess.encoding).name
    text = data.decode(codec, errors="replace")
    return text, codec, (f"decoded as {codec} (guessed by charset-normalizer)",)


def _decode_cp1252(data: bytes) -> str:
    """Decode cp1252 the way browsers do: its five unassigned bytes map to U+0081 etc."""
    return codecs.charmap_decode(data, "strict", _CP1252_TABLE)[0]


def _cp1252_table() -> str:
    """Build the 256-character WHATWG windows-1252 decoding table."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_CP1252_TABLE = _cp1252_table()
_UNASSIGNED_CP1252_TO_QUESTION_MARK = bytes.maketrans(b"\x81\x8d\x8f\x90\x9d", b"?????")


def _fix_text(text: str) -> str:
    import ftfy

    return str(ftfy.fix_text(text, _ftfy_config()))


def _repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """NFC-normalise and repair mojibake; returns the text and the repairs made."""
    repairs: list[str] = []
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        repairs.append("text normalised to Unicode NFC")
    # ftfy's full pass costs ~3 ms an article. What it repairs needs a UTF-8 lead byte read as
    # cp1252/Latin-1 followed by a continuation byte read the same way, or C1 controls or
    # surrogates: one cheap scan rules all three out for almost every article.
    if not _MAY_NEED_FTFY.search(normalised):
        return normalised, tuple(repairs)
    fixed = unicodedata.normalize("NFC", _fix_text(normalised))
    if fixed != normalised:
        repairs.append("mojibake repaired (ftfy)")
    return fixed, tuple(repairs)


def _check_readable(text: str, size: int) -> None:
    """Reject text with nothing visible in it, or mostly control/replacement chars.

    Counting uses ``str.count`` and only runs when a suspicious character exists:
    regular-expression substitution over a 10 MB text would take about a second.
    """
    if _NOT_BLANK.search(text) is None:
        if not text:
            raise RejectedInput("no text after the byte-order mark")
        raise RejectedInput(f"only whitespace ({describe_size(size)}), no text")
    replaced = text.count(REPLACEMENT_CHARACTER)
    if not replaced and _CONTROL.search(text) is None:
        return
    controls = _count_any(text, _CONTROL_CHARACTERS)
    visible = len(text) - _count_any(text, _BLANK_CHARACTERS)
    if controls + replaced <= _UNREADABLE_SHARE * visible:
        return
    share = round(100 * (controls + replaced) / visible)
    kind = "control characters" if controls >= replaced else "undecodable bytes (U+FFFD)"
    raise RejectedInput(f"too many {kind}: {share}% of the non-blank characters, not readable text")


def _count_any(text: str, characters: str) -> int:
    """Count the occurrences in ``text`` of any of ``characters``."""
    return sum(text.count(character) for character in characters)
