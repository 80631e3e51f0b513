"""After a publication, the municipalities concerned are put in their new places on the
stored pages of ``/comparar/``, without arranging every comparison again.

A whole refresh (nightly, after a national index is imported, or when a municipality
is added) computes everyone's capacity index, the peer groups and the regressions, and
arranges every comparison from scratch (:func:`portal.compare.services.arrange`). Between
two of them, a publication changes the figures of the municipality that published. This
module recomputes that municipality's values, places its capacity inputs among everyone
else's (its capacity index and group, its expected values from the published fits), and
moves its row in every comparison: in each order, the rows between its old and its new
place shift by one, and in its old and new groups the ranks behind it shift by one. It
reads a few rows on the pages' own indexes (a binary search over the stored places), so
its work grows with the logarithm of the number of municipalities, not with it.

What stays as the last whole refresh left it until the next one: the other
municipalities' capacity indices and groups (one municipality moves another's input rank
by at most one place among thousands) and the regressions. Where a move would change
the shape of a comparison (a group appears, empties, or gains or loses its only values)
that comparison is arranged again whole, from the stored values.

The result is tested against arranging every comparison again from the stored values:
the same places, ranks and groups.
"""
import json
from dataclasses import astuple, dataclass
from decimal import Decimal

from sqlalchemy import and_, delete, func, insert, select, update

from portal.compare import peers, ranking, regression
from portal.compare.metrics import signed
from portal.compare.models import CapacityProfile, ComparisonGroup, ComparisonPosition, ComparisonValue, Regression
from portal.extensions import db
from portal.municipalities.models import Municipality

P, V, M, G = ComparisonPosition, ComparisonValue, Municipality, ComparisonGroup
SEQ = {by: getattr(ComparisonPosition, f"seq_{by}") for by in ranking.ORDERS}


@dataclass(frozen=True)
class State:
    """One municipality's value of one indicator as a comparison orders it."""
    value: Decimal | None = None
    previous: Decimal | None = None
    expected: Decimal | None = None
    verified: bool = False

    @property
    def ranked(self) -> bool:
        return self.value is not None and self.verified


NOTHING = State()


@dataclass
class Group:
    number: int
    key: str | None
    size: int
    start: int


class Reshape(Exception):
    """The move would change a comparison's shape: arrange it again whole."""


class Pool:
    """Everyone's capacity inputs and stored capacity indices (two queries), to place a
    municipality's inputs among them; and the order in which ties are kept (by name)."""

    def __init__(self):
        rows = db.session.execute(select(M.id, M.population, M.currency, M.name, M.country, M.department,
                                         CapacityProfile.own_revenue_pc, CapacityProfile.budget_pc,
                                         CapacityProfile.urban_share, CapacityProfile.poverty_rate,
                                         CapacityProfile.capacity_index, CapacityProfile.capacity_group)
                                  .outerjoin(CapacityProfile, CapacityProfile.municipality_id == M.id)).all()
        self.rows = {row.id: dict(row._mapping) for row in rows}
        self.tie = {mid: place for place, mid in enumerate(db.session.execute(
            select(M.id).order_by(M.name, M.id)).scalars())}

    def inputs(self, mid) -> dict:
        row = self.rows[mid]
        return {"population": Decimal(row["population"]) if row["population"] else None,
                **{name: row[name] for name in peers.INPUTS if name != "population"}}

    def key(self, mid, grouping: str):
        row = self.rows[mid]
        return peers.group_key(grouping, row["population"], row["country"], row["department"],
                               row["capacity_group"])

    def update(self, mid, municipality, inputs: dict, index, group) -> None:
        """What a placed municipality now has (its name and place too: they may have changed)."""
        self.rows[mid].update({name: inputs[name] for name in peers.INPUTS if name != "population"},
                              population=municipality.population, name=municipality.name,
                              country=municipality.country, department=municipality.department,
                              capacity_index=index, capacity_group=group)

    def place(self, mid, own: dict) -> tuple[dict, Decimal | None, int | None]:
        """The input ranks, capacity index and group ``mid`` gets with inputs ``own``
        among everyone else's stored inputs and indices."""
        currency = self.rows[mid]["currency"]
        ranks = {}
        for name in peers.INPUTS:
            if own[name] is None:
                continue
            others = (row for other, row in self.rows.items()
                      if other != mid and (name not in peers.MONEY or row["currency"] == currency))
            if name == "population":
                values = [Decimal(row[name]) for row in others if row[name]]
            else:
                values = [row[name] for row in others if row[name] is not None]
            known = sorted([own[name], *values])
            rank = peers.rank_among(own[name], known)
            ranks[name] = 1 - rank if name in peers.INVERTED else rank
        index = sum(ranks.values(), Decimal(0)) / len(ranks) if ranks else None
        stored_index = None if index is None else index.quantize(Decimal("1e-6"))
        known = sorted([(stored_index, mid)] + [(row["capacity_index"], other) for other, row in self.rows.items()
                                                if other != mid and row["capacity_index"] is not None])
        return ranks, index, peers.group_among((stored_index, mid), known) if index is not None else None


