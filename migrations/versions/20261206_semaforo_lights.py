"""The fiscal semáforo's stored lights and the early warnings already told to the council.

Revision ID: semaforo01
Revises: scale01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "semaforo01"
down_revision = "scale01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "finance_fiscal_lights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("light", sa.String(length=10), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_fiscal_lights_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_fiscal_lights")),
        sa.UniqueConstraint("municipality_id", name=op.f("uq_finance_fiscal_lights_municipality_id")),
    )
    with op.batch_alter_table("finance_fiscal_lights", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_fiscal_lights_light"), ["light"], unique=False)
    op.create_table(
        "finance_warning_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_warning_notices_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_warning_notices")),
        sa.UniqueConstraint("municipality_id", "year", "kind", "code",
                            name=op.f("uq_finance_warning_notices_municipality_id_year_kind_code")),
    )
    with op.batch_alter_table("finance_warning_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_warning_notices_municipality_id"), ["municipality_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("finance_warning_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_warning_notices_municipality_id"))
    op.drop_table("finance_warning_notices")
    with op.batch_alter_table("finance_fiscal_lights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_fiscal_lights_light"))
    op.drop_table("finance_fiscal_lights")
