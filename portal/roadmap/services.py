"""Use cases of the roadmap: reading plans for their pages and the API, follow-up
updates, and the interface other domains use (participatory-budget works).

Every function takes the municipality first and filters by it; none reads the request.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.audit.history import describe
from portal.audit import services as audit
from portal.core.publication import PUBLISHED
from portal.core.uploads import UploadError, save_document
from portal.extensions import db
from portal.roadmap import progress
from portal.roadmap.gantt import Bar, Marker, layout
from portal.roadmap.gantt_svg import draw
from portal.roadmap.labels import GOAL_LABELS, STATE_LABELS
from portal.roadmap.labels import participatory_ref, source_ref_text  # noqa: F401 - a work's reference, for other domains' imports
from portal.roadmap.models import (
    DEFAULT_FUNDING_SOURCES,
    DONE,
    STATES,
    Activity,
    FundingSource,
    Goal,
    Horizon,
    Milestone,
    Plan,
)

AUDIT_SECTION = "roadmap"
OBJECT_TYPES = ("Plan", "Horizon", "CorrectiveAction", "Activity", "Milestone", "Goal", "Review")


class RoadmapError(ValueError):
    """A follow-up value is wrong; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# Reading -----------------------------------------------------------------------

def has_data(municipality) -> bool:
    """One cheap query: does the municipality publish a plan?"""
    return db.session.execute(select(Plan.id).where(Plan.municipality_id == municipality.id,
                                                    Plan.status == PUBLISHED).limit(1)).first() is not None


def list_plans(municipality, include_drafts: bool = False) -> list[dict]:
    """Plans with their activity count and estimated total (two queries)."""
    stmt = select(Plan).where(Plan.municipality_id == municipality.id)
    if not include_drafts:
        stmt = stmt.where(Plan.status == PUBLISHED)
    plans = list(db.session.execute(stmt.order_by(Plan.approved_on.desc(), Plan.id)).scalars())
    stats = {}
    if plans:
        rows = db.session.execute(
            select(Activity.plan_id, func.count(Activity.id)).where(
                Activity.municipality_id == municipality.id, Activity.parent_id.is_(None),
                Activity.plan_id.in_([p.id for p in plans])).group_by(Activity.plan_id))
        stats = {plan_id: n for plan_id, n in rows}
    return [{"plan": p, "activities": stats.get(p.id, 0)} for p in plans]


def get_plan(municipality, plan_id: int, include_drafts: bool = False) -> Plan | None:
    stmt = select(Plan).where(Plan.municipality_id == municipality.id, Plan.id == plan_id).options(
        selectinload(Plan.horizons), selectinload(Plan.actions), selectinload(Plan.milestones),
        selectinload(Plan.goals), selectinload(Plan.reviews))
    if not include_drafts:
        stmt = stmt.where(Plan.status == PUBLISHED)
    return db.session.execute(stmt).scalar_one_or_none()


def plan_activities(municipality, plan) -> list[Activity]:
    """All activities of a plan in display order (horizon, action, position), one query."""
    stmt = (select(Activity).where(Activity.municipality_id == municipality.id, Activity.plan_id == plan.id)
            .options(selectinload(Activity.funding_source))
            .outerjoin(Horizon, Horizon.id == Activity.horizon_id)
            .order_by(Horizon.position, Activity.position, Activity.id))
    return list(db.session.execute(stmt).scalars())


def as_item(activity: Activity, horizons: dict, sources: dict) -> progress.Item:
    return progress.Item(
        id=activity.id, parent_id=activity.parent_id, state=activity.state, done=activity.done,
        progress=activity.progress, weight=activity.weight, starts_on=activity.starts_on,
        ends_on=activity.ends_on, permanent=activity.permanent, cost=activity.cost,
        horizon=horizons.get(activity.horizon_id, ""), funding_source=sources.get(activity.funding_source_id, ""))


