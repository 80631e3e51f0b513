"""Jobs run by real workers (``flask --app wsgi jobs worker``, Huey's consumer) in other
processes: two workers never run the same job, a worker killed mid-job loses nothing,
a job that keeps failing lands on the failed-jobs page after its retries; on the
embedded SQLite queue and on a real redis-server."""
import pytest
from sqlalchemy import select

from portal.core import jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db
from tests.core import jobs_for_tests
from tests.core.worker_processes import Workers, wait_until
from tests.scale.test_shared_cache import redis_url  # noqa: F401  (a real redis-server)

pytestmark = pytest.mark.xdist_group("job-workers")


@pytest.fixture
def portal(tmp_path, fresh_database, app_factory):
    """``portal(jobs_url)``: an app on a new database (the demo loaded) sending jobs to
    ``jobs_url`` (default: a SQLite queue file), and the workers for it."""
    from tests.conftest import dispose

    saved = (jobs.huey.storage, dict(jobs._state))
    made = []

    def make(jobs_url=None, **settings):
        url = fresh_database("jobs")
        jobs_url = jobs_url or f"sqlite:///{tmp_path / 'queue.db'}"
        workers = Workers(url, jobs_url, tmp_path, **settings)
        same = {k: float(v) for k, v in workers.env.items() if k in ("JOBS_LEASE_SECONDS", "JOBS_RETRY_DELAY",
                                                                    "JOBS_RETRY_BACKOFF")}
        app = app_factory(url, JOBS_URL=jobs_url, UPLOAD_DIR=str(tmp_path / "up"), OUTBOX_DIR=str(tmp_path / "out"),
                          **same)  # every process of an installation has the same settings
        made.append((app, workers))
        return app, workers
    yield make
    for app, workers in made:
        workers.stop()
        dispose(app)
    jobs.huey.storage = saved[0]
    jobs._state.clear()
    jobs._state.update(saved[1])


def _runs(app, name):
    with app.app_context():
        return db.session.execute(select(ledger.JobRun).where(ledger.JobRun.name == name)
                                  .order_by(ledger.JobRun.id)).scalars().all()


def _all_finished(app, name, count):
    def check():
        runs = _runs(app, name)
        return len(runs) == count and all(r.status in (ledger.DONE, ledger.FAILED) for r in runs)
    return check


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_two_workers_never_run_the_same_job(portal, tmp_path, storage, request):
    jobs_url = request.getfixturevalue("redis_url") if storage == "redis" else None
    app, workers = portal(jobs_url)
    out = str(tmp_path / "ran.txt")
    tokens = [f"t{i}" for i in range(30)]
    with app.app_context():
        runs = [jobs_for_tests.note.enqueue(out, token) for token in tokens]
        db.session.commit()
        for run in runs:  # every job delivered twice: both workers may take the same one
            jobs.send(run.id, run.name, 0, run.max_attempts)
    workers.start(threads=3)
    workers.start(threads=3)
    wait_until(_all_finished(app, "tests.note", len(tokens)), workers=workers)
    lines = (tmp_path / "ran.txt").read_text().split("\n")
    ran = [line.split()[1] for line in lines if line]
    assert sorted(ran) == sorted(tokens)  # each once, none twice, none lost
    assert {r.status for r in _runs(app, "tests.note")} == {"done"}
    assert {r.attempts for r in _runs(app, "tests.note")} == {1}


def test_a_worker_killed_mid_job_loses_nothing(portal, tmp_path):
    app, workers = portal()
    out = tmp_path / "slow.txt"
    with app.app_context():
        jobs_for_tests.slow_first_time.enqueue(str(out), "only", 120)
        db.session.commit()
    first = workers.start(threads=1)
    wait_until(lambda: out.exists() and "start only" in out.read_text(), 60, "the first start", workers)
    workers.kill(first)  # SIGKILL in the middle of the job
    [run] = _runs(app, "tests.slow-first-time")
    assert run.status == "running" and run.attempts == 1
    second = workers.start(threads=1)  # its sweep finds the job whose heartbeat stopped
    wait_until(_all_finished(app, "tests.slow-first-time", 1), 60, "the job again", workers)
    text = out.read_text()
    assert text.count("start only") == 2 and text.count("done only") == 1
    [run] = _runs(app, "tests.slow-first-time")
    assert (run.status, run.attempts) == ("done", 2)
    assert str(second.pid) in text.splitlines()[-1]


def test_a_worker_killed_while_an_import_writes_leaves_nothing_and_the_next_writes_it_once(portal, tmp_path):
    """A real worker killed (SIGKILL) in the middle of an import's one transaction: nothing
    it wrote is there; another worker's sweep takes the run again and the census is its
    people once."""
    from portal.core import imports
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting.models import CensusEntry
    from sqlalchemy import func

    app, workers = portal()
    app.config["UPLOAD_FOLDER"] = workers.env["UPLOAD_FOLDER"]  # the storage every process shares
    marker = tmp_path / "writing"
    people = 400
    text = "documento,fecha_nacimiento,distrito\n" + "".join(
        f"{10000000 + i}-{i % 10},1980-01-{1 + i % 28:02d},Centro\n" for i in range(people))

    def census_count():
        with app.app_context():
            municipality = get_by_slug("intipuca")
            return db.session.execute(select(func.count(CensusEntry.id)).where(
                CensusEntry.municipality_id == municipality.id)).scalar()

    before = census_count()
    with app.app_context():
        run = imports.start("tests.census-slow", text.encode(), "padron.csv", municipality=get_by_slug("intipuca"),
                            options={"marker": str(marker)}, language="es")
        db.session.commit()
        run_id = run.id
    first = workers.start(threads=1)
    wait_until(marker.exists, 90, "the import's write", workers)
    assert census_count() == before  # written in its transaction, not committed
    workers.kill(first)
    assert census_count() == before  # the killed transaction left nothing
    workers.start(threads=1)  # its sweep finds the run whose heartbeat stopped
    wait_until(_all_finished(app, "imports.run", 1), 90, "the import again", workers)
    with app.app_context():
        run = db.session.get(imports.ImportRun, run_id)
        assert (run.status, run.written) == ("done", people)
    assert census_count() == people
    [job] = _runs(app, "imports.run")
    assert (job.status, job.attempts) == ("done", 2)


def test_a_failing_job_lands_on_the_failed_page_after_its_retries(portal, tmp_path, make_admin_client):
    app, workers = portal()
    out = tmp_path / "attempts.txt"
    with app.app_context():
        jobs_for_tests.always_fails.enqueue(str(out), "el servidor de noticias no responde")
        db.session.commit()
    workers.start()
    wait_until(_all_finished(app, "tests.always-fails", 1), 60, "the failing job", workers)
    [run] = _runs(app, "tests.always-fails")
    assert (run.status, run.attempts) == ("failed", 3) and out.read_text().count("attempt") == 3
    started = [line for line in workers.log_text().splitlines() if "Executing" in line and run.name in line]
    assert len(started) == 3
    workers.stop()  # its periodic jobs would write while the page's account is made (one SQLite writer)
    page = make_admin_client(app).get("/admin/jobs").get_data(as_text=True)
    assert "el servidor de noticias no responde" in page and "3 intentos" in page


@pytest.fixture
def make_admin_client():
    def make(app):
        from portal.accounts import services

        with app.app_context():
            user = services.create_user("plataforma@example.org", "correct horse battery", confirmed=True,
                                        platform_admin=True)
            db.session.commit()
            uid = user.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = uid, True
        return client
    return make
