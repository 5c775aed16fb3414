"""dropped spans and extraction rules: what the rules dropped of the model's names, and why

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:07:59.973356
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: the enrich stage's code changed with this, so the next run re-reads every
    # article through the rules and fills both tables.
    op.create_table('extraction_rules',
    sa.Column('name', sa.Text(), nullable=False, comment="The rule's name."),
    sa.Column('position', sa.Integer(), nullable=False, comment='Where the rule runs in the order, from 1 (the first after the model).'),
    sa.Column('module', sa.Text(), nullable=False, comment="The module that holds the rule's code."),
    sa.Column('description', sa.Text(), nullable=False, comment='What the rule does, and why.'),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_extraction_rules')),
    sa.UniqueConstraint('position', name=op.f('uq_extraction_rules_position')),
    comment='The rules that run after the model, in order, with what each does: dropped_spans.rule names one of them (generated from the rule registry, pipeline/extract/rules/__init__.py).',
    info={'published': True}
    )
    op.create_table('dropped_spans',
    sa.Column('id', sa.String(length=16), nullable=False, comment='Stable id derived from article, column and offsets.'),
    sa.Column('article_id', sa.String(length=16), nullable=False, comment='The article.'),
    sa.Column('text', sa.Text(), nullable=False, comment='The span as written.'),
    sa.Column('label', sa.String(length=12), nullable=False, comment="Type the span had when it was dropped (the model's, or the one a rule gave it)."),
    sa.Column('model_label', sa.String(length=12), nullable=True, comment='Type the spaCy model gave the span; empty when the gazetteer or the dateline found it.'),
    sa.Column('origin', sa.String(length=40), nullable=False, comment='What found the span: the model, the gazetteer or the dateline.'),
    sa.Column('rule', sa.Text(), nullable=False, comment='Name of the rule that dropped it (extraction_rules.name, where its description is).'),
    sa.Column('field', sa.String(length=10), nullable=False, comment='Article column it is in: title, dateline, author or body.'),
    sa.Column('start', sa.Integer(), nullable=False, comment='Start offset in that column (Python string index).'),
    sa.Column('end', sa.Integer(), nullable=False, comment='End offset (exclusive): column[start:end] == text.'),
    sa.Column('raw_start', sa.Integer(), nullable=True, comment='Start offset of the same text in the decoded raw document; empty when markup splits it in the source (an HTML tag or a character reference inside it).'),
    sa.Column('raw_end', sa.Integer(), nullable=True, comment='End offset (exclusive) in the decoded raw document.'),
    sa.Column('sentence_start', sa.Integer(), server_default='0', nullable=False, comment='Start offset in the column of the sentence the text starts in: column[sentence_start:sentence_end] is the text in context.'),
    sa.Column('sentence_end', sa.Integer(), server_default='0', nullable=False, comment='End offset (exclusive) in the column of the sentence the text ends in, trailing spaces left out.'),
    sa.CheckConstraint("field IN ('title', 'dateline', 'author', 'body')", name=op.f('ck_dropped_spans_field')),
    sa.CheckConstraint("label IN ('PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE')", name=op.f('ck_dropped_spans_label')),
    sa.CheckConstraint("model_label IS NULL OR model_label IN ('PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW', 'LANGUAGE')", name=op.f('ck_dropped_spans_model_label')),
    sa.CheckConstraint("origin IN ('model', 'dateline', 'gazetteer', 'acronym definition', 'known as', 'alias in article', 'acronym in article', 'surname in article')", name=op.f('ck_dropped_spans_origin')),
    sa.CheckConstraint('(raw_start IS NULL) = (raw_end IS NULL) AND (raw_start IS NULL OR (0 <= raw_start AND raw_start <= raw_end))', name=op.f('ck_dropped_spans_raw_span')),
    sa.CheckConstraint('0 <= start AND start <= "end"', name=op.f('ck_dropped_spans_span')),
    sa.CheckConstraint('sentence_start <= sentence_end', name=op.f('ck_dropped_spans_sentence_span')),
    sa.CheckConstraint('start < "end"', name=op.f('ck_dropped_spans_not_empty')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_dropped_spans_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dropped_spans')),
    comment='Every span the model (or the gazetteer, or the dateline) read as a name that a rule then dropped, so no mention covers any of it: the rule that dropped it is in extraction_rules.',
    info={'published': True}
    )
    with op.batch_alter_table('dropped_spans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dropped_spans_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dropped_spans_rule'), ['rule'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dropped_spans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dropped_spans_rule'))
        batch_op.drop_index(batch_op.f('ix_dropped_spans_article_id'))

    op.drop_table('dropped_spans')
    op.drop_table('extraction_rules')
