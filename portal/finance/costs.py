"""What each service costs, the subsidy it receives, and the fee that would cover it.

Pure: plain values and frozen dataclasses in and out (no Flask, no database). Amounts
are yearly, in the municipality's currency, exact :class:`~decimal.Decimal`; rates are
fractions. Figures are rounded half-up to the cent at the end of each service's row.

A study lists services with their **direct costs** by kind (staff, supplies, fuel,
disposal contracts, other), the **households** served and the fees **accrued** and
**collected** in the year, plus a pool of **indirect costs** (administration, premises)
allocated to the services by a stated key:

- ``direct``: in proportion to each service's direct costs;
- ``households``: in proportion to the households each serves;
- ``share``: by each service's own stated share (fractions adding up to at most 1).

For each service: cost = direct + allocated indirect; **subsidy** = cost - collected (what
the municipality pays for it from other revenue; negative is a surplus); subsidy per
household = subsidy / households; per month = that / 12; **covering fee** = cost /
households / 12 (the monthly fee per household that would pay for the service if every
household paid it). A fee reform (:func:`simulate`) sets a new monthly fee, the payers
expected and the collection rate: revenue = fee x payers x 12 x collection rate, and the
subsidy left = cost - revenue.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DIRECT_KINDS = ("staff", "supplies", "fuel", "disposal", "other")
KEYS = ("direct", "households", "share")
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")  # cost recovery, a ratio to four places
MONTHS = 12
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    households: int
    staff: Decimal | None = None
    supplies: Decimal | None = None
    fuel: Decimal | None = None
    disposal: Decimal | None = None
    other: Decimal | None = None
    accrued: Decimal | None = None
    collected: Decimal | None = None
    share: Decimal | None = None  # its share of the indirect costs, for the ``share`` key

    @property
    def direct(self) -> Decimal:
        return sum((getattr(self, k) for k in DIRECT_KINDS if getattr(self, k) is not None), Decimal(0))


@dataclass(frozen=True)
class ServiceCost:
    service: Service
    direct: Decimal
    indirect: Decimal
    cost: Decimal
    subsidy: Decimal  # cost - collected
    subsidy_accrued: Decimal  # cost - accrued: what would remain if every fee billed were paid
    per_household: Decimal | None  # a year
    per_household_month: Decimal | None
    covering_fee: Decimal | None  # monthly, per household
    cost_recovery: Decimal | None  # collected / cost (a ratio, half-up to four places)


@dataclass(frozen=True)
class Study:
    services: tuple[ServiceCost, ...]
    indirect_total: Decimal
    key: str
    totals: dict = field(default_factory=dict)  # direct, indirect, cost, collected, accrued, subsidy


def check(services, indirect_total: Decimal, key: str) -> list[tuple[int | None, str, str]]:
    """Problems as ``(index or None, column, code)``: ``key`` (unknown key), ``negative``,
    ``households`` (not a positive whole number), ``shares`` (the shares add up to more
    than 1, or a service lacks its share under the ``share`` key), ``unused`` (a share
    given under another key), ``nothing`` (no direct cost), ``base`` (the key's base is
    zero while there are indirect costs to allocate)."""
    problems = []
    if key not in KEYS:
        return [(None, "key", "key")]
    if indirect_total < 0:
        problems.append((None, "indirect", "negative"))
    for index, s in enumerate(services):
        if not isinstance(s.households, int) or s.households <= 0:
            problems.append((index, "households", "households"))
        for column in (*DIRECT_KINDS, "accrued", "collected", "share"):
            value = getattr(s, column)
            if value is not None and value < 0:
                problems.append((index, column, "negative"))
        if key == "share" and s.share is None:
            problems.append((index, "share", "shares"))
        if key != "share" and s.share is not None:
            problems.append((index, "share", "unused"))
        if not any(getattr(s, k) is not None for k in DIRECT_KINDS):
            problems.append((index, "staff", "nothing"))
    if key == "share" and sum((s.share or 0 for s in services), Decimal(0)) > 1:
        problems.append((None, "share", "shares"))
    if not problems and indirect_total and not _bases(services, key):
        problems.append((None, "indirect", "base"))
    return problems


def _bases(services, key) -> list[Decimal]:
    if key == "direct":
        weights = [s.direct for s in services]
    elif key == "households":
        weights = [Decimal(s.households) for s in services]
    else:
        return [s.share or Decimal(0) for s in services]
    total = sum(weights, Decimal(0))
    return [w / total for w in weights] if total else []


def allocate(services, indirect_total: Decimal, key: str) -> list[Decimal]:
    """Each service's part of the indirect costs, rounded to the cent (exact fractions
    before rounding; a ``share`` key may leave part of the pool unallocated)."""
    if not indirect_total:
        return [ZERO for _ in services]
    return [cents(indirect_total * part) for part in _bases(services, key)]


def _per(value: Decimal, households: int, months: int = 1) -> Decimal | None:
    return cents(value / households / months) if households else None


def cost_of(service: Service, indirect: Decimal) -> ServiceCost:
    direct = cents(service.direct)
    cost = direct + indirect
    collected = service.collected or Decimal(0)
    accrued = service.accrued or Decimal(0)
    subsidy = cents(cost - collected)
    return ServiceCost(
        service, direct, indirect, cost, subsidy, cents(cost - accrued),
        _per(subsidy, service.households), _per(subsidy, service.households, MONTHS),
        _per(cost, service.households, MONTHS),
        (collected / cost).quantize(RATIO, rounding=ROUND_HALF_UP) if cost else None)


def study(services, indirect_total: Decimal = Decimal(0), key: str = "direct") -> Study:
    """Every service's cost, subsidy and covering fee, and the totals. Services must pass
    :func:`check`."""
    services = list(services)
    rows = tuple(cost_of(s, part) for s, part in zip(services, allocate(services, indirect_total, key)))

    def total(get):
        return sum((get(r) for r in rows), ZERO)
    totals = {"direct": total(lambda r: r.direct), "indirect": total(lambda r: r.indirect),
              "cost": total(lambda r: r.cost), "collected": total(lambda r: r.service.collected or ZERO),
              "accrued": total(lambda r: r.service.accrued or ZERO), "subsidy": total(lambda r: r.subsidy)}
    return Study(rows, indirect_total, key, totals)


@dataclass(frozen=True)
class Reform:
    """A fee reform of one service and what it would do."""
    cost: ServiceCost
    fee: Decimal  # monthly, per payer
    payers: int
    collection_rate: Decimal
    revenue: Decimal  # a year
    increase: Decimal  # revenue - collected now
    subsidy: Decimal  # cost - revenue
    covers: bool


def check_reform(fee: Decimal, payers: int, collection_rate: Decimal) -> list[tuple[str, str]]:
    """``(field, code)`` problems: ``negative`` fee, ``payers`` not a whole number >= 0,
    ``rate`` outside 0..1."""
    problems = []
    if fee < 0:
        problems.append(("fee", "negative"))
    if not isinstance(payers, int) or payers < 0:
        problems.append(("payers", "payers"))
    if not 0 <= collection_rate <= 1:
        problems.append(("collection_rate", "rate"))
    return problems


def simulate(cost: ServiceCost, fee: Decimal, payers: int, collection_rate: Decimal) -> Reform:
    """A new monthly ``fee`` paid by ``payers`` at ``collection_rate``: the yearly revenue
    (rounded to the cent), its increase over what is collected now, and the subsidy left."""
    revenue = cents(fee * payers * MONTHS * collection_rate)
    increase = cents(revenue - (cost.service.collected or Decimal(0)))
    subsidy = cents(cost.cost - revenue)
    return Reform(cost, fee, payers, collection_rate, revenue, increase, subsidy, subsidy <= 0)
