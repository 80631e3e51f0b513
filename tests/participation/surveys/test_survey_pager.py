"""On a survey's pages "Anterior" comes before "Siguiente" on the screen, and Enter in a
field still moves forward (the form's default button is a hidden "next")."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_survey_pager")]


def test_previous_comes_first_and_enter_moves_forward(phone_nojs, live_server, live_app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.participation.surveys.demo import OPEN_TITLE
    from portal.participation.surveys.models import Survey

    with live_app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.title == OPEN_TITLE))
    page = phone_nojs
    page.goto(f"{live_server}/m/intipuca/encuestas/{survey_id}/responder")
    page.get_by_label("No pasa").check()
    page.get_by_label("4 · Satisfecho").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.locator("h1")).to_have_text("Otros servicios")
    back = page.get_by_role("button", name="Anterior").bounding_box()
    forward = page.get_by_role("button", name="Siguiente").bounding_box()
    assert back["x"] < forward["x"] or back["y"] < forward["y"]  # first on the line, or on the line above
    for service in ("Alumbrado público", "Agua", "Calles", "Atención en ventanilla"):
        page.locator("fieldset.sv-row").filter(has=page.locator("legend", has_text=service)) \
            .get_by_label("4 · Satisfecho").check()
    page.get_by_role("button", name="Siguiente").click()
    expect(page.locator("h1")).to_have_text("Comentarios")
    field = page.get_by_label("¿Qué deberíamos mejorar primero?")
    field.fill("Más camiones")
    field.press("Enter")  # the default button sends the answers, it does not go back
    expect(page.locator("h1")).to_have_text("¡Gracias por responder!")
