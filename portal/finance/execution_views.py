"""Monthly execution pages under ``/m/<slug>/finanzas/ejecucion``: the public execution
page, the "how we forecast" page, and the staff upload with its preview."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from portal.accounts.permissions import public, roles_required
from portal.core import bounds
from portal.core.downloads import csv_file_response
from portal.core.forms import Form
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.finance import early_warning, monthly_import, pending, semaforo, uploads
from portal.finance import execution as reports
from portal.finance.forms import ActionForm

bp = tenant_blueprint("finance_execution", __name__, "/finanzas/ejecucion")
bp.add_app_template_filter(reports.month_name, "month_name")
bp.add_app_template_global(semaforo.light_of, "finance_light")  # the finance page's light, from its warnings
bp.add_app_template_global(semaforo.LABELS, "finance_light_labels")


class MonthlyImportForm(Form):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))
    publish = BooleanField(_l("Publicar al importar"))


@bp.route("/")
@public
def execution():
    data = reports.report(g.municipality, bounds.query_year("year"),
                            bounds.query_int("month", minimum=1, maximum=12))
    return render_template("finance/execution.html", data=data, rules=early_warning)


@bp.route("/metodo")
@public
def method():
    return render_template("finance/execution_method.html", rules=early_warning)


@bp.route("/plantilla.csv")
@public
def template():
    return csv_file_response(monthly_import.template(), "plantilla-ejecucion-mensual.csv")


def _monthly_read(municipality, data, options):
    return monthly_import.read(municipality, data, options["filename"], options["decimal_comma"])


def _monthly_apply(municipality, data, options, plan) -> uploads.Done:
    published = [] if options["publish"] else monthly_import.published_years(municipality, plan)
    if published:  # published months change only when a publisher publishes them
        target = ", ".join(map(str, published))
        pending.stage(municipality, data, options, plan, target, current_user)
        return uploads.Done(url_for("finance.manage"), [uploads.waiting_message(target, len(plan.rows))])
    monthly_import.apply(municipality, plan, publish=options["publish"])  # published years queue their early warning
    return uploads.Done(url_for(".execution", year=plan.years[-1]),
                        [ngettext("Importada %(num)s fila.", "Importadas %(num)s filas.", len(plan.rows))])


MONTHLY_UPLOAD = uploads.Upload(
    kinds=(monthly_import.KIND,), form=MonthlyImportForm, template="finance/execution_import.html",
    endpoint="finance_execution.upload", confirm_endpoint="finance_execution.confirm",
    options=lambda form: {"kind": monthly_import.KIND}, read=_monthly_read, apply=_monthly_apply,
    context=lambda form, plan: {"action": ActionForm(), "drafts": [
        r for r in reports.execution_years(g.municipality, False) if not r.is_published]})


@bp.route("/importar", methods=["GET", "POST"])
@roles_required("editor")
def upload():
    return uploads.upload_page(MONTHLY_UPLOAD)


@bp.route("/gestion/<int:year>/publicar", methods=["POST"])
@roles_required("publisher")
def publish(year):
    row = monthly_import.get_year(g.municipality, year)
    if row is None or not ActionForm().validate_on_submit():
        abort(404)
    monthly_import.publish_year(g.municipality, row)
    db.session.commit()  # the early warning goes out from the queue (portal.finance.warning_jobs)
    flash(_("Ejecución mensual de %(year)s publicada.", year=year), "success")
    return redirect(url_for(".execution", year=year))


@bp.route("/importar/confirmar", methods=["POST"])
@roles_required("editor")
def confirm():
    return uploads.confirm(MONTHLY_UPLOAD)
