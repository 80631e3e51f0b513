"""Loan schedules, debt by year and legal limits (portal.finance.debt), on constructed loans."""
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.finance import debt


def test_textbook_french_schedule_to_the_cent():
    """10,000 at 12 % a year, 12 monthly instalments: 888.49 a month (any textbook table)."""
    loan = debt.Loan(D("10000"), D("0.12"), 1, 2024, 1, debt.FRENCH, 12)
    rows = debt.schedule(loan)
    assert len(rows) == 12
    assert [(r.interest, r.principal, r.balance) for r in rows[:3]] == [
        (D("100.00"), D("788.49"), D("9211.51")), (D("92.12"), D("796.37"), D("8415.14")),
        (D("84.15"), D("804.34"), D("7610.80"))]
    assert all(r.payment == D("888.49") for r in rows[:-1])
    assert rows[-1].balance == 0 and sum(r.principal for r in rows) == D("10000")
    assert (rows[0].year, rows[0].month, rows[-1].year, rows[-1].month) == (2024, 2, 2025, 1)
    assert rows[-1].payment == D("888.47")  # the last instalment pays what is left
    assert sum(r.interest for r in rows) == D("888.49") * 11 + D("888.47") - D("10000")


@pytest.mark.parametrize("method, grace, expected", [
    # 12,000 at 10 % a year, yearly, 3 years, disbursed December 2020.
    (debt.CONSTANT, 0, [("1200.00", "4000.00", "8000.00"), ("800.00", "4000.00", "4000.00"),
                        ("400.00", "4000.00", "0.00")]),
    (debt.CONSTANT, 1, [("1200.00", "0.00", "12000.00"), ("1200.00", "6000.00", "6000.00"),
                        ("600.00", "6000.00", "0.00")]),
    (debt.FRENCH, 0, [("1200.00", "3625.38", "8374.62"), ("837.46", "3987.92", "4386.70"),
                      ("438.67", "4386.70", "0.00")]),
    (debt.FRENCH, 1, [("1200.00", "0.00", "12000.00"), ("1200.00", "5714.29", "6285.71"),
                      ("628.57", "6285.71", "0.00")]),
])
def test_methods_and_grace(method, grace, expected):
    loan = debt.Loan(D("12000"), D("0.10"), 3, 2020, 12, method, 1, grace)
    rows = debt.schedule(loan)
    assert [(str(r.interest), str(r.principal), str(r.balance)) for r in rows] == expected
    assert [r.year for r in rows] == [2021, 2022, 2023]


def test_zero_rate_french_is_equal_parts():
    rows = debt.schedule(debt.Loan(D("1000"), D("0"), 1, 2024, 6, debt.FRENCH, 4))
    assert [r.principal for r in rows] == [D("250.00")] * 4 and all(r.interest == 0 for r in rows)
    assert [(r.year, r.month) for r in rows] == [(2024, 9), (2024, 12), (2025, 3), (2025, 6)]


def test_intipuca_refinanced_loan_reproduces_the_plan():
    """700,000 from December 2010, 5 years: balance 441,931.81 at the end of 2012 (258,068.19
    amortized), matures in December 2015."""
    loan = debt.Loan(D("700000.00"), D("0.0534567"), 5, 2010, 12, debt.FRENCH, 2)
    years = debt.by_year(loan)
    assert years[2012].balance == D("441931.81")
    assert years[2011].principal + years[2012].principal == D("258068.19")
    assert years[2010].disbursed == D("700000.00") and years[2010].service == 0
    assert years[2015].balance == 0 and max(years) == 2015
    assert debt.schedule(loan)[-1].month == 12
    assert years[2013] == debt.YearDebt(2013, D("21783.04"), D("139611.14"), D("302320.67"))
    assert years[2013].service == D("161394.18")


def test_by_year_asked_years_and_totals():
    loan = debt.Loan(D("12000"), D("0.10"), 3, 2020, 12, debt.CONSTANT, 1)
    other = debt.Loan(D("1000"), D("0"), 1, 2022, 12, debt.CONSTANT, 1)
    assert debt.by_year(loan, [2024])[2024].balance == 0  # after maturity: nothing owed
    totals = debt.total_by_year([loan, other], [2019, 2021, 2022, 2023])
    assert totals[2019].balance == 0  # before either disbursement
    assert totals[2021].balance == D("8000.00")
    assert totals[2022].balance == D("5000.00") and totals[2022].disbursed == D("1000.00")
    assert totals[2023].service == D("5400.00")  # 4000 + 400 and 1000 + 0


@pytest.mark.parametrize("changes, code", [
    ({"principal": D(0)}, "principal"), ({"rate": D("-0.01")}, "rate"), ({"rate": D(1)}, "rate"),
    ({"years": 0}, "years"), ({"years": 51}, "years"), ({"periods_per_year": 3}, "periods"),
    ({"method": "bullet"}, "method"), ({"start_month": 13}, "month"), ({"grace_periods": 12}, "grace"),
    ({"grace_periods": -1}, "grace"),
])
def test_bad_loans_are_refused_with_a_reason(changes, code):
    fields = {"principal": D(1000), "rate": D("0.05"), "years": 1, "start_year": 2020, "start_month": 1,
              "method": debt.FRENCH, "periods_per_year": 12, "grace_periods": 0, **changes}
    with pytest.raises(debt.LoanError) as error:
        debt.schedule(debt.Loan(**fields))
    assert error.value.code == code


@settings(max_examples=80, deadline=None)
@given(principal=st.decimals(min_value=1, max_value=10_000_000, places=2),
       rate=st.decimals(min_value=0, max_value=D("0.40"), places=4), years=st.integers(1, 30),
       periods=st.sampled_from(debt.PERIODS_PER_YEAR), method=st.sampled_from(debt.METHODS),
       grace=st.integers(0, 6), month=st.integers(1, 12))
def test_any_schedule_pays_the_loan_exactly(principal, rate, years, periods, method, grace, month):
    grace = min(grace, years * periods - 1)
    loan = debt.Loan(principal, rate, years, 2000, month, method, periods, grace)
    rows = debt.schedule(loan)
    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance == 0 and all(r.principal >= 0 and r.interest >= 0 for r in rows)
    assert all(a.balance >= b.balance for a, b in zip(rows, rows[1:]))
    assert (rows[-1].year, rows[-1].month) == (2000 + years, month)
    by_year = debt.by_year(loan)
    assert sum(y.principal for y in by_year.values()) == principal


@pytest.mark.parametrize("balance, revenue, savings, service, values, oks", [
    (D("170"), D("100"), D("100"), D("100"), [D("1.7"), D("1")], [True, True]),
    (D("171"), D("100"), D("99"), D("100"), [D("1.71"), D("0.99")], [False, False]),
    (D("10"), None, D("50"), D("0"), [None, None], [None, None]),
    (D("0"), D("100"), None, D("10"), [D("0"), None], [True, None]),
])
def test_el_salvador_limits(balance, revenue, savings, service, values, oks):
    checks = debt.check_limits(debt.LEGAL_LIMITS["sv"], 2020, balance=balance, operating_revenue=revenue,
                               operating_savings=savings, service=service)
    assert [c.code for c in checks] == ["endeudamiento", "solvencia"]
    assert [c.value for c in checks] == values and [c.ok for c in checks] == oks
