"""What the roadmap publishes to the rest of the portal: the rows of its open dataset."""
from datetime import date

from flask import url_for
from flask_babel import gettext as _

from portal.core.api import dec
from portal.core.ical import Event
from portal.roadmap import importer, services


def activities(municipality):
    """Every activity of every published plan, with its progress and timeliness today."""
    today = date.today()
    for item in services.list_plans(municipality):
        plan = item["plan"]
        view = services.plan_view(municipality, plan, today)
        for a in view.activities:
            yield {"plan_id": plan.id, "plan": plan.title, "activity_id": a.id, "number": a.number,
                   "parent_id": a.parent_id, "horizon": view.horizons.get(a.horizon_id),
                   "action": view.actions.get(a.action_id), "area": a.area, "title": a.title,
                   "start": a.starts_on, "end": a.ends_on, "period": importer.period_text(a),
                   "responsible": a.responsible, "cost": dec(a.cost), "currency": a.currency,
                   "funding_source": a.funding_source.name if a.funding_source else None,
                   "status": a.state, "done": a.done, "progress": dec(view.progress.get(a.id)),
                   "timeliness": view.timeliness.get(a.id), "actual_cost": dec(a.actual_cost)}


# ---- calendar --------------------------------------------------------------------------

def plan_events(plan, url: str) -> list[Event]:
    """A plan's milestones and quarterly reviews (its iCalendar events)."""
    out = [Event(f"roadmap-milestone-{m.id}", _("Hito: %(title)s", title=m.title), m.due_on, None,
                 _("Plan: %(plan)s", plan=plan.title), url) for m in plan.milestones if m.due_on]
    out += [Event(f"roadmap-review-{r.id}", _("Revisión trimestral: %(title)s", title=r.title or plan.title),
                  r.held_on, None, r.summary or _("Plan: %(plan)s", plan=plan.title), url)
            for r in plan.reviews if r.held_on]
    return out


def calendar_events(municipality) -> list[Event]:
    """Every published plan's milestones and reviews."""
    out = []
    for item in services.list_plans(municipality):
        plan = services.get_plan(municipality, item["plan"].id)
        out += plan_events(plan, url_for("roadmap.plan", plan_id=plan.id, _external=True))
    return out
