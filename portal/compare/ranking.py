"""Positions within peer groups and trends (pure).

A :class:`Row` is one municipality's value of one indicator. :func:`rank` gives each
ranked row its position "k of n" inside its group (1 = best in the indicator's better
direction; equal values share a position). Rows left out of rankings (unverified
self-assessments, unless asked for) keep no position. :func:`order` sorts rows for the
page: "most improved in its group" first by default.
"""
from dataclasses import dataclass, field, replace
from decimal import Decimal

from portal.compare.metrics import HIGHER, Metric, signed

IMPROVED, VALUE, DIFFERENCE, NAME = "mejora", "valor", "diferencia", "nombre"
ORDERS = (IMPROVED, VALUE, DIFFERENCE, NAME)


@dataclass(frozen=True)
class Row:
    key: object  # municipality id
    name: str
    group: object  # the group key (None: no group)
    value: Decimal | None
    previous: Decimal | None = None
    expected: Decimal | None = None
    ranked: bool = True
    position: int | None = None
    group_size: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def difference(self) -> Decimal | None:
        if self.value is None or self.expected is None:
            return None
        return self.value - self.expected


def rank(metric: Metric, rows: list[Row]) -> list[Row]:
    """Rows with ``position`` and ``group_size`` set for ranked rows with a value and a group."""
    groups: dict = {}
    for row in rows:
        if row.ranked and row.value is not None and row.group is not None:
            groups.setdefault(row.group, []).append(row)
    placed = {}
    for members in groups.values():
        first: dict = {}  # equal values share the position of the first of them
        for position, value in enumerate(sorted((r.value for r in members), reverse=metric.direction == HIGHER), 1):
            first.setdefault(value, position)
        for row in members:
            placed[id(row)] = (first[row.value], len(members))
    return [replace(row, position=placed[id(row)][0], group_size=placed[id(row)][1]) if id(row) in placed
            else replace(row, position=None, group_size=None) for row in rows]


def order(metric: Metric, rows: list[Row], by: str = IMPROVED) -> list[Row]:
    """Rows sorted for display; rows without the figure sorted by go last, by name."""
    def figure(row):
        if by == IMPROVED:
            return signed(metric, row.change)
        if by == VALUE:
            return signed(metric, row.value)
        if by == DIFFERENCE:
            return signed(metric, row.difference)
        return None
    if by == NAME:
        return sorted(rows, key=lambda r: r.name.lower())
    return sorted(rows, key=lambda r: (figure(r) is None, -(figure(r) or 0), r.name.lower()))


def group_sort_key(key, has_values: bool) -> tuple:
    """Where a group goes among the groups of a comparison: groups with values first,
    then by key (capacity groups by number), the municipalities without a group last."""
    return (key is None, not has_values, str(key) if not isinstance(key, int) else f"{key:04d}")


def page_order(metric: Metric, members: list[Row], by: str) -> list[Row]:
    """A group's rows as a page lists them: those with a value in the order ``by``, then
    those without one."""
    ordered = order(metric, members, by)
    return [r for r in ordered if r.value is not None] + [r for r in ordered if r.value is None]


@dataclass(frozen=True)
class Placed:
    """One row's place in an :func:`arrange`-d comparison."""
    group_number: int  # the group's place among the groups, from 1
    seq: dict  # {order: place on the whole comparison, from 0}
    position: int | None  # rank among verified values ("k of group_size")
    group_size: int | None
    position_all: int | None  # rank counting unverified values too
    group_size_all: int | None


@dataclass(frozen=True)
class Placement:
    """One group of an :func:`arrange`-d comparison."""
    number: int
    key: object
    size: int
    start: int  # its first row's place on the whole comparison (the same in every order)
    members: tuple  # the rows' keys


def _ranks(metric: Metric, rows: list[Row], counted) -> dict:
    """{row key: (position, group size)} as :func:`rank` gives them, for the rows
    ``counted`` says enter the ranking (without copying rows: a refresh ranks every
    municipality in every indicator and grouping)."""
    groups: dict = {}
    for row in rows:
        if row.value is not None and row.group is not None and counted(row):
            groups.setdefault(row.group, []).append(row)
    out = {}
    for members in groups.values():
        first: dict = {}
        for position, value in enumerate(sorted((r.value for r in members), reverse=metric.direction == HIGHER), 1):
            first.setdefault(value, position)
        for row in members:
            out[row.key] = (first[row.value], len(members))
    return out


def arrange(metric: Metric, rows: list[Row]) -> tuple[list[Placement], dict]:
    """Every arrangement of one comparison the pages can ask for, computed once: the
    groups in page order and, for each row (by key), its place on the whole comparison
    in every order of :data:`ORDERS` and its rank in its group with and without
    unverified values. ``rows`` come in the order ties keep (by name); ``ranked`` marks
    verified values. A page is then a range of places. The same places as
    :func:`rank` and :func:`page_order` give (tested), computed without copying rows."""
    verified = _ranks(metric, rows, lambda r: r.ranked)
    everyone = _ranks(metric, rows, lambda r: True)
    by_group: dict = {}
    for row in rows:
        by_group.setdefault(row.group, []).append(row)
    keys = sorted(by_group, key=lambda g: group_sort_key(g, any(r.value is not None for r in by_group[g])))
    names = {r.key: r.name.lower() for r in rows}
    figures = {IMPROVED: {r.key: signed(metric, r.change) for r in rows},
               VALUE: {r.key: signed(metric, r.value) for r in rows},
               DIFFERENCE: {r.key: signed(metric, r.difference) for r in rows}}
    groups, seqs, numbers, start = [], {r.key: {} for r in rows}, {}, 0
    for number, key in enumerate(keys, start=1):
        members = by_group[key]
        groups.append(Placement(number, key, len(members), start, tuple(r.key for r in members)))
        for by in ORDERS:
            if by == NAME:
                ordered = sorted(members, key=lambda r: names[r.key])
            else:
                figure = figures[by]
                ordered = sorted(members, key=lambda r: (figure[r.key] is None, -(figure[r.key] or 0), names[r.key]))
            offset = start
            for with_value in (True, False):
                for row in ordered:
                    if (row.value is not None) is with_value:
                        seqs[row.key][by] = offset
                        offset += 1
        for row in members:
            numbers[row.key] = number
        start += len(members)
    placed = {}
    for r in rows:
        position, size = verified.get(r.key, (None, None))
        position_all, size_all = everyone.get(r.key, (None, None))
        placed[r.key] = Placed(numbers[r.key], seqs[r.key], position, size, position_all, size_all)
    return groups, placed


def order_key(metric: Metric, by: str, value, previous, expected, name: str, tie: int) -> tuple:
    """Where one row goes in the order ``by`` of an :func:`arrange`-d group, as a key that
    sorts like :func:`arrange` places rows: rows with a value first; then by the order's
    figure (missing figures last), or by name; ``tie`` is the row's place in the order
    ties keep (by name then key, as :func:`arrange` receives its rows). Keys of
    different rows never compare equal."""
    lowered = name.lower()
    if by == NAME:
        return (value is None, lowered, tie)
    if by == IMPROVED:
        figure = signed(metric, None if value is None or previous is None else value - previous)
    elif by == VALUE:
        figure = signed(metric, value)
    else:
        figure = signed(metric, None if value is None or expected is None else value - expected)
    return (value is None, figure is None, -(figure or 0), lowered, tie)
