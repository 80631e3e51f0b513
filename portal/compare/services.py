"""Comparison use cases: refresh the precomputed table, read a comparison with a
constant number of queries, profiles, and the CSV rows.

Why a precomputed table: each indicator comes from another domain's services, which
read a municipality at a time (budgets, assessments, surveys...). Reading them live
would cost queries per municipality on every page. :func:`refresh` walks every
municipality once (``flask compare refresh`` from cron, after the demo, or a platform
admin's button) and stores the values, the capacity inputs, the peer groups and the
regressions; pages then read three or four queries whatever the number of
municipalities, and say when the table was computed.
"""
import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Numeric, and_, case, cast, delete, false, func, insert, select, update
from sqlalchemy.orm import aliased

from portal.core.clock import utcnow
from portal.audit import services as audit
from portal.compare import collect, metrics, peers, placing, ranking, regression
from portal.compare.models import (CapacityProfile, ComparisonGroup, ComparisonPosition, ComparisonValue,
                                   ExternalValue, Regression)
from portal.core import registry
from portal.extensions import db
from portal.municipalities.models import Municipality

INDEX = "capacity_index"
VALUE_PLACES, INDEX_PLACES, MONEY_PLACES = Decimal("1e-8"), Decimal("1e-6"), Decimal("1e-4")


def _q(value, places):
    """Stored figures are rounded to their column's scale, the same on every database."""
    return None if value is None else Decimal(value).quantize(places)


# ------------------------------------------------------------------ profiles

def profile_of(municipality, create: bool = False) -> CapacityProfile | None:
    profile = db.session.execute(select(CapacityProfile).where(
        CapacityProfile.municipality_id == municipality.id)).scalar_one_or_none()
    if profile is None and create:
        profile = CapacityProfile(municipality_id=municipality.id)
        db.session.add(profile)
    return profile


def declare_inputs(municipality, *, urban_share=None, poverty_rate=None, own_revenue_pc=None, budget_pc=None,
                   source: str = "") -> CapacityProfile:
    """Set the declared capacity inputs (shares 0-1; money per inhabitant)."""
    for name, value in (("urban_share", urban_share), ("poverty_rate", poverty_rate)):
        if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(1):
            raise ValueError(f"{name} must be between 0 and 1")
    profile = profile_of(municipality, create=True)
    profile.urban_share, profile.poverty_rate = urban_share, poverty_rate
    profile.declared_own_revenue_pc, profile.declared_budget_pc = own_revenue_pc, budget_pc
    profile.source = source
    db.session.flush()
    return profile


def urban_shares(municipality_ids) -> dict:
    """{municipality id: declared urban share} for those that declared one (one query)."""
    if not municipality_ids:
        return {}
    return dict(db.session.execute(select(CapacityProfile.municipality_id, CapacityProfile.urban_share).where(
        CapacityProfile.municipality_id.in_(list(municipality_ids)),
        CapacityProfile.urban_share.is_not(None))).all())


def set_urban_shares(shares: dict, source: str = "") -> None:
    """Declare the urban share (0-1) of many municipalities at once ({id: share}), keeping
    their other declared inputs: a country's import feeds the peer groups this way."""
    for value in shares.values():
        if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(1):
            raise ValueError("urban_share must be between 0 and 1")
    profiles = {p.municipality_id: p for p in db.session.execute(select(CapacityProfile).where(
        CapacityProfile.municipality_id.in_(list(shares)))).scalars()}
    for municipality_id, value in shares.items():
        profile = profiles.get(municipality_id)
        if profile is None:
            profile = CapacityProfile(municipality_id=municipality_id)
            db.session.add(profile)
        profile.urban_share = _q(value, INDEX_PLACES)
        if source and not profile.source:
            profile.source = source
    db.session.flush()


def share(percent):
    """A percentage typed in a form as a 0-1 share (None stays None)."""
    return None if percent is None else Decimal(percent) / 100


def declared(profile) -> dict:
    """The declared inputs as a form shows them (shares as percentages)."""
    def percent(value):
        return None if value is None else value * 100
    return {"urban_share": percent(profile.urban_share), "poverty_rate": percent(profile.poverty_rate),
            "own_revenue_pc": profile.declared_own_revenue_pc, "budget_pc": profile.declared_budget_pc,
            "source": profile.source}


def _inputs(municipality, profile) -> peers.Inputs:
    if profile is None:
        return peers.Inputs(population=Decimal(municipality.population) if municipality.population else None)
    return peers.Inputs(
        population=Decimal(municipality.population) if municipality.population else None,
        own_revenue_pc=profile.own_revenue_pc, budget_pc=profile.budget_pc,
        urban_share=profile.urban_share, poverty_rate=profile.poverty_rate)


# ------------------------------------------------------------------ national indices

def external_metrics() -> list[metrics.Metric]:
    """The imported national indices, each as an indicator (one query)."""
    rows = db.session.execute(
        select(ExternalValue.source, ExternalValue.indicator, func.min(ExternalValue.scale_min),
               func.max(ExternalValue.scale_max))
        .group_by(ExternalValue.source, ExternalValue.indicator)
        .order_by(ExternalValue.source, ExternalValue.indicator)).all()
    return [metrics.external_metric(source, indicator, low, high) for source, indicator, low, high in rows]


def all_metrics() -> list[metrics.Metric]:
    """The portal's indicators, then the national indices (one query)."""
    return [*metrics.builtin(), *external_metrics()]


def metric_for(key: str) -> metrics.Metric | None:
    """One indicator by key: the portal's own, or a national index (one query for those)."""
    if not (key or "").startswith(metrics.EXTERNAL_PREFIX):
        return metrics.get(key)
    return next((m for m in external_metrics() if m.key == key), None)


