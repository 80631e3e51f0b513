"""Budget years, lines and facts; scenarios with projected lines and rules.

A budget year (:class:`BudgetYear`) is published as a unit: its lines and facts are
public when the year is. A scenario (:class:`Scenario`) likewise carries its projected
lines, its facts and its rules. Every change to published data is recorded.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import PUBLISHED, Publishable
from portal.core.types import Exact, Money
from portal.extensions import db


class BudgetYear(Publishable, Audited, db.Model):
    __tablename__ = "finance_years"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list["BudgetLine"]] = relationship(back_populates="budget_year", cascade="all, delete-orphan",
                                                     order_by="BudgetLine.code")
    facts: Mapped[list["Fact"]] = relationship(back_populates="budget_year", cascade="all, delete-orphan",
                                               order_by="Fact.name")

    def audit_label(self):
        return str(self.year)  # the kind ("Presupuesto anual") is named by the history, translated


class _OfYear(Audited):
    """Lines and facts are public when their year is."""

    __audit_section__ = "finance"

    def audit_is_public(self):
        return self.budget_year is not None and self.budget_year.status == PUBLISHED


class BudgetLine(_OfYear, db.Model):
    __tablename__ = "finance_lines"
    __table_args__ = (UniqueConstraint("budget_year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("finance_years.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    approved: Mapped[Decimal | None] = mapped_column(Money())
    modified: Mapped[Decimal | None] = mapped_column(Money())
    accrued: Mapped[Decimal | None] = mapped_column(Money())
    cash: Mapped[Decimal | None] = mapped_column(Money())
    tags: Mapped[str] = mapped_column(String(300), default="")  # space-separated

    budget_year: Mapped[BudgetYear] = relationship(back_populates="lines")

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple((self.tags or "").split())

    def audit_label(self):
        return f"{self.code} {self.name}"[:300]


class Fact(_OfYear, db.Model):
    __tablename__ = "finance_facts"
    __table_args__ = (UniqueConstraint("budget_year_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("finance_years.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[Decimal] = mapped_column(Money())

    budget_year: Mapped[BudgetYear] = relationship(back_populates="facts")


class Scenario(Publishable, Audited, db.Model):
    __tablename__ = "finance_scenarios"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    base_year: Mapped[int | None]
    description: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list["ProjectedLine"]] = relationship(back_populates="scenario", cascade="all, delete-orphan",
                                                        order_by="(ProjectedLine.year, ProjectedLine.code)")
    facts: Mapped[list["ScenarioFact"]] = relationship(back_populates="scenario", cascade="all, delete-orphan")
    rules: Mapped[list["ProjectionRule"]] = relationship(back_populates="scenario", cascade="all, delete-orphan",
                                                         order_by="(ProjectionRule.code, ProjectionRule.from_year, ProjectionRule.id)")


class _OfScenario(Audited):
    __audit_section__ = "finance"

    def audit_is_public(self):
        return self.scenario is not None and self.scenario.status == PUBLISHED


class ProjectedLine(_OfScenario, db.Model):
    """One amount per line and year; it stands for every budget phase."""

    __tablename__ = "finance_projected_lines"
    __table_args__ = (UniqueConstraint("scenario_id", "year", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("finance_scenarios.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Exact(24, 10))
    tags: Mapped[str] = mapped_column(String(300), default="")

    scenario: Mapped[Scenario] = relationship(back_populates="lines")

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple((self.tags or "").split())


class ScenarioFact(_OfScenario, db.Model):
    __tablename__ = "finance_scenario_facts"
    __table_args__ = (UniqueConstraint("scenario_id", "year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("finance_scenarios.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    value: Mapped[Decimal] = mapped_column(Money())

    scenario: Mapped[Scenario] = relationship(back_populates="facts")


class ProjectionRule(_OfScenario, db.Model):
    __tablename__ = "finance_projection_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("finance_scenarios.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(20))
    rate: Mapped[Decimal | None] = mapped_column(Exact(12, 8))
    from_year: Mapped[int]
    to_year: Mapped[int | None]
    amount: Mapped[Decimal | None] = mapped_column(Money())

    scenario: Mapped[Scenario] = relationship(back_populates="rules")

    def audit_label(self):
        return f"{self.code} {self.name}".strip()[:300]


class IndicatorDefinition(Audited, db.Model):
    """An indicator a council (municipality set) or a national body (none) adds to the catalog."""

    __tablename__ = "finance_indicator_definitions"
    __audit_section__ = "finance"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"),
                                                        index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    formula: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str] = mapped_column(String(10), default="ratio")
    display: Mapped[str] = mapped_column(String(10), default="percent")
    direction: Mapped[str] = mapped_column(String(10), default="")
    threshold: Mapped[Decimal | None] = mapped_column(Exact(20, 8))
    ideal: Mapped[str] = mapped_column(String(200), default="")


class StagedImport(db.Model):
    """An import that would change published figures, waiting for a publisher.

    An editor's file that touches a published year or scenario is kept here whole (at
    most 5 MB, the import limit) instead of being applied; a publisher publishes it (the
    file is read and validated again, then applied and published in one transaction) or
    discards it. Until then the public figures do not move. Not public itself."""

    __tablename__ = "finance_staged_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # scenario, base_year, decimal_comma
    target: Mapped[str] = mapped_column(String(300), default="")  # the years or the scenario it changes
    rows: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


from portal.finance.execution_models import ExecutionMonth, ExecutionYear  # noqa: E402,F401 - one metadata
from portal.finance.warning_models import FiscalLight, WarningNotice  # noqa: E402,F401 - one metadata
