"""The comparison's stored arrangement: groups and positions per indicator and grouping,
so a page of /comparar/ reads one range of places.

Revision ID: scale01
Revises: importjobs01
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "scale01"
down_revision = "importjobs01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "compare_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("grouping", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("ranges", sa.Text(), nullable=False),
        sa.Column("municipalities", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compare_groups")),
        sa.UniqueConstraint("metric", "grouping", "number", name=op.f("uq_compare_groups_metric_grouping_number")),
    )
    op.create_table(
        "compare_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("grouping", sa.String(length=20), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("group_number", sa.Integer(), nullable=False),
        sa.Column("seq_mejora", sa.Integer(), nullable=False),
        sa.Column("seq_valor", sa.Integer(), nullable=False),
        sa.Column("seq_diferencia", sa.Integer(), nullable=False),
        sa.Column("seq_nombre", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("position_all", sa.Integer(), nullable=True),
        sa.Column("group_size_all", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_compare_positions_municipality_id_municipalities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compare_positions")),
        sa.UniqueConstraint("metric", "grouping", "municipality_id",
                            name=op.f("uq_compare_positions_metric_grouping_municipality_id")),
    )
    with op.batch_alter_table("compare_positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compare_positions_municipality_id"), ["municipality_id"], unique=False)
        for order in ("mejora", "valor", "diferencia", "nombre"):
            batch_op.create_index(f"ix_compare_positions_{order}", ["metric", "grouping", f"seq_{order}"],
                                  unique=False)
    with op.batch_alter_table("compare_values", schema=None) as batch_op:
        batch_op.create_index("ix_compare_values_metric_computed_at", ["metric", "computed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("compare_values", schema=None) as batch_op:
        batch_op.drop_index("ix_compare_values_metric_computed_at")
    with op.batch_alter_table("compare_positions", schema=None) as batch_op:
        for order in ("mejora", "valor", "diferencia", "nombre"):
            batch_op.drop_index(f"ix_compare_positions_{order}")
        batch_op.drop_index(batch_op.f("ix_compare_positions_municipality_id"))
    op.drop_table("compare_positions")
    op.drop_table("compare_groups")
