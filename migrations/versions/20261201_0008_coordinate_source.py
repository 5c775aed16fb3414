"""entities.coordinate_source: what a place's latitude and longitude are

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# written out, not imported from the models: a migration says what the schema was at its revision
LATITUDE_COMMENT = "Latitude (WGS 84) of the place's point; coordinate_source says what the point is."
LONGITUDE_COMMENT = "Longitude (WGS 84) of the place's point; coordinate_source says what the point is."
COORDINATE_SOURCE_COMMENT = (
    "What latitude and longitude are: 'place' (the GeoNames position of the city or town "
    "itself), 'region centroid' (the mean position of the GeoNames places of a first-level "
    'region such as a US state, a Kenyan county or former province; '
    "pipeline/data/centroids/regions.csv) or 'country centroid' (the centroid of the "
    "country's main land mass; pipeline/data/centroids/countries.csv). Empty where the "
    'place has no coordinates.'
)

COORDINATE_SOURCE_CHECK = (
    "coordinate_source IS NULL OR coordinate_source IN ('place', 'region centroid', 'country centroid')"
)

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_LATITUDE_COMMENT = 'Latitude of the place (WGS 84), from GeoNames.'
OLD_LONGITUDE_COMMENT = 'Longitude of the place (WGS 84), from GeoNames.'


def upgrade() -> None:
    # regions now have centroids beside countries' and cities' own points: a column says which a
    # point is, and the coordinates are no longer all "from GeoNames"
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('coordinate_source', sa.String(length=16), nullable=True, comment=COORDINATE_SOURCE_COMMENT)
        )
        batch_op.alter_column('latitude', existing_type=sa.Float(), comment=LATITUDE_COMMENT,
                              existing_comment=OLD_LATITUDE_COMMENT, existing_nullable=True)
        batch_op.alter_column('longitude', existing_type=sa.Float(), comment=LONGITUDE_COMMENT,
                              existing_comment=OLD_LONGITUDE_COMMENT, existing_nullable=True)
        batch_op.create_check_constraint(op.f('ck_entities_coordinate_source'), sa.text(COORDINATE_SOURCE_CHECK))


def downgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entities_coordinate_source'), type_='check')
        batch_op.alter_column('longitude', existing_type=sa.Float(), comment=OLD_LONGITUDE_COMMENT,
                              existing_comment=LONGITUDE_COMMENT, existing_nullable=True)
        batch_op.alter_column('latitude', existing_type=sa.Float(), comment=OLD_LATITUDE_COMMENT,
                              existing_comment=LATITUDE_COMMENT, existing_nullable=True)
        batch_op.drop_column('coordinate_source')
