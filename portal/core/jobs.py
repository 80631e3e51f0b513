"""Background work on Huey: the queue, its configuration, and running a job in the app.

Every job of the portal is declared this way::

    @jobs.job("feeds.fetch", retries=3)
    def fetch_feeds(): ...

    fetch_feeds.enqueue()            # in a request or a command; runs after the commit
    jobs.periodic(fetch_feeds, crontab(minute="*/30"))   # declared in code, not a crontab

Storage (``JOBS_URL``): Redis when ``JOBS_URL`` (or ``REDIS_URL``) is a ``redis://`` URL,
for several servers with workers on any machine; otherwise a SQLite file, by default
``instance/jobs.db``, for the embedded install (no extra server). ``memory://`` keeps the
queue in the process (tests only; refused in production). Jobs never run inside the
web request: a worker (``flask --app wsgi jobs worker``, Huey's consumer) runs them.
Huey's immediate mode is not used by the portal.

Safety comes from the job ledger (:mod:`portal.core.jobs_ledger`): a job's row is
written with the change that asked for it and sent to Huey after the commit; a worker
takes the row atomically before running (two workers never run the same job), keeps a
heartbeat while it runs (a killed worker's job is taken again by the sweep), and records
every failure. Attempts: ``retries + 1``, ``JOBS_RETRY_DELAY`` seconds apart, times
``JOBS_RETRY_BACKOFF`` after each; then the job is ``failed``, shown to platform staff.
Jobs must be idempotent: a job whose worker died runs again from the start.
"""
import json
import logging
import os
import socket
import threading
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

from flask_babel import lazy_gettext as _l
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.core import database
from portal.core import jobs_ledger as ledger
from portal.extensions import db

log = logging.getLogger(__name__)
QUEUE_NAME = "cabildo"

huey = Huey(QUEUE_NAME, results=False, utc=True, storage_class=MemoryStorage)
_state = {"app": None}
_current: ContextVar["Job | None"] = ContextVar("current_job", default=None)
_attempt: ContextVar[int] = ContextVar("current_attempt", default=0)


class JobsConfigurationError(RuntimeError):
    """The queue settings cannot work."""


def settings(env, instance: Path, production: bool) -> dict:
    """The ``JOBS_*`` settings from the environment (see the README's configuration)."""
    url = env.get("JOBS_URL") or env.get("REDIS_URL") or f"sqlite:///{instance / 'jobs.db'}"
    return {
        "JOBS_URL": url,
        "JOBS_WORKERS": min(max(int(env.get("JOBS_WORKERS", "2")), 1), 32),
        "JOBS_RETRIES": min(max(int(env.get("JOBS_RETRIES", "3")), 0), 20),
        "JOBS_RETRY_DELAY": min(max(float(env.get("JOBS_RETRY_DELAY", "30")), 0.0), 86400.0),
        "JOBS_RETRY_BACKOFF": min(max(float(env.get("JOBS_RETRY_BACKOFF", "2")), 1.0), 10.0),
        "JOBS_LEASE_SECONDS": min(max(float(env.get("JOBS_LEASE_SECONDS", "120")), 1.0), 86400.0),
        "JOBS_LATE_SECONDS": min(max(float(env.get("JOBS_LATE_SECONDS", "600")), 1.0), 86400.0),
    }


def make_storage(url: str, production: bool = False):
    """The Huey storage for ``JOBS_URL``."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage(QUEUE_NAME, url=url)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(QUEUE_NAME, filename=str(path), timeout=30)
    if url == "memory://":
        if production:
            raise JobsConfigurationError("JOBS_URL=memory:// keeps jobs inside one process: it is for tests, "
                                         "not production (use a redis:// URL or leave it unset for SQLite).")
        return MemoryStorage(QUEUE_NAME)
    raise JobsConfigurationError(f"JOBS_URL must be redis://…, sqlite:///… or (tests) memory://, not {url!r}.")


def init_app(app) -> None:
    """Point the queue at the app's storage; jobs run in this app (the last one made)."""
    bind(app)
    if not event.contains(Session, "after_commit", _push_after_commit):
        event.listen(Session, "after_commit", _push_after_commit)
        event.listen(Session, "after_soft_rollback", _forget)


def bind(app) -> None:
    """Send and run jobs with ``app``'s settings (one app per process; tests switch)."""
    if _state.get("url") != app.config["JOBS_URL"] or app.config["JOBS_URL"] == "memory://":
        huey.storage = make_storage(app.config["JOBS_URL"], app.config.get("PRODUCTION", False))
        _state["url"] = app.config["JOBS_URL"]
    _state["app"] = app


# --- declaring and asking for jobs --------------------------------------------------------

REGISTRY: dict[str, "Job"] = {}


