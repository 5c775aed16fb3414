"""Scraper records (`.json`, `.jsonl`, `.ndjson`): news-please, trafilatura and plain article records.

Three record shapes are read, told apart by their keys:

- news-please: `title`, `maintext`, `authors` (a list), `date_publish`, `url`, `source_domain`,
  `language`;
- trafilatura's JSON: `title`, `author`, `date`, `text`, `url`, `hostname`, `categories`, `tags`;
- a plain record: `text`, `body` or `content`, with optional `title`, `url`, `published`, `author`,
  `id`.

A `.json` file holding one such object is one article; a `.jsonl` file holds one record a line, and
a line that is not JSON, or a record without text, is rejected alone while the rest go on.

Offsets: every run points into the decoded text of the whole file. The JSON string tokens are
decoded here, character by character, so a character written as an escape (`\\"`, `\\n`,
`\\u00e9`) maps to the raw escape: its run has a `raw_length` longer than its length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.errors import RejectedInput
from pipeline.sources.base import (
    PARAGRAPH_SEPARATOR,
    CleanedArticle,
    FieldBuilder,
    Run,
    SourceDocument,
    SourceRecord,
)
from pipeline.sources.normalise import detect_language, parse_partial_date

JSON_SUFFIXES = (".json", ".json.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
BODY_KEYS = ("maintext", "text", "body", "content", "articleBody")
TITLE_KEYS = ("title", "headline")
AUTHOR_KEYS = ("authors", "author", "byline")
DATE_KEYS = ("date_publish", "date", "published", "published_date", "datePublished", "date_published")
OUTLET_KEYS = ("source_domain", "sitename", "outlet", "hostname", "source")
SECTION_KEYS = ("categories", "category", "section")
ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(raw: str, index: int) -> int:
    """The index of the first character at or after `index` that is not JSON whitespace."""
    match = _SPACE.match(raw, index)
    return match.end() if match else index


@dataclass(frozen=True)
class DecodedString:
    """A JSON string token's value, each character with the raw span it was written as."""

    value: str
    starts: list[int]
    ends: list[int]


def decode_string(raw: str, quote: int) -> tuple[DecodedString, int]:
    """Decode the JSON string token whose opening quote is at `raw[quote]`.

    Returns:
        The decoded value with per-character raw spans, and the index just past the closing quote.

    Raises:
        ValueError: the token is not a valid JSON string.
    """
    if raw[quote] != '"':
        raise ValueError(f"no string at {quote}")
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = quote + 1
    while True:
        if index >= len(raw):
            raise ValueError("unterminated string")
        char = raw[index]
        if char == '"':
            return DecodedString("".join(chars), starts, ends), index + 1
        if char != "\\":
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
            index += 1
            continue
        escape = raw[index + 1 : index + 2]
        if escape in ESCAPES:
            chars.append(ESCAPES[escape])
            starts.append(index)
            ends.append(index + 2)
            index += 2
            continue
        if escape != "u":
            raise ValueError(f"invalid escape at {index}")
        code = int(_hex4(raw, index + 2), 16)
        end = index + 6
        if 0xD800 <= code < 0xDC00 and raw[end : end + 2] == "\\u":
            low = int(_hex4(raw, end + 2), 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                end += 6
        chars.append(chr(code))
        starts.append(index)
        ends.append(end)
        index = end


def _hex4(raw: str, start: int) -> str:
    digits = raw[start : start + 4]
    if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"invalid \\u escape at {start - 2}")
    return digits


def top_level_strings(raw: str, start: int = 0) -> tuple[dict[str, Any], dict[str, DecodedString], int]:
    """Parse the JSON object at `raw[start:]`: its values, its string values' raw spans, and its end.

    Raises:
        ValueError: not a JSON object.
    """
    index = _skip(raw, start)
    if raw[index : index + 1] != "{":
        raise ValueError("not a JSON object")
    values: dict[str, Any] = {}
    spans: dict[str, DecodedString] = {}
    index += 1
    while True:
        index = _skip(raw, index)
        if raw[index : index + 1] == "}" and not values:
            return values, spans, index + 1
        if raw[index : index + 1] != '"':
            raise ValueError(f"expected a key at character {index}")
        decoded_key, index = decode_string(raw, index)
        key = decoded_key.value
        index = _skip(raw, index)
        if raw[index : index + 1] != ":":
            raise ValueError(f"expected ':' at character {index}")
        index = _skip(raw, index + 1)
        if raw[index : index + 1] == '"':
            decoded, index = decode_string(raw, index)
            values[key], spans[key] = decoded.value, decoded
        else:
            values[key], index = _DECODER.raw_decode(raw, index)
            spans.pop(key, None)
        index = _skip(raw, index)
        if raw[index : index + 1] == ",":
            index += 1
            continue
        if raw[index : index + 1] == "}":
            return values, spans, index + 1
        raise ValueError(f"expected ',' or '}}' at character {index}")


