"""Staff pages (moderators and admins): inbox, one report, export, API keys."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import roles_required
from portal.core.downloads import csv_response, fresh, xlsx_response
from portal.core.pagination import keyset
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.participation.complaints import catalog, services, staff
from portal.participation.complaints.forms import (ApiKeyForm, AssignForm, CategoryEditForm, CategoryForm, HideForm,
                                                   ModerateForm, NeighbourhoodForm, QuestionForm, StatusForm,
                                                   SupportForm, UnitForm, UpdateForm, choices)
from portal.participation.complaints.models import STATUSES
from portal.core import bounds

bp = tenant_blueprint("complaints_staff", __name__, "/reclamos/gestion")


def _filters() -> staff.InboxFilters:
    args = request.args

    def number(name):  # a filter that is no id is ignored, as an unknown state is
        value = args.get(name, "")
        return int(value) if bounds.is_id(value) else None
    status = args.get("estado", "")
    return staff.InboxFilters(status=status if status in STATUSES + ("open", "hidden") else "",
                              category_id=number("servicio"), district_id=number("distrito"),
                              unit_id=number("unidad"), overdue=args.get("vencidos") == "1")


@bp.route("/")
@roles_required("moderator")
def inbox():
    municipality = g.municipality
    filters = _filters()
    page = keyset(staff.inbox_statement(municipality, filters), staff.INBOX_KEY, descending=True)
    return render_template("complaints/staff_inbox.html", page=page, filters=filters,
                           categories=services.categories(municipality, active_only=False),
                           units=staff.units(municipality), statuses=STATUSES)


@bp.route("/exportar.<fmt>")
@roles_required("moderator")
def export(fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    municipality, filters = g.municipality, _filters()
    filename = f"reclamos-{municipality.slug}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(staff.export_rows(municipality, filters), staff.EXPORT_COLUMNS, filename, sheet="reclamos")
    return csv_response(lambda: staff.export_rows(fresh(municipality), filters), staff.EXPORT_COLUMNS, filename)


def _load(report_id):
    report = staff.load_for_staff(g.municipality, report_id)
    if report is None:
        abort(404)
    return report


def _forms(report, **overrides):
    version = str(report.version)
    forms = {
        "status_form": StatusForm(formdata=None, version=version, status=report.status),
        "assign_form": AssignForm(formdata=None, version=version, unit=report.unit_id),
        "update_form": UpdateForm(formdata=None, version=version),
        "hide_form": HideForm(formdata=None, version=version),
        "moderate_form": ModerateForm(formdata=None, version=version, description=report.description),
    }
    forms["assign_form"].unit.choices = choices([("", _("— Sin asignar —"))] + [
        (u.id, u.name) for u in staff.units(g.municipality)])
    forms.update(overrides)
    return forms


def _page(report, status=200, **overrides):
    return render_template("complaints/staff_report.html", report=report, moderations=staff.moderations(report),
                           confirmations=staff.confirmations(report),
                           **_forms(report, **overrides)), status


@bp.route("/<int:report_id>")
@roles_required("moderator")
def report(report_id):
    return _page(_load(report_id))


def _act(report, form_name, form, action):
    """Validate, run one staff service, commit; a lost race or bad input re-renders the page."""
    if not form.validate_on_submit() or not bounds.is_id(form.version.data):
        return _page(report, 400, **{form_name: form})
    try:
        action(int(form.version.data))
    except staff.Conflict:  # nothing was written: the claim is the first write
        db.session.expire(report)
        flash(_("Otra persona cambió este reporte mientras usted lo tenía abierto. Revise los cambios y "
                "vuelva a intentarlo."), "error")
        return _page(staff.load_for_staff(g.municipality, report.id), 409)
    except services.ReportError as error:  # raised before any write
        field = getattr(form, error.field, None) or getattr(form, "reason", None) or form.version
        field.errors = list(field.errors) + [_("Revise este dato: %(detail)s", detail=str(error))]
        return _page(staff.load_for_staff(g.municipality, report.id), 400, **{form_name: form})
    db.session.commit()
    flash(_("Cambio guardado."), "success")
    return redirect(url_for("complaints_staff.report", report_id=report.id))


@bp.route("/<int:report_id>/estado", methods=["POST"])
@roles_required("moderator")
def change_status(report_id):
    report = _load(report_id)
    form = StatusForm()
    return _act(report, "status_form", form, lambda version: staff.change_status(
        g.municipality, report, version, form.status.data, reason=form.reason.data or "",
        duplicate_of_code=form.duplicate_of.data or "", note=form.note.data or "", author=current_user))


@bp.route("/<int:report_id>/asignar", methods=["POST"])
@roles_required("moderator")
def assign(report_id):
    report = _load(report_id)
    form = AssignForm()
    form.unit.choices = choices([("", "")] + [(u.id, u.name) for u in staff.units(g.municipality)])
    return _act(report, "assign_form", form, lambda version: staff.assign(
        g.municipality, report, version, form.unit.data, author=current_user))


@bp.route("/<int:report_id>/actualizacion", methods=["POST"])
@roles_required("moderator")
def add_update(report_id):
    report = _load(report_id)
    form = UpdateForm()
    return _act(report, "update_form", form, lambda version: staff.add_update(
        g.municipality, report, version, form.body.data, form.visibility.data == "public", author=current_user))


@bp.route("/<int:report_id>/ocultar", methods=["POST"])
@roles_required("moderator")
def hide(report_id):
    report = _load(report_id)
    form = HideForm()
    return _act(report, "hide_form", form, lambda version: staff.set_hidden(
        g.municipality, report, version, not report.hidden, form.reason.data or "", author=current_user))


@bp.route("/<int:report_id>/moderar", methods=["POST"])
@roles_required("moderator")
def moderate(report_id):
    report = _load(report_id)
    form = ModerateForm()
    return _act(report, "moderate_form", form, lambda version: staff.moderate(
        g.municipality, report, version, description=form.description.data, remove_photo=form.remove_photo.data,
        reason=form.reason.data, author=current_user))


@bp.route("/claves-api", methods=["GET", "POST"])
@roles_required("admin")
def api_keys():
    form = ApiKeyForm()
    new_key = None
    if form.validate_on_submit():
        _key, new_key = staff.create_api_key(g.municipality, form.app_name.data)
        db.session.commit()
        form = ApiKeyForm(formdata=None)
    return render_template("complaints/api_keys.html", form=form, new_key=new_key,
                           keys=staff.api_keys(g.municipality))


@bp.route("/claves-api/<int:key_id>/revocar", methods=["POST"])
@roles_required("admin")
def revoke_api_key(key_id):
    if not SupportForm().validate_on_submit():  # an empty form: only its CSRF token
        abort(400)
    try:
        staff.revoke_api_key(g.municipality, key_id)
    except services.ReportError:
        abort(404)
    db.session.commit()
    flash(_("Clave revocada."), "success")
    return redirect(url_for("complaints_staff.api_keys"))


def _unit_choices(form):
    units = staff.units(g.municipality)
    form.default_unit.choices = choices([("", _("— Ninguna —"))] + [(u.id, u.name) for u in units])
    return form


def _place_form(form=None):
    form = form or NeighbourhoodForm(formdata=None)
    form.district.choices = choices([(d.id, d.name) for d in g.municipality.districts])
    return form


def _catalog_page(new_form=None, unit_form=None, edit_forms=None, question_forms=None, place_form=None,
                  status=200):
    categories = services.categories(g.municipality, active_only=False)
    edits = {}
    questions = {c.id: (question_forms or {}).get(c.id) or QuestionForm(formdata=None, prefix=f"q{c.id}")
                 for c in categories}
    for category in categories:
        form = (edit_forms or {}).get(category.id) or CategoryEditForm(
            formdata=None, prefix=f"c{category.id}", data={
                "name": category.name, "description": category.description, "service_days": category.service_days,
                "default_unit": category.default_unit_id, "active": category.active})
        edits[category.id] = _unit_choices(form)
    return render_template("complaints/catalog.html", categories=categories, edits=edits, questions=questions,
                           delete_form=SupportForm(), place_form=_place_form(place_form),
                           places=services.neighbourhoods(g.municipality),
                           new_form=_unit_choices(new_form or CategoryForm(formdata=None)),
                           unit_form=unit_form or UnitForm(formdata=None), units=staff.units(g.municipality)), status


@bp.route("/servicios", methods=["GET", "POST"])
@roles_required("admin")
def catalog_page():
    if request.method == "GET":
        return _catalog_page()
    form = _unit_choices(CategoryForm())
    if form.validate_on_submit():
        try:
            catalog.add_category(g.municipality, form.code.data, form.name.data, form.service_days.data,
                                 form.default_unit.data, form.description.data or "")
        except services.ReportError as error:
            getattr(form, error.field, form.code).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Servicio creado."), "success")
            return redirect(url_for("complaints_staff.catalog_page"))
    return _catalog_page(new_form=form, status=400)


@bp.route("/servicios/<int:category_id>", methods=["POST"])
@roles_required("admin")
def category_update(category_id):
    category = staff.category_by_id(g.municipality, category_id)
    if category is None:
        abort(404)
    form = _unit_choices(CategoryEditForm(prefix=f"c{category.id}"))
    if form.validate_on_submit():
        try:
            catalog.update_category(g.municipality, category, name=form.name.data, service_days=form.service_days.data,
                                    unit_id=form.default_unit.data, active=form.active.data,
                                    description=form.description.data or "")
        except services.ReportError as error:
            getattr(form, error.field, form.name).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Servicio actualizado."), "success")
            return redirect(url_for("complaints_staff.catalog_page"))
    return _catalog_page(edit_forms={category.id: form}, status=400)


@bp.route("/unidades", methods=["POST"])
@roles_required("admin")
def unit_create():
    form = UnitForm()
    if form.validate_on_submit():
        try:
            catalog.add_unit(g.municipality, form.name.data, form.email.data or "")
        except services.ReportError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Unidad creada."), "success")
            return redirect(url_for("complaints_staff.catalog_page"))
    return _catalog_page(unit_form=form, status=400)


@bp.route("/servicios/<int:category_id>/preguntas", methods=["POST"])
@roles_required("admin")
def question_add(category_id):
    category = staff.category_by_id(g.municipality, category_id)
    if category is None:
        abort(404)
    form = QuestionForm(prefix=f"q{category.id}")
    if form.validate_on_submit():
        try:
            catalog.add_question(g.municipality, category, code=form.code.data, description=form.description.data,
                                 datatype=form.datatype.data, required=form.required.data,
                                 options=form.options.data or "")
        except services.ReportError as error:
            getattr(form, error.field, form.code).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Pregunta agregada."), "success")
            return redirect(url_for("complaints_staff.catalog_page"))
    return _catalog_page(question_forms={category.id: form}, status=400)


@bp.route("/servicios/<int:category_id>/preguntas/<int:attribute_id>/quitar", methods=["POST"])
@roles_required("admin")
def question_remove(category_id, attribute_id):
    category = staff.category_by_id(g.municipality, category_id)
    if category is None or not SupportForm().validate_on_submit():
        abort(404 if category is None else 400)
    try:
        catalog.remove_question(g.municipality, category, attribute_id)
    except services.ReportError:
        abort(404)
    db.session.commit()
    flash(_("Pregunta quitada."), "success")
    return redirect(url_for("complaints_staff.catalog_page"))


@bp.route("/barrios", methods=["POST"])
@roles_required("admin")
def neighbourhood_add():
    form = _place_form(NeighbourhoodForm())
    if form.validate_on_submit():
        try:
            catalog.add_neighbourhood(g.municipality, form.district.data, form.name.data)
        except services.ReportError as error:
            getattr(form, error.field, form.name).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Barrio agregado."), "success")
            return redirect(url_for("complaints_staff.catalog_page"))
    return _catalog_page(place_form=form, status=400)


@bp.route("/barrios/<int:place_id>/quitar", methods=["POST"])
@roles_required("admin")
def neighbourhood_remove(place_id):
    if not SupportForm().validate_on_submit():
        abort(400)
    try:
        catalog.remove_neighbourhood(g.municipality, place_id)
    except services.ReportError:
        abort(404)
    db.session.commit()
    flash(_("Barrio quitado."), "success")
    return redirect(url_for("complaints_staff.catalog_page"))
