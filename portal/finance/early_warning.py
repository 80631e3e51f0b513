"""The early warning from monthly execution. Pure: plain values in and out.

Three kinds of warning, each checked on the projected close of the year
(:mod:`portal.finance.seasonal`) or on the year-to-date:

- ``legal_limit``: an indicator that is a legal limit of the country
  (:data:`LEGAL_LIMITS`: El Salvador's debt limit and payment capacity) fails its
  threshold at the projected close.
- ``threshold``: another indicator of the catalog with a threshold (``>=`` or ``<=``)
  fails it at the projected close while it met it in the last closed year: a breach
  the year is heading to. Indicators that already failed stay on the indicator pages.
- ``investment``: from month :data:`INVESTMENT_FROM_MONTH` (mid-year), investment
  accrued to date over the year's investment budget is below
  :data:`INVESTMENT_TOLERANCE` times the share past years had reached by that month
  (``m / 12`` without past years).

Ratios are Decimal fractions; amounts are in the municipality's currency.
"""
from dataclasses import dataclass
from decimal import Decimal

from portal.finance import ratios

LEGAL_LIMIT, THRESHOLD, INVESTMENT = "legal_limit", "threshold", "investment"
LEGAL_LIMITS = frozenset({"limite_endeudamiento", "capacidad_pago"})
INVESTMENT_FROM_MONTH = 6
INVESTMENT_TOLERANCE = Decimal("0.75")


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the product's word; never shadows the builtin outside this module
    """One warning. For indicators ``value`` is the projected value, ``previous`` the last
    closed year's; for investment ``value`` is the execution to date and ``expected`` the
    share expected by ``month``."""

    kind: str
    code: str
    name: str
    month: int
    value: Decimal | None
    threshold: Decimal | None = None
    direction: str = ""
    display: str = "percent"
    previous: Decimal | None = None
    expected: Decimal | None = None


def indicator_warnings(month: int, projected: list, last_closed: list | None,
                       legal: frozenset = LEGAL_LIMITS) -> list[Warning]:
    """Warnings from indicator results (:class:`portal.finance.ratios.Result`) at the
    projected close, given the last closed year's results (None when there is none)."""
    before = {r.code: r for r in (last_closed or [])}
    out = []
    for result in projected:
        if result.status != ratios.FAILS:
            continue
        d = result.definition
        previous = before.get(result.code)
        if result.code in legal:
            kind = LEGAL_LIMIT
        elif previous is not None and previous.status == ratios.MEETS:
            kind = THRESHOLD
        else:
            continue
        out.append(Warning(kind, result.code, d.name, month, result.value, d.threshold, d.direction, d.display,
                           previous.value if previous is not None else None))
    return out


def investment_warning(month: int, year_to_date: Decimal, budget: Decimal | None,
                       expected_share: Decimal | None, name: str = "") -> Warning | None:
    """A warning when investment runs behind by mid-year (rule in the module docstring);
    None before :data:`INVESTMENT_FROM_MONTH`, without a positive budget, or on track."""
    if month < INVESTMENT_FROM_MONTH or budget is None or budget <= 0:
        return None
    expected = expected_share if expected_share is not None else Decimal(month) / 12
    execution = year_to_date / budget
    if execution >= expected * INVESTMENT_TOLERANCE:
        return None
    return Warning(INVESTMENT, "inversion", name, month, execution, expected * INVESTMENT_TOLERANCE,
                   ">=", "percent", None, expected)
