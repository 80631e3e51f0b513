"""rate-limit counters shared by every worker and server

Revision ID: edge01
Revises: files01
Create Date: 2026-12-05 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "edge01"
down_revision = "files01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counters")),
    )


def downgrade():
    op.drop_table("rate_limit_counters")
