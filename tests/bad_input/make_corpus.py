"""Write the bad-input corpus: awkward raw files beside normal ones, each with its outcome.

The corpus is generated rather than committed so that nothing large or binary lives in
the repository: ``write_bad_inputs(target)`` writes every case into ``target`` and
returns ``{relative file name: expected outcome}``, where the outcome is ``"accepted"``
or ``"rejected: <part of the reason>"``. ``expected_texts()`` gives the exact decoded
text of every accepted case. The cases are listed in ``README.md`` beside this file.

The articles are invented Kenyan political news; the people in them are fictional.

Run it by hand to look at the files::

    python tests/bad_input/make_corpus.py /tmp/bad_input [--huge]
"""

from __future__ import annotations

import argparse
import codecs
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ACCEPTED = "accepted"

HUGE_SIZE = 50 * 1024 * 1024
"""The huge case: 52.4 MB in decimal units, far over the 10 MB default limit."""

ONE_MB_LINE_SIZE = 1_000_000

FINANCE_BILL = (
    "NAIROBI, Kenya — Members of the National Assembly on Thursday voted 186 to 97"
    " to send the Finance Bill back to the Budget and Appropriations Committee, after"
    " a heated debate over a proposed levy on mobile money transfers.\n"
    "\n"
    "Committee chair Joseph Kiprono Langat said the committee would hold fresh public"
    " hearings in Nakuru, Kisumu and Mombasa before the end of the month. “We have"
    " heard the people, and we will listen to them again,” he told journalists at"
    " Parliament Buildings.\n"
    "\n"
    "Minority Whip Grace Achieng Odera said the levy would hurt small traders who"
    " depend on M-Pesa for their daily business. “A tax on every transfer is a tax on"
    " the mama mboga,” she said, adding that the opposition would table its own"
    " amendments.\n"
    "\n"
    "Treasury officials have said the levy would raise Sh12 billion a year for county"
    " health programmes. The committee’s report is due back in the House within"
    " fourteen days.\n"
)

COUNTY_BUDGET = (
    "NAKURU, Kenya — The County Assembly on Tuesday passed a Sh18.4 billion budget for"
    " the coming financial year, with a third of the money set aside for roads and"
    " rural water projects.\n"
    "\n"
    "County Finance Executive Mary Wanjiru Njoroge told members that ward development"
    " funds would rise by 15 per cent. “Every ward will see a borehole or a road before"
    " the next rains,” she said.\n"
    "\n"
    "Members from the northern wards walked out during the vote, saying their areas had"
    " been left out of the health allocation. Majority Leader Daniel Kipkemboi Rono"
    " said their concerns would be addressed in a supplementary budget.\n"
)

BOUNDARIES = (
    "KISUMU, Kenya — The Independent Electoral and Boundaries Commission (IEBC) began"
    " public hearings on the review of constituency boundaries on Monday, with"
    " residents of Kisumu and Siaya counties the first to give their views.\n"
    "\n"
    "Commission vice-chair Esther Nyaboke Mokaya said the review would be finished"
    " before the end of next year, in time for the general election. “No county will"
    " lose a constituency without being heard first,” she said.\n"
    "\n"
    "Several elected leaders asked the commission to take population growth in"
    " informal settlements into account. Others warned that the exercise could be"
    " delayed if Parliament did not approve the commission’s budget in time.\n"
    "\n"
    "Hearings continue in Homa Bay on Wednesday and in Migori on Friday.\n"
)

COTE_DIVOIRE = (
    "NAIROBI, Kenya — Kenya and Côte d’Ivoire signed three agreements on trade,"
    " tourism and agricultural research on Friday, during a two-day visit by an"
    " Ivorian delegation to Nairobi.\n"
    "\n"
    "Trade Cabinet Secretary Ruth Chepkoech Kirui said the deals would open West"
    " African markets to Kenyan tea and horticultural exports. “This is a bridge"
    " between Abidjan and Nairobi,” she said.\n"
    "\n"
    "The Ivorian delegation, led by trade minister Aïcha Koné, also visited the"
    " Kenya Agricultural and Livestock Research Organization in Muguga.\n"
)

