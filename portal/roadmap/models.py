"""Action plans (hoja de ruta): plans, horizons, corrective actions, activities,
milestones, goals and reviews.

Only the plan is published or draft; its parts are public when their plan is, so
every change to a published plan's parts is recorded in the change record (the
"roadmap updates").
"""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import PUBLISHED, Publishable
from portal.core.types import Exact, Money
from portal.extensions import db

# Follow-up states of an activity (the column is ``state``: ``status`` is the plan's publication).
NOT_STARTED, IN_PROGRESS, DONE, DELAYED, CANCELLED = "not_started", "in_progress", "done", "delayed", "cancelled"
STATES = (NOT_STARTED, IN_PROGRESS, DONE, DELAYED, CANCELLED)
MILESTONE, EVALUATION = "milestone", "evaluation"
MARKER_KINDS = (MILESTONE, EVALUATION)
DIRECTIONS = (">=", "<=", ">", "<", "=")
DEFAULT_FUNDING_SOURCES = ("Fondos Propios", "FODES", "PFGL", "FUNDEMUCA", "Cooperantes", "N/A")


class FundingSource(db.Model):
    """A funding source a municipality uses (Fondos Propios, FODES, PFGL ...)."""

    __tablename__ = "roadmap_funding_sources"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))


class Plan(Publishable, Audited, db.Model):
    __tablename__ = "roadmap_plans"
    __audit_section__ = "roadmap"
    __table_args__ = (UniqueConstraint("municipality_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    approved_on: Mapped[date | None]
    council_act: Mapped[str] = mapped_column(String(200), default="")
    time_unit: Mapped[str] = mapped_column(String(10), default="month")  # Gantt columns: month | week
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    horizons: Mapped[list["Horizon"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Horizon.position")
    actions: Mapped[list["CorrectiveAction"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CorrectiveAction.position")
    activities: Mapped[list["Activity"]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Milestone.due_on")
    goals: Mapped[list["Goal"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.position")
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Review.held_on")


class _PlanPart(Audited):
    """Public when its plan is published."""

    __audit_section__ = "roadmap"

    def audit_is_public(self) -> bool:
        plan = self.__dict__.get("plan")
        if plan is None and getattr(self, "plan_id", None) is not None:
            plan = db.session.get(Plan, self.plan_id)
        return plan is not None and plan.status == PUBLISHED


class Horizon(_PlanPart, db.Model):
    """Corto / mediano / largo plazo, with its date range (``ends_on`` None: open-ended)."""

    __tablename__ = "roadmap_horizons"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    plan: Mapped[Plan] = relationship(back_populates="horizons")


class CorrectiveAction(_PlanPart, db.Model):
    """A corrective action grouping activities (e.g. "Mejoramiento del Área Tributaria")."""

    __tablename__ = "roadmap_actions"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="actions")


class Activity(_PlanPart, db.Model):
    """One activity of a plan with its schedule, cost and follow-up.

    The period is ``starts_on``..``ends_on``; ``period_unit`` says how it was given
    (``month``: whole months, ``day``: exact dates) and ``permanent`` marks ongoing work.
    ``progress`` is entered (0-100) or, for an activity with sub-activities, rolled up
    from them with their ``weight`` (see :mod:`portal.roadmap.progress`).
    """

    __tablename__ = "roadmap_activities"
    __table_args__ = (
        UniqueConstraint("municipality_id", "source_ref"),
        Index("ix_roadmap_activities_plan_order", "plan_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    horizon_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_horizons.id", ondelete="SET NULL"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_actions.id", ondelete="SET NULL"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_activities.id", ondelete="CASCADE"), index=True)
    funding_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("roadmap_funding_sources.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(20), default="")
    area: Mapped[str] = mapped_column(String(80), default="")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    period_unit: Mapped[str] = mapped_column(String(10), default="month")  # month | day
    permanent: Mapped[bool] = mapped_column(default=False)
    responsible: Mapped[str] = mapped_column(String(120), default="")
    cost: Mapped[object | None] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    target_codes: Mapped[str] = mapped_column(String(300), default="")  # diagnostic areas/indicators, comma-separated
    budget_lines: Mapped[str] = mapped_column(String(300), default="")  # budget line codes, comma-separated
    state: Mapped[str] = mapped_column(String(20), default=NOT_STARTED, index=True)
    done: Mapped[bool] = mapped_column(default=False)
    verification_url: Mapped[str] = mapped_column(String(500), default="")
    verification_file: Mapped[str] = mapped_column(String(80), default="")
    verification_text: Mapped[str] = mapped_column(String(300), default="")  # e.g. "Acta 12 del Concejo"
    limitation: Mapped[str] = mapped_column(Text, default="")
    observations: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[object | None] = mapped_column(Exact(7, 4))  # percent 0-100, entered
    weight: Mapped[object | None] = mapped_column(Exact(10, 4))  # weight among siblings (default 1)
    actual_cost: Mapped[object | None] = mapped_column(Money())
    source_ref: Mapped[str | None] = mapped_column(String(120))  # e.g. a participatory-budget project
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="activities")
    horizon: Mapped[Horizon | None] = relationship()
    action: Mapped[CorrectiveAction | None] = relationship()
    funding_source: Mapped[FundingSource | None] = relationship()

    @property
    def target_code_list(self) -> list[str]:
        return [c.strip() for c in (self.target_codes or "").split(",") if c.strip()]

    @property
    def budget_line_list(self) -> list[str]:
        return [c.strip() for c in (self.budget_lines or "").split(",") if c.strip()]


class Milestone(_PlanPart, db.Model):
    """A milestone (hito) or an evaluation point on the timeline."""

    __tablename__ = "roadmap_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_activities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=MILESTONE)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    reached: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="milestones")


class Goal(_PlanPart, db.Model):
    """A target on an indicator for a year: ``actual <direction> target``.

    The actual value is read from a diagnostic source (``source_key`` + ``source_param``)
    at 31 December of ``year``.
    """

    __tablename__ = "roadmap_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    source_key: Mapped[str] = mapped_column(String(80), default="")
    source_param: Mapped[str | None] = mapped_column(String(80))
    year: Mapped[int]
    direction: Mapped[str] = mapped_column(String(2), default=">=")
    target: Mapped[object] = mapped_column(Exact(20, 8))
    baseline: Mapped[object | None] = mapped_column(Exact(20, 8))
    baseline_year: Mapped[int | None]
    unit: Mapped[str] = mapped_column(String(10), default="ratio")  # ratio | percent | money | number

    plan: Mapped[Plan] = relationship(back_populates="goals")


class Review(_PlanPart, db.Model):
    """A quarterly follow-up of the plan, with the changes the council approved."""

    __tablename__ = "roadmap_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("roadmap_plans.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    approved_changes: Mapped[str] = mapped_column(Text, default="")
    council_act: Mapped[str] = mapped_column(String(200), default="")

    plan: Mapped[Plan] = relationship(back_populates="reviews")
