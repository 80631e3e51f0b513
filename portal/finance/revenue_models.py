"""A year's revenue-potential table (:mod:`portal.finance.revenue`), published as a unit.

The rows keep what the file said (collected, accrued, payers, monthly payment, arrears,
rates); the amounts are computed when shown, so they cannot disagree with the inputs.
Every change to a published table is recorded in the change record.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import PUBLISHED, Publishable
from portal.core.types import Exact, Money
from portal.extensions import db


class RevenueStudy(Publishable, Audited, db.Model):
    __tablename__ = "finance_revenue_studies"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rows: Mapped[list["RevenueRow"]] = relationship(back_populates="study", cascade="all, delete-orphan",
                                                    order_by="RevenueRow.position")

    def audit_label(self):
        return str(self.year)


class RevenueRow(Audited, db.Model):
    """One service, tax, fee reform or measure of a year's table."""

    __tablename__ = "finance_revenue_rows"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("study_id", "group", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("finance_revenue_studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    group: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    collected: Mapped[Decimal | None] = mapped_column(Money())
    accrued: Mapped[Decimal | None] = mapped_column(Money())
    payers: Mapped[int | None]
    monthly_payment: Mapped[Decimal | None] = mapped_column(Money())
    arrears_balance: Mapped[Decimal | None] = mapped_column(Money())
    recovery_rate: Mapped[Decimal | None] = mapped_column(Exact(12, 8))
    rate: Mapped[Decimal | None] = mapped_column(Exact(12, 8))

    study: Mapped[RevenueStudy] = relationship(back_populates="rows")

    def audit_is_public(self):
        return self.study is not None and self.study.status == PUBLISHED

    def audit_label(self):
        return f"{self.group} {self.code} {self.name}"[:300]


class CostStudy(Publishable, Audited, db.Model):
    """A year's cost study of the services (:mod:`portal.finance.costs`): the indirect-cost
    pool and the key that allocates it; its services are the rows."""

    __tablename__ = "finance_cost_studies"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    indirect_costs: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    allocation_key: Mapped[str] = mapped_column(String(20), default="direct")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    services: Mapped[list["CostService"]] = relationship(back_populates="study", cascade="all, delete-orphan",
                                                         order_by="CostService.position")

    def audit_label(self):
        return str(self.year)


class CostService(Audited, db.Model):
    """One service of a cost study: direct costs by kind, households, fees accrued and collected."""

    __tablename__ = "finance_cost_services"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("study_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("finance_cost_studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    households: Mapped[int]
    staff: Mapped[Decimal | None] = mapped_column(Money())
    supplies: Mapped[Decimal | None] = mapped_column(Money())
    fuel: Mapped[Decimal | None] = mapped_column(Money())
    disposal: Mapped[Decimal | None] = mapped_column(Money())
    other: Mapped[Decimal | None] = mapped_column(Money())
    accrued: Mapped[Decimal | None] = mapped_column(Money())
    collected: Mapped[Decimal | None] = mapped_column(Money())
    share: Mapped[Decimal | None] = mapped_column(Exact(12, 8))

    study: Mapped[CostStudy] = relationship(back_populates="services")

    def audit_is_public(self):
        return self.study is not None and self.study.status == PUBLISHED

    def audit_label(self):
        return f"{self.code} {self.name}"[:300]
