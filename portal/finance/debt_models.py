"""Loans and supplier payment plans of a municipality.

A :class:`Loan` is published on its own (draft -> published); its schedule is computed
by :mod:`portal.finance.debt`, never stored. A :class:`SupplierInstalment` is one agreed
instalment of a debt to a supplier with what has been paid of it and when; a supplier's
plan is its instalments. Both are in the change record once published.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import Publishable
from portal.core.types import Exact, Money
from portal.extensions import db


class Loan(Publishable, Audited, db.Model):
    __tablename__ = "finance_loans"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    lender: Mapped[str] = mapped_column(String(200), default="")
    principal: Mapped[Decimal] = mapped_column(Money())
    rate: Mapped[Decimal] = mapped_column(Exact(12, 8))  # annual, a fraction
    years: Mapped[int]
    start_year: Mapped[int]
    start_month: Mapped[int] = mapped_column(default=12)
    method: Mapped[str] = mapped_column(String(20), default="french")
    periods_per_year: Mapped[int] = mapped_column(default=12)
    grace_periods: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupplierInstalment(Publishable, Audited, db.Model):
    __tablename__ = "finance_supplier_instalments"
    __audit_section__ = "finance"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    supplier: Mapped[str] = mapped_column(String(200))
    due_year: Mapped[int]
    due_month: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money())
    paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    paid_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def audit_label(self):
        return f"{self.supplier} {self.due_year}-{self.due_month:02d}"[:300]