@dataclass(frozen=True)
class Filters:
    state: str = ""
    area: str = ""
    responsible: str = ""
    source: str = ""
    horizon: int | None = None
    timeliness: str = ""

    def match(self, activity: Activity, timeliness: str) -> bool:
        return ((not self.state or activity.state == self.state)
                and (not self.area or activity.area == self.area)
                and (not self.responsible or activity.responsible == self.responsible)
                and (not self.source or (activity.funding_source and activity.funding_source.name == self.source))
                and (self.horizon is None or activity.horizon_id == self.horizon)
                and (not self.timeliness or timeliness == self.timeliness))

    @property
    def active(self) -> bool:
        return bool(self.state or self.area or self.responsible or self.source or self.horizon or self.timeliness)


@dataclass
class PlanView:
    plan: Plan
    activities: list  # every activity, display order
    shown: list  # after filters
    progress: dict  # id -> Decimal | None
    timeliness: dict  # id -> str
    counts: progress.Counts
    totals: progress.Totals
    options: dict  # filter choices
    horizons: dict  # id -> name
    actions: dict  # id -> name
    children: dict  # parent id -> [activities]


def plan_view(municipality, plan: Plan, today: date, filters: Filters | None = None) -> PlanView:
    """Everything the plan page, the matrix and the API need (a fixed number of queries)."""
    filters = filters or Filters()
    activities = plan_activities(municipality, plan)
    horizons = {h.id: h.name for h in plan.horizons}
    actions = {a.id: a.name for a in plan.actions}
    sources = {a.funding_source_id: a.funding_source.name for a in activities if a.funding_source}
    items = [as_item(a, horizons, sources) for a in activities]
    rolled = progress.rolled_progress(items)
    timely = {i.id: progress.timeliness(i, today) for i in items}
    children: dict[int, list] = {}
    for activity in activities:
        if activity.parent_id is not None:
            children.setdefault(activity.parent_id, []).append(activity)
    options = {
        "areas": sorted({a.area for a in activities if a.area}),
        "responsibles": sorted({a.responsible for a in activities if a.responsible}),
        "sources": sorted(set(sources.values())),
    }
    return PlanView(plan=plan, activities=activities,
                    shown=[a for a in activities if filters.match(a, timely[a.id])],
                    progress=rolled, timeliness=timely, counts=progress.counts(items, today),
                    totals=progress.totals(items, [h.name for h in plan.horizons]), options=options,
                    horizons=horizons, actions=actions, children=children)


def gantt_svg(municipality, view: PlanView, today: date, month_names: list[str] | None = None):
    """The plan's Gantt chart as server-drawn SVG, for the activities shown."""
    bars = [Bar(id=a.id, label=f"{a.number}. {a.title}" if a.number else a.title,
                horizon=view.horizons.get(a.horizon_id, ""), action=view.actions.get(a.action_id, ""),
                starts_on=a.starts_on, ends_on=a.ends_on, permanent=a.permanent, state=a.state,
                status_label=str(STATE_LABELS.get(a.state, a.state)),
                url=url_for("roadmap.activity", slug=municipality.slug, plan_id=view.plan.id, activity_id=a.id))
            for a in view.shown]
    shown_ids = {a.id for a in view.shown}
    markers = [Marker(m.title, m.due_on, m.kind, m.activity_id) for m in view.plan.milestones
               if m.activity_id is None or m.activity_id in shown_ids]
    starts = [h.starts_on for h in view.plan.horizons if h.starts_on]
    placed = layout(bars, markers, today, view.plan.time_unit, plan_start=min(starts) if starts else None,
                    markers_label=_("Hitos y evaluaciones"))
    return placed, draw(placed, title=_("Diagrama de Gantt: %(plan)s", plan=view.plan.title),
                        today_label=_("Hoy"), month_names=month_names)


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    actual: Decimal | None
    status: str
    status_label: str
    detail: str
    url: str | None


def goal_rows(municipality, plan: Plan, today: date) -> list[GoalRow]:
    """Each goal with its actual value read from its diagnostic source at 31 Dec of its year."""
    from portal.core.registry import read

    rows = []
    for goal in plan.goals:
        value = read(goal.source_key, municipality, date(goal.year, 12, 31), goal.source_param) \
            if goal.source_key else None
        actual = value.value if value is not None else None
        status = progress.goal_status(goal.direction, goal.target, goal.year, actual, today, goal.baseline)
        rows.append(GoalRow(goal, actual, status, str(GOAL_LABELS[status]),
                            value.detail if value else "", value.url if value else None))
    return rows


