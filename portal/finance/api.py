"""Read API: ``/api/v1/municipalities/<slug>/finance/...`` (published data only)."""
import re

from flask import abort, g, jsonify, request

from portal.accounts.permissions import public
from portal.core import bounds
from portal.core.api import api_blueprint, csv_response, dec, wants_csv
from portal.finance import classifier as classifiers
from portal.finance import projections, reports, services

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
    """The published projection scenarios, with their base year and projected years."""
    years = reports.scenario_years(g.municipality)
    return jsonify({"municipality": g.municipality.slug, "scenarios": [
        {"id": s.id, "name": s.name, "base_year": s.base_year, "description": s.description,
         "years": years.get(s.id, [])} for s in services.scenarios(g.municipality)]})


SCENARIO_LINE_COLUMNS = ["scenario", "year", "code", "name", "rubro", "kind", "amount", "tags"]


def _scenario(key: str):
    """A published scenario by its id (digits) or its name (None for anything else)."""
    if re.fullmatch(r"[0-9]{1,9}", key):
        found = services.get_scenario(g.municipality, scenario_id=int(key))
        if found is not None:
            return found
    if len(key) > 120 or "\x00" in key:  # no scenario has such a name (and PostgreSQL refuses NUL)
        return None
    return services.get_scenario(g.municipality, name=key)


@bp.route("/scenarios/<name_or_id>/lines")
@public
def scenario_lines(name_or_id):
    """Projected budget lines of a published scenario: one amount per line and year.

    :query year: only this projected year (e.g. 2016)
    :query format: csv for a CSV download
    """
    scenario = _scenario(name_or_id)
    if scenario is None:
        abort(404)
    year = bounds.query_year("year")
    cls = services.classifier_for(g.municipality)
    items = []
    for line in scenario.lines:
        if year is not None and line.year != year:
            continue
        rubro = classifiers.rubro_of(line.code)
        entry = cls.get(rubro)
        items.append({"scenario": scenario.name, "year": line.year, "code": line.code, "name": line.name,
                      "rubro": rubro, "kind": entry.kind if entry else "",
                      "amount": dec(projections.cents(line.amount)), "tags": line.tags})
    if wants_csv():
        return csv_response(items, SCENARIO_LINE_COLUMNS, f"escenario-{scenario.id}-{g.municipality.slug}.csv")
    return jsonify({"municipality": g.municipality.slug, "scenario": {"id": scenario.id, "name": scenario.name,
                    "base_year": scenario.base_year}, "year": year,
                    "years": sorted({line.year for line in scenario.lines}), "items": items})
