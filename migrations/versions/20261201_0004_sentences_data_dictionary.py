"""sentence offsets on mentions and quotes; the release's data dictionary

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENTENCE_COLUMNS = {
    'mentions': (
        ('sentence_start', 'Start offset of that sentence in the column: column[sentence_start:sentence_end].'),
        ('sentence_end', 'End offset (exclusive) of that sentence in the column, trailing spaces left out.'),
    ),
    'quotes': (
        ('sentence_start', 'Start offset in the column of the sentence the quotation starts in.'),
        ('sentence_end', 'End offset (exclusive) in the column of the sentence the quotation ends in.'),
    ),
}


def upgrade() -> None:
    op.create_table('data_dictionary',
    sa.Column('table_name', sa.Text(), nullable=False, comment='The table (or view).'),
    sa.Column('column_name', sa.Text(), nullable=False, comment="The column; empty on the row that describes the table itself."),
    sa.Column('position', sa.Integer(), nullable=False, comment="Position of the column in its table, from 1; 0 for the table's own row."),
    sa.Column('data_type', sa.String(length=12), nullable=True, comment='Type of the values: string, integer, number or boolean (as in datapackage.json).'),
    sa.Column('required', sa.Boolean(), nullable=True, comment='True when every row has a value.'),
    sa.Column('primary_key', sa.Boolean(), nullable=True, comment='True when the column is (part of) the key.'),
    sa.Column('references', sa.Text(), nullable=True, comment='The column it points to, as "table.column", when it is a foreign key.'),
    sa.Column('description', sa.Text(), nullable=False, comment="What it holds (the model's description)."),
    sa.PrimaryKeyConstraint('table_name', 'column_name', name=op.f('pk_data_dictionary')),
    comment='What every published table and column holds, so the file describes itself: one row per column, and one per table with an empty column name.',
    info={'published': True, 'filled_by_release': True}
    )
    # Added in place (ALTER TABLE ADD COLUMN), never by recreating the table: a batch recreate
    # writes the foreign keys in set order, and the release's schema text is part of its bytes.
    # Rows enriched before this revision hold 0 until enrich redoes them, which the next run does
    # (enrich's cache key covers the extraction code that fills these).
    for table, columns in SENTENCE_COLUMNS.items():
        for name, comment in columns:
            op.add_column(table, sa.Column(name, sa.Integer(), nullable=False, server_default='0', comment=comment))


def downgrade() -> None:
    for table, columns in SENTENCE_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _comment in reversed(columns):
                batch_op.drop_column(name)
    op.drop_table('data_dictionary')
