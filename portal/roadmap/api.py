"""Read API: ``/api/v1/municipalities/<slug>/roadmap`` and ``.../roadmap/<plan_id>``."""
from datetime import date

from flask import abort, g, jsonify, url_for

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec
from portal.roadmap import importer, services

bp = api_blueprint("roadmap_api", __name__, "/roadmap")


def _iso(value):
    return value.isoformat() if value else None


def plan_summary(plan) -> dict:
    return {"id": plan.id, "title": plan.title, "description": plan.description,
            "approved_on": _iso(plan.approved_on), "council_act": plan.council_act, "time_unit": plan.time_unit,
            "url": url_for("roadmap.plan", plan_id=plan.id, _external=True),
            "api_url": url_for("roadmap_api.plan", plan_id=plan.id, _external=True)}


@bp.route("")
@public
def plans():
    """The municipality's published action plans, each with its number of activities."""
    items = services.list_plans(g.municipality)
    return jsonify({"items": [dict(plan_summary(i["plan"]), activities=i["activities"]) for i in items]})


@bp.route("/<int:plan_id>")
@public
def plan(plan_id):
    """One published action plan: its activities with dates, cost, progress and timeliness, and the plan's totals."""
    plan = services.get_plan(g.municipality, plan_id)
    if plan is None:
        abort(404)
    today = date.today()
    view = services.plan_view(g.municipality, plan, today)
    totals = view.totals
    activities = [{
        "id": a.id, "number": a.number, "parent_id": a.parent_id, "horizon": view.horizons.get(a.horizon_id),
        "action": view.actions.get(a.action_id), "area": a.area, "title": a.title, "description": a.description,
        "start": _iso(a.starts_on), "end": _iso(a.ends_on), "period_unit": a.period_unit, "permanent": a.permanent,
        "period": importer.period_text(a), "responsible": a.responsible, "cost": dec(a.cost),
        "currency": a.currency, "funding_source": a.funding_source.name if a.funding_source else None,
        "target_codes": a.target_code_list, "budget_lines": a.budget_line_list, "status": a.state, "done": a.done,
        "progress": dec(view.progress.get(a.id)), "timeliness": view.timeliness.get(a.id),
        "verification": a.verification_url or a.verification_text or None,
        "evidence_file": url_for("core.upload", municipality_id=a.municipality_id, name=a.verification_file,
                                 _external=True) if a.verification_file else None,
        "limitation": a.limitation, "observations": a.observations, "actual_cost": dec(a.actual_cost),
        "weight": dec(a.weight), "source_ref": a.source_ref,
        "url": url_for("roadmap.activity", plan_id=plan.id, activity_id=a.id, _external=True),
    } for a in view.activities]
    goals = [{"title": r.goal.title, "source": r.goal.source_key, "param": r.goal.source_param,
              "year": r.goal.year, "direction": r.goal.direction, "target": dec(r.goal.target),
              "baseline": dec(r.goal.baseline), "baseline_year": r.goal.baseline_year, "unit": r.goal.unit,
              "actual": dec(r.actual), "status": r.status} for r in services.goal_rows(g.municipality, plan, today)]
    counts = view.counts
    return jsonify(dict(
        plan_summary(plan),
        horizons=[{"name": h.name, "start": _iso(h.starts_on), "end": _iso(h.ends_on)} for h in plan.horizons],
        actions=[a.name for a in plan.actions],
        activities=activities,
        milestones=[{"title": m.title, "kind": m.kind, "date": _iso(m.due_on), "activity_id": m.activity_id,
                     "reached": m.reached} for m in plan.milestones],
        goals=goals,
        reviews=[{"date": _iso(r.held_on), "title": r.title, "summary": r.summary,
                  "approved_changes": r.approved_changes, "council_act": r.council_act} for r in plan.reviews],
        totals={"total": dec(totals.total),
                "by_horizon": [{"horizon": h, "amount": dec(v)} for h, v in totals.by_horizon],
                "by_funding_source": [{"funding_source": s, "amount": dec(v)} for s, v in totals.by_source],
                "by_horizon_and_source": [{"horizon": h, "sources": [{"funding_source": s, "amount": dec(v)}
                                                                     for s, v in row]}
                                          for h, row in totals.by_horizon_source]},
        follow_up={"activities": counts.total, "done": counts.done, "on_time": counts.on_time, "late": counts.late,
                   "upcoming": counts.upcoming, "cancelled": counts.cancelled},
    ))
