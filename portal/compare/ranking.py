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
