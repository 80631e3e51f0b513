"""Loans: amortization schedules, debt by year and the country's legal limits.

Pure: plain values and frozen dataclasses in and out (no Flask, no database).

Units: money in the municipality's currency as exact ``Decimal``, every instalment,
interest and principal amount rounded half-up to the cent when it is computed; rates
are annual fractions (``0.06`` is 6 % a year); ratios are exact ``Decimal``.

A loan is disbursed in ``start_year``/``start_month`` and paid in ``years`` ×
``periods_per_year`` instalments (12 monthly, 4 quarterly, 2 semi-annual, 1 yearly), the
first one period after the disbursement, the last exactly ``years`` after it (700,000
disbursed in December 2010 over 5 years matures in December 2015). The rate of a period
is the annual rate divided by the periods in a year; the interest of a period is the
balance times that rate, half-up to the cent.

Methods:

- ``french`` (cuota fija): the instalment ``P·i / (1 − (1 + i)^−n)``, half-up to the
  cent, over the ``n`` periods after the grace; with a zero rate ``P / n``.
- ``constant`` (amortización constante): the same principal ``P / n`` (half-up to the
  cent) every period after the grace, plus the interest on the balance.

During the first ``grace_periods`` instalments only the interest is paid. The last
instalment pays whatever balance is left, so the principal paid adds up to the loan
exactly.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
FRENCH, CONSTANT = "french", "constant"
METHODS = (FRENCH, CONSTANT)
PERIODS_PER_YEAR = (1, 2, 4, 12)

# Legal limits, as data, by ISO country code (lower case). El Salvador, Ley Reguladora de
# Endeudamiento Público Municipal: debt balance over operating revenue at most 1.7;
# operating savings over debt service at least 1.0.
LEGAL_LIMITS = {
    "sv": (("endeudamiento", "<=", Decimal("1.7")), ("solvencia", ">=", Decimal("1.0"))),
}


def cents(value) -> Decimal:
    """Half-up to the cent."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Loan:
    principal: Decimal
    rate: Decimal
    years: int
    start_year: int
    start_month: int = 12
    method: str = FRENCH
    periods_per_year: int = 12
    grace_periods: int = 0


@dataclass(frozen=True)
class Instalment:
    number: int
    year: int
    month: int
    interest: Decimal
    principal: Decimal
    balance: Decimal  # after this instalment

    @property
    def payment(self) -> Decimal:
        return self.interest + self.principal


@dataclass(frozen=True)
class YearDebt:
    """One year of a loan (or of several added up): what was paid and what is left at its end."""

    year: int
    interest: Decimal
    principal: Decimal
    balance: Decimal  # at 31 December
    disbursed: Decimal = Decimal(0)

    @property
    def service(self) -> Decimal:
        """Debt service: principal plus interest paid in the year."""
        return self.interest + self.principal


class LoanError(ValueError):
    """A loan that cannot be scheduled; ``code`` names the reason (words are the caller's)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check(loan: Loan) -> None:
    """Raise :class:`LoanError` for a loan that cannot be scheduled."""
    if loan.principal <= 0:
        raise LoanError("principal")
    if loan.rate < 0 or loan.rate >= 1:
        raise LoanError("rate")
    if loan.years < 1 or loan.years > 50:
        raise LoanError("years")
    if loan.periods_per_year not in PERIODS_PER_YEAR:
        raise LoanError("periods")
    if loan.method not in METHODS:
        raise LoanError("method")
    if not 1 <= loan.start_month <= 12:
        raise LoanError("month")
    if loan.grace_periods < 0 or loan.grace_periods >= loan.years * loan.periods_per_year:
        raise LoanError("grace")


def french_payment(principal: Decimal, period_rate: Decimal, periods: int) -> Decimal:
    """The fixed instalment of a French loan, half-up to the cent."""
    if period_rate == 0:
        return cents(principal / periods)
    return cents(principal * period_rate / (1 - (1 + period_rate) ** -periods))


def schedule(loan: Loan) -> list[Instalment]:
    """Every instalment of the loan (see the module docstring for the rules)."""
    check(loan)
    total = loan.years * loan.periods_per_year
    amortizing = total - loan.grace_periods
    rate = Decimal(loan.rate) / loan.periods_per_year
    step = 12 // loan.periods_per_year
    payment = french_payment(loan.principal, rate, amortizing)
    constant = cents(loan.principal / amortizing)
    balance = cents(loan.principal)
    out = []
    for number in range(1, total + 1):
        months = loan.start_month - 1 + number * step
        year, month = loan.start_year + months // 12, months % 12 + 1
        interest = cents(balance * rate)
        if number <= loan.grace_periods:
            principal = Decimal("0.00")
        elif number == total:
            principal = balance
        elif loan.method == FRENCH:
            principal = min(payment - interest, balance)
        else:
            principal = min(constant, balance)
        balance -= principal
        out.append(Instalment(number, year, month, interest, principal, balance))
    return out


def by_year(loan: Loan, years=None) -> dict[int, YearDebt]:
    """The loan year by year from its disbursement to the last of ``years`` (default: to
    maturity): interest, principal, service and the balance at 31 December (zero after
    maturity; the disbursement year shows the principal disbursed)."""
    rows = schedule(loan)
    last = max([rows[-1].year, *(years or ())])
    out = {}
    balance = cents(loan.principal)
    for year in range(loan.start_year, last + 1):
        paid = [r for r in rows if r.year == year]
        interest = sum((r.interest for r in paid), Decimal("0.00"))
        principal = sum((r.principal for r in paid), Decimal("0.00"))
        balance = paid[-1].balance if paid else balance
        out[year] = YearDebt(year, interest, principal, balance,
                             cents(loan.principal) if year == loan.start_year else Decimal(0))
    if years is not None:
        out = {y: v for y, v in out.items() if y in set(years)}
    return out


def total_by_year(loans, years) -> dict[int, YearDebt]:
    """Several loans added up for each of ``years`` (a year before a loan's disbursement
    counts nothing of it)."""
    out = {year: YearDebt(year, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")) for year in years}
    for loan in loans:
        for year, item in by_year(loan, years).items():
            now = out[year]
            out[year] = YearDebt(year, now.interest + item.interest, now.principal + item.principal,
                                 now.balance + item.balance, now.disbursed + item.disbursed)
    return out


@dataclass(frozen=True)
class LimitCheck:
    """One legal limit in one year: ``value`` is None when a side is missing or zero."""

    year: int
    code: str  # endeudamiento | solvencia
    direction: str  # <= or >=
    limit: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.limit if self.direction == "<=" else self.value >= self.limit


def check_limits(limits, year: int, *, balance, operating_revenue, operating_savings, service) -> list[LimitCheck]:
    """Each limit of ``limits`` (a :data:`LEGAL_LIMITS` entry) for one year.

    ``endeudamiento`` = debt balance / operating revenue; ``solvencia`` = operating
    savings / debt service. A missing value or a zero denominator gives no value (a year
    without debt service has nothing to cover and shows no ratio)."""
    sides = {"endeudamiento": (balance, operating_revenue), "solvencia": (operating_savings, service)}
    out = []
    for code, direction, limit in limits:
        numerator, denominator = sides[code]
        value = None if numerator is None or denominator in (None, 0) else Decimal(numerator) / Decimal(denominator)
        out.append(LimitCheck(year, code, direction, limit, numerator, denominator, value))
    return out
