"""Staff pages: processes, public review, census, verification, codes, paper ballots,
counting and publishing. Closing the vote or pressing "count" only queues the count:
a job worker (or ``budgeting count-pending``) runs it outside the request."""
import secrets
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts.permissions import can, roles_required
from portal.core import imports
from portal.core.downloads import csv_file_response
from portal.core.tabular import template_csv
from portal.extensions import db
from portal.participation.budgeting import counting, forms, services, worker
from portal.participation.budgeting.views import _process, bp

STAFF = ("editor", "publisher", "moderator", "verifier")
FIELDS = ("title", "purpose", "budget", "year", "proposals_open", "proposals_close", "review_close",
          "voting_open", "voting_close", "results_date", "execution_start", "ballot_type",
          "min_choices", "max_choices", "knapsack", "points", "rank_k", "eligibility", "min_age",
          "rule", "allow_change")


@bp.route("/admin")
@roles_required(*STAFF)
def admin():
    return render_template("budgeting/admin_index.html", today=date.today(),
                           processes=services.processes(g.municipality, published_only=False),
                           census=services.census_size(g.municipality))


@bp.route("/admin/nuevo", methods=["GET", "POST"])
@roles_required("editor")
def process_new():
    return _process_form(None)


@bp.route("/admin/<int:process_id>/editar", methods=["GET", "POST"])
@roles_required("editor")
def process_edit(process_id):
    return _process_form(_process(process_id, published_only=False))


def _process_form(process):
    form = forms.ProcessForm(obj=process)
    if request.method == "GET":
        form.district_budgets.data = "\n".join(
            f"{d.district}; {d.amount}" for d in process.district_budgets) if process else ""
    if form.validate_on_submit():
        fields = {name: form[name].data for name in FIELDS}
        fields["min_choices"] = fields["min_choices"] or 0
        fields["district_budgets"] = form.district_rows
        try:
            if process is not None and process.is_published and not can("publisher"):
                raise services.BudgetingError(_("El proceso ya está publicado: solo una persona con el rol de "
                                                "publicador puede cambiar sus reglas y presupuestos."))
            saved = services.save_process(g.municipality, process, **fields)
        except services.BudgetingError as error:
            target = form.district_budgets if isinstance(error, services.DistrictBudgetError) \
                else form.ballot_type
            target.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Proceso guardado."), "success")
            return redirect(url_for(".admin_process", process_id=saved.id))
    return render_template("budgeting/process_form.html", form=form, process=process)


@bp.route("/admin/<int:process_id>")
@roles_required(*STAFF)
def admin_process(process_id):
    process = _process(process_id, published_only=False)
    return render_template("budgeting/admin_process.html", process=process, today=date.today(),
                           results=services.results(g.municipality, process, published_only=False),
                           turnout=services.turnout(g.municipality, process), form=forms.ConfirmForm(),
                           counts=counting.counts(g.municipality, process), COUNT_ERRORS=counting.COUNT_ERRORS)


ACTIONS = {"publicar": "publish", "abrir-votacion": "open", "cerrar-votacion": "close", "contar": "count"}


@bp.route("/admin/<int:process_id>/accion/<action>", methods=["POST"])
@roles_required("publisher")
def process_action(process_id, action):
    process = _process(process_id, published_only=False)
    if action not in ACTIONS or not forms.ConfirmForm().validate_on_submit():
        abort(400)
    if ACTIONS[action] != "count" and ACTIONS[action] not in process.transitions(date.today()):
        flash(_("Esa acción no corresponde a la fase actual del proceso."), "error")
        return redirect(url_for(".admin_process", process_id=process.id))
    try:
        if action == "publicar":
            process.publish()
            for project in process.projects:
                project.publish()
        elif action == "abrir-votacion":
            services.open_voting(g.municipality, process, date.today())
        elif action == "cerrar-votacion":
            services.close_voting(g.municipality, process)
            counting.request_count(g.municipality, process, user=current_user, trigger="close")
            flash(_("Votación cerrada. Calculando resultados con la regla %(rule)s.", rule=process.rule), "success")
        else:
            count = counting.request_count(g.municipality, process, request.form.get("rule") or None,
                                           user=current_user)
            flash(_("Conteo pedido con la regla %(rule)s: se calcula aparte; esta página lo muestra al terminar.",
                    rule=count.rule), "success")
    except services.BudgetingError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if action in ("cerrar-votacion", "contar"):
            worker.wake()  # the counts just queued go to the job queue
    return redirect(url_for(".admin_process", process_id=process.id))


