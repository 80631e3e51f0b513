"""Public finance pages under ``/m/<slug>/finanzas/`` and the staff import and rules pages."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.permissions import can, public, roles_required
from portal.core.downloads import csv_file_response, csv_response, xlsx_response
from portal.core.tabular import TableError
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.finance import (charts, costs_import, file_words, importing, pending, projections, reports,
                            services, uploads)
from portal.finance.forms import ActionForm, ImportForm, RuleForm, WithdrawForm
from portal.core import bounds

bp = tenant_blueprint("finance", __name__, "/finanzas")
charts.init_blueprint(bp)
FORMATS = ("csv", "xlsx")


@bp.route("/")
@public
def index():
    page = reports.budget_page(g.municipality)
    return render_template("finance/budget.html", page=page)


@bp.route("/presupuesto/<int:year>")
@public
def budget(year):
    page = reports.budget_page(g.municipality, year)
    if page is None or page["row"] is None:
        abort(404)
    return render_template("finance/budget.html", page=page)


@bp.route("/presupuesto/<int:year>.<fmt>")
@public
def budget_download(year, fmt):
    row = services.get_year(g.municipality, year)
    if row is None or fmt not in FORMATS:
        abort(404)
    columns, rows = file_words.line_table(reports.line_rows(g.municipality, row))
    name = f"{g.municipality.slug}-presupuesto-{year}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, columns, name)
    return xlsx_response(rows, columns, name, sheet=str(year))


@bp.route("/indicadores")
@public
def dashboard():
    data = reports.dashboard(g.municipality, bounds.query_year("year"),
                             request.args.get("scenario") or None)
    if data is None:
        abort(404)
    return render_template("finance/dashboard.html", data=data, bands=reports.STATUS_BANDS)


@bp.route("/indicadores.<fmt>")
@public
def indicators_download(fmt):
    data = reports.dashboard(g.municipality, bounds.query_year("year"),
                             request.args.get("scenario") or None)
    if data is None or data["results"] is None or fmt not in FORMATS:
        abort(404)
    columns, rows = file_words.indicator_table([reports.indicator_file_row(r) for r in data["results"]])
    name = f"{g.municipality.slug}-indicadores-{data['year']}.{fmt}"
    if fmt == "csv":
        return csv_response(rows, columns, name)
    return xlsx_response(rows, columns, name, sheet=str(data["year"]))


@bp.route("/indicadores/<code>")
@public
def indicator(code):
    data = reports.indicator_page(g.municipality, code, bounds.query_year("year"))
    if data is None:
        abort(404)
    return render_template("finance/indicator.html", data=data, bands=reports.STATUS_BANDS)


@bp.route("/escenarios")
@public
def scenarios():
    return render_template("finance/scenarios.html", scenarios=services.scenarios(g.municipality),
                           years=reports.scenario_years(g.municipality))


@bp.route("/escenarios/<int:scenario_id>")
@public
def scenario(scenario_id):
    data = reports.scenario_page(g.municipality, scenario_id)
    if data is None:
        abort(404)
    return render_template("finance/scenario.html", data=data, bands=reports.STATUS_BANDS)


# the templates of other finance uploads served here too ("costos-servicios": the cost study's)
OTHER_TEMPLATES = {"costos-servicios": costs_import.template}


@bp.route("/plantillas/<kind>.csv")
@public
def template(kind):
    if kind in OTHER_TEMPLATES:
        return csv_file_response(OTHER_TEMPLATES[kind](), f"plantilla-{kind}.csv")
    if kind not in importing.KINDS:
        abort(404)
    return csv_file_response(importing.template(kind), f"plantilla-{kind}.csv")


def _budget_check(form, options) -> bool:
    if options["kind"] in (importing.SCENARIO, importing.RULES) and not options["scenario"]:
        form.scenario.errors.append(_("Indique el nombre del escenario."))
        return False
    if options["kind"] == importing.RULES and not options["base_year"]:
        form.base_year.errors.append(_("Indique el año base de la proyección."))
        return False
    return True


def _budget_read(municipality, data, options):
    return importing.read(municipality, data, options["filename"], options["kind"], options["decimal_comma"])


def _budget_apply(municipality, data, options, plan) -> uploads.Done:
    target = "" if options["publish"] else pending.published_target(municipality, plan, options["scenario"])
    if target:  # published figures change only when a publisher publishes
        pending.stage(municipality, data, options, plan, target, current_user)
        return uploads.Done(url_for(".manage"), [uploads.waiting_message(target, len(plan.rows))])
    importing.apply(municipality, plan, scenario_name=options["scenario"], publish=options["publish"],
                    base_year=options["base_year"])
    return uploads.Done(url_for(".manage"), [ngettext("Importada %(num)s fila.", "Importadas %(num)s filas.",
                                                      len(plan.rows))])


BUDGET_UPLOAD = uploads.Upload(
    kinds=tuple(importing.KINDS), form=ImportForm, template="finance/import.html",
    endpoint="finance.import_upload", confirm_endpoint="finance.import_confirm",
    options=lambda form: {"kind": form.kind.data, "scenario": (form.scenario.data or "").strip() or None,
                          "base_year": form.base_year.data},
    read=_budget_read, apply=_budget_apply, check=_budget_check)


@bp.route("/importar", methods=["GET", "POST"])
@roles_required("editor")
def import_upload():
    return uploads.upload_page(BUDGET_UPLOAD)


@bp.route("/importar/confirmar", methods=["POST"])
@roles_required("editor")
def import_confirm():
    return uploads.confirm(BUDGET_UPLOAD)


@bp.route("/gestion/pendientes/<int:staged_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish_staged(staged_id):
    staged = pending.get(g.municipality, staged_id)
    if staged is None or not ActionForm().validate_on_submit():
        abort(404)
    target = staged.target
    try:
        plan = pending.publish(g.municipality, staged)
    except (TableError, services.FinanceError) as error:
        db.session.rollback()
        flash(_("No se publicó nada: %(error)s", error=str(error)), "error")
        return redirect(url_for(".manage"))
    db.session.commit()
    flash(_("Publicados los cambios a %(target)s (filas: %(n)s).", target=target, n=len(plan.rows)), "success")
    return redirect(url_for(".manage"))


@bp.route("/gestion/pendientes/<int:staged_id>/descartar", methods=["POST"])
@roles_required("editor")
def discard_staged(staged_id):
    staged = pending.get(g.municipality, staged_id)
    if staged is None or not ActionForm().validate_on_submit():
        abort(404)
    pending.discard(g.municipality, staged)
    db.session.commit()
    flash(_("Cambios descartados; las cifras publicadas no cambiaron."), "success")
    return redirect(url_for(".manage"))


@bp.route("/gestion")
@roles_required("editor")
def manage():
    return render_template("finance/manage.html", years=services.budget_years(g.municipality, published_only=False),
                           waiting=pending.waiting(g.municipality),
                           scenarios=services.scenarios(g.municipality, published_only=False), form=ActionForm())


@bp.route("/gestion/anos/<int:year>/publicar", methods=["GET", "POST"])
@roles_required("publisher")
def publish_year(year):
    """GET: what publishing the year means, to confirm; POST: publish it."""
    row = services.get_year(g.municipality, year, published_only=False)
    if row is None:
        abort(404)
    form = ActionForm()
    if request.method == "GET" or row.is_published:
        return render_template("finance/year_confirm.html", row=row, form=form, step="publish")
    if not form.validate_on_submit():
        abort(400)
    services.publish_year(g.municipality, row)
    db.session.commit()
    flash(_("Presupuesto %(year)s publicado.", year=year), "success")
    return redirect(url_for(".manage"))


@bp.route("/gestion/anos/<int:year>/retirar", methods=["GET", "POST"])
@roles_required("publisher")
def withdraw_year(year):
    """Take a published year back to draft, with its reason in the change record."""
    row = services.get_year(g.municipality, year, published_only=False)
    if row is None:
        abort(404)
    form = WithdrawForm()
    if row.is_published and form.validate_on_submit():
        services.withdraw_year(g.municipality, row, form.reason.data.strip())
        db.session.commit()
        flash(_("Presupuesto %(year)s retirado: vuelve a borrador.", year=year), "success")
        return redirect(url_for(".manage"))
    return render_template("finance/year_confirm.html", row=row, form=form, step="withdraw"), \
        (422 if form.errors else 200)


@bp.route("/gestion/escenarios/<int:scenario_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish_scenario(scenario_id):
    scenario = services.get_scenario(g.municipality, scenario_id=scenario_id, published_only=False)
    if scenario is None or not ActionForm().validate_on_submit():
        abort(404)
    services.publish_scenario(g.municipality, scenario)
    db.session.commit()
    flash(_("Escenario «%(name)s» publicado.", name=scenario.name), "success")
    return redirect(url_for(".manage"))


@bp.route("/gestion/escenarios/<int:scenario_id>/reglas", methods=["GET", "POST"])
@roles_required("editor")
def rules(scenario_id):
    scenario = services.get_scenario(g.municipality, scenario_id=scenario_id, published_only=False)
    if scenario is None:
        abort(404)
    form = RuleForm()
    if form.validate_on_submit() and scenario.is_published and not can("publisher"):
        # the rules of a published scenario are published figures: they wait for a publisher
        form.code.errors.append(_("Este escenario está publicado: solo alguien con permiso de publicación cambia "
                                  "sus reglas."))
    elif form.validate_on_submit():
        rule = projections.Rule(form.code.data.strip(), form.method.data, form.from_year.data, form.to_year.data,
                                form.rate.data, form.amount.data, (form.name.data or "").strip())
        try:
            services.add_rule(g.municipality, scenario, rule)
        except services.FinanceError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Regla añadida. Recalcule el escenario para ver su efecto."), "success")
            return redirect(url_for(".rules", scenario_id=scenario.id))
    return render_template("finance/rules.html", scenario=scenario, form=form, action=ActionForm())


@bp.route("/gestion/escenarios/<int:scenario_id>/reglas/<int:rule_id>/borrar", methods=["POST"])
@roles_required("editor")
def delete_rule(scenario_id, rule_id):
    scenario = services.get_scenario(g.municipality, scenario_id=scenario_id, published_only=False)
    if scenario is None or not ActionForm().validate_on_submit():
        abort(404)
    if scenario.is_published and not can("publisher"):
        abort(403)  # deleting a rule changes a published scenario
    try:
        services.delete_rule(g.municipality, scenario, rule_id)
    except services.FinanceError:
        abort(404)
    db.session.commit()
    flash(_("Regla borrada."), "success")
    return redirect(url_for(".rules", scenario_id=scenario.id))


@bp.route("/gestion/escenarios/<int:scenario_id>/recalcular", methods=["POST"])
@roles_required("editor")
def recompute(scenario_id):
    scenario = services.get_scenario(g.municipality, scenario_id=scenario_id, published_only=False)
    if scenario is None or not ActionForm().validate_on_submit():
        abort(404)
    if scenario.is_published and not can("publisher"):
        abort(403)  # recomputing changes published figures
    try:
        services.recompute(g.municipality, scenario)
    except services.FinanceError as error:
        flash(str(error), "error")
        return redirect(url_for(".rules", scenario_id=scenario.id))
    db.session.commit()
    flash(_("Escenario recalculado."), "success")
    return redirect(url_for(".rules", scenario_id=scenario.id))
