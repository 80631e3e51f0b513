"""Complaint statistics, computed from plain facts (pure: no Flask, no database).

Definitions (also on the public statistics page and in docs/complaints.md):

- **Days to resolve**: from ``created`` to ``closed`` in days (fractional, exact).
  Only resolved reports (fixed, not our responsibility, won't fix) count; duplicates
  are left out of every figure because their original carries the work.
- **Median**: the middle value, or the mean of the two middle values.
- **90th percentile**: nearest rank, the value at position ``ceil(0.9 * n)`` (1-based)
  in ascending order.
- **Resolved on time**: resolved within the category's service level, divided by the
  reports that *could* be judged at ``as_of``: every resolved report plus every open
  report already past its service level. Open reports still within their service level
  are not yet judged.
- **Reopen rate**: reports reopened at least once divided by reports ever marked fixed
  (fixed now, or reopened).
- **Confirmed fixed**: residents' latest answer "yes" divided by all reports with an
  answer (yes, partly or no).

Every ratio is a ``Decimal`` between 0 and 1, or ``None`` when its denominator is 0.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from math import ceil

RESOLVED = ("fixed", "not_ours", "wont_fix")
SECONDS_PER_DAY = Decimal(86400)


@dataclass(frozen=True)
class ReportFacts:
    category: str  # a category code
    created: datetime
    status: str  # received | in_progress | fixed | not_ours | wont_fix | duplicate
    closed: datetime | None  # latest close time, for closed reports
    service_days: int
    reopened: bool = False
    confirmation: str | None = None  # yes | partly | no


@dataclass(frozen=True)
class Summary:
    total: int
    per_month: tuple  # (("YYYY-MM", count), ...) ascending
    resolved: int
    median_days: Decimal | None
    p90_days: Decimal | None
    on_time: Decimal | None
    on_time_n: int
    reopen_rate: Decimal | None
    reopen_n: int
    confirmed_fixed: Decimal | None
    confirmed_n: int


def days_between(start: datetime, end: datetime) -> Decimal:
    """Exact fractional days between two datetimes (never negative)."""
    seconds = Decimal(int((end - start).total_seconds()))
    return max(seconds / SECONDS_PER_DAY, Decimal(0))


def median(values) -> Decimal | None:
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, fraction: Decimal) -> Decimal | None:
    """Nearest-rank percentile: the value at rank ceil(fraction * n)."""
    ordered = sorted(Decimal(v) for v in values)
    if not ordered:
        return None
    rank = max(ceil(Decimal(fraction) * len(ordered)), 1)
    return ordered[rank - 1]


def ratio(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def is_resolved(fact: ReportFacts, as_of: datetime) -> bool:
    return fact.status in RESOLVED and fact.closed is not None and fact.closed <= as_of


def on_time(facts, as_of: datetime) -> tuple[Decimal | None, int]:
    """(share resolved within the service level, number of reports judged)."""
    judged = hits = 0
    for fact in facts:
        if fact.status == "duplicate":
            continue
        limit = timedelta(days=fact.service_days)
        if is_resolved(fact, as_of):
            judged += 1
            hits += (fact.closed - fact.created) <= limit
        elif as_of - fact.created > limit:
            judged += 1
    return ratio(hits, judged), judged


def summarize(facts, as_of: datetime) -> Summary:
    """Every statistic for one group of reports (a municipality or one category)."""
    facts = [f for f in facts if f.status != "duplicate" and f.created <= as_of]
    months = Counter(f.created.strftime("%Y-%m") for f in facts)
    resolved_days = [days_between(f.created, f.closed) for f in facts if is_resolved(f, as_of)]
    share, judged = on_time(facts, as_of)
    ever_fixed = [f for f in facts if f.status == "fixed" or f.reopened]
    answered = [f for f in facts if f.confirmation in ("yes", "partly", "no")]
    return Summary(
        total=len(facts), per_month=tuple(sorted(months.items())), resolved=len(resolved_days),
        median_days=median(resolved_days), p90_days=percentile(resolved_days, Decimal("0.9")),
        on_time=share, on_time_n=judged,
        reopen_rate=ratio(sum(1 for f in ever_fixed if f.reopened), len(ever_fixed)), reopen_n=len(ever_fixed),
        confirmed_fixed=ratio(sum(1 for f in answered if f.confirmation == "yes"), len(answered)),
        confirmed_n=len(answered))


def by_category(facts, as_of: datetime) -> dict[str, Summary]:
    groups: dict[str, list] = {}
    for fact in facts:
        groups.setdefault(fact.category, []).append(fact)
    return {code: summarize(items, as_of) for code, items in sorted(groups.items())}


def month_keys(as_of: datetime, months: int = 12) -> list[str]:
    """The ``months`` calendar months ending with as_of's month, oldest first."""
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))
