"""Done when: in Chromium, a resident goes offline, files a complaint with a photo and
answers a survey, comes back online, and each is stored exactly once; a kiosk takes
answers from several people in a row without a connection and syncs them later."""
import io
import os
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from .conftest import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_offline_journeys")]
PASSWORD = "correct horse battery"


def _in_live(live_app, work):
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    with live_app.app_context():
        result = work(get_by_slug("intipuca"))
        db.session.commit()
        return result


def _new_survey(live_app, title):
    def work(muni):
        from portal.extensions import db
        from portal.participation.surveys import services

        survey = make_survey(muni, title=title)
        db.session.flush()
        by_code = {q.code: q.id for q in services.ordered_questions(survey)}
        return survey.id, by_code
    return _in_live(live_app, work)


def _count(live_app, statement):
    from portal.extensions import db

    with live_app.app_context():
        return db.session.scalar(statement)


def _answer(page, questions, scale, water):
    page.locator(f'input[name="q{questions["S1"]}"][value="{scale}"]').check()
    page.locator(f'input[name="q{questions["S2"]}"][value="Sí"]').check()
    page.locator(f'input[name="q{questions["S3"]}_r0"][value="{water}"]').check()
    page.locator(f'input[name="q{questions["S3"]}_r1"][value="na"]').check()