def fits() -> dict:
    """{metric: regression.Fit or None} as the last whole refresh published them."""
    out = {}
    for row in db.session.execute(select(Regression)).scalars():
        terms = tuple((name, Decimal(c)) for name, c in json.loads(row.terms or "[]"))
        out[row.metric] = regression.Fit(terms, row.n, row.r2) if terms else None
    return out


class Comparison:
    """One stored comparison (an indicator in a grouping): its groups, and the reads and
    writes a move needs."""

    def __init__(self, metric, grouping: str, groups: list[Group], tie: dict):
        self.metric, self.grouping, self.tie = metric, grouping, tie
        self.groups = sorted(groups, key=lambda g: g.number)
        self.where = (P.metric == metric.key, P.grouping == grouping)

    def group_of(self, key) -> Group | None:
        text = None if key is None else str(key)
        return next((g for g in self.groups if g.key == text), None)

    def row_at(self, by: str, seq: int):
        return db.session.execute(
            select(P.municipality_id, M.name, V.value, V.previous_value, V.expected)
            .join(M, M.id == P.municipality_id)
            .outerjoin(V, and_(V.municipality_id == P.municipality_id, V.metric == self.metric.key))
            .where(*self.where, SEQ[by] == seq)).one()

    def key_at(self, by: str, seq: int) -> tuple:
        row = self.row_at(by, seq)
        return ranking.order_key(self.metric, by, row.value, row.previous_value, row.expected, row.name,
                                 self.tie[row.municipality_id])

    def first_where(self, by: str, low: int, count: int, skip: list, test) -> int:
        """The first of ``count`` rows from place ``low`` in order ``by`` (places counted as
        if the rows stored at ``skip``, sorted, were not there) for which ``test(key)``
        holds; ``test`` must be false then true along the order. ``count`` when none."""
        lo, hi = 0, count
        while lo < hi:
            mid = (lo + hi) // 2
            if test(self.key_at(by, _stored(low + mid, skip))):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def count_ranked(self, group: Group, mid, column, low: int | None = None, high: int | None = None) -> int:
        """How many rows of ``group`` other than ``mid`` have a rank in ``column``, among the
        stored places [low, high] of the value order when given."""
        condition = [*self.where, P.group_number == group.number, P.municipality_id != mid, column.is_not(None)]
        if low is not None:
            condition += [P.seq_valor >= low, P.seq_valor <= high]
        return db.session.execute(select(func.count()).select_from(P).where(*condition)).scalar_one()


def _stored(place: int, skip: list) -> int:
    """A place counted without the rows stored at ``skip`` (sorted), as stored."""
    for seq in skip:
        if seq <= place:
            place += 1
    return place


def _run(statement) -> None:
    """A bulk statement on the stored arrangement (no object of it is loaded to keep in step)."""
    db.session.execute(statement, execution_options={"synchronize_session": False})


