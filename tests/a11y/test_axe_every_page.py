"""axe-core (WCAG 2.1 A and AA) in Chromium at a phone's width on EVERY public HTML page
of the portal (each route, its ids taken from the demo) and on every staff page of a
municipality, signed in as a staff member holding every role."""
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.surface.pages import make_staff, pages as surface_pages, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_axe_every_page")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


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
    pages = [page.url for page in surface_pages(live_app, ("public",))]
    assert len(pages) >= 40, pages
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures


def test_every_staff_page_has_no_axe_violations(audit_page, live_app, live_server):
    email = f"axe-staff-{os.getpid()}-{time.time_ns()}@example.org"
    make_staff(live_app, email)
    pages = [page.url for page in surface_pages(live_app) if page.role == "staff"]
    assert len(pages) >= 20, pages
    sign_in(audit_page, live_server, email)
    expect(audit_page.locator("main")).to_contain_text("Sesión iniciada")
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures
