"""First journeys in Chromium at a phone's size: home, language, a municipality."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_foundation_journeys")]


def test_home_switch_language_open_municipality(phone, live_server):
    page = phone
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Cuentas abiertas de los municipios")
    page.shot("home-es")
    # No horizontal scrolling at 360 px.
    assert page.page_width() <= 360

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.shot("home-en")
    page.get_by_role("link", name="Intipucá").click()
    page.wait_for_url("**/m/intipuca/")
    expect(page.locator("h1")).to_have_text("Intipucá")
    page.shot("intipuca-en")

    page.get_by_role("link", name="Português").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    page.wait_for_url("**/m/intipuca/")
    page.shot("intipuca-pt")
    page.get_by_role("link", name="Cabildo").click()
    page.shot("home-pt")
    page.get_by_role("link", name="Español").click()
    page.goto(live_server + "/m/intipuca/")
    page.shot("intipuca-es")
    assert page.page_width() <= 360


def test_search_works_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(live_server + "/")
    page.get_by_label("Nombre").fill("luzia")
    page.get_by_role("button", name="Buscar").click()
    assert "q=luzia" in page.url
    expect(page.get_by_role("link", name="Santa Luzia (exemplo)")).to_have_count(1)
    expect(page.get_by_role("link", name="Intipucá")).to_have_count(0)


def test_skip_link_is_first_and_reaches_main(phone, live_server):
    page = phone
    page.goto(live_server + "/m/intipuca/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Saltar al contenido"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
