"""Year-to-date execution and the projection of the year's close from past seasonality.

Pure: plain values in and out (no Flask, no database). Amounts are Decimals in the
municipality's currency; shares are fractions (0.5 is half the year's total).

The method (shown on the public "how we forecast" page):

- A series is one amount per month (``{month: amount}``, months 1-12); an absent
  month counts as zero. The **year to date** at month *m* is the sum of months 1..m.
- For each past year whose twelve months are known and whose total is not zero, the
  **share reached by month m** is its year-to-date at *m* over its twelve-month total.
- The **projected close** is the year-to-date divided by the mean of those shares.
- Its **uncertainty** comes from the spread of the shares (their sample standard
  deviation, which needs at least two past years): the close lies between
  ``ytd / (mean + spread)`` and ``ytd / (mean - spread)``; when ``mean - spread`` is
  zero or less there is no upper bound (None).
- Without a usable past year the shares are assumed even (``m / 12``), a **linear**
  projection without a range. At month 12 the close is the year-to-date itself.
- A mean share of zero (nothing was ever executed by that month) gives no projection.

Amounts are exact until the end: :func:`cents` rounds half-up to the cent.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONTHS = tuple(range(1, 13))
CENT = Decimal("0.01")
ACTUAL, SEASONAL, LINEAR, NONE = "actual", "seasonal", "linear", "none"


def cents(value: Decimal | None) -> Decimal | None:
    """Half-up to the cent; None stays None."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_date(series: dict, month: int) -> Decimal:
    """Sum of months 1..``month`` of ``series`` (absent months are zero)."""
    return sum((Decimal(series.get(m) or 0) for m in range(1, month + 1)), Decimal(0))


def is_complete(series: dict) -> bool:
    """True when the series has an amount for each of the twelve months."""
    return all(series.get(m) is not None for m in MONTHS)


def share_reached(series: dict, month: int) -> Decimal | None:
    """The share of the twelve-month total reached by ``month``; None for an incomplete
    series or a zero total."""
    if not is_complete(series):
        return None
    total = to_date(series, 12)
    if total == 0:
        return None
    return to_date(series, month) / total


def mean_and_spread(values: list[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    """The mean and the sample standard deviation (None below two values)."""
    if not values:
        return None, None
    mean = sum(values, Decimal(0)) / len(values)
    if len(values) < 2:
        return mean, None
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / (len(values) - 1)
    return mean, variance.sqrt()


@dataclass(frozen=True)
class Forecast:
    """The projected close of one series at ``month``.

    ``shares`` lists (past year, share reached by ``month``) for the years used;
    ``method`` is ``actual`` (month 12), ``seasonal``, ``linear`` or ``none``."""

    month: int
    year_to_date: Decimal
    close: Decimal | None
    low: Decimal | None
    high: Decimal | None
    mean_share: Decimal | None
    spread: Decimal | None
    shares: tuple = ()
    method: str = SEASONAL


def forecast(series: dict, month: int, past: dict) -> Forecast:
    """Project the close of ``series`` (this year's months) from its year-to-date at
    ``month`` and ``past`` (``{year: series}``), by the method of the module docstring."""
    if month not in MONTHS:
        raise ValueError("month must be 1-12")
    ytd = to_date(series, month)
    if month == 12:
        return Forecast(12, ytd, ytd, ytd, ytd, Decimal(1), Decimal(0), (), ACTUAL)
    shares = tuple((year, share) for year, share in
                   ((year, share_reached(past[year], month)) for year in sorted(past)) if share is not None)
    if not shares:
        mean = Decimal(month) / 12
        return Forecast(month, ytd, ytd / mean, None, None, mean, None, (), LINEAR)
    mean, spread = mean_and_spread([share for _, share in shares])
    if mean == 0:
        return Forecast(month, ytd, None, None, None, mean, spread, shares, NONE)
    low = high = None
    if spread is not None:
        low = ytd / (mean + spread)
        high = ytd / (mean - spread) if mean - spread > 0 else None
    return Forecast(month, ytd, ytd / mean, low, high, mean, spread, shares, SEASONAL)


def add(forecasts: list[Forecast]) -> Forecast | None:
    """The forecast of a total: closes and bounds add up (a missing close or bound makes
    the total's missing too: the bounds assume the parts stray together)."""
    if not forecasts:
        return None

    def total(attr):
        values = [getattr(f, attr) for f in forecasts]
        return None if any(v is None for v in values) else sum(values, Decimal(0))

    methods = {f.method for f in forecasts}
    method = methods.pop() if len(methods) == 1 else SEASONAL
    ytd = total("year_to_date")
    close = total("close")
    share = ytd / close if close not in (None, 0) else None
    return Forecast(forecasts[0].month, ytd, close, total("low"), total("high"), share, None, (), method)
