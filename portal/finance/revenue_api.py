"""Read API: ``/api/v1/municipalities/<slug>/finance/revenue`` (published tables only)."""
from decimal import Decimal

from flask import abort, g, jsonify

from portal.accounts.permissions import public
from portal.core import bounds
from portal.core.api import csv_response, dec, wants_csv
from portal.finance import revenue_reports
from portal.finance.api import bp

ITEM_COLUMNS = ["year", "group", "code", "name", "collected", "accrued", "payers", "monthly_payment",
                "arrears_balance", "recovery_rate", "rate", "foregone", "additional", "arrears_recovery", "measure",
                "total"]


@bp.route("/revenue")
@public
def revenue():
    """A published year's revenue potential: each row with its computed amounts, subtotals per group, the total.

    Groups: potencial (foregone = accrued - collected; additional = payers x monthly_payment x 12; arrears
    recovery = arrears_balance x recovery_rate), reforma (payers x monthly_payment x 12), medida (rate x the
    collected total of the potencial rows). Amounts are rounded half-up to the cent at the end of each row.

    :query year: the year of the figures (e.g. 2012; the latest published by default)
    :query format: csv for the rows as a CSV download
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
