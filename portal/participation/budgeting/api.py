"""Read API: processes and their results."""
from flask import abort, g, jsonify, request

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec
from portal.participation.budgeting import services

bp = api_blueprint("budgeting_api", __name__, "/budgeting")


def _process_json(p):
    return {"id": p.id, "title": p.title, "purpose": p.purpose, "budget": dec(p.budget),
            "year": p.year, "ballot_type": p.ballot_type, "rule": p.rule,
            "historical": p.is_historical, "example_data": p.example_data,
            "voting_open": p.voting_open.isoformat() if p.voting_open else None,
            "voting_close": p.voting_close.isoformat() if p.voting_close else None}


@bp.route("/processes")
@public
def processes():
    """The municipality's published participatory-budgeting processes: phases, dates and budget."""
    items = [_process_json(p) for p in services.processes(g.municipality)]
    return jsonify({"items": items, "total": len(items)})


@bp.route("/processes/<int:process_id>/results")
@public
def results(process_id):
    """The published result of a process under one rule.

    :query rule: the counting rule (greedy, mes, ...); the process's own by default
    """
    process = services.get_process(g.municipality, process_id)
    if process is None:
        abort(404)
    result = services.result_for(g.municipality, process, request.args.get("rule"))
    if result is None:
        abort(404)
    currency = g.municipality.currency
    projects = [{
        "id": line.project.ref, "name": line.project.title, "cost": dec(line.project.cost),
        "district": line.project.district, "votes": line.votes, "score": line.score,
        "selected": line.selected, "reason_code": line.reason,
        "reason": services.reason_text(line, currency, process.ballot_type),
        "remaining": dec(line.remaining), "supporters_money": dec(line.supporters_money),
    } for line in result.lines]
    return jsonify({
        "process": _process_json(process), "rule": result.rule,
        "totals": {"budget": dec(process.budget), "selected_cost": dec(result.total_cost),
                   "selected": sum(1 for p in projects if p["selected"]),
                   "ballots": result.voters, "per_voter_budget": dec(result.per_voter_budget),
                   "note": result.note},
        "pots": [{"district": pot.district, "budget": dec(pot.budget), "spent": dec(pot.spent),
                  "projects": pot.projects, "selected": pot.selected, "ballots": pot.ballots,
                  "turnout": pot.turnout, "per_voter_budget": dec(pot.per_voter_budget),
                  "note": pot.note} for pot in result.pots],
        "projects": projects})
