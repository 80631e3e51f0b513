"""The debt page and the staff upload of loans at 320 px, without JavaScript, in Spanish,
English and Portuguese: the simulation form, a refused file, preview and confirmation;
no horizontal overflow; screenshots saved."""
import os

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_debt_browser")]

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-debt")
EMAIL = "debt-publisher@example.org"
TEXTS = {"es": ("Deuda y proveedores", "Incluye el préstamo simulado", "columna «tasa»", "Vista previa",
                "Importada 1 fila."),
         "en": ("Debt and suppliers", "Includes the simulated loan", "column “tasa”", "Preview",
                "Imported 1 row."),
         "pt": ("Dívida e fornecedores", "Inclui o empréstimo simulado", "coluna «tasa»", "Prévia",
                "1 linha importada.")}
BAD = "nombre,monto,tasa,plazo,inicio\nMercado,1000,seis,2,2020-01\n"


@pytest.fixture(scope="module")
def publisher(live_app):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.finance import debt_services
    from portal.municipalities.services import get_by_slug

    with live_app.app_context():
        muni = get_by_slug("intipuca")
        user = accounts.create_user(EMAIL, PASSWORD, confirmed=True)
        accounts.grant(user, muni, "admin")
        db.session.commit()
    yield
    with live_app.app_context():
        muni = get_by_slug("intipuca")
        for loan in debt_services.loans(muni, published_only=False):
            if loan.name.startswith("Puente"):
                db.session.delete(loan)
        db.session.commit()


def _width(page):
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_debt_page_and_simulation_at_320_px(browser, live_server, lang, tmp_path, publisher):
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    texts = TEXTS[lang]
    try:
        page.goto(f"{live_server}/lang/{lang}?next=/m/intipuca/finanzas/deuda")
        assert texts[0] in page.locator("h1").inner_text()
        assert "441.931,81" in page.content() or "441,931.81" in page.content()
        assert _width(page) <= 320
        page.screenshot(path=f"{SHOTS}/debt-page-{lang}.png", full_page=True)
        page.locator("[name=monto]").fill("200000")
        page.locator("[name=plazo]").fill("8")
        page.locator("[name=tasa]").fill("6")
        page.locator("[name=desde]").fill("2014")
        page.select_option("[name=escenario]", "PRFM 2014-2018")
        page.locator("form[method=get] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert "monto=200000" in page.url and texts[1] in page.content()
        assert "2018" in page.locator("ul.limit-years").inner_text()  # projected years
        assert _width(page) <= 320
        page.screenshot(path=f"{SHOTS}/debt-simulation-{lang}.png", full_page=True)

        page.goto(f"{live_server}/cuenta/entrar")
        page.locator("[name=email]").fill(EMAIL)
        page.locator("[name=password]").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.goto(f"{live_server}/m/intipuca/finanzas/deuda/importar")
        bad = tmp_path / "prestamos.csv"
        bad.write_text(BAD, encoding="utf-8")
        page.set_input_files("[name=file]", str(bad))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert texts[2] in page.content()
        assert page.locator("[name=file]").count() == 1
        assert _width(page) <= 320
        page.screenshot(path=f"{SHOTS}/debt-import-refused-{lang}.png", full_page=True)
        good = tmp_path / "loans.csv"
        good.write_text(f"name,principal,rate,years,start\nPuente {lang},50000,7%,3,2024-01\n", encoding="utf-8")
        page.set_input_files("[name=file]", str(good))
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert texts[3] in page.content() and f"Puente {lang}" in page.content()
        assert _width(page) <= 320
        page.screenshot(path=f"{SHOTS}/debt-import-preview-{lang}.png", full_page=True)
        page.locator("form[action$='/confirmar'] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert texts[4] in page.content()
        assert _width(page) <= 320
    finally:
        context.close()
