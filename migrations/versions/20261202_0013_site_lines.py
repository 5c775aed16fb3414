"""site furniture counted by difference: work_site_pages and work_site_lines

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: the next clean counts every page once (its code changed with this).
    op.create_table('work_site_pages',
    sa.Column('sha256', sa.String(length=64), nullable=False, comment="The page's content hash (raw_documents.sha256)."),
    sa.Column('path', sa.Text(), nullable=False, comment='The path the page was counted under (its folder is a site).'),
    sa.Column('sidecar_sha256', sa.String(length=64), nullable=True, comment="Its sidecar's content hash: the sidecar's URL or outlet names the site."),
    sa.Column('site', sa.Text(), nullable=False, comment='The site: URL host, else outlet, else folder.'),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_work_site_pages')),
    comment='Each page text whose lines are counted in work_site_lines, and the site it was counted for: site furniture is counted by difference, so an update reads only the pages that changed.',
    info={'published': False}
    )
    op.create_table('work_site_lines',
    sa.Column('site', sa.Text(), nullable=False, comment='The site (work_site_pages.site).'),
    sa.Column('line', sa.Text(), nullable=False, comment='A line as furniture is compared: spaces collapsed, case folded.'),
    sa.Column('pages', sa.Integer(), nullable=False, comment="How many of the site's pages print it."),
    sa.PrimaryKeyConstraint('site', 'line', name=op.f('pk_work_site_lines')),
    comment="How many of each site's pages print each short line: the lines on many are furniture.",
    info={'published': False}
    )
    with op.batch_alter_table('work_site_lines', schema=None) as batch_op:
        batch_op.create_index('ix_work_site_lines_site_pages', ['site', 'pages'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_site_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_work_site_lines_site_pages')

    op.drop_table('work_site_lines')
    op.drop_table('work_site_pages')
