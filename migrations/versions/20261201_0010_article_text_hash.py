"""work_article_inputs.text_hash: enrich keyed on what it reads, not on clean's inputs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty for the articles built before: the next clean rebuilds them (its code changed with this).
    with op.batch_alter_table("work_article_inputs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "text_hash",
                sa.String(length=64),
                nullable=True,
                comment="Hash of what enrich reads of the article (its columns, dateline place, word count and offset map): its mentions are made again only when this or the enricher changes.",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("work_article_inputs", schema=None) as batch_op:
        batch_op.drop_column("text_hash")
