"""Counting outside the web request: the request queues, a job worker (or
`budgeting count-pending`) counts and stores, the pages say "calculando" until then."""
import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.extensions import db as _db
from portal.participation.budgeting import services, worker
from portal.participation.budgeting.demo import OPEN
from portal.participation.budgeting.models import Ballot, BudgetCount, BudgetProcess, TallyResult

MOKOTOW = Path("/work/shared/data/pabulib/Poland_Warszawa_2023_Mokotow.pb")


def _open(muni):
    return _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()


def test_closing_the_vote_queues_the_count_and_pages_say_calculating(client, login, muni):
    process = _open(muni)
    user = login(role="publisher", municipality=muni)
    admin = f"/m/intipuca/presupuesto/admin/{process.id}"
    assert client.post(admin + "/accion/cerrar-votacion").status_code == 302
    count = _db.session.execute(select(BudgetCount).where(BudgetCount.process_id == process.id)).scalar_one()
    assert (count.status, count.rule, count.trigger, count.requested_by_id) == ("queued", process.rule, "close", user.id)
    assert count.queued_at is not None and count.started_at is None
    public = f"/m/intipuca/presupuesto/{process.id}/resultados"
    page = client.get(public).get_data(as_text=True)
    assert "Calculando resultados…" in page and "Todavía no hay resultados" not in page
    assert f'href="{public}"' in page  # a plain link to reload; no meta refresh, no script
    assert "http-equiv" not in page
    page = client.get(admin).get_data(as_text=True)
    assert "Calculando resultados…" in page and "al cerrar la votación" in page
    assert (user.display_name or user.email) in page
    assert worker.run_pending() == [count.id]
    _db.session.expire_all()
    assert count.status == "done" and count.started_at and count.finished_at and count.result_id
    result = _db.session.get(TallyResult, count.result_id)
    assert result.rule == process.rule and not result.is_published
    page = client.get(admin).get_data(as_text=True)
    assert "Calculando resultados…" not in page and "listo" in page
    # asking twice while a count waits queues it once
    client.post(admin + "/accion/contar", data={"rule": "greedy"})
    client.post(admin + "/accion/contar", data={"rule": "greedy"})
    assert _db.session.scalar(select(BudgetCount.id).where(
        BudgetCount.process_id == process.id, BudgetCount.status == "queued")) is not None
    assert len(worker.run_pending()) == 1


def test_a_failed_count_is_shown_to_staff_with_its_error(client, login, muni):
    process = _open(muni)
    _db.session.add(Ballot(municipality_id=muni.id, process_id=process.id, choices="1:x", channel="paper"))
    _db.session.flush()
    login(role="publisher", municipality=muni)
    admin = f"/m/intipuca/presupuesto/admin/{process.id}"
    client.post(admin + "/accion/contar", data={"rule": "greedy"})
    [count_id] = worker.run_pending()
    count = _db.session.get(BudgetCount, count_id)
    assert count.status == "failed" and "ValueError" in count.error and count.finished_at
    page = client.get(admin).get_data(as_text=True)
    assert "falló" in page and "Un error del sistema detuvo el conteo" in page
    assert re.search(r'<code translate="no">ValueError: invalid literal', page)  # the detail, for the administrator
    assert "Calculando resultados…" not in page


