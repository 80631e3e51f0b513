"""Keyboard-only journeys in Chromium at a phone's size: voting in the open participatory
budget, answering a survey and filing a complaint with nothing but Tab, Space and Enter
(and typing into fields). Each control is reached by tabbing in document order: a control
that cannot take the focus, or that comes too far down the order, fails the journey.

The journeys vote with the demo identity, so they run on a database of their own."""
import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_keyboard_journeys")]
MAX_TABS = 120


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def site(app_factory, fresh_database, tmp_path_factory):
    app = app_factory(fresh_database("keyboard"), WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False,
                      UPLOAD_DIR=str(tmp_path_factory.mktemp("kb-uploads")),
                      OUTBOX_DIR=str(tmp_path_factory.mktemp("kb-outbox")))
    server, url = _serve(app)
    yield url
    server.shutdown()
    with app.app_context():
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def keyboard(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV")
    page = context.new_page()
    yield page
    context.close()


def focused(locator) -> bool:
    return locator.evaluate("e => e === document.activeElement")


def tab_to(page, locator):
    """Press Tab until ``locator`` has the focus."""
    locator.wait_for()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(locator):
            return
    raise AssertionError(f"{locator} never took the keyboard focus in {MAX_TABS} tabs")


def activate(page, locator, key="Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def test_vote_with_the_keyboard_only(keyboard, site):
    page = keyboard
    page.goto(site + "/m/intipuca/presupuesto/")
    activate(page, page.get_by_role("link", name="Presupuesto participativo 2026"))
    activate(page, page.get_by_role("link", name="Votar"))
    page.wait_for_url("**/verificar")
    type_into(page, page.get_by_label("Número de documento (DUI)"), "01234567-8")
    birth = page.get_by_label("Fecha de nacimiento")
    type_into(page, birth, "01011990" if birth.get_attribute("type") == "date" else "1990-01-01")
    activate(page, page.get_by_role("button", name="Verificar"))
    page.wait_for_url("**/votar")
    for project in ("Biblioteca comunitaria", "Reforestación de la ribera"):
        box = page.get_by_label(re.compile(project))
        activate(page, box, "Space")
        expect(box).to_be_checked()
    activate(page, page.get_by_role("button", name="Revisar mi voto"))
    expect(page.locator("main")).to_contain_text("Biblioteca comunitaria")
    activate(page, page.get_by_role("button", name="Confirmar y emitir mi voto"))
    expect(page.locator(".pb-receipt strong")).to_have_text(re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}"))


def _answer_page_by_keyboard(page):
    """Tab through the page: check the first option of every unanswered required group,
    then press the page's Next or Send button."""
    trail = []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
            const e = document.activeElement;
            const group = e.type === 'radio' && e.name
                ? document.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]:checked`) !== null : null;
            return {tag: e.tagName, type: e.type || '', text: (e.innerText || e.value || '').trim(), answered: group};
        }""")
        trail.append(state)
        if state["type"] == "radio" and state["answered"] is False:
            page.keyboard.press("Space")
        elif state["tag"] == "BUTTON" and state["text"] in ("Siguiente", "Enviar respuestas"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return state["text"]
    raise AssertionError(f"no Next or Send button reached by the keyboard on {page.url}: {trail[-12:]}")


def test_answer_a_survey_with_the_keyboard_only(keyboard, site):
    page = keyboard
    page.goto(site + "/m/intipuca/encuestas/")
    activate(page, page.get_by_role("link", name="Responder").first)
    page.wait_for_url(re.compile(r"/responder"))
    for _ in range(10):
        pressed = _answer_page_by_keyboard(page)
        if pressed == "Enviar respuestas":
            break
        expect(page.get_by_role("alert")).to_have_count(0)  # every required question was answered
    page.wait_for_url(re.compile(r"/gracias"))
    expect(page.locator("main")).to_contain_text("Gracias")


def test_file_a_complaint_with_the_keyboard_only(keyboard, site):
    page = keyboard
    page.goto(site + "/m/intipuca/reclamos/")
    activate(page, page.get_by_role("link", name="Hacer un reporte"))
    activate(page, page.get_by_role("link", name="Red vial"))
    type_into(page, page.get_by_label("¿Qué pasa?"), "Bache profundo frente a la escuela del cantón")
    bache = page.get_by_label("Bache")
    activate(page, bache, "Space")
    expect(bache).to_be_checked()
    type_into(page, page.get_by_label("Dirección o punto de referencia"), "Frente a la escuela")
    activate(page, page.get_by_role("button", name="Enviar reporte"))
    page.wait_for_load_state("load")
    if page.get_by_role("button", name="No es ninguno: enviar mi reporte").count():
        activate(page, page.get_by_role("button", name="No es ninguno: enviar mi reporte"))
    expect(page.locator("main")).to_contain_text(re.compile(r"[2-9A-Z]{8}"))
    expect(page.locator("main")).to_contain_text("Bache profundo")
