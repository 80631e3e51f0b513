"""The indicator dashboard and budget at phone size, with and without JavaScript."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_indicator_dashboard_on_a_phone(phone, live_server):
    phone.goto(f"{live_server}/m/intipuca/finanzas/indicadores?year=2012")
    assert phone.locator("h1").inner_text().startswith("Indicadores financieros")
    cards = phone.locator(".indicator-list > li")
    assert cards.count() == 20
    assert phone.locator(".band-bajo").count() >= 4  # label + shape + colour for each failing indicator
    assert phone.get_by_text("No cumple").first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    phone.shot("finance-dashboard-phone")
    phone.get_by_role("link", name="Autonomía financiera").click()
    assert "183958.81 / 1064147.34" in phone.locator("p code.formula").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
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
