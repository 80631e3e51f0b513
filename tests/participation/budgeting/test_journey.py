"""Done when: a resident verifies, votes, gets a receipt and checks it, in Chromium at
phone size without JavaScript."""
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_resident_votes_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(live_server + "/m/intipuca/presupuesto/")
    page.get_by_role("link", name="Presupuesto participativo 2026").click()
    page.shot("pb-process")
    page.get_by_role("link", name="Votar").click()
    assert "/verificar" in page.url
    page.get_by_label("Número de documento (DUI)").fill("01234567-8")
    page.get_by_label("Fecha de nacimiento").fill("1990-01-01")
    page.shot("pb-verify")
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url("**/votar")
    page.get_by_label(re.compile("Biblioteca comunitaria")).check()
    page.get_by_label(re.compile("Reforestación de la ribera")).check()
    page.shot("pb-ballot")
    assert page.page_width() <= 360
    page.get_by_role("button", name="Revisar mi voto").click()
    assert "Biblioteca comunitaria" in page.locator("main").inner_text()
    page.shot("pb-review")
    page.get_by_role("button", name="Confirmar y emitir mi voto").click()
    code = page.locator(".pb-receipt strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    page.shot("pb-receipt")
    page.get_by_role("link", name="Verificar mi comprobante").click()
    page.get_by_label("Código de comprobante").fill(code)
    page.get_by_role("button", name="Buscar").click()
    found = page.locator("main").inner_text()
    assert "se cuenta tal como se emitió" in found and "Reforestación de la ribera" in found
    page.shot("pb-receipt-checked")
    assert page.page_width() <= 360
    # the same person cannot cast a second ballot
    page.goto(page.url.replace("/verificar-comprobante", "/votar"))
    assert "Ya votó en este proceso" in page.locator("main").inner_text()
