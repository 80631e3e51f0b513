"""``flask --app wsgi jobs worker|failed|retry|status``: run and watch the background work."""
import importlib
import logging

import click
from flask import current_app
from flask.cli import AppGroup

from portal.core import bounds
from portal.core import jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db

group = AppGroup("jobs", help="Background work: the worker, failed jobs, retries.")


@group.command("worker")
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="Jobs run at once by this worker (threads; default: the JOBS_WORKERS setting, 2).")
@click.option("--no-periodic", is_flag=True, help="Do not fire the periodic jobs from this worker.")
@click.option("--import", "modules", multiple=True, help="Also import this module (it declares more jobs).")
def worker(workers, no_periodic, modules):
    """Run jobs until stopped (SIGINT: finish the running jobs first; SIGTERM: stop now,
    the interrupted jobs run again). Any number of workers may share one queue."""
    for name in modules:
        importlib.import_module(name)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    jobs._state["heartbeats"] = True
    with jobs.writing():
        sent = jobs.sweep()  # the jobs a stopped worker left, at once rather than at the next sweep
    if sent:
        click.echo(f"{sent} jobs left unfinished were sent again.")
    count = workers or current_app.config["JOBS_WORKERS"]
    consumer = jobs.huey.create_consumer(workers=count, worker_type="thread", periodic=not no_periodic,
                                         check_worker_health=True, max_delay=2.0)
    click.echo(f"Worker on {_where(current_app.config['JOBS_URL'])} with {count} threads.")
    consumer.run()


def _where(url: str) -> str:
    return url.split("@")[-1] if url.startswith("redis") else url  # no password in the log


@group.command("failed")
@click.option("--limit", type=bounds.BoundedInt(minimum=1), default=50, help="Show at most this many.")
def failed(limit):
    """The jobs that failed after all their attempts, newest first, with their error."""
    found = ledger.failed(limit)
    for run in found:
        first_line = (run.error or "").strip().splitlines()[0] if run.error.strip() else ""
        click.echo(f"{run.id}\t{run.name}\t{run.args}\t{run.attempts} attempts\t"
                   f"{run.finished_at:%Y-%m-%d %H:%M:%S}\t{first_line}")
    if not found:
        click.echo("No failed jobs.")


@group.command("retry")
@click.argument("run_id", type=bounds.BoundedInt(minimum=1))
def retry(run_id):
    """Run a failed job again (its attempts start over)."""
    run = db.session.get(ledger.JobRun, run_id)
    if run is None or run.status != ledger.FAILED:
        raise click.ClickException(f"job {run_id} is not a failed job (see `jobs failed`)")
    jobs.retry_failed(run)
    db.session.commit()
    click.echo(f"job {run_id} ({run.name}) queued again.")


@group.command("status")
def status():
    """How many jobs wait, run, finished and failed."""
    for name, number in ledger.counts().items():
        click.echo(f"{name}\t{number}")
