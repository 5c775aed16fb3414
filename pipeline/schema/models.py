"""The typed ORM tables: the one source of the schema, its descriptions and the Datasette metadata.

Tables whose `info` has `published=True` go into the release; the others (`raw_*`, `work_*`) stay in
the working database. Every table and column carries its description as a comment, so the Alembic
migrations, `datasette-metadata.json` and the README's data dictionary all say the same thing.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from pipeline.schema.vocab import ARTICLE_FIELDS, COORDINATE_SOURCES, NAME_TYPES, ORIGINS

__all__ = ["ARTICLE_FIELDS", "NAME_TYPES", "Base", "published_tables"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def published(description: str, *, filled_by_release: bool = False) -> dict[str, object]:
    """A published table; `filled_by_release` when the release writes its rows (not copied from work)."""
    info: dict[str, object] = {"published": True}
    if filled_by_release:
        info["filled_by_release"] = True
    return {"comment": description, "info": info}


def working(description: str) -> dict[str, object]:
    return {"comment": description, "info": {"published": False}}


VALUES = "values"
"""The `info` key of a column whose values come from a closed vocabulary (see `closed_vocabularies`)."""


def one_of(values: tuple[str, ...]) -> dict[str, object]:
    """A column's `info` naming its closed vocabulary: a CHECK constraint and the data package's
    `enum` are made from it."""
    return {VALUES: values}


# --- spans: where a piece of text is, written once for mentions, quotes and removed segments -------
# Mixin columns come after a table's own ones: what a row is first, where it is last.


class ColumnSpan:
    """A piece of an article column: `column[start:end] == text`."""

    field: Mapped[str] = mapped_column(
        String(10),
        info=one_of(ARTICLE_FIELDS),
        comment="Article column it is in: title, dateline, author or body.",
    )
    start: Mapped[int] = mapped_column(Integer, comment="Start offset in that column (Python string index).")
    end: Mapped[int] = mapped_column(Integer, comment="End offset (exclusive): column[start:end] == text.")

    @staticmethod
    def checks() -> tuple[CheckConstraint, ...]:
        return (CheckConstraint('0 <= start AND start <= "end"', name="span"),)


class RawSpan:
    """The same text in the decoded raw document: `raw[raw_start:raw_end]`, as the source writes it."""

    raw_span_required: ClassVar[bool] = False
    """True where every row has raw offsets (a removed segment is raw text by definition)."""

    @declared_attr
    def raw_start(cls) -> Mapped[int | None]:
        empty = (
            ""
            if cls.raw_span_required
            else (
                "; empty when markup splits it in the source (an HTML tag or a character reference inside it)"
            )
        )
        return mapped_column(
            Integer,
            nullable=not cls.raw_span_required,
            comment=f"Start offset of the same text in the decoded raw document{empty}.",
        )

    @declared_attr
    def raw_end(cls) -> Mapped[int | None]:
        return mapped_column(
            Integer,
            nullable=not cls.raw_span_required,
            comment="End offset (exclusive) in the decoded raw document.",
        )

    @staticmethod
    def checks() -> tuple[CheckConstraint, ...]:
        return (
            CheckConstraint(
                "(raw_start IS NULL) = (raw_end IS NULL) "
                "AND (raw_start IS NULL OR (0 <= raw_start AND raw_start <= raw_end))",
                name="raw_span",
            ),
        )


class SentenceSpan:
    """The sentence (or sentences) the text stands in: `column[sentence_start:sentence_end]`."""

    sentence_start: Mapped[int] = mapped_column(
        Integer,
        server_default="0",
        comment="Start offset in the column of the sentence the text starts in: "
        "column[sentence_start:sentence_end] is the text in context.",
    )
    sentence_end: Mapped[int] = mapped_column(
        Integer,
        server_default="0",
        comment="End offset (exclusive) in the column of the sentence the text ends in, trailing "
        "spaces left out.",
    )

    @staticmethod
    def checks() -> tuple[CheckConstraint, ...]:
        return (CheckConstraint("sentence_start <= sentence_end", name="sentence_span"),)


# --- working tables: the raw input, kept verbatim ------------------------------------------------


class RawDocument(Base):
    __tablename__ = "raw_documents"
    __table_args__ = working(
        "Every distinct file content ever seen under the raw folder, stored verbatim by its SHA-256."
    )

    sha256: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="SHA-256 of the raw bytes, hex."
    )
    size: Mapped[int] = mapped_column(Integer, comment="Size of the raw file in bytes.")
    content: Mapped[bytes | None] = mapped_column(
        LargeBinary,
        comment="The raw bytes exactly as read from disk; empty only for an archive over the size "
        "limit, whose records are each stored whole instead.",
    )
    encoding: Mapped[str | None] = mapped_column(
        String(40), comment="Encoding the bytes were decoded with; empty when they could not be."
    )
    text: Mapped[str | None] = mapped_column(
        Text,
        comment="Decoded text (repaired, NFC, newlines untouched): what raw offsets index into.",
    )
    decode_repairs: Mapped[str | None] = mapped_column(
        Text, comment="Repairs made while decoding, one per line."
    )
    decode_error: Mapped[str | None] = mapped_column(
        Text, comment="Why the bytes are not usable text; empty when they decoded."
    )
    first_seen_at: Mapped[str] = mapped_column(
        String(32), comment="UTC time this content was first ingested (ISO 8601)."
    )


class RawDocumentPath(Base):
    __tablename__ = "raw_document_paths"
    __table_args__ = (
        UniqueConstraint("path", "version"),
        working("Each version of each file path under the raw folder, and which content it held."),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Row number.")
    path: Mapped[str] = mapped_column(Text, comment="Path relative to the raw folder, with forward slashes.")
    version: Mapped[int] = mapped_column(
        Integer, comment="1 for the first content seen at this path, 2 after the first change, ..."
    )
    sha256: Mapped[str] = mapped_column(
        ForeignKey("raw_documents.sha256"), index=True, comment="The content of this version."
    )
    is_current: Mapped[bool] = mapped_column(
        comment="True for the version the file holds now; false once changed or deleted."
    )
    first_seen_at: Mapped[str] = mapped_column(String(32), comment="UTC time first seen.")
    last_seen_at: Mapped[str] = mapped_column(String(32), comment="UTC time last seen on disk.")
    record_of: Mapped[str | None] = mapped_column(
        Text,
        comment="For a record read out of an archive (a WARC response): the archive's path; "
        "this row's content is the record's payload.",
    )
    record_key: Mapped[str | None] = mapped_column(
        Text, comment='Which record of the archive, e.g. "record at byte 40960".'
    )
    byte_start: Mapped[int | None] = mapped_column(
        Integer, comment="Where the record starts in the archive file (bytes)."
    )
    byte_end: Mapped[int | None] = mapped_column(
        Integer, comment="Where the record ends in the archive file (bytes, exclusive)."
    )
    record_url: Mapped[str | None] = mapped_column(Text, comment="The record's target URI.")
    fetched_at: Mapped[str | None] = mapped_column(
        Text, comment="When the crawler fetched the record (its WARC-Date, ISO 8601)."
    )


class WorkArticleInput(Base):
    __tablename__ = "work_article_inputs"
    __table_args__ = working(
        "What each article was built from, so a stage redoes only what changed, and how its "
        "columns map back to the decoded raw text."
    )

    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, comment="The article."
    )
    clean_input_hash: Mapped[str] = mapped_column(
        String(64), comment="Hash of the raw content, sidecar and cleaner version it was built from."
    )
    enrich_input_hash: Mapped[str | None] = mapped_column(
        String(64), comment="Hash of the article text and enricher version its mentions came from."
    )
    text_hash: Mapped[str | None] = mapped_column(
        String(64),
        comment="Hash of what enrich reads of the article (its columns, dateline place, word count and "
        "offset map): its mentions are made again only when this or the enricher changes.",
    )
    offset_map: Mapped[str] = mapped_column(
        Text,
        comment="JSON: per column, [column_start, raw_start, length] runs copied from the raw text.",
    )


class WorkStageState(Base):
    __tablename__ = "work_stage_state"
    __table_args__ = working("Fingerprint of the inputs each stage last finished with.")

    stage: Mapped[str] = mapped_column(String(20), primary_key=True, comment="Stage name.")
    fingerprint: Mapped[str] = mapped_column(String(64), comment="Hash of the stage's inputs.")
    finished_at: Mapped[str] = mapped_column(String(32), comment="UTC time the stage finished.")


class WorkSitePage(Base):
    __tablename__ = "work_site_pages"
    __table_args__ = working(
        "Each page text whose lines are counted in work_site_lines, and the site it was counted for: "
        "site furniture is counted by difference, so an update reads only the pages that changed."
    )

    sha256: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="The page's content hash (raw_documents.sha256)."
    )
    path: Mapped[str] = mapped_column(
        Text, comment="The path the page was counted under (its folder is a site)."
    )
    sidecar_sha256: Mapped[str | None] = mapped_column(
        String(64), comment="Its sidecar's content hash: the sidecar's URL or outlet names the site."
    )
    site: Mapped[str] = mapped_column(Text, comment="The site: URL host, else outlet, else folder.")


class WorkSiteLine(Base):
    __tablename__ = "work_site_lines"
    __table_args__ = (
        Index("ix_work_site_lines_site_pages", "site", "pages"),
        working("How many of each site's pages print each short line: the lines on many are furniture."),
    )

    site: Mapped[str] = mapped_column(Text, primary_key=True, comment="The site (work_site_pages.site).")
    line: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="A line as furniture is compared: spaces collapsed, case folded."
    )
    pages: Mapped[int] = mapped_column(Integer, comment="How many of the site's pages print it.")


class WorkNearDuplicateBand(Base):
    __tablename__ = "work_near_duplicate_bands"
    __table_args__ = working(
        "Each article's locality-sensitive hashing bands of its MinHash signature: articles sharing a "
        "(band, bucket) are the only pairs compared for near-duplicates."
    )

    band: Mapped[int] = mapped_column(
        SmallInteger, primary_key=True, comment="Band number, from 0 (a run of signature rows)."
    )
    bucket: Mapped[int] = mapped_column(
        BigInteger, primary_key=True, comment="64-bit hash of the article's signature values in that band."
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True, comment="The article."
    )


class WorkResolvedArticle(Base):
    __tablename__ = "work_resolved_articles"
    __table_args__ = working(
        "Each article as entity resolution last counted it: an update re-resolves only the articles "
        "whose mentions changed since (no key to articles: a removed article's forms must be "
        "subtracted after its rows are gone)."
    )

    article_id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="The article.")
    enrich_input_hash: Mapped[str | None] = mapped_column(
        String(64), comment="The enrich input hash its counted mentions came from."
    )


class WorkResolvedForm(Base):
    __tablename__ = "work_resolved_forms"
    __table_args__ = (
        Index("ix_work_resolved_forms_label_name", "label", "name"),
        working(
            "The mentions entity resolution counted, grouped per article, type, name, text and role: "
            "what an update subtracts when an article changes or goes."
        ),
    )

    article_id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="The article.")
    label: Mapped[str] = mapped_column(String(12), primary_key=True, comment="The mentions' type.")
    name: Mapped[str] = mapped_column(Text, primary_key=True, comment="The mentions' name.")
    text: Mapped[str] = mapped_column(Text, primary_key=True, comment="The mentions as written.")
    role: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The mentions' role; empty when they have none."
    )
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions of the article in this group.")


class WorkResolvedName(Base):
    __tablename__ = "work_resolved_names"
    __table_args__ = working(
        "Each distinct (type, name) of the corpus, its mentions and the entity it resolved to: the "
        "cross-article rules look up a name's neighbours here instead of reading every mention."
    )

    label: Mapped[str] = mapped_column(String(12), primary_key=True, comment="The name's type.")
    name: Mapped[str] = mapped_column(Text, primary_key=True, index=True, comment="The name.")
    surname: Mapped[str | None] = mapped_column(
        Text, index=True, comment="Last word of a person's name of two words or more, else empty."
    )
    entity_id: Mapped[str | None] = mapped_column(
        String(16), comment="The entity it resolved to; empty until it is resolved."
    )
    reason: Mapped[str | None] = mapped_column(
        Text, comment="Why it joined another name's entity; empty when it is its own."
    )
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions of this name in the corpus.")


class WorkResolvedAcronym(Base):
    __tablename__ = "work_resolved_acronyms"
    __table_args__ = working(
        "Acronyms some mention wrote for a longer name (text in capitals, the name of two words or "
        "more): what the acronym rule reads."
    )

    acronym: Mapped[str] = mapped_column(Text, primary_key=True, comment="The acronym as written.")
    label: Mapped[str] = mapped_column(String(12), primary_key=True, comment="The long form's type.")
    name: Mapped[str] = mapped_column(Text, primary_key=True, comment="The long form.")
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions writing the long form so.")


class WorkEntityArticle(Base):
    __tablename__ = "work_entity_articles"
    __table_args__ = working(
        "Which articles mention which entity, by how many of the entity's names: an entity's article "
        "count changes by the rows an update adds or empties."
    )

    article_id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="The article.")
    entity_id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="The entity.")
    name_count: Mapped[int] = mapped_column(
        Integer, comment="Distinct names of the entity the article mentions."
    )


class WorkJoinedSurname(Base):
    __tablename__ = "work_joined_surnames"
    __table_args__ = working(
        "Each article whose evidence joins a bare surname to the one person-shaped full name of "
        "another article that ends with it: what the mentions of that surname in that article count "
        "under, decided again on every update."
    )

    article_id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="The article.")
    name: Mapped[str] = mapped_column(
        Text, primary_key=True, index=True, comment="The bare surname, a person's name of one word."
    )
    entity_id: Mapped[str] = mapped_column(String(16), comment="The entity of the full name it joined.")
    reason: Mapped[str] = mapped_column(Text, comment="The evidence its article gives.")


# --- published tables ----------------------------------------------------------------------------


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = published(
        "One row per distinct news article: its cleaned text and what the page says about it."
    )

    id: Mapped[str] = mapped_column(
        String(16),
        primary_key=True,
        comment="Stable id from the source path and, in a file of many records, the record's URL "
        "or key: editing the file keeps the id; cite it with source_sha256.",
    )
    source_path: Mapped[str] = mapped_column(
        Text, comment="Path of the raw file relative to the raw folder (the first, if several)."
    )
    source_sha256: Mapped[str] = mapped_column(
        String(64),
        comment="SHA-256 of the raw bytes the offsets index into (the file, or an archive "
        "record's payload): cite it to pin the exact input.",
    )
    source_kind: Mapped[str] = mapped_column(
        String(16),
        default="plaintext",
        comment="How the file was read: plaintext, markdown, html, json, jsonl or warc.",
    )
    source_record: Mapped[str | None] = mapped_column(
        Text, comment='Which record of a file of many articles, e.g. "line 12" or "record at byte 40960".'
    )
    source_line: Mapped[int | None] = mapped_column(
        Integer, comment="The record's first line in the file (1-based), for JSONL."
    )
    source_byte_start: Mapped[int | None] = mapped_column(
        Integer, comment="Where the record starts in the file (bytes), for JSONL and WARC."
    )
    source_byte_end: Mapped[int | None] = mapped_column(
        Integer, comment="Where the record ends in the file (bytes, exclusive)."
    )
    fetched_at: Mapped[str | None] = mapped_column(
        Text, comment="When the page was fetched, when the file says so (a WARC record's date)."
    )
    url: Mapped[str | None] = mapped_column(Text, comment="Address of the page, from the sidecar.")
    outlet: Mapped[str | None] = mapped_column(
        Text, comment="Publication the article appeared in, from the sidecar."
    )
    title: Mapped[str | None] = mapped_column(
        Text, comment="Headline as printed; empty when the page has none (never invented)."
    )
    section: Mapped[str | None] = mapped_column(
        Text, index=True, comment="Category label the page filed the article under."
    )
    dateline: Mapped[str | None] = mapped_column(
        Text, comment='Dateline as printed, e.g. "NAIROBI, Kenya, Jan 22".'
    )
    dateline_place: Mapped[str | None] = mapped_column(
        Text, comment='Place named by the dateline, in title case, e.g. "Nairobi".'
    )
    published_date: Mapped[str | None] = mapped_column(
        String(10),
        index=True,
        comment="Publication date, ISO 8601, only as precise as the source supports "
        "(YYYY-MM-DD, YYYY-MM or YYYY; empty when the year is not given).",
    )
    author: Mapped[str | None] = mapped_column(Text, comment="Author from a byline line or the sidecar.")
    body: Mapped[str] = mapped_column(
        Text, comment="Article text without site boilerplate; paragraphs separated by a blank line."
    )
    word_count: Mapped[int] = mapped_column(Integer, comment="Words in the body.")
    language: Mapped[str | None] = mapped_column(String(8), comment="ISO 639-1 code of the body's language.")
    ner_model: Mapped[str | None] = mapped_column(
        Text,
        comment="The NER model that read the article (chosen by its language); empty when no "
        "model is set for the language, so the article has no entities.",
    )
    near_duplicate_of: Mapped[str | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"),
        index=True,
        comment="An earlier article (by id order) with almost the same text: the same story with "
        "trivial differences, kept but flagged.",
    )
    near_duplicate_similarity: Mapped[float | None] = mapped_column(
        Float, comment="How similar the body is to that article, from 0 to 1."
    )


class RemovedSegment(RawSpan, Base):
    __tablename__ = "removed_segments"
    __table_args__ = (
        *RawSpan.checks(),
        published("Every piece of the raw text the cleaner left out of an article, with the reason."),
    )
    raw_span_required = True

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from the article and offsets."
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    text: Mapped[str] = mapped_column(Text, comment="The removed text as written.")
    reason: Mapped[str] = mapped_column(
        Text, index=True, comment="Why it was removed, e.g. breadcrumb, comment form."
    )


LATITUDE_COMMENT = "Latitude (WGS 84) of the place's point; coordinate_source says what the point is."
LONGITUDE_COMMENT = "Longitude (WGS 84) of the place's point; coordinate_source says what the point is."
COORDINATE_SOURCE_COMMENT = (
    "What latitude and longitude are: 'place' (the GeoNames position of the city or town itself), "
    "'region centroid' (the mean position of the GeoNames places of a first-level region such as a "
    "US state, a Kenyan county or former province; pipeline/data/centroids/regions.csv) or 'country "
    "centroid' (the centroid of the country's main land mass; pipeline/data/centroids/countries.csv). "
    "Empty where the place has no coordinates."
)


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (
        CheckConstraint("mention_count >= article_count AND article_count >= 0", name="counts"),
        published("Named people, organisations, places and other things, resolved across all articles."),
    )

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from the type and canonical name."
    )
    name: Mapped[str] = mapped_column(
        Text, index=True, comment="Canonical name: the fullest form seen, without titles."
    )
    type: Mapped[str] = mapped_column(
        String(12),
        index=True,
        info=one_of(NAME_TYPES),
        comment="Entity type (spaCy OntoNotes label), e.g. PERSON, ORG.",
    )
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions in all articles.")
    article_count: Mapped[int] = mapped_column(Integer, comment="Articles that mention it.")
    country_code: Mapped[str | None] = mapped_column(
        String(2), comment="ISO 3166-1 alpha-2 code of the place's country (places only)."
    )
    latitude: Mapped[float | None] = mapped_column(Float, comment=LATITUDE_COMMENT)
    longitude: Mapped[float | None] = mapped_column(Float, comment=LONGITUDE_COMMENT)
    geonames_id: Mapped[int | None] = mapped_column(
        Integer, comment="GeoNames id of the place: https://www.geonames.org/<id>."
    )
    coordinate_source: Mapped[str | None] = mapped_column(
        String(16), info=one_of(COORDINATE_SOURCES), comment=COORDINATE_SOURCE_COMMENT
    )


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = published("Every surface form an entity was written as.")

    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"),
        primary_key=True,
        comment="The entity.",
    )
    alias: Mapped[str] = mapped_column(
        Text, primary_key=True, index=True, comment="A form of the name as written in an article."
    )
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions written this way.")


class EntityRole(Base):
    __tablename__ = "entity_roles"
    __table_args__ = published(
        'Titles and descriptions written with an entity\'s name, e.g. "President", "British High '
        'Commissioner to Kenya".'
    )

    entity_id: Mapped[str] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, comment="The entity."
    )
    role: Mapped[str] = mapped_column(Text, primary_key=True, comment="The role as written.")
    mention_count: Mapped[int] = mapped_column(Integer, comment="Mentions that carry this role.")


class Mention(ColumnSpan, RawSpan, SentenceSpan, Base):
    __tablename__ = "mentions"
    __table_args__ = (
        Index("ix_mentions_article_field_start", "article_id", "field", "start"),
        *ColumnSpan.checks(),
        CheckConstraint('start < "end"', name="not_empty"),
        *RawSpan.checks(),
        *SentenceSpan.checks(),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence"),
        published("Every place an entity is named, with exact character offsets."),
    )

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from article, column and offsets."
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    entity_id: Mapped[str | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"),
        index=True,
        comment="The entity this mention refers to.",
    )
    text: Mapped[str] = mapped_column(Text, comment="The mention as written.")
    sentence: Mapped[int] = mapped_column(Integer, comment="Index of the sentence within the column, from 0.")
    label: Mapped[str] = mapped_column(
        String(12),
        info=one_of(NAME_TYPES),
        comment="Type of the mention after our rules (the entity's type).",
    )
    model_label: Mapped[str | None] = mapped_column(
        String(12),
        info=one_of(NAME_TYPES),
        comment="Type the spaCy model gave the span; empty when a rule found it.",
    )
    name: Mapped[str] = mapped_column(
        Text,
        comment="The name this mention was read as within its article: titles and possessives "
        "removed, a surname expanded to the full name seen in the article.",
    )
    role: Mapped[str | None] = mapped_column(
        Text, comment='Title or role written with the name, e.g. "President".'
    )
    resolution: Mapped[str] = mapped_column(
        Text,
        comment="How the mention was tied to its entity: exact, surname in article, a type vote, "
        "alias in article, ...",
    )
    origin: Mapped[str] = mapped_column(
        String(40),
        info=one_of(ORIGINS),
        comment="What produced the mention: the model, or the rule that added it.",
    )
    confidence: Mapped[float] = mapped_column(
        Float, comment="How sure the origin is, from 0 to 1 (a fixed value per origin)."
    )


class ExtractionRule(Base):
    __tablename__ = "extraction_rules"
    __table_args__ = published(
        "The rules that run after the model, in order, with what each does: dropped_spans.rule names "
        "one of them (generated from the rule registry, pipeline/extract/rules/__init__.py)."
    )

    name: Mapped[str] = mapped_column(Text, primary_key=True, comment="The rule's name.")
    position: Mapped[int] = mapped_column(
        Integer, unique=True, comment="Where the rule runs in the order, from 1 (the first after the model)."
    )
    module: Mapped[str] = mapped_column(Text, comment="The module that holds the rule's code.")
    description: Mapped[str] = mapped_column(Text, comment="What the rule does, and why.")


class DroppedSpan(ColumnSpan, RawSpan, SentenceSpan, Base):
    __tablename__ = "dropped_spans"
    __table_args__ = (
        *ColumnSpan.checks(),
        CheckConstraint('start < "end"', name="not_empty"),
        *RawSpan.checks(),
        *SentenceSpan.checks(),
        published(
            "Every span the model (or the gazetteer, or the dateline) read as a name that a rule then "
            "dropped, so no mention covers any of it: the rule that dropped it is in extraction_rules."
        ),
    )

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from article, column and offsets."
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    text: Mapped[str] = mapped_column(Text, comment="The span as written.")
    label: Mapped[str] = mapped_column(
        String(12),
        info=one_of(NAME_TYPES),
        comment="Type the span had when it was dropped (the model's, or the one a rule gave it).",
    )
    model_label: Mapped[str | None] = mapped_column(
        String(12),
        info=one_of(NAME_TYPES),
        comment="Type the spaCy model gave the span; empty when the gazetteer or the dateline found it.",
    )
    origin: Mapped[str] = mapped_column(
        String(40),
        info=one_of(ORIGINS),
        comment="What found the span: the model, the gazetteer or the dateline.",
    )
    rule: Mapped[str] = mapped_column(
        Text,
        index=True,
        comment="Name of the rule that dropped it (extraction_rules.name, where its description is).",
    )


class Quote(ColumnSpan, RawSpan, SentenceSpan, Base):
    __tablename__ = "quotes"
    __table_args__ = (
        *ColumnSpan.checks(),
        *RawSpan.checks(),
        *SentenceSpan.checks(),
        published(
            "Direct quotations in articles, with their exact offsets and the speaker when the article "
            "says who."
        ),
    )

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from article, column and offsets."
    )
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, comment="The article."
    )
    speaker_entity_id: Mapped[str | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"),
        index=True,
        comment="Who said it, when the article attributes the quotation to a named entity.",
    )
    speaker_mention_id: Mapped[str | None] = mapped_column(
        ForeignKey("mentions.id", ondelete="SET NULL"),
        index=True,
        comment="The mention of the speaker in the attribution.",
    )
    text: Mapped[str] = mapped_column(
        Text, comment="The quoted words as written, inside the quotation marks."
    )
    verb: Mapped[str | None] = mapped_column(
        Text, comment='Attribution verb, e.g. "said", "posted"; empty when none was found.'
    )


class Rejection(Base):
    __tablename__ = "rejections"
    __table_args__ = published("Input files that did not become articles, with the stage and the reason.")

    id: Mapped[str] = mapped_column(
        String(16), primary_key=True, comment="Stable id derived from the path, content and stage."
    )
    source_path: Mapped[str] = mapped_column(
        Text, index=True, comment="Path of the file relative to the raw folder."
    )
    sha256: Mapped[str | None] = mapped_column(
        String(64), comment="SHA-256 of the file's bytes, when they could be read."
    )
    record: Mapped[str | None] = mapped_column(
        Text, comment='Which record of a file of many articles, e.g. "line 12"; empty for a whole file.'
    )
    stage: Mapped[str] = mapped_column(String(20), comment="Stage that set the file aside.")
    reason: Mapped[str] = mapped_column(Text, comment="Why, in one sentence.")


class DatasetInfo(Base):
    __tablename__ = "dataset_info"
    __table_args__ = published(
        "Facts about this release: versions, model, counts and a content hash to cite.",
        filled_by_release=True,
    )

    key: Mapped[str] = mapped_column(String(40), primary_key=True, comment="Name of the fact.")
    value: Mapped[str] = mapped_column(Text, comment="Its value.")


class DataDictionary(Base):
    __tablename__ = "data_dictionary"
    __table_args__ = published(
        "What every published table and column holds, so the file describes itself: one row per "
        "column, and one per table with an empty column name.",
        filled_by_release=True,
    )

    table_name: Mapped[str] = mapped_column(Text, primary_key=True, comment="The table (or view).")
    column_name: Mapped[str] = mapped_column(
        Text, primary_key=True, comment="The column; empty on the row that describes the table itself."
    )
    position: Mapped[int] = mapped_column(
        Integer, comment="Position of the column in its table, from 1; 0 for the table's own row."
    )
    data_type: Mapped[str | None] = mapped_column(
        String(12), comment="Type of the values: string, integer, number or boolean (as in datapackage.json)."
    )
    required: Mapped[bool | None] = mapped_column(comment="True when every row has a value.")
    primary_key: Mapped[bool | None] = mapped_column(comment="True when the column is (part of) the key.")
    references: Mapped[str | None] = mapped_column(
        Text, comment='The column it points to, as "table.column", when it is a foreign key.'
    )
    description: Mapped[str] = mapped_column(Text, comment="What it holds (the model's description).")


def closed_vocabularies() -> None:
    """A CHECK constraint for every column whose `info` names its closed vocabulary."""
    for table in Base.metadata.tables.values():
        for column in table.columns:
            if VALUES in column.info:
                listed = ", ".join(f"'{value}'" for value in column.info[VALUES])
                sql = f"{column.name} IN ({listed})"
                if column.nullable:
                    sql = f"{column.name} IS NULL OR {sql}"
                table.append_constraint(CheckConstraint(sql, name=column.name))


closed_vocabularies()


def published_tables() -> list[str]:
    """Names of the tables that go into the release, in dependency order."""
    return [t.name for t in Base.metadata.sorted_tables if t.info.get("published")]


def copied_tables() -> list[str]:
    """The published tables whose rows are copied from the working database (not written by the release)."""
    tables = Base.metadata.tables
    return [name for name in published_tables() if not tables[name].info.get("filled_by_release")]


TEXT_ROWS_SHARE = 20
"""A table whose rows carry an article's text (about 5 KB a row, where most rows are tens of
bytes) is read and written this many times fewer rows at a time: 20,000 rows of articles held
100 MB of text in a Parquet row group, the repr of 5,000 of them 200 MB in the content hash."""


def rows_at_once(table: str, rows: int) -> int:
    """How many of the table's rows a batch meant for `rows` small rows takes."""
    carries_text = bool(set(ARTICLE_FIELDS) & set(Base.metadata.tables[table].columns.keys()))
    return max(1, rows // TEXT_ROWS_SHARE) if carries_text else rows


FULL_TEXT_SEARCH = {"articles_fts": ("articles", ("title", "body")), "entities_fts": ("entities", ("name",))}
"""The release's FTS5 tables: name -> (content table, indexed columns)."""
