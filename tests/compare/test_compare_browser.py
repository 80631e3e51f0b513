"""The comparison in Chromium at phone size, without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_compare_browser")]


def test_comparison_on_a_phone_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(f"{live_server}/comparar/")
    expect(page.locator("h1")).to_have_text("Comparar municipios")
    assert page.page_width() <= 360, page.page_width()
    page.shot("compare-phone")
    page.select_option("#indicador", "diagnostic.global")
    page.select_option("#agrupacion", "pais")
    page.get_by_role("button", name="Comparar").click()
    expect(page).to_have_url(re.compile(r"indicador=diagnostic\.global"))
    expect(page.get_by_text("Autoevaluación no verificada").first).to_be_visible()
    expect(page.get_by_text("1 de 5").first).to_be_visible()
    assert page.page_width() <= 360, page.page_width()
    page.shot("compare-diagnostic-phone")
    page.get_by_role("link", name="Intipucá").first.click()
    expect(page).to_have_url(re.compile(r"/m/intipuca/comparar/"))
    expect(page.get_by_text("Gran desacuerdo").first).to_be_visible()
    assert page.page_width() <= 360, page.page_width()
    page.shot("compare-municipality-phone")


def test_method_page_on_a_phone(phone, live_server):
    phone.goto(f"{live_server}/comparar/metodo")
    expect(phone.locator("h1")).to_have_text("Método de la comparación")
    assert phone.page_width() <= 360, phone.page_width()