CP1252_TEXT = (
    "MOMBASA, Kenya — “We will not allow the county’s budget to be held hostage by"
    " cartels,” Senator Amina Wekesa Mohamed told a rally at Tononoka grounds on"
    " Saturday.\n"
    "\n"
    "She said the Senate’s finance committee would summon county officials over"
    " unpaid contractors — some of whom had waited for more than two years.\n"
    "\n"
    "“Pending bills are killing small businesses,” she said.\n"
)

LATIN1_TEXT = (  # Latin-1 has no typographic quotes or dashes: plain ASCII ones
    "GENEVA - Kenya's delegation met the French envoy Hélène Dupré and the German"
    " economist Jürgen Müller on Tuesday to discuss debt relief for East African"
    " economies.\n"
    "\n"
    "The talks, held at the café of the Palais des Nations, ended without a joint"
    " statement. Treasury officials said a second round would take place in Nairobi"
    " in the new year.\n"
)

UTF16_TEXT = (
    "ELDORET, Kenya — The Senate’s agriculture committee visited maize farmers in"
    " Uasin Gishu on Monday. Farmers asked for cheaper fertiliser and faster payment"
    " by the National Cereals and Produce Board.\n"
)

UTF8_BOM_TEXT = (
    "NYERI, Kenya — Governor-elect Samuel Wachira Gitau was sworn in on Thursday in a"
    " ceremony attended by more than 5,000 residents. “My first task is water,” he"
    " said.\n"
)

MOJIBAKE_TEXT = (
    "NAIROBI, Kenya — President Ruto’s Cabinet on Tuesday approved the revised"
    " foreign policy, “which proposes institutional changes,” according to a"
    " statement from State House.\n"
    "\n"
    "The policy was drafted after consultations in Nairobi, Mombasa and Kisumu, and"
    " the Cabinet Secretary’s office said it would be tabled in Parliament next"
    " week.\n"
)

TRUNCATED_TEXT = (
    "KAKAMEGA, Kenya — The County Assembly adjourned on Wednesday after members"
    " disagreed over the Speaker’s ruling on the impeachment motion.\n"
    "\n"
    "Members will return next week to debate the Speaker’"
)

ISOLATED_INVALID_TEXT = (
    "GARISSA, Kenya — Residents on Sunday welcomed the County’s new water project,"
    " which the governor’s office said would serve 40,000 people. “It is long"
    " overdue,” one elder said. The county’s engineers expect work to finish in"
    " June.\n"
)

BOILERPLATE_TEXT = (
    "Home » News\nFeatured\nLeave a Reply\nHome » Politics\nFeatured\nShare this:\nLeave a Reply\n"
)

CONTROL_CHARACTERS = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 27, 127]) * 40

LONG_LINE_SENTENCE = (
    "The Senate debated the county revenue allocation formula late into the night"
    " while governors’ representatives lobbied members in the corridors. "
)

HUGE_PARAGRAPH = (
    "Members of the County Assembly resumed debate on the annual development plan"
    " on Tuesday afternoon after a short adjournment.\n"
)

TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
"""A PNG signature and IHDR chunk of a 1x1 image: enough for any sniffer."""

UNREADABLE_DOCUMENTED = {
    "unreadable.txt": "rejected: unreadable",
    "symlink loop": "rejected: symlink loop",
}
"""Cases the ingest tests create themselves (chmod 000, a symlink loop); README only."""


@dataclass(frozen=True)
class Case:
    """One file of the corpus.

    Attributes:
        name: File name relative to the target folder.
        content: Builds the file's bytes.
        outcome: ``"accepted"`` or ``"rejected: <part of the reason>"``.
        text: Exact decoded text for accepted cases, None for rejected ones.
        huge: Only written when ``write_bad_inputs(..., huge=True)``.
    """

    name: str
    content: Callable[[], bytes]
    outcome: str
    text: str | None = None
    huge: bool = False


def as_mojibake(text: str) -> str:
    """Return ``text`` as it looks after UTF-8 bytes were misread as cp1252.

    Bytes that cp1252 leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the
    matching C1 control characters, as browsers do.

    Args:
        text: Correct text.

    Returns:
        The mojibake, e.g. ``"Rutoâ€™s"`` for ``"Ruto’s"``.
    """
    chars = []
    for byte in text.encode("utf-8"):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


