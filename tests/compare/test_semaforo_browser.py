"""The fiscal semáforo at 320 px in Spanish, English and Portuguese, without JavaScript:
from the comparisons page to the semáforo, filtered by country and light, to Intipucá's
monthly execution, and back from its finance page. No horizontal overflow; screenshots saved."""
import os

import pytest

from tests.a11y.test_axe import AXE, audit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_semaforo_browser")]

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-semaforo")
TEXTS = {"es": ("Semáforo fiscal de todos los municipios", "Semáforo fiscal", "Ámbar", "Sin datos mensuales",
                "Ver el semáforo fiscal de todos los municipios"),
         "en": ("Fiscal traffic light of every municipality", "Fiscal traffic light", "Amber", "No monthly data",
                "See the fiscal traffic light of every municipality"),
         "pt": ("Semáforo fiscal de todos os municípios", "Semáforo fiscal", "Âmbar", "Sem dados mensais",
                "Ver o semáforo fiscal de todos os municípios")}


def fits(page):
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_semaforo_journey_at_320_px(browser, live_server, lang):
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    link, title, amber, no_data, back = TEXTS[lang]
    try:
        page.goto(f"{live_server}/lang/{lang}?next=/comparar/")
        page.get_by_role("link", name=link).click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == title and fits(page)
        assert no_data in page.locator(".semaforo-list").inner_text()
        page.screenshot(path=f"{SHOTS}/semaforo-{lang}.png", full_page=True)

        page.locator("#country").select_option("SV")
        page.locator("#luz").select_option("amber")
        page.locator("main form.filters button[type=submit]").click()
        page.wait_for_load_state("load")
        assert "country=SV" in page.url and "luz=amber" in page.url and fits(page)
        items = page.locator(".semaforo-item")
        assert items.count() == 1 and "Intipucá" in items.inner_text() and amber in items.inner_text()
        assert "▲" in items.locator(".light").inner_text()  # an icon beside the word, not colour alone
        page.screenshot(path=f"{SHOTS}/semaforo-amber-{lang}.png", full_page=True)
        if AXE.exists():  # WCAG 2.1 A and AA on the filtered page (the key, the lights, the list); axe needs JS
            checker = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
            try:
                assert audit(checker.new_page(), page.url) == []
            finally:
                checker.close()

        items.get_by_role("link", name="Intipucá").click()
        page.wait_for_load_state("load")
        assert "/m/intipuca/finanzas/ejecucion/" in page.url and fits(page)

        page.goto(f"{live_server}/m/intipuca/finanzas/")
        here = page.locator(".semaforo-here")
        assert amber in here.inner_text() and fits(page)
        here.screenshot(path=f"{SHOTS}/finance-light-{lang}.png")
        here.get_by_role("link", name=back).click()
        page.wait_for_load_state("load")
        assert "country=SV" in page.url and page.locator("h1").inner_text() == title
    finally:
        context.close()
