"""A platform admin imports a country's municipalities in Chromium on a 320 px screen:
upload, preview, confirm; a bad file lists its rows and columns."""
import os
import re
import time

import pytest
from playwright.sync_api import expect

from portal.demo import country

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "una frase larga de prueba"


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=1, locale="es-SV")
    page = context.new_page()
    yield page
    context.close()


def _width(page):
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def test_platform_admin_imports_a_country_at_320_px(narrow, live_app, live_server, tmp_path):
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import by_code

    email = f"import-{os.getpid()}-{time.time_ns()}@example.org"
    with live_app.app_context():
        services.create_user(email, PASSWORD, confirmed=True, platform_admin=True)
        db.session.commit()
    rows = country.municipalities(24, "HN", seed=11)
    good = tmp_path / "municipios-hn.csv"
    good.write_bytes(country.to_csv(rows, country.HEADERS))
    bad = tmp_path / "malo.csv"
    bad.write_text("codigo,nombre,pais,poblacion\n0101,Uno,HN,mil\n0101,Dos,HN,10\n0102,Tres,ZZ,10\n")

    page = narrow
    page.goto(f"{live_server}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server}/admin/municipalities/import")
    expect(page.locator("h1")).to_have_text("Importar municipios")
    assert _width(page) <= 320

    page.get_by_label("Archivo CSV o XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Ver la vista previa").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Fila 2, columna «poblacion»: «mil» no es un número")
    expect(summary).to_contain_text("Fila 3, columna «codigo»: el código «0101» ya está en la fila 2")
    expect(summary).to_contain_text("Fila 4, columna «pais»: «ZZ» no es un código de país")
    assert _width(page) <= 320

    page.get_by_label("Archivo CSV o XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Ver la vista previa").click()
    expect(page.locator("h1")).to_have_text("Vista previa de la importación")
    expect(page.locator(".import-summary")).to_contain_text("24 municipios nuevos")
    expect(page.get_by_text("Se crea")).to_have_count(24)
    assert _width(page) <= 320
    with live_app.app_context():
        assert by_code("HN", rows[0]["codigo"]) is None  # nothing written by the preview

    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.locator("main")).to_contain_text("Importación terminada. Creados: 24;")
    with live_app.app_context():
        created = by_code("HN", rows[0]["codigo"])
        assert created is not None and created.locale == "es_HN" and created.currency == "HNL"
        slug = created.slug
    page.goto(f"{live_server}/m/{slug}/")
    expect(page.locator("main")).to_contain_text(re.compile(r"Código nacional de estadística: " + rows[0]["codigo"]))
    assert _width(page) <= 320
