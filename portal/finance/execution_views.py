"""Monthly execution pages under ``/m/<slug>/finanzas/ejecucion``: the public execution
page, the "how we forecast" page, and the staff upload with its preview."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from portal.accounts.permissions import can, public, roles_required
from portal.core import bounds
from portal.core.downloads import csv_file_response
from portal.core.forms import Form
from portal.core.tabular import TableError
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.finance import early_warning, monthly_import, pending, semaforo, staging
from portal.finance import execution as reports
from portal.finance.forms import ActionForm, ConfirmForm

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


@bp.route("/importar", methods=["GET", "POST"])
@roles_required("editor")
def upload():
    form = MonthlyImportForm()
    problems, plan, confirm = [], None, None
    if form.validate_on_submit():
        data = form.file.data.read(staging.MAX_BYTES + 1)
        options = {"kind": monthly_import.KIND, "decimal_comma": bool(form.decimal_comma.data),
                   "publish": bool(form.publish.data) and can("publisher"), "filename": form.file.data.filename}
        if len(data) > staging.MAX_BYTES:
            problems = [_("El archivo es demasiado grande (máximo 5 MB).")]
        else:
            try:
                plan = monthly_import.read(g.municipality, data, options["filename"], options["decimal_comma"])
            except TableError as error:
                problems = error.problems
            else:
                confirm = ConfirmForm(token=staging.keep(g.municipality, data, options))
    return render_template("finance/execution_import.html", form=form, problems=problems, plan=plan,
                           confirm=confirm, action=ActionForm(),
                           drafts=[r for r in reports.execution_years(g.municipality, False) if not r.is_published])


@bp.route("/gestion/<int:year>/publicar", methods=["POST"])
@roles_required("publisher")
def publish(year):
    row = monthly_import.get_year(g.municipality, year)
    if row is None or not ActionForm().validate_on_submit():
        abort(404)
    monthly_import.publish_year(g.municipality, row)
    db.session.commit()
    flash(_("Ejecución mensual de %(year)s publicada.", year=year), "success")
    return redirect(url_for(".execution", year=year))


@bp.route("/importar/confirmar", methods=["POST"])
@roles_required("editor")
def confirm():
    form = ConfirmForm()
    kept = staging.load(g.municipality, form.token.data or "") if form.validate_on_submit() else None
    if kept is None or kept[1].get("kind") != monthly_import.KIND:
        flash(_("La vista previa caducó; vuelva a subir el archivo."), "error")
        return redirect(url_for(".upload"))
    data, options = kept
    try:
        plan = monthly_import.read(g.municipality, data, options["filename"], options["decimal_comma"])
        published = [] if options["publish"] else monthly_import.published_years(g.municipality, plan)
        if published:  # published months change only when a publisher publishes them
            target = ", ".join(map(str, published))
            pending.stage(g.municipality, data, options, plan, target, current_user)
            db.session.commit()
            staging.discard(options)
            flash(_("Filas que cambian cifras publicadas (%(target)s): %(n)s. Esperan a que alguien con permiso "
                    "de publicación las publique; hasta entonces se siguen viendo las cifras actuales.",
                    n=len(plan.rows), target=target), "success")
            return redirect(url_for("finance.manage"))
        monthly_import.apply(g.municipality, plan, publish=options["publish"])
    except TableError as error:
        db.session.rollback()
        flash(_("No se importó nada: %(error)s", error=str(error)), "error")
        return redirect(url_for(".upload"))
    db.session.commit()
    staging.discard(options)
    flash(ngettext("Importada %(num)s fila.", "Importadas %(num)s filas.", len(plan.rows)), "success")
    return redirect(url_for(".execution", year=plan.years[-1]))