@bp.route("/admin/<int:process_id>/resultados/<int:result_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish_result(process_id, result_id):
    process = _process(process_id, published_only=False)
    result = next((r for r in services.results(g.municipality, process, published_only=False)
                   if r.id == result_id), None)
    if result is None or not forms.ConfirmForm().validate_on_submit():
        abort(404)
    works = services.publish_results(g.municipality, process, result)
    db.session.commit()
    flash(ngettext("Resultados publicados; %(num)s obra pasa a la hoja de ruta.",
                   "Resultados publicados; %(num)s obras pasan a la hoja de ruta.", works), "success")
    return redirect(url_for(".results", process_id=process.id, rule=result.rule))


@bp.route("/admin/<int:process_id>/proyectos/<int:project_id>/revisar", methods=["GET", "POST"])
@roles_required("moderator", "editor")
def project_review(process_id, project_id):
    process = _process(process_id, published_only=False)
    project = services.get_project(g.municipality, process, project_id, published_only=False)
    if project is None:
        abort(404)
    form = forms.ReviewForm(obj=project)
    if form.validate_on_submit():
        try:
            services.review(g.municipality, project, status=form.review_status.data,
                            reason=form.review_reason.data, cost=form.cost.data)
        except services.CostFrozen as error:
            form.cost.errors.append(str(error))
        except services.BudgetingError as error:
            form.review_reason.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Revisión publicada."), "success")
            return redirect(url_for(".admin_process", process_id=process.id))
    return render_template("budgeting/project_review.html", process=process, project=project, form=form)


@bp.route("/admin/padron", methods=["GET", "POST"])
@roles_required("editor")
def census():
    """Upload the census: a job checks and loads it; the progress page follows it."""
    form = forms.CensusForm()
    if form.validate_on_submit():
        upload = form.file.data
        run = imports.start("budgeting.census", upload.read(imports.MAX_BYTES + 1), upload.filename or "",
                            municipality=g.municipality, user=current_user)
        db.session.commit()
        return redirect(imports.progress_url(run))
    latest = imports.latest("budgeting.census", g.municipality)
    return render_template("budgeting/census_upload.html", form=form, size=services.census_size(g.municipality),
                           latest=latest, latest_url=latest and imports.progress_url(latest))


@bp.route("/admin/padron/plantilla.csv")
@roles_required("editor")
def census_template():
    data = template_csv(["documento", "fecha_nacimiento", "distrito"],
                        [["01234567-8", "1990-01-01", "Centro"]])
    return csv_file_response(data, "padron-plantilla.csv")


@bp.route("/admin/<int:process_id>/verificar", methods=["GET", "POST"])
@roles_required("verifier", "editor")
def in_person(process_id):
    process = _process(process_id, published_only=False)
    form = forms.InPersonForm()
    if form.validate_on_submit():
        try:
            services.verify_in_person(g.municipality, process, form.document.data,
                                      form.district.data, current_user, birth=form.birth_date.data,
                                      today=date.today())
        except services.BudgetingError as error:
            form.document.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Persona verificada en persona."), "success")
            return redirect(url_for(".in_person", process_id=process.id))
    return render_template("budgeting/in_person.html", process=process, form=form)


@bp.route("/admin/<int:process_id>/codigos", methods=["GET", "POST"])
@roles_required("verifier", "editor")
def codes(process_id):
    process = _process(process_id, published_only=False)
    form = forms.CodesForm()
    printed = []
    if form.validate_on_submit():
        try:
            printed = services.make_codes(g.municipality, process, form.count.data, form.batch.data or "")
        except services.BudgetingError as error:
            form.count.errors.append(str(error))
        else:
            db.session.commit()
    return render_template("budgeting/codes.html", process=process, form=form, printed=printed)


@bp.route("/admin/<int:process_id>/papeleta", methods=["GET", "POST"])
@roles_required("verifier", "editor")
def paper(process_id):
    process = _process(process_id, published_only=False)
    projects = services.ballot_projects(process)
    form = forms.ballot_form(process, projects, paper=True,
                             districts=[d.district for d in process.district_budgets])
    if services.paper_ballot_recorded(g.municipality, process, form.idempotency_key.data):
        flash(_("Esta papeleta ya estaba registrada."), "info")  # a repeated send (offline sync)
        return redirect(url_for(".paper", process_id=process.id))
    form.idempotency_key.data = form.idempotency_key.data or secrets.token_urlsafe(24)
    if form.validate_on_submit():
        try:
            receipt = services.enter_paper_ballot(g.municipality, process, form.document.data,
                                                  forms.choices_from(process, projects, form),
                                                  district=form.district.data if "district" in form else "",
                                                  idempotency_key=form.idempotency_key.data,
                                                  birth=form.birth_date.data, today=date.today())
        except services.BudgetingError as error:
            form.document.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Papeleta en papel registrada. Comprobante: %(code)s", code=receipt), "success")
            return redirect(url_for(".paper", process_id=process.id))
    return render_template("budgeting/paper.html", process=process, form=form, projects=projects)
