"""Monthly execution of the budget (accrued and collected or paid, per month and code).

Revision ID: monthly01
Revises: debt01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

import portal.core.types

revision = "monthly01"
down_revision = "debt01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "finance_execution_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_execution_years_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_execution_years")),
        sa.UniqueConstraint("municipality_id", "year", name=op.f("uq_finance_execution_years_municipality_id_year")),
    )
    with op.batch_alter_table("finance_execution_years", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_execution_years_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_execution_years_status"), ["status"], unique=False)
    op.create_table(
        "finance_execution_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("execution_year_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("accrued", portal.core.types.Exact(precision=18, scale=4), nullable=True),
        sa.Column("cash", portal.core.types.Exact(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(["execution_year_id"], ["finance_execution_years.id"],
                                name=op.f("fk_finance_execution_months_execution_year_id_finance_execution_years"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_execution_months_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_execution_months")),
        sa.UniqueConstraint("execution_year_id", "month", "code",
                            name=op.f("uq_finance_execution_months_execution_year_id_month_code")),
    )
    with op.batch_alter_table("finance_execution_months", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_execution_months_execution_year_id"), ["execution_year_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_execution_months_municipality_id"), ["municipality_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("finance_execution_months", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_execution_months_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_finance_execution_months_execution_year_id"))
    op.drop_table("finance_execution_months")
    with op.batch_alter_table("finance_execution_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_execution_years_status"))
        batch_op.drop_index(batch_op.f("ix_finance_execution_years_municipality_id"))
    op.drop_table("finance_execution_years")