def _index_values(now) -> dict:
    """{(municipality id, index key): the columns of its value} of every national index's latest
    edition (one query): a municipality missing the latest edition has no value, one
    missing the edition before has no trend; neither becomes a zero."""
    by_index: dict = {}
    for row in db.session.execute(select(ExternalValue)).scalars():
        by_index.setdefault((row.source, row.indicator), []).append(row)
    out = {}
    for (source, indicator), rows in by_index.items():
        key = metrics.external_key(source, indicator)
        latest, previous = metrics.latest_editions(r.period for r in rows)
        editions: dict = {}
        for row in rows:
            editions.setdefault(row.municipality_id, {})[row.period] = row
        for municipality_id, own in editions.items():
            current, before = own.get(latest), own.get(previous)
            if current is None:
                continue
            out[(municipality_id, key)] = dict(
                municipality_id=municipality_id, metric=key, period=latest, value=_q(current.value, VALUE_PLACES),
                previous_period=previous or "", previous_value=_q(before.value, VALUE_PLACES) if before else None,
                data_date=current.published_on, verified=True, detail=current.band[:300],
                url=current.source_url[:500], computed_at=now, expected=None)
    return out


def index_history(municipality) -> list[tuple]:
    """[(index metric, [(edition, ExternalValue or None), ...]), ...]: every edition of each
    index the municipality appears in, its missing editions as None (two queries)."""
    own = external_values(municipality)
    if not own:
        return []
    periods: dict = {}
    for source, indicator, period in db.session.execute(
            select(ExternalValue.source, ExternalValue.indicator, ExternalValue.period).distinct()
            .where(ExternalValue.source.in_({x.source for x in own}))):
        periods.setdefault((source, indicator), set()).add(period)
    by_index: dict = {}
    for row in own:
        by_index.setdefault((row.source, row.indicator), {})[row.period] = row
    out = []
    for (source, indicator), values in sorted(by_index.items()):
        first = next(iter(values.values()))
        metric = metrics.external_metric(source, indicator, first.scale_min, first.scale_max)
        editions = sorted(periods.get((source, indicator), set(values)), key=metrics.edition_order, reverse=True)
        out.append((metric, [(period, values.get(period)) for period in editions]))
    return out


# ------------------------------------------------------------------ refresh

def last_refresh():
    """When the comparison was last computed (None: never): every refresh writes the
    regressions again, stamped with its start."""
    return db.session.execute(select(func.max(Regression.computed_at))).scalar()


def changed_since(moment) -> set[int]:
    """Municipalities with a change to data that feeds the comparison recorded after ``moment``."""
    return audit.changed_municipalities(moment, registry.compared_sections())


MARGIN = timedelta(minutes=5)  # a change may be committed a while after it was recorded


def refresh(today: date | None = None, only_changed: bool = False, margin: timedelta = MARGIN,
            regroup: bool = False) -> dict:
    """Recompute the comparison: every municipality's values, or with ``only_changed`` only
    those of municipalities with published changes since the last refresh (and those never
    computed); then, from every stored value, the peer groups, the regressions, the
    expected values and the pages' arrangement (:func:`arrange`).
    Changes recorded up to ``margin`` before the last refresh began are taken again (a
    request may commit a while after it recorded its change): recomputing a municipality
    twice costs little, missing one would leave it stale until the next whole refresh.
    Values depend on the date too (freshness windows): run it whole once a day.

    With ``only_changed`` and an arrangement already stored, the municipalities concerned
    are placed among the others (:func:`_place_concerned`, :mod:`portal.compare.placing`):
    their values, their capacity inputs placed among everyone else's, their expected
    values from the published fits and their rows moved on every stored page, in work
    that grows with the logarithm of the number of municipalities. Everyone's capacity
    index, the peer groups and the regressions are computed again by a whole refresh
    (nightly), or with ``regroup`` (a national index imported), or when a municipality
    was added: then what it writes is still proportional to what changed (values
    inserted in bulk, and of the others only the expected values, profiles and positions
    that moved updated in bulk). The refresh is stamped once, on the regressions
    (:func:`last_refresh`), not on every stored value."""
    today = today or date.today()
    now = utcnow()
    since = last_refresh() if only_changed else None  # the last refresh's start
    if since is not None and not regroup:
        placed = _place_concerned(changed_since(since - margin), since - margin, today, now)
        if placed is not None:
            return placed
    municipalities = list(db.session.execute(select(Municipality).order_by(Municipality.id)).scalars())
    profiles = {p.municipality_id: p for p in db.session.execute(select(CapacityProfile)).scalars()}
    if since is None:
        recompute = {m.id for m in municipalities}
        db.session.execute(delete(ComparisonValue))
        stored = {}
    else:
        recompute = changed_since(since - margin) | {m.id for m in municipalities if m.id not in profiles
                                                     or profiles[m.id].refreshed_at is None}
        db.session.execute(delete(ComparisonValue).where(ComparisonValue.municipality_id.in_(sorted(recompute))))
        db.session.execute(delete(ComparisonValue).where(ComparisonValue.metric.startswith(metrics.EXTERNAL_PREFIX)))
        stored = {(row.municipality_id, row.metric): _Stored(**row._mapping) for row in db.session.execute(
            select(ComparisonValue.id, ComparisonValue.municipality_id, ComparisonValue.metric, ComparisonValue.value,
                   ComparisonValue.previous_value, ComparisonValue.verified, ComparisonValue.expected))}
    fresh = {}  # (municipality id, metric): the columns of a value to insert
    for municipality in municipalities:
        if municipality.id not in recompute:
            continue
        values, capacity = collect.everything(municipality, today)
        profile = profiles.get(municipality.id)
        if profile is None:
            profile = profiles[municipality.id] = CapacityProfile(municipality_id=municipality.id)
            db.session.add(profile)
        _capacity_inputs(municipality, profile, capacity, now)
        for key, item in values.items():
            fresh[(municipality.id, key)] = _value_columns(municipality.id, key, item, now)
    fresh.update(_index_values(now))  # national indices: cheap, always rebuilt whole
    for key, columns in fresh.items():
        stored[key] = _Stored(None, columns["municipality_id"], columns["metric"], columns["value"],
                              columns["previous_value"], columns["verified"], None)
    inputs = {m.id: _inputs(m, profiles[m.id]) for m in municipalities}
    ranks = peers.input_ranks(inputs, {m.id: m.currency for m in municipalities})
    index = peers.capacity_index(ranks)
    groups = peers.capacity_groups(index)
    for m in municipalities:  # the ORM writes only the profiles whose figures moved
        profiles[m.id].capacity_index = _q(index[m.id], INDEX_PLACES)
        profiles[m.id].capacity_group = groups[m.id]
    # The regression reads the inputs' ranks (0-1): one scale for every input and currency.
    observations = {k: {**ranks[k], INDEX: index[k]} for k in ranks}
    db.session.execute(delete(Regression))
    fits = 0
    by_metric: dict = {}
    for item in stored.values():
        by_metric.setdefault(item.metric, []).append(item)
    moved = []  # [{id, expected}] of stored values whose expected value changed
    every_metric = all_metrics()
    for metric in every_metric:
        items = by_metric.get(metric.key, [])
        ys = {item.municipality_id: item.value for item in items if item.verified}
        fit = regression.best_fit(observations, ys, peers.INPUTS, INDEX)
        if fit is None:
            db.session.add(Regression(metric=metric.key, n=len(ys), terms="[]", computed_at=now,
                                      note="too few observations"))
            continue
        fits += 1
        db.session.add(Regression(metric=metric.key, n=fit.n, r2=_q(fit.r2, INDEX_PLACES), computed_at=now,
                                  terms=json.dumps([[name, format(c, "f")] for name, c in fit.terms])))
        for item in items:
            expected = _q(fit.predict(observations[item.municipality_id]), VALUE_PLACES)
            if item.id is None:
                fresh[(item.municipality_id, item.metric)]["expected"] = expected
            elif expected != item.expected:
                moved.append({"id": item.id, "expected": expected})
            item.expected = expected
    if fresh:
        db.session.execute(insert(ComparisonValue), list(fresh.values()))
    if moved:
        db.session.execute(update(ComparisonValue), moved)
    db.session.flush()
    arrange(every_metric, municipalities, profiles, stored, now, whole=since is None)
    db.session.expire_all()  # the bulk statements bypassed any value already loaded
    return {"municipalities": len(municipalities), "values": len(stored), "regressions": fits,
            "recomputed": len(recompute)}