def _first(values: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            return key
    return None


def is_article_json(text: str) -> bool:
    """Whether a `.json` file is an article record (it has a text field), not a sidecar.

    A sidecar (`NAME.json` beside `NAME.txt`) holds only what the scraper knew about the page
    (url, outlet, published, author); an article record holds the article's text.
    """
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and _first(data, BODY_KEYS) is not None


def _mapped(decoded: DecodedString, start: int, end: int) -> list[Run]:
    """Runs for decoded[start:end], column offsets relative to `start`."""
    runs: list[Run] = []
    for index in range(start, end):
        raw_start, raw_end = decoded.starts[index], decoded.ends[index]
        column = index - start
        if raw_end - raw_start == 1:
            previous = runs[-1] if runs else None
            if (
                previous
                and len(previous) == 3
                and previous[0] + previous[2] == column
                and previous[1] + previous[2] == raw_start
            ):
                runs[-1] = (previous[0], previous[1], previous[2] + 1)
                continue
            runs.append((column, raw_start, 1))
        else:
            runs.append((column, raw_start, 1, raw_end - raw_start))
    return runs


def _stripped(value: str) -> tuple[int, int]:
    start = len(value) - len(value.lstrip())
    return start, len(value.rstrip())


def _field(values: dict[str, Any], spans: dict[str, DecodedString], key: str | None) -> FieldBuilder:
    builder = FieldBuilder.empty()
    if key is None:
        return builder
    value = values[key]
    start, end = _stripped(value)
    if key in spans:
        builder.add_mapped(value[start:end], _mapped(spans[key], start, end))
    else:
        builder.add_mapped(value[start:end], [])
    return builder


def article_from_record(raw: str, start: int = 0) -> tuple[CleanedArticle, int]:
    """The article in the JSON object at `raw[start:]`, with runs into `raw`; and the object's end.

    Raises:
        RejectedInput: not a JSON object, or no text field.
    """
    try:
        values, spans, end = top_level_strings(raw, start)
    except (ValueError, IndexError) as error:
        raise RejectedInput(f"not a valid JSON object: {error}") from error
    body = _body_field(values, spans, _body_key(values))
    body_text = body.value() or ""
    title = _field(values, spans, _first(values, TITLE_KEYS))
    author = _author_field(raw, values, spans, start)
    date_key = _first(values, DATE_KEYS)
    published = parse_partial_date(values[date_key]) if date_key else None
    section = _section(values)
    outlet_key = _first(values, OUTLET_KEYS)
    url = values.get("url") if isinstance(values.get("url"), str) else None
    language = _language(values, body_text)
    try:  # the article model refuses an empty body: the record is rejected, the file goes on
        article = CleanedArticle(
            title=title.value(),
            section=section or None,
            dateline=None,
            dateline_place=None,
            published_date=published,
            author=author.value(),
            url=url,
            outlet=values[outlet_key].strip() if outlet_key else None,
            body=body_text,
            word_count=len(body_text.split()),
            language=language,
            offset_map={
                name: builder.runs
                for name, builder in (("title", title), ("author", author), ("body", body))
                if builder.runs
            },
            removed=[],
        )
    except ValueError as error:
        raise RejectedInput(f"record has no article text: {error}") from error
    return article, end


def _body_key(values: dict[str, Any]) -> str:
    """The key holding the article's text; a record without one is no article."""
    body_key = _first(values, BODY_KEYS)
    if body_key is None:
        keys = ", ".join(sorted(values)[:8]) or "none"
        raise RejectedInput(
            f"record has no article text (no non-empty {'/'.join(BODY_KEYS[:4])}; keys: {keys})"
        )
    return body_key


def _body_field(values: dict[str, Any], spans: dict[str, DecodedString], body_key: str) -> FieldBuilder:
    """The body, one paragraph a line of the text, each stripped and mapped where it is written."""
    text = values[body_key]
    body = FieldBuilder.empty()
    for line in re.finditer(r"[^\n]+", text):
        line_start = line.start()
        inner_start, inner_end = _stripped(line.group())
        if inner_end <= inner_start:
            continue
        piece_start, piece_end = line_start + inner_start, line_start + inner_end
        runs = _mapped(spans[body_key], piece_start, piece_end) if body_key in spans else []
        body.add_mapped(text[piece_start:piece_end], runs, PARAGRAPH_SEPARATOR)
    return body


def _author_field(
    raw: str, values: dict[str, Any], spans: dict[str, DecodedString], start: int
) -> FieldBuilder:
    authors = values.get("authors")
    if not (isinstance(authors, list) and authors):
        return _field(values, spans, _first(values, ("author", "byline")))
    # a news-please author list: each name mapped where it is written in the file
    author = FieldBuilder.empty()
    names = [name.strip() for name in authors if isinstance(name, str) and name.strip()]
    located = _array_strings(raw, values, "authors", start)
    for name in names:
        decoded = located.get(name)
        runs = _mapped(decoded, *_stripped(decoded.value)) if decoded else []
        author.add_mapped(name, runs, ", ")
    return author


def _section(values: dict[str, Any]) -> str | None:
    """The first category (of a list, or of a comma-separated string)."""
    section_value = next((values[key] for key in SECTION_KEYS if values.get(key)), None)
    if isinstance(section_value, list):
        section_value = next((str(item) for item in section_value if str(item).strip()), None)
    return section_value.split(",")[0].strip() if isinstance(section_value, str) else None


def _language(values: dict[str, Any], body_text: str) -> str | None:
    """The language detected in the body, else the one the record states."""
    language = detect_language(body_text)
    if language is None and isinstance(values.get("language"), str):
        language = values["language"].strip().lower()[:2] or None
    return language


def _array_strings(raw: str, values: dict[str, Any], key: str, start: int) -> dict[str, DecodedString]:
    """The string items of the top-level array `key`, decoded with their raw spans (best effort)."""
    found: dict[str, DecodedString] = {}
    key_token = json.dumps(key)
    position = raw.find(key_token, start)
    while position >= 0:
        after = _skip(raw, position + len(key_token))
        if raw[after : after + 1] == ":":
            index = _skip(raw, after + 1)
            if raw[index : index + 1] != "[":
                return found
            index += 1
            while True:
                index = _skip(raw, index)
                if raw[index : index + 1] == '"':
                    try:
                        decoded, index = decode_string(raw, index)
                    except ValueError:
                        return found
                    found.setdefault(decoded.value.strip(), decoded)
                elif raw[index : index + 1] in ("]", ""):
                    return found
                else:
                    try:
                        _value, index = _DECODER.raw_decode(raw, index)
                    except ValueError:
                        return found
                index = _skip(raw, index)
                if raw[index : index + 1] == ",":
                    index += 1
                    continue
                return found
        position = raw.find(key_token, position + 1)
    return found


def jsonl_records(text: str) -> Iterator[SourceRecord]:
    """One `SourceRecord` per non-blank line of a JSONL text; a bad line is a rejection alone.

    Byte offsets are those of the text encoded as UTF-8 (the file's own bytes for a UTF-8 file
    without a byte-order mark); the article's runs point into `text`.
    """
    byte_position = 0
    char_position = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        start, offset = char_position, byte_position
        char_position += len(line)
        byte_position += len(line.encode("utf-8", "surrogatepass"))
        content = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        if not content.strip():
            continue
        byte_end = offset + len(content.encode("utf-8", "surrogatepass"))
        key = f"line {number}"
        try:
            article, end = article_from_record(text, start)
            if text[end : start + len(content)].strip():
                raise RejectedInput(f"line {number} has text after its JSON object: not one record")
        except RejectedInput as error:
            yield SourceRecord(
                key=key, line=number, byte_start=offset, byte_end=byte_end, rejection=error.reason
            )
            continue
        yield SourceRecord(key=key, line=number, byte_start=offset, byte_end=byte_end, article=article)


class Records:
    """JSON article records and JSONL files of many records."""

    name = "json records"

    def accepts(self, path: str) -> bool:
        return path.lower().endswith(JSON_SUFFIXES + JSONL_SUFFIXES)

    def article(self, document: SourceDocument) -> CleanedArticle:
        """The one article of a `.json` file (or of a JSONL file with one record)."""
        if document.path.lower().endswith(JSONL_SUFFIXES):
            records = list(self.records(document))
            if len(records) != 1:
                raise RejectedInput(f"holds {len(records)} records: read it record by record (records())")
            if records[0].article is None:
                raise RejectedInput(records[0].rejection or "no article")
            return records[0].article
        start = _skip(document.text, 0)
        if document.text[start : start + 1] == "[":
            raise RejectedInput(
                "holds a JSON array, not one article object: save it as JSONL, one record a line"
            )
        article, end = article_from_record(document.text, 0)
        if document.text[end:].strip():
            raise RejectedInput(f"has text after the JSON object (character {end}): not one JSON record")
        return article

    def records(self, document: SourceDocument) -> Iterator[SourceRecord]:
        """Every record: each line of a JSONL file, or the one object of a `.json` file."""
        if not document.path.lower().endswith(JSONL_SUFFIXES):
            size = len(document.text.encode("utf-8", "surrogatepass"))
            try:
                yield SourceRecord(
                    key="record", line=1, byte_start=0, byte_end=size, article=self.article(document)
                )
            except RejectedInput as error:
                yield SourceRecord(key="record", line=1, byte_start=0, byte_end=size, rejection=error.reason)
            return
        yield from jsonl_records(document.text)


SOURCE = Records()
