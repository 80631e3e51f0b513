"""Peer groups (pure).

Capacity groups follow the idea of Colombia's *Medición de Desempeño Municipal*:
municipalities are compared with others of similar initial capacity. Each capacity
input (population, own revenue per inhabitant, budget per inhabitant, urban share, and
poverty, inverted) is turned into a percentile rank among all municipalities that have
it (ties share the mean rank; money is ranked among municipalities of the same
currency); the **capacity index** is the mean of a municipality's
available ranks (0-1), and the groups are the index's quantiles: terciles from 9
municipalities, halves from 4, one group below that. Quantiles of a rank mean need no
tuning, no random start and no library, and a person can redo them by hand; k-means
would move group borders with every new municipality in ways no one can explain.

Alternative groupings: population bands (:data:`POPULATION_BANDS`), country, and
department (within its country: the group key is ``"CC/Department"``).
"""
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

CAPACITY, POPULATION, COUNTRY, DEPARTMENT = "capacidad", "poblacion", "pais", "departamento"
GROUPINGS = (CAPACITY, POPULATION, COUNTRY, DEPARTMENT)
# (key, lower bound inclusive, upper bound exclusive)
POPULATION_BANDS = (("0-5000", 0, 5_000), ("5000-20000", 5_000, 20_000),
                    ("20000-100000", 20_000, 100_000), ("100000+", 100_000, None))
INPUTS = ("population", "own_revenue_pc", "budget_pc", "urban_share", "poverty_rate")
INVERTED = {"poverty_rate"}  # more poverty, less capacity
MONEY = {"own_revenue_pc", "budget_pc"}


@dataclass(frozen=True)
class Inputs:
    population: Decimal | None = None
    own_revenue_pc: Decimal | None = None
    budget_pc: Decimal | None = None
    urban_share: Decimal | None = None
    poverty_rate: Decimal | None = None


def department_key(country: str, department: str) -> str | None:
    """The group key of a department: ``SV/La Unión`` (None without a department)."""
    return f"{country}/{department}" if department else None


def population_band(population) -> str | None:
    if population is None:
        return None
    for key, low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return key
    return None


def percentile_ranks(values: dict) -> dict:
    """{key: rank in 0-1} for the non-None values (ties share their mean rank; one value is 0.5)."""
    known = sorted((v, k) for k, v in values.items() if v is not None)
    n = len(known)
    if n == 0:
        return {}
    if n == 1:
        return {known[0][1]: Decimal("0.5")}
    out = {}
    i = 0
    while i < n:
        j = i
        while j + 1 < n and known[j + 1][0] == known[i][0]:
            j += 1
        rank = Decimal(i + j) / 2 / (n - 1)
        for index in range(i, j + 1):
            out[known[index][1]] = rank
        i = j + 1
    return out


def input_ranks(profiles: dict, currencies: dict | None = None) -> dict:
    """{key: {input: percentile rank 0-1}} from {key: :class:`Inputs`}. Money inputs are
    ranked among municipalities with the same currency (``currencies``: {key: code}), so
    no exchange rate is needed; poverty is inverted (1 = least poor)."""
    currencies = currencies or {}
    out = {key: {} for key in profiles}
    for name in INPUTS:
        pools: dict = {}
        for key, inputs in profiles.items():
            pool = currencies.get(key, "") if name in MONEY else ""
            pools.setdefault(pool, {})[key] = getattr(inputs, name)
        for pool in pools.values():
            for key, rank in percentile_ranks(pool).items():
                out[key][name] = 1 - rank if name in INVERTED else rank
    return out


def capacity_index(ranks: dict) -> dict:
    """{key: mean of the available input ranks (0-1), or None} from :func:`input_ranks`."""
    return {key: (sum(parts.values(), Decimal(0)) / len(parts) if parts else None) for key, parts in ranks.items()}


def group_count(n: int) -> int:
    return 3 if n >= 9 else 2 if n >= 4 else 1


def capacity_groups(index: dict) -> dict:
    """{key: group number, 1 = least capacity} by quantiles of the index (None without one)."""
    known = sorted((v, k) for k, v in index.items() if v is not None)
    groups = group_count(len(known))
    out = {k: None for k, v in index.items() if v is None}
    for position, (_, key) in enumerate(known):
        out[key] = position * groups // len(known) + 1
    return out


def rank_among(value, known: list) -> Decimal | None:
    """The percentile rank :func:`percentile_ranks` gives ``value`` among ``known`` (the
    sorted values of the pool, ``value`` among them): ties share their mean rank."""
    if value is None:
        return None
    n = len(known)
    if n == 1:
        return Decimal("0.5")
    first, last = bisect_left(known, value), bisect_right(known, value) - 1
    return Decimal(first + last) / 2 / (n - 1)


def group_among(entry: tuple, known: list) -> int | None:
    """The capacity group :func:`capacity_groups` gives ``entry`` (index, key) among
    ``known``, the sorted (index, key) of the pool with ``entry`` among them."""
    if entry[0] is None:
        return None
    return bisect_left(known, entry) * group_count(len(known)) // len(known) + 1


def group_key(grouping: str, population, country: str, department: str, capacity_group):
    """A municipality's group in ``grouping`` (None: it has none)."""
    if grouping == POPULATION:
        return population_band(population)
    if grouping == COUNTRY:
        return country
    if grouping == DEPARTMENT:
        return department_key(country, department)
    return capacity_group