def _capacity_inputs(municipality, profile, capacity, now) -> None:
    """The profile's per-inhabitant inputs from the municipality's published finances
    (or what it declared), stamped ``now``."""
    population = Decimal(municipality.population) if municipality.population else None
    own = capacity.own_revenue / population if capacity.own_revenue is not None and population else None
    budget = capacity.budget / population if capacity.budget is not None and population else None
    profile.own_revenue_pc = _q(own if own is not None else profile.declared_own_revenue_pc, MONEY_PLACES)
    profile.budget_pc = _q(budget if budget is not None else profile.declared_budget_pc, MONEY_PLACES)
    profile.finance_year = capacity.year if (own is not None or budget is not None) else None
    profile.refreshed_at = now


def _value_columns(municipality_id, key, item, now) -> dict:
    return dict(municipality_id=municipality_id, metric=key, period=item.period, value=_q(item.value, VALUE_PLACES),
                previous_period=item.previous_period, previous_value=_q(item.previous_value, VALUE_PLACES),
                data_date=item.data_date, verified=item.verified, detail=item.detail[:300], url=item.url[:500],
                computed_at=now, expected=None)


PLACE_AT_MOST = 100  # more municipalities concerned than this: arranging everything again is quicker


def _place_concerned(concerned: set, moment, today: date, now) -> dict | None:
    """The refresh after publications (:mod:`portal.compare.placing`): the municipalities
    concerned get their values again, their inputs placed among everyone else's, their
    expected values from the published fits, and their rows moved on every stored page.
    None where it cannot be done so (nothing arranged yet, a municipality added or new
    to the comparison, a national index's indicator not arranged, too many concerned):
    then everything is arranged again."""
    if len(concerned) > PLACE_AT_MOST:
        return None
    counted = db.session.execute(select(func.count(Municipality.id))).scalar_one()
    every_metric = all_metrics()
    groups: dict = {}
    for row in db.session.execute(select(ComparisonGroup.metric, ComparisonGroup.grouping, ComparisonGroup.number,
                                         ComparisonGroup.key, ComparisonGroup.size, ComparisonGroup.start,
                                         ComparisonGroup.municipalities)):
        if row.municipalities != counted:
            return None
        groups.setdefault((row.metric, row.grouping), []).append(
            placing.Group(row.number, row.key, row.size, row.start))
    if any((metric.key, grouping) not in groups for metric in every_metric for grouping in peers.GROUPINGS):
        return None
    profiles = {p.municipality_id: p for p in db.session.execute(
        select(CapacityProfile).where(CapacityProfile.municipality_id.in_(sorted(concerned)))).scalars()}
    if any(mid not in profiles or profiles[mid].refreshed_at is None for mid in concerned):
        return None
    pool = placing.Pool()
    fits = placing.fits()
    renamed = audit.changed_field(moment, "Municipality", "name") & concerned
    comparisons = {(metric.key, grouping): placing.Comparison(metric, grouping, groups[(metric.key, grouping)],
                                                              pool.tie)
                   for metric in every_metric for grouping in peers.GROUPINGS}
    waiting = sorted(concerned)
    reshaped = set()
    for mid in list(waiting):
        waiting.remove(mid)
        municipality, profile = db.session.get(Municipality, mid), profiles[mid]
        values, capacity = collect.everything(municipality, today)
        _capacity_inputs(municipality, profile, capacity, now)
        own = vars(_inputs(municipality, profile))
        ranks, index, group = pool.place(mid, own)
        profile.capacity_index, profile.capacity_group = _q(index, INDEX_PLACES), group
        pool.update(mid, municipality, own, profile.capacity_index, group)
        observations = {**ranks, INDEX: index}
        stored = {row.metric: row for row in db.session.execute(
            select(ComparisonValue).where(ComparisonValue.municipality_id == mid)).scalars()}
        old = {key: placing.State(row.value, row.previous_value, row.expected, row.verified)
               for key, row in stored.items()}
        fresh = {key: _value_columns(mid, key, item, now) for key, item in values.items()}
        new = {}
        for metric in every_metric:
            fit = fits.get(metric.key)
            expected = _q(fit.predict(observations), VALUE_PLACES) if fit is not None else None
            if metric.external:
                row = stored.get(metric.key)
                if row is not None:
                    row.expected = expected
                    new[metric.key] = placing.State(row.value, row.previous_value, expected, row.verified)
            elif metric.key in fresh:
                fresh[metric.key]["expected"] = expected
                columns = fresh[metric.key]
                new[metric.key] = placing.State(columns["value"], columns["previous_value"], expected,
                                                columns["verified"])
        db.session.execute(delete(ComparisonValue).where(
            ComparisonValue.municipality_id == mid, ~ComparisonValue.metric.startswith(metrics.EXTERNAL_PREFIX)))
        if fresh:
            db.session.execute(insert(ComparisonValue), list(fresh.values()))
        db.session.flush()
        _move_everywhere(comparisons, reshaped, municipality, group, old, new, waiting, renamed)
    for key, grouping in sorted(reshaped):
        _arrange_one(comparisons[(key, grouping)], pool, now)
    _update_ranges(pool)
    db.session.execute(update(ComparisonGroup).values(computed_at=now))
    db.session.execute(update(Regression).values(computed_at=now))
    db.session.flush()
    db.session.expire_all()
    return {"municipalities": counted, "values": db.session.execute(select(func.count(ComparisonValue.id)))
            .scalar_one(), "regressions": sum(1 for fit in fits.values() if fit is not None),
            "recomputed": len(concerned), "placed": True, "arranged_again": len(reshaped)}


