"""Residents' and staff pages: forms that keep what was typed, retries, spam, privacy, the inbox."""
import io
import re

import pytest
from sqlalchemy import select

from portal.participation.complaints import staff
from portal.participation.complaints.models import Report

from .conftest import jpeg_bytes

NEW = "/m/intipuca/reclamos/nuevo?servicio=aseo"


def form_data(district, **extra):
    data = {"description": "Basura en la esquina del parque", "district": str(district.id), "neighbourhood": "",
            "address": "Frente a la escuela", "idempotency_key": "key-123", "contact_email": "vecino@example.org"}
    data.update(extra)
    return data


def stored(db, key="key-123"):
    return db.session.execute(select(Report).where(Report.idempotency_key == key)).scalar_one_or_none()


def test_choose_a_service_then_the_form(client):
    page = client.get("/m/intipuca/reclamos/nuevo").get_data().decode("utf-8-sig")
    assert "¿Qué quiere reportar?" in page and "servicio=alumbrado" in page
    form = client.get("/m/intipuca/reclamos/nuevo?servicio=alumbrado").get_data().decode("utf-8-sig")
    assert "¿Qué le pasa a la lámpara?" in form and 'name="idempotency_key"' in form
    assert re.search(r'name="idempotency_key" type="hidden" value="[\w-]{20,}"', form)


def test_report_with_photo_tracks_and_strips_metadata(client, db, district, app, outbox):
    from PIL import Image

    from portal.core.uploads import path_for

    data = form_data(district, photo=(io.BytesIO(jpeg_bytes((2400, 1200), exif_gps=True)), "foto.jpg"))
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    report = stored(db)
    assert response.headers["Location"].endswith(f"/reclamos/r/{report.code}")
    with Image.open(path_for(report.municipality_id, report.photo)) as image:
        assert max(image.size) == 1600 and not image.getexif()
    page = client.get(f"/m/intipuca/reclamos/r/{report.code}").get_data().decode("utf-8-sig")
    assert "Basura en la esquina del parque" in page and "Recibido" in page
    assert "vecino@example.org" not in page  # personal data never shown
    assert outbox()[0]["To"] == "vecino@example.org" and report.code in outbox()[0]["Subject"]


def test_a_retried_post_stores_once_and_shows_the_same_page(client, db, district):
    first = client.post(NEW, data=form_data(district))
    second = client.post(NEW, data=form_data(district))
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.execute(select(Report).where(Report.idempotency_key == "key-123")).scalars().all().__len__() == 1


def test_what_was_typed_survives_a_rejected_photo(client, db, district):
    data = form_data(district, contact_name="Ana Pérez", photo=(io.BytesIO(b"not an image"), "x.jpg"))
    response = client.post(NEW, data=data, content_type="multipart/form-data")
    page = response.get_data().decode("utf-8-sig")
    assert response.status_code == 200 and "El archivo no es una imagen válida." in page
    assert "Basura en la esquina del parque" in page and 'value="Ana Pérez"' in page
    assert 'value="Frente a la escuela"' in page and 'value="key-123"' in page
    assert stored(db) is None


def test_a_good_photo_is_kept_when_another_field_fails(client, db, district):
    data = form_data(district, description="", photo=(io.BytesIO(jpeg_bytes()), "foto.jpg"))
    page = client.post(NEW, data=data, content_type="multipart/form-data").get_data().decode("utf-8-sig")
    assert "Describa el problema." in page and "Su foto ya se recibió" in page
    name = re.search(r'name="photo_name" type="hidden" value="([^"]+)"', page).group(1)
    client.post(NEW, data=form_data(district, photo_name=name))
    assert stored(db).photo == name


def test_honeypot_stores_nothing(client, db, district):
    response = client.post(NEW, data=form_data(district, website="http://spam.example"))
    assert response.status_code == 302 and stored(db) is None


