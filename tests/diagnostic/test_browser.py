"""Phone journeys in Chromium: the demo's two assessments and their trajectory."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser")]


def test_phone_sees_both_assessments_and_trajectory(phone, live_server):
    page = phone
    page.goto(live_server + "/m/intipuca/")
    page.get_by_role("link", name="Diagnóstico de gestión").first.click()
    page.wait_for_url("**/m/intipuca/diagnostico/")
    expect(page.locator("h1")).to_have_text("Diagnóstico de gestión")
    chart = page.locator("svg.diag-scatter")
    assert chart.count() == 1 and chart.locator("circle.diag-point").count() == 2
    assert chart.locator("polyline").count() == 1  # the trajectory joins the two points
    table = page.locator("table.diag-rg")
    assert table.locator("tbody tr").count() == 2
    assert "80.00" in table.inner_text() and "70.00" in table.inner_text()
    assert page.page_width() <= 360
    page.shot("diagnostic-overview-2013")

    page.get_by_role("link", name="15 de enero de 2012").first.click()
    assert "assessment=" in page.url
    areas = page.locator("table", has_text="Área de gestión").inner_text()
    for figure in ("50.58", "54.26", "57.74", "34.04", "43.48"):
        assert figure in areas
    assert "Primer diagnóstico" in page.locator(".diag-meta").inner_text()
    page.shot("diagnostic-overview-2012")

    page.get_by_role("link", name="Gestión Financiera").click()
    assert "52.67" in page.locator("table").inner_text()
    page.get_by_role("link", name="Contabilidad y Registro de la Información").click()
    text = page.locator("table").inner_text()
    assert "gf11" in text and "45.00" in page.locator(".diag-big").inner_text()
    page.get_by_role("link", name="gf14 Oportunidad de pago a proveedores").click()
    history = page.locator("table").last.inner_text()
    assert "2012" in history and "2013" in history
    page.shot("diagnostic-indicator-gf14")
    assert page.page_width() <= 360


def test_source_fed_indicator_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(live_server + "/m/intipuca/diagnostico/indicador/ac07/")
    body = page.locator("main").inner_text()
    assert "Regla de puntaje publicada" in body and "sin dato de la fuente" in body
    assert "No reportado" in body
    page.shot("diagnostic-indicator-ac07")
