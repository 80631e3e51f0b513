"""Counting outside the web request, on the portal's job queue (:mod:`portal.core.jobs`).

A request that closes voting or asks for a count queues a
:class:`~portal.participation.budgeting.models.BudgetCount`; after its commit
:func:`wake` asks for one ``budgeting.count`` job per queued count, which a worker
(``flask --app wsgi jobs worker``) runs. Every minute the periodic ``budgeting.due`` job
queues the counts of processes whose voting closed by date (and asks for their jobs).
``flask --app wsgi budgeting count-pending`` still runs every queued count at once.

Counting is idempotent: a count is taken from ``queued`` to ``running`` by one atomic
update (two runners never take the same count), and its result replaces an earlier one
for the same rule. A job that dies halfway (its worker killed) runs again and takes its
own ``running`` count again; a count whose project list changed underneath fails with a
message for staff (another count can be asked for); any other error is retried with the
queue's backoff, and when the attempts run out the count is marked failed with it.
"""
import logging
from datetime import date

from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import select, update

from portal.core.clock import utcnow
from portal.core import jobs
from portal.extensions import db
from portal.participation.budgeting import counting
from portal.participation.budgeting.errors import BudgetingError
from portal.participation.budgeting.models import BudgetCount

log = logging.getLogger(__name__)


def run_pending(today: date | None = None, limit: int | None = None) -> list[int]:
    """Queue the counts now due, then run queued counts until none is left (or
    ``limit``), here and now (``budgeting count-pending``). Needs an app context; commits
    after each step. Returns the ids run."""
    counting.release_stale()
    counting.enqueue_due(today or date.today())
    db.session.commit()
    ran = []
    while limit is None or len(ran) < limit:
        count_id = counting.claim_next()
        db.session.commit()
        if count_id is None:
            break
        _run(count_id, retry_errors=False)
        ran.append(count_id)
    return ran


def _run(count_id: int, retry_errors: bool) -> None:
    """Count a claimed count and commit; a failure is recorded on the count (shown to
    staff), or raised for the queue to retry when ``retry_errors`` and it is not a
    problem with the process itself."""
    try:
        counting.run_claimed(count_id)
        db.session.commit()
    except Exception as error:  # any failure is recorded and shown to staff
        db.session.rollback()
        if retry_errors and not isinstance(error, BudgetingError):
            raise
        log.exception("budgeting count %s failed", count_id)
        counting.mark_failed(count_id, counting.failure_code(error))
        db.session.commit()


def _take(count_id: int) -> bool:
    """Take the count for this job: queued, or still running from this job's earlier
    attempt (its worker died; the job ledger guarantees no one else runs this job)."""
    statuses = ("queued", "running") if jobs.attempt() > 1 else ("queued",)
    taken = db.session.execute(update(BudgetCount).where(
        BudgetCount.id == count_id, BudgetCount.status.in_(statuses))
        .values(status="running", started_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return taken.rowcount == 1


def _count_failed(count_id: int, error: str) -> None:
    counting.mark_failed(count_id, error)


@jobs.job("budgeting.count", _l("Conteo de un presupuesto participativo"), on_failure=_count_failed)
def count_job(count_id: int) -> None:
    if _take(count_id):
        _run(count_id, retry_errors=True)


def ask_for_queued() -> int:
    """Ask for a job for every queued count (one per count: asking again reuses it)."""
    queued = db.session.execute(select(BudgetCount.id).where(BudgetCount.status == "queued")
                                .order_by(BudgetCount.id)).scalars().all()
    for count_id in queued:
        count_job.enqueue(count_id, key=f"count:{count_id}")
    return len(queued)


@jobs.job("budgeting.due", _l("Conteos de votaciones cerradas por fecha"))
def due_job() -> None:
    counting.release_stale()
    counting.enqueue_due(date.today())
    db.session.flush()
    ask_for_queued()


jobs.periodic(due_job, crontab(minute="*"))


def wake(app=None) -> None:
    """Ask for the jobs of the counts just queued (call after the commit that queued them;
    commits)."""
    ask_for_queued()
    db.session.commit()
