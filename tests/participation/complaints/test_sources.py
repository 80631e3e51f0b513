"""Complaint statistics as diagnostic sources, on a hand-built municipality."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.core import registry as diagnostic_sources
from portal.participation.complaints import services, sources, staff
from portal.participation.complaints.models import Category, Report

AS_OF = date(2026, 6, 30)


@pytest.fixture
def town(db, make):
    """A municipality with one service (5 days) and five reports with known times."""
    municipality = make.municipality()
    category = Category(municipality_id=municipality.id, code="agua", name="Agua", service_days=5)
    db.session.add(category)
    db.session.flush()

    def report(created, status="received", closed_days=None, reopened=0, confirmation=None):
        item, _ = services.create_report(municipality, services.ReportInput(category=category, address="x"))
        item.created_at = created
        item.status = status
        item.closed_at = created + timedelta(days=closed_days) if closed_days is not None else None
        item.reopen_count = reopened
        item.confirmation = confirmation
        return item
    report(datetime(2026, 6, 1), "fixed", 2, confirmation="yes")       # on time, 2 days
    report(datetime(2026, 5, 1), "fixed", 8, reopened=1, confirmation="no")  # late, 8 days
    report(datetime(2026, 4, 1), "wont_fix", 4)                        # on time, 4 days
    report(datetime(2026, 6, 10))                                      # open and overdue
    report(datetime(2026, 6, 29))                                      # open, not yet due
    report(datetime(2025, 1, 1), "fixed", 30)                          # outside the 12 months
    db.session.flush()
    return municipality


@pytest.mark.parametrize("key, expected, detail", [
    ("complaints.resolved_on_time", Decimal(2) / Decimal(4), "n=4"),
    ("complaints.median_days", Decimal(4), "n=3"),
    ("complaints.confirmed_fixed", Decimal("0.5"), "n=2"),
    ("complaints.reopen_rate", Decimal("0.5"), "n=2"),
])
def test_sources_by_hand(town, key, expected, detail):
    value = diagnostic_sources.read(key, town, AS_OF)
    assert value.value == expected and value.detail == detail
    assert value.url == f"/m/{town.slug}/reclamos/estadisticas"


def test_source_by_category_and_without_data(town, make):
    assert diagnostic_sources.read("complaints.median_days", town, AS_OF, "agua").value == Decimal(4)
    assert diagnostic_sources.read("complaints.median_days", town, AS_OF, "otra") is None
    assert diagnostic_sources.read("complaints.resolved_on_time", make.municipality(), AS_OF) is None


def test_hidden_reports_do_not_count(town, db):
    from sqlalchemy import select

    late = db.session.execute(select(Report).where(Report.municipality_id == town.id,
                                                   Report.reopen_count == 1)).scalar_one()
    staff.set_hidden(town, late, late.version, True)
    db.session.flush()
    assert diagnostic_sources.read("complaints.resolved_on_time", town, AS_OF).value == Decimal(2) / Decimal(3)


def test_atencion_al_ciudadano_indicator_is_fed_by_resolved_on_time(muni):
    from portal.diagnostic import services as diagnostic

    catalog = diagnostic.adopted_catalog(muni)
    indicator = next(i for i in diagnostic.indicator_list(catalog) if i.source_key == "complaints.resolved_on_time")
    value, score = diagnostic.live_value(muni, indicator, date.today())
    share = sources.summary(muni, date.today()).on_time
    assert value.value == share and Decimal("0.3") < share < Decimal("0.9")  # the demo has a realistic mix
    expected = min(max((share - Decimal("0.4")) / Decimal("0.55") * 100, Decimal(0)), Decimal(100))
    assert abs(score - expected) < Decimal("0.000001")


def test_read_api_statistics_by_hand(client, town):
    data = client.get(f"/api/v1/municipalities/{town.slug}/complaints/statistics?as_of=2026-06-30").get_json()
    assert data["overall"]["on_time"] == "0.5" and data["overall"]["median_days"] == "4"
    assert data["overall"]["per_month"] == {"2026-04": 1, "2026-05": 1, "2026-06": 3}
    assert data["services"][0]["category"] == "agua" and data["services"][0]["reopen_rate"] == "0.5"
    csv_text = client.get(f"/api/v1/municipalities/{town.slug}/complaints/statistics.csv?as_of=2026-06-30")
    assert client.get(f"/api/v1/municipalities/{town.slug}/complaints/statistics?as_of=junio").status_code == 400
    listing = client.get(f"/api/v1/municipalities/{town.slug}/complaints/statistics?as_of=2026-06-30&format=csv")
    assert listing.get_data(as_text=True).splitlines()[1].startswith("agua,Agua,5,5,3,4,8,0.5,4,0.5,2,0.5,2")
    assert csv_text.status_code == 404


def test_read_api_services(client):
    data = client.get("/api/v1/municipalities/intipuca/complaints/services").get_json()
    lighting = next(s for s in data["services"] if s["code"] == "alumbrado")
    assert lighting["service_days"] == 5 and lighting["unit"] == "Unidad de Servicios Municipales"
    assert "code,name" in client.get("/api/v1/municipalities/intipuca/complaints/services?format=csv").get_data(
        as_text=True)


def test_statistics_are_kept_until_a_report_or_an_update_is_added(client, db, town, memory_cache, queries):
    url = f"/api/v1/municipalities/{town.slug}/complaints/statistics?as_of=2026-06-30"
    with queries() as n:
        first = client.get(url).get_json()
        computed = n()
    with queries() as n:
        assert client.get(url).get_json() == first
        cached = n()
    assert cached == computed - 1  # the reports were not read again
    category = db.session.execute(db.select(Category).where(Category.municipality_id == town.id)).scalar_one()
    report, _ = services.create_report(town, services.ReportInput(category=category, address="y"))
    report.created_at = datetime(2026, 6, 20)
    db.session.flush()
    added = client.get(url).get_json()
    assert added["overall"]["per_month"]["2026-06"] == first["overall"]["per_month"]["2026-06"] + 1
    staff.change_status(town, report, report.version, "fixed")
    report.closed_at = datetime(2026, 6, 21)
    db.session.flush()
    fixed = client.get(url).get_json()
    assert fixed["overall"]["resolved"] == added["overall"]["resolved"] + 1
    assert fixed["overall"]["median_days"] != added["overall"]["median_days"] or \
        fixed["overall"]["on_time"] != added["overall"]["on_time"]