def near_duplicate(text: str) -> str:
    """Return ``text`` with trivial differences: extra whitespace, one punctuation mark.

    Args:
        text: An article containing "Thursday voted" and "Parliament Buildings.".

    Returns:
        The article with a doubled space, a trailing space, an extra blank line and
        the full stop after "Parliament Buildings" changed to an exclamation mark.
    """
    changed = text.replace("Thursday voted", "Thursday  voted", 1)
    changed = changed.replace("Parliament Buildings.", "Parliament Buildings!", 1)
    changed = changed.replace("again,” he", "again,”  he", 1)
    changed = changed.replace("amendments.\n", "amendments. \n\n", 1)
    if changed == text:
        raise ValueError("the article does not contain the phrases to change")
    return changed


def _one_mb_line() -> str:
    """A single line of exactly ONE_MB_LINE_SIZE UTF-8 bytes, without any newline."""
    sentence = LONG_LINE_SENTENCE.encode("utf-8")
    repeats = ONE_MB_LINE_SIZE // len(sentence) + 1
    data = (sentence * repeats)[:ONE_MB_LINE_SIZE]
    # The cut may split the apostrophe; keep the line valid UTF-8 by padding with dots.
    while True:
        try:
            text = data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1]
    return text + "." * (ONE_MB_LINE_SIZE - len(data))


