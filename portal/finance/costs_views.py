"""What each service costs: the public page (every figure with its numbers, and a fee
reform to simulate without an account), the staff upload of a year's study (preview, then
confirm; the columns of ``finance costs``) and the staff page (publish; a fee reform into a
scenario). Routes join the finance blueprint."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from decimal import Decimal

from flask_babel import ngettext

from portal.accounts.permissions import public, roles_required
from portal.core import bounds
from portal.extensions import db
from portal.finance import costs_import, costs_services, services, uploads
from portal.finance.forms import ActionForm
from portal.finance.revenue_forms import CostImportForm, FeeReformForm, ReformScenarioForm
from portal.finance.revenue_views import into_scenario
from portal.finance.views import bp


@bp.route("/costos-servicios")
@public
def costs():
    """The year's cost study (the latest by default); ``?service=&fee=&payers=&collection_rate=``
    simulates a fee reform."""
    studies = costs_services.studies(g.municipality)
    year = bounds.query_year("year")
    study = next((s for s in studies if s.year == year), None) if year is not None else \
        (studies[-1] if studies else None)
    if year is not None and study is None:
        abort(404)
    result = costs_services.computed(study) if study is not None else None
    form, reform = None, None
    if result is not None:
        form = FeeReformForm(request.args if "service" in request.args else None)
        form.service.choices = [(r.service.code, r.service.name) for r in result.services]
        if "service" in request.args and form.validate():
            try:
                reform = costs_services.reform(study, form.service.data, form.fee.data, form.payers.data,
                                               form.collection_rate.data)
            except services.FinanceError as error:
                form.fee.errors.append(str(error))
    return render_template("finance/costs.html", study=study, result=result, years=[s.year for s in studies],
                           form=form, reform=reform)


@bp.route("/gestion/costos-servicios", methods=["GET", "POST"])
@roles_required("editor")
def costs_manage():
    """The cost studies (drafts included), publishing, and a fee reform into a scenario (POST)."""
    studies = costs_services.studies(g.municipality, published_only=False)
    scenarios = [s for s in services.scenarios(g.municipality, published_only=False) if s.base_year is not None]
    form = ReformScenarioForm()
    form.service.choices = [(r.id, f"{s.year} · {r.code} {r.name}") for s in studies for r in s.services]
    form.scenario.choices = [(s.id, s.name) for s in scenarios]
    if form.validate_on_submit():
        study = next(s for s in studies if any(r.id == form.service.data for r in s.services))
        code = next(r.code for r in study.services if r.id == form.service.data)
        done = into_scenario(form, form.service, lambda scenario: costs_services.reform_into_scenario(
            g.municipality, scenario, costs_services.reform(study, code, form.fee.data, form.payers.data,
                                                            form.collection_rate.data), form.year.data))
        if done is not None:
            return done
    return render_template("finance/costs_manage.html", studies=studies, form=form, action=ActionForm()), \
        (422 if form.errors else 200)


@bp.route("/gestion/costos-servicios/<int:year>/publicar", methods=["POST"])
@roles_required("publisher")
def costs_publish(year):
    study = costs_services.get_study(g.municipality, year, published_only=False)
    if study is None or not ActionForm().validate_on_submit():
        abort(404)
    costs_services.publish_study(g.municipality, study)
    db.session.commit()
    flash(_("Estudio de costos de %(year)s publicado.", year=year), "success")
    return redirect(url_for(".costs_manage"))


def _costs_read(municipality, data, options):
    return costs_import.read(municipality, data, options["filename"], options["year"], Decimal(options["indirect"]),
                             options["key"], options["decimal_comma"])


def _costs_apply(municipality, data, options, plan) -> uploads.Done:
    costs_services.replace(municipality, plan.year, plan, publish=options["publish"])
    return uploads.Done(url_for(".costs_manage"), [ngettext(
        "Guardado el estudio de costos de %(year)s: %(num)s servicio.",
        "Guardado el estudio de costos de %(year)s: %(num)s servicios.", len(plan.services), year=plan.year)])


def _costs_context(form, plan) -> dict:
    """On a preview, the year's study as it is now (the upload replaces it whole)."""
    current = costs_services.get_study(g.municipality, plan.year, published_only=False) if plan else None
    return {"current": current, "current_result": costs_services.computed(current) if current else None}


COSTS_UPLOAD = uploads.Upload(
    kinds=("costs",), form=CostImportForm, template="finance/costs_import.html",
    endpoint="finance.costs_upload", confirm_endpoint="finance.costs_confirm",
    options=lambda form: {"kind": "costs", "year": form.year.data, "indirect": str(form.indirect.data),
                          "key": form.key.data},
    read=_costs_read, apply=_costs_apply, context=_costs_context,
    **uploads.year_guard(costs_services.get_study, lambda year: _(
        "El estudio de %(year)s está publicado: solo alguien con permiso de publicación lo reemplaza.", year=year)),
    nothing_written=lambda error: _("No se guardó nada: %(error)s", error=error))


@bp.route("/costos-servicios/importar", methods=["GET", "POST"])
@roles_required("editor")
def costs_upload():
    return uploads.upload_page(COSTS_UPLOAD)


@bp.route("/costos-servicios/importar/confirmar", methods=["POST"])
@roles_required("editor")
def costs_confirm():
    return uploads.confirm(COSTS_UPLOAD)
