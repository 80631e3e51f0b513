"""Counting outside the web request.

A request that closes voting or asks for a count only queues a
:class:`~portal.participation.budgeting.models.BudgetCount` and wakes this worker: one
daemon thread per server process, started by the app on its first request (config
``BUDGETING_WORKER``, on by default, off under ``TESTING`` unless set). It runs queued
counts one after another, and every ``BUDGETING_WORKER_INTERVAL`` seconds (default 60)
also queues the counts of processes whose voting closed by date. Without the thread
(e.g. several servers, or none running), ``flask --app wsgi budgeting count-pending``
from cron does the same. Two runners never take the same count (the claim is an
atomic update).
"""
import logging
import os
import threading
from datetime import date

from portal.extensions import db
from portal.participation.budgeting import counting

log = logging.getLogger(__name__)
_workers: dict[int, "Worker"] = {}
_lock = threading.Lock()


def run_pending(today: date | None = None, limit: int | None = None) -> list[int]:
    """Queue the counts now due, then run queued counts until none is left (or
    ``limit``). Needs an app context; commits after each step. Returns the ids run."""
    counting.release_stale()
    counting.enqueue_due(today or date.today())
    db.session.commit()
    ran = []
    while limit is None or len(ran) < limit:
        count_id = counting.claim_next()
        db.session.commit()
        if count_id is None:
            break
        try:
            counting.run_claimed(count_id)
            db.session.commit()
        except Exception as error:  # any failure is recorded and shown to staff
            db.session.rollback()
            log.exception("budgeting count %s failed", count_id)
            counting.mark_failed(count_id, f"{type(error).__name__}: {error}")
            db.session.commit()
        ran.append(count_id)
    return ran


class Worker:
    def __init__(self, app):
        self.app = app
        self.interval = float(app.config.get("BUDGETING_WORKER_INTERVAL", 60))
        self.event = threading.Event()
        self.pid = os.getpid()
        self.stopped = False
        self.thread = threading.Thread(target=self._loop, name="budgeting-counts", daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopped:
            try:
                with self.app.app_context():
                    run_pending()
            except Exception:  # the database away for a moment: try again later
                log.exception("budgeting worker pass failed")
            self.event.wait(self.interval)
            self.event.clear()

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.thread.is_alive()


def enabled(app) -> bool:
    return bool(app.config.get("BUDGETING_WORKER", not app.testing))


def ensure(app) -> "Worker | None":
    """Start this server process's worker if it is enabled and not running yet."""
    if not enabled(app):
        return None
    worker = _workers.get(id(app))
    if worker is not None and worker.alive():
        return worker
    with _lock:
        worker = _workers.get(id(app))
        if worker is None or not worker.alive():
            worker = _workers[id(app)] = Worker(app)
        return worker


def wake(app) -> None:
    """Tell the worker a count was queued (call after the commit)."""
    worker = ensure(app)
    if worker is not None:
        worker.event.set()


def stop(app) -> None:
    """Stop the app's worker after its current count (tests, shutdown)."""
    with _lock:
        worker = _workers.pop(id(app), None)
    if worker is not None:
        worker.stopped = True
        worker.event.set()
        worker.thread.join(timeout=60)
