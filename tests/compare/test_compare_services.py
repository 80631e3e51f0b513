"""The comparison on the demo and on made-up municipalities: refresh, groups, expected
values, unverified assessments, freshness, CSV rows and constant query counts."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.compare import external, services
from portal.compare.metrics import external_key
from portal.compare.models import CapacityProfile, ComparisonValue, ExternalValue, Regression
from portal.municipalities.services import get_by_slug

METRIC = "finance.autonomia_financiera"
INDEX = external_key("Índice", "x")


def test_demo_refresh_fills_values_groups_and_regressions(db):
    intipuca = get_by_slug("intipuca")
    result = services.refresh(date(2026, 6, 1))
    assert result["municipalities"] >= 10 and result["regressions"] >= 4
    value = db.session.execute(select(ComparisonValue).where(
        ComparisonValue.municipality_id == intipuca.id, ComparisonValue.metric == METRIC)).scalar_one()
    # Intipucá's 2013 autonomy from its published budget: own revenue / total income, accrued.
    assert value.period == "2013" and value.previous_period == "2012"
    assert value.previous_value.quantize(D("1e-8")) == (D("183958.81") / D("1064147.34")).quantize(D("1e-8"))
    assert value.expected is not None
    profile = services.profile_of(intipuca)
    assert profile.urban_share == D("0.35") and profile.capacity_group is not None
    assert profile.own_revenue_pc is not None and profile.finance_year == 2013
    fit = db.session.execute(select(Regression).where(Regression.metric == METRIC)).scalar_one()
    assert fit.n >= 7 and services.terms_of(fit)[0][0] == "intercepto"


def test_comparison_ranks_within_groups_and_marks_stale_data(db):
    result = services.comparison(METRIC, today=date(2026, 6, 1))
    entries = {e.municipality.slug: e for e in result.entries}
    intipuca = entries["intipuca"]
    assert intipuca.stale  # 2013 data, yearly frequency
    assert not entries["ejemplo-sv-ciudad"].stale
    groups = {e.group for e in result.entries if e.row.position is not None}
    for group in groups:
        members = [e for e in result.entries if e.group == group and e.row.position is not None]
        assert sorted(e.row.position for e in members)[0] == 1
        assert {e.row.group_size for e in members} == {len(members)}
    by_country = services.comparison(METRIC, grouping="pais", today=date(2026, 6, 1))
    sv = [e for e in by_country.entries if e.group == "SV" and e.row.position is not None]
    assert len(sv) == 7 and {e.row.group_size for e in sv} == {7}
    best = max(sv, key=lambda e: e.row.value)
    assert best.municipality.slug == "ejemplo-sv-ciudad" and best.row.position == 1
    assert by_country.groups[0][0] == "SV"  # groups with values come first
    assert services.comparison("no.such.metric") is None


def _value(municipality, metric=METRIC, value="0.3", previous=None, verified=True, data_date=date(2026, 1, 1),
           expected=None):
    row = ComparisonValue(municipality_id=municipality.id, metric=metric, period="2025", value=D(value),
                          previous_period="2024" if previous else "", previous_value=D(previous) if previous else None,
                          data_date=data_date, verified=verified, expected=D(expected) if expected else None)
    services.db.session.add(row)
    return row


def test_unverified_self_assessments_are_badged_and_left_out_of_rankings(db, make):
    a = make.municipality(country="ZZ")
    b = make.municipality(country="ZZ")
    _value(a, "diagnostic.global", "90", verified=False)
    _value(b, "diagnostic.global", "50")
    db.session.flush()
    result = services.comparison("diagnostic.global", grouping="pais", today=date(2026, 6, 1))
    zz = {e.municipality.id: e for e in result.entries if e.group == "ZZ"}
    assert zz[a.id].row.position is None and not zz[a.id].value.verified
    assert (zz[b.id].row.position, zz[b.id].row.group_size) == (1, 1)
    included = services.comparison("diagnostic.global", grouping="pais", include_unverified=True)
    zz = {e.municipality.id: e for e in included.entries if e.group == "ZZ"}
    assert (zz[a.id].row.position, zz[b.id].row.position) == (1, 2)
    csv = {r["slug"]: r for r in services.csv_rows(result)}
    assert csv[a.slug]["verificado"] == "no" and csv[a.slug]["en_ranking"] == "no"


def test_demo_self_assessment_without_verifier_is_badged_and_not_fitted(db):
    services.refresh(date(2026, 6, 1))
    result = services.comparison("diagnostic.global", grouping="pais", today=date(2026, 6, 1))
    entries = {e.municipality.slug: e for e in result.entries}
    cerro = entries["ejemplo-sv-cerro"]
    assert not cerro.value.verified and cerro.row.position is None
    assert cerro.row.change == D(63 - 41)
    ranked = [e for e in result.entries if e.group == "SV" and e.row.position is not None]
    assert {e.municipality.slug for e in ranked} == {"intipuca", "ejemplo-sv-laguna", "ejemplo-sv-sanjuan",
                                                     "ejemplo-sv-puerto", "ejemplo-sv-ciudad"}
    assert entries["ejemplo-sv-ciudad"].row.position == 1
    fit = db.session.execute(select(Regression).where(Regression.metric == "diagnostic.global")).scalar_one()
    assert fit.n == 5  # the unverified one is not in the fit


def test_declared_inputs_validate_shares(db, make):
    municipality = make.municipality()
    with pytest.raises(ValueError):
        services.declare_inputs(municipality, urban_share=D("1.5"))
    profile = services.declare_inputs(municipality, urban_share=D("0.5"), poverty_rate=D("0.2"),
                                      own_revenue_pc=D(40), source="Censo 2024")
    services.refresh(date(2026, 6, 1))
    assert profile.own_revenue_pc == D(40) and profile.capacity_index is not None


def _populate(make, count, start):
    for i in range(count):
        municipality = make.municipality(population=1000 + 700 * (start + i), country="SV",
                                         department=f"Departamento {i % 3}")
        services.db.session.add(CapacityProfile(municipality_id=municipality.id, urban_share=D("0.4"),
                                                capacity_index=D("0.5"), capacity_group=1 + i % 3))
        _value(municipality, value=str(D("0.1") + D(i % 7) / 20), previous="0.2", expected="0.25")
        _value(municipality, "diagnostic.global", "55", verified=i % 2 == 0)
        services.db.session.add(ExternalValue(municipality_id=municipality.id, source="Índice", indicator="x",
                                              period="2024", value=D("0.9"), scale_min=D(0), scale_max=D(1),
                                              compares_with=METRIC))
        _value(municipality, INDEX, str(D("0.5") + D(i % 5) / 20), previous="0.4", expected="0.6")
    services.db.session.flush()
    return municipality.slug


PAGES = ["/comparar/", "/comparar/?agrupacion=poblacion&orden=diferencia", "/comparar/finance.autonomia_financiera.csv",
         "/m/intipuca/comparar/", "/m/intipuca/", "/comparar/desacuerdos", "/comparar/metodo",
         "/m/intipuca/comparar/datos.csv", f"/comparar/?indicador={INDEX}", f"/comparar/{INDEX}.csv",
         f"/comparar/?indicador={INDEX}&agrupacion=departamento", f"/m/{{slug}}/comparar/", "/m/{slug}/"]


def test_query_count_does_not_grow_with_municipalities(app, client, make, queries):
    n = 4
    slug = _populate(make, n, 0)
    pages = [url.format(slug=slug) for url in PAGES]
    counts = {}
    for url in pages:
        with queries() as count:
            response = client.get(url)
            response.get_data()
        assert response.status_code == 200, url
        counts[url] = count()
    _populate(make, 9 * n, n)
    for url in pages:
        with queries() as count:
            response = client.get(url)
            body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert count() == counts[url], url
    assert "Muni-" in client.get("/comparar/").get_data(as_text=True)
    assert len(external.disagreements()) >= 10 * n
    assert body  # the last page rendered


@pytest.mark.parametrize("grouping", ["capacidad", "poblacion", "pais"])
def test_one_municipalitys_standings_agree_with_the_whole_comparison(db, make, grouping):
    """The positions counted by the database for one municipality are those of the full ranking."""
    services.refresh(date(2026, 6, 1))
    _populate(make, 12, 0)  # ties (values repeat every 7), unverified diagnostics, three groups
    for metric in (METRIC, "diagnostic.global"):
        whole = services.comparison(metric, grouping=grouping, today=date(2026, 6, 1))
        checked = 0
        for entry in whole.entries:
            if entry.value is None:
                continue
            standing = next(s for s in services.standings(entry.municipality, grouping=grouping,
                                                           today=date(2026, 6, 1)) if s.metric.key == metric)
            assert (standing.entry.row.position, standing.entry.row.group_size) == \
                (entry.row.position, entry.row.group_size), entry.municipality.slug
            assert standing.entry.stale == entry.stale and standing.entry.band == entry.band
            checked += entry.row.position is not None
        assert checked >= 6


def test_comparison_pages_cut_groups_and_list_every_municipality_once(db, make):
    _populate(make, 23, 0)
    result = services.comparison(METRIC, grouping="pais", today=date(2026, 6, 1))
    total = len(result.entries)
    seen, page = [], 1
    while True:
        shown = services.page_of(result, page, 10)
        assert shown is not None and shown.pages == -(-total // 10)
        assert sum(len(s.with_value) + len(s.without) for s in shown.segments) <= 10
        for segment in shown.segments:
            seen += [e.municipality.id for e in segment.with_value + segment.without]
        if page == shown.pages:
            break
        page += 1
    assert sorted(seen) == sorted(e.municipality.id for e in result.entries) and len(seen) == total
    first = services.page_of(result, 1, 10)
    assert first.segments[0].continued is False
    assert [j[2] for j in first.jumps] == sorted(j[2] for j in first.jumps) and first.jumps[0][2] == 1
    second = services.page_of(result, 2, 10)
    assert second.segments[0].continued is (second.segments[0].key == first.segments[-1].key)
    assert first.segments[-1].continues is second.segments[0].continued
    assert services.page_of(result, shown.pages + 1, 10) is None and services.page_of(result, 0, 10) is None


def test_refresh_reads_survey_complaints_and_participation_sources(db):
    from portal.core.registry import read

    intipuca = get_by_slug("intipuca")
    today = date.today()
    services.refresh(today)
    rows = {v.metric: v for v in db.session.execute(select(ComparisonValue).where(
        ComparisonValue.municipality_id == intipuca.id)).scalars()}
    satisfaction = read("surveys.services_satisfaction", intipuca, today)
    assert rows["surveys.services_satisfaction"].value == satisfaction.value.quantize(D("1e-8"))
    assert rows["surveys.services_satisfaction"].url == satisfaction.url
    on_time = read("complaints.resolved_on_time", intipuca, today)
    assert rows["complaints.resolved_on_time"].value == on_time.value.quantize(D("1e-8"))
    assert rows["participation.turnout"].value > 0 and rows["participation.turnout"].data_date is not None


def test_a_new_municipality_is_grouped_without_an_empty_public_record(db, make):
    from portal.audit.models import ChangeRecord

    municipality = make.municipality(population=9000)
    services.refresh(date(2026, 6, 1))
    profile = services.profile_of(municipality)
    assert profile.capacity_group is not None and profile.refreshed_at is not None
    records = db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == municipality.id,
                                                            ChangeRecord.section == "compare")).scalars().all()
    assert records == []
    assert services.changes_since(profile.refreshed_at) == 0
    services.declare_inputs(municipality, poverty_rate=D("0.4"), source="Censo")
    db.session.flush()
    assert services.changes_since(profile.refreshed_at) == 1


def _snapshot(db):
    values = {(v.municipality_id, v.metric): (v.period, v.value, v.previous_value, v.expected, v.verified)
              for v in db.session.execute(select(ComparisonValue)).scalars()}
    profiles = {p.municipality_id: (p.own_revenue_pc, p.budget_pc, p.capacity_index, p.capacity_group)
                for p in db.session.execute(select(CapacityProfile)).scalars()}
    fits = {r.metric: (r.n, r.r2, r.terms) for r in db.session.execute(select(Regression)).scalars()}
    return values, profiles, fits


def test_refresh_of_changed_municipalities_gives_what_a_whole_refresh_gives(db, make):
    from portal.audit.services import acting_as

    today = date(2026, 6, 1)
    services.refresh(today)
    db.session.commit()
    assert services.refresh(today, only_changed=True, margin=timedelta(0))["recomputed"] == 0
    db.session.commit()
    intipuca, new = get_by_slug("intipuca"), make.municipality(population=15000)
    with acting_as("staff"):
        intipuca.population = 4100  # per-inhabitant inputs, band and groups move
        db.session.flush()
    db.session.commit()
    result = services.refresh(today, only_changed=True, margin=timedelta(0))
    db.session.commit()
    assert result["recomputed"] == 2 and result["municipalities"] > 10
    assert services.profile_of(new).capacity_group is not None
    incremental = _snapshot(db)
    services.refresh(today)
    db.session.commit()
    assert _snapshot(db) == incremental
    assert services.changes_since(services.last_refresh()) == 0


def test_changes_recorded_while_a_refresh_ran_or_just_before_it_are_taken_next_time(db):
    """A change recorded after the refresh began (or committed late, within the margin)
    is neither lost by the next --changed run nor hidden from the pending count."""
    from portal.audit.models import ChangeRecord
    from portal.audit.services import acting_as

    today = date(2026, 6, 1)
    services.refresh(today)
    db.session.commit()
    intipuca = get_by_slug("intipuca")
    with acting_as("staff"):
        intipuca.population = 4200
        db.session.flush()
    record = db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == intipuca.id)
                                .order_by(ChangeRecord.id.desc()).limit(1)).scalar_one()
    start = services.last_refresh()
    record.created_at = start + timedelta(microseconds=1)  # while the refresh ran
    db.session.commit()
    assert services.changes_since(start) >= 1
    assert services.refresh(today, only_changed=True, margin=timedelta(0))["recomputed"] == 1
    db.session.commit()
    record.created_at = services.last_refresh() - timedelta(minutes=2)  # recorded before, committed after
    db.session.commit()
    assert services.refresh(today, only_changed=True, margin=timedelta(0))["recomputed"] == 0
    db.session.commit()
    assert services.refresh(today, only_changed=True)["recomputed"] >= 1  # the default margin takes it


def test_standings_compare_values_as_numbers_not_text(db, make):
    """SQLite keeps exact decimals as text: 10 must still rank above 9, and -1 last."""
    municipalities = []
    for value in ("9", "10", "2.5", "-1"):
        municipality = make.municipality(country="ZZ")
        _value(municipality, "diagnostic.global", value)
        municipalities.append(municipality)
    services.db.session.flush()
    positions = [next(s for s in services.standings(m, grouping="pais") if s.metric.key == "diagnostic.global")
                 .entry.row.position for m in municipalities]
    whole = {e.municipality.id: e.row.position
             for e in services.comparison("diagnostic.global", grouping="pais").entries}
    assert positions == [2, 1, 3, 4] == [whole[m.id] for m in municipalities]
