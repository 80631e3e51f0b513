"""The indicators a comparison can show (pure: no Flask, no database).

The domains declare their metrics in their manifests (:mod:`portal.core.registry`).
Each :class:`Metric` names where its value comes from, which direction is better, the
cut-offs of its bands (in the better direction: the first band is the best) and how
often its data are expected to be updated (``frequency_days``): a value whose data are
older than that, plus a grace period, is marked as stale.
"""
import hashlib
import re
from datetime import date, timedelta
from decimal import Decimal

from portal.core import registry
from portal.core.registry import HIGHER, LOWER, Metric

__all__ = ["HIGHER", "LOWER", "Metric", "builtin", "get", "band", "signed", "is_stale", "normalized",
           "external_key", "external_metric", "default", "latest_editions", "edition_order"]

BANDS = ("alto", "medio-alto", "medio", "bajo")  # best first, like the diagnostic's semáforo
GRACE_DAYS = 90


def builtin() -> tuple[Metric, ...]:
    """The portal's own indicators: every metric the domains declare, in their order."""
    return registry.metrics()


EXTERNAL = "external"
EXTERNAL_PREFIX = "ext-"
EXTERNAL_FREQUENCY_DAYS = 730  # national indices come out every year or two


def external_key(source: str, indicator: str) -> str:
    """A stable, URL-safe key for a national index (its source and name): ``ext-`` and 12
    hex digits of their SHA-1, so a re-import keeps the same key and links."""
    digest = hashlib.sha1(f"{source}\x1f{indicator}".encode()).hexdigest()[:12]
    return EXTERNAL_PREFIX + digest


def external_metric(source: str, indicator: str, low: Decimal | None = None,
                    high: Decimal | None = None) -> Metric:
    """A national index as an indicator: higher is better (as the indices we know publish
    them), no bands of our own (each value keeps the index's own band), a value of its
    own scale (``unit`` "index")."""
    return Metric(external_key(source, indicator), indicator, EXTERNAL, "index", HIGHER, (),
                  EXTERNAL_FREQUENCY_DAYS, source=source, low=low, high=high)


def default() -> Metric | None:
    """The indicator a comparison shows when none is chosen (the one a domain declares)."""
    return registry.default_metric()


def get(key: str) -> Metric | None:
    return next((m for m in builtin() if m.key == key), None)


def edition_order(period: str) -> tuple:
    """Sort key of an index's editions: by the numbers in them (``2019`` < ``2021-2022``
    < ``2023``), then as text."""
    return (tuple(int(n) for n in re.findall(r"\d+", period)), period)


def latest_editions(periods) -> tuple[str | None, str | None]:
    """The latest edition of an index and the one before it (None when there is none).
    A municipality compares its value in the latest edition with its value in the one
    before; a municipality missing either has no value or no trend, never a zero."""
    ordered = sorted(set(periods), key=edition_order)
    return (ordered[-1] if ordered else None, ordered[-2] if len(ordered) > 1 else None)


def band(metric: Metric, value: Decimal | None) -> str | None:
    """The band key of ``value`` (None without a value, or for a national index: its values
    keep the index's own bands)."""
    if value is None or not metric.cutoffs:
        return None
    for key, cutoff in zip(BANDS, metric.cutoffs):
        if (value >= cutoff) if metric.direction == HIGHER else (value <= cutoff):
            return key
    return BANDS[-1]


def signed(metric: Metric, change: Decimal | None) -> Decimal | None:
    """A change turned so that positive always means better."""
    if change is None:
        return None
    return change if metric.direction == HIGHER else -change


def is_stale(metric: Metric, data_date: date | None, today: date) -> bool:
    """Older than the declared update frequency plus :data:`GRACE_DAYS` (or undated)."""
    if data_date is None:
        return True
    return today - data_date > timedelta(days=metric.frequency_days + GRACE_DAYS)


def normalized(value: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """``value`` on a 0-1 scale between ``low`` and ``high`` (None for an empty scale)."""
    if high == low:
        return None
    return (Decimal(value) - low) / (high - low)