def _move_everywhere(comparisons: dict, reshaped: set, municipality, group, old: dict, new: dict,
                     waiting: list, renamed: set) -> None:
    """Move one municipality, whose values are written, in every stored comparison
    (:func:`portal.compare.placing.move`): ``old`` and ``new`` are its states by
    indicator, ``group`` its capacity group, ``waiting`` the municipalities still to be
    moved, ``renamed`` those whose name changed (their stored places may be out of name
    order until they move: they are left out of the searches). A comparison whose shape
    would change is added to ``reshaped`` instead."""
    unnamed = [mid for mid in waiting if mid in renamed]
    for (key, grouping), comparison in comparisons.items():
        if (key, grouping) in reshaped:
            continue
        pending = {}
        if unnamed:
            for row in db.session.execute(select(*placing.SEQ.values()).where(
                    *comparison.where, ComparisonPosition.municipality_id.in_(unnamed))):
                for by, seq in zip(placing.SEQ, row):
                    pending.setdefault(by, []).append(seq)
        new_key = peers.group_key(grouping, municipality.population, municipality.country, municipality.department,
                                  group)
        try:
            placing.move(comparison, municipality.id, old.get(key, placing.NOTHING), new.get(key, placing.NOTHING),
                         new_key, municipality.name, pending, renamed=municipality.id in renamed)
        except placing.Reshape:
            reshaped.add((key, grouping))


def _pool_ranges(pool, grouping: str) -> dict:
    """{stored group key: JSON of its members' input ranges} in ``grouping``, as :func:`_ranges` writes them."""
    members: dict = {}
    for mid in pool.rows:
        key = pool.key(mid, grouping)
        members.setdefault(None if key is None else str(key), []).append(pool.inputs(mid))
    return _range_texts(members)


def _update_ranges(pool) -> None:
    """Every group's input ranges where the municipalities placed moved them."""
    stored: dict = {}
    for row in db.session.execute(select(ComparisonGroup.grouping, ComparisonGroup.key,
                                         ComparisonGroup.ranges).distinct()):
        stored.setdefault((row.grouping, row.key), set()).add(row.ranges)
    for grouping in peers.GROUPINGS:
        for key, ranges in _pool_ranges(pool, grouping).items():
            if stored.get((grouping, key), {ranges}) != {ranges}:
                db.session.execute(update(ComparisonGroup).where(
                    ComparisonGroup.grouping == grouping,
                    ComparisonGroup.key.is_(None) if key is None else ComparisonGroup.key == key)
                    .values(ranges=ranges))


def _arrange_one(comparison, pool, now) -> None:
    """Arrange one comparison again whole, from the stored values (:func:`arrange` for one
    indicator and grouping)."""
    metric, grouping = comparison.metric, comparison.grouping
    values = {row.municipality_id: row for row in db.session.execute(
        select(ComparisonValue.municipality_id, ComparisonValue.value, ComparisonValue.previous_value,
               ComparisonValue.expected, ComparisonValue.verified).where(ComparisonValue.metric == metric.key))}
    rows = []
    for mid in sorted(pool.tie, key=pool.tie.get):
        value = values.get(mid)
        rows.append(ranking.Row(mid, pool.rows[mid]["name"], pool.key(mid, grouping),
                                value.value if value else None, value.previous_value if value else None,
                                value.expected if value else None,
                                ranked=value is not None and value.value is not None and value.verified))
    placements, placed = ranking.arrange(metric, rows)
    ranges = _pool_ranges(pool, grouping)
    db.session.execute(delete(ComparisonGroup).where(ComparisonGroup.metric == metric.key,
                                                     ComparisonGroup.grouping == grouping))
    db.session.execute(delete(ComparisonPosition).where(*comparison.where))
    db.session.execute(insert(ComparisonGroup), [
        dict(metric=metric.key, grouping=grouping, number=group.number,
             key=None if group.key is None else str(group.key), size=group.size, start=group.start,
             ranges=ranges[None if group.key is None else str(group.key)], municipalities=len(rows), computed_at=now)
        for group in placements])
    db.session.execute(insert(ComparisonPosition), [
        dict(metric=metric.key, grouping=grouping, municipality_id=mid,
             **dict(zip(POSITION_COLUMNS, (spot.group_number, *(spot.seq[by] for by in ranking.ORDERS),
                                           spot.position, spot.group_size, spot.position_all,
                                           spot.group_size_all))))
        for mid, spot in placed.items()])