def get_activity(municipality, activity_id: int, plan_id: int | None = None,
                 include_drafts: bool = False) -> Activity | None:
    stmt = select(Activity).join(Plan, Plan.id == Activity.plan_id).where(
        Activity.municipality_id == municipality.id, Activity.id == activity_id).options(
        selectinload(Activity.plan), selectinload(Activity.horizon), selectinload(Activity.action),
        selectinload(Activity.funding_source))
    if plan_id is not None:
        stmt = stmt.where(Activity.plan_id == plan_id)
    if not include_drafts:
        stmt = stmt.where(Plan.status == PUBLISHED)
    return db.session.execute(stmt).scalar_one_or_none()


def activity_detail(municipality, activity: Activity) -> dict:
    """The activity's sub-activities, milestones and history (its change records)."""
    children = list(db.session.execute(select(Activity).where(
        Activity.municipality_id == municipality.id, Activity.parent_id == activity.id)
        .order_by(Activity.position, Activity.id)).scalars())
    milestones = list(db.session.execute(select(Milestone).where(
        Milestone.municipality_id == municipality.id, Milestone.activity_id == activity.id)
        .order_by(Milestone.due_on)).scalars())
    history = audit.records_of(municipality, object_type="Activity", object_id=activity.id, limit=100)
    entries = [{"record": r, "changes": describe(r, municipality).changes} for r in history]
    return {"children": children, "milestones": milestones, "history": entries}


def roadmap_updates(municipality, limit: int = 50) -> list:
    """The latest recorded changes to the municipality's published roadmap (for feeds)."""
    return audit.records_of(municipality, section=AUDIT_SECTION, limit=limit)


# Funding sources -------------------------------------------------------------------

def funding_sources(municipality) -> list[FundingSource]:
    """The municipality's list, seeded with the usual Salvadoran sources the first time."""
    found = list(db.session.execute(select(FundingSource).where(
        FundingSource.municipality_id == municipality.id).order_by(FundingSource.name)).scalars())
    if not found:
        found = [FundingSource(municipality_id=municipality.id, name=n) for n in DEFAULT_FUNDING_SOURCES]
        db.session.add_all(found)
        db.session.flush()
    return found


def funding_source(municipality, name: str, create: bool = True) -> FundingSource | None:
    name = (name or "").strip()
    if not name:
        return None
    for source in funding_sources(municipality):
        if source.name.lower() == name.lower():
            return source
    if not create:
        return None
    source = FundingSource(municipality_id=municipality.id, name=name)
    db.session.add(source)
    db.session.flush()
    return source


# Follow-up ------------------------------------------------------------------------

def update_followup(municipality, activity: Activity, *, state: str, done: bool, progress_pct=None,
                    verification_url: str = "", document: bytes | None = None, limitation: str | None = None,
                    observations: str | None = None, actual_cost=None, note: str = "") -> Activity:
    """Record an activity's follow-up; changes to a published plan are recorded with ``note``."""
    if activity.municipality_id != municipality.id:
        raise RoadmapError("state", _("Actividad desconocida."))
    if state not in STATES:
        raise RoadmapError("state", _("Elija un estado de la lista."))
    if progress_pct is not None and not (Decimal(0) <= Decimal(progress_pct) <= Decimal(100)):
        raise RoadmapError("progress", _("El avance va de 0 a 100."))
    if verification_url and not verification_url.startswith(("https://", "http://")):
        raise RoadmapError("verification_url", _("El enlace debe empezar por https:// o http://."))
    if document:
        try:
            activity.verification_file = save_document(municipality.id, document)
        except UploadError as error:
            raise RoadmapError("document", str(error)) from None
    done = done or state == DONE
    activity.state = DONE if done and state != DONE else state
    activity.done = done
    activity.progress = Decimal(100) if done else progress_pct
    if verification_url is not None and verification_url != activity.verification_url:
        activity.verification_url = verification_url
    if limitation is not None:
        activity.limitation = limitation
    if observations is not None:
        activity.observations = observations
    if actual_cost is not None:
        activity.actual_cost = actual_cost
    audit.set_note(db.session, note or _("Seguimiento de la actividad"))
    db.session.flush()
    return activity


# Participatory budgeting ------------------------------------------------------------

@dataclass(frozen=True)
class WorkProgress:
    status: str
    status_label: str
    progress: Decimal | None
    url: str


def _plan_by_title(municipality, title: str) -> Plan:
    plan = db.session.execute(select(Plan).where(Plan.municipality_id == municipality.id,
                                                 Plan.title == title)).scalar_one_or_none()
    if plan is None:
        plan = Plan(municipality_id=municipality.id, title=title)
        db.session.add(plan)
        db.session.flush()
    if plan.status != PUBLISHED:
        plan.publish()
        db.session.flush()
    return plan


def add_participatory_work(municipality, *, plan_title: str, source_ref: str, title: str, description: str = "",
                           cost: Decimal | None, district: str = "", responsible: str = "",
                           funding_source: str = "Fondos Propios", start: date | None = None,
                           end: date | None = None) -> Activity:
    """Put a participatory-budget work on the roadmap: an activity of the published plan
    ``plan_title`` (created if missing). Idempotent by ``source_ref``: an existing
    activity with that reference is returned unchanged."""
    existing = db.session.execute(select(Activity).where(
        Activity.municipality_id == municipality.id, Activity.source_ref == source_ref)).scalar_one_or_none()
    if existing is not None:
        return existing
    plan = _plan_by_title(municipality, plan_title)
    position = db.session.execute(select(func.count(Activity.id)).where(Activity.plan_id == plan.id)).scalar() or 0
    activity = Activity(
        municipality_id=municipality.id, plan=plan, number=str(position + 1), area=district,
        title=title, description=description, cost=cost, currency=municipality.currency,
        responsible=responsible, funding_source=funding_source_or_none(municipality, funding_source),
        starts_on=start, ends_on=end, period_unit="day", source_ref=source_ref, position=position + 1)
    db.session.add(activity)
    db.session.flush()
    return activity


def activities_from(municipality, source_refs: list[str]) -> list[Activity]:
    """The municipality's activities that came from ``source_refs`` (e.g. participatory
    budget works, ``pb:<year>:<project>``), in the order they were created."""
    return list(db.session.execute(select(Activity).where(
        Activity.municipality_id == municipality.id, Activity.source_ref.in_(source_refs))
        .order_by(Activity.id)).scalars())


def funding_source_or_none(municipality, name: str) -> FundingSource | None:
    return funding_source(municipality, name) if name else None


def work_progress(municipality, source_refs: list[str]) -> dict[str, WorkProgress]:
    """Follow-up of participatory works by reference, in one query; only published plans."""
    refs = [r for r in source_refs if r]
    if not refs:
        return {}
    rows = db.session.execute(
        select(Activity.source_ref, Activity.id, Activity.plan_id, Activity.state, Activity.done, Activity.progress)
        .join(Plan, Plan.id == Activity.plan_id)
        .where(Activity.municipality_id == municipality.id, Activity.source_ref.in_(refs),
               Plan.status == PUBLISHED)).all()
    result = {}
    for ref, activity_id, plan_id, state, done, pct in rows:
        value = Decimal(100) if done or state == DONE else pct
        result[ref] = WorkProgress(
            status=state, status_label=str(STATE_LABELS.get(state, state)), progress=value,
            url=url_for("roadmap.activity", slug=municipality.slug, plan_id=plan_id, activity_id=activity_id))
    return result


def plan_page(municipality, plan: Plan, today: date, filters: Filters | None = None) -> dict:
    """The plan page: the plan view, its Gantt (layout and SVG) and its goals."""
    from babel.dates import get_month_names
    from flask_babel import get_locale

    view = plan_view(municipality, plan, today, filters)
    names = get_month_names("abbreviated", locale=get_locale() or "es")
    placed, svg = gantt_svg(municipality, view, today, [str(names[m]).rstrip(".") for m in range(1, 13)])
    return {"view": view, "gantt": svg, "gantt_layout": placed, "goals": goal_rows(municipality, plan, today)}
