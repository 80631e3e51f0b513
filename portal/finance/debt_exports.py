"""The rows of the debt datasets (declared in :mod:`portal.finance.manifest`): published
loans year by year and supplier instalments, read through
:mod:`portal.finance.debt_services` so a download shows the figures of the page and the API."""
from portal.finance import debt, debt_services
from portal.finance.projections import cents


def loan_years(municipality):
    """One row per published loan and year, from its disbursement to its maturity."""
    for row in debt_services.loans(municipality):
        for item in debt.by_year(debt_services.pure(row)).values():
            yield {"loan": row.name, "lender": row.lender, "year": item.year, "disbursed": cents(item.disbursed),
                   "interest": cents(item.interest), "principal": cents(item.principal),
                   "service": cents(item.service), "balance": cents(item.balance), "rate": row.rate.normalize(),
                   "method": row.method, "currency": municipality.currency}


def supplier_instalments(municipality):
    """One row per published supplier instalment, with what was paid of it."""
    for row in debt_services.instalments(municipality):
        yield {"supplier": row.supplier, "due_year": row.due_year, "due_month": row.due_month,
               "amount": cents(row.amount), "paid": cents(row.paid), "paid_year": row.paid_year,
               "currency": municipality.currency}
