"""Residents' pages: report a problem, see similar reports, support, track, confirm."""
import re
import secrets
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from portal.accounts.permissions import public
from portal.core.charts import hbars
from portal.core.i18n import month_label
from portal.core.tenancy import tenant_blueprint
from portal.core.uploads import UploadError, keep, path_for, save_image
from portal.extensions import db, limiter
from portal.participation.complaints import notify, services, sources, stats
from portal.participation.complaints.forms import ConfirmForm, SupportForm, TrackForm, choices, report_form_for

bp = tenant_blueprint("complaints", __name__, "/reclamos")
PHOTO_NAME = re.compile(r"^[A-Za-z0-9_-]{16,40}\.jpg$")


@bp.app_template_filter("complaint_status")
def complaint_status(status):
    return notify.status_label(status)


@bp.route("/")
@public
def index():
    municipality = g.municipality
    return render_template("complaints/index.html", categories=services.categories(municipality),
                           track_form=TrackForm(request.args))


@bp.route("/seguimiento")
@limiter.limit("30 per minute")
@public
def find():
    form = TrackForm(request.args)
    report = services.track(g.municipality, form.codigo.data or "") if form.validate() else None
    if report is None:
        form.codigo.errors = [_("No encontramos un reporte con ese código. Revise las 8 letras y números.")]
        return render_template("complaints/index.html", categories=services.categories(g.municipality),
                               track_form=form), 404
    return redirect(url_for("complaints.track", code=report.code))


def _place_choices(form, municipality):
    districts = municipality.districts
    form.district.choices = choices([("", _("— Elija el distrito —"))] + [(d.id, d.name) for d in districts])
    form.neighbourhood.choices = [SelectChoice("", _("— No sé / no está en la lista —"))] + [
        SelectChoice(place.id, place.name, optgroup=place.district.name)
        for place in services.neighbourhoods(municipality)]


def _kept_photo(municipality, name):
    if name and PHOTO_NAME.match(name) and path_for(municipality.id, name) is not None:
        return name
    return None


def _save_photo(form, municipality):
    """Keep an accepted photo across a failed submission (its name rides in a hidden field)."""
    upload = request.files.get(form.photo.name)
    if upload is None or not upload.filename:
        return _kept_photo(municipality, form.photo_name.data)
    try:
        name = save_image(municipality.id, upload.read())
    except UploadError as error:  # nothing was written
        form.photo.errors = [str(error)]
        return _kept_photo(municipality, form.photo_name.data)
    keep(municipality.id, name)  # held for the person's next try if the rest of the form fails
    form.photo_name.data = name
    return name


def _report_input(form, category, photo):
    raw = {attribute.code: (field.data if isinstance(field.data, list) else [field.data or ""])
           for field, attribute in form.questions}
    return services.ReportInput(
        category=category, description=form.description.data, district_id=form.district.data,
        neighbourhood_id=form.neighbourhood.data, address=form.address.data or "",
        lat=services.parse_coordinate(form.lat.data, -90, 90, "lat"),
        long=services.parse_coordinate(form.long.data, -180, 180, "long"), photo=photo,
        answers=services.check_answers(category, raw), contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "", contact_phone=form.contact_phone.data or "",
        idempotency_key=form.idempotency_key.data, channel="web")


