"""Accessibility audit: axe-core (WCAG 2.1 A and AA rules) in Chromium on every public
page of the demo at a phone's width, and the main staff pages."""
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_axe")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
STATIC_PAGES = ["/", "/?q=zzz", "/m/intipuca/", "/m/ejemplo-bo/", "/sin-conexion", "/cuenta/entrar", "/no-such-page",
                "/comparar/", "/comparar/?indicador=diagnostic.global&agrupacion=pais", "/comparar/metodo",
                "/comparar/desacuerdos"]


OPEN_DATA_PAGES = ["/datos/", "/m/intipuca/datos/", "/m/intipuca/datos/presupuesto"]
STATIC_PAGES += OPEN_DATA_PAGES


def public_pages(app):
    """Every section's main page for the demo municipality, plus fixed pages."""
    from flask import url_for

    from portal.core.sections import sections

    pages = list(STATIC_PAGES)
    with app.test_request_context():
        for section in sections():
            pages.append(url_for(section.endpoint, slug="intipuca"))
    return pages


def audit(page, url):
    page.goto(url)
    page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


@pytest.fixture(scope="module")
def audit_page(browser):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does it)")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_public_pages_have_no_axe_violations(audit_page, live_app, live_server):
    failures = {}
    pages = public_pages(live_app)
    for path in pages:
        violations = audit(audit_page, live_server + path)
        if violations:
            failures[path] = violations
    assert not failures, failures
    assert len(pages) >= len(STATIC_PAGES)


def test_paged_platform_lists_have_no_axe_violations(audit_page, live_app, live_server, monkeypatch):
    """The pagers and group jumps that appear once there are many municipalities."""
    from portal.compare import views
    from portal.opendata import data_views

    monkeypatch.setattr(views, "PER_PAGE", 3)
    monkeypatch.setattr(data_views, "DATOS_PAGE", 2)
    failures = {}
    for path in ("/comparar/?agrupacion=pais", "/comparar/?agrupacion=pais&pagina=2", "/datos/"):
        audit_page.goto(live_server + path)
        assert audit_page.locator("nav.pager").count() == 1, path
        violations = audit(audit_page, live_server + path)
        if violations:
            failures[path] = violations
    assert not failures, failures
