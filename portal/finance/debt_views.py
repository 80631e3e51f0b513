"""The debt page ``/m/<slug>/finanzas/deuda`` (loans, limits, the borrowing simulation)
and the staff upload of loans and supplier plans (preview, then confirm)."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.permissions import can, public, roles_required
from portal.core.downloads import csv_file_response
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import debt, debt_importing, debt_services, services, staging
from portal.finance.debt_forms import DebtImportForm, SimulationForm
from portal.finance.forms import ConfirmForm
from portal.finance.views import bp


@bp.route("/deuda")
@public
def debt_page():
    form = SimulationForm(request.args)
    extra = None
    asked = "monto" in request.args
    if asked and form.validate():
        extra = debt.Loan(form.monto.data, form.tasa.data / 100, form.plazo.data, form.desde.data, 12,
                          form.metodo.data, int(form.cuotas.data))
    scenario = (form.escenario.data or "").strip()[:120] or None
    page = debt_services.debt_page(g.municipality, scenario, extra)
    return render_template("finance/debt.html", page=page, form=form, asked=asked)


@bp.route("/deuda/plantillas/<kind>.csv")
@public
def debt_template(kind):
    if kind not in debt_importing.COLUMNS:
        abort(404)
    return csv_file_response(debt_importing.template(kind), f"plantilla-{kind}.csv")


@bp.route("/deuda/importar", methods=["GET", "POST"])
@roles_required("editor")
def debt_import():
    form = DebtImportForm()
    problems, plan, confirm = [], None, None
    if form.validate_on_submit():
        data = form.file.data.read(staging.MAX_BYTES + 1)
        options = {"kind": form.kind.data, "decimal_comma": bool(form.decimal_comma.data),
                   "publish": bool(form.publish.data) and can("publisher"), "filename": form.file.data.filename}
        if len(data) > staging.MAX_BYTES:
            problems = [_("El archivo es demasiado grande (máximo 5 MB).")]
        else:
            try:
                plan = debt_importing.read(data, options["filename"], options["kind"], options["decimal_comma"])
            except TableError as error:
                problems = error.problems
            else:
                confirm = ConfirmForm(token=staging.keep(g.municipality, data, options))
    return render_template("finance/debt_import.html", form=form, problems=problems, plan=plan, confirm=confirm)


@bp.route("/deuda/importar/confirmar", methods=["POST"])
@roles_required("editor")
def debt_import_confirm():
    form = ConfirmForm()
    kept = staging.load(g.municipality, form.token.data or "") if form.validate_on_submit() else None
    if kept is None or kept[1].get("kind") not in debt_importing.COLUMNS:
        flash(_("La vista previa caducó; vuelva a subir el archivo."), "error")
        return redirect(url_for(".debt_import"))
    data, options = kept
    try:
        plan = debt_importing.read(data, options["filename"], options["kind"], options["decimal_comma"])
        debt_services.apply(g.municipality, plan, publish=options["publish"])
    except (TableError, services.FinanceError) as error:
        db.session.rollback()
        flash(_("No se importó nada: %(error)s", error=str(error)), "error")
        return redirect(url_for(".debt_import"))
    db.session.commit()
    staging.discard(options)
    flash(ngettext("Importada %(num)s fila.", "Importadas %(num)s filas.", len(plan.rows)), "success")
    return redirect(url_for(".debt_page"))