def _huge_file() -> bytes:
    """HUGE_SIZE bytes of a repeated paragraph, built without a Python-level loop."""
    paragraph = HUGE_PARAGRAPH.encode("utf-8")
    return (paragraph * (HUGE_SIZE // len(paragraph) + 1))[:HUGE_SIZE]


def _cases() -> list[Case]:
    """Every case of the corpus, in the order the README lists them."""
    one_mb_line = _one_mb_line()
    truncated = TRUNCATED_TEXT.encode("utf-8")[:-1]  # cut inside the final ’
    isolated = ISOLATED_INVALID_TEXT.encode("utf-8").replace(b"40,000", b"40\xff000")
    return [
        Case("empty.txt", lambda: b"", "rejected: empty file"),
        Case(
            "whitespace_only.txt",
            lambda: b"   \n\t\n\r\n  \n",
            "rejected: only whitespace",
        ),
        Case(
            "png_image_saved_as_text.txt",
            lambda: TINY_PNG,
            "rejected: binary data (PNG image)",
        ),
        Case(
            "nul_bytes_in_text.txt",
            lambda: FINANCE_BILL.encode("utf-8").replace(b"\n\n", b"\n\x00\x00\n", 1),
            "rejected: NUL bytes",
        ),
        Case(
            "utf16le_without_bom.txt",
            lambda: UTF16_TEXT.encode("utf-16-le"),
            "rejected: looks like UTF-16 LE without a byte-order mark",
        ),
        Case(
            "control_characters.txt",
            lambda: CONTROL_CHARACTERS,
            "rejected: too many control characters",
        ),
        Case(
            "cp1252_typographic_quotes.txt",
            lambda: CP1252_TEXT.encode("cp1252"),
            ACCEPTED,
            CP1252_TEXT,
        ),
        Case(
            "latin1_accents.txt",
            lambda: LATIN1_TEXT.encode("latin-1"),
            ACCEPTED,
            LATIN1_TEXT,
        ),
        Case(
            "utf16le_bom.txt",
            lambda: codecs.BOM_UTF16_LE + UTF16_TEXT.encode("utf-16-le"),
            ACCEPTED,
            UTF16_TEXT,
        ),
        Case(
            "utf16be_bom.txt",
            lambda: codecs.BOM_UTF16_BE + UTF16_TEXT.encode("utf-16-be"),
            ACCEPTED,
            UTF16_TEXT,
        ),
        Case(
            "utf32le_bom.txt",
            lambda: codecs.BOM_UTF32_LE + UTF16_TEXT.encode("utf-32-le"),
            ACCEPTED,
            UTF16_TEXT,
        ),
        Case(
            "utf8_bom.txt",
            lambda: codecs.BOM_UTF8 + UTF8_BOM_TEXT.encode("utf-8"),
            ACCEPTED,
            UTF8_BOM_TEXT,
        ),
        Case(
            "mojibake_utf8.txt",
            lambda: as_mojibake(MOJIBAKE_TEXT).encode("utf-8"),
            ACCEPTED,
            MOJIBAKE_TEXT,
        ),
        Case(
            "truncated_utf8_at_end.txt",
            lambda: truncated,
            ACCEPTED,
            TRUNCATED_TEXT[:-1] + "\ufffd",
        ),
        Case(
            "utf8_isolated_invalid_byte.txt",
            lambda: isolated,
            ACCEPTED,
            ISOLATED_INVALID_TEXT.replace("40,000", "40\ufffd000"),
        ),
        Case(
            "decomposed_accents_nfd.txt",
            lambda: unicodedata.normalize("NFD", COTE_DIVOIRE).encode("utf-8"),
            ACCEPTED,
            COTE_DIVOIRE,
        ),
        Case(
            "crlf_line_endings.txt",
            lambda: COUNTY_BUDGET.replace("\n", "\r\n").encode("utf-8"),
            ACCEPTED,
            COUNTY_BUDGET.replace("\n", "\r\n"),
        ),
        Case(
            "single_line_1mb.txt",
            lambda: one_mb_line.encode("utf-8"),
            ACCEPTED,
            one_mb_line,
        ),
        Case(
            "huge_50mb.txt",
            _huge_file,
            "rejected: over the 10.0 MB limit",
            huge=True,
        ),
        Case(
            "boilerplate_only.txt",
            lambda: BOILERPLATE_TEXT.encode("utf-8"),
            ACCEPTED,
            BOILERPLATE_TEXT,
        ),
        Case(
            "normal_finance_bill.txt",
            lambda: FINANCE_BILL.encode("utf-8"),
            ACCEPTED,
            FINANCE_BILL,
        ),
        Case(
            "normal_finance_bill_copy.txt",
            lambda: FINANCE_BILL.encode("utf-8"),
            ACCEPTED,
            FINANCE_BILL,
        ),
        Case(
            "normal_finance_bill_near_duplicate.txt",
            lambda: near_duplicate(FINANCE_BILL).encode("utf-8"),
            ACCEPTED,
            near_duplicate(FINANCE_BILL),
        ),
        Case(
            "Nairobi côte d’ivoire news.txt",
            lambda: COTE_DIVOIRE.encode("utf-8"),
            ACCEPTED,
            COTE_DIVOIRE,
        ),
        Case(
            "normal_county_budget.txt",
            lambda: COUNTY_BUDGET.encode("utf-8"),
            ACCEPTED,
            COUNTY_BUDGET,
        ),
        Case(
            "normal_iebc_boundaries.txt",
            lambda: BOUNDARIES.encode("utf-8"),
            ACCEPTED,
            BOUNDARIES,
        ),
    ]


def write_bad_inputs(target: Path, *, huge: bool = False) -> dict[str, str]:
    """Write every case of the corpus into a folder.

    Args:
        target: Folder to write into; created if missing. Existing files with the
            same names are overwritten.
        huge: Also write the 50 MB file (it takes a moment and 52 MB of disk).

    Returns:
        ``{relative file name: expected outcome}``; the outcome is ``"accepted"`` or
        ``"rejected: <substring of the reason>"``.
    """
    target.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, str] = {}
    for case in _cases():
        if case.huge and not huge:
            continue
        (target / case.name).write_bytes(case.content())
        outcomes[case.name] = case.outcome
    return outcomes


def expected_texts() -> dict[str, str]:
    """Return the exact decoded text of every accepted case, by file name.

    Returns:
        ``{relative file name: text}``: NFC, repaired, newlines as in the file.
    """
    return {case.name: case.text for case in _cases() if case.text is not None}


def main(argv: list[str] | None = None) -> None:
    """Write the corpus into the folder given on the command line and list it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder to write the files into")
    parser.add_argument("--huge", action="store_true", help="also write the 50 MB file")
    args = parser.parse_args(argv)
    for name, outcome in write_bad_inputs(args.target, huge=args.huge).items():
        print(f"{name}\t{outcome}")


if __name__ == "__main__":
    main()
