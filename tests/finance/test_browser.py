"""The indicator dashboard and budget at phone size, with and without JavaScript."""
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser")]


def test_indicator_dashboard_on_a_phone(phone, live_server):
    phone.goto(f"{live_server}/m/intipuca/finanzas/indicadores?year=2012")
    assert phone.locator("h1").inner_text().startswith("Indicadores financieros")
    cards = phone.locator(".indicator-list > li")
    assert cards.count() == 20
    assert phone.locator(".band-bajo").count() >= 4  # label + shape + colour for each failing indicator
    assert phone.get_by_text("No cumple").first.is_visible()
    width = phone.page_width()
    assert width <= 360, width
    phone.shot("finance-dashboard-phone")
    phone.get_by_role("link", name="Autonomía financiera").click()
    assert "183958.81 / 1064147.34" in phone.locator("p code.formula").inner_text()
    assert phone.page_width() <= 360
    phone.shot("finance-indicator-phone")


def test_budget_and_scenario_without_javascript(phone_nojs, live_server):
    phone_nojs.goto(f"{live_server}/m/intipuca/finanzas/")
    assert "Presupuesto 2013" in phone_nojs.locator("h1").inner_text()
    assert phone_nojs.locator("svg.chart").count() >= 2
    phone_nojs.shot("finance-budget-phone")
    phone_nojs.goto(f"{live_server}/m/intipuca/finanzas/indicadores")
    phone_nojs.select_option("#f-scenario", "PRFM 2014-2018")
    phone_nojs.select_option("#f-year", "2013")
    phone_nojs.get_by_role("button", name="Ver").click()
    assert "scenario=PRFM" in phone_nojs.url
    phone_nojs.goto(f"{live_server}/m/intipuca/finanzas/escenarios")
    phone_nojs.get_by_role("link", name="PRFM 2014-2018").click()
    assert phone_nojs.get_by_text("Reforma a la ordenanza de tasas").first.is_visible()
    phone_nojs.shot("finance-scenario-phone")


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_finance_pages_pass_axe(browser, live_server):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    failures = {}
    for path in ["/m/intipuca/finanzas/presupuesto/2012", "/m/intipuca/finanzas/indicadores?year=2012",
                 "/m/intipuca/finanzas/indicadores/limite_endeudamiento", "/m/intipuca/finanzas/escenarios",
                 "/m/intipuca/finanzas/indicadores?scenario=PRFM+2014-2018&year=2016"]:
        page.goto(live_server + path)
        page.evaluate(AXE.read_text())
        violations = page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        if violations:
            failures[path] = violations
    page.goto(live_server + "/m/intipuca/finanzas/escenarios")
    page.get_by_role("link", name="PRFM 2014-2018").click()
    page.evaluate(AXE.read_text())
    violations = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa']}})).violations.map(v => v.id)""")
    if violations:
        failures["scenario"] = violations
    context.close()
    assert not failures, failures
