"""The early warning as a queued job: publishing monthly execution asks for it (and
sends nothing itself); the job stores the semáforo's light and e-mails the council only
the warnings not told before, once however often it runs; a mail server that is down
makes it fail and retry, then shows it on /admin/jobs, and never undoes the publication."""
import socket

import pytest
from huey.storage import MemoryStorage
from sqlalchemy import func, select, update

from portal.core import jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db as _db
from portal.finance import monthly_import, semaforo, warning_jobs
from portal.finance.warning_models import FiscalLight, WarningNotice
from tests.finance.test_execution import months_csv, smtp  # noqa: F401 - the aiosmtpd inbox fixture

JOB = "finance.early-warning"
DECEMBER_2014 = [(12, "12", "14084.71", "12957.93")]  # December as the demo has it: republishing changes nothing


@pytest.fixture
def queue(app, db):
    """An empty in-process queue bound to the test app, retries without waiting."""
    jobs.bind(app)
    jobs.huey.storage = MemoryStorage(jobs.QUEUE_NAME)
    saved = {k: app.config[k] for k in ("JOBS_RETRY_DELAY", "JOBS_RETRY_BACKOFF", "JOBS_RETRIES")}
    app.config.update(JOBS_RETRY_DELAY=0, JOBS_RETRY_BACKOFF=2, JOBS_RETRIES=2)
    _db.session.execute(update(ledger.JobRun).values(status="done"))  # other tests' runs, long gone
    yield jobs.huey
    app.config.update(saved)


