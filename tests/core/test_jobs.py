"""The job queue in one process: jobs are sent after the commit and run once, retried
with backoff, recorded when they keep failing (page and CLI), declared periodic jobs
run once per slot, and every background task of the portal is a job."""
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import refresh
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import select, update

from portal.core import jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db as _db
from tests.core import jobs_for_tests


@pytest.fixture
def queue(app, db):
    """An empty in-process queue bound to the test app, retries without waiting."""
    jobs.bind(app)
    jobs.huey.storage = MemoryStorage(jobs.QUEUE_NAME)
    saved = {k: app.config[k] for k in ("JOBS_RETRY_DELAY", "JOBS_RETRY_BACKOFF")}
    app.config.update(JOBS_RETRY_DELAY=0, JOBS_RETRY_BACKOFF=2)
    yield jobs.huey
    app.config.update(saved)


def _runs(name):
    _db.session.expire_all()
    return _db.session.execute(select(ledger.JobRun).where(ledger.JobRun.name == name)
                               .order_by(ledger.JobRun.id)).scalars().all()


def test_a_job_is_sent_after_the_commit_and_runs_once(queue, tmp_path):
    out = str(tmp_path / "out")
    jobs_for_tests.note.enqueue(out, "a")
    assert queue.pending_count() == 0  # nothing sent before the commit
    _db.session.commit()
    assert queue.pending_count() == 1
    assert jobs.run_queued() == 1
    [run] = _runs("tests.note")
    assert (run.status, run.attempts, run.error) == ("done", 1, "")
    assert run.started_at and run.finished_at and run.worker
    jobs.send(run.id, run.name, 0, run.max_attempts)  # the queue delivers it again
    jobs.run_queued()
    assert Path(out).read_text().count("ran a") == 1
    assert _runs("tests.note")[0].attempts == 1


def test_a_rolled_back_request_sends_no_job(queue, tmp_path):
    jobs_for_tests.note.enqueue(str(tmp_path / "out"), "b")
    _db.session.rollback()
    assert queue.pending_count() == 0 and _runs("tests.note") == []


def test_a_job_asked_for_twice_before_it_starts_is_one_job(queue, tmp_path):
    first = jobs_for_tests.note.enqueue(str(tmp_path / "out"), "c", key="same")
    second = jobs_for_tests.note.enqueue(str(tmp_path / "out"), "c", key="same")
    assert first is second
    _db.session.commit()
    jobs.run_queued()
    assert (tmp_path / "out").read_text().count("ran c") == 1


def test_a_failing_job_is_retried_then_recorded_with_its_error(queue, tmp_path, runner):
    out = tmp_path / "attempts"
    jobs_for_tests.always_fails.enqueue(str(out), "la pasarela no responde")
    _db.session.commit()
    jobs.run_queued()
    assert out.read_text().count("attempt") == 3  # retries=2: three attempts in all
    [run] = _runs("tests.always-fails")
    assert (run.status, run.attempts) == ("failed", 3)
    assert "RuntimeError: la pasarela no responde" in run.error and run.finished_at
    listed = runner.invoke(args=["jobs", "failed"])
    assert listed.exit_code == 0 and f"{run.id}\ttests.always-fails" in listed.output
    assert "la pasarela no responde" in listed.output
    again = runner.invoke(args=["jobs", "retry", str(run.id)])
    assert again.exit_code == 0, again.output
    assert _runs("tests.always-fails")[0].status == "queued"
    jobs.run_queued()
    assert out.read_text().count("attempt") == 6
    assert runner.invoke(args=["jobs", "retry", "999999"]).exit_code != 0


def test_retries_wait_longer_each_time(app, queue):
    app.config.update(JOBS_RETRY_DELAY=30, JOBS_RETRY_BACKOFF=2)
    assert [jobs._retry_delay(app.config, n) for n in range(4)] == [30, 60, 120, 240]
    jobs_for_tests.always_fails.enqueue("/dev/null", "x")
    _db.session.commit()
    jobs.run_queued(include_scheduled=False)  # the first attempt; the retry waits in the schedule
    [run] = _runs("tests.always-fails")
    assert (run.status, run.attempts) == ("queued", 1)
    assert timedelta(seconds=25) < run.due_at - run.started_at < timedelta(seconds=35)
    [waiting] = queue.scheduled()
    assert (waiting.retries, waiting.retry_delay, waiting.retry_backoff) == (1, 60, 2)


def test_the_failed_page_is_for_platform_staff_in_every_language(client, login, queue, make):
    jobs_for_tests.always_fails.enqueue("/dev/null", "sin conexión con el servidor de correo")
    _db.session.commit()
    jobs.run_queued()
    [run] = _runs("tests.always-fails")
    login(role="admin")
    assert client.get("/admin/jobs").status_code == 403
    login(make.user(platform_admin=True))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Tareas fallidas" in page and "sin conexión con el servidor de correo" in page
    assert "3 intentos" in page and "Ejecutar de nuevo" in page
    client.set_cookie("lang", "en")
    refresh()  # the test's app context, shared with its requests, keeps the locale it chose
    english = client.get("/admin/jobs").get_data(as_text=True)
    assert "Failed jobs" in english and "3 attempts" in english
    client.set_cookie("lang", "pt")
    refresh()
    portuguese = client.get("/admin/jobs").get_data(as_text=True)
    assert "Tarefas com falha" in portuguese
    response = client.post(f"/admin/jobs/{run.id}/retry")
    assert response.status_code == 302
    assert _runs("tests.always-fails")[0].status == "queued"
    assert client.post(f"/admin/jobs/{run.id}/retry").status_code == 404  # no longer failed


def test_a_periodic_slot_makes_one_job_whichever_scheduler_fires_it(queue):
    fire = jobs.PERIODIC_FIRES["feeds.fetch"]
    fire()  # one worker's scheduler
    fire()  # another's, the same minute
    runs = _runs("feeds.fetch")
    assert len(runs) == 1 and runs[0].once_key.startswith("feeds.fetch@")


def test_every_background_task_is_declared_as_a_job_with_its_schedule():
    assert {"budgeting.count", "budgeting.due", "compare.refresh", "compare.refresh-all", "feeds.fetch",
            "audit.checkpoint", "jobs.sweep"} <= set(jobs.REGISTRY)
    from datetime import datetime

    night = jobs.PERIODIC["compare.refresh-all"]
    assert night(datetime(2026, 12, 6, 3, 15)) and not night(datetime(2026, 12, 6, 4, 15))
    assert jobs.PERIODIC["feeds.fetch"](datetime(2026, 12, 6, 9, 30))
    assert not jobs.PERIODIC["feeds.fetch"](datetime(2026, 12, 6, 9, 31))
    assert jobs.PERIODIC["audit.checkpoint"](datetime(2026, 12, 6, 9, 7))
    assert jobs.PERIODIC["budgeting.due"](datetime(2026, 12, 6, 9, 8))


def test_a_publication_asks_for_a_comparison_refresh_of_its_municipality(queue, muni):
    from portal.compare.models import CapacityProfile
    from portal.finance import services

    year = services.ensure_year(muni, 2033)
    services.set_line(muni, year, "11", "Impuestos", {"approved": Decimal("1000")}, [])
    _db.session.execute(update(ledger.JobRun).values(status="done"))  # the demo's own, long gone
    _db.session.commit()
    earlier = len(_runs("compare.refresh"))
    services.publish_year(muni, year)
    _db.session.commit()
    [*_, run] = _runs("compare.refresh")
    assert len(_runs("compare.refresh")) == earlier + 1
    assert run.status == "queued" and run.due_at > run.enqueued_at  # it lets a burst gather
    before = _db.session.execute(select(CapacityProfile.refreshed_at).where(
        CapacityProfile.municipality_id == muni.id)).scalar()
    jobs.run_queued()
    [*_, run] = _runs("compare.refresh")
    assert run.status == "done", run.error
    after = _db.session.execute(select(CapacityProfile.refreshed_at).where(
        CapacityProfile.municipality_id == muni.id)).scalar()
    assert after is not None and (before is None or after > before)
    assert len(_runs("compare.refresh")) == earlier + 1  # the refresh did not ask for itself


