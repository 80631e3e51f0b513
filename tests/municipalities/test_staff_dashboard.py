"""Staff get a dashboard of their work at /m/<slug>/admin/, and a link from each public
page to its management screen, drawn only for them and never into a cached page."""
import re

import pytest
from sqlalchemy import select

DASHBOARD = "/m/intipuca/admin/"


def _staff_link(html):
    found = re.findall(r'<p class="staff-link"><a href="([^"]+)">([^<]+)</a></p>', html)
    return found[0] if found else None


def test_dashboard_is_for_the_municipalitys_staff_only(client, login, make):
    assert client.get(DASHBOARD).status_code in (302, 401)
    login(role="resident")
    assert client.get(DASHBOARD).status_code == 403
    other = make.municipality(name="Otra")
    login(role="admin", municipality=other)
    assert client.get(DASHBOARD).status_code == 403
    login(role="verifier")
    assert client.get(DASHBOARD).status_code == 200


def test_publisher_sees_drafts_to_publish_and_not_the_moderators_work(client, login, db, muni):
    from portal.finance.models import BudgetYear

    drafts = db.session.scalars(select(BudgetYear).where(BudgetYear.municipality_id == muni.id,
                                                          BudgetYear.status == "draft")).all()
    login(role="publisher")
    html = client.get(DASHBOARD).get_data(as_text=True)
    label = "1 año del presupuesto sin publicar" if len(drafts) == 1 else f"{len(drafts)} años del presupuesto sin publicar"
    assert drafts and f'<a href="/m/intipuca/finanzas/gestion">{label}</a>' in html
    assert "reportes vencidos" not in html and "por moderar" not in html
    assert "Publicación (concejo o delegado)" in html
    for row in drafts:
        row.publish()
    db.session.flush()
    assert "del presupuesto sin publicar" not in client.get(DASHBOARD).get_data(as_text=True)


def test_moderator_sees_overdue_complaints_with_their_count(client, login, db, muni):
    from sqlalchemy import func

    from portal.participation.complaints import staff

    overdue = db.session.execute(select(func.count()).select_from(
        staff.inbox_statement(muni, staff.InboxFilters(overdue=True)).order_by(None).subquery())).scalar_one()
    login(role="moderator")
    html = client.get(DASHBOARD).get_data(as_text=True)
    match = re.search(r'<a href="/m/intipuca/reclamos/gestion/\?vencidos=1">(\d+) reportes? vencidos?', html)
    assert match and int(match.group(1)) > 0
    assert overdue == int(match.group(1))  # the inbox's own "vencidos" filter counts the same
    assert "del presupuesto sin publicar" not in html


def test_verifier_sees_the_assessment_waiting_for_them(client, login, db, muni):
    from portal.diagnostic.models import Assessment

    assessment = db.session.scalars(select(Assessment).where(Assessment.municipality_id == muni.id)).first()
    assessment.status, assessment.stage = "draft", "submitted"
    db.session.flush()
    login(role="verifier")
    html = client.get(DASHBOARD).get_data(as_text=True)
    assert (f'<a href="/m/intipuca/diagnostico/gestion/{assessment.id}/">'
            "1 diagnóstico enviado espera verificación</a>") in html
    login(role="editor")
    assert "espera verificación" not in client.get(DASHBOARD).get_data(as_text=True)


@pytest.mark.parametrize("path, role, target", [
    ("/m/intipuca/finanzas/", "editor", "/m/intipuca/finanzas/gestion"),
    ("/m/intipuca/reclamos/", "moderator", "/m/intipuca/reclamos/gestion/"),
    ("/m/intipuca/encuestas/", "editor", "/m/intipuca/encuestas/gestion/"),
    ("/m/intipuca/presupuesto/", "publisher", "/m/intipuca/presupuesto/admin"),
    ("/m/intipuca/", "verifier", DASHBOARD),
    ("/m/intipuca/reclamos/", "editor", DASHBOARD),  # the inbox is the moderators': the dashboard instead
])
def test_public_pages_link_staff_to_their_management_screen(client, login, path, role, target):
    assert _staff_link(client.get(path).get_data(as_text=True)) is None
    login(role=role)
    assert _staff_link(client.get(path).get_data(as_text=True))[0] == target


def test_no_link_for_residents_or_other_municipalities_staff(client, login, make):
    login(role="resident")
    assert _staff_link(client.get("/m/intipuca/finanzas/").get_data(as_text=True)) is None
    login(role="admin", municipality=make.municipality(name="Otra"))
    assert _staff_link(client.get("/m/intipuca/finanzas/").get_data(as_text=True)) is None


def test_the_link_never_reaches_the_page_cache(client, login, memory_cache):
    first = client.get("/m/intipuca/finanzas/")
    assert first.headers.get("X-Cache") == "miss" and _staff_link(first.get_data(as_text=True)) is None
    user = login(role="editor")
    staff_page = client.get("/m/intipuca/finanzas/")
    assert staff_page.headers.get("X-Cache") is None and _staff_link(staff_page.get_data(as_text=True))
    with client.session_transaction() as session:
        session.clear()
    again = client.get("/m/intipuca/finanzas/")
    assert again.headers.get("X-Cache") == "hit" and _staff_link(again.get_data(as_text=True)) is None
    assert user.email not in again.get_data(as_text=True)


def test_may_open_reads_the_policy_of_the_endpoint(app, make, muni):
    from portal.accounts.permissions import may_open

    moderator = make.user(role="moderator", municipality=muni)
    publisher = make.user(role="publisher", municipality=muni)
    with app.test_request_context("/"):
        assert may_open("complaints_staff.inbox", muni, moderator)
        assert not may_open("complaints_staff.inbox", muni, publisher)
        assert may_open("finance.manage", muni, publisher)  # publishers may also edit
        assert may_open("finance.index", muni, publisher) and not may_open("no.such_endpoint", muni, publisher)


def test_staff_pages_link_back_to_the_dashboard(client, login):
    login(role="publisher")
    html = client.get("/m/intipuca/finanzas/gestion").get_data(as_text=True)
    assert _staff_link(html) == (DASHBOARD, "Panel de gestión de Intipucá")
