"""Comparison tables: capacity profiles, the precomputed values, regressions and
imported national indices.

``ComparisonValue`` and the computed half of ``CapacityProfile`` are a cache of the
other domains' published figures, rebuilt by :func:`portal.compare.services.refresh`
(``flask compare refresh``, the demo, or a platform admin's button); pages read them
with a constant number of queries however many municipalities there are.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.types import Exact, Money
from portal.extensions import db
from portal.municipalities.models import Municipality


class CapacityProfile(Audited, db.Model):
    """A municipality's capacity inputs: declared ones (urban share, poverty, and
    per-inhabitant figures when it publishes no budget) and computed ones."""

    __tablename__ = "compare_profiles"
    __audit_section__ = "compare"
    __audit_exclude__ = ("updated_at", "created_at", "own_revenue_pc", "budget_pc", "capacity_index",
                         "capacity_group", "refreshed_at", "finance_year")

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), unique=True)
    # declared (published inputs)
    urban_share: Mapped[Decimal | None] = mapped_column(Exact(12, 6))  # 0-1
    poverty_rate: Mapped[Decimal | None] = mapped_column(Exact(12, 6))  # 0-1
    declared_own_revenue_pc: Mapped[Decimal | None] = mapped_column(Money())
    declared_budget_pc: Mapped[Decimal | None] = mapped_column(Money())
    source: Mapped[str] = mapped_column(String(300), default="")
    # computed by refresh
    own_revenue_pc: Mapped[Decimal | None] = mapped_column(Money())
    budget_pc: Mapped[Decimal | None] = mapped_column(Money())
    finance_year: Mapped[int | None]
    capacity_index: Mapped[Decimal | None] = mapped_column(Exact(12, 6))  # 0-1
    capacity_group: Mapped[int | None]  # 1 = least capacity
    refreshed_at: Mapped[datetime | None]

    municipality: Mapped[Municipality] = relationship()

    def audit_label(self):
        return ""  # the history names the kind, translated

    def audit_is_public(self):
        """Only declared figures are public record (the computed ones come from published data)."""
        return any(v not in (None, "") for v in (self.urban_share, self.poverty_rate, self.declared_own_revenue_pc,
                                                 self.declared_budget_pc, self.source))


class ComparisonValue(db.Model):
    """One indicator's latest value for one municipality, with the one before it."""

    __tablename__ = "compare_values"
    __table_args__ = (UniqueConstraint("municipality_id", "metric"),
                      Index("ix_compare_values_metric_computed_at", "metric", "computed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(60), index=True)
    period: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Exact(24, 8))
    previous_period: Mapped[str] = mapped_column(String(20), default="")
    previous_value: Mapped[Decimal | None] = mapped_column(Exact(24, 8))
    data_date: Mapped[date | None]
    verified: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    expected: Mapped[Decimal | None] = mapped_column(Exact(24, 8))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComparisonGroup(db.Model):
    """One peer group of one indicator's comparison as the last refresh arranged it: its
    place among the groups (``number``, from 1), its members' first place on the whole
    comparison (``start``, from 0), its size and the ranges of its members' capacity
    inputs (JSON ``{input: [min, max] or null}``). ``municipalities`` and ``computed_at``
    tell whether the arrangement still describes the stored values."""

    __tablename__ = "compare_groups"
    __table_args__ = (UniqueConstraint("metric", "grouping", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(60))
    grouping: Mapped[str] = mapped_column(String(20))
    number: Mapped[int]
    key: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int]
    start: Mapped[int]
    ranges: Mapped[str] = mapped_column(Text, default="{}")
    municipalities: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComparisonPosition(db.Model):
    """Where one municipality stands in one indicator's comparison within one grouping,
    as the last refresh arranged it: its place on the whole comparison in each order
    (``seq_<order>``, from 0: a page is a range of them), and its rank in its group among
    verified values (``position`` of ``group_size``) and counting unverified ones too
    (``position_all`` of ``group_size_all``)."""

    __tablename__ = "compare_positions"
    __table_args__ = (UniqueConstraint("metric", "grouping", "municipality_id"),
                      Index("ix_compare_positions_mejora", "metric", "grouping", "seq_mejora"),
                      Index("ix_compare_positions_valor", "metric", "grouping", "seq_valor"),
                      Index("ix_compare_positions_diferencia", "metric", "grouping", "seq_diferencia"),
                      Index("ix_compare_positions_nombre", "metric", "grouping", "seq_nombre"))

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(60))
    grouping: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    group_number: Mapped[int]
    seq_mejora: Mapped[int]
    seq_valor: Mapped[int]
    seq_diferencia: Mapped[int]
    seq_nombre: Mapped[int]
    position: Mapped[int | None]
    group_size: Mapped[int | None]
    position_all: Mapped[int | None]
    group_size_all: Mapped[int | None]


class Regression(db.Model):
    """The published least-squares fit of one indicator on the capacity inputs."""

    __tablename__ = "compare_regressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(60), unique=True)
    terms: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[name, coefficient], ...]
    n: Mapped[int] = mapped_column(default=0)
    r2: Mapped[Decimal | None] = mapped_column(Exact(12, 6))
    note: Mapped[str] = mapped_column(String(300), default="")
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExternalValue(db.Model):
    """A national index's value for a municipality, imported from a file."""

    __tablename__ = "compare_external"
    __table_args__ = (UniqueConstraint("municipality_id", "source", "indicator", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(120), index=True)
    indicator: Mapped[str] = mapped_column(String(120))
    period: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Exact(24, 8))
    band: Mapped[str] = mapped_column(String(60), default="")
    published_on: Mapped[date | None]
    source_url: Mapped[str] = mapped_column(String(500), default="")
    scale_min: Mapped[Decimal | None] = mapped_column(Exact(24, 8))
    scale_max: Mapped[Decimal | None] = mapped_column(Exact(24, 8))
    compares_with: Mapped[str] = mapped_column(String(60), default="")  # a metric key
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    municipality: Mapped[Municipality] = relationship()
