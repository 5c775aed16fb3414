"""offset spans and closed vocabularies as CHECK constraints

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:40:00.000000

What the code always guaranteed is now the database's to keep: a span starts before it ends, a
mention's column, type and origin come from their closed vocabularies, raw offsets come in pairs.
The span columns of mentions, quotes and removed segments share one description (the models'
span mixins), so their comments change with them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (constraint name, SQL), frozen here as written: later vocabularies get migrations of their own
CHECKS = {
    'entities': [
        ('ck_entities_counts', 'mention_count >= article_count AND article_count >= 0'),
        ('ck_entities_type', "type IN ('PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE')"),
    ],
    'mentions': [
        ('ck_mentions_confidence', 'confidence BETWEEN 0 AND 1'),
        ('ck_mentions_field', "field IN ('title', 'dateline', 'author', 'body')"),
        ('ck_mentions_label', "label IN ('PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE')"),
        ('ck_mentions_model_label', "model_label IS NULL OR model_label IN ('PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE')"),
        ('ck_mentions_not_empty', 'start < "end"'),
        ('ck_mentions_origin', "origin IN ('model', 'dateline', 'gazetteer', 'acronym definition', 'known as', 'alias in article', 'acronym in article', 'surname in article')"),
        ('ck_mentions_raw_span', '(raw_start IS NULL) = (raw_end IS NULL) AND (raw_start IS NULL OR (0 <= raw_start AND raw_start <= raw_end))'),
        ('ck_mentions_sentence_span', 'sentence_start <= sentence_end'),
        ('ck_mentions_span', '0 <= start AND start <= "end"'),
    ],
    'quotes': [
        ('ck_quotes_field', "field IN ('title', 'dateline', 'author', 'body')"),
        ('ck_quotes_raw_span', '(raw_start IS NULL) = (raw_end IS NULL) AND (raw_start IS NULL OR (0 <= raw_start AND raw_start <= raw_end))'),
        ('ck_quotes_sentence_span', 'sentence_start <= sentence_end'),
        ('ck_quotes_span', '0 <= start AND start <= "end"'),
    ],
    'removed_segments': [
        ('ck_removed_segments_raw_span', '(raw_start IS NULL) = (raw_end IS NULL) AND (raw_start IS NULL OR (0 <= raw_start AND raw_start <= raw_end))'),
    ],
}

# (column, type, nullable, comment before, comment after)
COMMENTS = {
    'removed_segments': [
        ('raw_start', sa.Integer(), False, 'Start offset of the segment in the decoded raw text.', 'Start offset of the same text in the decoded raw document.'),
        ('raw_end', sa.Integer(), False, 'End offset (exclusive) of the segment in the decoded raw text.', 'End offset (exclusive) in the decoded raw document.'),
    ],
    'mentions': [
        ('field', sa.String(length=10), False, 'Article column the mention is in: title, dateline, author or body.', 'Article column it is in: title, dateline, author or body.'),
        ('raw_start', sa.Integer(), True, 'Start offset of the same text in the decoded raw document; empty when markup splits the name in the source (an HTML tag or a character reference inside it).', 'Start offset of the same text in the decoded raw document; empty when markup splits it in the source (an HTML tag or a character reference inside it).'),
        ('sentence_start', sa.Integer(), False, 'Start offset of that sentence in the column: column[sentence_start:sentence_end].', 'Start offset in the column of the sentence the text starts in: column[sentence_start:sentence_end] is the text in context.'),
        ('sentence_end', sa.Integer(), False, 'End offset (exclusive) of that sentence in the column, trailing spaces left out.', 'End offset (exclusive) in the column of the sentence the text ends in, trailing spaces left out.'),
    ],
    'quotes': [
        ('text', sa.Text(), False, 'The quoted words as written.', 'The quoted words as written, inside the quotation marks.'),
        ('field', sa.String(length=10), False, 'Article column the quotation is in.', 'Article column it is in: title, dateline, author or body.'),
        ('start', sa.Integer(), False, 'Start offset of the quoted words in that column (inside the quotation marks).', 'Start offset in that column (Python string index).'),
        ('raw_start', sa.Integer(), True, 'Start offset in the decoded raw document; empty when markup splits it.', 'Start offset of the same text in the decoded raw document; empty when markup splits it in the source (an HTML tag or a character reference inside it).'),
        ('sentence_start', sa.Integer(), False, 'Start offset in the column of the sentence the quotation starts in.', 'Start offset in the column of the sentence the text starts in: column[sentence_start:sentence_end] is the text in context.'),
        ('sentence_end', sa.Integer(), False, 'End offset (exclusive) in the column of the sentence the quotation ends in.', 'End offset (exclusive) in the column of the sentence the text ends in, trailing spaces left out.'),
    ],
}


def _recomment(batch_op: object, table: str, after: bool) -> None:
    for column, type_, nullable, before, now in COMMENTS.get(table, []):
        batch_op.alter_column(  # type: ignore[attr-defined]
            column,
            existing_type=type_,
            existing_nullable=nullable,
            comment=now if after else before,
            existing_comment=before if after else now,
        )


def upgrade() -> None:
    # one batch per table: on SQLite each batch copies the table once
    for table in sorted(set(CHECKS) | set(COMMENTS)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            _recomment(batch_op, table, after=True)
            for name, sql in CHECKS.get(table, []):
                batch_op.create_check_constraint(op.f(name), sa.text(sql))


def downgrade() -> None:
    for table in sorted(set(CHECKS) | set(COMMENTS)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _sql in CHECKS.get(table, []):
                batch_op.drop_constraint(op.f(name), type_='check')
            _recomment(batch_op, table, after=False)
