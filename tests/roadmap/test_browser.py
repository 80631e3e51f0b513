"""The roadmap in Chromium at phone size: list, totals, Gantt, matrix; staff follow-up in a few taps."""
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser")]

PASSWORD = "correct horse battery"


def _plan_id(live_app, title_start):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.roadmap.models import Plan

    with live_app.app_context():
        return db.session.execute(select(Plan.id).where(Plan.title.startswith(title_start))).scalar_one()


def test_plan_page_on_a_phone_without_javascript(phone_nojs, live_server, live_app):
    page = phone_nojs
    plan_id = _plan_id(live_app, "Plan de Rescate")
    page.goto(f"{live_server}/m/intipuca/hoja-de-ruta/")
    page.get_by_role("link", name="Plan de Rescate Financiero Municipal 2014-2018").click()
    page.wait_for_url(f"**/hoja-de-ruta/{plan_id}")
    # the page itself never scrolls sideways; only the Gantt frame does
    assert page.page_width() <= 360
    frame = page.locator(".rm-gantt")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")
    page.shot("roadmap-plan-phone")
    totals = page.locator("#totales")
    assert "$44,696.42" in totals.inner_text()
    totals.screenshot(path=_artifact("roadmap-totals-phone"))
    page.locator("#gantt").screenshot(path=_artifact("roadmap-gantt-phone"))
    # filter the list without JavaScript
    page.get_by_text("Filtrar actividades").click()  # a <details>: works without JavaScript
    page.get_by_label("Estado").select_option("delayed")
    page.get_by_role("button", name="Filtrar").click()
    assert "estado=delayed" in page.url
    items = page.locator(".rm-list > li")
    expect(items).to_have_count(3)  # waits for the filtered page to load
    page.locator("#actividades").screenshot(path=_artifact("roadmap-list-delayed-phone"))


def test_matrix_and_world_bank_gantt(phone_nojs, live_server, live_app):
    page = phone_nojs
    plan_id = _plan_id(live_app, "Plan de Rescate")
    page.goto(f"{live_server}/m/intipuca/hoja-de-ruta/{plan_id}/matriz")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Matriz de seguimiento y evaluación del Plan de Acción"
    assert page.page_width() <= 360
    page.shot("roadmap-matrix-phone")
    wb_id = _plan_id(live_app, "Hoja de ruta de modernización")
    page.goto(f"{live_server}/m/intipuca/hoja-de-ruta/{wb_id}#gantt")
    assert page.locator("svg.gantt .g-today").count() == 1
    page.locator("#gantt").screenshot(path=_artifact("roadmap-gantt-weeks-phone"))


def test_staff_update_status_and_evidence_from_a_phone(phone, live_server, live_app):
    from sqlalchemy import select

    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.roadmap.models import Activity

    with live_app.app_context():
        user = accounts.create_user("roadmap-editor@example.org", PASSWORD, confirmed=True)
        accounts.grant(user, get_by_slug("intipuca"), "editor")
        activity = db.session.execute(select(Activity).where(Activity.number == "10")).scalars().first()
        plan_id, activity_id = activity.plan_id, activity.id
        db.session.commit()
    page = phone
    page.goto(f"{live_server}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill("roadmap-editor@example.org")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server}/m/intipuca/hoja-de-ruta/{plan_id}/actividades/{activity_id}")
    page.get_by_role("link", name="Actualizar seguimiento").click()
    page.locator(".rm-states").get_by_label("Realizada").check()  # tap 1
    page.get_by_label("Enlace a la fuente de verificación").fill("https://example.org/capacitacion.pdf")  # tap 2
    page.shot("roadmap-followup-phone")
    page.get_by_role("button", name="Guardar").click()  # tap 3
    assert "Seguimiento guardado." in page.locator(".flashes").inner_text()
    assert "Ver evidencia" in page.locator("dl.facts").inner_text()
    page.shot("roadmap-activity-after-update-phone")
    with live_app.app_context():
        assert db.session.get(Activity, activity_id).done


def _artifact(name):
    import os

    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{name}.png")
