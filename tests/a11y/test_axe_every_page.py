"""axe-core (WCAG 2.1 A and AA) in Chromium at a phone's width on EVERY public HTML page
of the portal (each route, its ids taken from the demo) and on every staff page of a
municipality, signed in as a staff member holding every role."""
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.surface.pages import ROLES, STAFF_PASSWORD, pages as surface_pages

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = STAFF_PASSWORD


def html_pages(app, access) -> list[str]:
    """Every GET route with ``access`` whose arguments the demo can fill, as URLs."""
    return [page.url for page in surface_pages(app, (access,))]


def audit(page, url):
    response = page.goto(url)
    if "text/html" not in response.headers.get("content-type", ""):
        return response.status, []  # e.g. a token in plain text: not a page
    page.evaluate(AXE.read_text())
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return response.status, violations


@pytest.fixture
def audit_page(browser):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does it)")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_every_public_page_has_no_axe_violations(audit_page, live_app, live_server):
    pages = html_pages(live_app, "public")
    assert len(pages) >= 40, pages
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures


def test_every_staff_page_has_no_axe_violations(audit_page, live_app, live_server):
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    email = f"axe-staff-{os.getpid()}-{time.time_ns()}@example.org"
    with live_app.app_context():
        user = services.create_user(email, PASSWORD, confirmed=True, platform_admin=True)
        for role in ROLES:
            services.grant(user, get_by_slug("intipuca"), role)
        db.session.commit()
    pages = [p for p in html_pages(live_app, "roles") + html_pages(live_app, "platform_admin")
             + html_pages(live_app, "signed_in")]
    assert len(pages) >= 20, pages
    audit_page.goto(f"{live_server}/cuenta/entrar")
    audit_page.get_by_label("Correo electrónico").fill(email)
    audit_page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    audit_page.get_by_role("button", name="Entrar").click()
    expect(audit_page.locator("main")).to_contain_text("Sesión iniciada")
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures
