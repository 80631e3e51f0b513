"""What staff change on a plan besides its activities: goals (metas), the quarterly
reviews and the plan's publication. The models are audited: once the plan is published,
every change here goes into the municipality's change record (who, when, before, after)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.roadmap.models import DIRECTIONS, Goal, Plan, Review
from portal.roadmap.services import RoadmapError

LIMIT = Decimal("1e12")  # what the goal's columns hold (12 digits before the point)
UNITS = ("ratio", "percent", "money", "number")


def indicator_choices() -> list[tuple[str, str]]:
    """The indicators a goal can follow (finance and diagnostic sources), key and label."""
    from portal.core.registry import sources as all_sources

    return [(s.key, str(s.label)) for s in all_sources() if s.domain in ("finance", "diagnostic")]


def get_goal(municipality, plan: Plan, goal_id: int) -> Goal | None:
    return db.session.execute(select(Goal).where(Goal.municipality_id == municipality.id, Goal.plan_id == plan.id,
                                                 Goal.id == goal_id)).scalar_one_or_none()


def save_goal(municipality, plan: Plan, goal: Goal | None = None, *, title: str, year: int, direction: str,
              target: Decimal, unit: str, source_key: str = "", source_param: str = "",
              baseline: Decimal | None = None, baseline_year: int | None = None) -> Goal:
    """Create (``goal`` None) or change a goal of ``plan``."""
    title = (title or "").strip()
    if not title:
        raise RoadmapError("title", str(_l("Escriba qué se quiere lograr.")))
    if direction not in DIRECTIONS:
        raise RoadmapError("direction", str(_l("Elija un sentido de la lista.")))
    for name, value in (("target", target), ("baseline", baseline)):
        if value is not None and (not value.is_finite() or abs(value) >= LIMIT):
            raise RoadmapError(name, str(_l("Escriba un número, p. ej. 0.25.")))
    if unit not in UNITS:
        raise RoadmapError("unit", str(_l("Elija una unidad de la lista.")))
    if source_key and source_key not in dict(indicator_choices()):
        raise RoadmapError("source_key", str(_l("Elija un indicador de la lista, o ninguno.")))
    if baseline_year is not None and baseline_year > year:
        raise RoadmapError("baseline_year", str(_l("El año de la línea de base no puede ser posterior al de la meta.")))
    if goal is None:
        position = len(plan.goals)
        goal = Goal(municipality_id=municipality.id, plan=plan, position=position)
        db.session.add(goal)
    goal.title, goal.year, goal.direction, goal.target, goal.unit = title[:200], year, direction, target, unit
    goal.source_key, goal.source_param = source_key or "", (source_param or "").strip()[:80] or None
    goal.baseline, goal.baseline_year = baseline, baseline_year
    db.session.flush()
    return goal


def delete_goal(municipality, goal: Goal) -> None:
    if goal.municipality_id != municipality.id:
        raise RoadmapError("goal", str(_l("Meta desconocida.")))
    db.session.delete(goal)
    db.session.flush()


def add_review(municipality, plan: Plan, *, held_on: date, summary: str, title: str = "",
               approved_changes: str = "", council_act: str = "") -> Review:
    """Record a quarterly review of ``plan`` (what was found and what the council approved)."""
    summary = (summary or "").strip()
    if not summary:
        raise RoadmapError("summary", str(_l("Escriba qué se encontró en la revisión.")))
    if held_on > date.today():
        raise RoadmapError("held_on", str(_l("La fecha de la revisión no puede ser futura.")))
    review = Review(municipality_id=municipality.id, plan=plan, held_on=held_on, title=(title or "").strip()[:200],
                    summary=summary, approved_changes=(approved_changes or "").strip(),
                    council_act=(council_act or "").strip()[:200])
    db.session.add(review)
    db.session.flush()
    return review


def set_published(municipality, plan: Plan, published: bool) -> None:
    """Publish the plan (it and all its parts become public) or take it back to draft."""
    if plan.municipality_id != municipality.id:
        raise RoadmapError("plan", str(_l("Plan desconocido.")))
    if published:
        plan.publish()
    else:
        plan.unpublish()
    db.session.flush()
