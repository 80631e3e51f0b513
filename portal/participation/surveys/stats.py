"""Survey statistics, exact with Decimal (pure: no Flask, no database).

Inputs are frequency tables (value -> count). Outputs are frozen dataclasses.

* Means are ``sum / n``; sample standard deviation uses ``n - 1``.
* The 95 % confidence interval of a mean is ``mean ± t(0.975, n-1) · s / √n``
  (Student's t). ``n < 2`` gives no interval.
* The t quantile: for 1-30 degrees of freedom, a table of the two-sided 95 %
  critical values to six decimals (standard statistical tables); above 30, the
  Cornish-Fisher expansion of t around the normal quantile z = 1.959964 to the fourth
  order in 1/df (error below 1e-6 for df > 30, tested against the table at df = 30).
* Means and interval ends are rounded half-up to 6 decimal places (:data:`PLACES`);
  shares are ratios (0.25 = 25 %) rounded to 6 places too. Round again for display.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

PLACES = Decimal("0.000001")
Z975 = Decimal("1.959963985")

# Two-sided 95 % critical values of Student's t, t(0.975, df), df = 1..30.
T975 = {
    1: "12.706205", 2: "4.302653", 3: "3.182446", 4: "2.776445", 5: "2.570582",
    6: "2.446912", 7: "2.364624", 8: "2.306004", 9: "2.262157", 10: "2.228139",
    11: "2.200985", 12: "2.178813", 13: "2.160369", 14: "2.144787", 15: "2.131450",
    16: "2.119905", 17: "2.109816", 18: "2.100922", 19: "2.093024", 20: "2.085963",
    21: "2.079614", 22: "2.073873", 23: "2.068658", 24: "2.063899", 25: "2.059539",
    26: "2.055529", 27: "2.051831", 28: "2.048407", 29: "2.045230", 30: "2.042272",
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def t_quantile_975(df: int) -> Decimal:
    """t(0.975, df): the table up to 30 degrees of freedom, Cornish-Fisher above."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df in T975:
        return Decimal(T975[df])
    with localcontext() as ctx:
        ctx.prec = 30
        z = Z975
        n = Decimal(df)
        g1 = (z ** 3 + z) / 4
        g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
        g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
        g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
        value = z + g1 / n + g2 / n ** 2 + g3 / n ** 3 + g4 / n ** 4
    return _round(value)


@dataclass(frozen=True)
class NumericSummary:
    """n, mean, sample standard deviation and the 95 % interval of the mean."""

    n: int
    mean: Decimal | None
    sd: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None


def summarize(frequencies: dict) -> NumericSummary:
    """Summary of numeric answers given as ``{value: count}`` (counts of 0 ignored)."""
    n = sum(count for count in frequencies.values())
    if n <= 0:
        return NumericSummary(0, None, None, None, None)
    with localcontext() as ctx:
        ctx.prec = 40
        total = sum(Decimal(value) * count for value, count in frequencies.items())
        squares = sum(Decimal(value) ** 2 * count for value, count in frequencies.items())
        mean = total / n
        if n < 2:
            return NumericSummary(n, _round(mean), None, None, None)
        variance = (n * squares - total * total) / (n * (n - 1))
        variance = max(variance, Decimal(0))
        sd = variance.sqrt()
        half = t_quantile_975(n - 1) * (variance / n).sqrt()  # exact when s²/n is a square
        return NumericSummary(n, _round(mean), _round(sd), _round(mean - half), _round(mean + half))


def interval_meaningful(summary: NumericSummary | None) -> bool:
    """Whether the 95 % interval says anything: two answers or more that are not all
    equal (with one answer there is no interval; with equal answers it has no width)."""
    return (summary is not None and summary.n >= 2 and summary.ci_low is not None
            and summary.ci_high is not None and summary.ci_high > summary.ci_low)


def publishable(count: int, min_count: int) -> bool:
    """A group (a survey, a district) is shown only from ``min_count`` responses, so
    that no one's answers can be read off a group of one or two people."""
    return count >= max(min_count, 1)


def share_at_least(frequencies: dict, threshold) -> Decimal | None:
    """The share (0 to 1) of answers at or above ``threshold`` (e.g. 4 or 5 on 1-5)."""
    n = sum(frequencies.values())
    if n <= 0:
        return None
    hits = sum(count for value, count in frequencies.items() if Decimal(value) >= Decimal(threshold))
    return _round(Decimal(hits) / Decimal(n))


@dataclass(frozen=True)
class Share:
    value: str
    count: int
    share: Decimal  # ratio of the base


def distribution(frequencies: dict, order: list, base: int | None = None) -> list[Share]:
    """Counts and shares for each value of ``order`` (then any other value seen).

    ``base`` is the number of respondents (for multiple choice the shares can add up
    to more than 1); by default the sum of the counts."""
    keys = list(order) + [k for k in frequencies if k not in order]
    base = sum(frequencies.values()) if base is None else base
    out = []
    for key in keys:
        count = frequencies.get(key, 0)
        share = _round(Decimal(count) / Decimal(base)) if base else Decimal(0)
        out.append(Share(str(key), count, share))
    return out


@dataclass(frozen=True)
class MatrixSummary:
    """Per row (service): summary of the ratings and the "no uso" count; and the
    whole matrix: the mean of every rating given (pooled over rows)."""

    rows: tuple  # of (row, NumericSummary, not_used count)
    overall: NumericSummary


def summarize_matrix(rows: list, frequencies: dict, not_used: dict) -> MatrixSummary:
    """``frequencies``: ``{row: {rating: count}}``; ``not_used``: ``{row: count}``."""
    pooled: dict = {}
    out = []
    for row in rows:
        freq = frequencies.get(row, {})
        for value, count in freq.items():
            pooled[value] = pooled.get(value, 0) + count
        out.append((row, summarize(freq), not_used.get(row, 0)))
    return MatrixSummary(tuple(out), summarize(pooled))


def by_group(frequencies: dict) -> dict:
    """``{group: {value: count}}`` -> ``{group: NumericSummary}`` (e.g. by district)."""
    return {group: summarize(freq) for group, freq in frequencies.items()}
