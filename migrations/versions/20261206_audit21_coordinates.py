"""A municipality's centroid (WGS 84 degrees, where known): the catalogs' dct:Location.

Revision ID: audit2101
Revises: semaforo01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

import portal.core.types

revision = "audit2101"
down_revision = "semaforo01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", portal.core.types.Exact(precision=9, scale=6), nullable=True))
        batch_op.add_column(sa.Column("longitude", portal.core.types.Exact(precision=9, scale=6), nullable=True))


def downgrade():
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
