"""The job ledger: one row per job asked for, in the portal's own database.

Huey carries jobs to workers, schedules retries and runs the periodic ones; this table is
what makes them safe on any storage. A job's row is written in the same transaction as
the change that asked for it (so a job is never announced for data that was rolled
back, and never lost when the queue is unreachable at that moment), and a worker runs a
job only after taking its row with one atomic update (so two workers never run the same
job, whatever the queue delivers twice). A worker keeps its row's heartbeat fresh while it
runs; a row whose heartbeat stopped (the worker was killed) is taken again by the next
sweep. A job that keeps failing stays here as ``failed`` with its error: the platform
staff see it (``/admin/jobs``, ``jobs failed``) and can run it again (``jobs retry ID``).

Statuses: ``queued`` (waiting, or between attempts), ``running``, ``done``, ``failed``.
Times are naive UTC, like every timestamp of the portal.
"""
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.extensions import db

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)
ERROR_CHARS = 4000


class JobRun(db.Model):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    args: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    # jobs with the same key while one waits are one job (e.g. one refresh for a burst)
    key: Mapped[str | None] = mapped_column(String(200), index=True)
    # at most one job ever with this key (a periodic job's slot: every worker's scheduler
    # fires it, one row wins)
    once_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str] = mapped_column(Text, default="")
    worker: Mapped[str] = mapped_column(String(120), default="")
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


def waiting(name: str, key: str) -> JobRun | None:
    """The queued (not yet started) job ``name`` with ``key``, if any."""
    return db.session.execute(select(JobRun).where(
        JobRun.name == name, JobRun.key == key, JobRun.status == QUEUED, JobRun.attempts == 0)
        .order_by(JobRun.id).limit(1)).scalar_one_or_none()


def claim(run_id: int, worker: str, lease: timedelta, now: datetime | None = None) -> bool:
    """Take the job for this worker: it must be queued, or running with a heartbeat older
    than ``lease`` (its worker died). One atomic update: of two workers, one wins."""
    now = now or utcnow()
    taken = db.session.execute(update(JobRun).where(
        JobRun.id == run_id,
        or_(JobRun.status == QUEUED, (JobRun.status == RUNNING) & (JobRun.heartbeat_at < now - lease)))
        .values(status=RUNNING, attempts=JobRun.attempts + 1, started_at=now, heartbeat_at=now,
                worker=worker[:120])
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


def beat(connection, run_id: int, worker: str) -> None:
    """Refresh the heartbeat of a running job (on a connection of its own)."""
    connection.execute(update(JobRun).where(JobRun.id == run_id, JobRun.status == RUNNING,
                                            JobRun.worker == worker[:120]).values(heartbeat_at=utcnow()))


def finish(run_id: int) -> None:
    db.session.execute(update(JobRun).where(JobRun.id == run_id).values(
        status=DONE, finished_at=utcnow(), error="").execution_options(synchronize_session=False))


def fail(run_id: int, error: str, final: bool, retry_in: float) -> None:
    """Record a failed attempt: ``failed`` when it was the last, else queued again for
    ``retry_in`` seconds from now."""
    now = utcnow()
    values = {"error": error[-ERROR_CHARS:]}
    if final:
        values.update(status=FAILED, finished_at=now)
    else:
        values.update(status=QUEUED, due_at=now + timedelta(seconds=retry_in))
    db.session.execute(update(JobRun).where(JobRun.id == run_id).values(**values)
                       .execution_options(synchronize_session=False))


def lost(now: datetime, lease: timedelta, late: timedelta) -> list[JobRun]:
    """Jobs whose worker died (running, heartbeat older than ``lease``) and queued jobs
    ``late`` past their time (their message was lost): both to send again."""
    return list(db.session.execute(select(JobRun).where(or_(
        (JobRun.status == RUNNING) & (JobRun.heartbeat_at < now - lease),
        (JobRun.status == QUEUED) & (JobRun.due_at < now - late)))
        .order_by(JobRun.id)).scalars())


def purge_done(before: datetime) -> int:
    """Forget finished jobs older than ``before`` (failed ones stay until run again)."""
    from sqlalchemy import delete

    gone = db.session.execute(delete(JobRun).where(JobRun.status == DONE, JobRun.finished_at < before)
                              .execution_options(synchronize_session=False))
    return gone.rowcount


def failed(limit: int = 200) -> list[JobRun]:
    """The jobs that failed for good, newest first."""
    return list(db.session.execute(select(JobRun).where(JobRun.status == FAILED)
                                   .order_by(JobRun.finished_at.desc(), JobRun.id.desc()).limit(limit)).scalars())


def counts() -> dict[str, int]:
    """How many jobs are in each status."""
    from sqlalchemy import func

    found = dict(db.session.execute(select(JobRun.status, func.count()).group_by(JobRun.status)).all())
    return {status: found.get(status, 0) for status in STATUSES}


def reset_for_retry(run: JobRun) -> None:
    """A failed job, queued again with its attempts back to zero."""
    run.status, run.attempts, run.due_at, run.finished_at = QUEUED, 0, utcnow(), None
    db.session.flush()
