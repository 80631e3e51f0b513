"""A platform admin imports a country's municipalities in Chromium on a 320 px screen,
without JavaScript: the upload goes to the job queue, the progress page refreshes itself
(``<meta http-equiv=refresh>``) until the job ends, then shows what was created, or the
rows and columns of a bad file. Screenshots of the page waiting, running, done and
refusing, in Spanish, English and Portuguese, when ``IMPORT_SHOTS`` names a folder."""
import os
import re
import time

import pytest
from huey.storage import MemoryStorage
from playwright.sync_api import expect
from sqlalchemy import update

from portal.demo import country

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_import_browser")]
PASSWORD = "una frase larga de prueba"
SHOTS = os.environ.get("IMPORT_SHOTS")


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=1, locale="es-SV",
                                  java_script_enabled=False, service_workers="block")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_queue(live_app):
    """The live server's jobs go to an in-process queue this test runs."""
    from portal.core import jobs

    saved = (jobs._state.get("app"), jobs.huey.storage)
    jobs.bind(live_app)
    jobs.huey.storage = MemoryStorage(jobs.QUEUE_NAME)
    yield jobs
    jobs._state["app"], jobs.huey.storage = saved


def _width(page):
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _refresh_seconds(page):
    meta = page.locator('meta[http-equiv="refresh"]')
    return int(meta.get_attribute("content")) if meta.count() else None


def test_platform_admin_imports_a_country_at_320_px_without_javascript(narrow, live_app, live_server, live_queue,
                                                                      tmp_path):
    from portal.accounts import services
    from portal.core import imports
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
    page.get_by_role("button", name="Importar").click()
    expect(page).to_have_url(re.compile(r"/admin/importaciones/\d+$"))
    refused_url = page.url
    expect(page.locator("h1")).to_have_text("Importación de municipios")
    expect(page.locator("main")).to_contain_text("En espera")
    assert _refresh_seconds(page) == imports.REFRESH_SECONDS  # it reloads itself while waiting
    assert _width(page) <= 320
    assert live_queue.run_queued() == 1
    page.reload()
    table = page.locator("table.imp-problems")
    expect(page.locator(".error-summary")).to_contain_text("No se guardó nada")
    expect(table.locator("tr", has_text="mil")).to_contain_text("poblacion")
    expect(table.locator("tr", has_text="ya está en la fila 2")).to_contain_text("codigo")
    expect(table.locator("tr", has_text="«ZZ» no es un código de país")).to_contain_text("4")
    assert _refresh_seconds(page) is None and _width(page) <= 320

    page.get_by_role("link", name="Subir el archivo corregido").click()
    page.get_by_label("Archivo CSV o XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Importar").click()
    expect(page).to_have_url(re.compile(r"/admin/importaciones/\d+$"))
    done_url = page.url
    run_id = int(done_url.rsplit("/", 1)[1])
    with live_app.app_context():
        assert by_code("HN", rows[0]["codigo"]) is None  # nothing written by the request
        # the worker part-way through writing (as its progress records it), for the page
        db.session.execute(update(imports.ImportRun).where(imports.ImportRun.id == run_id).values(
            status=imports.WRITING, total=24, checked=24, written=10))
        db.session.commit()
    page.reload()
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "10")
    expect(progress).to_have_attribute("max", "24")
    expect(page.locator("label[for=import-progress]")).to_have_text("Filas guardadas: 10 de 24")
    assert _refresh_seconds(page) == imports.REFRESH_SECONDS and _width(page) <= 320
    for language in ("es", "en", "pt"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        page.reload()
        assert _width(page) <= 320, language
        _shot(page, f"import-running-{language}")
    page.context.add_cookies([{"name": "lang", "value": "es", "url": live_server}])

    assert live_queue.run_queued() == 1
    page.reload()  # checked: what it will do, nothing written yet
    expect(page.locator("main")).to_contain_text("Nada se ha guardado todavía")
    expect(page.locator(".import-summary")).to_contain_text("24 municipios nuevos")
    assert _refresh_seconds(page) is None and _width(page) <= 320
    with live_app.app_context():
        assert by_code("HN", rows[0]["codigo"]) is None
    for language in ("es", "en", "pt"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        page.reload()
        assert _width(page) <= 320, language
        _shot(page, f"import-preview-{language}")
    page.context.add_cookies([{"name": "lang", "value": "es", "url": live_server}])
    page.reload()
    page.get_by_role("button", name="Confirmar y guardar").click()
    expect(page).to_have_url(done_url)
    assert live_queue.run_queued() == 1
    page.reload()
    expect(page.locator("main")).to_contain_text("Importación terminada. Creados: 24; actualizados: 0; sin cambios: 0.")
    expect(page.locator("progress")).to_have_attribute("value", "24")
    assert _refresh_seconds(page) is None and _width(page) <= 320
    with live_app.app_context():
        created = by_code("HN", rows[0]["codigo"])
        assert created is not None and created.locale == "es_HN" and created.currency == "HNL"
        slug = created.slug
    for language in ("es", "en", "pt"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        for name, url in (("done", done_url), ("errors", refused_url)):
            page.goto(url)
            assert _width(page) <= 320, (name, language)
            _shot(page, f"import-{name}-{language}")
    page.context.add_cookies([{"name": "lang", "value": "es", "url": live_server}])
    page.goto(done_url)
    page.get_by_role("link", name="Ver lo importado").click()
    page.goto(f"{live_server}/m/{slug}/")
    expect(page.locator("main")).to_contain_text(re.compile(r"Código nacional de estadística: " + rows[0]["codigo"]))
    assert _width(page) <= 320


def test_the_census_progress_page_passes_axe_when_refused_and_done(browser, live_app, live_server, live_queue):
    """axe-core (WCAG 2.1 AA) on a municipality's import page, with its problems table and
    with its result."""
    from portal.core import imports
    from portal.extensions import db
    from portal.municipalities import services
    from tests.a11y.test_axe import AXE, audit
    from tests.surface.pages import make_staff, sign_in

    email = f"import-axe-{os.getpid()}-{time.time_ns()}@example.org"
    make_staff(live_app, email)  # a platform admin: staff of every municipality
    with live_app.test_request_context():
        muni = services.create(f"padron-axe-{time.time_ns()}", "Padrón Axe", "SV", population=900)  # Intipucá's stays
        bad = imports.start("budgeting.census", b"documento,fecha_nacimiento\n,1990-01-01\n12345678-9,ayer\n",
                            "padron-malo.csv", municipality=muni)
        good = imports.start("budgeting.census", b"documento,fecha_nacimiento,distrito\n12345678-9,1990-01-01,Centro\n",
                             "padron.csv", municipality=muni)
        db.session.commit()
        urls = [imports.progress_url(bad, muni.slug), imports.progress_url(good, muni.slug)]
    assert live_queue.run_queued() == 2
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", bypass_csp=True,
                                  service_workers="block")
    page = context.new_page()
    try:
        assert AXE.exists()
        sign_in(page, live_server, email)
        for url, expected, name in zip(urls, ("Fila", "Padrón cargado: 1 persona"), ("errors", "done")):
            violations = audit(page, f"{live_server}{url}")
            _shot(page, f"census-{name}-es")
            assert expected in page.locator("main").inner_text()
            assert violations == [], (url, violations)
            assert _width(page) <= 320
    finally:
        context.close()
