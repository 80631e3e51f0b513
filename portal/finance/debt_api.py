"""Read API: ``/api/v1/municipalities/<slug>/finance/debt`` (published loans and supplier plans)."""
from flask import abort, g, jsonify, request

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec
from portal.finance import debt_services

bp = api_blueprint("finance_debt_api", __name__, "/finance")


def year_dict(item) -> dict:
    return {"year": item.year, "disbursed": dec(item.disbursed), "interest": dec(item.interest),
            "principal": dec(item.principal), "service": dec(item.service), "balance": dec(item.balance)}


@bp.route("/debt")
@public
def debt():
    """Published loans with their amortization by year, the debt added up by year, supplier
    payment plans and the country's legal limits checked for every year (actual and, with
    a scenario, projected).

    :query scenario: a published scenario's name, for projected years
    """
    name = request.args.get("scenario", "")[:120].replace("\x00", "") or None
    page = debt_services.debt_page(g.municipality, name)
    if name and page["scenario"] is None:
        abort(404)  # as the indicators: an unknown or unpublished scenario
    return jsonify({
        "municipality": g.municipality.slug, "currency": g.municipality.currency,
        "scenario": page["scenario"].name if page["scenario"] else None,
        "items": [{"name": item["row"].name, "lender": item["row"].lender, "principal": dec(item["row"].principal),
                   "rate": dec(item["row"].rate), "years": item["row"].years, "method": item["row"].method,
                   "start_year": item["row"].start_year, "start_month": item["row"].start_month,
                   "periods_per_year": item["row"].periods_per_year, "grace_periods": item["row"].grace_periods,
                   "maturity_year": item["maturity"].year, "maturity_month": item["maturity"].month,
                   "by_year": [year_dict(y) for y in item["years"]]} for item in page["loans"]],
        "totals": [year_dict(y) for y in page["totals"]],
        "suppliers": [{"supplier": r.supplier, "due_year": r.due_year, "due_month": r.due_month,
                       "amount": dec(r.amount), "paid": dec(r.paid), "paid_year": r.paid_year}
                      for r in page["suppliers"]],
        "limits": [{"year": row.year, "projected": row.projected, "code": c.code, "direction": c.direction,
                    "limit": dec(c.limit), "numerator": dec(c.numerator), "denominator": dec(c.denominator),
                    "value": dec(c.value), "ok": c.ok} for row in page["limits"] for c in row.checks],
    })
