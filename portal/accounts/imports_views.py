"""The progress pages of imports run as jobs (:mod:`portal.core.imports`).

``/m/<slug>/importaciones/<id>``: a municipality's import, for its staff who may run that
import (anyone else gets 404: the page does not say the run exists);
``/admin/importaciones/<id>``: a platform import, for platform staff. Both refresh
themselves while the job runs (``<meta http-equiv=refresh>``, no JavaScript) and end with
the result or the table of problems."""
from flask import Blueprint, abort, flash, g, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import effective_roles, platform_admin, signed_in
from portal.core import imports
from portal.core.forms import Form
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db

bp = Blueprint("imports", __name__, url_prefix="/admin/importaciones")
tenant = tenant_blueprint("imports_m", __name__, "/importaciones")


class ConfirmForm(Form):
    """Confirm a previewed import (the CSRF token only)."""


def _page(run):
    declared = run.importer
    return render_template("core/import_progress.html", run=run, importer=declared, confirm=ConfirmForm(),
                           preview=run.result_data.get("preview") if run.waiting else None,
                           refresh=None if run.finished or run.waiting else imports.REFRESH_SECONDS,
                           result=declared.summary(run.result_data) if run.status == imports.DONE else "",
                           done_url=declared.done_url(run), again_url=declared.again_url(run))


def _confirm(run, progress_url):
    """Write the previewed file: the job checks it again, then writes it."""
    if not ConfirmForm().validate_on_submit():
        flash(_("La confirmación no era válida; vuelva a intentarlo."), "error")
    elif imports.confirm(run):
        db.session.commit()
    return redirect(progress_url)


def _platform_run(run_id):
    run = db.session.get(imports.ImportRun, run_id)
    if run is None or run.municipality_id is not None or run.kind not in imports.IMPORTERS:
        abort(404)
    return run


def _municipal_run(run_id):
    run = db.session.get(imports.ImportRun, run_id)
    if run is None or run.municipality_id != g.municipality.id or run.kind not in imports.IMPORTERS:
        abort(404)
    if not effective_roles(current_user, g.municipality) & set(run.importer.roles):
        abort(404)
    return run


@bp.route("/<int:run_id>")
@platform_admin
def platform_progress(run_id):
    return _page(_platform_run(run_id))


@bp.route("/<int:run_id>/confirmar", methods=["POST"])
@platform_admin
def platform_confirm(run_id):
    run = _platform_run(run_id)
    return _confirm(run, imports.progress_url(run))


@tenant.route("/<int:run_id>")
@signed_in  # staff of this municipality who may run this import; 404 for everyone else
def progress(run_id):
    return _page(_municipal_run(run_id))


@tenant.route("/<int:run_id>/confirmar", methods=["POST"])
@signed_in
def confirm(run_id):
    run = _municipal_run(run_id)
    return _confirm(run, imports.progress_url(run))
