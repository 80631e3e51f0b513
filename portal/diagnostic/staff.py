"""Staff pages: assessments, score entry per sub-area, review workflow, imports."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.permissions import roles_required
from portal.core.downloads import csv_file_response
from portal.core.tabular import TableError
from portal.core.tenancy import tenant_blueprint
from portal.diagnostic import forms, imports, services
from portal.extensions import db

bp = tenant_blueprint("diagnostic_staff", __name__, "/diagnostico/gestion")
STAFF = ("editor", "publisher", "verifier")


def _assessment(assessment_id):
    assessment = services.get_assessment(g.municipality, assessment_id)
    if assessment is None:
        abort(404)
    return assessment


@bp.route("/", methods=["GET", "POST"])
@roles_required("editor")
def index():
    form = forms.NewAssessmentForm()
    catalog = services.adopted_catalog(g.municipality)
    if form.validate_on_submit():
        if catalog is None:
            flash(_("El municipio no tiene catálogo: importe uno primero."), "error")
        else:
            try:
                assessment = services.create_assessment(g.municipality, catalog, form.date.data, form.title.data or "")
            except services.DiagnosticError as error:
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(_("Diagnóstico creado como borrador."), "success")
                return redirect(url_for(".assessment", assessment_id=assessment.id))
    return render_template("diagnostic/staff_list.html", form=form, catalog=catalog,
                           assessments=services.assessments(g.municipality))


@bp.route("/<int:assessment_id>/")
@roles_required(*STAFF)
def assessment(assessment_id):
    result = services.staff_result(g.municipality, _assessment(assessment_id))
    return render_template("diagnostic/staff_assessment.html", result=result, action=forms.ActionForm(),
                           query_form=forms.QueryForm(), publish_form=forms.PublishForm(obj=result.assessment))


@bp.route("/<int:assessment_id>/subarea/<code>/", methods=["GET", "POST"])
@roles_required("editor")
def entry(assessment_id, code):
    result = services.staff_result(g.municipality, _assessment(assessment_id))
    subarea = result.subareas.get(code)
    if subarea is None:
        abort(404)
    form = forms.entry_form(subarea.indicators, result.scores)
    if request.method == "POST" and forms.validate_entries(form, subarea.indicators):
        try:
            services.save_scores(g.municipality, result.assessment, forms.entries_from(form, subarea.indicators))
        except services.DiagnosticError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Puntajes de «%(name)s» guardados.", name=subarea.name), "success")
            return redirect(url_for(".assessment", assessment_id=assessment_id))
    return render_template("diagnostic/staff_entry.html", result=result, subarea=subarea, form=form)


def _step(assessment_id, step, message, *args):
    assessment = _assessment(assessment_id)
    try:
        step(g.municipality, assessment, *args)
    except services.DiagnosticError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".assessment", assessment_id=assessment_id))


@bp.route("/<int:assessment_id>/enviar", methods=["POST"])
@roles_required("editor")
def submit(assessment_id):
    return _step(assessment_id, services.submit, _("Diagnóstico enviado a revisión."))


@bp.route("/<int:assessment_id>/muestra", methods=["POST"])
@roles_required("verifier")
def sample(assessment_id):
    return _step(assessment_id, services.draw_sample, _("Muestra de indicadores sorteada."))


@bp.route("/<int:assessment_id>/observar", methods=["POST"])
@roles_required("verifier")
def query(assessment_id):
    form = forms.QueryForm()
    if not form.validate_on_submit():
        flash(_("Escriba qué debe revisarse."), "error")
        return redirect(url_for(".assessment", assessment_id=assessment_id))
    return _step(assessment_id, services.query, _("Diagnóstico devuelto con observaciones."), form.note.data)


@bp.route("/<int:assessment_id>/verificar", methods=["POST"])
@roles_required("verifier")
def verify(assessment_id):
    return _step(assessment_id, services.verify, _("Diagnóstico verificado."))


@bp.route("/<int:assessment_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish(assessment_id):
    form = forms.PublishForm()
    return _step(assessment_id, services.publish, _("Diagnóstico publicado."), form.conclusions.data,
                 form.next_steps.data)


@bp.route("/importar", methods=["GET", "POST"])
@roles_required("editor")
def import_files():
    catalog_form = forms.ImportCatalogForm(prefix="catalog")
    scores_form = forms.ImportScoresForm(prefix="scores")
    problems, kind = [], request.form.get("kind")
    if kind == "catalog" and catalog_form.validate_on_submit():
        upload = catalog_form.file.data
        try:
            catalog = imports.import_catalog(upload.read(), upload.filename, catalog_form.name.data.strip(),
                                             municipality=g.municipality)
        except TableError as error:  # raised before anything is written
            problems = error.problems
        else:
            db.session.commit()
            flash(_("Catálogo «%(name)s» versión %(v)s importado y adoptado.", name=catalog.name, v=catalog.version),
                  "success")
            return redirect(url_for(".index"))
    elif kind == "scores" and scores_form.validate_on_submit():
        upload = scores_form.file.data
        try:
            assessment = imports.import_scores(g.municipality, scores_form.date.data, upload.read(), upload.filename)
        except (TableError, services.DiagnosticError) as error:  # raised before anything is written
            problems = getattr(error, "problems", None) or [str(error)]
        else:
            db.session.commit()
            flash(_("Puntajes importados en el borrador del %(date)s.", date=assessment.date.isoformat()), "success")
            return redirect(url_for(".assessment", assessment_id=assessment.id))
    return render_template("diagnostic/staff_import.html", catalog_form=catalog_form, scores_form=scores_form,
                           problems=problems, kind=kind), (422 if problems else 200)


@bp.route("/plantilla/<kind>.csv")
@roles_required("editor")
def template(kind):
    if kind not in ("catalogo", "puntajes"):
        abort(404)
    data = imports.catalog_template() if kind == "catalogo" else imports.scores_template()
    return csv_file_response(data, f"diagnostico-{kind}.csv")
