"""The release's views: each mention and quote with the text of its sentence, so no SQL is needed.

Written once here; the release creates them, and the Datasette metadata and the data dictionary
describe them from the same definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schema.models import Base


@dataclass(frozen=True)
class View:
    name: str
    source: str
    """The table the rows come from (its columns' types and descriptions are the view's)."""
    description: str
    sql: str
    columns: tuple[tuple[str, str], ...]
    """(column, description) in order."""


_COLUMN_TEXT = (
    "case {t}.field when 'body' then a.body when 'title' then a.title "
    "when 'dateline' then a.dateline when 'author' then a.author end"
)


def _sentence_view(name: str, source: str, what: str, speaker: str) -> View:
    column = _COLUMN_TEXT.format(t="s")
    sql = (
        f'CREATE VIEW {name} AS SELECT s.id, s.article_id, s.{speaker}, s.field, s.start, s."end",'
        " s.text, s.sentence_start, s.sentence_end,"
        f" substr({column}, s.sentence_start + 1, s.sentence_end - s.sentence_start) AS sentence,"
        " a.title AS article_title, a.published_date"
        f" FROM {source} s JOIN articles a ON a.id = s.article_id"
    )
    table = Base.metadata.tables[source]
    described = ("id", "article_id", speaker, "field", "start", "end", "text", "sentence_start")
    columns = tuple((c, table.c[c].comment or "") for c in (*described, "sentence_end"))
    articles = Base.metadata.tables["articles"]
    columns += (
        ("sentence", f"The sentence the {what} is in, as written (keyword in context without SQL)."),
        ("article_title", articles.c["title"].comment or ""),
        ("published_date", articles.c["published_date"].comment or ""),
    )
    return View(name, source, f"Every {what} with the text of its sentence.", sql, columns)


VIEWS = (
    _sentence_view("mention_sentences", "mentions", "mention", "entity_id"),
    _sentence_view("quote_sentences", "quotes", "quotation", "speaker_entity_id"),
)
