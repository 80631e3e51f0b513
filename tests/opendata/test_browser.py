"""The "Datos abiertos" pages in Chromium at a phone's width, without JavaScript: a monitor
goes from the municipality's home to a dataset and its download."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser")]


def test_monitor_finds_a_dataset_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(f"{live_server}/m/intipuca/")
    page.get_by_role("link", name="Datos abiertos: descargas, catálogo y API").click()
    expect(page).to_have_url(f"{live_server}/m/intipuca/datos/")
    expect(page.locator("h1")).to_have_text("Datos abiertos")
    assert page.page_width() <= 360
    page.shot("opendata-index-phone")
    page.get_by_role("link", name="Presupuesto por partida").click()
    expect(page).to_have_url(f"{live_server}/m/intipuca/datos/presupuesto")
    expect(page.get_by_role("rowheader", name="fase_local")).to_be_visible()
    assert page.page_width() <= 360
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    assert csv_link.get_attribute("href").endswith("/api/v1/municipalities/intipuca/datasets/presupuesto/data.csv")
    page.goto(f"{live_server}/datos/")
    expect(page.get_by_role("link", name="DCAT Turtle")).to_be_visible()
    assert page.page_width() <= 360
    page.shot("opendata-platform-phone")
