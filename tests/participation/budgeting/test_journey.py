"""Done when: a resident verifies, votes, gets a receipt and checks it, in Chromium at
phone size without JavaScript."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_journey")]


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


def test_results_read_well_at_phone_width(phone_nojs, live_server):
    page = phone_nojs
    page.goto(live_server + "/m/intipuca/presupuesto/")
    page.get_by_role("link", name="Presupuesto participativo 2025").click()
    page.get_by_role("link", name="Ver resultados").click()
    expect(page.locator("table.pb-results").first).to_be_visible()
    expect(page.locator("#districts")).to_have_text("Por distrito")
    page.shot("pb-results")
    assert page.page_width() <= 360


def test_running_total_with_javascript(phone, live_server):
    """With JavaScript the ballot adds up the chosen projects and shows what is left of
    the budget (the 2026 demo ballot has a cost limit of 40,000)."""
    page = phone
    page.goto(live_server + "/m/intipuca/presupuesto/")
    page.get_by_role("link", name="Presupuesto participativo 2026").click()
    page.get_by_role("link", name="Votar").click()
    page.get_by_label("Número de documento (DUI)").fill("00000005-5")
    page.get_by_label("Fecha de nacimiento").fill("1965-06-15")
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url("**/votar")
    total = page.locator("[data-pb-tally]")
    expect(total).to_be_visible()
    expect(total.locator("[data-used]")).to_have_text(re.compile(r"^\D*0([.,]00)?\D*$"))
    page.get_by_label(re.compile("Biblioteca comunitaria")).check()
    expect(total.locator("[data-used]")).to_have_text(re.compile(r"14[.,]000"))
    expect(total.locator("[data-left]")).to_have_text(re.compile(r"26[.,]000"))
    page.get_by_label(re.compile("Reforestación de la ribera")).check()
    expect(total.locator("[data-used]")).to_have_text(re.compile(r"20[.,]000"))
    expect(total.locator("[data-left]")).to_have_text(re.compile(r"20[.,]000"))
    page.get_by_label(re.compile("Ampliación del mercado")).check()  # 50,000 > 40,000
    expect(total.locator("[data-over]")).to_be_visible()
    expect(total.locator("[data-left]")).to_have_text(re.compile(r"^\D*0([.,]00)?\D*$"))
    page.shot("pb-ballot-js")
    page.get_by_label(re.compile("Ampliación del mercado")).uncheck()
    expect(total.locator("[data-over]")).to_be_hidden()
    assert page.page_width() <= 360


def test_ballot_without_javascript_has_no_running_total(phone_nojs, live_server):
    page = phone_nojs
    page.goto(live_server + "/m/intipuca/presupuesto/")
    page.get_by_role("link", name="Presupuesto participativo 2026").click()
    page.get_by_role("link", name="Votar").click()
    page.get_by_label("Número de documento (DUI)").fill("00000006-6")
    page.get_by_label("Fecha de nacimiento").fill("1966-07-16")
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url("**/votar")
    expect(page.locator("[data-pb-tally]")).to_be_hidden()  # the form is the same as ever
    expect(page.get_by_role("button", name="Revisar mi voto")).to_be_visible()


AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"


def _axe(page):
    page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def test_ballot_receipt_and_results_pass_axe(browser, live_server):
    """The voting pages (with the running total shown) pass axe at phone width."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    try:
        found = {}
        page.goto(live_server + "/m/intipuca/presupuesto/")
        page.get_by_role("link", name="Presupuesto participativo 2025").click()
        page.get_by_role("link", name="Ver resultados").click()
        found["results"] = _axe(page)
        page.goto(live_server + "/m/intipuca/presupuesto/")
        page.get_by_role("link", name="Presupuesto participativo 2026").click()
        page.get_by_role("link", name="Votar").click()
        page.get_by_label("Número de documento (DUI)").fill("00000007-7")
        page.get_by_label("Fecha de nacimiento").fill("1967-08-17")
        page.get_by_role("button", name="Verificar").click()
        page.wait_for_url("**/votar")
        page.get_by_label(re.compile("Señalización turística")).check()
        expect(page.locator("[data-pb-tally] [data-used]")).to_have_text(re.compile(r"5[.,]000"))
        found["ballot"] = _axe(page)
        page.get_by_role("button", name="Revisar mi voto").click()
        found["review"] = _axe(page)
        page.get_by_role("button", name="Confirmar y emitir mi voto").click()
        expect(page.locator(".pb-receipt strong")).to_be_visible()
        found["receipt"] = _axe(page)
        assert not any(found.values()), found
    finally:
        context.close()


def test_points_left_with_javascript(phone, live_app, live_server):
    """A cumulative ballot: the script adds up the points given and shows those left."""
    from datetime import date, timedelta
    from decimal import Decimal

    from sqlalchemy import select

    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject

    title = "Puntos para el barrio (prueba)"
    with live_app.app_context():
        muni = get_by_slug("intipuca")
        process = db.session.execute(select(BudgetProcess).where(BudgetProcess.title == title)).scalar_one_or_none()
        if process is None:
            today = date.today()
            process = services.save_process(muni, None, title=title, budget=Decimal(9000), ballot_type="cumulative",
                                            points=10, min_choices=0, rule="greedy", voting_open=today,
                                            voting_close=today + timedelta(days=5))
            for i, name in enumerate(("Huerto escolar", "Bancas del parque"), start=1):
                process.projects.append(BudgetProject(municipality_id=muni.id, ref=str(i), title=name,
                                                      cost=Decimal(4000), review_status="accepted",
                                                      status="published"))
            db.session.flush()
            services.open_voting(muni, process, today)
            process.publish()
            db.session.commit()
        pid = process.id
    page = phone
    page.goto(f"{live_server}/m/intipuca/presupuesto/{pid}/verificar")
    page.get_by_label("Número de documento (DUI)").fill("00000008-8")
    page.get_by_label("Fecha de nacimiento").fill("1968-09-18")
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url("**/votar")
    total = page.locator("[data-pb-tally]")
    expect(total.locator("[data-left]")).to_have_text("10")
    page.get_by_label("Huerto escolar").fill("4")
    expect(total.locator("[data-used]")).to_have_text("4")
    expect(total.locator("[data-left]")).to_have_text("6")
    page.get_by_label("Bancas del parque").fill("7")
    expect(total.locator("[data-used]")).to_have_text("11")
    expect(total.locator("[data-over]")).to_be_visible()
    page.shot("pb-ballot-points")
    assert page.page_width() <= 360
