"""Progress of an action plan: weighted roll-up, on-time/late, totals, goal status.

Pure: plain values and frozen dataclasses in and out (no Flask, no database), so every
rule here is tested with tables.

Units: ``progress`` is a percentage 0-100 as a Decimal; money is a Decimal summed
exactly (round only for display).
"""
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

NOT_STARTED, IN_PROGRESS, DONE, DELAYED, CANCELLED = "not_started", "in_progress", "done", "delayed", "cancelled"
HUNDRED = Decimal(100)
ZERO = Decimal(0)

# How an activity stands against today's date.
T_DONE, T_ON_TIME, T_LATE, T_UPCOMING, T_CANCELLED = "done", "on_time", "late", "upcoming", "cancelled"


@dataclass(frozen=True)
class Item:
    """One activity as the computations see it."""

    id: int
    parent_id: int | None = None
    state: str = NOT_STARTED
    done: bool = False
    progress: Decimal | None = None  # entered, 0-100
    weight: Decimal | None = None  # among siblings; None counts as 1
    starts_on: date | None = None
    ends_on: date | None = None
    permanent: bool = False
    cost: Decimal | None = None
    horizon: str = ""
    funding_source: str = ""


def _own_progress(item: Item) -> Decimal | None:
    """An activity's own progress: entered, else implied by its state."""
    if item.done or item.state == DONE:
        return HUNDRED
    if item.progress is not None:
        return max(ZERO, min(HUNDRED, Decimal(item.progress)))
    if item.state == NOT_STARTED:
        return ZERO
    return None


def rolled_progress(items: list[Item]) -> dict[int, Decimal | None]:
    """Progress per activity id. An activity with sub-activities gets the weighted mean
    of its (non-cancelled) children's progress; a child with unknown progress counts as
    0 so that missing reports never inflate the figure. Weights default to 1; all-zero
    weights fall back to equal weights. Leaves keep their own progress (None when in
    progress without a figure)."""
    children: dict[int, list[Item]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    result: dict[int, Decimal | None] = {}

    def compute(item: Item, seen: frozenset) -> Decimal | None:
        if item.id in result:
            return result[item.id]
        kids = [k for k in children.get(item.id, []) if k.state != CANCELLED and k.id not in seen]
        if not kids or item.done or item.state == DONE:
            value = _own_progress(item)
        else:
            weights = [Decimal(k.weight) if k.weight is not None else Decimal(1) for k in kids]
            if sum(weights) <= 0:
                weights = [Decimal(1)] * len(kids)
            total = sum(weights)
            value = sum((w * (compute(k, seen | {item.id}) or ZERO) for k, w in zip(kids, weights)), ZERO) / total
        result[item.id] = value
        return value

    for item in items:
        compute(item, frozenset())
    return result


def timeliness(item: Item, today: date) -> str:
    """``done``, ``cancelled``, ``late`` (marked delayed, or its end has passed undone),
    ``upcoming`` (starts after today) or ``on_time``. Permanent work is on time unless
    marked delayed."""
    if item.done or item.state == DONE:
        return T_DONE
    if item.state == CANCELLED:
        return T_CANCELLED
    if item.state == DELAYED:
        return T_LATE
    if item.permanent:
        return T_ON_TIME
    if item.ends_on is not None and item.ends_on < today:
        return T_LATE
    if item.starts_on is not None and item.starts_on > today:
        return T_UPCOMING
    return T_ON_TIME


@dataclass(frozen=True)
class Counts:
    total: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    upcoming: int = 0
    cancelled: int = 0

    @property
    def done_share(self) -> Decimal | None:
        active = self.total - self.cancelled
        return Decimal(self.done) / Decimal(active) if active else None


def counts(items: list[Item], today: date) -> Counts:
    """How many top-level activities are done, on time, late, upcoming or cancelled."""
    tally = {T_DONE: 0, T_ON_TIME: 0, T_LATE: 0, T_UPCOMING: 0, T_CANCELLED: 0}
    top = [i for i in items if i.parent_id is None]
    for item in top:
        tally[timeliness(item, today)] += 1
    return Counts(total=len(top), done=tally[T_DONE], on_time=tally[T_ON_TIME], late=tally[T_LATE],
                  upcoming=tally[T_UPCOMING], cancelled=tally[T_CANCELLED])


@dataclass(frozen=True)
class Totals:
    """Estimated cost: the total, by horizon, by funding source, and by both."""

    total: Decimal = ZERO
    by_horizon: tuple = ()  # ((horizon, amount), ...) in first-seen order
    by_source: tuple = ()  # ((source, amount), ...) largest first
    by_horizon_source: tuple = field(default=())  # ((horizon, ((source, amount), ...)), ...)


def effective_costs(items: list[Item]) -> dict[int, Decimal]:
    """The cost each top-level activity contributes: its own estimate, or when it has
    none, the sum of its sub-activities' (recursively). Cancelled activities still
    count: totals are of the plan as approved."""
    children: dict[int, list[Item]] = {}
    for item in items:
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)

    def cost(item: Item, depth: int = 0) -> Decimal:
        if item.cost is not None or depth > 20:
            return Decimal(item.cost or 0)
        return sum((cost(k, depth + 1) for k in children.get(item.id, [])), ZERO)

    return {item.id: cost(item) for item in items if item.parent_id is None}


