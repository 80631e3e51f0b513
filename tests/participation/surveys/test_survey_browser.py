"""A resident answers the demo's open survey on a phone-sized Chromium without
JavaScript, page by page, fails a page and keeps what was typed, then changes the
answer: the second answer replaces the first."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_survey_browser")]


def _responses(live_app, title):
    from portal.extensions import db
    from portal.participation.surveys.models import Survey, SurveyResponse

    with live_app.app_context():
        return db.session.scalar(select(func.count(SurveyResponse.id)).join(Survey, Survey.id == SurveyResponse.survey_id)
                                 .where(Survey.title == title))


def _matrix(page, service, label):
    page.locator("fieldset.sv-row").filter(has=page.locator("legend", has_text=service)).get_by_label(label).check()


def test_answer_open_survey_without_javascript(phone_nojs, live_server, live_app):
    from portal.participation.surveys.demo import OPEN_TITLE

    page = phone_nojs
    before = _responses(live_app, OPEN_TITLE)
    page.goto(live_server + "/m/intipuca/encuestas/")
    page.shot("surveys-list")
    page.get_by_role("link", name="Responder").first.click()
    expect(page.locator("h1")).to_have_text("Recolección en su calle")
    expect(page.locator("body")).to_contain_text("Página 1 de 3")

    # A page sent with a required question missing comes back with the answers kept.
    page.get_by_label("¿En qué distrito vive?").select_option(label="El Cuco")
    page.get_by_label("No pasa").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.get_by_role("alert").get_by_text("Revise los campos marcados")).to_have_count(1)
    assert page.get_by_label("No pasa").is_checked()
    assert page.get_by_label("¿En qué distrito vive?").input_value() != ""
    link = page.get_by_role("alert").get_by_role("link").first
    target = link.get_attribute("href")[1:]
    described = page.locator(f"#{target}").get_attribute("aria-describedby")
    assert described and described.endswith("-error")
    page.shot("survey-page1-error")
    assert page.page_width() <= 360

    page.get_by_label("4 · Satisfecho").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.locator("h1")).to_have_text("Otros servicios")
    for service in ("Alumbrado público", "Agua", "Calles"):
        _matrix(page, service, "4 · Satisfecho")
    _matrix(page, "Atención en ventanilla", "No uso este servicio")
    page.shot("survey-page2-matrix")
    page.get_by_role("button", name="Siguiente").click()

    # The follow-up question shows because the truck "no pasa".
    expect(page.locator("h1")).to_have_text("Comentarios")
    page.get_by_label("Más de tres meses").check()
    page.get_by_label("¿Qué deberíamos mejorar primero?").fill("Que pase el camión")
    page.get_by_role("button", name="Anterior").click()
    expect(page.locator("h1")).to_have_text("Otros servicios")
    page.get_by_role("button", name="Siguiente").click()
    assert page.get_by_label("¿Qué deberíamos mejorar primero?").input_value() == "Que pase el camión"
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(page.locator("h1")).to_have_text("¡Gracias por responder!")
    page.shot("survey-thanks")
    assert _responses(live_app, OPEN_TITLE) == before + 1

    # Changing the answer from the same phone replaces it.
    page.get_by_role("link", name="Ver mi respuesta").click()
    expect(page.locator("body")).to_contain_text("4 · Satisfecho")
    page.get_by_role("link", name="Cambiar mi respuesta").click()
    assert page.get_by_label("4 · Satisfecho").is_checked()
    page.get_by_label("2 · Insatisfecho").check()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("button", name="Siguiente").click()
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(page.locator("h1")).to_have_text("¡Gracias por responder!")
    assert _responses(live_app, OPEN_TITLE) == before + 1
    page.get_by_role("link", name="Ver mi respuesta").click()
    expect(page.locator("body")).to_contain_text("2 · Insatisfecho")
    page.goto(page.url.replace("mi-respuesta", "resultados"))  # live results
    expect(page.locator("h1")).to_have_text("Resultados")
    page.shot("survey-live-results")


def test_demo_results_on_a_phone(phone_nojs, live_server):
    from portal.participation.surveys.demo import CLOSED_TITLE

    page = phone_nojs
    page.goto(live_server + "/m/intipuca/encuestas/")
    page.get_by_role("link", name=CLOSED_TITLE).click()
    page.get_by_role("link", name="Ver resultados").click()
    expect(page.locator("h1")).to_have_text("Resultados")
    assert page.locator("svg.chart").count() >= 5
    page.shot("survey-demo-results")
    assert page.page_width() <= 360


def test_staff_build_and_publish_a_survey_without_javascript(phone_nojs, live_server, live_app):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    email = "encuestas-staff@example.org"
    with live_app.app_context():
        if accounts.find_by_email(email) is None:
            user = accounts.create_user(email, "una frase larga de prueba", confirmed=True)
            accounts.grant(user, get_by_slug("intipuca"), "admin")
            db.session.commit()
        db.session.remove()
    page = phone_nojs
    page.goto(live_server + "/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill("una frase larga de prueba")
    page.get_by_role("button", name="Entrar").click()
    page.goto(live_server + "/m/intipuca/encuestas/gestion/nueva")
    page.get_by_label("Título").fill("Consulta de parques")
    page.get_by_label("Abre el").fill("2026-01-01")
    page.get_by_label("Cierra el").fill("2099-12-31")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("h1")).to_have_text("Consulta de parques")
    page.get_by_label("Título de la página").fill("Parques")
    page.get_by_role("button", name="Agregar página").click()
    page.get_by_label("Tipo").select_option("matrix")
    page.get_by_label("Pregunta", exact=True).fill("¿Qué tan satisfecho está con los parques?")
    page.get_by_label("Servicios de la matriz (uno por línea)").fill("Parque central\nCancha de El Cuco")
    page.get_by_role("button", name="Agregar pregunta").click()
    expect(page.locator("body")).to_contain_text("Pregunta agregada.")
    page.get_by_role("button", name="Publicar").click()
    expect(page.locator("body")).to_contain_text("Encuesta publicada.")
    page.shot("survey-staff-builder")
    assert page.page_width() <= 360
    page.get_by_role("link", name="Ver como residente").click()
    page.get_by_role("link", name="Responder").click()
    expect(page.locator("legend", has_text="Cancha de El Cuco")).to_have_count(1)
