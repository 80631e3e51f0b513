"""What the revenue-potential page and API show, composed from :mod:`revenue_services`
(read only; one query however many rows)."""
from decimal import Decimal

from portal.finance import revenue, revenue_services


def page(municipality, year: int | None = None, published_only: bool = True) -> dict | None:
    """The year's table (the latest when ``year`` is None) with its computation, or None
    for a year without one; ``study`` is None when the municipality publishes none."""
    studies = revenue_services.studies(municipality, published_only)
    if not studies:
        return {"study": None, "years": [], "table": None}
    study = next((s for s in studies if s.year == year), None) if year is not None else studies[-1]
    if study is None:
        return None
    table = revenue_services.table(study)
    return {"study": study, "years": [s.year for s in studies], "table": table,
            "groups": {group: [c for c in table.rows if c.row.group == group] for group in revenue.GROUPS},
            "ids": {(r.group, r.code): r.id for r in study.rows}}


def item(year: int, computed: revenue.Computed) -> dict:
    """A row with its inputs and computed amounts (Decimals; rates as fractions)."""
    row = computed.row
    return {"year": year, "group": row.group, "code": row.code, "name": row.name,
            "collected": _money(row.collected), "accrued": _money(row.accrued), "payers": row.payers,
            "monthly_payment": _money(row.monthly_payment), "arrears_balance": _money(row.arrears_balance),
            "recovery_rate": _normal(row.recovery_rate), "rate": _normal(row.rate),
            "foregone": computed.foregone, "additional": computed.additional,
            "arrears_recovery": computed.arrears_recovery, "measure": computed.measure, "total": computed.total}


def _normal(rate: Decimal | None) -> Decimal | None:
    """A stored rate without the column's trailing zeros (0.10000000 -> 0.1)."""
    return None if rate is None else rate.normalize()


def _money(value: Decimal | None) -> Decimal | None:
    """A stored amount as written: cents when it has no more (9826.3200 -> 9826.32)."""
    if value is None:
        return None
    cents = revenue.cents(value)
    return cents if cents == value else value.normalize()