@dataclass
class Job:
    name: str
    func: Callable
    label: object  # what staff read (a lazy string)
    retries: int | None  # None: JOBS_RETRIES
    on_failure: Callable | None
    task: object = None

    def __call__(self, *args):
        """Run the job's body here and now (commands that keep their old behaviour)."""
        return self.func(*args)

    def enqueue(self, *args, key: str | None = None, once_key: str | None = None,
                delay: float = 0) -> "ledger.JobRun | None":
        """Ask for the job: its ledger row joins the current transaction and the job is
        sent to the queue after the commit. With ``key``, a job of this name and key that
        has not started yet is reused. With ``once_key``, only the first ask ever counts
        (returns None for the others). Arguments must be JSON values."""
        if key is not None:
            found = ledger.waiting(self.name, key)
            if found is not None:
                return found
        config = _config()
        retries = config["JOBS_RETRIES"] if self.retries is None else self.retries
        now = ledger.utcnow()
        run = ledger.JobRun(name=self.name, args=json.dumps(list(args)), key=key, once_key=once_key,
                            max_attempts=retries + 1, enqueued_at=now, due_at=now + timedelta(seconds=delay),
                            status=ledger.QUEUED, attempts=0, error="", worker="")
        if once_key is not None:
            try:
                with db.session.begin_nested():
                    db.session.add(run)
            except IntegrityError:
                return None
        else:
            db.session.add(run)  # flushed with the transaction (this may run inside a flush)
        db.session.info.setdefault("jobs_to_push", []).append((run, self.name, 0, run.max_attempts, delay))
        return run


def retry_failed(run: "ledger.JobRun") -> None:
    """A failed job back on the queue, its attempts starting over (sent after the commit)."""
    ledger.reset_for_retry(run)
    db.session.info.setdefault("jobs_to_push", []).append((run.id, run.name, 0, run.max_attempts, 0))


def job(name: str, label, retries: int | None = None, on_failure: Callable | None = None):
    """Declare a job (``label``: a lazy string naming it for staff). ``on_failure(*args,
    error=text)`` runs once when it fails for good."""
    def decorate(func):
        declared = Job(name, func, label, retries, on_failure)

        def run(run_id):
            _execute(declared, run_id)

        run.__name__ = name.replace(".", "_")
        declared.task = huey.task(name=name)(run)
        REGISTRY[name] = declared
        return declared
    return decorate


PERIODIC: dict[str, crontab] = {}
PERIODIC_FIRES: dict[str, Callable] = {}


def periodic(declared: Job, when: crontab, name: str | None = None) -> None:
    """Run ``declared`` on a schedule. Every worker's scheduler fires it; the ledger keeps
    one run per minute slot."""
    slot_name = name or declared.name

    def fire():
        app = _state["app"]
        with app.app_context(), writing():
            slot = ledger.utcnow().strftime("%Y-%m-%dT%H:%M")
            declared.enqueue(once_key=f"{slot_name}@{slot}")
            db.session.commit()

    fire.__name__ = "every_" + slot_name.replace(".", "_")
    huey.periodic_task(when, name=f"periodic.{slot_name}")(fire)
    PERIODIC[slot_name] = when
    PERIODIC_FIRES[slot_name] = fire


@contextmanager
def writing():
    """Transactions in this block write (SQLite: BEGIN IMMEDIATE), as a job's do."""
    token = database.writing_job.set(True)
    try:
        yield
    finally:
        database.writing_job.reset(token)


def current() -> "Job | None":
    """The job running in this context, if any."""
    return _current.get()


def attempt() -> int:
    """Which attempt of the running job this is (1 the first)."""
    return _attempt.get()


def send(run_id: int, name: str, attempts: int, max_attempts: int, delay: float = 0) -> None:
    """Hand a ledger row to the queue (after its commit), with the attempts it has left."""
    declared = REGISTRY.get(name)
    if declared is None:
        log.error("job %s: %s is not a declared job", run_id, name)
        return
    config = _config()
    left = max(max_attempts - attempts - 1, 0)
    huey.enqueue(declared.task.s(run_id, retries=left, retry_delay=_retry_delay(config, attempts),
                                 retry_backoff=config["JOBS_RETRY_BACKOFF"], delay=delay or None))


def _retry_delay(config, attempts: int) -> float:
    """Seconds before the attempt after attempt number ``attempts`` (0: before the second)."""
    return config["JOBS_RETRY_DELAY"] * config["JOBS_RETRY_BACKOFF"] ** max(attempts, 0)


def _push_after_commit(session):
    for run, name, attempts, max_attempts, delay in session.info.pop("jobs_to_push", ()):
        run_id = run if isinstance(run, int) else inspect(run).identity[0]  # no query after the commit
        try:
            send(run_id, name, attempts, max_attempts, delay)
        except Exception:  # the queue unreachable: the sweep sends it when it is back
            log.exception("job %s (%s) could not be sent to the queue now; the sweep will send it", run_id, name)


def _forget(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop("jobs_to_push", None)


def _config() -> dict:
    from flask import current_app, has_app_context

    return current_app.config if has_app_context() else _state["app"].config


# --- running a job ------------------------------------------------------------------------

def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class Heartbeat:
    """While a job runs in a worker, refresh its row's heartbeat on a connection of its own."""

    def __init__(self, app, run_id: int, worker: str, every: float):
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._loop, args=(app, run_id, worker, every), daemon=True)
        self.thread.start()

    def _loop(self, app, run_id, worker, every):
        while not self.stop_event.wait(every):
            try:
                with app.app_context(), db.engine.begin() as connection:
                    ledger.beat(connection, run_id, worker)
            except Exception:  # the database away a moment: the next beat tries again
                log.exception("heartbeat of job %s failed", run_id)

    def stop(self):
        self.stop_event.set()
        self.thread.join(timeout=10)


def _execute(declared: Job, run_id: int) -> None:
    """Take the job's row, run the job in an app context, record how it went. Raises after
    a failed attempt that will be tried again (Huey schedules it, with the backoff)."""
    app = _state["app"]
    token = database.writing_job.set(True)  # on SQLite: BEGIN IMMEDIATE, as a POST request does
    try:
        _execute_in(app, declared, run_id)
    finally:
        database.writing_job.reset(token)


def _execute_in(app, declared: Job, run_id: int) -> None:
    with app.app_context():
        config = app.config
        lease = timedelta(seconds=config["JOBS_LEASE_SECONDS"])
        me = worker_name()
        taken = ledger.claim(run_id, me, lease)
        db.session.commit()
        if not taken:
            log.info("job %s (%s) is taken or finished: not run again", run_id, declared.name)
            return
        run = db.session.get(ledger.JobRun, run_id)
        args, attempts, final = json.loads(run.args), run.attempts, run.attempts >= run.max_attempts
        db.session.commit()
        heartbeat = Heartbeat(app, run_id, me, config["JOBS_LEASE_SECONDS"] / 3) if _state.get("heartbeats") else None
        tokens = (_current.set(declared), _attempt.set(attempts))
        try:
            declared.func(*args)
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            text = "".join(traceback.format_exception_only(type(error), error)).strip()
            log.exception("job %s (%s) attempt %s failed", run_id, declared.name, attempts)
            ledger.fail(run_id, f"{text}\n\n{traceback.format_exc(limit=8)}", final,
                        _retry_delay(config, attempts - 1))
            db.session.commit()
            if final:
                if declared.on_failure is not None:
                    declared.on_failure(*args, error=text)
                    db.session.commit()
                return
            raise
        else:
            ledger.finish(run_id)
            db.session.commit()
        finally:
            _current.reset(tokens[0])
            _attempt.reset(tokens[1])
            if heartbeat is not None:
                heartbeat.stop()


def sweep() -> int:
    """Send again the jobs whose worker died or whose message was lost. Needs an app
    context; commits. Returns how many were sent."""
    config = _config()
    now = ledger.utcnow()
    found = ledger.lost(now, timedelta(seconds=config["JOBS_LEASE_SECONDS"]),
                        timedelta(seconds=config["JOBS_LATE_SECONDS"]))
    for run in found:
        if run.status == ledger.RUNNING:
            log.warning("job %s (%s): its worker %s stopped answering; running it again", run.id, run.name,
                        run.worker)
            run.status = ledger.QUEUED
        run.due_at = now
    sent = [(run.id, run.name, run.attempts, run.max_attempts) for run in found]
    db.session.commit()
    for run_id, name, attempts, max_attempts in sent:
        send(run_id, name, attempts, max_attempts)
    return len(sent)


KEEP_DONE = timedelta(days=7)  # finished jobs are kept this long (the periodic ones add up)


@job("jobs.sweep", _l("Recuperar tareas interrumpidas"), retries=0)
def sweep_job():
    sweep()
    ledger.purge_done(ledger.utcnow() - KEEP_DONE)


periodic(sweep_job, crontab(minute="*"))


def run_queued(limit: int = 1000, include_scheduled: bool = True) -> int:
    """Run what the queue holds, in this process, as a worker would (for tests and
    one-off maintenance); with ``include_scheduled`` the delayed jobs and retries too, their
    time brought forward. Returns how many messages were run."""
    done = 0
    while done < limit:
        now = huey._get_timestamp() + (timedelta(days=3650) if include_scheduled else timedelta(0))
        for due in huey.read_schedule(now):
            huey.enqueue(due)
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task, timestamp=now)  # a failure is recorded by the ledger; Huey schedules the retry
        done += 1
    return done