def move(comparison: Comparison, mid, old_state: State, new_state: State, new_key, name: str,
         pending: dict | None = None, renamed: bool = True) -> None:
    """Move municipality ``mid`` in one stored comparison from where the arrangement has
    it to where ``new_state`` in group ``new_key`` puts it. The other rows' values are as
    stored; ``mid``'s value is already written (or about to be). ``pending``: {order:
    stored places} of other rows still to be moved (their names may have changed, so
    they are left out when finding the new place; their values are still the stored
    ones). ``renamed``: whether its name may have changed (else the orders whose figure
    did not change keep its place). Raises :class:`Reshape` where the comparison's shape
    would change."""
    metric, where = comparison.metric, comparison.where
    spot = db.session.execute(select(P).where(*where, P.municipality_id == mid)).scalar_one_or_none()
    if spot is None:
        raise Reshape("not arranged")
    old_group = next((g for g in comparison.groups if g.number == spot.group_number), None)
    new_group = comparison.group_of(new_key)
    if old_group is None or new_group is None:
        raise Reshape("a new group")
    same = old_group is new_group
    if not same and old_group.size == 1:
        raise Reshape("a group empties")
    old_seq = {by: getattr(spot, f"seq_{by}") for by in ranking.ORDERS}
    tie = comparison.tie[mid]
    old_valor = old_seq[ranking.VALUE]
    alone = [old_valor]  # in the value order, only the moving row is left out

    def span(group: Group, skip: list) -> tuple[int, int]:
        """The group's first place and its number of rows, counted without ``skip``."""
        before = sum(1 for seq in skip if seq < group.start)
        inside = sum(1 for seq in skip if group.start <= seq < group.start + group.size)
        return group.start - before, group.size - inside

    def valued_besides(group: Group) -> bool:
        """Whether a row of ``group`` other than ``mid`` has a value (values come first)."""
        low, count = span(group, alone)
        return count > 0 and comparison.row_at(ranking.VALUE, _stored(low, alone)).value is not None

    if not same or (old_state.value is None) != (new_state.value is None):
        for group in {id(old_group): old_group, id(new_group): new_group}.values():
            if group.key is None:
                continue
            others = valued_besides(group)
            before = others or (group is old_group and old_state.value is not None)
            after = others or (group is new_group and new_state.value is not None)
            if before != after:  # the groups' order depends on which have values
                raise Reshape("a group gains or loses its values")

    # Ranks (they depend on values only).
    counted = new_group.key is not None and new_state.value is not None
    position = position_all = None
    sizes = {}
    if same and old_state.value == new_state.value and old_state.ranked == new_state.ranked:
        position, position_all = spot.position, spot.position_all  # unchanged
        sizes = {"group_size": spot.group_size, "group_size_all": spot.group_size_all}
    else:
        low, count = span(new_group, alone)

        def first_below(threshold, strictly: bool) -> int:
            """Rows of the new group (without the moving one) with a value better than
            ``threshold`` (or as good, unless ``strictly``) come first: how many."""
            if strictly:
                return comparison.first_where(ranking.VALUE, low, count, alone,
                                              lambda key: key[0] or -key[2] <= threshold)
            return comparison.first_where(ranking.VALUE, low, count, alone, lambda key: key[0] or -key[2] < threshold)

        def shift(column, begin: int, end: int, by: int, group: Group) -> None:
            """Add ``by`` to ``column`` on the ranked rows at places [begin, end) counted without the moving row."""
            if begin >= end:
                return
            _run(update(P).where(*where, P.group_number == group.number, P.municipality_id != mid,
                                 column.is_not(None), P.seq_valor >= _stored(begin, alone),
                                 P.seq_valor <= _stored(end - 1, alone)).values({column: column + by}))

        mine = signed(metric, new_state.value) if counted else None
        ours = signed(metric, old_state.value) if old_state.value is not None else None
        behind_new = first_below(mine, False) if counted else None
        if counted:
            better = first_below(mine, True)
            position_all = better + 1
            if new_state.ranked:
                position = 1 + (comparison.count_ranked(new_group, mid, P.position, _stored(low, alone),
                                                        _stored(low + better - 1, alone)) if better else 0)
        for column, was_place, now in ((P.position, spot.position, position is not None),
                                       (P.position_all, spot.position_all, position_all is not None)):
            was = was_place is not None
            if same and was and now:  # only the rows between the old and the new value move
                behind_old = first_below(ours, False)
                if mine < ours:
                    shift(column, low + behind_old, low + behind_new, -1, new_group)
                elif mine > ours:
                    shift(column, low + behind_new, low + behind_old, 1, new_group)
                continue
            if was:
                _run(update(P).where(*where, P.group_number == old_group.number, P.municipality_id != mid,
                                     column > was_place).values({column: column - 1}))
            if now:
                shift(column, low + behind_new, low + count, 1, new_group)
        for group in {id(old_group): old_group, id(new_group): new_group}.values():
            if group.key is None:
                continue
            for column, size_column, mine_rank in ((P.position, "group_size", position),
                                                   (P.position_all, "group_size_all", position_all)):
                was = group is old_group and getattr(spot, column.key) is not None
                now = group is new_group and mine_rank is not None
                if was == now and not now:
                    continue
                if was == now:
                    sizes[size_column] = getattr(spot, size_column)
                    continue
                total = comparison.count_ranked(group, mid, column) + now
                _run(update(P).where(*where, P.group_number == group.number, P.municipality_id != mid,
                                     column.is_not(None)).values({size_column: total}))
                if now:
                    sizes[size_column] = total

    # Places: in every order, the rows between the old and the new place shift by one.
    new_seq = {}
    for by in ranking.ORDERS:
        old = old_seq[by]
        if same and not renamed and ranking.order_key(metric, by, *astuple(old_state)[:3], name, tie) == \
                ranking.order_key(metric, by, *astuple(new_state)[:3], name, tie):
            new_seq[by] = old  # its figure in this order did not change
            continue
        skip = sorted({old, *(pending or {}).get(by, ())})
        low, count = span(new_group, skip)
        mine = ranking.order_key(metric, by, new_state.value, new_state.previous, new_state.expected, name, tie)
        found = comparison.first_where(by, low, count, skip, lambda key: key > mine)
        if found < count:  # just before the first row that goes after it
            target = _stored(low + found, skip)
        elif count:  # just after the group's last row
            target = _stored(low + count - 1, skip) + 1
        else:  # a group of rows still to be moved: at its start
            target = new_group.start
        place = target if target <= old else target - 1  # counted without the moving row
        column = SEQ[by]
        if place < old:
            _run(update(P).where(*where, column >= place, column < old).values({column: column + 1}))
        elif place > old:
            _run(update(P).where(*where, column > old, column <= place).values({column: column - 1}))
        new_seq[by] = place
        if pending and by in pending:  # the rows still to be moved shifted too
            pending[by] = [seq + 1 if place <= seq < old else seq - 1 if old < seq <= place else seq
                           for seq in pending[by]]
    _run(update(P).where(P.id == spot.id).values(
        group_number=new_group.number, position=position, group_size=sizes.get("group_size"),
        position_all=position_all, group_size_all=sizes.get("group_size_all"),
        **{f"seq_{by}": place for by, place in new_seq.items()}))
    if not same:
        old_group.size -= 1
        new_group.size += 1
        if old_group.number < new_group.number:
            moved = [g for g in comparison.groups if old_group.number < g.number <= new_group.number]
            shift = -1
        else:
            moved = [g for g in comparison.groups if new_group.number < g.number <= old_group.number]
            shift = 1
        for group in moved:
            group.start += shift
        for group in (old_group, new_group, *moved):
            _run(update(G).where(G.metric == metric.key, G.grouping == comparison.grouping,
                                 G.number == group.number).values(size=group.size, start=group.start))