@pytest.fixture
def closed_port(app):
    """A mail server that is down: nothing listens on the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME="")
    yield port
    app.config.update(saved)


def runs():
    _db.session.expire_all()
    return _db.session.execute(select(ledger.JobRun).where(ledger.JobRun.name == JOB)
                               .order_by(ledger.JobRun.id)).scalars().all()


def notices(municipality):
    return _db.session.execute(select(WarningNotice).where(WarningNotice.municipality_id == municipality.id)
                               ).scalars().all()


def publish_december(runner, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(months_csv(2014, DECEMBER_2014))
    result = runner.invoke(args=["finance", "monthly", "intipuca", str(path), "--publish"])
    assert result.exit_code == 0, result.output
    return result


def test_publishing_queues_the_job_and_sends_nothing_itself(runner, queue, muni, make, smtp, tmp_path):
    staff = make.user(role="publisher", municipality=muni)
    result = publish_december(runner, tmp_path)
    assert "queued" in result.output
    [run] = runs()
    assert (run.status, run.key) == ("queued", f"{muni.id}:2014") and smtp.messages == []
    jobs.run_queued()
    assert runs()[0].status == "done", runs()[0].error
    assert [m["To"] for m in smtp.messages].count(staff.email) == 1


def test_the_job_tells_the_council_once_with_links_from_the_public_url(app, queue, muni, make, smtp):
    staff = make.user(role="admin", municipality=muni)
    resident = make.user()
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = "https://portal.example.org/cabildo"
    try:
        warning_jobs.ask(muni, 2014)
        _db.session.commit()
        jobs.run_queued()
    finally:
        app.config["PUBLIC_URL"] = saved
    to = [m["To"] for m in smtp.messages]
    assert staff.email in to and resident.email not in to
    message = next(m for m in smtp.messages if m["To"] == staff.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Intipucá" in message["Subject"] and "cumplía su umbral en 2013" in body
    assert "https://portal.example.org/cabildo/m/intipuca/finanzas/ejecucion/?year=2014" in body
    [told] = notices(muni)
    assert (told.year, told.kind, told.code, told.month) == (2014, "threshold", "eficacia_recaudacion", 12)
    sent = len(smtp.messages)
    warning_jobs.ask(muni, 2014)  # the same publication told again: the job runs, nothing new to tell
    _db.session.commit()
    jobs.run_queued()
    assert [r.status for r in runs()] == ["done", "done"] and len(smtp.messages) == sent
    assert len(notices(muni)) == 1


def test_only_warnings_not_told_before_are_sent(queue, muni, make, smtp):
    make.user(role="editor", municipality=muni)
    _db.session.add(WarningNotice(municipality_id=muni.id, year=2014, kind="investment", code="inversion",
                                  month=6, recipients=1))  # another warning, told in June
    _db.session.flush()
    assert warning_jobs.tell(muni, 2014) == 1 and len(smtp.messages) == 1
    _db.session.add(WarningNotice(municipality_id=muni.id, year=2013, kind="threshold",
                                  code="eficacia_recaudacion", month=12, recipients=1))  # another year's
    _db.session.flush()
    assert warning_jobs.tell(muni, 2014) == 0 and len(smtp.messages) == 1  # 2014's was told by the first call


def test_without_monthly_execution_nothing_is_sent_or_remembered(queue, db, make, smtp):
    m = make.municipality()
    make.user(role="admin", municipality=m)
    assert warning_jobs.tell(m, 2014) == 0 and notices(m) == [] and smtp.messages == []


def test_a_mail_server_down_fails_the_job_retries_it_and_lists_it_for_platform_staff(
        app, runner, queue, muni, make, closed_port, client, login, tmp_path):
    make.user(role="publisher", municipality=muni)
    _db.session.commit()
    publish_december(runner, tmp_path)
    jobs.run_queued()
    [run] = runs()
    assert (run.status, run.attempts) == ("failed", 3)  # JOBS_RETRIES=2: three attempts
    assert "MailNotSent" in run.error and notices(muni) == []  # nothing remembered as told
    assert monthly_import.get_year(muni, 2014).is_published  # the publication stands
    assert semaforo.stored(muni).light == "amber"  # the light is kept before the mail is tried
    login(make.user(platform_admin=True))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "Alerta temprana de la ejecución mensual" in page and "MailNotSent" in page


def test_after_its_retries_a_failed_job_sent_again_tells_once(app, queue, muni, make, smtp):
    staff = make.user(role="publisher", municipality=muni)
    up = app.config["MAIL_PORT"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        app.config["MAIL_PORT"] = sock.getsockname()[1]  # the server is down
    warning_jobs.ask(muni, 2014)
    _db.session.commit()
    jobs.run_queued()
    [run] = runs()
    assert run.status == "failed" and smtp.messages == []
    app.config["MAIL_PORT"] = up  # the server is back
    jobs.retry_failed(run)
    _db.session.commit()
    jobs.run_queued()
    assert runs()[0].status == "done"
    assert [m["To"] for m in smtp.messages] == [staff.email] and len(notices(muni)) == 1


def test_publishing_from_the_page_never_fails_because_of_mail(client, login, queue, muni, make, closed_port):
    login(role="publisher")
    row = monthly_import.get_year(muni, 2014)
    row.status = "draft"
    _db.session.commit()
    page = client.post("/m/intipuca/finanzas/ejecucion/gestion/2014/publicar", data={}, follow_redirects=True)
    assert page.status_code == 200 and "publicada" in page.get_data(as_text=True)
    assert monthly_import.get_year(muni, 2014).is_published
    assert [r.status for r in runs()] == ["queued"]  # the mail goes out later, from the queue


def test_the_job_keeps_the_light_current(queue, muni):
    before = semaforo.stored(muni)
    assert (before.light, before.year, before.month) == ("amber", 2014, 12)  # the demo's one warning
    _db.session.delete(before)
    _db.session.commit()
    warning_jobs.early_warning(muni.id, 2014)  # the job's body, here and now
    after = semaforo.stored(muni)
    assert (after.light, after.year) == ("amber", 2014)
    [w] = semaforo.decode(after.warnings)
    assert w.kind == "threshold" and w.code == "eficacia_recaudacion" and w.value < w.threshold
    assert _db.session.scalar(select(func.count()).select_from(FiscalLight)
                              .where(FiscalLight.municipality_id == muni.id)) == 1


def test_every_light_again_at_night_and_from_the_command_line(runner, queue, muni, make):
    from datetime import datetime

    assert jobs.PERIODIC["finance.semaforo-all"](datetime(2026, 12, 6, 3, 30))
    assert not jobs.PERIODIC["finance.semaforo-all"](datetime(2026, 12, 6, 4, 30))
    _db.session.delete(semaforo.stored(muni))
    gone = make.municipality()  # a light left behind by execution no longer published
    _db.session.add(FiscalLight(municipality_id=gone.id, year=2030, month=3, light="red", warnings="[]"))
    _db.session.commit()
    result = runner.invoke(args=["finance", "semaforo"])
    assert result.exit_code == 0 and "lights stored" in result.output, result.output
    assert semaforo.stored(muni).light == "amber" and semaforo.stored(gone) is None


def test_a_name_with_a_line_break_still_gets_its_warning_on_one_subject_line(app, queue, muni, make, smtp):
    make.user(role="admin", municipality=muni)
    saved = muni.name
    muni.name = "Intipucá\r\nBcc: someone@example.org"
    _db.session.commit()
    try:
        warning_jobs.ask(muni, 2014)
        _db.session.commit()
        jobs.run_queued()
    finally:
        muni.name = saved
        _db.session.commit()
    assert [r.status for r in runs()] == ["done"]
    [message] = smtp.messages
    assert "\n" not in message["Subject"] and "Bcc" not in message and message["Subject"].count("Intipucá") == 1


def test_an_imported_name_is_kept_on_one_line():
    from portal.municipalities.onboarding import text

    assert text("San José\r\nBcc: x@example.org\t ") == "San José Bcc: x@example.org"
    assert text(1411.0) == "1411"
