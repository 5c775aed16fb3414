"""near-duplicate LSH bands stored per article

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('work_near_duplicate_bands',
    sa.Column('band', sa.SmallInteger(), nullable=False, comment='Band number, from 0 (a run of signature rows).'),
    sa.Column('bucket', sa.BigInteger(), nullable=False, comment="64-bit hash of the article's signature values in that band."),
    sa.Column('article_id', sa.String(length=16), nullable=False, comment='The article.'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_work_near_duplicate_bands_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band', 'bucket', 'article_id', name=op.f('pk_work_near_duplicate_bands')),
    comment="Each article's locality-sensitive hashing bands of its MinHash signature: articles sharing a (band, bucket) are the only pairs compared for near-duplicates.",
    info={'published': False}
    )
    with op.batch_alter_table('work_near_duplicate_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_near_duplicate_bands_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_near_duplicate_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_near_duplicate_bands_article_id'))

    op.drop_table('work_near_duplicate_bands')
