"""Roadmap pages: plans, the plan (list, totals, Gantt, goals), activities, the
follow-up matrix, the quick follow-up form and imports."""
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from portal.accounts.permissions import can, public, roles_required
from portal.core import bounds, ical
from portal.core.downloads import csv_file_response, xlsx_response
from portal.core.i18n import money
from portal.core.tabular import TableError
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.roadmap import editing, exports, importer, services
from portal.roadmap.forms import ActionForm, FollowUpForm, GoalForm, ImportForm, MatrixImportForm, ReviewForm
from portal.roadmap.labels import (GOAL_BANDS, MARKER_LABELS, STATE_BANDS, STATE_LABELS, TIMELINESS_BANDS,
                                   TIMELINESS_LABELS)

bp = tenant_blueprint("roadmap", __name__, "/hoja-de-ruta")


@bp.context_processor
def labels():
    return {"STATE_LABELS": STATE_LABELS, "STATE_BANDS": STATE_BANDS, "TIMELINESS_LABELS": TIMELINESS_LABELS,
            "TIMELINESS_BANDS": TIMELINESS_BANDS, "GOAL_BANDS": GOAL_BANDS, "MARKER_LABELS": MARKER_LABELS}


def _staff() -> bool:
    return can("editor")


def _plan_or_404(plan_id):
    plan = services.get_plan(g.municipality, plan_id, include_drafts=_staff())
    if plan is None:
        abort(404)
    return plan


def _filters() -> services.Filters:
    args = request.args
    return services.Filters(state=args.get("estado", ""), area=args.get("area", ""),
                            responsible=args.get("responsable", ""), source=args.get("fuente", ""),
                            horizon=bounds.query_int("horizonte", minimum=0, maximum=1000), timeliness=args.get("plazo", ""))


@bp.route("/")
@public
def index():
    plans = services.list_plans(g.municipality, include_drafts=_staff())
    return render_template("roadmap/plan_list.html", plans=plans)


@bp.route("/<int:plan_id>")
@public
def plan(plan_id):
    plan = _plan_or_404(plan_id)
    filters = _filters()
    page = services.plan_page(g.municipality, plan, date.today(), filters)
    # Only staff get a form: building one makes a CSRF token, and a page with one is never cached.
    return render_template("roadmap/plan_show.html", plan=plan, filters=filters, today=date.today(),
                           action_form=ActionForm() if can("publisher") else None, **page)


@bp.route("/<int:plan_id>/actividades/<int:activity_id>")
@public
def activity(plan_id, activity_id):
    activity = services.get_activity(g.municipality, activity_id, plan_id, include_drafts=_staff())
    if activity is None:
        abort(404)
    detail = services.activity_detail(g.municipality, activity)
    return render_template("roadmap/activity_show.html", activity=activity, plan=activity.plan, **detail)


@bp.route("/<int:plan_id>/actividades/<int:activity_id>/seguimiento", methods=["GET", "POST"])
@roles_required("editor", "publisher")
def followup(plan_id, activity_id):
    activity = services.get_activity(g.municipality, activity_id, plan_id, include_drafts=True)
    if activity is None:
        abort(404)
    form = FollowUpForm(obj=activity)
    if form.validate_on_submit():
        upload = form.document.data
        try:
            services.update_followup(
                g.municipality, activity, state=form.state.data, done=form.state.data == "done", progress_pct=form.progress.data,
                verification_url=form.verification_url.data or "",
                document=upload.read() if upload and getattr(upload, "filename", "") else None,
                limitation=form.limitation.data or "", observations=form.observations.data or "",
                actual_cost=form.actual_cost.data)
        except services.RoadmapError as error:
            target = getattr(form, error.field, form.state)
            target.errors = list(target.errors) + [str(error)]
        else:
            db.session.commit()
            flash(_("Seguimiento guardado."), "success")
            return redirect(url_for("roadmap.activity", plan_id=plan_id, activity_id=activity_id))
    return render_template("roadmap/activity_followup.html", form=form, activity=activity, plan=activity.plan)


@bp.route("/<int:plan_id>/matriz")
@public
def matrix(plan_id):
    plan = _plan_or_404(plan_id)
    view = services.plan_view(g.municipality, plan, date.today())
    return render_template("roadmap/matrix.html", plan=plan, view=view, period_text=importer.period_text)


@bp.route("/<int:plan_id>/matriz.xlsx")
@public
def matrix_xlsx(plan_id):
    plan = _plan_or_404(plan_id)
    view = services.plan_view(g.municipality, plan, date.today())
    return xlsx_response(importer.matrix_rows(view), importer.MATRIX_HEADERS,
                         f"matriz-seguimiento-{plan.id}.xlsx", sheet="Matriz de seguimiento")


@bp.route("/<int:plan_id>/matriz/importar", methods=["GET", "POST"])
@roles_required("editor", "publisher")
def matrix_import(plan_id):
    plan = services.get_plan(g.municipality, plan_id, include_drafts=True)
    if plan is None:
        abort(404)
    form, problems = MatrixImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = importer.import_matrix(g.municipality, plan, upload.read(), upload.filename or "")
        except TableError as error:  # raised before anything is written
            problems = error.problems
        else:
            db.session.commit()
            flash(ngettext("Matriz importada: %(num)s actividad actualizada.",
                           "Matriz importada: %(num)s actividades actualizadas.", count), "success")
            return redirect(url_for("roadmap.matrix", plan_id=plan.id))
    return render_template("roadmap/matrix_import.html", form=form, plan=plan, problems=problems)


