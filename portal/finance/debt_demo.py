"""Intipucá's refinanced loan, from its Plan de Rescate Financiero Municipal.

The plan states 700,000.00 refinanced in December 2010 over 5 years, maturing in
December 2015, with 258,068.19 amortized and a balance of 441,931.81 at 31 December
2012; it gives no rate nor instalments. Semi-annual instalments (June and December,
ten in all) with a fixed instalment (French method) at 5.34567 % a year are stated here
because they reproduce that balance to the cent (a fixed monthly instalment cannot: one
cent more or less on the instalment moves the 2012 balance by about 24 cents).

The plan commits to paying suppliers on plan but lists no supplier debts: the supplier
plan here is illustrative (four quarterly instalments of 2,500.00 in 2013, the last one
unpaid at the end of the year), so the page, the API and the dataset show one.
"""
from decimal import Decimal as D

from portal.finance import debt, debt_importing, debt_services
from portal.municipalities.services import get_by_slug

LOAN_NAME = "Refinanciamiento de la deuda (diciembre de 2010)"
LOAN = debt.Loan(principal=D("700000.00"), rate=D("0.0534567"), years=5, start_year=2010, start_month=12,
                 method=debt.FRENCH, periods_per_year=2)

SUPPLIER = "Suministro de combustible (ejemplo)"
SUPPLIER_PLAN = [(SUPPLIER, (2013, month), D("2500.00"), D("2500.00") if month < 12 else D(0),
                  2013 if month < 12 else None) for month in (3, 6, 9, 12)]


def load():
    municipality = get_by_slug("intipuca")
    if municipality is None or debt_services.loans(municipality, published_only=False):
        return  # absent or already loaded
    plan = debt_importing.DebtPlan(debt_importing.LOANS, [(LOAN_NAME, "", LOAN)])
    debt_services.apply(municipality, plan, publish=True)
    debt_services.apply(municipality, debt_importing.DebtPlan(debt_importing.SUPPLIERS, SUPPLIER_PLAN), publish=True)