@dataclass
class _Stored:
    """What a refresh needs of a stored (or about to be stored) value."""
    id: int | None
    municipality_id: int
    metric: str
    value: Decimal
    previous_value: Decimal | None
    verified: bool
    expected: Decimal | None


_NO_VALUE = (None, None, None, False)
POSITION_COLUMNS = ("group_number", "seq_mejora", "seq_valor", "seq_diferencia", "seq_nombre", "position",
                    "group_size", "position_all", "group_size_all")


def arrange(every_metric, municipalities, profiles: dict, stored: dict, now, whole: bool = True) -> int:
    """Store how the pages of ``/comparar/`` list every indicator in every grouping
    (:func:`portal.compare.ranking.arrange`): the groups with their sizes and input ranges,
    and each municipality's places and ranks, so a page reads one range of places.
    ``whole``: rewrite every position; otherwise write only those that moved (in bulk).
    Returns how many positions were written."""
    order = db.session.execute(select(Municipality.id).order_by(Municipality.name, Municipality.id)).scalars()
    by_id = {m.id: m for m in municipalities}
    ordered = [by_id[i] for i in order if i in by_id]  # ties keep the pages' order (by name)
    target, group_rows = {}, []
    named = [(m.id, m.name) for m in ordered]
    by_metric: dict = {}
    for (mid, key), item in stored.items():
        by_metric.setdefault(key, {})[mid] = (item.value, item.previous_value, item.expected, item.verified)
    for grouping in peers.GROUPINGS:
        keys = {m.id: group_key(grouping, m, profiles.get(m.id)) for m in ordered}
        ranges = _ranges(ordered, profiles, keys)
        for metric in every_metric:
            values = by_metric.get(metric.key, {})
            rows = []
            for mid, name in named:
                value, previous, expected, verified = values.get(mid, _NO_VALUE)
                rows.append(ranking.Row(mid, name, keys[mid], value, previous, expected,
                                        ranked=value is not None and verified))
            placements, placed = ranking.arrange(metric, rows)
            for group in placements:
                group_rows.append(dict(metric=metric.key, grouping=grouping, number=group.number,
                                       key=None if group.key is None else str(group.key), size=group.size,
                                       start=group.start, ranges=ranges[group.key],
                                       municipalities=len(ordered), computed_at=now))
            for mid, spot in placed.items():
                target[(metric.key, grouping, mid)] = (
                    spot.group_number, *(spot.seq[by] for by in ranking.ORDERS), spot.position, spot.group_size,
                    spot.position_all, spot.group_size_all)
    db.session.execute(delete(ComparisonGroup))
    if group_rows:
        db.session.execute(insert(ComparisonGroup), group_rows)
    existing = {} if whole else {
        (row[1], row[2], row[3]): (row[0], tuple(row[4:])) for row in db.session.execute(
            select(ComparisonPosition.id, ComparisonPosition.metric, ComparisonPosition.grouping,
                   ComparisonPosition.municipality_id, *(getattr(ComparisonPosition, c) for c in POSITION_COLUMNS)))}
    if whole:
        db.session.execute(delete(ComparisonPosition))
    added, changed = [], []
    for (metric, grouping, mid), figures in target.items():
        columns = dict(zip(POSITION_COLUMNS, figures))
        known = existing.pop((metric, grouping, mid), None)
        if known is None:
            added.append(dict(metric=metric, grouping=grouping, municipality_id=mid, **columns))
        elif known[1] != figures:
            changed.append(dict(id=known[0], **columns))
    if existing:  # indicators no longer compared (a national index removed)
        db.session.execute(delete(ComparisonPosition).where(
            ComparisonPosition.id.in_([known[0] for known in existing.values()])))
    if added:
        db.session.execute(insert(ComparisonPosition), added)
    if changed:
        db.session.execute(update(ComparisonPosition), changed)
    db.session.flush()
    return len(added) + len(changed)


def _ranges(municipalities, profiles: dict, keys: dict) -> dict:
    """{group key: JSON of the range (min, max) of each capacity input among its members}."""
    members: dict = {}
    for m in municipalities:
        members.setdefault(keys[m.id], []).append(vars(_inputs(m, profiles.get(m.id))))
    return _range_texts(members)


def _range_texts(members: dict) -> dict:
    """{group key: JSON of its members' input ranges} from {group key: [inputs by name]}."""
    out = {}
    for key, group in members.items():
        ranges = {}
        for name in peers.INPUTS:
            values = [inputs[name] for inputs in group if inputs[name] is not None]
            ranges[name] = [str(min(values)), str(max(values))] if values else None
        out[key] = json.dumps(ranges)
    return out


# ------------------------------------------------------------------ reading

@dataclass(frozen=True)
class Entry:
    """One municipality in a comparison (a page row or a CSV row)."""
    municipality: Municipality
    profile: CapacityProfile | None
    group: object
    row: ranking.Row
    value: ComparisonValue | None
    band: str | None
    stale: bool
    external: tuple = ()


@dataclass(frozen=True)
class Comparison:
    metric: metrics.Metric
    grouping: str
    entries: list  # of Entry, ordered by group then the chosen order
    groups: list  # [(group key, [Entry]), ...]
    regression: Regression | None
    computed_at: object
    include_unverified: bool
    today: date

    @property
    def missing(self):
        return [e for e in self.entries if e.value is None]

    @property
    def edition(self) -> str | None:
        """The period compared (a national index's latest edition)."""
        return next((e.value.period for e in self.entries if e.value is not None), None)


def group_key(grouping: str, municipality, profile):
    return peers.group_key(grouping, municipality.population, municipality.country, municipality.department,
                           profile.capacity_group if profile is not None else None)


