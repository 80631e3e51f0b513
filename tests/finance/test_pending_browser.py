"""The waiting changes on the finance management page and the frozen-cost message, at
320 px in Spanish, English and Portuguese: no horizontal overflow; screenshots saved."""
import os
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_pending_browser")]

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-files")
TEXTS = {"es": ("Cambios a cifras publicadas que esperan publicación", "El costo quedó fijado"),
         "en": ("Changes to published figures waiting to be published", "The cost was fixed"),
         "pt": ("Alterações a números publicados aguardando publicação", "O custo ficou fixado")}


@pytest.fixture(scope="module")
def staged(live_app):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.finance import importing, pending
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services as budgeting
    from portal.participation.budgeting.models import BudgetProject

    with live_app.app_context():
        muni = get_by_slug("intipuca")
        user = accounts.create_user("finance-publisher@example.org", PASSWORD, confirmed=True)
        accounts.grant(user, muni, "admin")
        data = b"year,code,name,accrued\n2013,11,Impuestos,1.00\n2013,12,Tasas y derechos,2.00\n"
        plan = importing.read(muni, data, "cambios-2013.csv")
        pending.stage(muni, data, {"kind": "lines", "filename": "cambios-2013.csv"}, plan, "2013", user)
        today = date.today()
        process = budgeting.save_process(muni, None, title="Votación abierta (costos fijos)", budget=Decimal(90000),
                                         ballot_type="approval", min_choices=0, rule="greedy", voting_open=today,
                                         voting_close=today + timedelta(days=5))
        project = BudgetProject(municipality_id=muni.id, ref="1", title="Alumbrado del parque central",
                                cost=Decimal(30000), review_status="accepted", status="published")
        process.projects.append(project)
        db.session.flush()
        budgeting.open_voting(muni, process, today)  # a draft: staff only, other journeys do not see it
        db.session.commit()
        ids = (process.id, project.id)
    yield ids
    with live_app.app_context():
        town = get_by_slug("intipuca")
        for waiting in pending.waiting(town):
            pending.discard(town, waiting)
        db.session.commit()


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_at_320_px(browser, live_server, staged, lang):
    process_id, project_id = staged
    os.makedirs(SHOTS, exist_ok=True)
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/cuenta/entrar")
        page.get_by_label("Correo electrónico").fill("finance-publisher@example.org")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.goto(f"{live_server}/lang/{lang}?next=/m/intipuca/finanzas/gestion")
        page.wait_for_load_state("load")
        assert TEXTS[lang][0] in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/finance-manage-waiting-{lang}.png", full_page=True)
        page.goto(f"{live_server}/m/intipuca/presupuesto/admin/{process_id}/proyectos/{project_id}/revisar")
        page.locator("[name=cost]").fill("1")
        page.locator("[name=review_reason]").fill("ajuste")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        assert TEXTS[lang][1] in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=f"{SHOTS}/budgeting-cost-frozen-{lang}.png", full_page=True)
    finally:
        context.close()