def totals(items: list[Item], horizon_order: list[str] | None = None) -> Totals:
    """Sums of estimated cost, exact to the cent (no rounding)."""
    costs = effective_costs(items)
    by_horizon: "OrderedDict[str, Decimal]" = OrderedDict((h, ZERO) for h in (horizon_order or []))
    by_source: dict[str, Decimal] = {}
    cross: "OrderedDict[str, dict[str, Decimal]]" = OrderedDict((h, {}) for h in (horizon_order or []))
    for item in items:
        if item.parent_id is not None:
            continue
        amount = costs[item.id]
        source = item.funding_source or "N/A"
        by_horizon[item.horizon] = by_horizon.get(item.horizon, ZERO) + amount
        by_source[source] = by_source.get(source, ZERO) + amount
        row = cross.setdefault(item.horizon, {})
        row[source] = row.get(source, ZERO) + amount
    ordered_sources = tuple(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0])))
    return Totals(
        total=sum(by_horizon.values(), ZERO),
        by_horizon=tuple(by_horizon.items()),
        by_source=ordered_sources,
        by_horizon_source=tuple((h, tuple(sorted(s.items(), key=lambda kv: (-kv[1], kv[0]))))
                                for h, s in cross.items()))


# Goals ---------------------------------------------------------------------------
G_MET, G_ON_TRACK, G_MISSED, G_NO_DATA = "met", "on_track", "missed", "no_data"


def meets(actual: Decimal, direction: str, target: Decimal) -> bool:
    actual, target = Decimal(actual), Decimal(target)
    return {">=": actual >= target, "<=": actual <= target, ">": actual > target,
            "<": actual < target, "=": actual == target}[direction]


def goal_status(direction: str, target: Decimal, year: int, actual: Decimal | None,
                today: date, baseline: Decimal | None = None) -> str:
    """``met`` when the actual value satisfies the target; otherwise ``missed`` once the
    goal's year is over. Before that it is ``on_track`` while the value moves towards
    the target from the baseline (or there is no baseline) and ``missed`` when it moved
    away. ``no_data`` without an actual value."""
    if actual is None:
        return G_NO_DATA
    if meets(actual, direction, target):
        return G_MET
    if today > date(year, 12, 31):
        return G_MISSED
    if baseline is None:
        return G_ON_TRACK
    wants_up = direction in (">=", ">") or (direction == "=" and Decimal(target) > Decimal(baseline))
    moved = Decimal(actual) - Decimal(baseline)
    return G_ON_TRACK if (moved >= 0 if wants_up else moved <= 0) else G_MISSED
