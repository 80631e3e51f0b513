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

from sqlalchemy import Numeric, and_, case, cast, delete, false, func, select
from sqlalchemy.orm import aliased

from portal.core.clock import utcnow
from portal.audit import services as audit
from portal.compare import collect, metrics, peers, ranking, regression
from portal.compare.models import CapacityProfile, ComparisonValue, ExternalValue, Regression
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
    """{(municipality id, index key): ComparisonValue} of every national index's latest
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
            out[(municipality_id, key)] = ComparisonValue(
                municipality_id=municipality_id, metric=key, period=latest, value=_q(current.value, VALUE_PLACES),
                previous_period=previous or "", previous_value=_q(before.value, VALUE_PLACES) if before else None,
                data_date=current.published_on, verified=True, detail=current.band[:300],
                url=current.source_url[:500], computed_at=now)
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
    """When the comparison table was last computed (None: never)."""
    return db.session.execute(select(func.max(ComparisonValue.computed_at))).scalar()


def changed_since(moment) -> set[int]:
    """Municipalities with a change to data that feeds the comparison recorded after ``moment``."""
    return audit.changed_municipalities(moment, registry.compared_sections())


MARGIN = timedelta(minutes=5)  # a change may be committed a while after it was recorded


def refresh(today: date | None = None, only_changed: bool = False, margin: timedelta = MARGIN) -> dict:
    """Recompute the comparison: every municipality's values, or with ``only_changed`` only
    those of municipalities with published changes since the last refresh (and those never
    computed); then, from every stored value, the peer groups and the expected values.
    Changes recorded up to ``margin`` before the last refresh began are taken again (a
    request may commit a while after it recorded its change): recomputing a municipality
    twice costs little, missing one would leave it stale until the next whole refresh.
    Values depend on the date too (freshness windows): run it whole once a day."""
    today = today or date.today()
    now = utcnow()
    municipalities = list(db.session.execute(select(Municipality).order_by(Municipality.id)).scalars())
    profiles = {p.municipality_id: p for p in db.session.execute(select(CapacityProfile)).scalars()}
    since = last_refresh() if only_changed else None  # the last refresh's start
    if since is None:
        recompute = {m.id for m in municipalities}
        db.session.execute(delete(ComparisonValue))
        stored = {}
    else:
        recompute = changed_since(since - margin) | {m.id for m in municipalities if m.id not in profiles
                                            or profiles[m.id].refreshed_at is None}
        db.session.execute(delete(ComparisonValue).where(ComparisonValue.municipality_id.in_(sorted(recompute))))
        db.session.execute(delete(ComparisonValue).where(ComparisonValue.metric.startswith(metrics.EXTERNAL_PREFIX)))
        stored = {(v.municipality_id, v.metric): v for v in db.session.execute(select(ComparisonValue)).scalars()}
    for municipality in municipalities:
        if municipality.id not in recompute:
            continue
        values, capacity = collect.everything(municipality, today)
        profile = profiles.get(municipality.id)
        if profile is None:
            profile = profiles[municipality.id] = CapacityProfile(municipality_id=municipality.id)
            db.session.add(profile)
        population = Decimal(municipality.population) if municipality.population else None
        own = capacity.own_revenue / population if capacity.own_revenue is not None and population else None
        budget = capacity.budget / population if capacity.budget is not None and population else None
        profile.own_revenue_pc = _q(own if own is not None else profile.declared_own_revenue_pc, MONEY_PLACES)
        profile.budget_pc = _q(budget if budget is not None else profile.declared_budget_pc, MONEY_PLACES)
        profile.finance_year = capacity.year if (own is not None or budget is not None) else None
        profile.refreshed_at = now
        for key, item in values.items():
            row = ComparisonValue(
                municipality_id=municipality.id, metric=key, period=item.period, value=_q(item.value, VALUE_PLACES),
                previous_period=item.previous_period, previous_value=_q(item.previous_value, VALUE_PLACES),
                data_date=item.data_date, verified=item.verified, detail=item.detail[:300], url=item.url[:500],
                computed_at=now)
            db.session.add(row)
            stored[(municipality.id, key)] = row
    indices = _index_values(now)  # national indices: cheap, always rebuilt whole
    for key, row in indices.items():
        db.session.add(row)
        stored[key] = row
    inputs = {m.id: _inputs(m, profiles[m.id]) for m in municipalities}
    ranks = peers.input_ranks(inputs, {m.id: m.currency for m in municipalities})
    index = peers.capacity_index(ranks)
    groups = peers.capacity_groups(index)
    for m in municipalities:
        profiles[m.id].capacity_index = _q(index[m.id], INDEX_PLACES)
        profiles[m.id].capacity_group = groups[m.id]
    # The regression reads the inputs' ranks (0-1): one scale for every input and currency.
    observations = {k: {**ranks[k], INDEX: index[k]} for k in ranks}
    db.session.execute(delete(Regression))
    fits = 0
    for metric in all_metrics():
        ys = {mid: row.value for (mid, key), row in stored.items() if key == metric.key and row.verified}
        fit = regression.best_fit(observations, ys, peers.INPUTS, INDEX)
        if fit is None:
            db.session.add(Regression(metric=metric.key, n=len(ys), terms="[]", computed_at=now,
                                      note="too few observations"))
            continue
        fits += 1
        db.session.add(Regression(metric=metric.key, n=fit.n, r2=_q(fit.r2, INDEX_PLACES), computed_at=now,
                                  terms=json.dumps([[name, format(c, "f")] for name, c in fit.terms])))
        for (mid, key), row in stored.items():
            if key == metric.key:
                row.expected = _q(fit.predict(observations[mid]), VALUE_PLACES)
    # Every row is stamped with the refresh's start: a change recorded while it ran is
    # "after" it, so pages count it as pending and the next --changed run takes it.
    for item in (*stored.values(), *profiles.values()):
        setattr(item, "computed_at" if isinstance(item, ComparisonValue) else "refreshed_at", now)
    db.session.flush()
    return {"municipalities": len(municipalities), "values": len(stored), "regressions": fits,
            "recomputed": len(recompute)}


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
    if grouping == peers.POPULATION:
        return peers.population_band(municipality.population)
    if grouping == peers.COUNTRY:
        return municipality.country
    if grouping == peers.DEPARTMENT:
        return peers.department_key(municipality.country, municipality.department)
    return profile.capacity_group if profile is not None else None


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


def comparison(metric_key: str, grouping: str = peers.CAPACITY, by: str = ranking.IMPROVED,
               include_unverified: bool = False, today: date | None = None) -> Comparison | None:
    """Every municipality's value of one indicator, ranked in its group: 3 queries (4 for a
    national index)."""
    metric = metric_key if isinstance(metric_key, metrics.Metric) else metric_for(metric_key)
    if metric is None:
        return None
    today = today or date.today()
    grouping = grouping if grouping in peers.GROUPINGS else peers.CAPACITY
    by = by if by in ranking.ORDERS else ranking.IMPROVED
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
    # groups with values first, then by key (capacity groups by number)
    order = sorted(by_group, key=lambda g: (g is None, not any(e.value for e in by_group[g]),
                                            str(g) if not isinstance(g, int) else f"{g:04d}"))
    groups = []
    for key in order:
        members = by_group[key]
        ordered = ranking.order(metric, [e.row for e in members], by)
        lookup = {e.row.key: e for e in members}
        groups.append((key, [lookup[r.key] for r in ordered]))
    flat = [e for _, members in groups for e in members]
    computed = max((v.computed_at for v in values.values()), default=fit.computed_at if fit else None)
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


def external_for(metric_key: str, values: dict) -> dict:
    """{municipality id: (Disagreement, ...)} for imported indices that measure ``metric_key``: one query."""
    from portal.compare.external import _judge

    out: dict = {}
    for row in db.session.execute(select(ExternalValue).where(ExternalValue.compares_with == metric_key)
                                  .order_by(ExternalValue.source, ExternalValue.period.desc())).scalars():
        out.setdefault(row.municipality_id, []).append(_judge(row, values.get(row.municipality_id)))
    return {k: tuple(v) for k, v in out.items()}


def external_values(municipality) -> list[ExternalValue]:
    return list(db.session.execute(select(ExternalValue).where(ExternalValue.municipality_id == municipality.id)
                                   .order_by(ExternalValue.source, ExternalValue.indicator,
                                             ExternalValue.period.desc())).scalars())