def _controlled(page):
    """Wait for the service worker, then reload so it controls (and caches) the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")


def _cached(page, path):
    page.wait_for_function(f"caches.match({path!r}, {{ignoreVary: true}}).then(hit => !!hit)", polling=200)


def test_offline_complaint_with_photo_and_survey_are_stored_once(phone, live_server, live_app, tmp_path):
    from PIL import Image

    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import SurveyResponse

    title = f"Encuesta sin conexión {os.urandom(3).hex()}"
    survey_id, questions = _new_survey(live_app, title)
    description = f"Basura dispersa en el mercado {os.urandom(3).hex()}"
    photo = tmp_path / "basura.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 30)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    page = phone

    # online: the resident opens the complaints and the survey; the forms are kept on the phone
    page.goto(f"{live_server}/m/intipuca/reclamos/nuevo")
    _controlled(page)
    _cached(page, "/m/intipuca/reclamos/nuevo?servicio=aseo")
    page.goto(f"{live_server}/m/intipuca/encuestas/{survey_id}/")
    _cached(page, f"/m/intipuca/encuestas/{survey_id}/responder/una-pagina")

    # the connection drops on the page-by-page survey: it goes on as the single-page form
    page.goto(f"{live_server}/m/intipuca/encuestas/{survey_id}/responder")
    expect(page.locator(".sv-progress")).to_have_text("Página 1 de 2")
    page.context.set_offline(True)
    page.get_by_role("button", name="Siguiente").click()
    page.wait_for_url(f"**/encuestas/{survey_id}/responder/una-pagina")
    expect(page.locator("h1")).to_have_text(title)
    outbox = page.locator("#outbox")
    _answer(page, questions, scale="2", water="4")
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(outbox).to_contain_text(f"Pendiente de envío: {title}")
    page.goto(f"{live_server}/m/intipuca/reclamos/nuevo?servicio=aseo")
    expect(page.locator("h1")).to_have_text("Aseo y barrido de calles")
    page.get_by_label("¿Qué pasa?").fill(description)
    page.get_by_label("Dirección o punto de referencia").fill("Entrada del mercado municipal")
    page.get_by_label("Foto (opcional").set_input_files(str(photo))
    page.get_by_role("button", name="Enviar reporte").click()
    expect(outbox).to_contain_text("Pendiente de envío: Aseo y barrido de calles")
    expect(page.get_by_role("status").first).to_contain_text("Guardado en este teléfono")
    expect(page.get_by_label("¿Qué pasa?")).to_have_value("")  # the form is ready for another one
    stored_photo = page.evaluate("""() => new Promise(resolve => {
        const open = indexedDB.open("cabildo-outbox", 1);
        open.onsuccess = () => {
          const all = open.result.transaction("items").objectStore("items").getAll();
          all.onsuccess = () => resolve(all.result.flatMap(i => i.fields)
            .filter(f => f[1] instanceof Blob && f[1].size).map(f => f[1].size));
        };
      })""")
    assert stored_photo == [photo.stat().st_size]  # the photo itself waits on the phone

    expect(outbox).to_contain_text(f"Pendiente de envío: {title}")
    page.shot("offline-pending")
    assert page.page_width() <= 360
    assert _count(live_app, select(func.count()).select_from(Report).where(Report.description == description)) == 0

    # back online: both are sent, and the resident sees the tracking code
    page.context.set_offline(False)
    expect(outbox).to_contain_text(f"Enviado: {title}", timeout=15_000)
    expect(outbox).to_contain_text("Enviado: Aseo y barrido de calles")
    expect(outbox).not_to_contain_text("Pendiente")
    page.shot("offline-sent")
    code = outbox.locator("a").filter(has_text=re.compile(r"^[A-Z0-9]{6,}$")).first.inner_text()

    def stored(muni):
        reports = Report.query.filter_by(municipality_id=muni.id, description=description).all()
        responses = SurveyResponse.query.filter_by(survey_id=survey_id).all()
        return ([(r.code, bool(r.photo)) for r in reports],
                [(r.channel, len(r.answers), r.idempotency_key) for r in responses])
    reports, responses = _in_live(live_app, stored)
    assert reports == [(code, True)]
    assert len(responses) == 1 and responses[0][:2] == ("online", 4)
    assert re.fullmatch(r"[0-9a-f-]{36}", responses[0][2])  # the key made on the phone

    # a second sync (another tab, a flaky network) sends nothing again
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.goto(f"{live_server}/m/intipuca/reclamos/r/{code}")
    expect(page.locator("main")).to_contain_text(description)
    assert _in_live(live_app, stored)[0] == [(code, True)]


def _editor(live_app):
    def work(muni):
        from portal.accounts import services as accounts

        email = f"kiosco-{os.getpid()}-{os.urandom(3).hex()}@example.org"
        user = accounts.create_user(email, PASSWORD, confirmed=True)
        accounts.grant(user, muni, "editor")
        return email
    return _in_live(live_app, work)


def test_kiosk_takes_several_people_offline_and_syncs_each_once(phone, live_server, live_app):
    from portal.participation.surveys.models import SurveyResponse

    title = f"Mesa de consulta {os.urandom(3).hex()}"
    survey_id, questions = _new_survey(live_app, title)
    page = phone
    _sign_in(page, live_server, _editor(live_app))
    page.goto(f"{live_server}/m/intipuca/encuestas/gestion/{survey_id}/")
    page.get_by_role("link", name="Abrir quiosco").click()
    expect(page.locator("h1")).to_have_text(title)

    # online: the first person's answer is stored at once, the form is emptied in place
    _answer(page, questions, scale="5", water="5")
    page.get_by_role("button", name="Enviar respuestas").click()
    expect(page.locator("#outbox-note")).to_have_text("Respuesta guardada. Listo para la siguiente persona.")
    expect(page.locator(f'input[name="q{questions["S1"]}"]:checked')).to_have_count(0)

    page.context.set_offline(True)
    for scale in ("1", "3"):
        _answer(page, questions, scale=scale, water="2")
        page.get_by_role("button", name="Enviar respuestas").click()
        expect(page.locator("#outbox-note")).to_have_text("Guardado. Listo para la siguiente persona.")
        expect(page.locator("form[data-kiosk] input:checked")).to_have_count(0)  # nothing of the last person
    outbox = page.locator("#outbox")
    expect(outbox).to_have_text("Pendiente de envío: 2")  # a count, no one's details
    page.shot("offline-kiosk")
    assert page.page_width() <= 360

    def stored(_muni):
        return sorted((r.channel, r.answers[0].number if r.answers else None) for r in
                      SurveyResponse.query.filter_by(survey_id=survey_id).all())
    assert len(_in_live(live_app, stored)) == 1

    page.context.set_offline(False)
    expect(outbox).to_be_hidden(timeout=15_000)
    responses = _in_live(live_app, stored)
    assert [channel for channel, _ in responses] == ["kiosk"] * 3
    assert _count(live_app, select(func.count()).select_from(SurveyResponse)
                  .where(SurveyResponse.survey_id == survey_id)) == 3


def _proposals_open(live_app):
    def work(muni):
        from datetime import date, timedelta
        from decimal import Decimal

        from portal.extensions import db
        from portal.participation.budgeting.models import BudgetProcess

        today = date.today()
        process = BudgetProcess(municipality_id=muni.id, title=f"Ideas de barrio {os.urandom(3).hex()}",
                                budget=Decimal("40000"), proposals_open=today - timedelta(days=2),
                                proposals_close=today + timedelta(days=20))
        process.publish()
        db.session.add(process)
        db.session.flush()
        return process.id
    return _in_live(live_app, work)


def test_proposal_written_offline_is_sent_once(phone, live_server, live_app, tmp_path):
    from PIL import Image

    from portal.participation.budgeting.models import BudgetProject

    process_id = _proposals_open(live_app)
    photo = tmp_path / "cancha.png"
    Image.new("RGB", (300, 200), (20, 60, 160)).save(photo, "PNG")
    page = phone
    _sign_in(page, live_server, _editor(live_app))
    page.goto(f"{live_server}/m/intipuca/presupuesto/{process_id}/proponer")

    page.context.set_offline(True)  # the connection drops while the resident writes
    page.get_by_label("Título").fill("Techo para la cancha")
    page.get_by_label("Descripción").fill("Un techo para jugar con lluvia")
    page.get_by_label("Costo estimado").fill("8500")
    page.get_by_label("Foto (opcional)").set_input_files(str(photo))
    page.get_by_role("button", name="Enviar propuesta").click()
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Pendiente de envío: Propuesta")

    page.context.set_offline(False)
    expect(outbox).to_contain_text("Enviado: Propuesta", timeout=15_000)

    def stored(_muni):
        return [(p.title, bool(p.photo), bool(p.idempotency_key))
                for p in BudgetProject.query.filter_by(process_id=process_id).all()]
    assert _in_live(live_app, stored) == [("Techo para la cancha", True, True)]


def test_single_page_survey_without_javascript(phone_nojs, live_server, live_app):
    from portal.participation.surveys.models import SurveyResponse

    title = f"Una sola página {os.urandom(3).hex()}"
    survey_id, questions = _new_survey(live_app, title)
    page = phone_nojs
    page.goto(f"{live_server}/m/intipuca/encuestas/{survey_id}/")
    page.get_by_role("link", name="Todas las preguntas en una página (sirve sin conexión)").click()
    page.get_by_role("button", name="Enviar respuestas").click()  # nothing answered: the errors are named
    expect(page.locator(".error-summary")).to_contain_text("¿Satisfecho con el agua?: Responda esta pregunta.")
    _answer(page, questions, scale="3", water="1")
    page.get_by_role("button", name="Enviar respuestas").click()
    page.wait_for_url(f"**/encuestas/{survey_id}/gracias")
    assert page.page_width() <= 360
    assert _count(live_app, select(func.count()).select_from(SurveyResponse)
                  .where(SurveyResponse.survey_id == survey_id)) == 1


def test_voting_table_records_paper_ballots_offline_once(phone, live_server, live_app):
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetProcess, Participation

    def process_id(muni):
        return BudgetProcess.query.filter_by(municipality_id=muni.id, title=OPEN).one().id
    pid = _in_live(live_app, process_id)
    page = phone
    _sign_in(page, live_server, _editor(live_app))
    page.goto(f"{live_server}/m/intipuca/presupuesto/admin/{pid}/papeleta")
    documents = [f"{os.getpid() % 10**8:08d}-{n}" for n in (1, 2)]

    def in_census(muni):  # staff-entered ballots are checked against the census
        from datetime import date

        from portal.extensions import db
        from portal.participation.budgeting import services
        from portal.participation.budgeting.models import CensusEntry

        db.session.add_all([CensusEntry(municipality_id=muni.id, district="Centro",
                                        entry_hash=services.entry_hash(muni, d, date(1980, 1, 1)),
                                        person_hash=services.person_hash(muni, d)) for d in documents])
    _in_live(live_app, in_census)

    # online: the receipt for the voter shows at once, the form is emptied for the next one
    page.get_by_label("Documento de quien votó").fill(documents[0])
    page.get_by_label("Fecha de nacimiento de quien votó").fill("1980-01-01")
    page.locator('input[name="picks"]').first.check()
    page.get_by_role("button", name="Registrar papeleta").click()
    expect(page.locator("#outbox-note")).to_contain_text("Comprobante:")
    expect(page.get_by_label("Documento de quien votó")).to_have_value("")

    page.context.set_offline(True)
    page.get_by_label("Documento de quien votó").fill(documents[1])
    page.get_by_label("Fecha de nacimiento de quien votó").fill("1980-01-01")
    page.locator('input[name="picks"]').nth(1).check()
    page.get_by_role("button", name="Registrar papeleta").click()
    expect(page.locator("#outbox")).to_have_text("Pendiente de envío: 1")
    expect(page.get_by_label("Documento de quien votó")).to_have_value("")
    page.context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden(timeout=15_000)

    def paper_forms(muni):
        from portal.participation.budgeting.services import person_hash

        return [(p.channel, bool(p.idempotency_key)) for document in documents for p in
                Participation.query.filter_by(process_id=pid, voter_key=person_hash(muni, document)).all()]
    assert _in_live(live_app, paper_forms) == [("paper", True), ("paper", True)]


def test_single_page_form_and_pending_list_pass_axe(browser, live_server, live_app):
    from pathlib import Path

    axe = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail("axe-core is not installed: run `npm ci`")
    title = f"Accesible sin conexión {os.urandom(3).hex()}"
    survey_id, questions = _new_survey(live_app, title)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/m/intipuca/encuestas/{survey_id}/responder/una-pagina")
        page.wait_for_function("!!document.querySelector('form[data-offline] input[name=k]').value.match(/-/)")
        context.set_offline(True)
        _answer(page, questions, scale="4", water="3")
        page.get_by_role("button", name="Enviar respuestas").click()
        expect(page.locator("#outbox")).to_contain_text(f"Pendiente de envío: {title}")
        page.evaluate(axe.read_text())
        violations = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => v.id + ': ' + v.help)""")
        assert violations == []
        context.set_offline(False)
        expect(page.locator("#outbox")).to_contain_text(f"Enviado: {title}", timeout=15_000)
    finally:
        context.close()


