"""Finance: a year's revenue-potential table (services, taxes, fee reforms, measures) and
its cost study of the services (direct and indirect costs, households, fees).

Revision ID: rev01
Revises: queue01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from portal.core.types import Exact

revision = "rev01"
down_revision = "queue01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "finance_revenue_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_revenue_studies_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_revenue_studies")),
        sa.UniqueConstraint("municipality_id", "year", name=op.f("uq_finance_revenue_studies_municipality_id_year")),
    )
    with op.batch_alter_table("finance_revenue_studies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_revenue_studies_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_revenue_studies_status"), ["status"], unique=False)
    op.create_table(
        "finance_revenue_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("collected", Exact(precision=18, scale=4), nullable=True),
        sa.Column("accrued", Exact(precision=18, scale=4), nullable=True),
        sa.Column("payers", sa.Integer(), nullable=True),
        sa.Column("monthly_payment", Exact(precision=18, scale=4), nullable=True),
        sa.Column("arrears_balance", Exact(precision=18, scale=4), nullable=True),
        sa.Column("recovery_rate", Exact(precision=12, scale=8), nullable=True),
        sa.Column("rate", Exact(precision=12, scale=8), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_revenue_rows_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["study_id"], ["finance_revenue_studies.id"],
                                name=op.f("fk_finance_revenue_rows_study_id_finance_revenue_studies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_revenue_rows")),
        sa.UniqueConstraint("study_id", "group", "code", name=op.f("uq_finance_revenue_rows_study_id_group_code")),
    )
    with op.batch_alter_table("finance_revenue_rows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_revenue_rows_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_revenue_rows_study_id"), ["study_id"], unique=False)

    op.create_table(
        "finance_cost_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indirect_costs", Exact(precision=18, scale=4), nullable=False),
        sa.Column("allocation_key", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_cost_studies_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_cost_studies")),
        sa.UniqueConstraint("municipality_id", "year", name=op.f("uq_finance_cost_studies_municipality_id_year")),
    )
    with op.batch_alter_table("finance_cost_studies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_cost_studies_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_cost_studies_status"), ["status"], unique=False)
    op.create_table(
        "finance_cost_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        *[sa.Column(name, Exact(precision=18, scale=4), nullable=True)
          for name in ("staff", "supplies", "fuel", "disposal", "other", "accrued", "collected")],
        sa.Column("share", Exact(precision=12, scale=8), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_cost_services_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["study_id"], ["finance_cost_studies.id"],
                                name=op.f("fk_finance_cost_services_study_id_finance_cost_studies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_cost_services")),
        sa.UniqueConstraint("study_id", "code", name=op.f("uq_finance_cost_services_study_id_code")),
    )
    with op.batch_alter_table("finance_cost_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_cost_services_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_finance_cost_services_study_id"), ["study_id"], unique=False)


def downgrade():
    with op.batch_alter_table("finance_cost_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_cost_services_study_id"))
        batch_op.drop_index(batch_op.f("ix_finance_cost_services_municipality_id"))
    op.drop_table("finance_cost_services")
    with op.batch_alter_table("finance_cost_studies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_cost_studies_status"))
        batch_op.drop_index(batch_op.f("ix_finance_cost_studies_municipality_id"))
    op.drop_table("finance_cost_studies")
    with op.batch_alter_table("finance_revenue_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_revenue_rows_study_id"))
        batch_op.drop_index(batch_op.f("ix_finance_revenue_rows_municipality_id"))
    op.drop_table("finance_revenue_rows")
    with op.batch_alter_table("finance_revenue_studies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_revenue_studies_status"))
        batch_op.drop_index(batch_op.f("ix_finance_revenue_studies_municipality_id"))
    op.drop_table("finance_revenue_studies")
