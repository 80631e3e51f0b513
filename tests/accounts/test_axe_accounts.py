"""axe-core (WCAG 2.1 A/AA) on the account pages, the members page and the change history."""
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_axe_accounts")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC = ["/cuenta/registro", "/cuenta/contrasena/olvido", "/cuenta/confirmar/bad-token",
          "/m/intipuca/historial", "/m/intipuca/historial?seccion=municipality&desde=2000-01-01",
          "/m/intipuca/historial/1"]
SIGNED_IN = ["/cuenta/perfil", "/cuenta/correo", "/cuenta/contrasena", "/cuenta/eliminar",
             "/m/intipuca/admin/members", "/admin/municipalities/first-admin"]


def _violations(page, url):
    page.goto(url)
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def test_account_and_history_pages_have_no_axe_violations(browser, live_app, live_server):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does it)")
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    email = f"axe-{os.getpid()}-{time.time_ns()}@example.org"
    with live_app.app_context():
        user = services.create_user(email, "una frase larga de prueba", confirmed=True, platform_admin=True)
        services.grant(user, get_by_slug("intipuca"), "admin")
        db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    try:
        failures = {path: v for path in PUBLIC if (v := _violations(page, live_server + path))}
        page.goto(f"{live_server}/cuenta/entrar")
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña", exact=True).fill("una frase larga de prueba")
        page.get_by_role("button", name="Entrar").click()
        expect(page.locator("main")).to_contain_text("Sesión iniciada")
        failures.update({path: v for path in SIGNED_IN if (v := _violations(page, live_server + path))})
    finally:
        context.close()
    assert not failures, failures
