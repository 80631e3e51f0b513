"""The server side of offline sync: the same payload sent twice (a device retrying,
two tabs syncing at once) is stored once, for complaints, survey answers and
proposals; the kiosk keeps each person apart and is for staff only."""
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.participation.budgeting.models import BudgetProcess, BudgetProject
from portal.participation.complaints.models import Report
from portal.participation.surveys.models import SurveyResponse

KEY = "0f8c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"  # what crypto.randomUUID() makes on a device


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def test_complaint_with_photo_sent_twice_is_one_report(client, db, muni):
    district = muni.districts[0]

    def payload():  # what the outbox sends: the form as typed, confirm_new set, the device's key
        return {"description": "Poste caído en la calle principal", "district": str(district.id), "neighbourhood": "",
                "address": "Frente a la iglesia", "idempotency_key": KEY, "confirm_new": "1",
                "photo": (io.BytesIO(_jpeg()), "poste.jpg")}
    first = client.post("/m/intipuca/reclamos/nuevo?servicio=aseo", data=payload(), content_type="multipart/form-data")
    second = client.post("/m/intipuca/reclamos/nuevo?servicio=aseo", data=payload(),
                         content_type="multipart/form-data")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    reports = db.session.scalars(select(Report).where(Report.idempotency_key == KEY)).all()
    assert len(reports) == 1 and reports[0].photo
    assert first.headers["Location"].endswith(f"/reclamos/r/{reports[0].code}")


@pytest.fixture
def survey(build_survey):
    return build_survey()


def _answers(survey, answer_values, **kwargs):
    values = answer_values(survey, **kwargs)
    return {name: value[0] for name, value in values.items()}


def test_single_page_survey_sent_twice_is_one_response(client, db, survey, answer_values):
    url = f"/m/intipuca/encuestas/{survey.id}/responder/una-pagina"
    page = client.get(url).get_data(as_text=True)
    assert 'data-offline="survey"' in page and "Califique" in page and "¿Satisfecho con el agua?" in page
    data = {"k": KEY, **_answers(survey, answer_values)}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith(f"/encuestas/{survey.id}/gracias")
    response = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).one()
    assert response.idempotency_key == KEY and response.revisions == 1 and response.channel == "online"


def test_single_page_survey_names_missing_answers(client, db, survey, answer_values):
    data = {"k": KEY, **_answers(survey, answer_values)}
    data.pop(next(name for name in data if name.endswith("_r0")))
    response = client.post(f"/m/intipuca/encuestas/{survey.id}/responder/una-pagina", data=data)
    assert response.status_code == 422
    assert "Califique: Responda esta pregunta." in response.get_data(as_text=True)
    assert _count(db, SurveyResponse, SurveyResponse.survey_id == survey.id) == 0


def test_survey_page_links_the_offline_form_and_a_bad_key_is_refused(client, survey):
    detail = client.get(f"/m/intipuca/encuestas/{survey.id}/").get_data(as_text=True)
    assert f'href="/m/intipuca/encuestas/{survey.id}/responder/una-pagina" data-offline-cache' in detail
    refused = client.post(f"/m/intipuca/encuestas/{survey.id}/responder/una-pagina", data={"k": "short"})
    assert refused.status_code == 400


def test_kiosk_stores_each_person_once_and_only_staff_open_it(client, db, survey, answer_values, login, app,
                                                             monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIN_COUNT", 2)  # two people's answers are downloadable
    url = f"/m/intipuca/encuestas/gestion/{survey.id}/kiosco"
    assert client.get(url).status_code in (302, 401, 403)  # not signed in
    login(role="resident")
    assert client.get(url).status_code == 403
    editor = login(role="editor")
    page = client.get(url).get_data(as_text=True)
    assert "data-kiosk" in page and 'data-offline="survey"' in page
    second_key = KEY.replace("0f8c", "1a2b")
    for key, scale in ((KEY, "2"), (KEY, "2"), (second_key, "5")):  # the first person's answer arrives twice
        response = client.post(url, data={"k": key, **_answers(survey, answer_values, scale=scale)})
        assert response.status_code == 302 and response.headers["Location"].endswith("/kiosco")
    stored = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
                                .order_by(SurveyResponse.id)).all()
    assert [(r.idempotency_key, r.channel, r.entered_by_id, r.device_token) for r in stored] == [
        (KEY, "kiosk", editor.id, None), (second_key, "kiosk", editor.id, None)]
    download = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados/respuestas.csv").get_data(as_text=True)
    assert download.count(",quiosco,") == 2  # the "canal" column tells kiosk answers apart


def test_kiosk_refuses_a_closed_survey(client, build_survey, login):
    closed = build_survey(closed=True)
    login(role="editor")
    response = client.get(f"/m/intipuca/encuestas/gestion/{closed.id}/kiosco")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/gestion/{closed.id}/")


@pytest.fixture
def open_for_proposals(db, muni):
    today = date.today()
    process = BudgetProcess(municipality_id=muni.id, title="Propuestas de barrio", budget=Decimal("50000"),
                            proposals_open=today - timedelta(days=1), proposals_close=today + timedelta(days=20))
    process.publish()
    db.session.add(process)
    db.session.flush()
    return process


def test_proposal_sent_twice_is_one_proposal(client, db, login, open_for_proposals):
    login(role="resident")
    url = f"/m/intipuca/presupuesto/{open_for_proposals.id}/proponer"
    form = client.get(url).get_data(as_text=True)
    assert 'data-offline="proposal"' in form and 'name="idempotency_key"' in form
    data = {"title": "Luminarias en la cancha", "description": "Cuatro lámparas LED", "cost": "1200.00",
            "district": "", "place": "Cancha del centro", "idempotency_key": KEY}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith("/presupuesto/mis-propuestas")
    assert _count(db, BudgetProject, BudgetProject.process_id == open_for_proposals.id,
                  BudgetProject.idempotency_key == KEY) == 1
    assert _count(db, BudgetProject, BudgetProject.process_id == open_for_proposals.id) == 1


def test_fresh_form_token_is_never_cached(client):
    response = client.get("/sin-conexion/token")
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.get_json()["csrf_token"]) > 20


def test_paper_ballot_from_a_voting_table_sent_twice_counts_once(client, db, login, muni):
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import Ballot, Participation

    process = db.session.scalars(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).one()
    login(role="verifier", municipality=muni)
    url = f"/m/intipuca/presupuesto/admin/{process.id}/papeleta"
    form = client.get(url).get_data(as_text=True)
    assert 'data-offline="ballot"' in form and "data-kiosk" in form and 'name="idempotency_key"' in form
    ballots_before = _count(db, Ballot, Ballot.process_id == process.id)
    data = {"document": "00000006-6", "birth_date": "1966-07-16", "picks": ["1"],  # in the demo census
            "idempotency_key": KEY}
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db, Participation, Participation.process_id == process.id,
                  Participation.idempotency_key == KEY) == 1
    assert _count(db, Ballot, Ballot.process_id == process.id) == ballots_before + 1
    # another form for the same person is still refused: one ballot per person
    again = client.post(url, data={**data, "idempotency_key": KEY.replace("0f8c", "9e9e")})
    assert "Ya hay un voto" in again.get_data(as_text=True)
