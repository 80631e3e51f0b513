"""Read API: ``/api/v1/municipalities/<slug>/finance/execution`` (published execution only)."""
from flask import abort, g, jsonify

from portal.accounts.permissions import public
from portal.core import bounds
from portal.core.api import api_blueprint, csv_response, dec, wants_csv
from portal.finance import execution, seasonal

bp = api_blueprint("finance_execution_api", __name__, "/finance")
COLUMNS = ["year", "month", "code", "name", "kind", "budget", "accrued", "cash", "execution",
           "projected_close", "projected_low", "projected_high", "method"]


def forecast_dict(forecast: seasonal.Forecast | None) -> dict | None:
    if forecast is None:
        return None
    return {"year_to_date": dec(forecast.year_to_date), "close": dec(seasonal.cents(forecast.close)),
            "low": dec(seasonal.cents(forecast.low)), "high": dec(seasonal.cents(forecast.high)),
            "mean_share": dec(forecast.mean_share), "spread": dec(forecast.spread), "method": forecast.method,
            "shares": [{"year": year, "share": dec(share)} for year, share in forecast.shares]}


def warning_dict(warning) -> dict:
    return {"kind": warning.kind, "code": warning.code, "name": str(warning.name), "month": warning.month,
            "value": dec(warning.value), "threshold": dec(warning.threshold), "direction": warning.direction,
            "previous": dec(warning.previous), "expected": dec(warning.expected)}


@bp.route("/execution")
@public
def execution_():
    """Monthly execution to date against the budget and past years, the projected close
    with its range, and the early warnings.

    :query year: the year (e.g. 2024; the latest by default)
    :query month: the last month counted, 1-12 (the latest reported by default)
    :query format: csv for a CSV download
    """
    data = execution.report(g.municipality, bounds.query_year("year"),
                            bounds.query_int("month", minimum=1, maximum=12))
    if data is None:
        abort(404)
    items = [{"code": i["code"], "name": i["name"], "kind": i["kind"], "budget": dec(i["budget"]),
              "accrued": dec(i["accrued"]), "cash": dec(i["cash"]), "execution": dec(i["execution"]),
              "past": [{"year": y, "accrued": dec(v)} for y, v in i["past"].items()],
              "forecast": forecast_dict(i["forecast"])} for i in data["items"]]
    if wants_csv():
        rows = [{**{k: item[k] for k in ("code", "name", "kind", "budget", "accrued", "cash", "execution")},
                 "year": data["year"], "month": data["month"], "projected_close": item["forecast"]["close"],
                 "projected_low": item["forecast"]["low"], "projected_high": item["forecast"]["high"],
                 "method": item["forecast"]["method"]} for item in items]
        return csv_response(rows, COLUMNS, f"ejecucion-{g.municipality.slug}-{data['year']}-{data['month']:02d}.csv")
    totals = {kind: {"budget": dec(t["budget"]), "accrued": dec(t["accrued"]), "cash": dec(t["cash"]),
                     "execution": dec(t["execution"]),
                     "past": [{"year": y, "accrued": dec(v)} for y, v in t["past"].items()],
                     "forecast": forecast_dict(t["forecast"])} for kind, t in data["totals"].items()}
    inv = data["investment"]
    return jsonify({
        "municipality": g.municipality.slug, "currency": g.municipality.currency, "year": data["year"],
        "month": data["month"], "months": data["months"], "years": data["years"],
        "past_years": data["past_years"], "budget_source": {"kind": data["source"]["kind"],
                                                            "name": data["source"]["name"]}
        if data["source"] else None,
        "items": items, "totals": totals,
        "investment": {k: dec(inv[k]) for k in ("accrued", "budget", "expected", "execution")},
        "indicators": [{"code": r.code, "name": str(r.definition.name), "value": dec(r.value), "status": r.status}
                       for r in data["indicators"]],
        "warnings": [warning_dict(w) for w in data["warnings"]]})
