"""``/admin/jobs``: the background work as platform staff see it — what waits, what
failed for good and why, and a button to run a failed job again."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.accounts.forms import PostForm
from portal.accounts.permissions import platform_admin
from portal.core import jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")

STATUS_LABELS = {
    ledger.QUEUED: _l("En espera"),
    ledger.RUNNING: _l("En curso"),
    ledger.DONE: _l("Terminados"),
    ledger.FAILED: _l("Fallidos"),
}


def job_label(name: str) -> str:
    declared = jobs.REGISTRY.get(name)
    return str(declared.label) if declared is not None and declared.label else _("Otra tarea")


@bp.route("")
@platform_admin
def index():
    return render_template("core/jobs.html", counts=ledger.counts(), failed=ledger.failed(),
                           status_labels=STATUS_LABELS, job_label=job_label, form=PostForm())


@bp.route("/<int:run_id>/retry", methods=["POST"])
@platform_admin
def retry(run_id):
    run = db.session.get(ledger.JobRun, run_id)
    if run is None or run.status != ledger.FAILED:
        abort(404)
    if PostForm().validate_on_submit():
        jobs.retry_failed(run)
        db.session.commit()
        flash(_("La tarea «%(job)s» se ejecutará de nuevo.", job=job_label(run.name)), "success")
    return redirect(url_for(".index"))
