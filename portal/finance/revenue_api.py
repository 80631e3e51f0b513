"""Read API: ``/api/v1/municipalities/<slug>/finance/revenue`` (published tables only)."""
from decimal import Decimal

from flask import abort, g, jsonify

from portal.accounts.permissions import public
from portal.core import bounds
from portal.core.api import csv_response, dec, wants_csv
from portal.finance import costs_services, revenue_reports
from portal.finance.api import bp

ITEM_COLUMNS = ["year", "group", "code", "name", "collected", "accrued", "payers", "monthly_payment",
                "arrears_balance", "recovery_rate", "rate", "foregone", "additional", "arrears_recovery", "measure",
                "total"]


@bp.route("/revenue")
@public
def revenue():
    """A published year's revenue potential: each row with its computed amounts, subtotals per group and the total.

    :query year: the year of the figures (e.g. 2012; the latest published by default)
    :query format: csv for a CSV download
    """
    page = revenue_reports.page(g.municipality, bounds.query_year("year"))
    if page is None or page["study"] is None:
        abort(404)
    study, table = page["study"], page["table"]
    items = [revenue_reports.item(study.year, c) for c in table.rows]
    if wants_csv():
        return csv_response(items, ITEM_COLUMNS, f"ingresos-potenciales-{g.municipality.slug}-{study.year}.csv")
    return jsonify({
        "municipality": g.municipality.slug, "year": study.year, "currency": g.municipality.currency,
        "years": page["years"], "note": study.note,
        "items": [{k: (dec(v) if isinstance(v, Decimal) else v) for k, v in i.items()} for i in items],
        "subtotals": {group: {"collected": dec(s.collected), "accrued": dec(s.accrued), "foregone": dec(s.foregone),
                              "additional": dec(s.additional), "arrears_recovery": dec(s.arrears_recovery),
                              "total": dec(s.total), "rows": s.rows}
                      for group, s in table.subtotals.items()},
        "collected_base": dec(table.collected_base), "reforms_and_measures": dec(table.reforms_and_measures),
        "total": dec(table.total),
    })


COST_COLUMNS = ["year", "code", "name", "households", "staff", "supplies", "fuel", "disposal", "other", "direct",
                "indirect", "cost", "accrued", "collected", "subsidy", "subsidy_accrued", "per_household",
                "per_household_month", "covering_fee", "cost_recovery"]


@bp.route("/costs")
@public
def costs():
    """A published year's cost study: each service's costs, its subsidy and the fee that would cover its cost.

    :query year: the year of the figures (e.g. 2012; the latest published by default)
    :query format: csv for a CSV download
    """
    studies = costs_services.studies(g.municipality)
    year = bounds.query_year("year")
    study = next((s for s in studies if s.year == year), None) if year is not None else \
        (studies[-1] if studies else None)
    if study is None:
        abort(404)
    result = costs_services.computed(study)
    items = [{"year": study.year, "code": r.service.code, "name": r.service.name, "households": r.service.households,
              **{k: getattr(r.service, k) for k in ("staff", "supplies", "fuel", "disposal", "other", "accrued",
                                                    "collected")},
              **{k: getattr(r, k) for k in ("direct", "indirect", "cost", "subsidy", "subsidy_accrued",
                                            "per_household", "per_household_month", "covering_fee",
                                            "cost_recovery")}} for r in result.services]
    if wants_csv():
        return csv_response(items, COST_COLUMNS, f"costos-servicios-{g.municipality.slug}-{study.year}.csv")
    return jsonify({"municipality": g.municipality.slug, "year": study.year, "currency": g.municipality.currency,
                    "years": [s.year for s in studies], "note": study.note, "allocation_key": study.allocation_key,
                    "indirect_costs": dec(study.indirect_costs),
                    "items": [{k: (dec(v) if isinstance(v, Decimal) else v) for k, v in i.items()} for i in items],
                    "totals": {k: dec(v) for k, v in result.totals.items()}})
