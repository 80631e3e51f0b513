"""A municipality's national statistics code: optional (NULL, not ""), unique per country

Revision ID: onboard01
Revises: identity01
Create Date: 2026-12-05 20:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "onboard01"
down_revision = "identity01"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=20), nullable=True)
    op.execute("UPDATE municipalities SET code = NULL WHERE code = ''")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_municipalities_country_code"), ["country", "code"])


def downgrade():
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_municipalities_country_code"), type_="unique")
    op.execute("UPDATE municipalities SET code = '' WHERE code IS NULL")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=20), nullable=False)
