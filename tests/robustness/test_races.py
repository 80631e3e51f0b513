"""Double submissions at the same instant, over real concurrent connections to a served
portal (SQLite or PostgreSQL): exactly one wins, the other gets a clear answer, and
nothing is half-written."""
import re
import secrets

import requests
from sqlalchemy import func, select

from portal.extensions import db as _db

from .conftest import VOTERS, at_once, signed_in

SLUG = "intipuca"


def _open_process(app):
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetProcess

    with app.app_context():
        return _db.session.execute(select(BudgetProcess.id).where(BudgetProcess.title == OPEN)).scalar_one()


def _count(app, query):
    with app.app_context():
        try:
            return _db.session.execute(query).scalar()
        finally:
            _db.session.remove()


def test_one_voter_two_ballots_at_once(served, no_limits):
    from portal.participation.budgeting.models import Ballot, Participation

    base, app = served
    pid = _open_process(app)
    url = f"{base}/m/{SLUG}/presupuesto/{pid}"
    document, birth = VOTERS[0]
    ballots_before = _count(app, select(func.count(Ballot.id)).where(Ballot.process_id == pid))
    browsers = []
    for picks in (["1"], ["2", "3"]):  # two browsers of the same person, each with a ballot ready
        browser = requests.Session()
        r = browser.post(url + "/verificar", data={"document": document, "birth_date": birth}, allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"].endswith("/votar")
        r = browser.post(url + "/votar", data={"picks": picks}, allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"].endswith("/votar/revisar")
        browsers.append(browser)
    first, second = at_once(*[lambda b=b: b.post(url + "/votar/revisar", timeout=60) for b in browsers])
    pages = [first.text, second.text]
    assert [r.status_code for r in (first, second)] == [200, 200]
    won = [p for p in pages if re.search(r"<strong>[A-Z0-9-]{17}</strong>", p)]
    lost = [p for p in pages if "Ya hay un voto registrado para esta persona" in p]
    assert len(won) == 1 and len(lost) == 1, pages
    assert _count(app, select(func.count(Ballot.id)).where(Ballot.process_id == pid)) == ballots_before + 1
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting.services import person_hash
    with app.app_context():
        key = person_hash(get_by_slug(SLUG), document)
    assert _count(app, select(func.count(Participation.id)).where(
        Participation.process_id == pid, Participation.voter_key == key)) == 1


def _report_form(key, text):
    return {"description": text, "address": "Frente a la alcaldía", "idempotency_key": key,
            "confirm_new": "1", "district": "", "neighbourhood": ""}


def test_same_complaint_key_twice_at_once(served, no_limits):
    from portal.participation.complaints.models import Report, ReportUpdate

    base, app = served
    key = secrets.token_urlsafe(24)
    url = f"{base}/m/{SLUG}/reclamos/nuevo?servicio=aseo"
    results = at_once(*[lambda: requests.post(url, data=_report_form(key, "Basura acumulada en la esquina"),
                                              allow_redirects=False, timeout=60)] * 3)
    assert all(r.status_code == 302 for r in results), [r.status_code for r in results]
    codes = {r.headers["Location"].rsplit("/", 1)[-1] for r in results}
    assert len(codes) == 1  # every sender is sent to the same report
    assert _count(app, select(func.count(Report.id)).where(Report.idempotency_key == key)) == 1
    assert _count(app, select(func.count(ReportUpdate.id)).join(Report).where(Report.idempotency_key == key)) == 1


def _survey(app):
    from datetime import date

    from portal.participation.surveys.models import Survey

    with app.app_context():
        for survey in _db.session.execute(select(Survey)).scalars():
            if survey.is_published and survey.opens_on <= date.today() and not survey.is_closed(date.today()):
                return survey.id
    raise AssertionError("the demo has no open survey")


def _answer_until_last_page(browser, url, key):
    """Answer page after page; returns the last page's form data (not yet sent)."""
    from bench.load.htmlforms import Forms, fill

    page = browser.get(url + f"?k={key}")
    for _ in range(12):
        form = Forms(page.text).post_form("/responder")
        data = {**fill(form, "Respuesta de prueba"), "action": "next", "k": key}
        if "Enviar respuestas" in page.text:
            return form["action"], data
        r = browser.post(base_of(url) + form["action"], data=data, allow_redirects=False)
        assert r.status_code == 302, r.text[:2000]
        page = browser.get(base_of(url) + r.headers["Location"])
    raise AssertionError("the survey never reached its last page")


def base_of(url):
    return re.match(r"https?://[^/]+", url).group(0)


def test_same_survey_key_twice_at_once(served, no_limits):
    from portal.participation.surveys.models import Answer, SurveyResponse

    base, app = served
    sid = _survey(app)
    url = f"{base}/m/{SLUG}/encuestas/{sid}/responder"
    key = secrets.token_urlsafe(24)
    browser = requests.Session()
    action, data = _answer_until_last_page(browser, url, key)
    other = requests.Session()  # another device sending the same form (a resent request)
    results = at_once(*[lambda s=s: s.post(base + action, data=data, allow_redirects=False, timeout=60)
                        for s in (browser, other)])
    assert all(r.status_code == 302 and "/gracias" in r.headers["Location"] for r in results), \
        [(r.status_code, r.headers.get("Location")) for r in results]
    assert _count(app, select(func.count(SurveyResponse.id)).where(SurveyResponse.idempotency_key == key)) == 1
    answers = _count(app, select(func.count(Answer.id)).join(SurveyResponse).where(
        SurveyResponse.idempotency_key == key))
    assert answers > 0


def test_two_staff_change_one_complaint_at_once(served, no_limits):
    from portal.participation.complaints.models import Report, ReportUpdate

    base, app = served
    key = secrets.token_urlsafe(24)
    r = requests.post(f"{base}/m/{SLUG}/reclamos/nuevo?servicio=aseo", data=_report_form(key, "Poste caído"),
                      allow_redirects=False)
    assert r.status_code == 302
    with app.app_context():
        report_id, version = _db.session.execute(select(Report.id, Report.version).where(
            Report.idempotency_key == key)).one()
        _db.session.remove()
    staff = [signed_in(base, f"moderator{n}@race.example.org") for n in range(2)]
    url = f"{base}/m/{SLUG}/reclamos/gestion/{report_id}/estado"
    changes = [{"version": str(version), "status": "in_progress", "note": "Cuadrilla en camino"},
               {"version": str(version), "status": "fixed", "note": "Ya quedó resuelto"}]
    results = at_once(*[lambda s=s, d=d: s.post(url, data=d, allow_redirects=False, timeout=60)
                        for s, d in zip(staff, changes)])
    statuses = sorted(r.status_code for r in results)
    assert statuses == [302, 409], statuses
    loser = next(r for r in results if r.status_code == 409)
    assert "Otra persona cambió este reporte" in loser.text
    winner = changes[[r.status_code for r in results].index(302)]
    loser_note = next(c for c in changes if c is not winner)["note"]
    with app.app_context():
        status, new_version = _db.session.execute(select(Report.status, Report.version).where(
            Report.id == report_id)).one()
        updates = _db.session.execute(select(ReportUpdate.new_status, ReportUpdate.body).where(
            ReportUpdate.report_id == report_id)).all()
        _db.session.remove()
    assert status == winner["status"] and new_version == version + 1
    assert [u for u in updates if u.new_status == winner["status"]]
    assert not [u for u in updates if loser_note in (u.body or "")]  # nothing of the loser was written


def test_many_reports_at_once_are_all_stored(served, no_limits):
    """Concurrent reports each append to the municipality's change chain; none may
    deadlock (PostgreSQL) or find the database locked (SQLite)."""
    from portal.participation.complaints.models import Report

    base, app = served
    keys = [secrets.token_urlsafe(24) for _ in range(8)]
    url = f"{base}/m/{SLUG}/reclamos/nuevo?servicio=parques"
    results = at_once(*[lambda k=k: requests.post(url, data=_report_form(k, f"Juegos rotos {k[:6]}"),
                                                  allow_redirects=False, timeout=60) for k in keys])
    assert [getattr(r, "status_code", r) for r in results] == [302] * len(keys)
    assert _count(app, select(func.count(Report.id)).where(Report.idempotency_key.in_(keys))) == len(keys)