def test_closing_a_vote_sends_its_count_to_the_queue(client, login, muni, queue):
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetCount, BudgetProcess

    process = _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()
    login(role="publisher", municipality=muni)
    assert client.post(f"/m/intipuca/presupuesto/admin/{process.id}/accion/cerrar-votacion").status_code == 302
    count = _db.session.execute(select(BudgetCount).where(BudgetCount.process_id == process.id)).scalar_one()
    [run] = _runs("budgeting.count")
    assert run.args == f"[{count.id}]" and run.status == "queued"
    jobs.run_queued()
    _db.session.expire_all()
    assert count.status == "done" and count.result_id
    result_id = count.result_id
    jobs.send(run.id, run.name, 0, run.max_attempts)  # delivered twice: counted once
    jobs.run_queued()
    _db.session.expire_all()
    assert count.result_id == result_id and _runs("budgeting.count")[0].attempts == 1


def test_a_count_job_whose_worker_died_takes_its_count_again(queue, muni):
    from portal.accounts.models import utcnow
    from portal.participation.budgeting import counting, worker
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetProcess

    process = _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()
    count = counting.request_count(muni, process)
    run = worker.count_job.enqueue(count.id)
    _db.session.flush()
    # the first attempt took the count and its job, then its worker was killed
    count.status, count.started_at = "running", utcnow() - timedelta(minutes=5)
    run.status, run.attempts, run.heartbeat_at = "running", 1, utcnow() - timedelta(minutes=5)
    _db.session.commit()
    assert jobs.sweep() == 1
    jobs.run_queued()
    _db.session.expire_all()
    assert count.status == "done" and run.status == "done" and run.attempts == 2


def test_processes_closed_by_date_are_counted_by_the_periodic_job(queue, muni):
    from portal.participation.budgeting import worker
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetCount, BudgetProcess

    process = _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()
    process.voting_close = date.today() - timedelta(days=1)
    worker.due_job.enqueue()
    _db.session.commit()
    jobs.run_queued()
    count = _db.session.execute(select(BudgetCount).where(BudgetCount.process_id == process.id)).scalar_one()
    assert count.status == "done" and count.trigger == "close"


@pytest.mark.parametrize("url, storage", [
    ("redis://127.0.0.1:6390/2", RedisStorage),
    ("sqlite:///{tmp}/queue/jobs.db", SqliteStorage),
    ("memory://", MemoryStorage),
])
def test_the_storage_follows_the_setting(url, storage, tmp_path):
    assert isinstance(jobs.make_storage(url.format(tmp=tmp_path)), storage)


def test_production_refuses_an_in_process_queue_and_unknown_urls(tmp_path):
    with pytest.raises(jobs.JobsConfigurationError):
        jobs.make_storage("memory://", production=True)
    with pytest.raises(jobs.JobsConfigurationError):
        jobs.make_storage("amqp://broker/")


def test_settings_come_from_the_environment(tmp_path):
    default = jobs.settings({}, tmp_path, False)
    assert default["JOBS_URL"] == f"sqlite:///{tmp_path / 'jobs.db'}"
    assert jobs.settings({"REDIS_URL": "redis://r:6379/0"}, tmp_path, True)["JOBS_URL"] == "redis://r:6379/0"
    chosen = jobs.settings({"REDIS_URL": "redis://r/0", "JOBS_URL": "redis://q/3", "JOBS_RETRIES": "99",
                            "JOBS_RETRY_DELAY": "-5"}, tmp_path, True)
    assert chosen["JOBS_URL"] == "redis://q/3" and chosen["JOBS_RETRIES"] == 20 and chosen["JOBS_RETRY_DELAY"] == 0


def test_the_sweep_forgets_finished_jobs_after_a_week_but_keeps_failed_ones(queue, tmp_path):
    from portal.accounts.models import utcnow

    old, recent, failed = (jobs_for_tests.note.enqueue(str(tmp_path / "x"), token) for token in "abc")
    _db.session.flush()
    week_ago = utcnow() - timedelta(days=8)
    old.status, old.finished_at = "done", week_ago
    recent.status, recent.finished_at = "done", utcnow()
    failed.status, failed.finished_at = "failed", week_ago
    ids = (old.id, recent.id, failed.id)
    _db.session.commit()
    jobs.sweep_job()
    _db.session.expire_all()
    assert [_db.session.get(ledger.JobRun, i) is not None for i in ids] == [False, True, True]
