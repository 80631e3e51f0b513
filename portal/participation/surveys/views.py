"""Residents' survey pages: the list, answering page by page, their own answer,
results and downloads (``/m/<slug>/encuestas/...``)."""
import re

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from portal.accounts.permissions import is_staff, public
from portal.core.downloads import csv_response, xlsx_response
from portal.core.charts import hbars
from portal.core.i18n import number
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db, limiter, login_manager
from portal.participation.surveys import answering, exports, responding, results, services, stats
from portal.core import bounds, ical

bp = tenant_blueprint("surveys", __name__, "/encuestas")

DEVICE_COOKIE = "cabildo_dispositivo"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="survey-device")


def _device_token() -> tuple[str, bool]:
    """This browser's signed device token, and whether it is new (to be set)."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw:
        try:
            return _serializer().loads(raw), False
        except BadSignature:
            pass
    return services.new_key()[:32], True


def _with_device(response, token, new):
    if new:
        response.set_cookie(DEVICE_COOKIE, _serializer().dumps(token), max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=current_app.config.get("PRODUCTION", False))
    return response


def _user():
    return current_user if current_user.is_authenticated else None


def _survey_or_404(survey_id):
    survey = services.get_survey(g.municipality, survey_id, published_only=not is_staff())
    if survey is None:
        abort(404)
    return survey


@bp.route("/")
@public
def index():
    surveys = services.public_surveys(g.municipality)
    return render_template("surveys/survey_list.html", surveys=surveys, today=services.today())


@bp.route("/<int:survey_id>/")
@public
def detail(survey_id):
    survey = _survey_or_404(survey_id)
    token, _ = _device_token()
    mine = responding.find_response(g.municipality, survey, user=_user(),
                                  device_token=token if survey.audience == "anyone" else None)
    return render_template("surveys/survey_detail.html", survey=survey, mine=mine, today=services.today(),
                           refusal=responding.refusal(g.municipality, survey, current_user))


@bp.route("/<int:survey_id>/responder", methods=["GET", "POST"])
@limiter.limit("60/minute;600/hour", methods=["POST"])
@public
def answer(survey_id):
    municipality = g.municipality
    survey = services.get_survey(municipality, survey_id)
    if survey is None:
        abort(404)
    reason = responding.refusal(municipality, survey, current_user)
    if reason == "sign_in":
        return login_manager.unauthorized()
    if reason:
        return render_template("surveys/survey_unavailable.html", survey=survey, reason=reason), 403
    token, new = _device_token()
    device = token if survey.audience == "anyone" else None
    pages = responding.pages(survey)
    page = min(max(bounds.query_int("p", 1, minimum=1, args=request.values), 1), max(len(pages), 1))
    key = request.values.get("k", "")
    if key and not KEY_PATTERN.match(key):
        abort(400)
    errors = {}
    if request.method == "POST":
        if not key:
            abort(400)
        posted = {name: request.form.getlist(name) for name in request.form if name not in ("k", "p", "action")}
        try:
            outcome = responding.record_page(municipality, survey, key=key, page=page, posted=posted, user=_user(),
                                           device_token=device, back=request.form.get("action") == "back")
            db.session.commit()
        except services.SurveyError:
            abort(404)
        except IntegrityError:  # the same form sent twice at once: the first one counts
            db.session.rollback()
            return _with_device(redirect(url_for(".thanks", survey_id=survey.id)), token, new)
        if outcome.response is not None:
            return _with_device(redirect(url_for(".thanks", survey_id=survey.id)), token, new)
        if not outcome.errors:
            return _with_device(redirect(url_for(".answer", survey_id=survey.id, k=key, p=outcome.next_page)),
                                token, new)
        values, errors = outcome.values, outcome.errors
    elif key:
        draft = responding.load_draft(municipality, survey, key)
        mine = draft is not None and (not draft.user_id or (_user() is not None and draft.user_id == _user().id))
        values = dict(draft.data) if mine else {}
    else:
        key = services.new_key()
        values = responding.starting_values(municipality, survey, responding.find_response(
            municipality, survey, user=_user(), device_token=device))
    section = pages[page - 1] if pages else None
    visible = responding.visible_questions(survey, section, values) if section else []
    html = render_template("surveys/survey_answer.html", survey=survey, section=section, page=page,
                           pages=len(pages), key=key, values=values, errors=errors, visible=visible,
                           names=lambda q: answering.field_names(services.spec_of(q)),
                           field_name=answering.field_name, not_used=answering.NOT_USED)
    return _with_device(current_app.make_response((html, 200)), token, new)


@bp.route("/<int:survey_id>/responder/una-pagina", methods=["GET", "POST"])
@limiter.limit("60/minute;600/hour", methods=["POST"])
@public
def answer_whole(survey_id):
    """Every question on one page: the form a phone keeps for answering without a
    connection (the key ``k`` is made on the device; a repeated send counts once)."""
    municipality = g.municipality
    survey = services.get_survey(municipality, survey_id)
    if survey is None:
        abort(404)
    reason = responding.refusal(municipality, survey, current_user)
    if reason == "sign_in":
        return login_manager.unauthorized()
    if reason:
        return render_template("surveys/survey_unavailable.html", survey=survey, reason=reason), 403
    token, new = _device_token()
    device = token if survey.audience == "anyone" else None
    key = request.form.get("k") or services.new_key()
    if not KEY_PATTERN.match(key):
        abort(400)
    values, errors = {}, {}
    if request.method == "POST":
        posted = {name: request.form.getlist(name) for name in request.form if name not in ("k", "csrf_token")}
        try:
            values, errors, response = responding.submit_whole(municipality, survey, key=key, posted=posted,
                                                               user=_user(), device_token=device)
            db.session.commit()
        except IntegrityError:  # the same form sent twice at once: the first one counts
            db.session.rollback()
            response = True
        if response is not None:
            return _with_device(redirect(url_for(".thanks", survey_id=survey.id)), token, new)
    else:
        values = responding.starting_values(municipality, survey, responding.find_response(
            municipality, survey, user=_user(), device_token=device))
    html = render_template("surveys/survey_answer_whole.html", survey=survey, key=key, values=values, errors=errors,
                           names=lambda q: answering.field_names(services.spec_of(q)),
                           field_name=answering.field_name, not_used=answering.NOT_USED)
    return _with_device(current_app.make_response((html, 422 if errors else 200)), token, new)


@bp.route("/<int:survey_id>/gracias")
@public
def thanks(survey_id):
    survey = _survey_or_404(survey_id)
    return render_template("surveys/survey_thanks.html", survey=survey, today=services.today())


@bp.route("/<int:survey_id>/mi-respuesta")
@public
def mine(survey_id):
    survey = _survey_or_404(survey_id)
    token, _ = _device_token()
    response = responding.find_response(g.municipality, survey, user=_user(),
                                      device_token=token if survey.audience == "anyone" else None)
    values = responding.starting_values(g.municipality, survey, response)
    return render_template("surveys/survey_mine.html", survey=survey, response=response, values=values,
                           today=services.today(), field_name=answering.field_name,
                           not_used=answering.NOT_USED)


def _results_or_404(survey_id):
    survey = _survey_or_404(survey_id)
    if not survey.results_public(services.today()) and not is_staff():
        abort(404)
    return survey


@bp.route("/<int:survey_id>/resultados")
@public
def results_page(survey_id):
    survey = _results_or_404(survey_id)
    outcome = results.survey_results(g.municipality, survey)
    return render_template("surveys/survey_results.html", survey=survey, results=outcome, hbars=hbars, num=number,
                           today=services.today(), meaningful=stats.interval_meaningful)


@bp.route("/<int:survey_id>/resultados/respuestas.<any(csv, xlsx):fmt>")
@public
def responses_download(survey_id, fmt):
    survey = _results_or_404(survey_id)
    rows = list(results.response_rows(g.municipality, survey))
    columns = results.response_columns(survey)
    name = f"encuesta-{survey.id}-respuestas.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(rows, columns, name, sheet="respuestas")
    return csv_response(rows, columns, name)


@bp.route("/<int:survey_id>/resultados/resumen.csv")
@public
def summary_download(survey_id):
    survey = _results_or_404(survey_id)
    outcome = results.survey_results(g.municipality, survey)
    return csv_response(list(results.summary_rows(outcome)), results.SUMMARY_COLUMNS,
                        f"encuesta-{survey.id}-resumen.csv")


@bp.route("/calendario.ics")
@public
def calendar():
    """Every public survey's opening and closing, as an iCalendar file."""
    return ical.response(lambda: _("Encuestas"), exports.calendar_events)
