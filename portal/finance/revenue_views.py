"""Revenue potential pages under ``/m/<slug>/finanzas/``: the public table with every figure
explained, the staff upload (preview, then confirm) and the rows as projection rules.
Routes join the finance blueprint (:data:`portal.finance.views.bp`)."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.permissions import can, public, roles_required
from portal.core import bounds
from portal.core.downloads import csv_file_response
from portal.extensions import db
from portal.finance import revenue_import, revenue_reports, revenue_services, services, uploads
from portal.finance.forms import ActionForm
from portal.finance.revenue_forms import RevenueImportForm, RowRuleForm
from portal.finance.views import bp


@bp.route("/ingresos-potenciales")
@public
def revenue():
    page = revenue_reports.page(g.municipality, bounds.query_year("year"))
    if page is None:
        abort(404)
    return render_template("finance/revenue.html", page=page)


@bp.route("/plantillas/ingresos-potenciales.csv")
@public
def revenue_template():
    return csv_file_response(revenue_import.template(), "plantilla-ingresos-potenciales.csv")


def _revenue_read(municipality, data, options):
    return revenue_import.read(municipality, data, options["filename"], options["year"], options["decimal_comma"])


def _revenue_apply(municipality, data, options, plan) -> uploads.Done:
    revenue_services.replace(municipality, options["year"], plan.rows, publish=options["publish"])
    return uploads.Done(url_for(".revenue_manage"), [ngettext(
        "Guardada %(num)s fila de ingresos potenciales.", "Guardadas %(num)s filas de ingresos potenciales.",
        len(plan.rows))])


REVENUE_UPLOAD = uploads.Upload(
    kinds=("revenue",), form=RevenueImportForm, template="finance/revenue_import.html",
    endpoint="finance.revenue_upload", confirm_endpoint="finance.revenue_confirm",
    options=lambda form: {"kind": "revenue", "year": form.year.data},
    read=_revenue_read, apply=_revenue_apply,
    **uploads.year_guard(revenue_services.get_study, lambda year: _(
        "La tabla de %(year)s está publicada: solo alguien con permiso de publicación la reemplaza.", year=year)),
    nothing_written=lambda error: _("No se guardó nada: %(error)s", error=error))


@bp.route("/ingresos-potenciales/importar", methods=["GET", "POST"])
@roles_required("editor")
def revenue_upload():
    return uploads.upload_page(REVENUE_UPLOAD)


@bp.route("/ingresos-potenciales/importar/confirmar", methods=["POST"])
@roles_required("editor")
def revenue_confirm():
    return uploads.confirm(REVENUE_UPLOAD)


def into_scenario(form, error_field, add):
    """Add a rule to the form's chosen scenario with ``add(scenario)`` (which recomputes it),
    commit and go to its rules; None, with the reason on the form, when it cannot be done."""
    scenario = services.get_scenario(g.municipality, scenario_id=form.scenario.data, published_only=False)
    if scenario.is_published and not can("publisher"):  # its rules are published figures
        form.scenario.errors.append(_("Este escenario está publicado: solo alguien con permiso de publicación "
                                      "cambia sus reglas."))
        return None
    try:
        rule = add(scenario)
    except services.FinanceError as error:  # nothing is committed: the request's changes are dropped
        error_field.errors.append(str(error))
        return None
    db.session.commit()
    flash(_("«%(name)s» es ahora una regla del escenario «%(scenario)s», que se recalculó.",
            name=rule.name, scenario=scenario.name), "success")
    return redirect(url_for(".rules", scenario_id=scenario.id))


def _rule_form(studies, scenarios):
    form = RowRuleForm()
    form.row.choices = [(r.id, f"{s.year} · {r.code} {r.name}") for s in studies for r in s.rows]
    form.scenario.choices = [(s.id, s.name) for s in scenarios]
    return form


@bp.route("/gestion/ingresos-potenciales", methods=["GET", "POST"])
@roles_required("editor")
def revenue_manage():
    """The tables (drafts included), publishing, and a row as a rule of a scenario (POST)."""
    studies = revenue_services.studies(g.municipality, published_only=False)
    scenarios = [s for s in services.scenarios(g.municipality, published_only=False) if s.base_year is not None]
    form = _rule_form(studies, scenarios)
    if form.validate_on_submit():
        study = next(s for s in studies if any(r.id == form.row.data for r in s.rows))
        done = into_scenario(form, form.row, lambda scenario: revenue_services.add_as_rule(
            g.municipality, scenario, study, form.row.data, form.mode.data, form.year.data))
        if done is not None:
            return done
    return render_template("finance/revenue_manage.html", studies=studies, form=form, action=ActionForm()), \
        (422 if form.errors else 200)


@bp.route("/gestion/ingresos-potenciales/<int:year>/publicar", methods=["POST"])
@roles_required("publisher")
def revenue_publish(year):
    study = revenue_services.get_study(g.municipality, year, published_only=False)
    if study is None or not ActionForm().validate_on_submit():
        abort(404)
    revenue_services.publish_study(g.municipality, study)
    db.session.commit()
    flash(_("Ingresos potenciales de %(year)s publicados.", year=year), "success")
    return redirect(url_for(".revenue_manage"))
