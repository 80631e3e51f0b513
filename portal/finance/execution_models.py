"""Monthly execution: what was accrued and collected or paid, month by month.

An :class:`ExecutionYear` is published as a unit, like a budget year; its
:class:`ExecutionMonth` rows (one per month and budget code) are public when it is.
Every change to published months is in the change record."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import PUBLISHED, Publishable
from portal.core.types import Money
from portal.extensions import db


class ExecutionYear(Publishable, Audited, db.Model):
    __tablename__ = "finance_execution_years"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    months: Mapped[list["ExecutionMonth"]] = relationship(back_populates="execution_year",
                                                          cascade="all, delete-orphan",
                                                          order_by="(ExecutionMonth.month, ExecutionMonth.code)")

    def audit_label(self):
        return str(self.year)


class ExecutionMonth(Audited, db.Model):
    __tablename__ = "finance_execution_months"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("execution_year_id", "month", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    execution_year_id: Mapped[int] = mapped_column(ForeignKey("finance_execution_years.id", ondelete="CASCADE"),
                                                   index=True)
    month: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    accrued: Mapped[Decimal | None] = mapped_column(Money())
    cash: Mapped[Decimal | None] = mapped_column(Money())

    execution_year: Mapped[ExecutionYear] = relationship(back_populates="months")

    def audit_is_public(self):
        return self.execution_year is not None and self.execution_year.status == PUBLISHED

    def audit_label(self):
        return f"{self.execution_year.year if self.execution_year else ''}-{self.month:02d} {self.code}"[:300]