def _sign_in(page, live_server, email):
    page.goto(f"{live_server}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(lambda url: "/entrar" not in url)


def test_a_proposal_whose_session_ended_waits_for_sign_in(phone, live_server, live_app):
    from portal.participation.budgeting.models import BudgetProject

    process_id = _proposals_open(live_app)
    email = _editor(live_app)
    page = phone
    _sign_in(page, live_server, email)
    page.goto(f"{live_server}/m/intipuca/presupuesto/{process_id}/proponer")
    page.context.set_offline(True)
    page.get_by_label("Título").fill("Bancas para el parque")
    page.get_by_label("Descripción").fill("Diez bancas de concreto")
    page.get_by_label("Costo estimado").fill("2000")
    page.get_by_role("button", name="Enviar propuesta").click()
    outbox = page.locator("#outbox")
    expect(outbox).to_contain_text("Pendiente de envío: Propuesta")

    page.context.clear_cookies()  # the session ends while the phone is offline
    page.context.set_offline(False)
    expect(outbox).to_contain_text("entre de nuevo a su cuenta para enviarlo", timeout=15_000)

    def titles(_muni):
        return [p.title for p in BudgetProject.query.filter_by(process_id=process_id).all()]
    assert _in_live(live_app, titles) == []

    _sign_in(page, live_server, email)  # signed in again: the next page sends it
    expect(page.locator("#outbox")).to_contain_text("Enviado: Propuesta", timeout=15_000)
    assert _in_live(live_app, titles) == ["Bancas para el parque"]
