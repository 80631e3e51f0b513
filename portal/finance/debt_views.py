"""The debt page ``/m/<slug>/finanzas/deuda`` (loans, limits, the borrowing simulation)
and the staff upload of loans and supplier plans (preview, then confirm)."""
from flask import abort, g, render_template, request, url_for
from flask_babel import ngettext

from portal.accounts.permissions import public, roles_required
from portal.core.downloads import csv_file_response
from portal.finance import debt, debt_importing, debt_services, uploads
from portal.finance.debt_forms import DebtImportForm, SimulationForm
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


def _debt_read(municipality, data, options):
    return debt_importing.read(data, options["filename"], options["kind"], options["decimal_comma"])


def _debt_apply(municipality, data, options, plan) -> uploads.Done:
    debt_services.apply(municipality, plan, publish=options["publish"])
    return uploads.Done(url_for(".debt_page"), [ngettext("Importada %(num)s fila.", "Importadas %(num)s filas.",
                                                         len(plan.rows))])


DEBT_UPLOAD = uploads.Upload(
    kinds=tuple(debt_importing.COLUMNS), form=DebtImportForm, template="finance/debt_import.html",
    endpoint="finance.debt_import", confirm_endpoint="finance.debt_import_confirm",
    options=lambda form: {"kind": form.kind.data}, read=_debt_read, apply=_debt_apply)


@bp.route("/deuda/importar", methods=["GET", "POST"])
@roles_required("editor")
def debt_import():
    return uploads.upload_page(DEBT_UPLOAD)


@bp.route("/deuda/importar/confirmar", methods=["POST"])
@roles_required("editor")
def debt_import_confirm():
    return uploads.confirm(DEBT_UPLOAD)
