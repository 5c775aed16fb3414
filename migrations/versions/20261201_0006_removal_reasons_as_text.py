"""removal reasons as text

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:07:18.482137
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a reason is a phrase ("prose outside the article block (teasers, comments, notices)"), and
    # PostgreSQL, unlike SQLite, holds a column to its declared length
    with op.batch_alter_table('removed_segments', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.VARCHAR(length=40),
               type_=sa.Text(),
               existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('removed_segments', schema=None) as batch_op:
        batch_op.alter_column('reason',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=40),
               existing_nullable=False)