@bp.route("/importar", methods=["GET", "POST"])
@roles_required("editor", "publisher")
def import_():
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = importer.import_activities(g.municipality, upload.read(), upload.filename or "",
                                                form.plan.data, publish=form.publish.data and can("publisher"),
                                                may_change_published=can("publisher"))
        except TableError as error:  # raised before anything is written
            problems = error.problems
        else:
            db.session.commit()
            flash(_("Plan importado: %(created)s, %(updated)s; costo total %(total)s.",
                    created=ngettext("%(num)s actividad nueva", "%(num)s actividades nuevas", result.created),
                    updated=ngettext("%(num)s actualizada", "%(num)s actualizadas", result.updated),
                    total=money(result.total)), "success")
            return redirect(url_for("roadmap.plan", plan_id=result.plan.id))
    return render_template("roadmap/plan_import.html", form=form, problems=problems, columns=importer.ORDER)


@bp.route("/plantilla.csv")
@public
def template():
    return csv_file_response(importer.template(), "hoja-de-ruta-plantilla.csv")


def _staff_plan(plan_id):
    plan = services.get_plan(g.municipality, plan_id, include_drafts=True)
    if plan is None:
        abort(404)
    return plan


def _field_error(form, error: services.RoadmapError, default: str) -> None:
    target = getattr(form, error.field, None) or getattr(form, default)
    target.errors = list(target.errors) + [str(error)]


@bp.route("/<int:plan_id>/metas/nueva", methods=["GET", "POST"])
@bp.route("/<int:plan_id>/metas/<int:goal_id>", methods=["GET", "POST"])
@roles_required("publisher")
def goal_form(plan_id, goal_id=None):
    """Add a goal to the plan, or change one."""
    plan = _staff_plan(plan_id)
    goal = editing.get_goal(g.municipality, plan, goal_id) if goal_id is not None else None
    if goal_id is not None and goal is None:
        abort(404)
    form = GoalForm(obj=goal)
    form.source_key.choices = [SelectChoice(key, label) for key, label in
                               [("", _("Ninguno (la tabla no mostrará el valor real)")),
                                *editing.indicator_choices()]]
    if form.validate_on_submit():
        try:
            editing.save_goal(g.municipality, plan, goal, title=form.title.data, year=form.year.data,
                              direction=form.direction.data, target=form.target.data, unit=form.unit.data,
                              source_key=form.source_key.data or "", source_param=form.source_param.data or "",
                              baseline=form.baseline.data, baseline_year=form.baseline_year.data)
        except services.RoadmapError as error:
            _field_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("Meta guardada.") if goal is not None else _("Meta agregada."), "success")
            return redirect(url_for("roadmap.plan", plan_id=plan.id, _anchor="metas"))
    return render_template("roadmap/goal_form.html", form=form, plan=plan, goal=goal, delete_form=ActionForm())


@bp.route("/<int:plan_id>/metas/<int:goal_id>/borrar", methods=["POST"])
@roles_required("publisher")
def goal_delete(plan_id, goal_id):
    plan = _staff_plan(plan_id)
    goal = editing.get_goal(g.municipality, plan, goal_id)
    if goal is None:
        abort(404)
    if ActionForm().validate_on_submit():
        title = goal.title
        editing.delete_goal(g.municipality, goal)
        db.session.commit()
        flash(_("Meta «%(title)s» eliminada; el historial de cambios guarda sus valores.", title=title), "success")
    return redirect(url_for("roadmap.plan", plan_id=plan.id, _anchor="metas"))


@bp.route("/<int:plan_id>/revisiones/nueva", methods=["GET", "POST"])
@roles_required("publisher")
def review_form(plan_id):
    """Record a quarterly review of the plan."""
    plan = _staff_plan(plan_id)
    form = ReviewForm()
    if request.method == "GET":
        form.held_on.data = date.today()
    if form.validate_on_submit():
        try:
            editing.add_review(g.municipality, plan, held_on=form.held_on.data, summary=form.summary.data,
                               title=form.title.data or "", approved_changes=form.approved_changes.data or "",
                               council_act=form.council_act.data or "")
        except services.RoadmapError as error:
            _field_error(form, error, "summary")
        else:
            db.session.commit()
            flash(_("Revisión registrada."), "success")
            return redirect(url_for("roadmap.plan", plan_id=plan.id, _anchor="revisiones"))
    return render_template("roadmap/review_form.html", form=form, plan=plan)


@bp.route("/<int:plan_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish(plan_id):
    """Publish the plan, or take it back to draft (``publicar=0``)."""
    plan = _staff_plan(plan_id)
    if ActionForm().validate_on_submit():
        published = request.form.get("publicar", "1") == "1"
        editing.set_published(g.municipality, plan, published)
        db.session.commit()
        flash(_("Plan publicado: todos lo ven.") if published else _("Plan retirado: vuelve a ser borrador."),
              "success")
    return redirect(url_for("roadmap.plan", plan_id=plan.id))


@bp.route("/calendario.ics")
@public
def calendar():
    """Every published plan's milestones and quarterly reviews, as an iCalendar file."""
    return ical.response(lambda: _("Hoja de ruta"), exports.calendar_events)
