"""Revenue potential at 320 px in Spanish, English and Portuguese, without JavaScript: the
public page (no horizontal overflow, every figure explained) and the staff journey (upload,
preview, a refused file naming the row and column, confirm). Screenshots saved."""
import os
import re

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_revenue_browser")]

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-rev")
TEXTS = {"es": ("Ingresos potenciales 2012", "Vista previa", "Fila 2", "Guardadas 2 filas"),
         "en": ("Revenue potential 2012", "Preview", "Row 2", "Saved 2 revenue potential rows"),
         "pt": ("Receitas potenciais 2012", "Prévia", "Linha 2", "Salvas 2 linhas")}
GOOD = "grupo,código,nombre,percibido,devengado,tasa\npotencial,12.AP,Alumbrado,100,150,\nmedida,12.C,Cobro,,,10%\n"
BAD = "grupo,código,nombre,percibido,devengado,tasa\npotencial,12.AP,Alumbrado,100,,\n"


@pytest.fixture(scope="module")
def editor(live_app):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    with live_app.app_context():
        user = accounts.create_user("revenue-editor@example.org", PASSWORD, confirmed=True)
        accounts.grant(user, get_by_slug("intipuca"), "editor")
        db.session.commit()
    return "revenue-editor@example.org"


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_revenue_potential_at_320_px(browser, live_server, editor, lang, tmp_path):
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lang/{lang}?next=/m/intipuca/finanzas/ingresos-potenciales")
        page.wait_for_load_state("load")
        assert TEXTS[lang][0] in page.locator("h1").inner_text()
        content = page.content()
        for thousands, rest in (("196", "576"), ("111", "511"), ("85", "064")):  # as the language writes them
            assert re.search(thousands + "[.,\u00a0\u202f ]" + rest + "[.,][0-9]{2}", content), thousands
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/revenue-public-{lang}.png", full_page=True)

        page.goto(f"{live_server}/cuenta/entrar")
        page.locator("[name=email]").fill(editor)
        page.locator("[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        upload = f"{live_server}/m/intipuca/finanzas/ingresos-potenciales/importar"
        bad = tmp_path / "mal.csv"
        bad.write_text(BAD, encoding="utf-8")
        page.goto(upload)
        page.locator("[name=file]").set_input_files(str(bad))
        page.locator("[name=year]").fill("2040")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        summary = page.locator(".error-summary").inner_text()
        assert TEXTS[lang][2] in summary and "devengado" in summary
        assert page.locator("[name=year]").input_value() == "2040"  # what was typed is kept
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/revenue-upload-refused-{lang}.png", full_page=True)

        good = tmp_path / "bien.csv"
        good.write_text(GOOD, encoding="utf-8")
        page.locator("[name=file]").set_input_files(str(good))
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        assert TEXTS[lang][1] in page.locator("h2").first.inner_text()
        assert re.search(r"60[.,]00", page.content()) and re.search(r"10[.,]00", page.content())
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/revenue-upload-preview-{lang}.png", full_page=True)
        page.locator("form[action$='confirmar'] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert TEXTS[lang][3] in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/revenue-manage-{lang}.png", full_page=True)
    finally:
        context.close()


COSTS = {"es": ("Lo que cuesta cada servicio", "Ingreso al año"), "en": ("What each service costs", "Revenue a year"),
         "pt": ("Quanto custa cada serviço", "Receita por ano")}


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_cost_of_services_and_a_fee_reform_at_320_px(browser, live_server, lang):
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lang/{lang}?next=/m/intipuca/finanzas/costos-servicios")
        page.wait_for_load_state("load")
        assert COSTS[lang][0] in page.locator("h1").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/costs-public-{lang}.png", full_page=True)
        page.locator("[name=service]").select_option("12.AI")
        page.locator("[name=fee]").fill("8.50")
        page.locator("[name=payers]").fill("688")
        page.locator("[name=collection_rate]").fill("0.9")
        page.locator("#h-reform ~ form button[type=submit]").click()
        page.wait_for_load_state("load")
        result = page.locator("#h-reform ~ .notice").inner_text()
        assert COSTS[lang][1] in result and re.search(r"63[.,]158[.,]40", result)
        assert page.locator("[name=fee]").input_value() == "8.50"  # what was typed is kept
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.locator("#h-reform").screenshot(path=f"{SHOTS}/costs-reform-{lang}.png")
        page.screenshot(path=f"{SHOTS}/costs-reform-page-{lang}.png", full_page=True)
    finally:
        context.close()