@bp.route("/nuevo", methods=["GET", "POST"])
@limiter.limit("10 per minute;40 per hour", methods=["POST"])
@public
def new():
    municipality = g.municipality
    category = services.get_category(municipality, request.values.get("servicio", ""))
    if category is None or not category.active:
        return render_template("complaints/report_choose.html", categories=services.categories(municipality))
    form = report_form_for(category)
    _place_choices(form, municipality)
    form.idempotency_key.data = form.idempotency_key.data or secrets.token_urlsafe(24)
    similar = []
    if request.method == "POST":
        existing = services.find_by_idempotency(municipality, form.idempotency_key.data)
        if existing is not None:  # a retried submission: the same tracking page
            return redirect(url_for("complaints.track", code=existing.code))
        valid = form.validate_on_submit()
        if form.website.data:  # the honeypot: people never see it, bots fill it in
            flash(_("Gracias."), "success")
            return redirect(url_for("complaints.index"))
        photo = _save_photo(form, municipality)
        if valid and not form.photo.errors:
            try:
                data = _report_input(form, category, photo)
                similar = [] if form.confirm_new.data else \
                    services.similar_open(municipality, category, data.district_id)
                if not similar:
                    report, _created = services.create_report(municipality, data)
                    db.session.commit()
                    flash(_("Reporte enviado. Guarde su código: %(code)s", code=report.code), "success")
                    return redirect(url_for("complaints.track", code=report.code))
                form.confirm_new.data = "1"
            except services.ReportError as error:
                target = getattr(form, error.field, None) or getattr(form, "attr_" + error.field, None) \
                    or form.description
                target.errors = list(target.errors) + [str(error)]
    return render_template("complaints/report_new.html", form=form, category=category, similar=similar,
                           support_form=SupportForm())


@bp.route("/<int:report_id>/apoyar", methods=["POST"])
@limiter.limit("20 per minute")
@public
def support(report_id):
    report = services.get_report(g.municipality, report_id)
    if report is None or report.hidden:
        abort(404)
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    session.setdefault("complaint_supporter", secrets.token_urlsafe(24))
    if services.add_support(g.municipality, report, session["complaint_supporter"]):
        db.session.commit()
        flash(ngettext("Gracias: su apoyo se sumó al reporte n.º %(id)s (%(num)s apoyo).",
                       "Gracias: su apoyo se sumó al reporte n.º %(id)s (%(num)s apoyos).",
                       report.supports_count, id=report.id), "success")
    else:
        flash(_("Ya había apoyado este reporte, o ya no está abierto."), "info")
    return redirect(url_for("complaints.index"))


@bp.route("/r/<code>")
@limiter.limit("60 per minute")
@public
def track(code):
    report = services.track(g.municipality, code)
    if report is None:
        abort(404)
    return render_template("complaints/report_track.html", report=report,
                           timeline=services.public_timeline(report), confirm_form=ConfirmForm())


def _tracking_code():
    """Confirmations are also counted per report: whoever holds a tracking code cannot
    reopen that report again and again from many addresses."""
    return "confirm-report:" + services.normalize_code(request.view_args.get("code", ""))


@bp.route("/r/<code>/confirmar", methods=["POST"])
@limiter.limit("10 per minute")
@limiter.limit("5 per hour", key_func=_tracking_code)
@public
def confirm(code):
    report = services.track(g.municipality, code)
    if report is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit() and services.can_confirm(report):
        services.confirm(g.municipality, report, form.answer.data, form.comment.data or "")
        db.session.commit()
        if form.answer.data == "no":
            flash(_("Gracias. Reabrimos el reporte y avisamos a la unidad responsable."), "success")
        else:
            flash(_("Gracias por confirmar."), "success")
        return redirect(url_for("complaints.track", code=report.code))
    return render_template("complaints/report_track.html", report=report,
                           timeline=services.public_timeline(report), confirm_form=form), 400


@bp.route("/estadisticas")
@public
def statistics():
    municipality = g.municipality
    as_of = datetime.now().date()
    until = sources.window(as_of)[1]
    overall, per_category = sources.window_statistics(municipality, as_of)
    names = {c.code: c for c in services.categories(municipality, active_only=False)}
    months = dict(overall.per_month)
    month_rows = [(key, months.get(key, 0)) for key in stats.month_keys(until)]
    month_chart = hbars([(month_label(key), n) for key, n in month_rows], title=_("Reportes por mes"), fmt=lambda v: str(v))
    on_time_chart = hbars([(names[c].name if c in names else c, s.on_time) for c, s in per_category.items()],
                          title=_("Resueltos dentro del plazo"), max_value=1,
                          fmt=lambda v: f"{v * 100:.0f} %", label_width=140)
    return render_template("complaints/stats.html", overall=overall, per_category=per_category, names=names,
                           month_rows=month_rows, month_chart=month_chart, on_time_chart=on_time_chart,
                           as_of=as_of)
