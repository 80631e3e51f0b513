"""Finance imports that change published figures wait for a publisher.

Revision ID: files01
Revises: onboard01
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "files01"
down_revision = "onboard01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "finance_staged_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_finance_staged_imports_created_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_finance_staged_imports_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_staged_imports")),
    )
    with op.batch_alter_table("finance_staged_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_staged_imports_municipality_id"), ["municipality_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("finance_staged_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_staged_imports_municipality_id"))
    op.drop_table("finance_staged_imports")
