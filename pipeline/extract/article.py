"""One article through every rule: typed article in, typed mentions and quotes out.

This is what a worker runs after the model: the rules, quotations, and both kinds of offsets for
each mention (into the article's column and into the decoded raw document).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from pipeline.extract.candidate import Candidate
from pipeline.extract.drops import Drop, DropLog
from pipeline.extract.quotes import find_quotes
from pipeline.extract.rules import ArticleText, apply_rules
from pipeline.ids import dropped_span_id, entity_id, mention_id, quote_id
from pipeline.schema.vocab import ARTICLE_FIELDS
from pipeline.sources.base import to_raw_offset


@dataclass(frozen=True)
class ArticleForExtraction:
    """What extraction reads of an article: its columns, dateline place and offset map."""

    id: str
    fields: Mapping[str, str | None]
    dateline_place: str | None
    word_count: int
    offset_map: Mapping[str, Sequence[Sequence[int]]]

    @classmethod
    def from_row(
        cls,
        article_id: str,
        columns: Mapping[str, str | None],
        dateline_place: str | None,
        word_count: int,
        offset_map_json: str,
    ) -> ArticleForExtraction:
        """From the stored columns and the offset map as stored (JSON)."""
        runs: dict[str, list[list[int]]] = json.loads(offset_map_json)
        return cls(article_id, dict(columns), dateline_place, word_count, runs)


@dataclass(frozen=True)
class MentionRecord:
    """One row of `mentions`, as extraction hands it to the enrich stage."""

    id: str
    article_id: str
    entity_id: str
    field: str
    start: int
    end: int
    text: str
    raw_start: int | None
    raw_end: int | None
    sentence: int
    sentence_start: int
    sentence_end: int
    label: str
    model_label: str | None
    name: str
    role: str | None
    origin: str
    resolution: str
    confidence: float


@dataclass(frozen=True)
class QuoteRecord:
    """One row of `quotes`, as extraction hands it to the enrich stage."""

    id: str
    article_id: str
    speaker_entity_id: str | None
    speaker_mention_id: str | None
    field: str
    start: int
    end: int
    raw_start: int | None
    raw_end: int | None
    text: str
    verb: str | None
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class DroppedSpanRecord:
    """One row of `dropped_spans`: a span the model or gazetteer found that a rule dropped."""

    id: str
    article_id: str
    field: str
    start: int
    end: int
    text: str
    raw_start: int | None
    raw_end: int | None
    sentence_start: int
    sentence_end: int
    label: str
    model_label: str | None
    origin: str
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Everything extraction found in one article (plain, picklable data for the workers)."""

    article_id: str
    words: int
    mentions: list[MentionRecord]
    quotes: list[QuoteRecord]
    dropped: list[DroppedSpanRecord] = dataclass_field(default_factory=list)


def sentence_index(sentence_starts: Sequence[int], offset: int) -> int:
    """Index of the sentence that contains `offset`, given the sorted sentence start offsets."""
    return max(0, bisect_right(sentence_starts, offset) - 1)