def _municipalities():
    """Every municipality with its profile: one query."""
    return db.session.execute(select(Municipality, CapacityProfile)
                              .outerjoin(CapacityProfile, CapacityProfile.municipality_id == Municipality.id)
                              .order_by(Municipality.name, Municipality.id)).all()


def _entries(metric, grouping, pairs, values: dict, include_unverified: bool, today: date) -> list[Entry]:
    rows, meta = [], {}
    for municipality, profile in pairs:
        value = values.get(municipality.id)
        group = group_key(grouping, municipality, profile)
        row = ranking.Row(municipality.id, municipality.name, group,
                          value.value if value else None, value.previous_value if value else None,
                          value.expected if value else None,
                          ranked=value is not None and (value.verified or include_unverified))
        rows.append(row)
        meta[municipality.id] = (municipality, profile, value)
    out = []
    for row in ranking.rank(metric, rows):
        municipality, profile, value = meta[row.key]
        out.append(Entry(municipality, profile, row.group, row, value, band_of(metric, value),
                         value is not None and metrics.is_stale(metric, value.data_date, today)))
    return out


def band_of(metric, value: ComparisonValue | None) -> str | None:
    """Our band of a value, or for a national index the index's own band, kept as written."""
    if value is None:
        return None
    return (value.detail or None) if metric.external else metrics.band(metric, value.value)


def _choices(metric_key, grouping: str, by: str) -> tuple:
    """The indicator (None when unknown), and the grouping and order asked for, or the defaults."""
    metric = metric_key if isinstance(metric_key, metrics.Metric) else metric_for(metric_key)
    return (metric, grouping if grouping in peers.GROUPINGS else peers.CAPACITY,
            by if by in ranking.ORDERS else ranking.IMPROVED)


def comparison(metric_key: str, grouping: str = peers.CAPACITY, by: str = ranking.IMPROVED,
               include_unverified: bool = False, today: date | None = None) -> Comparison | None:
    """Every municipality's value of one indicator, ranked in its group: 3 queries (4 for a
    national index)."""
    metric, grouping, by = _choices(metric_key, grouping, by)
    if metric is None:
        return None
    today = today or date.today()
    pairs = _municipalities()
    values = {v.municipality_id: v for v in db.session.execute(
        select(ComparisonValue).where(ComparisonValue.metric == metric.key)).scalars()}
    fit = db.session.execute(select(Regression).where(Regression.metric == metric.key)).scalar_one_or_none()
    entries = _entries(metric, grouping, pairs, values, include_unverified, today)
    indices = external_for(metric.key, values)
    entries = [replace(e, external=indices.get(e.municipality.id, ())) for e in entries]
    by_group: dict = {}
    for entry in entries:
        by_group.setdefault(entry.group, []).append(entry)
    order = sorted(by_group, key=lambda g: ranking.group_sort_key(g, any(e.value for e in by_group[g])))
    groups = []
    for key in order:
        members = by_group[key]
        ordered = ranking.order(metric, [e.row for e in members], by)
        lookup = {e.row.key: e for e in members}
        groups.append((key, [lookup[r.key] for r in ordered]))
    flat = [e for _, members in groups for e in members]
    computed = fit.computed_at if fit else max((v.computed_at for v in values.values()), default=None)
    return Comparison(metric, grouping, flat, groups, fit, computed, include_unverified, today)


@dataclass(frozen=True)
class Segment:
    """The part of one group that falls on a page: its rows with a value, then the
    municipalities without one."""
    key: object
    number: int  # the group's position on the whole comparison (for anchors)
    size: int
    with_value: list
    without: list
    continued: bool  # the group began on an earlier page
    continues: bool  # and goes on on the next one


@dataclass(frozen=True)
class ComparisonPage:
    page: int
    pages: int
    per_page: int
    segments: list  # of Segment
    jumps: list  # [(group key, size, first page)] for every group


