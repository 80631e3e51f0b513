"""Loans and supplier payment plans.

Revision ID: debt01
Revises: rev01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from portal.core.types import Exact

revision = "debt01"
down_revision = "rev01"
branch_labels = None
depends_on = None


def _common(table):
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f(f"fk_{table}_municipality_id_municipalities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _indexes(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{table}_status"), ["status"], unique=False)


def upgrade():
    op.create_table(
        "finance_loans", *_common("finance_loans"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lender", sa.String(length=200), nullable=False),
        sa.Column("principal", Exact(18, 4), nullable=False),
        sa.Column("rate", Exact(12, 8), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("start_month", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("periods_per_year", sa.Integer(), nullable=False),
        sa.Column("grace_periods", sa.Integer(), nullable=False),
        sa.UniqueConstraint("municipality_id", "name", name=op.f("uq_finance_loans_municipality_id_name")),
    )
    _indexes("finance_loans")
    op.create_table(
        "finance_supplier_instalments", *_common("finance_supplier_instalments"),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("due_year", sa.Integer(), nullable=False),
        sa.Column("due_month", sa.Integer(), nullable=False),
        sa.Column("amount", Exact(18, 4), nullable=False),
        sa.Column("paid", Exact(18, 4), nullable=False),
        sa.Column("paid_year", sa.Integer(), nullable=True),
    )
    _indexes("finance_supplier_instalments")


def downgrade():
    for table in ("finance_supplier_instalments", "finance_loans"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_status"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_municipality_id"))
        op.drop_table(table)