def test_similar_reports_are_offered_before_submitting(client, db, district, report_factory):
    existing = report_factory(description="Calle sucia desde el lunes")
    page = client.post(NEW, data=form_data(district)).get_data().decode("utf-8-sig")
    assert "¿Es alguno de estos?" in page and "Calle sucia desde el lunes" in page
    assert existing.code not in page  # other people's tracking codes stay private
    assert stored(db) is None and 'name="confirm_new" type="hidden" value="1"' in page
    support = client.post(f"/m/intipuca/reclamos/{existing.id}/apoyar", follow_redirects=True)
    assert "su apoyo se sumó" in support.get_data().decode("utf-8-sig")
    assert existing.supports_count == 1
    client.post(NEW, data=form_data(district, confirm_new="1"))
    assert stored(db) is not None


def test_resident_confirms_a_fix(client, db, report_factory, muni):
    report = report_factory()
    staff.change_status(muni, report, report.version, "fixed")
    page = client.get(f"/m/intipuca/reclamos/r/{report.code}").get_data().decode("utf-8-sig")
    assert "¿Quedó realmente resuelto?" in page
    response = client.post(f"/m/intipuca/reclamos/r/{report.code}/confirmar", data={"answer": "no"},
                           follow_redirects=True)
    assert "Reabrimos el reporte" in response.get_data().decode("utf-8-sig")
    assert report.status == "in_progress" and report.reopen_count == 1


def test_find_by_code(client, report_factory):
    report = report_factory()
    response = client.get(f"/m/intipuca/reclamos/seguimiento?codigo={report.code.lower()}")
    assert response.headers["Location"].endswith(f"/r/{report.code}")
    missing = client.get("/m/intipuca/reclamos/seguimiento?codigo=ZZZZZZZZ")
    assert missing.status_code == 404 and "No encontramos un reporte" in missing.get_data().decode("utf-8-sig")
    assert client.get("/m/ejemplo-bo/reclamos/r/" + report.code).status_code == 404  # other municipality


def test_hidden_reports_show_no_text(client, report_factory, muni):
    report = report_factory(description="insultos")
    staff.set_hidden(muni, report, report.version, True, "abuso")
    page = client.get(f"/m/intipuca/reclamos/r/{report.code}").get_data().decode("utf-8-sig")
    assert "ocultado por moderación" in page and "insultos" not in page


def test_statistics_page(client):
    page = client.get("/m/intipuca/reclamos/estadisticas").get_data().decode("utf-8-sig")
    assert "<svg" in page and "Reportes por mes" in page and "Alumbrado público" in page
    assert "Resueltos dentro del plazo" in page and "Reportes por mes y servicio" in page
    assert page.count('role="img"') == 2  # each chart has its data table beside it
    assert page.count("<table>") == 3


@pytest.mark.parametrize("role, status", [(None, 302), ("resident", 403), ("editor", 403), ("moderator", 200),
                                          ("admin", 200)])
def test_inbox_access(client, login, role, status):
    if role:
        login(role=role)
    assert client.get("/m/intipuca/reclamos/gestion/").status_code == status


def test_inbox_filters_and_staff_actions(client, login, db, report_factory, muni, lighting):
    from datetime import timedelta

    from portal.core.clock import utcnow

    login(role="moderator")
    late = report_factory(description="vencido")
    late.created_at = utcnow() - timedelta(days=30)
    lamp = report_factory(category=lighting, answers={"falla": "dia"})
    db.session.flush()
    overdue = client.get("/m/intipuca/reclamos/gestion/?vencidos=1&estado=open").get_data().decode("utf-8-sig")
    assert f"/gestion/{late.id}\"" in overdue and f"/gestion/{lamp.id}\"" not in overdue
    by_service = client.get(f"/m/intipuca/reclamos/gestion/?servicio={lighting.id}").get_data().decode("utf-8-sig")
    assert f"/gestion/{lamp.id}\"" in by_service and f"/gestion/{late.id}\"" not in by_service
    base = f"/m/intipuca/reclamos/gestion/{late.id}"
    missing_reason = client.post(base + "/estado", data={"version": late.version, "status": "wont_fix"})
    assert missing_reason.status_code == 400 and "Revise este dato" in missing_reason.get_data().decode("utf-8-sig")
    assert client.post(base + "/estado", data={"version": late.version, "status": "wont_fix",
                                               "reason": "Es propiedad privada"}).status_code == 302
    assert late.status == "wont_fix" and late.status_reason == "Es propiedad privada"
    units = {u.name: u.id for u in staff.units(muni)}
    client.post(base + "/asignar", data={"version": late.version, "unit": units["Unidad de Obras Públicas"]})
    assert late.unit.name == "Unidad de Obras Públicas"
    client.post(base + "/actualizacion", data={"version": late.version, "body": "Solo personal", "visibility": "note"})
    page = client.get(f"/m/intipuca/reclamos/r/{late.code}").get_data().decode("utf-8-sig")
    assert "Es propiedad privada" in page and "Solo personal" not in page


