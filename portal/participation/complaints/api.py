"""Read API: ``/api/v1/municipalities/<slug>/complaints/...`` (public data only, no personal data)."""
from datetime import date

from flask import g, jsonify

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec, wants_csv
from portal.core.downloads import csv_response
from portal.participation.complaints import services, sources, stats
from portal.core import bounds

bp = api_blueprint("complaints_api", __name__, "/complaints")
STAT_COLUMNS = ["category", "name", "service_days", "total", "resolved", "median_days", "p90_days", "on_time",
                "on_time_n", "reopen_rate", "reopen_n", "confirmed_fixed", "confirmed_n"]


def _row(code, name, service_days, summary: stats.Summary) -> dict:
    return {"category": code, "name": name, "service_days": service_days, "total": summary.total,
            "resolved": summary.resolved, "median_days": dec(summary.median_days), "p90_days": dec(summary.p90_days),
            "on_time": dec(summary.on_time), "on_time_n": summary.on_time_n, "reopen_rate": dec(summary.reopen_rate),
            "reopen_n": summary.reopen_n, "confirmed_fixed": dec(summary.confirmed_fixed),
            "confirmed_n": summary.confirmed_n}


@bp.route("/services")
@public
def service_list():
    """The services residents can report on, with their service level in days.

    :query format: csv for a CSV download
    """
    rows = [{"code": c.code, "name": c.name, "description": c.description, "group": c.group,
             "service_days": c.service_days, "unit": c.default_unit.name if c.default_unit else None,
             "questions": [a.description or a.code for a in c.attributes]}
            for c in services.categories(g.municipality)]
    if wants_csv():
        return csv_response([{**r, "questions": "; ".join(r["questions"])} for r in rows],
                            ["code", "name", "description", "group", "service_days", "unit", "questions"],
                            f"reclamos-servicios-{g.municipality.slug}.csv")
    return jsonify({"municipality": g.municipality.slug, "services": rows})


@bp.route("/statistics")
@public
def statistics():
    """Statistics of the reports received in the 12 months before a date, overall and per service.

    Ratios are exact decimal strings between 0 and 1; days are fractional days.

    :query as_of: the date (YYYY-MM-DD), today by default
    :query format: csv for the per-service rows as CSV
    """
    as_of = bounds.query_date("as_of", date.today())
    overall, per_category = sources.window_statistics(g.municipality, as_of)
    names = {c.code: c for c in services.categories(g.municipality, active_only=False)}
    rows = [_row(code, names[code].name if code in names else code,
                 names[code].service_days if code in names else None, summary)
            for code, summary in per_category.items()]
    if wants_csv():
        return csv_response(rows, STAT_COLUMNS, f"reclamos-estadisticas-{g.municipality.slug}.csv")
    return jsonify({"municipality": g.municipality.slug, "as_of": as_of.isoformat(),
                    "overall": {**_row(None, None, None, overall), "per_month": dict(overall.per_month)},
                    "services": rows})