def test_count_pending_for_cron_counts_processes_closed_by_date(runner, muni):
    process = _open(muni)
    process.voting_close = date.today() - timedelta(days=1)
    _db.session.flush()
    result = runner.invoke(args=["budgeting", "count-pending"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"count \d+: process {process.id}, {process.rule}: done in [\d.]+ s", result.output)
    assert services.result_for(muni, process, None, published_only=False) is not None
    again = runner.invoke(args=["budgeting", "count-pending"])
    assert "No counts pending." in again.output  # counted once


def test_a_running_count_whose_worker_stopped_fails_after_an_hour(muni):
    from portal.participation.budgeting import counting

    process = _open(muni)
    count = counting.request_count(muni, process)
    count.status, count.started_at = "running", utcnow() - timedelta(hours=2)
    _db.session.flush()
    assert counting.release_stale() == 1
    _db.session.refresh(count)
    assert count.status == "failed" and count.error == counting.INTERRUPTED


@pytest.mark.parametrize("language, words", [
    ("es", ("El conteo se interrumpió", "Los proyectos o los distritos cambiaron")),
    ("en", ("The count was interrupted", "The projects or districts changed")),
    ("pt", ("A contagem foi interrompida", "Os projetos ou os distritos mudaram"))])
def test_a_count_that_failed_says_why_in_the_readers_language(client, login, muni, language, words):
    from portal.participation.budgeting import counting

    process = _open(muni)
    for code in (counting.INTERRUPTED, counting.CHANGED):
        count = counting.request_count(muni, process)
        count.status, count.error = "failed", code
    _db.session.flush()
    login(role="publisher", municipality=muni)
    client.set_cookie("lang", language)
    page = client.get(f"/m/intipuca/presupuesto/admin/{process.id}").get_data(as_text=True)
    assert all(sentence in page for sentence in words), page[page.find("pb-counts"):][:1500]


def test_the_request_returns_before_the_count_finishes(fresh_database, app_factory, tmp_path):
    """A real job worker (``flask --app wsgi jobs worker``) on a database of its own:
    Equal Shares with completion on Warszawa Mokotów takes seconds; the request that asks
    for it answers at once, and the worker counts."""
    from portal.accounts import services as accounts
    from portal.core import jobs
    from portal.municipalities.services import get_by_slug
    from tests.core.worker_processes import Workers

    url = fresh_database("count")
    queue = f"sqlite:///{tmp_path / 'queue.db'}"
    saved = (jobs.huey.storage, dict(jobs._state))
    app = app_factory(url, JOBS_URL=queue, UPLOAD_DIR=str(tmp_path / "up"), OUTBOX_DIR=str(tmp_path / "out"))
    workers = Workers(url, queue, tmp_path)
    try:
        with app.app_context():
            muni = get_by_slug("intipuca")
            process = services.import_pabulib(muni, MOKOTOW.read_text(encoding="utf-8"), publish=True)
            user = accounts.create_user("conteo@example.org", "correct horse battery", confirmed=True)
            accounts.grant(user, muni, "publisher")
            _db.session.commit()
            pid, uid = process.id, user.get_id()
        workers.start(threads=1)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = uid, True
        admin = f"/m/intipuca/presupuesto/admin/{pid}"
        started = time.perf_counter()
        response = client.post(admin + "/accion/contar", data={"rule": "mes-add1"})
        took = time.perf_counter() - started
        answered = utcnow()
        assert response.status_code == 302
        with app.app_context():
            assert _db.session.scalar(select(TallyResult.id).where(TallyResult.process_id == pid)) is None
        assert "Calculando resultados…" in client.get(admin).get_data(as_text=True)
        public = client.get(f"/m/intipuca/presupuesto/{pid}/resultados").get_data(as_text=True)
        assert "Calculando resultados…" in public
        deadline = time.monotonic() + 600  # seconds alone; minutes on a busy machine
        while "Calculando resultados…" in client.get(admin).get_data(as_text=True):
            assert time.monotonic() < deadline, "the count did not finish\n" + workers.log_text()
            time.sleep(0.5)
        with app.app_context():
            count = _db.session.execute(select(BudgetCount).where(BudgetCount.process_id == pid)).scalar_one()
            assert count.status == "done", count.error
            assert count.finished_at > answered and count.seconds > took
            result = _db.session.get(TallyResult, count.result_id)
            assert result.rule == "mes-add1" and result.mes_runs > 100 and len(result.lines) == 81
    finally:
        workers.stop()
        jobs.huey.storage = saved[0]
        jobs._state.clear()
        jobs._state.update(saved[1])
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
