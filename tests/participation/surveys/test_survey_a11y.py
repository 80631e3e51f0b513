"""axe-core (WCAG 2.1 A/AA) on the survey pages at a phone's width, including an
answer page that failed validation."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_survey_a11y")]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"


def _violations(page):
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def test_survey_pages_have_no_axe_violations(browser, live_server, live_app):
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.surveys import services
    from portal.participation.surveys.demo import CLOSED_TITLE, OPEN_TITLE

    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does it)")
    with live_app.app_context():
        surveys = {s.title: s.id for s in services.public_surveys(get_by_slug("intipuca"))}
        db.session.remove()
    closed, open_ = surveys[CLOSED_TITLE], surveys[OPEN_TITLE]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    failures = {}
    base = live_server + "/m/intipuca/encuestas"
    for path in ("/", f"/{closed}/", f"/{closed}/resultados", f"/{open_}/responder", f"/{open_}/mi-respuesta"):
        page.goto(base + path)
        failures[path] = _violations(page)
    page.goto(base + f"/{open_}/responder")
    page.get_by_role("button", name="Siguiente").click()
    expect(page.locator("body")).to_contain_text("Revise los campos marcados")
    failures["error page"] = _violations(page)
    context.close()
    failures = {k: v for k, v in failures.items() if v}
    assert not failures, failures
