"""The pages of /comparar/ read from the arrangement the refresh stores: every page of
every indicator, grouping, order and ranking choice is the page the whole comparison
gives; the stored arrangement is used only while it still describes the stored values;
and a page reads its own rows only, however many municipalities there are."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event, func, select

from portal.compare import peers, ranking, services
from portal.compare.metrics import external_key
from portal.compare.models import ComparisonGroup, ComparisonPosition, ComparisonValue, ExternalValue
from portal.municipalities.models import Municipality
from portal.municipalities.services import get_by_slug

TODAY = date(2026, 6, 1)
INDEX = external_key("Índice", "x")


def _region(make, count=23):
    """Made-up municipalities in two countries and three departments, with declared
    inputs, in a national index of two editions (ties, missing editions, one without)."""
    made = []
    for i in range(count):
        municipality = make.municipality(population=900 + 1700 * i, country="SV" if i % 4 else "GT",
                                         department=f"Departamento {i % 3}")
        services.declare_inputs(municipality, urban_share=D(i % 10) / 10, poverty_rate=D((i * 7) % 10) / 10)
        if i % 6:
            services.db.session.add(ExternalValue(municipality_id=municipality.id, source="Índice", indicator="x",
                                                  period="2024", value=D(i % 5), scale_min=D(0), scale_max=D(10),
                                                  compares_with="finance.autonomia_financiera"))
        if i % 4:
            services.db.session.add(ExternalValue(municipality_id=municipality.id, source="Índice", indicator="x",
                                                  period="2022", value=D(i % 3), scale_min=D(0), scale_max=D(10)))
        made.append(municipality)
    services.db.session.flush()
    return made


def _entry(entry):
    return (entry.municipality.id, entry.group, entry.row, entry.value.id if entry.value else None, entry.band,
            entry.stale, tuple((d.external.id, d.own_normalized, d.flagged) for d in entry.external))


def _page(shown):
    return (shown.page, shown.pages, shown.jumps,
            [(s.key, s.number, s.size, s.continued, s.continues, [_entry(e) for e in s.with_value],
              [_entry(e) for e in s.without]) for s in shown.segments])


def _assert_same_pages(per_page):
    compared = 0
    for metric in services.all_metrics():
        for grouping in peers.GROUPINGS:
            for by in ranking.ORDERS:
                for unverified in (False, True):
                    whole = services.comparison(metric, grouping, by, unverified, today=TODAY)
                    page = 1
                    while True:
                        stored = services.stored_page(metric, grouping, by, unverified, page, per_page, today=TODAY)
                        assert stored is not None, (metric.key, grouping)
                        heading, shown, summaries = stored
                        expected = services.page_of(whole, page, per_page)
                        if expected is None:
                            assert shown is None
                            break
                        assert _page(shown) == _page(expected), (metric.key, grouping, by, unverified, page)
                        compared += 1
                        page += 1
                    assert summaries == services.group_summaries(whole)
                    assert heading.computed_at == whole.computed_at
                    if metric.external:  # the page names the edition of a national index
                        assert heading.edition == whole.edition is not None
    return compared


def test_every_stored_page_is_the_page_of_the_whole_comparison(db, make):
    _region(make)
    services.refresh(TODAY)
    assert _assert_same_pages(7) > 9 * 4 * 4 * 2 * 3  # every indicator, grouping, order, choice; several pages


def _snapshot(db):
    return ({(p.metric, p.grouping, p.municipality_id): tuple(getattr(p, c) for c in services.POSITION_COLUMNS)
             for p in db.session.execute(select(ComparisonPosition)).scalars()},
            {(g.metric, g.grouping, g.number): (g.key, g.size, g.start, g.ranges)
             for g in db.session.execute(select(ComparisonGroup)).scalars()})


def _arranged_again(db):
    """The arrangement of every comparison from scratch, from the stored values and profiles."""
    db.session.expire_all()
    municipalities = list(db.session.execute(select(Municipality).order_by(Municipality.id)).scalars())
    profiles = {p.municipality_id: p for p in db.session.execute(select(services.CapacityProfile)).scalars()}
    stored = {(v.municipality_id, v.metric): v for v in db.session.execute(select(ComparisonValue)).scalars()}
    services.arrange(services.all_metrics(), municipalities, profiles, stored, services.utcnow(), whole=True)
    db.session.flush()
    return _snapshot(db)


def test_a_refresh_after_publications_moves_the_municipalities_concerned_into_place(db, make):
    """After publications, the municipalities concerned are placed without arranging
    everything again: every stored page is the page of the whole comparison, the stored
    arrangement is the one arranging the stored values from scratch gives, and their
    values are those a whole refresh computes."""
    from portal.audit.services import acting_as

    made = _region(make, 14)
    services.refresh(TODAY)
    db.session.commit()
    intipuca = get_by_slug("intipuca")
    with acting_as("staff"):
        intipuca.population = 41000  # another population band, per-inhabitant inputs and capacity groups move
        intipuca.name = "Zzz Intipucá"  # last by name now
        made[3].population = 120
        db.session.flush()
    db.session.commit()
    result = services.refresh(TODAY, only_changed=True, margin=timedelta(0))
    assert result["recomputed"] == 2 and result["placed"] is True
    db.session.commit()
    assert _assert_same_pages(5) > 0
    placed = _snapshot(db)
    values = {(v.municipality_id, v.metric): (v.period, v.value, v.previous_value, v.verified)
              for v in db.session.execute(select(ComparisonValue)).scalars()}
    assert _arranged_again(db) == placed
    db.session.rollback()
    services.refresh(TODAY)  # the nightly whole refresh: the same values, everyone regrouped and refitted
    assert {(v.municipality_id, v.metric): (v.period, v.value, v.previous_value, v.verified)
            for v in db.session.execute(select(ComparisonValue)).scalars()} == values


def test_a_municipality_moved_in_every_comparison_lands_where_arranging_from_scratch_puts_it(db, make):
    """Random publications (values appearing, vanishing, tying, unverified; populations
    crossing bands, capacity groups changing, renames), one after another and several
    at once: after each, the moved arrangement is the one arranging from scratch gives."""
    import random

    from portal.compare import placing
    from portal.compare.models import CapacityProfile

    made = _region(make, 16)
    services.refresh(TODAY)
    db.session.flush()
    chosen = random.Random(20261206)
    keys = [metric.key for metric in services.all_metrics()]
    everyone = list(db.session.execute(select(Municipality)).scalars())
    moves = reshapes = 0
    for step in range(30):
        group_of = {(g.metric, g.grouping): [] for g in db.session.execute(select(ComparisonGroup)).scalars()}
        for g in db.session.execute(select(ComparisonGroup)).scalars():
            group_of[(g.metric, g.grouping)].append(placing.Group(g.number, g.key, g.size, g.start))
        pool = placing.Pool()
        comparisons = {(m.key, grouping): placing.Comparison(m, grouping, group_of[(m.key, grouping)], pool.tie)
                       for m in services.all_metrics() for grouping in peers.GROUPINGS}
        moving = chosen.sample(everyone, chosen.choice((1, 1, 2, 3)))
        olds, news, renamed, writes = {}, {}, set(), {}
        for municipality in moving:  # names, populations and groups change first; values when each is placed
            rows = {v.metric: v for v in db.session.execute(select(ComparisonValue).where(
                ComparisonValue.municipality_id == municipality.id)).scalars()}
            olds[municipality.id] = {k: placing.State(v.value, v.previous_value, v.expected, v.verified)
                                     for k, v in rows.items()}
            new = dict(olds[municipality.id])
            writes[municipality.id] = []
            for key in chosen.sample(keys, 3):
                if chosen.random() < 0.2:
                    new.pop(key, None)
                    writes[municipality.id].append((key, None))
                    continue
                state = placing.State(D(chosen.randint(0, 4)), chosen.choice((None, D(chosen.randint(0, 4)))),
                                      chosen.choice((None, D(chosen.randint(0, 4)))), chosen.random() < 0.7)
                new[key] = state
                writes[municipality.id].append((key, state))
            news[municipality.id] = new
            if chosen.random() < 0.4:
                municipality.population = chosen.choice((120, 4000, 6000, 25000, 150000))
            if chosen.random() < 0.3:
                municipality.name = chosen.choice(("Aaa", "Mmm", "Zzz")) + f" {step}"
                renamed.add(municipality.id)
            profile = db.session.execute(select(CapacityProfile).where(
                CapacityProfile.municipality_id == municipality.id)).scalar_one()
            if chosen.random() < 0.4:
                profile.capacity_group = chosen.randint(1, 3)
        db.session.flush()
        pool = placing.Pool()  # names, populations and groups as they are now
        for comparison in comparisons.values():
            comparison.tie = pool.tie
        reshaped, waiting = set(), sorted(m.id for m in moving)
        for municipality in sorted(moving, key=lambda m: m.id):
            waiting.remove(municipality.id)
            for key, state in writes[municipality.id]:
                row = db.session.execute(select(ComparisonValue).where(
                    ComparisonValue.municipality_id == municipality.id, ComparisonValue.metric == key)).scalar()
                if state is None:
                    if row is not None:
                        db.session.delete(row)
                    continue
                if row is None:
                    row = ComparisonValue(municipality_id=municipality.id, metric=key, period="2025",
                                          computed_at=services.last_refresh())
                    db.session.add(row)
                row.value, row.previous_value, row.expected, row.verified = (state.value, state.previous,
                                                                             state.expected, state.verified)
            db.session.flush()
            group = db.session.execute(select(CapacityProfile.capacity_group).where(
                CapacityProfile.municipality_id == municipality.id)).scalar_one()
            services._move_everywhere(comparisons, reshaped, municipality, group, olds[municipality.id],
                                      news[municipality.id], waiting, renamed)
        for key, grouping in sorted(reshaped):
            services._arrange_one(comparisons[(key, grouping)], pool, services.utcnow())
        moves, reshapes = moves + len(comparisons) * len(moving) - len(reshaped), reshapes + len(reshaped)
        services._update_ranges(pool)
        db.session.flush()
        moved = _snapshot(db)
        assert _arranged_again(db) == moved, (step, [m.id for m in moving], sorted(reshaped))
    assert moves > 10 * reshapes  # most comparisons were moved into, not arranged again


def test_only_positions_that_moved_are_written_again(db, make):
    _region(make, 10)
    services.refresh(TODAY)
    municipalities = list(db.session.execute(select(Municipality).order_by(Municipality.id)).scalars())
    profiles = {p.municipality_id: p for p in db.session.execute(select(services.CapacityProfile)).scalars()}
    stored = {(v.municipality_id, v.metric): v for v in db.session.execute(select(ComparisonValue)).scalars()}
    assert services.arrange(services.all_metrics(), municipalities, profiles, stored, services.utcnow(),
                            whole=False) == 0
    first = municipalities[0]
    first.name = "Zzz " + first.name  # last by name: its place in the name order moves, and those after it
    db.session.flush()
    written = services.arrange(services.all_metrics(), municipalities, profiles, stored, services.utcnow(),
                               whole=False)
    assert 0 < written < db.session.execute(select(func.count(ComparisonPosition.id))).scalar_one()


def test_the_whole_comparison_answers_until_a_refresh_arranges_new_values_or_municipalities(client, db, make):
    services.refresh(TODAY)
    assert services.stored_page("diagnostic.global", "pais") is not None
    late = make.municipality(country="ZZ", name="Zeta Tardía")
    assert services.stored_page("diagnostic.global", "pais") is None  # a municipality the refresh did not see
    page = client.get("/comparar/?indicador=diagnostic.global&agrupacion=pais").get_data(as_text=True)
    assert "Zeta Tardía" in page
    services.refresh(TODAY)
    assert services.stored_page("diagnostic.global", "pais") is not None
    db.session.add(ComparisonValue(municipality_id=late.id, metric="diagnostic.global", period="2025", value=D(99),
                                   data_date=date(2026, 1, 1), computed_at=services.last_refresh()
                                   + timedelta(seconds=1)))
    db.session.flush()
    assert services.stored_page("diagnostic.global", "pais") is None  # a value written after it
    assert services.stored_page("finance.autonomia_financiera", "pais") is not None


def test_a_page_past_the_last_is_not_found(client, db):
    services.refresh(TODAY)
    heading, shown, _ = services.stored_page("diagnostic.global", "pais", page=999)
    assert shown is None and heading.metric.key == "diagnostic.global"
    assert client.get("/comparar/?indicador=diagnostic.global&agrupacion=pais&pagina=999").status_code == 404


@pytest.mark.parametrize("url", ["/comparar/", "/comparar/?agrupacion=pais&orden=valor&pagina=2",
                                 f"/comparar/?indicador={INDEX}&agrupacion=departamento&orden=nombre&pagina=2"])
def test_a_page_reads_its_own_municipalities_only_in_a_constant_number_of_queries(client, db, make, queries, url):
    """With 160 municipalities a page of 50 loads at most 50 of them, and as many
    queries as with 70: the page is one range of stored places, not the whole ranking."""
    _region(make, 60)
    services.refresh(TODAY)
    db.session.commit()
    loaded = []

    def count(target, context):
        loaded.append(target.id)
    client.get(url)
    with queries() as n:
        event.listen(Municipality, "load", count)
        try:
            response = client.get(url)
        finally:
            event.remove(Municipality, "load", count)
        small = n()
    assert response.status_code == 200
    assert 0 < len(set(loaded)) <= 50
    _region(make, 90)
    services.refresh(TODAY)
    db.session.commit()
    loaded.clear()
    client.get(url)
    with queries() as n:
        event.listen(Municipality, "load", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(Municipality, "load", count)
        assert n() == small
    assert 0 < len(set(loaded)) <= 50


def test_the_page_of_places_uses_its_index(db, sql_text):
    """The database answers a page from the index of the chosen order (a range of places),
    not by reading and sorting every municipality's position."""
    services.refresh(TODAY)
    dialect = db.engine.dialect.name
    statement = ("SELECT id FROM compare_positions WHERE metric = 'diagnostic.global' AND grouping = 'pais' "
                 "AND seq_valor >= 50 AND seq_valor < 100 ORDER BY seq_valor")
    if dialect == "sqlite":
        plan = " ".join(str(row) for row in db.session.execute(sql_text("EXPLAIN QUERY PLAN " + statement)))
        assert "ix_compare_positions_valor" in plan and "TEMP B-TREE" not in plan, plan
    else:
        db.session.execute(sql_text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(row[0] for row in db.session.execute(sql_text("EXPLAIN " + statement)))
        assert "ix_compare_positions_valor" in plan and "Sort" not in plan, plan