def sentence_bounds(sentence_starts: Sequence[int], text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence that contains `offset`: up to the next sentence, spaces left out."""
    index = sentence_index(sentence_starts, offset)
    start = sentence_starts[index] if index < len(sentence_starts) and sentence_starts[index] <= offset else 0
    end = sentence_starts[index + 1] if index + 1 < len(sentence_starts) else len(text)
    end = max(end, offset)
    while start < offset and text[start].isspace():
        start += 1
    while end > offset and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_span(sentence_starts: Sequence[int], text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence `start` is in to the end of the one `end` closes (a span may cross)."""
    last = max(start, end - 1)
    return sentence_bounds(sentence_starts, text, start)[0], sentence_bounds(sentence_starts, text, last)[1]


def dateline_candidate(article: ArticleForExtraction) -> Candidate | None:
    """The dateline's place ("NAIROBI" in "NAIROBI, Kenya, Jan 22") as a place mention."""
    dateline = article.fields.get("dateline")
    if not (article.dateline_place and dateline):
        return None
    place_end = len(dateline.split(",")[0])
    return Candidate("dateline", 0, place_end, dateline[:place_end], "GPE", None, "dateline")


def article_candidates(
    article: ArticleForExtraction, spans: list[Candidate]
) -> tuple[ArticleText, list[Candidate]]:
    """What the rules start from: the article's columns and names, and every candidate span."""
    fields = {field: text for field in ARTICLE_FIELDS if (text := article.fields.get(field))}
    place = dateline_candidate(article)
    candidates = [*spans, place] if place is not None else list(spans)
    known = (article.dateline_place,) if article.dateline_place else ()
    return ArticleText(fields, known), candidates


def extract_article(
    article: ArticleForExtraction, spans: list[Candidate], sentence_starts: Mapping[str, Sequence[int]]
) -> Extraction:
    """The article's mentions and quotes, resolved within the article, with both kinds of offsets."""
    text, candidates = article_candidates(article, spans)
    fields = dict(text.fields)
    mentions: list[Candidate] = []
    records: list[MentionRecord] = []
    drops = DropLog()
    for mention in apply_rules(text, candidates, on_change=drops):
        # None where markup splits the name in the source: the mention stays, without raw offsets
        raw = to_raw_offset(article.offset_map.get(mention.field, []), mention.start, mention.end)
        mentions.append(mention)
        records.append(_mention_record(article.id, mention, raw, fields, sentence_starts))
    quotes = _quote_records(article, fields, mentions, sentence_starts)
    dropped = [_dropped_record(article, drop, fields, sentence_starts) for drop in drops.dropped(mentions)]
    return Extraction(article.id, article.word_count, records, quotes, dropped)


def _dropped_record(
    article: ArticleForExtraction,
    drop: Drop,
    fields: Mapping[str, str],
    sentence_starts: Mapping[str, Sequence[int]],
) -> DroppedSpanRecord:
    span = drop.candidate
    column = fields.get(span.field, "")
    raw = to_raw_offset(article.offset_map.get(span.field, []), span.start, span.end)
    sentence = sentence_span(sentence_starts.get(span.field, [0]), column, span.start, span.end)
    return DroppedSpanRecord(
        id=dropped_span_id(article.id, span.field, span.start, span.end),
        article_id=article.id,
        field=span.field,
        start=span.start,
        end=span.end,
        # the column's own slice: the model read a copy with long runs masked
        text=column[span.start : span.end],
        raw_start=raw[0] if raw else None,
        raw_end=raw[1] if raw else None,
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        label=span.label,
        model_label=span.model_label,
        origin=span.origin,
        rule=drop.rule,
    )


def _mention_record(
    article_id: str,
    mention: Candidate,
    raw: tuple[int, int] | None,
    fields: Mapping[str, str],
    sentence_starts: Mapping[str, Sequence[int]],
) -> MentionRecord:
    starts = sentence_starts.get(mention.field, [0])
    sentence = sentence_span(starts, fields.get(mention.field, ""), mention.start, mention.end)
    return MentionRecord(
        id=mention_id(article_id, mention.field, mention.start, mention.end),
        article_id=article_id,
        entity_id=entity_id(mention.label, mention.name),
        field=mention.field,
        start=mention.start,
        end=mention.end,
        text=mention.text,
        raw_start=raw[0] if raw else None,
        raw_end=raw[1] if raw else None,
        sentence=sentence_index(starts, mention.start),
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        label=mention.label,
        model_label=mention.model_label,
        name=mention.name,
        role=mention.role,
        origin=mention.origin,
        resolution=mention.resolution,
        confidence=mention.confidence,
    )


def _quote_records(
    article: ArticleForExtraction,
    fields: Mapping[str, str],
    mentions: list[Candidate],
    sentence_starts: Mapping[str, Sequence[int]],
) -> list[QuoteRecord]:
    records = []
    for field, text in fields.items():
        starts = sentence_starts.get(field, [0])
        for quote in find_quotes(field, text, mentions):
            raw = to_raw_offset(article.offset_map.get(field, []), quote.start, quote.end)
            speaker = quote.speaker
            records.append(
                QuoteRecord(
                    id=quote_id(article.id, field, quote.start, quote.end),
                    article_id=article.id,
                    speaker_entity_id=entity_id(speaker.label, speaker.name) if speaker else None,
                    speaker_mention_id=(
                        mention_id(article.id, field, speaker.start, speaker.end) if speaker else None
                    ),
                    field=field,
                    start=quote.start,
                    end=quote.end,
                    raw_start=raw[0] if raw else None,
                    raw_end=raw[1] if raw else None,
                    text=quote.text,
                    verb=quote.verb,
                    sentence_start=sentence_span(starts, text, quote.start, quote.end)[0],
                    sentence_end=sentence_span(starts, text, quote.start, quote.end)[1],
                )
            )
    return records


def resolve_article(
    fields: Mapping[str, str],
    model_spans: Sequence[Candidate],
    known_names: Sequence[str] = (),
    gazetteer_spans: Sequence[Candidate] = (),
) -> list[Candidate]:
    """Every rule over one article's spans, for tests and evaluation on small texts."""
    return apply_rules(ArticleText(fields, tuple(known_names)), [*model_spans, *gazetteer_spans])
