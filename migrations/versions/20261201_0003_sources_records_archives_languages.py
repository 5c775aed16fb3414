"""sources: records, archives, languages, unaligned offsets

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 16:20:33.236753
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('raw_documents', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True, comment='The raw bytes exactly as read from disk; empty only for an archive over the size limit, whose records are each stored whole instead.', existing_comment='The raw bytes exactly as read from disk.')

    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record', sa.Text(), nullable=True, comment='Which record of a file of many articles, e.g. "line 12"; empty for a whole file.'))

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_kind', sa.String(length=16), nullable=False, server_default='plaintext', comment='How the file was read: plaintext, markdown, html, json, jsonl or warc.'))
        batch_op.add_column(sa.Column('source_record', sa.Text(), nullable=True, comment='Which record of a file of many articles, e.g. "line 12" or "record at byte 40960".'))
        batch_op.add_column(sa.Column('source_line', sa.Integer(), nullable=True, comment="The record's first line in the file (1-based), for JSONL."))
        batch_op.add_column(sa.Column('source_byte_start', sa.Integer(), nullable=True, comment='Where the record starts in the file (bytes), for JSONL and WARC.'))
        batch_op.add_column(sa.Column('source_byte_end', sa.Integer(), nullable=True, comment='Where the record ends in the file (bytes, exclusive).'))
        batch_op.add_column(sa.Column('fetched_at', sa.Text(), nullable=True, comment="When the page was fetched, when the file says so (a WARC record's date)."))
        batch_op.add_column(sa.Column('ner_model', sa.Text(), nullable=True, comment='The NER model that read the article (chosen by its language); empty when no model is set for the language, so the article has no entities.'))

    # the default only fills the rows that already exist (every article was plain text until now)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('source_kind', existing_type=sa.String(length=16), server_default=None)

    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.alter_column('raw_start',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('raw_end',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.alter_column('raw_start',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('raw_end',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('raw_document_paths', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_of', sa.Text(), nullable=True, comment="For a record read out of an archive (a WARC response): the archive's path; this row's content is the record's payload."))
        batch_op.add_column(sa.Column('record_key', sa.Text(), nullable=True, comment='Which record of the archive, e.g. "record at byte 40960".'))
        batch_op.add_column(sa.Column('byte_start', sa.Integer(), nullable=True, comment='Where the record starts in the archive file (bytes).'))
        batch_op.add_column(sa.Column('byte_end', sa.Integer(), nullable=True, comment='Where the record ends in the archive file (bytes, exclusive).'))
        batch_op.add_column(sa.Column('record_url', sa.Text(), nullable=True, comment="The record's target URI."))
        batch_op.add_column(sa.Column('fetched_at', sa.Text(), nullable=True, comment='When the crawler fetched the record (its WARC-Date, ISO 8601).'))



def downgrade() -> None:
    with op.batch_alter_table('rejections', schema=None) as batch_op:
        batch_op.drop_column('record')

    with op.batch_alter_table('raw_documents', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False, comment='The raw bytes exactly as read from disk.')

    with op.batch_alter_table('raw_document_paths', schema=None) as batch_op:
        batch_op.drop_column('fetched_at')
        batch_op.drop_column('record_url')
        batch_op.drop_column('byte_end')
        batch_op.drop_column('byte_start')
        batch_op.drop_column('record_key')
        batch_op.drop_column('record_of')

    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.alter_column('raw_end',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('raw_start',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.alter_column('raw_end',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('raw_start',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('ner_model')
        batch_op.drop_column('fetched_at')
        batch_op.drop_column('source_byte_end')
        batch_op.drop_column('source_byte_start')
        batch_op.drop_column('source_line')
        batch_op.drop_column('source_record')
        batch_op.drop_column('source_kind')

