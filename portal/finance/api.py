"""Read API: ``/api/v1/municipalities/<slug>/finance/...`` (published data only)."""
from flask import abort, g, jsonify, request

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec
from portal.finance import reports, services
from portal.core import bounds

bp = api_blueprint("finance_api", __name__, "/finance")


def _phases(row):
    return {"approved": dec(row.approved), "modified": dec(row.modified), "accrued": dec(row.accrued),
            "cash": dec(row.cash), "execution": dec(row.execution)}


@bp.route("/budget")
@public
def budget():
    """The budget of a published year: its lines, facts and totals by phase.

    :query year: the year (e.g. 2024; the latest published by default)
    """
    page = reports.budget_page(g.municipality, bounds.query_year("year"))
    if page is None or page["row"] is None:
        abort(404)
    row, data = page["row"], page["budget"]
    return jsonify({
        "municipality": g.municipality.slug, "year": row.year, "currency": g.municipality.currency,
        "lines": [{k: (dec(v) if k in ("approved", "modified", "accrued", "cash") else v) for k, v in item.items()}
                  for item in reports.line_rows(g.municipality, row)],
        "facts": {f.name: dec(f.value) for f in row.facts},
        "income": [{"code": r.code, "name": r.name, **_phases(r)} for r in data["income"]],
        "expense": [{"code": r.code, "name": r.name, **_phases(r)} for r in data["expense"]],
        "totals": {"income": _phases(data["income_total"]), "expense": _phases(data["expense_total"])},
        "years": [r.year for r in page["rows"]],
    })


@bp.route("/indicators")
@public
def indicators():
    """The financial indicators of a year, measured or projected in a scenario.

    :query year: the year (e.g. 2024; the latest by default)
    :query scenario: a published scenario's name, for projected years
    """
    data = reports.dashboard(g.municipality, bounds.query_year("year"),
                             request.args.get("scenario") or None)
    if data is None or data["results"] is None:
        abort(404)
    return jsonify({"municipality": g.municipality.slug, "year": data["year"],
                    "scenario": data["scenario"].name if data["scenario"] else None,
                    "projected": data["projected"], "years": data["years"],
                    "indicators": [reports.result_dict(r) for r in data["results"]]})


@bp.route("/scenarios")
@public
def scenarios():
    years = reports.scenario_years(g.municipality)
    return jsonify({"municipality": g.municipality.slug, "scenarios": [
        {"id": s.id, "name": s.name, "base_year": s.base_year, "description": s.description,
         "years": years.get(s.id, [])} for s in services.scenarios(g.municipality)]})