def page_of(comparison_: Comparison, page: int, per_page: int) -> ComparisonPage | None:
    """One page of a comparison: ``per_page`` municipalities in group order (a group's
    rows with a value first), cut wherever the page ends; None past the last page."""
    flat, jumps = [], []
    for number, (key, members) in enumerate(comparison_.groups, start=1):
        jumps.append((key, len(members), len(flat) // per_page + 1))
        ordered = [e for e in members if e.value is not None] + [e for e in members if e.value is None]
        flat.extend((number, key, len(members), position, entry) for position, entry in enumerate(ordered))
    pages = max(-(-len(flat) // per_page), 1)
    if not 1 <= page <= pages:
        return None
    segments: list = []
    for number, key, size, position, entry in flat[(page - 1) * per_page:page * per_page]:
        if not segments or segments[-1].number != number:
            segments.append(Segment(key, number, size, [], [], continued=position > 0, continues=False))
        (segments[-1].with_value if entry.value is not None else segments[-1].without).append(entry)
        last_position = position
    if segments:
        segments[-1] = replace(segments[-1], continues=last_position + 1 < segments[-1].size)
    return ComparisonPage(page, pages, per_page, segments, jumps)


@dataclass(frozen=True)
class Heading:
    """What a stored page of a comparison says of the whole: the indicator and choices,
    when it was computed, and a national index's edition."""
    metric: metrics.Metric
    grouping: str
    include_unverified: bool
    computed_at: object
    today: date
    edition: str | None


def _group_key(grouping: str, stored: str | None):
    if stored is None:
        return None
    return int(stored) if grouping == peers.CAPACITY else stored


def stored_page(metric_key, grouping: str = peers.CAPACITY, by: str = ranking.IMPROVED,
                include_unverified: bool = False, page: int = 1, per_page: int = 50,
                today: date | None = None):
    """One page of a comparison read from the arrangement the last refresh stored: the
    same page as :func:`page_of` over :func:`comparison`, in a constant number of queries
    reading only the page's rows (a range of places on an index), however many
    municipalities there are. Returns (:class:`Heading`, :class:`ComparisonPage` or None
    past the last page, {group key: input ranges}); None when nothing is stored for the
    indicator, or the stored arrangement no longer describes the stored values (values
    written after it, or municipalities added): then the whole comparison is the answer."""
    metric, grouping, by = _choices(metric_key, grouping, by)
    if metric is None:
        return None
    today = today or date.today()
    latest = select(func.max(ComparisonValue.computed_at)).where(ComparisonValue.metric == metric.key)
    counted = select(func.count(Municipality.id))
    rows = db.session.execute(select(ComparisonGroup, latest.scalar_subquery(), counted.scalar_subquery())
                              .where(ComparisonGroup.metric == metric.key, ComparisonGroup.grouping == grouping)
                              .order_by(ComparisonGroup.number)).all()
    if not rows or rows[0][2] != rows[0][0].municipalities or (
            rows[0][1] is not None and rows[0][1] > rows[0][0].computed_at):
        return None
    groups = {g.number: g for g, _, _ in rows}
    total = sum(g.size for g in groups.values())
    fit = db.session.execute(select(Regression).where(Regression.metric == metric.key)).scalar_one_or_none()
    edition = None
    if metric.external:  # every value of an index is of its latest edition
        edition = db.session.execute(select(ComparisonValue.period).where(ComparisonValue.metric == metric.key)
                                     .limit(1)).scalar()
    heading = Heading(metric, grouping, include_unverified, fit.computed_at if fit else rows[0][0].computed_at,
                      today, edition)
    summaries = {_group_key(grouping, g.key): {name: (Decimal(span[0]), Decimal(span[1])) if span else None
                                               for name, span in json.loads(g.ranges).items()}
                 for g in groups.values()}
    jumps = [(_group_key(grouping, g.key), g.size, g.start // per_page + 1) for g in groups.values()]
    pages = max(-(-total // per_page), 1)
    if not 1 <= page <= pages:
        return heading, None, summaries
    seq = getattr(ComparisonPosition, f"seq_{by}")
    found = db.session.execute(
        select(ComparisonPosition, Municipality, CapacityProfile, ComparisonValue)
        .join(Municipality, Municipality.id == ComparisonPosition.municipality_id)
        .outerjoin(CapacityProfile, CapacityProfile.municipality_id == ComparisonPosition.municipality_id)
        .outerjoin(ComparisonValue, and_(ComparisonValue.municipality_id == ComparisonPosition.municipality_id,
                                         ComparisonValue.metric == metric.key))
        .where(ComparisonPosition.metric == metric.key, ComparisonPosition.grouping == grouping,
               seq >= (page - 1) * per_page, seq < page * per_page)
        .order_by(seq)).all()
    indices = external_for(metric.key, {m.id: v for _, m, _, v in found}, [m.id for _, m, _, _ in found])
    segments: list = []
    last_position = 0
    for spot, municipality, profile, value in found:
        group = groups[spot.group_number]
        key, place = _group_key(grouping, group.key), getattr(spot, f"seq_{by}") - group.start
        position, size = ((spot.position_all, spot.group_size_all) if include_unverified
                          else (spot.position, spot.group_size))
        row = ranking.Row(municipality.id, municipality.name, key, value.value if value else None,
                          value.previous_value if value else None, value.expected if value else None,
                          ranked=value is not None and (value.verified or include_unverified),
                          position=position, group_size=size)
        entry = Entry(municipality, profile, key, row, value, band_of(metric, value),
                      value is not None and metrics.is_stale(metric, value.data_date, today),
                      indices.get(municipality.id, ()))
        if not segments or segments[-1].number != group.number:
            segments.append(Segment(key, group.number, group.size, [], [], continued=place > 0, continues=False))
        (segments[-1].with_value if value is not None else segments[-1].without).append(entry)
        last_position = place
    if segments:
        segments[-1] = replace(segments[-1], continues=last_position + 1 < segments[-1].size)
    return heading, ComparisonPage(page, pages, per_page, segments, jumps), summaries


@dataclass(frozen=True)
class Standing:
    metric: metrics.Metric
    entry: Entry | None


def _in_group(grouping: str, key):
    """The SQL condition for belonging to group ``key`` (on municipalities joined with their profiles)."""
    if grouping == peers.POPULATION:
        for band, low, high in peers.POPULATION_BANDS:
            if band == key:
                above = Municipality.population >= low
                return above if high is None else and_(above, Municipality.population < high)
        return false()
    if grouping == peers.COUNTRY:
        return Municipality.country == key
    if grouping == peers.DEPARTMENT:
        country, _, department = key.partition("/")
        return and_(Municipality.country == country, Municipality.department == department)
    return CapacityProfile.capacity_group == key


def standings(municipality, keys=None, grouping: str = peers.CAPACITY, today: date | None = None,
              indices: bool = True) -> list[Standing]:
    """How one municipality compares with its group on several indicators (``keys``: the
    portal's own, all by default) and, with ``indices``, on the national indices it
    appears in: four queries whatever the number of municipalities (the indices, its
    profile, its values, and its positions counted by the database: 1 + the ranked
    members of its group with a better value)."""
    today = today or date.today()
    chosen = [m for m in metrics.builtin() if keys is None or m.key in keys]
    if indices:
        chosen += external_metrics()
    profile = profile_of(municipality)
    group = group_key(grouping, municipality, profile)
    own = {v.metric: v for v in db.session.execute(select(ComparisonValue).where(
        ComparisonValue.municipality_id == municipality.id,
        ComparisonValue.metric.in_([m.key for m in chosen]))).scalars()}
    ranked = [key for key, v in own.items() if v.verified and v.value is not None]
    counts = {}
    if group is not None and ranked:
        other = aliased(ComparisonValue)
        # Compared as numbers: SQLite stores exact decimals as text, where "10" < "9".
        theirs, mine = cast(other.value, Numeric(20, 8)), cast(ComparisonValue.value, Numeric(20, 8))
        counts = {metric: (n, above, below) for metric, n, above, below in db.session.execute(
            select(other.metric, func.count(), func.sum(case((theirs > mine, 1), else_=0)),
                   func.sum(case((theirs < mine, 1), else_=0)))
            .select_from(other)
            .join(ComparisonValue, and_(ComparisonValue.metric == other.metric,
                                        ComparisonValue.municipality_id == municipality.id))
            .join(Municipality, Municipality.id == other.municipality_id)
            .outerjoin(CapacityProfile, CapacityProfile.municipality_id == other.municipality_id)
            .where(other.metric.in_(ranked), other.verified.is_(True), other.value.is_not(None),
                   _in_group(grouping, group))
            .group_by(other.metric))}
    out = []
    for metric in chosen:
        value = own.get(metric.key)
        if value is None or value.value is None:
            if not metric.external:  # an index it is not in (or not in its latest edition): left out
                out.append(Standing(metric, None))
            continue
        position = size = None
        if metric.key in counts:
            size, above, below = counts[metric.key]
            position = 1 + int((above if metric.direction == metrics.HIGHER else below) or 0)
        row = ranking.Row(municipality.id, municipality.name, group, value.value, value.previous_value,
                          value.expected, ranked=value.verified, position=position, group_size=size)
        out.append(Standing(metric, Entry(municipality, profile, group, row, value, band_of(metric, value),
                                          metrics.is_stale(metric, value.data_date, today))))
    return out


def changes_since(moment) -> int:
    """How many changes to published data that feed the comparison were recorded after
    ``moment`` (the last refresh): one query. Pages say so; cron or an admin refreshes."""
    if moment is None:
        return 0
    return audit.changes_since(moment, registry.compared_sections())


def has_values(municipality) -> bool:
    return db.session.execute(select(func.count(ComparisonValue.id)).where(
        ComparisonValue.municipality_id == municipality.id)).scalar_one() > 0


def regressions() -> dict:
    return {r.metric: r for r in db.session.execute(select(Regression)).scalars()}


def terms_of(fit: Regression | None) -> list[tuple[str, Decimal]]:
    if fit is None:
        return []
    return [(name, Decimal(value)) for name, value in json.loads(fit.terms or "[]")]


def group_summaries(comparison_: Comparison) -> dict:
    """Per group: the range (min, max) of each capacity input among its members."""
    out = {}
    for key, members in comparison_.groups:
        ranges = {}
        for name in peers.INPUTS:
            if name == "population":
                values = [Decimal(e.municipality.population) for e in members if e.municipality.population]
            else:
                values = [getattr(e.profile, name) for e in members
                          if e.profile is not None and getattr(e.profile, name) is not None]
            ranges[name] = (min(values), max(values)) if values else None
        out[key] = ranges
    return out


CSV_COLUMNS = ["indicador", "codigo_municipio", "slug", "municipio", "pais", "ejemplo", "agrupacion", "grupo",
               "periodo", "valor", "banda", "periodo_anterior", "valor_anterior", "cambio", "esperado",
               "diferencia", "posicion", "tamano_grupo", "verificado", "en_ranking", "datos_al", "desactualizado",
               "poblacion", "ingresos_propios_por_habitante", "presupuesto_por_habitante", "proporcion_urbana",
               "pobreza", "indice_capacidad", "indices_externos", "desacuerdo_grande"]


def csv_rows(comparison_: Comparison):
    for entry in comparison_.entries:
        yield csv_row(comparison_.metric, comparison_.grouping, entry)


def csv_row(metric, grouping, entry: Entry) -> dict:
    value, profile, row = entry.value, entry.profile, entry.row
    return {
        "indicador": metric.key, "codigo_municipio": entry.municipality.code, "slug": entry.municipality.slug,
        "municipio": entry.municipality.name, "pais": entry.municipality.country,
        "ejemplo": "si" if entry.municipality.is_example else "no", "agrupacion": grouping,
        "grupo": entry.group, "periodo": value.period if value else None, "valor": row.value,
        "banda": entry.band, "periodo_anterior": (value.previous_period or None) if value else None,
        "valor_anterior": row.previous, "cambio": row.change, "esperado": row.expected,
        "diferencia": row.difference, "posicion": row.position, "tamano_grupo": row.group_size,
        "verificado": ("si" if value.verified else "no") if value else None,
        "en_ranking": "si" if row.position is not None else "no",
        "datos_al": value.data_date if value else None,
        "desactualizado": ("si" if entry.stale else "no") if value else None,
        "poblacion": entry.municipality.population,
        "ingresos_propios_por_habitante": profile.own_revenue_pc if profile else None,
        "presupuesto_por_habitante": profile.budget_pc if profile else None,
        "proporcion_urbana": profile.urban_share if profile else None,
        "pobreza": profile.poverty_rate if profile else None,
        "indice_capacidad": profile.capacity_index if profile else None,
        "indices_externos": " | ".join(f"{d.external.source}: {d.external.indicator} {d.external.period} = "
                                       f"{d.external.value}" + (f" ({d.external.band})" if d.external.band else "")
                                       for d in entry.external) or None,
        "desacuerdo_grande": ("si" if any(d.flagged for d in entry.external) else "no") if entry.external else None,
    }


def external_for(metric_key: str, values: dict, among=None) -> dict:
    """{municipality id: (Disagreement, ...)} for imported indices that measure ``metric_key``
    (of the municipalities ``among`` only, when given): one query."""
    from portal.compare.external import _judge

    out: dict = {}
    statement = select(ExternalValue).where(ExternalValue.compares_with == metric_key)
    if among is not None:
        statement = statement.where(ExternalValue.municipality_id.in_(list(among)))
    for row in db.session.execute(statement.order_by(ExternalValue.source, ExternalValue.period.desc())).scalars():
        out.setdefault(row.municipality_id, []).append(_judge(row, values.get(row.municipality_id)))
    return {k: tuple(v) for k, v in out.items()}


def external_values(municipality) -> list[ExternalValue]:
    return list(db.session.execute(select(ExternalValue).where(ExternalValue.municipality_id == municipality.id)
                                   .order_by(ExternalValue.source, ExternalValue.indicator,
                                             ExternalValue.period.desc())).scalars())