def test_concurrent_edit_gets_a_clear_message(client, login, report_factory):
    login(role="moderator")
    report = report_factory()
    seen = report.version
    base = f"/m/intipuca/reclamos/gestion/{report.id}"
    assert client.post(base + "/estado", data={"version": seen, "status": "in_progress"}).status_code == 302
    lost = client.post(base + "/estado", data={"version": seen, "status": "fixed"})
    assert lost.status_code == 409
    assert "Otra persona cambió este reporte" in lost.get_data().decode("utf-8-sig")
    assert report.status == "in_progress"


def test_export_is_anonymized(client, login, report_factory):
    from openpyxl import load_workbook

    login(role="moderator")
    report_factory(contact_name="Ana Secreta", contact_email="ana@example.org", contact_phone="7777-0000")
    csv_text = client.get("/m/intipuca/reclamos/gestion/exportar.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,created_at,category_code")
    assert "Ana Secreta" not in csv_text and "ana@example.org" not in csv_text and "7777" not in csv_text
    assert len(csv_text.splitlines()) > 100
    xlsx = client.get("/m/intipuca/reclamos/gestion/exportar.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(1, 1).value == "id" and sheet.max_row > 100


def test_admin_issues_api_keys_on_a_page(client, login, db):
    from portal.participation.complaints.models import ApiKey

    login(role="admin")
    page = client.post("/m/intipuca/reclamos/gestion/claves-api", data={"app_name": "FixMyStreet"}).get_data().decode("utf-8-sig")
    plain = re.search(r"(o311_[\w-]+)", page).group(1)
    key = db.session.execute(select(ApiKey).where(ApiKey.app_name == "FixMyStreet")).scalar_one()
    assert key.key_hash != plain and plain not in key.key_hash
    assert plain not in client.get("/m/intipuca/reclamos/gestion/claves-api").get_data().decode("utf-8-sig")


def test_moderators_cannot_issue_api_keys(client, login):
    login(role="moderator")
    assert client.get("/m/intipuca/reclamos/gestion/claves-api").status_code == 403


def test_cli_issues_an_api_key(runner, db, muni):
    result = runner.invoke(args=["complaints", "api-key", "intipuca", "Mi App"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert staff.check_api_key(muni, plain).app_name == "Mi App"
    assert runner.invoke(args=["complaints", "api-key", "nowhere", "X"]).exit_code != 0


def test_query_counts_stay_constant(client, login, queries, report_factory, api_key):
    def measure():
        login(role="moderator")
        sample = report_factory()
        counts = []
        for url in ("/m/intipuca/reclamos/gestion/", f"/m/intipuca/reclamos/r/{sample.code}",
                    "/open311/v2/requests.json?jurisdiction_id=intipuca",
                    "/open311/v2/requests.xml?jurisdiction_id=intipuca&extensions=true"):
            with queries() as n:
                assert client.get(url).status_code == 200
            counts.append(n())
        return counts
    before = measure()
    for index in range(30):
        report_factory(description=f"más {index}")
    assert measure() == before


def test_report_posts_are_rate_limited(client, district):
    codes = [client.post(NEW, data=form_data(district, description="", idempotency_key=f"k{i}")).status_code
             for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert client.get(NEW).status_code == 200  # reading the form is not limited


def test_every_status_change_is_emailed(client, login, report_factory, outbox):
    login(role="moderator")
    report = report_factory(contact_email="vecina@example.org")
    client.post(f"/m/intipuca/reclamos/gestion/{report.id}/estado",
                data={"version": report.version, "status": "in_progress", "note": "Cuadrilla en camino"})
    client.post(f"/m/intipuca/reclamos/gestion/{report.id}/actualizacion",
                data={"version": report.version, "body": "Llegamos mañana", "visibility": "public"})
    subjects = [m["Subject"] for m in outbox() if m["To"] == "vecina@example.org"]
    assert subjects == [f"Recibimos su reporte {report.code}", f"Reporte {report.code}: En proceso",
                        f"Novedades de su reporte {report.code}"]


def test_admin_keeps_the_catalog(client, login, db, muni):
    from portal.participation.complaints import services as complaint_services

    login(role="admin")
    page = client.get("/m/intipuca/reclamos/gestion/servicios").get_data().decode("utf-8-sig")
    assert "Alumbrado público" in page and "Unidad de Obras Públicas" in page
    assert client.post("/m/intipuca/reclamos/gestion/unidades", data={"name": "Unidad Ambiental",
                                                                       "email": "ambiente@example.org"}).status_code == 302
    unit = next(u for u in staff.units(muni) if u.name == "Unidad Ambiental")
    created = client.post("/m/intipuca/reclamos/gestion/servicios", data={
        "code": "arboles", "name": "Poda de árboles", "service_days": "7", "default_unit": str(unit.id)})
    assert created.status_code == 302
    trees = complaint_services.get_category(muni, "arboles")
    assert trees.default_unit_id == unit.id and trees.service_days == 7
    taken = client.post("/m/intipuca/reclamos/gestion/servicios", data={"code": "arboles", "name": "x",
                                                                         "service_days": "3"})
    assert taken.status_code == 400 and "Ese código ya está en uso." in taken.get_data().decode("utf-8-sig")
    prefix = f"c{trees.id}-"
    client.post(f"/m/intipuca/reclamos/gestion/servicios/{trees.id}", data={
        prefix + "name": "Poda", prefix + "service_days": "4", prefix + "default_unit": ""})
    assert (trees.name, trees.service_days, trees.default_unit_id, trees.active) == ("Poda", 4, None, False)
    services_xml = client.get("/open311/v2/services.json?jurisdiction_id=intipuca").get_data().decode("utf-8-sig")
    assert "arboles" not in services_xml  # inactive services are not offered


def test_moderators_cannot_keep_the_catalog(client, login):
    login(role="moderator")
    assert client.get("/m/intipuca/reclamos/gestion/servicios").status_code == 403


def test_answers_show_questions_and_option_names(client, login, report_factory, lighting):
    login(role="moderator")
    report = report_factory(category=lighting, answers={"falla": "dia", "poste": "P-7"})
    for url in (f"/m/intipuca/reclamos/r/{report.code}", f"/m/intipuca/reclamos/gestion/{report.id}"):
        page = client.get(url).get_data().decode("utf-8-sig")
        assert "¿Qué le pasa a la lámpara?</dt><dd>Encendida de día" in page and "P-7" in page


def test_admin_adds_and_removes_extra_questions(client, login, category, db):
    login(role="admin")
    url = f"/m/intipuca/reclamos/gestion/servicios/{category.id}/preguntas"
    prefix = f"q{category.id}-"
    bad = client.post(url, data={prefix + "code": "zona", prefix + "description": "¿Qué zona?",
                                 prefix + "datatype": "singlevaluelist", prefix + "options": "sin signo"})
    assert bad.status_code == 400 and "Línea 1: escriba clave=Nombre." in bad.get_data().decode("utf-8-sig")
    client.post(url, data={prefix + "code": "zona", prefix + "description": "¿Qué zona?", prefix + "required": "y",
                           prefix + "datatype": "singlevaluelist", prefix + "options": "a=Acera\nc=Calle"})
    definition = client.get("/open311/v2/services/aseo.json?jurisdiction_id=intipuca").get_json()
    question = definition["attributes"][0]
    assert question["code"] == "zona" and question["required"] is True
    assert question["values"] == [{"key": "a", "name": "Acera"}, {"key": "c", "name": "Calle"}]
    form = client.get("/m/intipuca/reclamos/nuevo?servicio=aseo").get_data().decode("utf-8-sig")
    assert "¿Qué zona?" in form and "Acera" in form
    client.post(f"{url}/{category.attributes[0].id}/quitar")
    assert client.get("/open311/v2/services/aseo.json?jurisdiction_id=intipuca").get_json()["attributes"] == []
    from sqlalchemy import select as _select

    from portal.audit.models import ChangeRecord

    actions = [r.action for r in db.session.execute(_select(ChangeRecord).where(
        ChangeRecord.object_type == "CategoryAttribute", ChangeRecord.municipality_id == category.municipality_id)
        .order_by(ChangeRecord.id.desc()).limit(2)).scalars()]
    assert actions == ["delete", "create"]


def test_admin_keeps_the_neighbourhood_lists(client, login, muni, district, report_factory):
    from portal.participation.complaints import services as complaint_services

    login(role="admin")
    response = client.post("/m/intipuca/reclamos/gestion/barrios", data={"district": str(district.id),
                                                                       "name": "Colonia Nueva"})
    assert response.status_code == 302
    place = next(p for p in complaint_services.neighbourhoods(muni) if p.name == "Colonia Nueva")
    assert "Colonia Nueva" in client.get("/m/intipuca/reclamos/nuevo?servicio=aseo").get_data().decode("utf-8-sig")
    report = report_factory(neighbourhood_id=place.id)
    client.post(f"/m/intipuca/reclamos/gestion/barrios/{place.id}/quitar")
    assert all(p.name != "Colonia Nueva" for p in complaint_services.neighbourhoods(muni))
    assert report.neighbourhood_id is None and report.district_id == district.id
    other_town = client.post("/m/intipuca/reclamos/gestion/barrios", data={"district": "999999", "name": "X"})
    assert other_town.status_code == 400 and "Distrito desconocido." in other_town.get_data().decode("utf-8-sig")


def test_another_municipalitys_report_answers_404(client, login, db, make):
    from portal.participation.complaints import services as complaint_services
    from portal.participation.complaints.models import Category

    other = make.municipality()
    water = Category(municipality_id=other.id, code="agua", name="Agua", service_days=3)
    db.session.add(water)
    db.session.flush()
    foreign, _ = complaint_services.create_report(other, complaint_services.ReportInput(category=water, address="x"))
    login(role="admin")
    for url in (f"/m/intipuca/reclamos/gestion/{foreign.id}", f"/m/intipuca/reclamos/r/{foreign.code}"):
        assert client.get(url).status_code == 404
    assert client.post(f"/m/intipuca/reclamos/gestion/{foreign.id}/estado",
                       data={"version": "1", "status": "fixed"}).status_code == 404
    assert client.post(f"/m/intipuca/reclamos/{foreign.id}/apoyar").status_code == 404
    assert client.get(f"/open311/v2/requests/{foreign.id}.json?jurisdiction_id=intipuca").status_code == 404
    assert client.get(f"/open311/v2/requests/{foreign.id}.json?jurisdiction_id={other.slug}").status_code == 200


def test_an_api_key_works_only_in_its_own_jurisdiction(client, api_key):
    body = f"api_key={api_key}&jurisdiction_id=ejemplo-bo&service_code=aseo&address_string=x"
    response = client.post("/open311/v2/requests.json", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 403


@pytest.mark.parametrize("url, expected", [
    ("/m/ejemplo-bo/reclamos/", "todavía no recibe reclamos en línea"),
    ("/m/ejemplo-pe/reclamos/nuevo", "todavía no recibe reclamos en línea"),
    ("/m/ejemplo-bo/reclamos/estadisticas", "Estadísticas de reclamos"),
    ("/open311/v2/services.json?jurisdiction_id=ejemplo-bo", "[]"),
    ("/open311/v2/requests.xml?jurisdiction_id=ejemplo-pe", '<?xml version="1.0" encoding="utf-8"?><service_requests />'),
])
def test_a_municipality_without_services(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200 and expected in response.get_data().decode("utf-8-sig")
