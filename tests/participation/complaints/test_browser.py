"""The resident's and the staff's journey in Chromium at phone size, without JavaScript."""
import os
import re

import pytest
from playwright.sync_api import expect

from .conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser")]
PASSWORD = "correct horse battery"


def _no_sideways_scroll(page):
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _staff(live_app, role):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    with live_app.app_context():
        email = f"{role}-{os.getpid()}-{os.urandom(3).hex()}@example.org"
        user = accounts.create_user(email, PASSWORD, confirmed=True)
        accounts.grant(user, get_by_slug("intipuca"), role)
        db.session.commit()
    return email


@pytest.fixture
def moderator(live_app):
    return _staff(live_app, "moderator")


@pytest.fixture
def admin(live_app):
    return _staff(live_app, "admin")


def test_report_track_fix_and_confirm_without_javascript(phone_nojs, live_server, live_app, moderator, tmp_path):
    page = phone_nojs
    photo = tmp_path / "bache.jpg"
    photo.write_bytes(jpeg_bytes((800, 600)))

    page.goto(f"{live_server}/m/intipuca/reclamos/")
    page.get_by_role("link", name="Hacer un reporte").click()
    page.get_by_role("link", name="Red vial").click()
    expect(page.get_by_label("¿Qué pasa?")).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_label("¿Qué pasa?").fill("Bache profundo frente a la casa comunal")
    page.get_by_label("Bache").check()
    page.get_by_label("Distrito").select_option(label="El Cuco")
    page.get_by_label("Barrio, colonia o caserío").select_option(label="Playa El Cuco")
    page.get_by_label("Dirección o punto de referencia").fill("Calle a la playa, frente a la casa comunal")
    page.get_by_label("Foto (opcional").set_input_files(str(photo))
    page.get_by_label("Correo electrónico").fill("vecina@example.org")
    page.shot("complaints-form")
    page.get_by_role("button", name="Enviar reporte").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^(Reporte |¿Es alguno de estos\?)"))
    if page.get_by_role("heading", name="¿Es alguno de estos?").count():
        page.shot("complaints-similar")
        page.get_by_role("button", name="No es ninguno: enviar mi reporte").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Reporte "))
    heading = page.locator("h1").inner_text()
    assert heading.startswith("Reporte ")
    code = heading.split()[-1]
    expect(page.locator("main")).to_contain_text("Guarde su código")
    expect(page.locator("img.cphoto")).to_have_count(1)
    assert "vecina@example.org" not in page.content()
    _no_sideways_scroll(page)
    page.shot("complaints-tracking")

    # Staff sign in, find it in the inbox and mark it fixed.
    page.goto(f"{live_server}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(moderator)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server}/m/intipuca/reclamos/gestion/")
    page.get_by_label("Estado").select_option(value="received")
    page.get_by_role("button", name="Filtrar").click()
    page.shot("complaints-inbox")
    _no_sideways_scroll(page)
    with live_app.app_context():
        from portal.participation.complaints.services import track
        from portal.municipalities.services import get_by_slug

        report_id = track(get_by_slug("intipuca"), code).id
    page.get_by_role("link", name=str(report_id), exact=True).click()
    page.get_by_label("Nuevo estado").select_option(value="fixed")
    page.get_by_label("Nota pública (opcional)").fill("Se rellenó el bache.")
    page.get_by_role("button", name="Cambiar estado").click()
    expect(page.locator("main")).to_contain_text("Cambio guardado.")
    page.shot("complaints-staff-report")
    page.get_by_role("button", name="Salir").click()

    # The resident comes back with the code and says it is fixed.
    page.goto(f"{live_server}/m/intipuca/reclamos/")
    page.get_by_label("Código de seguimiento").fill(code.lower())
    page.get_by_role("button", name="Ver mi reporte").click()
    expect(page.locator("main")).to_contain_text("Se rellenó el bache.")
    page.get_by_label("Sí").check()
    page.shot("complaints-confirm")
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.locator("main")).to_contain_text("Gracias por confirmar.")
    expect(page.locator("main")).to_contain_text("El vecino confirmó que quedó resuelto.")
    _no_sideways_scroll(page)
    page.shot("complaints-confirmed")


def test_complaint_pages_pass_axe(browser, live_server, live_app, admin):
    """WCAG 2.1 A/AA rules (axe-core) on the resident and staff pages at phone width."""
    from pathlib import Path

    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.complaints.models import Report

    axe = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail("axe-core is not installed: run `npm ci`")
    with live_app.app_context():
        code, report_id = db.session.execute(db.select(Report.code, Report.id).where(
            Report.municipality_id == get_by_slug("intipuca").id, Report.status == "fixed")).first()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    failures = {}
    for path in ("/m/intipuca/reclamos/", "/m/intipuca/reclamos/nuevo", "/m/intipuca/reclamos/nuevo?servicio=red-vial",
                 f"/m/intipuca/reclamos/r/{code}", "/m/intipuca/reclamos/estadisticas", "signin",
                 "/m/intipuca/reclamos/gestion/", f"/m/intipuca/reclamos/gestion/{report_id}",
                 "/m/intipuca/reclamos/gestion/servicios", "/m/intipuca/reclamos/gestion/claves-api"):
        if path == "signin":
            page.goto(f"{live_server}/cuenta/entrar")
            page.get_by_label("Correo electrónico").fill(admin)
            page.get_by_label("Contraseña").fill(PASSWORD)
            page.get_by_role("button", name="Entrar").click()
            continue
        page.goto(live_server + path)
        if "/gestion/" in path:  # really signed in as staff
            assert page.locator("h1").inner_text().startswith(("Bandeja de reclamos", "Reporte n.º", "Servicios y",
                                                               "Claves de API"))
            if "servicios" in path:
                page.screenshot(path=os.path.join(os.path.dirname(__file__), "..", "..", "..", "test-artifacts",
                                                  "complaints-catalog.png"), full_page=True)
                _no_sideways_scroll(page)
        page.evaluate(axe.read_text())
        violations = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => v.id + ': ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
        if violations:
            failures[path] = violations
    context.close()
    assert not failures, failures


def test_use_my_location_with_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV",
                                  geolocation={"latitude": 13.1834, "longitude": -88.0552},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"{live_server}/m/intipuca/reclamos/nuevo?servicio=aseo")
    page.get_by_role("button", name="Usar mi ubicación").click()
    page.get_by_text("Ubicación agregada.").wait_for()
    assert page.get_by_label("Latitud (opcional)").input_value() == "13.183400"
    assert page.get_by_label("Longitud (opcional)").input_value() == "-88.055200"
    context.close()


def test_no_location_button_without_javascript(phone_nojs, live_server):
    phone_nojs.goto(f"{live_server}/m/intipuca/reclamos/nuevo?servicio=aseo")
    assert phone_nojs.get_by_role("button", name="Usar mi ubicación").count() == 0
    assert phone_nojs.get_by_label("Dirección o punto de referencia").count() == 1
